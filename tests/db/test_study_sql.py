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
