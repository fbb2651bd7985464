"""The `database://` rate-limit storage (learnapp/ratelimit.py): counts kept in the app's database, so every
process and host sees the same ones; concurrent hits never take more than the limit."""

import threading
import time

import pytest
from limits import parse
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter
from sqlalchemy import func, select

from learnapp import create_app
from learnapp.extensions import db
from learnapp.models import RateLimitCounter
from learnapp.ratelimit import DatabaseStorage
from tests.conftest import base_config


@pytest.fixture
def storage(app):
    return DatabaseStorage("database://")


def rows() -> int:
    return db.session.scalar(select(func.count()).select_from(RateLimitCounter))


def test_the_moving_window_refuses_the_hit_over_the_limit(storage):
    limit = MovingWindowRateLimiter(storage)
    item = parse("3 per minute")
    assert [limit.hit(item, "signup", "198.51.100.1") for _ in range(4)] == [True, True, True, False]
    assert limit.hit(item, "signup", "198.51.100.2")  # another address has its own count
    assert not limit.test(item, "signup", "198.51.100.1")
    stats = limit.get_window_stats(item, "signup", "198.51.100.1")
    assert stats.remaining == 0
    assert 0 < stats.reset_time - time.time() <= 60


def test_every_app_sharing_the_database_sees_the_same_counts(app, database_url, tmp_path):
    """Two apps (two engines, as two gunicorn workers have) count together."""
    item = parse("4 per minute")
    other = create_app(base_config(database_url, tmp_path / "other"))
    mine = MovingWindowRateLimiter(DatabaseStorage("database://"))
    assert [mine.hit(item, "login", "x") for _ in range(2)] == [True, True]
    with other.app_context():
        theirs = MovingWindowRateLimiter(DatabaseStorage("database://"))
        assert [theirs.hit(item, "login", "x") for _ in range(3)] == [True, True, False]
        db.engine.dispose()


def test_concurrent_hits_take_exactly_the_limit(app, storage):
    """Real threads, each with its own connection, hitting one key at once."""
    item = parse("5 per minute")
    results: list[bool] = []
    start = threading.Barrier(12)

    def hit() -> None:
        with app.app_context():
            start.wait()
            results.append(MovingWindowRateLimiter(DatabaseStorage("database://")).hit(item, "signup", "a"))
            db.session.remove()

    threads = [threading.Thread(target=hit) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 7 + [True] * 5


def test_hits_older_than_the_window_no_longer_count(storage):
    now = time.time()
    storage.acquire_entry("k", 2, 60)
    storage.acquire_entry("k", 2, 60)
    assert not storage.acquire_entry("k", 2, 60)
    assert storage.get_moving_window("k", 2, 60)[1] == 2
    db.session.execute(RateLimitCounter.__table__.update().values(hits=f"{now - 120:.6f} {now - 61:.6f}"))
    db.session.commit()
    assert storage.get_moving_window("k", 2, 60)[1] == 0
    assert storage.acquire_entry("k", 2, 60)


def test_the_fixed_window_counts_and_clears(storage):
    limit = FixedWindowRateLimiter(storage)
    item = parse("2 per hour")
    assert [limit.hit(item, "a") for _ in range(3)] == [True, True, False]
    assert limit.get_window_stats(item, "a").remaining == 0
    limit.clear(item, "a")
    assert limit.hit(item, "a")


def test_expired_rows_are_purged_and_reset_clears_everything(storage):
    storage.acquire_entry("old", 5, 1)
    storage.acquire_entry("new", 5, 3600)
    assert rows() == 2
    assert storage.purge(time.time() + 2) == 1
    assert db.session.scalar(select(RateLimitCounter.key)) == "new"
    assert storage.reset() == 1
    assert rows() == 0
    assert storage.check()
