"""The study loop's statements, run at the speed of the database driver.

A learner's answer is a handful of small indexed statements, and SQLAlchemy's per-execution machinery
(compiled-cache lookup, parameter and result processing) cost several times the database's own time for
them. `Prepared` keeps each statement in SQLAlchemy Core, where it reads like the rest of the code and is
compiled by SQLAlchemy for each dialect, but compiles it once and runs it on the session's own DBAPI
connection (so it takes part in the session's transaction), with the column types' own bind and result
processors (UTC datetimes stay exactly as the models store them). On PostgreSQL the statement is prepared
on the server once per connection.

Only plain parameters: no expanding IN lists, no defaults filled in for omitted ones.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql import ClauseElement

from learnapp.database import transaction
from learnapp.extensions import db

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    positional: bool
    names: tuple[str, ...]  # bind names, in order for positional paramstyles
    defaults: dict[str, Any]  # values the statement carries itself (literals such as state = 'review')
    binders: tuple[tuple[str, Callable[[Any], Any]], ...]  # (name, processor) where one is needed
    row: Any  # a namedtuple class for result rows, or None for statements returning none
    readers: tuple[tuple[int, Callable[[Any], Any]], ...]  # (column index, processor) where one is needed


class Prepared:
    """A Core statement, compiled once per dialect and run on the session's DBAPI connection."""

    def __init__(self, statement: ClauseElement, name: str = "") -> None:
        self.statement = statement
        self.name = name
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, dialect: Dialect) -> _Compiled:
        compiled: Any = self.statement.compile(dialect=dialect)  # an SQLCompiler: binds, positiontup
        binds = compiled.binds
        names = tuple(compiled.positiontup or binds.keys())
        binders = tuple(
            (name, processor)
            for name in dict.fromkeys(names)
            if (processor := binds[name].type.dialect_impl(dialect).bind_processor(dialect)) is not None
        )
        columns = getattr(self.statement, "selected_columns", None)
        row: Any = None
        readers: tuple[tuple[int, Callable[[Any], Any]], ...] | None = None
        if columns is not None:
            keys = [column.key for column in columns]
            row = namedtuple("Row", keys, rename=True)  # type: ignore[misc,no-redef]
            readers = tuple(
                (index, processor)
                for index, column in enumerate(columns)
                if (processor := _result_processor(column.type, dialect)) is not None
            )
        defaults = {name: bind.effective_value for name, bind in binds.items() if not bind.required}
        return _Compiled(
            sql=compiled.string,
            positional=dialect.positional,
            names=names,
            defaults=defaults,
            binders=binders,
            row=row,
            readers=readers or (),
        )

    def _for(self, conn: Conn) -> _Compiled:
        compiled = self._compiled.get(conn.dialect.name)
        if compiled is None:
            compiled = self._compiled[conn.dialect.name] = self._compile(conn.dialect)
        return compiled

    def _cursor(self, conn: Conn | None, params: Mapping[str, Any]) -> tuple[Any, _Compiled]:
        conn = conn or connect()
        compiled = self._for(conn)
        values = {**compiled.defaults, **params}
        for name, processor in compiled.binders:
            values[name] = processor(values[name])
        if compiled.positional:
            return conn.raw.execute(compiled.sql, tuple(values[name] for name in compiled.names)), compiled
        return conn.raw.execute(compiled.sql, values, prepare=True), compiled

    @staticmethod
    def _row(compiled: _Compiled, raw: Sequence[Any]) -> Any:
        if compiled.readers:
            values = list(raw)
            for index, processor in compiled.readers:
                values[index] = processor(values[index])
            return compiled.row._make(values)
        return compiled.row._make(raw)

    def first(self, params: Mapping[str, Any], conn: Conn | None = None) -> Any:
        """The first row (a named tuple), or None."""
        cursor, compiled = self._cursor(conn, params)
        raw = cursor.fetchone()
        return None if raw is None else self._row(compiled, raw)

    def all(self, params: Mapping[str, Any], conn: Conn | None = None) -> list[Any]:
        cursor, compiled = self._cursor(conn, params)
        return [self._row(compiled, raw) for raw in cursor.fetchall()]

    def scalar(self, params: Mapping[str, Any], conn: Conn | None = None) -> Any:
        """The first column of the first row, or None."""
        cursor, compiled = self._cursor(conn, params)
        raw = cursor.fetchone()
        return None if raw is None else self._row(compiled, raw)[0]

    def scalars(self, params: Mapping[str, Any], conn: Conn | None = None) -> list[Any]:
        return [row[0] for row in self.all(params, conn)]

    def run(self, params: Mapping[str, Any], conn: Conn | None = None) -> int:
        """Execute a statement that returns no rows; the number of rows it changed."""
        cursor, _ = self._cursor(conn, params)
        return int(cursor.rowcount)

    def returning(self, params: Mapping[str, Any], conn: Conn | None = None) -> Any:
        """Execute an INSERT ... RETURNING; the first returned column of its row (None if it wrote none)."""
        cursor, _ = self._cursor(conn, params)
        raw = cursor.fetchone()
        return None if raw is None else raw[0]


def _result_processor(type_: Any, dialect: Dialect) -> Callable[[Any], Any] | None:
    """The column type's own conversion of a driver value, where it has one. (PostgreSQL's numeric types
    choose theirs by the driver's type code, known only once a statement ran: psycopg already returns
    floats for the float columns read here, so they need none.)"""
    try:
        processor: Callable[[Any], Any] | None = type_.dialect_impl(dialect).result_processor(dialect, None)
    except TypeError:
        return None
    return processor


@dataclass(frozen=True, slots=True)
class Conn:
    """The session's DBAPI connection for a run of statements (taken once: asking the session for it costs
    more than a small indexed statement)."""

    raw: Any
    dialect: Dialect


_CONN = "study_conn"  # session.info: (the transaction, its Conn), so a second connect() in it is a lookup


def connect() -> Conn:
    """The DBAPI connection of the session's current transaction (begun if none is). Kept for the rest
    of that transaction: asking the session again costs more than a statement (a commit or rollback ends
    the transaction, so the next call asks it for the new one's)."""
    session = db.session()
    transaction = session.get_transaction()
    if transaction is not None and transaction.is_active:
        cached = session.info.get(_CONN)
        if cached is not None and cached[0] is transaction:
            conn: Conn = cached[1]
            return conn
    connection: Connection = session.connection()
    conn = Conn(connection.connection.driver_connection, connection.dialect)
    session.info[_CONN] = (session.get_transaction(), conn)
    return conn


def begin_write() -> Conn:
    """Start the write transaction now and return its connection (SQLite: take the database's write lock
    before reading, so what an answer reads cannot change before it writes; a second submit waits, then
    sees the first one's result). PostgreSQL locks the rows it reads FOR UPDATE instead."""
    conn = connect()
    if conn.dialect.name == "sqlite" and not conn.raw.in_transaction:
        conn.raw.execute("BEGIN IMMEDIATE")
    return conn


def _commit_connection(session: Session) -> None:
    """Commit the transaction on the session's DBAPI connection itself, ORM changes flushed first."""
    session.flush()
    connect().raw.commit()


@contextmanager
def write_transaction() -> Iterator[Conn]:
    """`transaction()` begun with `begin_write`, whose commit is the DBAPI connection's own (inside another
    block it joins that one, which commits). The session's commit would also end its transaction and give
    back its connection: its bookkeeping and then the next statement's new transaction and pool checkout
    cost as much as two of an answer's statements. Here the session keeps both, so the next view is read
    on the same connection (on SQLite after the write lock is released; a read takes no lock there)."""
    with transaction(_commit_connection):
        yield begin_write()
