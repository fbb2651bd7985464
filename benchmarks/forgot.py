""" "Forgot password?" answered in the same time for an address with an account and one without.

A fresh, migrated SQLite database with one learner. `repeat` pairs of POST /password/forgot through Flask's
test client, alternating the learner's address and an unknown one (rate limits off, CSRF off): the median
and 95th-percentile time of each answer, the difference of the medians, and the SQL statements
the answer itself sends for each (none of them looks the address up). The reset link itself is
signed and queued beside the answer (`learnapp.auth.recovery.later`); that queue and the mail's delivery
job are finished after each answer, outside the timing. `python -m benchmarks.forgot 400` runs 400 pairs.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def run(repeat: int = 200) -> list[tuple[str, str]]:
    from flask_migrate import upgrade
    from sqlalchemy import event

    from learnapp import create_app
    from learnapp.auth import recovery
    from learnapp.auth.service import register
    from learnapp.extensions import db
    from learnapp.jobs.runner import runner_of

    timings: dict[str, list[float]] = {"known": [], "unknown": []}
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'forgot.db'}",
                "SECRET_KEY": "bench",
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
            }
        )
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
            register("bench", "bench@example.com", "bench password", "Asia/Shanghai", START)
            db.session.remove()
        client = app.test_client()
        statements = {"known": 0, "unknown": 0}
        counting: list[str] = []
        request_thread = threading.get_ident()

        def count(*_args) -> None:
            if counting and threading.get_ident() == request_thread:
                statements[counting[0]] += 1

        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", count)
        addresses = {"known": "bench@example.com", "unknown": "nobody@example.com"}
        for number in range(repeat + 10):  # the first 10 pairs warm up
            for kind in ("known", "unknown") if number % 2 else ("unknown", "known"):
                counting[:] = [kind] if number == 10 else []
                started = time.perf_counter()
                response = client.post("/password/forgot", data={"email": addresses[kind]})
                elapsed = time.perf_counter() - started
                counting.clear()
                response.close()  # as the server does once it has sent the answer
                assert response.status_code == 303, response.status_code
                recovery.later.wait()
                runner_of(app).drain()  # the mail's delivery job, also outside the timing
                if number >= 10:
                    timings[kind].append(elapsed * 1000)
        with app.app_context():
            db.engine.dispose()
    rows = []
    for kind in ("known", "unknown"):
        values = sorted(timings[kind])
        rows.append(
            (
                f"forgot password, {kind} address ({repeat} answers)",
                f"median {statistics.median(values):.2f} ms, p95 {values[int(0.95 * len(values))]:.2f} ms",
            )
        )
    rows.append(
        (
            "forgot password, SQL statements in the answer",
            f"known address {statements['known']}, unknown address {statements['unknown']}",
        )
    )
    gap = statistics.median(timings["known"]) - statistics.median(timings["unknown"])
    rows.append(("forgot password, known minus unknown (medians)", f"{gap:+.3f} ms"))
    return rows


if __name__ == "__main__":
    for name, figure in run(int(sys.argv[1]) if len(sys.argv) > 1 else 200):
        print(f"{name}: {figure}")
