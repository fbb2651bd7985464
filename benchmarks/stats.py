"""The stats page and the dashboard's glance for a heavy learner.

A fresh database migrated by the real migrations (a temporary SQLite file, or the PostgreSQL database
given with --database, whose public schema is dropped and rebuilt, and vacuumed and analysed after the
bulk insert as autovacuum would), a deck of 2,000 entries (4,000 cards), one learner enrolled in it whose
card states are spread over new, learning, review and relearning, and `reviews` answers in the log
(100,000 by default) over the last two years up to now, 30 to 250 a day with a day off now and then,
inserted in bulk with the study day the learner had. Timed, several times each (median and worst wall
time in ms, and the median CPU time): `stats.service.stats()` and `glance()` at the service level, and the
whole GET /stats and GET / (the dashboard) through Flask's test client.

    python -m benchmarks.stats                       # SQLite, 100,000 reviews
    python -m benchmarks.stats --reviews 20000
    python -m benchmarks.stats --database postgresql+psycopg://postgres@127.0.0.1:5432/NAME
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENTRIES = 2_000
DAYS = 730
TIMEZONE = "America/New_York"


def _deck_toml(entries: int) -> str:
    parts = ['[deck]\nslug = "bench"\ntitle = "Benchmark deck"\ncard_kinds = ["recognize", "recall"]\n']
    for number in range(entries):
        parts.append(
            f'[[entries]]\nid = "e{number}"\nheadword = "词"\npinyin = "cí"\nmeaning = "word {number}"\n'
        )
    return "\n".join(parts)


def _per_day(reviews: int, seed: int) -> list[int]:
    """Answers on each of the last DAYS days (oldest first, today last), summing to `reviews`."""
    rng = random.Random(seed)
    weights = [0.0 if rng.random() < 0.08 else rng.uniform(30, 250) for _ in range(DAYS)]
    weights[-1] = 40.0  # today has some
    scale = reviews / sum(weights)
    counts = [int(weight * scale) for weight in weights]
    counts[-1] += reviews - sum(counts)
    return counts


def _spread_states(user_id: int, card_ids: list[int], now: datetime, rng: random.Random) -> None:
    from sqlalchemy import update

    from learnapp.extensions import db
    from learnapp.models import CardState

    for index, card_id in enumerate(card_ids):
        kind = index % 20
        state = "new" if kind < 3 else "learning" if kind < 4 else "relearning" if kind == 4 else "review"
        values = {"state": state, "reps": 0 if state == "new" else 5, "suspended": kind == 19}
        if state != "new":
            values |= {
                "stability": rng.uniform(0.5, 120.0),
                "difficulty": rng.uniform(2.0, 9.0),
                "due": now + timedelta(hours=rng.uniform(-72, 24 * 45)),
                "last_review": now - timedelta(days=rng.uniform(0, 30)),
                "step": 0 if state in ("learning", "relearning") else None,
            }
        db.session.execute(
            update(CardState)
            .where(CardState.user_id == user_id, CardState.card_id == card_id)
            .values(**values)
        )
    db.session.commit()


def _log_rows(user_id: int, card_ids: list[int], reviews: int, now: datetime, seed: int) -> list[dict]:
    from learnapp.srs.queue import learner_day

    rng = random.Random(seed)
    scheduling = {"state": "review", "stability": 10.0, "difficulty": 5.0, "reps": 4, "lapses": 1}
    rows = []
    number = 0
    for back, count in enumerate(reversed(_per_day(reviews, seed))):
        day_start = learner_day(now - timedelta(days=back), TIMEZONE, 4).start
        for _ in range(count):
            at = min(day_start + timedelta(seconds=30 * rng.randrange(2_000)), now - timedelta(seconds=1))
            state_before = rng.choices(("new", "learning", "review", "relearning"), (10, 15, 70, 5))[0]
            rows.append(
                {
                    "user_id": user_id,
                    "card_id": card_ids[number % len(card_ids)],
                    "rating": rng.choices((1, 2, 3, 4), (12, 8, 70, 10))[0],
                    "reviewed_at": at,
                    "study_day": datetime.fromisoformat(learner_day(at, TIMEZONE, 4).local_date).date(),
                    "duration_ms": None if rng.random() < 0.02 else rng.randrange(1_500, 40_000),
                    "state_before": state_before,
                    "state_after": "review",
                    "elapsed_days": 3.5,
                    "before": scheduling,
                    "after": scheduling,
                    "undone": rng.random() < 0.01,
                }
            )
            number += 1
    return rows


def _build(reviews: int, now: datetime, seed: int = 7):
    """Load the deck, register and enroll the learner, spread the card states, bulk-insert the log."""
    from sqlalchemy import insert, select

    from learnapp.auth.service import register
    from learnapp.content.deckfile import parse_deck_text
    from learnapp.decks.loader import load_deck
    from learnapp.decks.service import enroll
    from learnapp.extensions import db
    from learnapp.models import CardState, ReviewLog, User

    start = now - timedelta(days=DAYS)
    load_deck(parse_deck_text(_deck_toml(ENTRIES), "bench.toml"), start)
    db.session.commit()
    user = register("bench", "bench@example.com", "bench password", TIMEZONE, start)
    user.onboarding_step = "done"
    enroll(user, "bench", start)
    user_id = user.id
    card_ids = list(db.session.scalars(select(CardState.card_id).where(CardState.user_id == user_id)))
    _spread_states(user_id, card_ids, now, random.Random(seed))
    rows = _log_rows(user_id, card_ids, reviews, now, seed)
    for offset in range(0, len(rows), 5_000):
        db.session.execute(insert(ReviewLog), rows[offset : offset + 5_000])
    db.session.commit()
    db.session.remove()
    return db.session.get(User, user_id)


def _timed(function: Callable[[], object], repeat: int) -> str:
    """Median and worst wall time and median CPU time in ms (CPU time is steadier on a busy machine; the
    database's own work is in it for SQLite, not for PostgreSQL's server process), after a warm-up call."""
    function()
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return (
        f"median {statistics.median(wall):.1f} ms (CPU {statistics.median(cpu):.1f} ms), "
        f"worst {max(wall):.1f} ms"
    )


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def run(reviews: int = 100_000, repeat: int = 9, database: str | None = None) -> list[tuple[str, str]]:
    from flask_migrate import upgrade

    from learnapp import create_app
    from learnapp.database import vacuum_analyze
    from learnapp.extensions import db
    from learnapp.models import User, utcnow
    from learnapp.stats import service

    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        if database:
            _reset_postgres(database)
            url, engine_name = database, "PostgreSQL"
        else:
            url, engine_name = f"sqlite:///{Path(tmp) / 'stats.db'}", "SQLite"
        # No CC-CEDICT warm-up thread: its seconds of work would be counted in this process's CPU time.
        config = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False}
        app = create_app(config | {"WARM_DICTIONARIES": False})
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
            now = utcnow()
            user_id = _build(reviews, now).id
            if database:
                vacuum_analyze()
            label = f"{engine_name}, {reviews:,} reviews, {2 * ENTRIES:,} cards"
            user = db.session.get(User, user_id)
            for name, function in (
                ("stats.service.stats()", lambda: service.stats(user, now)),
                ("stats.service.glance()", lambda: service.glance(user, now)),
            ):
                rows.append((f"{name}: {label}", _timed(function, repeat)))
            db.session.remove()
            client = app.test_client()
            response = client.post("/login", data={"login": "bench", "password": "bench password"})
            assert response.status_code in (302, 303), response.status_code
            for name, path in (("GET /stats", "/stats"), ("GET / (dashboard)", "/")):

                def fetch(path: str = path) -> bytes:
                    response = client.get(path)
                    assert response.status_code == 200, response.status_code
                    db.session.remove()
                    return response.get_data()

                rows.append((f"{name}, whole request: {label}", _timed(fetch, repeat)))
            db.session.remove()
            db.engine.dispose()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--database", help="a PostgreSQL URL (its public schema is dropped); SQLite if none")
    args = parser.parse_args()
    for name, value in run(args.reviews, args.repeat, args.database):
        print(f"{name}: {value}")


if __name__ == "__main__":
    main()
