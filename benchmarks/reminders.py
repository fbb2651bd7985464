"""Daily reminders: what one `flask reminders send` costs with many learners.

A fresh, migrated SQLite database with a 5-entry deck and `learners` learners (2,000 by default, inserted
in bulk) with reminders on at 04:00 (their day's start, so every one of them is due at once) in one of 24
timezones, verified addresses and 5 review cards due each. Timed at the service level: the minute in which
everyone's time has come (claim, count, streak, teaser, both parts rendered, outbox row, delivery into the
embedded default's log, silenced here), then the minutes after, when everyone is settled (the scan every
cron minute pays).
`python -m benchmarks.reminders 10000` runs it for 10,000 learners.
"""

from __future__ import annotations

import logging
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START = datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
ZONES = [f"Etc/GMT{offset:+d}" if offset else "UTC" for offset in range(-12, 12)]


def _build(learners: int) -> None:
    from sqlalchemy import insert, select

    from learnapp.content.deckfile import parse_deck_text
    from learnapp.decks.loader import load_deck
    from learnapp.extensions import db
    from learnapp.models import Card, CardState, Deck, Entry, User

    text = '[deck]\nslug = "bench"\ntitle = "Bench"\ncard_kinds = ["recognize"]\n' + "\n".join(
        f'[[entries]]\nid = "e{n}"\nheadword = "词{n}"\nmeaning = "word {n}"\n' for n in range(5)
    )
    load_deck(parse_deck_text(text, "bench.toml"), START)
    db.session.commit()
    deck_id = db.session.scalar(select(Deck.id))
    card_ids = list(db.session.scalars(select(Card.id).join(Entry).where(Entry.deck_id == deck_id)))
    db.session.execute(
        insert(User),
        [
            {
                "username": f"u{n}",
                "username_key": f"u{n}",
                "email": f"u{n}@example.com",
                "password_hash": "scrypt:bench",
                "timezone": ZONES[n % len(ZONES)],
                "preferences": {},
                "created_at": START,
                "email_verified_at": START,
                "reminder_enabled": True,
                "reminder_minute": 4 * 60,
            }
            for n in range(learners)
        ],
    )
    user_ids = list(db.session.scalars(select(User.id)))
    db.session.execute(
        insert(CardState),
        [
            {
                "user_id": user_id,
                "card_id": card_id,
                "deck_id": deck_id,
                "state": "review",
                "due": START,
                "stability": 10.0,
                "difficulty": 5.0,
                "reps": 1,
                "last_review": START - timedelta(days=10),
            }
            for user_id in user_ids
            for card_id in card_ids
        ],
    )
    db.session.commit()


def run(learners: int = 2_000) -> list[tuple[str, str]]:
    from flask_migrate import upgrade

    from learnapp import create_app
    from learnapp.extensions import db
    from learnapp.reminders.service import send_due

    logging.getLogger("learnapp.mail").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3",
                "SECRET_KEY": "bench",
                "WARM_DICTIONARIES": False,
            }
        )
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
            _build(learners)
            busy = datetime(2026, 3, 3, 7, 0, tzinfo=UTC)
            began = time.perf_counter()
            report = send_due(busy)
            busy_s = time.perf_counter() - began
            assert report.sent == learners, report
            timings = []
            for minute in range(1, 6):
                began = time.perf_counter()
                report = send_due(busy + timedelta(minutes=minute))
                timings.append(time.perf_counter() - began)
                assert report.sent == 0
            idle_ms = sorted(timings)[len(timings) // 2] * 1000
            db.session.remove()
            db.engine.dispose()
    return [
        (f"reminders: a settled minute, {learners:,} learners on", f"{idle_ms:.1f} ms (median of 5)"),
        (
            f"reminders: all {learners:,} due at once",
            f"{busy_s:.1f} s, {busy_s / learners * 1000:.1f} ms a mail (into the log)",
        ),
    ]


if __name__ == "__main__":
    for name, value in run(int(sys.argv[1]) if len(sys.argv) > 1 else 2_000):
        print(f"{name}: {value}")
