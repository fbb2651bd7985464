"""Teaching: importing a 5,000-row CSV into a teacher's deck, and exporting it again.

A fresh, migrated SQLite database; a teacher's deck that one learner already studies (so confirming also
puts 10,000 new cards into their queue). Timed at the service level, wall time:

1. upload + parse + preview: `imports.preview_upload` (decode, parse, pinyin for every row from CC-CEDICT
   or pypinyin, store the pending import) and `imports.get_preview` (match every row against the deck).
2. confirm: `imports.confirm` (match again, bulk insert 5,000 entries and 10,000 cards, sync the learner's
   card states, commit).
3. re-import of the same file (5,000 unchanged rows), and the exports (CSV, TOML, Anki .apkg).
4. the deck assigned to a class of 100 learners (1,000,000 card states): joining, the editor's add, move,
   delete and edit of one entry, importing 5,000 more rows (2,000,000 card states then: each learner gets
   the new cards in their queue), and the class dashboard.

Run it alone with `python -c "from benchmarks import teach; print(*teach.run(), sep='\\n')"`.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = 5_000
CLASS_SIZE = 100
STUDIED = 300


def sample_csv(rows: int = ROWS, compounds: bool = False) -> bytes:
    """A realistic file: hanzi headwords of two to four characters (no pinyin: it is looked up), an
    English meaning, a note and tags. `compounds`: other headwords, two words run together."""
    from learnapp.content.deckfile import parse_deck_file

    words: list[str] = []
    for path in sorted((ROOT / "decks").glob("hsk-*.toml")):
        words.extend(entry.headword for entry in parse_deck_file(path).entries)
    seen: list[str] = []
    for word in words:
        if word not in seen:
            seen.append(word)
    while len(seen) < rows:  # pad with made-up compounds if the word lists are short
        seen.append(seen[len(seen) % 500] + seen[(len(seen) * 7) % 500])
    if compounds:
        known = set(seen)
        pairs = (a + b for step in (1, 2, 3) for a, b in zip(seen, seen[step:], strict=False))
        seen = [word for word in dict.fromkeys(pairs) if word not in known and len(word) <= 40]
    lines = ["headword,pinyin,meaning,notes,tags"]
    for number, word in enumerate(seen[:rows]):
        lines.append(f'{word},,"meaning {number}, with a comma","a note on {word}",hsk level{number % 6 + 1}')
    return ("\n".join(lines) + "\n").encode("utf-8")


def run() -> list[tuple[str, str]]:
    from flask_migrate import upgrade
    from sqlalchemy import select, update
    from werkzeug.security import generate_password_hash

    from learnapp import create_app
    from learnapp.chinese import cedict, reading_for
    from learnapp.classes import service as classes
    from learnapp.classes.dashboard import dashboard as class_dashboard
    from learnapp.decks.service import enroll
    from learnapp.extensions import db
    from learnapp.models import Card, CardState, User
    from learnapp.teach import editor, imports

    now = datetime.now(UTC)
    data = sample_csv()
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'teach.db'}", "SECRET_KEY": "bench"}
        )
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
            cedict.glosses("你好")  # load the dictionary first (a server loads it once per process)
            reading_for("你好")

            def account(name: str, role: str) -> User:
                user = User(
                    username=name,
                    username_key=name,
                    email=f"{name}@example.com",
                    password_hash=generate_password_hash("x", method="pbkdf2:sha256:1"),
                    role=role,
                    created_at=now,
                    preferences={},
                )
                db.session.add(user)
                db.session.commit()
                return user

            teacher = account("teacher", "teacher")
            learner = account("learner", "learner")
            deck = editor.create_deck(teacher, editor.DeckFields(title="Big deck", visibility="public"), now)
            enroll(learner, deck.slug, now)

            started = time.perf_counter()
            pending = imports.preview_upload(teacher, deck.slug, "big.csv", data, now)
            preview = imports.get_preview(teacher, deck.slug, pending.token)
            parsed = time.perf_counter() - started
            assert preview.ok and preview.counts["create"] == ROWS, preview.errors[:3]
            rows.append(
                (
                    f"import {ROWS:,} rows ({len(data) / 1024:.0f} KB CSV): upload, parse, preview",
                    f"{parsed:.2f} s",
                )
            )

            started = time.perf_counter()
            report = imports.confirm(teacher, deck.slug, pending.token, now)
            confirmed = time.perf_counter() - started
            assert report.created == ROWS
            rows.append(
                (f"import {ROWS:,} rows: confirm (entries, cards, a learner's queue)", f"{confirmed:.2f} s")
            )
            rows.append((f"import {ROWS:,} rows: total", f"{parsed + confirmed:.2f} s"))

            started = time.perf_counter()
            pending = imports.preview_upload(teacher, deck.slug, "big.csv", data, now)
            imports.get_preview(teacher, deck.slug, pending.token)
            report = imports.confirm(teacher, deck.slug, pending.token, now)
            again = time.perf_counter() - started
            assert report.unchanged == ROWS
            rows.append(
                (f"re-import of the same {ROWS:,} rows (all unchanged), preview + confirm", f"{again:.2f} s")
            )

            for fmt in ("csv", "toml", "apkg"):
                started = time.perf_counter()
                download = imports.export(teacher, deck.slug, fmt)
                elapsed = time.perf_counter() - started
                rows.append(
                    (
                        f"export {ROWS:,} entries as .{fmt}",
                        f"{elapsed:.2f} s ({len(download.data) / 1024:.0f} KB)",
                    )
                )
            classroom = classes.create_class(teacher, classes.ClassFields(name="Big class"), now)
            classes.assign_deck(teacher, classroom.id, deck.slug, now)
            joins = []
            for number in range(CLASS_SIZE):
                member = account(f"member{number}", "learner")
                started = time.perf_counter()
                classes.join(member, classroom.join_code, now)
                joins.append(time.perf_counter() - started)
            rows.append(
                (
                    f"join a class whose deck has {2 * ROWS:,} cards",
                    f"median {statistics.median(joins) * 1000:.0f} ms, worst {max(joins) * 1000:.0f} ms",
                )
            )
            size = f"{ROWS:,}-entry deck, class of {CLASS_SIZE}"
            started = time.perf_counter()
            entry = editor.add_entry(
                teacher, deck.slug, editor.EntryFields(headword="新词", meaning="new"), now
            )
            rows.append(
                (f"editor: add an entry ({size})", f"{(time.perf_counter() - started) * 1000:.0f} ms")
            )
            started = time.perf_counter()
            editor.move_entry(teacher, deck.slug, entry.key, "up", now)
            rows.append(
                (f"editor: move an entry ({size})", f"{(time.perf_counter() - started) * 1000:.0f} ms")
            )
            started = time.perf_counter()
            editor.update_entry(
                teacher, deck.slug, entry.key, editor.EntryFields(headword="新词", meaning="n"), now
            )
            rows.append(
                (f"editor: edit an entry ({size})", f"{(time.perf_counter() - started) * 1000:.0f} ms")
            )
            started = time.perf_counter()
            editor.retire_entry(teacher, deck.slug, entry.key, now)
            rows.append(
                (f"editor: delete an entry ({size})", f"{(time.perf_counter() - started) * 1000:.0f} ms")
            )
            more = sample_csv(compounds=True)
            started = time.perf_counter()
            pending = imports.preview_upload(teacher, deck.slug, "more.csv", more, now)
            imports.get_preview(teacher, deck.slug, pending.token)
            report = imports.confirm(teacher, deck.slug, pending.token, now)
            elapsed = time.perf_counter() - started
            assert report.created == ROWS
            rows.append(
                (
                    f"import {ROWS:,} more rows into the class's deck (+{CLASS_SIZE * 2 * ROWS:,} states)",
                    f"{elapsed:.2f} s",
                )
            )
            # Each learner has studied some cards (a few lapsed) and reviewed them today.
            studied = select(Card.id).where(Card.deck_id == deck.id).order_by(Card.id).limit(STUDIED)
            db.session.execute(
                update(CardState)
                .where(CardState.card_id.in_(studied))
                .values(state="review", due=now, lapses=CardState.card_id % 3)
            )
            db.session.commit()
            started = time.perf_counter()
            class_dashboard(teacher, classroom.id, now)
            elapsed = time.perf_counter() - started
            rows.append(
                (
                    f"class dashboard ({CLASS_SIZE} learners x {4 * ROWS:,} cards, {STUDIED} studied each)",
                    f"{elapsed * 1000:.0f} ms",
                )
            )
            db.session.remove()
            db.engine.dispose()
    return rows
