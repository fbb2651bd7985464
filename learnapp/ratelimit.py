"""Rate limits every process shares, and the per-account limit on failed logins.

Flask-Limiter keeps its counts in a `limits` storage. The in-memory one (`memory://`) is per process, so
gunicorn's workers each counted on their own and a limit of 10 a minute let one address make 19 sign-ups
with 2 workers. Counts therefore live where every process sees them:

- `REDIS_URL` set: Redis (several hosts);
- else `database://`: `DatabaseStorage` below, in the app's own database (the `rate_limits` table; the
  SQLite file on one host, PostgreSQL across hosts). Each hit is one short transaction that locks its key's
  row (SQLite: the write lock; PostgreSQL: the row), so concurrent processes never both take the last slot.
- `RATELIMIT_STORAGE_URI=memory://` only for one process (`flask run`); gunicorn.conf.py refuses to start
  several workers with it (`config.several_workers_problem`).

Failed logins are also counted per account (OWASP ASVS 2.2.1), from any address: `LoginFailures`.
"""

from __future__ import annotations

import hashlib
import logging
import random
import time
from typing import Any, ClassVar

from flask import Flask, current_app
from limits import RateLimitItem, parse
from limits.storage import MovingWindowSupport, Storage
from sqlalchemy import Connection, Row, delete, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError

from learnapp.config import DATABASE_RATELIMIT_URI
from learnapp.extensions import db, limiter
from learnapp.models import RateLimitCounter

log = logging.getLogger(__name__)

DATABASE_SCHEME = DATABASE_RATELIMIT_URI.removesuffix("://")
# Rows whose window has passed are deleted after about one hit in PURGE_EVERY (in a transaction of their own).
PURGE_EVERY = 64

_TABLE = RateLimitCounter.__table__


def install(app: Flask) -> None:
    """Flask-Limiter on the app, counting in RATELIMIT_STORAGE_URI (`database://` is registered by importing
    this module, through `DatabaseStorage.STORAGE_SCHEME`)."""
    limiter.init_app(app)


class DatabaseStorage(Storage, MovingWindowSupport):
    """A `limits` storage in the app's own database (`database://`), used inside a request (it takes the
    app's engine, so it needs an app context). Meant for small limits (tens a minute): a key's row keeps
    up to its limit's amount of hit times."""

    STORAGE_SCHEME: ClassVar[list[str]] = [DATABASE_SCHEME]  # type: ignore[misc]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: float | str | bool):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    # The moving window (the strategy config.py chooses): the hit times within the last `expiry` seconds.

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        if amount > limit:
            return False
        now = time.time()
        with db.engine.begin() as connection:
            row = _locked(connection, key)
            hits = _window(row, now, expiry)
            if len(hits) + amount > limit:
                return False
            hits = (hits + [now] * amount)[-limit:]
            connection.execute(
                update(_TABLE)
                .where(_TABLE.c.key == key)
                .values(hits=" ".join(f"{hit:.6f}" for hit in hits), expires_at=now + expiry)
            )
        if random.random() < 1 / PURGE_EVERY:  # not security: only when to tidy up
            self.purge(now)
        return True

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        now = time.time()
        with db.engine.connect() as connection:
            row = connection.execute(
                select(_TABLE.c.hits, _TABLE.c.expires_at).where(_TABLE.c.key == key)
            ).first()
        hits = _window(row, now, expiry) if row is not None else []
        return (hits[0], len(hits)) if hits else (now, 0)

    # The fixed window: a count that starts again when its window has passed.

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        with db.engine.begin() as connection:
            row = _locked(connection, key)
            if row.expires_at > now:
                count, expires_at = int(row._mapping["count"]) + amount, row.expires_at
            else:
                count, expires_at = amount, now + expiry
            connection.execute(
                update(_TABLE).where(_TABLE.c.key == key).values(count=count, expires_at=expires_at)
            )
        return int(count)

    def get(self, key: str) -> int:
        row = self._row(key)
        return int(row._mapping["count"]) if row is not None and row.expires_at > time.time() else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        now = time.time()
        return float(row.expires_at) if row is not None and row.expires_at > now else now

    def clear(self, key: str) -> None:
        with db.engine.begin() as connection:
            connection.execute(delete(_TABLE).where(_TABLE.c.key == key))

    def reset(self) -> int | None:
        with db.engine.begin() as connection:
            return int(connection.execute(delete(_TABLE)).rowcount)

    def check(self) -> bool:
        try:
            with db.engine.connect() as connection:
                connection.execute(select(1))
        except SQLAlchemyError:
            return False
        return True

    def purge(self, now: float) -> int:
        """Delete the rows whose window has passed; how many. A failure is logged, never raised."""
        try:
            with db.engine.begin() as connection:
                return int(connection.execute(delete(_TABLE).where(_TABLE.c.expires_at < now)).rowcount)
        except SQLAlchemyError:
            log.warning("rate_limits: purge failed", exc_info=True)
            return 0

    def _row(self, key: str) -> Row[Any] | None:
        with db.engine.connect() as connection:
            return connection.execute(
                select(_TABLE.c.count, _TABLE.c.expires_at).where(_TABLE.c.key == key)
            ).first()


def _locked(connection: Connection, key: str) -> Row[Any]:
    """The key's row, made if missing, locked until the transaction ends: the first statement writes, so on
    SQLite it takes the database's write lock; on PostgreSQL FOR UPDATE holds the row."""
    insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
    connection.execute(
        insert(_TABLE)
        .values(key=key, count=0, hits="", expires_at=0.0)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    return connection.execute(
        select(_TABLE.c.count, _TABLE.c.hits, _TABLE.c.expires_at)
        .where(_TABLE.c.key == key)
        .with_for_update()
    ).one()


def _window(row: Row[Any], now: float, expiry: int) -> list[float]:
    """The hit times of `row` within the last `expiry` seconds, oldest first."""
    if not row.hits or row.expires_at <= now - expiry:
        return []
    return [hit for hit in map(float, row.hits.split()) if hit > now - expiry]


# Failed logins per account (OWASP ASVS 2.2.1): counted from any address, a name without an account the
# same way (so a refusal says nothing about whether the account exists).


class TooManyFailures(Exception):
    """The account's failed logins reached the limit; `minutes` until one more attempt is allowed."""

    def __init__(self, minutes: int) -> None:
        super().__init__(minutes)
        self.minutes = minutes

    @property
    def message(self) -> str:
        unit = "minute" if self.minutes == 1 else "minutes"
        return (
            "Too many wrong passwords for this account: for its safety, passwords for it are not checked "
            f"for the next {self.minutes} {unit}."
        )


def failure_key(user_id: int | None, login: str) -> str:
    """The account's key, or (no such account) the typed name's, hashed: no names in the limiter's storage."""
    if user_id is not None:
        return f"user:{user_id}"
    name = login.strip().lower()[:320]
    return "name:" + hashlib.sha256(name.encode("utf-8", "replace")).hexdigest()


def login_failures() -> LoginFailures:
    """The app's limit on wrong passwords per account (LOGIN_FAILURE_LIMIT)."""
    return LoginFailures(current_app.config["LOGIN_FAILURE_LIMIT"])


class LoginFailures:
    """Wrong passwords per account in the limiter's storage (shared by every process): `check` before a
    password is tried, `record` after a wrong one."""

    NAMESPACE = "login-failures"

    def __init__(self, limit: str) -> None:
        self.item: RateLimitItem = parse(limit)

    def check(self, key: str) -> None:
        """Raise TooManyFailures when the account has no attempt left."""
        strategy = limiter.limiter
        if strategy.test(self.item, self.NAMESPACE, key):
            return
        reset_at = strategy.get_window_stats(self.item, self.NAMESPACE, key).reset_time
        raise TooManyFailures(max(1, -(-int(reset_at - time.time()) // 60)))

    def record(self, key: str) -> None:
        limiter.limiter.hit(self.item, self.NAMESPACE, key)
