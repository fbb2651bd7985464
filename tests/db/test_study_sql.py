"""The study loop's prepared statements (learnapp/study/sql.py) compile for every database we run on."""

import gc
from datetime import timedelta

import pytest
from sqlalchemy.dialects.sqlite import pysqlite

import learnapp.study.service  # noqa: F401 (builds every statement the study loop runs, sessions' too)
from learnapp.study.sql import Conn, Prepared
from tests.conftest import prepared_plans


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


def test_on_postgresql_the_queue_runs_its_generic_plan_and_orm_queries_stay_unprepared(app):
    """PostgreSQL replanned the queue's count and head on every answer (planning cost about twice running
    them): the study statements must run one generic plan, with their constants (card states) written in
    the SQL so that plan is as good as a custom one, and ORM queries are not prepared behind our back."""
    from learnapp.decks.service import enroll
    from learnapp.extensions import db
    from learnapp.models import User
    from learnapp.srs import Rating
    from learnapp.study import queries, service
    from learnapp.study.sql import connect
    from tests.factories import T0, make_deck, make_user

    counts_sql = queries.QUEUE.counts._for(connect()).sql
    assert "'learning'" in counts_sql and "'review'" in counts_sql  # the states are constants, not binds
    if db.engine.dialect.name != "postgresql":
        return
    make_deck(entries=8)
    user = make_user(new_per_day=8)
    enroll(user, "test-deck", T0)
    view = service.today(user, T0, enable_fuzz=False)
    for step in range(6):
        now = T0 + timedelta(seconds=10 * (step + 1))
        view = service.answer(user, view.card.id, Rating.GOOD, view.version, now, enable_fuzz=False)
    for _ in range(6):
        db.session.get(User, user.id, populate_existing=True)
    counts = prepared_plans("AS k, count(*) AS n")
    assert counts and counts[0][0] >= 6 and counts[0][1] == 0, counts
    assert not prepared_plans("SELECT users.id, users.username")  # the ORM's selects are not prepared


def test_an_answer_and_the_next_card_are_a_fixed_handful_of_statements(app):
    """The study loop's budget (benchmarks: `python -m benchmarks --only study`): an answer with its
    sibling burial, log row and the next card costs the same few statements whatever the deck's size and
    however many siblings the card has. One more statement per answer is a round trip on PostgreSQL."""
    from learnapp.decks.service import enroll
    from learnapp.extensions import db
    from learnapp.srs import Rating
    from learnapp.study import service
    from learnapp.study.sql import connect
    from tests.factories import T0, make_deck, make_user

    if db.engine.dialect.name != "sqlite":  # sqlite3's trace callback sees every statement sent
        return
    make_deck(entries=6, kinds='["recognize", "recall", "tones"]')  # each card has two siblings
    user = make_user(new_per_day=6)
    enroll(user, "test-deck", T0)
    view = service.today(user, T0, enable_fuzz=False)
    sent: list[str] = []
    for step in range(4):
        now = T0 + timedelta(seconds=10 * (step + 1))
        db.session.commit()
        connect().raw.set_trace_callback(sent.append)
        before = len(sent)
        view = service.answer(user, view.card.id, Rating.GOOD, view.version, now, enable_fuzz=False)
        statements = [s.split()[0].upper() for s in sent[before:]]
        # BEGIN, the state, the day's tally, shown today?, 2 updates, the log, COMMIT; counts, head, missed
        assert len(statements) <= 11, sent[before:]
        assert statements.count("UPDATE") == 2, sent[before:]  # the state, then every sibling at once
        connect().raw.set_trace_callback(None)


def test_burying_and_unburying_siblings_look_them_up_by_primary_key(app):
    """One statement buries all of a card's siblings; the database must find them by (user, card), not by
    walking the learner's new and review cards (SQLite chose that when the state was in the WHERE: an
    answer cost 24 ms at 100,000 cards instead of 0.4 ms)."""
    from learnapp.extensions import db
    from learnapp.study import writes
    from learnapp.study.sql import connect

    if db.engine.dialect.name != "sqlite":
        return
    conn = connect()
    for statement in (writes.BURY, writes.UNBURY):
        sql = statement._for(conn).sql
        plan = [row[3] for row in conn.raw.execute("EXPLAIN QUERY PLAN " + sql, (1,) * sql.count("?"))]
        assert plan[0].startswith("SEARCH card_states USING INDEX"), plan
        assert "(user_id=? AND card_id=?)" in plan[0], plan


def test_on_postgresql_the_study_statements_stay_prepared_from_one_request_to_the_next(app):
    """psycopg drops every prepared statement at a ROLLBACK, and a request's last transaction ended with
    one when its session closed: every answer over HTTP prepared and planned the study statements anew.
    Requests end their reads with COMMIT (`database.end_reads`), so a connection's next request runs the
    statements it already holds."""
    from learnapp.database import end_reads
    from learnapp.decks.service import enroll
    from learnapp.extensions import db
    from learnapp.models import User
    from learnapp.srs import Rating
    from learnapp.study import service
    from tests.factories import T0, make_deck, make_user

    if db.engine.dialect.name != "postgresql":
        pytest.skip("psycopg's prepared statements")
    make_deck(entries=8)
    user_id = make_user(new_per_day=8).id
    enroll(db.session.get(User, user_id), "test-deck", T0)
    db.session.commit()
    db.session.remove()
    db.engine.dispose()  # one connection from here on, handed from each "request" to the next
    view = None
    for step in range(4):  # each step as a request: the user loaded, an answer, the next card, the end
        user = db.session.get(User, user_id)
        now = T0 + timedelta(seconds=10 * (step + 1))
        if view is None:
            view = service.today(user, now, enable_fuzz=False)
        else:
            view = service.answer(user, view.card.id, Rating.GOOD, view.version, now, enable_fuzz=False)
        end_reads()
        db.session.remove()
    assert db.engine.pool.checkedin() == 1
    counts = [generic for generic, _custom in prepared_plans("AS k, count(*) AS n")]
    assert counts == [4]  # prepared once, run in all four requests


def test_on_postgresql_an_answer_commits_without_waiting_for_the_disk_and_nothing_else_does(app):
    """An answer's transaction has synchronous_commit off (SQLite's WAL at synchronous=NORMAL makes the
    same promise): set for that transaction only, and only when the answer wrote. A repeated submit, which
    writes nothing, and every transaction after it keep the server's setting."""
    from learnapp.database import transaction
    from learnapp.decks.service import enroll
    from learnapp.extensions import db
    from learnapp.srs import Rating
    from learnapp.study import service
    from learnapp.study.sql import connect
    from tests.factories import T0, make_deck, make_user

    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's synchronous_commit")

    def setting() -> str:
        return connect().raw.execute("SHOW synchronous_commit").fetchone()[0]

    make_deck(entries=4)
    user = make_user(new_per_day=4)
    enroll(user, "test-deck", T0)
    server_default = setting()
    assert server_default != "off"  # the test database flushes at every commit
    view = service.today(user, T0, enable_fuzz=False)
    card, version = view.card.id, view.version
    with transaction():  # the answer joins this block, which commits: the setting is seen before that
        after = service.answer(user, card, Rating.GOOD, version, T0, enable_fuzz=False)
        assert after.undo_log_id is not None
        assert setting() == "off"
    assert setting() == server_default
    with transaction():  # the same submit again: nothing written, nothing relaxed
        service.answer(user, card, Rating.GOOD, version, T0, enable_fuzz=False)
        assert setting() == server_default
