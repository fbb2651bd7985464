"""The database's two shared pieces: engine settings per dialect, and `transaction()`, the one way a
service writes.

One user action is one transaction: a service wraps its work in `with transaction():` (or decorates
itself with `@transaction()`); the block commits when it ends and rolls back if anything raises, so
nothing is ever half-written. Blocks nest: a service that calls another service's function joins its
transaction, and only the outermost block commits (no `commit=` flags).

`lock_for_write(user_id)` makes one user's actions wait for each other: an action that must not apply twice
(enroll, join a class, pick a nickname) calls it before it reads what decides its writes, so a second copy
sent at the same moment waits, then finds the first one's rows; `repeat_of(...)` finds a form's first copy
(an account, a class, a deck made moments ago with the same values).

On PostgreSQL a successful GET (and a study answer) ends its reads with COMMIT, not ROLLBACK (`end_reads`),
so the connection keeps its prepared statements for the next request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any, TypeVar

from flask import Flask, Response, request
from sqlalchemy import ColumnElement, event, select, text
from sqlalchemy.orm import Session

from learnapp.extensions import db

_DEPTH = "transaction_depth"
_Row = TypeVar("_Row")


@contextmanager
def transaction(commit: Callable[[Session], None] | None = None) -> Iterator[Session]:
    """Commit the block's writes as one transaction, or none of them; nested blocks join the outer one.
    `commit`, if given, commits the outermost block instead of the session's own commit (the study loop's
    answer commits its DBAPI connection directly: `study.sql.write_transaction`)."""
    session = db.session()
    depth = session.info.get(_DEPTH, 0)
    session.info[_DEPTH] = depth + 1
    try:
        yield session
        if depth == 0:
            (commit or Session.commit)(session)
    except BaseException:
        if depth == 0:
            session.rollback()
        raise
    finally:
        session.info[_DEPTH] = depth


def in_transaction() -> bool:
    """Is a `transaction()` block open (so a write here will be committed by someone)?"""
    return db.session().info.get(_DEPTH, 0) > 0


# A form that creates something (an account, a class, a deck) and arrives again this soon with the same
# values is the same click sent twice: the second copy gets what the first made instead of a second one.
REPEAT_WINDOW = timedelta(seconds=60)


def repeat_of(model: type[_Row], now: datetime, *same: ColumnElement[bool]) -> _Row | None:
    """The newest row of `model` made within REPEAT_WINDOW before `now` and matching every condition in
    `same` (its owner and values): the first copy of a form sent twice. Call it after `lock_for_write`."""
    columns: Any = model
    return db.session.scalar(
        select(model)
        .where(columns.created_at >= now - REPEAT_WINDOW, *same)
        .order_by(columns.id.desc())
        .limit(1)
    )


def lock_for_write(user_id: int) -> None:
    """Serialise one user's writes until the transaction ends (call it inside `transaction()`, before the
    reads that decide what to write). SQLite takes the database's write lock now (BEGIN IMMEDIATE), so what
    the transaction reads next is what any other writer committed; PostgreSQL locks the user's row (FOR NO
    KEY UPDATE: rows that reference the user can still be written by others)."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        raw = connection.connection.driver_connection
        assert raw is not None  # a checked-out connection always has its driver connection
        if not raw.in_transaction:  # else this transaction has written, so it holds the lock already
            raw.execute("BEGIN IMMEDIATE")
        return
    connection.execute(text("SELECT id FROM users WHERE id = :id FOR NO KEY UPDATE"), {"id": user_id})


# PostgreSQL: only the statements we prepare on purpose (the study loop's and the user loader's, see
# study/sql.py) are prepared on the server, and they run their generic plan. psycopg would otherwise
# prepare any ORM query after its 5th run; and PostgreSQL replans a prepared statement on every run while
# its estimate of the generic plan looks worse than a custom one (a range on `due`, a LIMIT), though the
# plan is the same: planning the queue's count and head cost about twice what running them did. Our
# statements write their constants into the SQL (study/queries.py `constant`), so the generic plan knows
# them.
# (psycopg's threshold None would stop `prepare=True` too: a count no query reaches stands for "never".)
POSTGRES_CONNECT_ARGS = {"prepare_threshold": 2**31 - 1, "options": "-c plan_cache_mode=force_generic_plan"}


def engine_options(config: dict[str, Any]) -> None:
    """Add what the configured database needs to SQLALCHEMY_ENGINE_OPTIONS (before the engine is made),
    leaving what the settings already say. A database server's connections are pinged before each
    checkout (a restarted server or a dropped connection costs one retry, not an error page); SQLite's are
    not (a file has neither, and the ping was one statement more per transaction: two an answer)."""
    uri = str(config.get("SQLALCHEMY_DATABASE_URI", ""))
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options.setdefault("pool_pre_ping", not uri.startswith("sqlite"))
    if uri.startswith("postgresql"):
        options["connect_args"] = {**POSTGRES_CONNECT_ARGS, **options.get("connect_args", {})}
    config["SQLALCHEMY_ENGINE_OPTIONS"] = options


# Requests whose reads may end with COMMIT: safe methods everywhere, and the study pages' answers (their
# writes are committed, or rolled back, by their own transaction before the next card is read).
_READS_COMMIT_BLUEPRINTS = frozenset({"study"})


def end_reads() -> None:
    """PostgreSQL: end the session's open transaction with COMMIT when it has only read. psycopg forgets
    every prepared statement at a ROLLBACK (and has the server drop them all), and a request's last
    transaction otherwise ends with one as its session closes: every request then prepared and planned the
    user loader's and the study loop's statements again. Nothing is done inside a `transaction()` block,
    when the session holds ORM changes (not this function's to commit), with no transaction open, or on
    SQLite (its reads hold no transaction)."""
    session = db.session()
    transaction = session.get_transaction()
    if transaction is None or not transaction.is_active or session.info.get(_DEPTH, 0):
        return
    if session.get_bind().dialect.name != "postgresql" or session.new or session.dirty or session.deleted:
        return
    session.commit()


def _end_reads(response: Response) -> Response:
    """After a successful GET (or a study answer), the reads end with COMMIT (`end_reads`); any other
    request, and every error response, ends with the session's ROLLBACK as before."""
    if response.status_code < 400 and (
        request.method in ("GET", "HEAD") or request.blueprint in _READS_COMMIT_BLUEPRINTS
    ):
        end_reads()
    return response


def install(app: Flask) -> None:
    """Register the request's end (`end_reads`)."""
    app.after_request(_end_reads)


def vacuum_analyze() -> None:
    """PostgreSQL: what autovacuum does to a live database soon after a bulk load, at once (planner
    statistics, and the visibility map that lets a covering index be read alone). Commits the session
    first. Other databases: nothing."""
    db.session.commit()
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))


def configure_engine(app: Flask) -> None:
    """SQLite gets WAL, a busy timeout, foreign keys and NORMAL sync; other databases need nothing."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        return
    busy_timeout_ms = int(app.config["SQLITE_BUSY_TIMEOUT_MS"])

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(connection, _record) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
