"""The learner's own data: the JSON export (everything) and the review-log CSV for a heavy learner.

A fresh, migrated SQLite database with a deck of 2,000 entries (4,000 cards) and one learner enrolled in
it, every card state in review, with `reviews` answers in the log (20,000 by default; inserted in bulk,
spread over a year).
Each export is built at the service level (queries and serialisation, in memory) several times: median
and worst wall time and median CPU time in milliseconds, the size of the file and the peak memory the
build allocates (tracemalloc, one more run), and the whole download through Flask's test client.
`python -m benchmarks.account 100000` runs it for 100,000 reviews.
"""

from __future__ import annotations

import statistics
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ENTRIES = 2_000


def _deck_toml(entries: int) -> str:
    parts = ['[deck]\nslug = "bench"\ntitle = "Benchmark deck"\ncard_kinds = ["recognize", "recall"]\n']
    for number in range(entries):
        parts.append(
            f'[[entries]]\nid = "e{number}"\nheadword = "词"\npinyin = "cí"\nmeaning = "word {number}"\n'
        )
    return "\n".join(parts)


def _build(reviews: int):
    """Load the deck, register and enroll the learner, bulk-insert `reviews` log rows. Returns the user."""
    from sqlalchemy import insert, select, update

    from learnapp.auth.service import register
    from learnapp.content.deckfile import parse_deck_text
    from learnapp.decks.loader import load_deck
    from learnapp.decks.service import enroll
    from learnapp.extensions import db
    from learnapp.models import CardState, ReviewLog

    load_deck(parse_deck_text(_deck_toml(ENTRIES), "bench.toml"), START)
    db.session.commit()
    user = register("bench", "bench@example.com", "bench password", "Asia/Shanghai", START)
    enroll(user, "bench", START)
    db.session.execute(
        update(CardState)
        .where(CardState.user_id == user.id)
        .values(
            state="review",
            stability=12.5,
            difficulty=5.1,
            reps=5,
            lapses=1,
            due=START + timedelta(days=3),
            last_review=START,
        )
    )
    card_ids = list(db.session.scalars(select(CardState.card_id).where(CardState.user_id == user.id)))
    scheduling = {"state": "review", "stability": 10.0, "difficulty": 5.0, "reps": 4, "lapses": 1}
    rows = []
    for number in range(reviews):
        at = START - timedelta(days=365) + timedelta(minutes=26 * number)
        rows.append(
            {
                "user_id": user.id,
                "card_id": card_ids[number % len(card_ids)],
                "rating": 1 + number % 4,
                "reviewed_at": at,
                "study_day": at.date(),
                "duration_ms": 3_000 + number % 7_000,
                "state_before": "review",
                "state_after": "review" if number % 4 else "relearning",
                "elapsed_days": 3.5,
                "before": scheduling,
                "after": scheduling,
                "undone": number % 97 == 0,
            }
        )
    for offset in range(0, len(rows), 5_000):
        db.session.execute(insert(ReviewLog), rows[offset : offset + 5_000])
    db.session.commit()
    return user


def _time(function, repeat: int) -> tuple[float, float, float, int]:
    """Median and worst wall time and median CPU time (ms; CPU time is steadier on a busy machine)."""
    timings, cpu, size = [], [], 0
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        size = len(function())
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(timings), max(timings), statistics.median(cpu), size


def run(reviews: int = 20_000, repeat: int = 5) -> list[tuple[str, str]]:
    from flask_migrate import upgrade

    from learnapp import create_app
    from learnapp.account import export
    from learnapp.extensions import db
    from learnapp.models import User

    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "account.db"
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
                "SECRET_KEY": "bench",
                "WTF_CSRF_ENABLED": False,
            }
        )
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
            user_id = _build(reviews).id
            db.session.remove()
            user = db.session.get(User, user_id)
            label = f"{reviews:,} reviews, {2 * ENTRIES:,} cards"
            for name, function in (
                ("JSON (everything)", lambda: export.export_json(user, START, lambda token: None)),
                ("CSV (review log)", lambda: export.review_log_csv(user)),
            ):
                median, worst, cpu, size = _time(function, repeat)
                tracemalloc.start()
                function()
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
                rows.append(
                    (
                        f"export {name}, service: {label}",
                        f"median {median:.0f} ms (CPU {cpu:.0f} ms), worst {worst:.0f} ms, "
                        f"{size / 1_000_000:.1f} MB file, peak memory {peak / 1_000_000:.1f} MB",
                    )
                )
            db.session.remove()
            client = app.test_client()
            client.post("/login", data={"login": "bench", "password": "bench password"})
            for name, path in (("JSON", "/account/data/export.json"), ("CSV", "/account/data/reviews.csv")):

                def download(path=path) -> bytes:
                    response = client.get(path)
                    assert response.status_code == 200, response.status_code
                    return response.get_data()

                median, worst, cpu, _ = _time(download, repeat)
                rows.append(
                    (
                        f"export {name}, whole request",
                        f"median {median:.0f} ms (CPU {cpu:.0f} ms), worst {worst:.0f} ms",
                    )
                )
            db.engine.dispose()
    return rows


if __name__ == "__main__":
    import sys

    for name, value in run(reviews=int(sys.argv[1]) if len(sys.argv) > 1 else 20_000):
        print(f"{name}: {value}")
