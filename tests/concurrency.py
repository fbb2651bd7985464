"""Requests sent at the same moment (a double click, a flaky connection resending, two tabs): real threads,
each with its own app context and database session (so its own connection), released by one barrier. On
SQLite and, with TEST_DATABASE_URL, on PostgreSQL. No tests in here."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator

from learnapp.extensions import db, limiter

# A race that is lost only sometimes is lost in one of a few rounds; CONCURRENCY_ROUNDS=50 hunts harder.
ROUNDS = int(os.environ.get("CONCURRENCY_ROUNDS", "4"))


def rounds() -> Iterator[int]:
    """0 .. ROUNDS-1, the rate limits counted afresh each round (every round logs in or signs up)."""
    for number in range(ROUNDS):
        limiter.reset()
        yield number


def at_once(app, *requests: Callable[[], object]) -> list:
    """Run each request in its own thread and app context, all released at the same moment; their results
    in order. A request that raises (a 500 propagates under TESTING) fails the test."""
    barrier = threading.Barrier(len(requests))
    results: list = [None] * len(requests)
    failures: list[BaseException] = []

    def run(index: int, request: Callable[[], object]) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                results[index] = request()
            except BaseException as error:  # a 500 propagates here under TESTING
                failures.append(error)
            finally:
                db.session.remove()

    db.session.commit()  # the test's own session holds nothing while the requests run
    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a request never finished (a deadlock?)"
    assert failures == [], failures
    db.session.expire_all()
    return results
