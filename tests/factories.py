"""Small real objects for tests: a deck loaded through the real loader, a learner through the real service."""

from __future__ import annotations

from datetime import UTC, datetime

from learnapp.auth.service import register
from learnapp.content.deckfile import parse_deck_text
from learnapp.decks.loader import load_deck
from learnapp.extensions import db

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def deck_text(slug: str = "test-deck", entries: int = 5, kinds: str = '["recognize"]') -> str:
    lines = [f'[deck]\nslug = "{slug}"\ntitle = "Test deck {slug}"\ncard_kinds = {kinds}\n']
    for number in range(1, entries + 1):
        lines.append(f'[[entries]]\nid = "e{number}"\nheadword = "词{number}"\nmeaning = "word {number}"\n')
    return "\n".join(lines)


def make_deck(slug: str = "test-deck", entries: int = 5, kinds: str = '["recognize"]', now=T0):
    report = load_deck(parse_deck_text(deck_text(slug, entries, kinds), f"{slug}.toml"), now)
    db.session.commit()
    return report


def make_user(username: str = "mei", timezone: str = "Asia/Shanghai", **settings):
    user = register(username, f"{username}@example.com", "correct horse", timezone, T0)
    for name, value in settings.items():
        setattr(user, name, value)
    db.session.commit()
    return user
