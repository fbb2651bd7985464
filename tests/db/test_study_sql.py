"""The study loop's prepared statements (learnapp/study/sql.py) compile for every database we run on."""

import gc

import pytest
from sqlalchemy.dialects.sqlite import pysqlite

import learnapp.study.service  # noqa: F401 (builds every statement the study loop runs, sessions' too)
from learnapp.study.sql import Conn, Prepared


def statements() -> dict[str, Prepared]:
    """Every Prepared statement in the process (module constants and the queue's per-bucket heads)."""
    return {f"{s.name or 'unnamed'}@{id(s)}": s for s in gc.get_objects() if isinstance(s, Prepared)}


def dialects():
    found = [pysqlite.dialect()]
    try:
        from sqlalchemy.dialects.postgresql import psycopg

        found.append(psycopg.dialect())
    except ImportError:  # pragma: no cover (the postgres extra is not installed)
        pass
    return found


@pytest.mark.parametrize("dialect", dialects(), ids=lambda dialect: dialect.driver)
def test_every_study_statement_compiles_with_its_readers(dialect):
    """psycopg's Float result processor raises without the column's type OID: reading a float column (a
    card's stability, a log's elapsed days) must not ask it, or every study page is a 500 on PostgreSQL."""
    found = statements()
    assert len(found) > 20
    for name, statement in found.items():
        compiled = statement._for(Conn(None, dialect))
        assert compiled.sql, name


def test_the_connection_is_kept_for_its_transaction_and_asked_again_after_it(app):
    """connect() keeps the session's connection for the rest of a transaction; after a commit or a
    rollback it must ask for the new transaction's, where the session's own writes are."""
    from learnapp.extensions import db
    from learnapp.study.sql import connect
    from tests.factories import make_user

    def lans():  # users called "lan", as the study connection sees them
        return connect().raw.execute("SELECT count(*) FROM users WHERE username = 'lan'").fetchone()[0]

    user = make_user("mei")  # commits
    first = connect()
    assert connect() is first
    db.session.rollback()
    second = connect()
    assert second is not first
    user.username = "lan"
    db.session.flush()  # written in the session's transaction, not committed
    assert connect() is second
    assert lans() == 1
    db.session.rollback()
    assert connect() is not second
    assert lans() == 0
