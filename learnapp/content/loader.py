"""Import deck files into the database by stable ids: update in place, retire what disappeared.

One deck is one transaction. Learners' card states and review logs are never deleted here: an entry that
leaves the file is retired (its cards leave the queues), and restored if it comes back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from learnapp.chinese import has_hanzi, pinyin_for, reading_for
from learnapp.chinese.syllables import to_numbered, toneless
from learnapp.content.deckfile import DeckData, DeckFileError, Problem, card_kinds_for, parse_deck_file
from learnapp.decks.service import sync_card_states
from learnapp.extensions import db
from learnapp.models import Card, Deck, Entry


@dataclass
class LoadReport:
    slug: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    restored: int = 0


@dataclass
class DirectoryReport:
    loaded: list[LoadReport] = field(default_factory=list)
    failed: list[DeckFileError] = field(default_factory=list)


_ENTRY_FIELDS = (
    "headword",
    "pinyin",
    "pinyin_spoken",
    "literal",
    "meaning",
    "notes",
    "example_zh",
    "example_pinyin",
    "example_en",
    "tags",
    "extra",
    "search_pinyin",
    "search_numbered",
    "position",
)


def entry_values(data) -> dict:
    """An entry's columns from its data (a deck file's EntryData, or anything with the same fields): the
    pinyin filled in when missing (CC-CEDICT, then pypinyin), its spoken form and the search columns.
    The deck editor and the importer use it too, so every way into the database fills them alike."""
    pinyin = data.pinyin or (pinyin_for(data.headword) if has_hanzi(data.headword) else "")
    spoken = data.spoken or (reading_for(data.headword, pinyin)[1] if pinyin else "")
    return {
        "headword": data.headword,
        "pinyin": pinyin,
        "pinyin_spoken": spoken if spoken != pinyin else "",
        "literal": data.literal,
        "meaning": data.meaning,
        "notes": data.notes,
        "example_zh": data.example_zh,
        "example_pinyin": data.example_pinyin,
        "example_en": data.example_en,
        "tags": list(data.tags),
        "extra": {"send": dict(data.send)} if data.send else {},
        "search_pinyin": toneless(pinyin),
        "search_numbered": to_numbered(pinyin),
        "position": data.position,
    }


def load_deck(data: DeckData, now: datetime, source_file: str | None = None) -> LoadReport:
    """Upsert one parsed deck and its entries and cards; the caller commits."""
    report = LoadReport(slug=data.slug)
    deck = db.session.scalar(select(Deck).where(Deck.slug == data.slug))
    if deck is None:
        deck = Deck(slug=data.slug, created_at=now)
        db.session.add(deck)
    deck.title = data.title
    deck.description = data.description
    deck.category = data.category
    deck.level = data.level
    deck.prerequisites = list(data.prerequisites)
    deck.card_kinds = list(data.card_kinds)
    deck.license = data.license
    deck.attribution = data.attribution
    deck.source_file = source_file
    deck.updated_at = now
    db.session.flush()

    existing = {
        entry.key: entry for entry in db.session.scalars(select(Entry).where(Entry.deck_id == deck.id))
    }
    cards_by_entry: dict[int, dict[str, Card]] = {}
    for card in db.session.scalars(select(Card).where(Card.deck_id == deck.id)):
        cards_by_entry.setdefault(card.entry_id, {})[card.kind] = card

    seen: set[str] = set()
    current: list[Entry] = []
    for item in data.entries:
        seen.add(item.key)
        values = entry_values(item)
        entry = existing.get(item.key)
        if entry is None:
            entry = Entry(deck_id=deck.id, key=item.key, updated_at=now, **values)
            db.session.add(entry)
            report.created += 1
        else:
            changed = any(getattr(entry, name) != values[name] for name in _ENTRY_FIELDS)
            if entry.retired:
                report.restored += 1
            elif changed:
                report.updated += 1
            else:
                report.unchanged += 1
            if changed or entry.retired:
                for name, value in values.items():
                    setattr(entry, name, value)
                entry.retired = False
                entry.updated_at = now
        current.append(entry)
    db.session.flush()  # one batch of INSERTs for the new entries (a deck can hold thousands)
    ensure_cards(deck.id, data.card_kinds, current, cards_by_entry)

    for key, entry in existing.items():
        if key not in seen and not entry.retired:
            entry.retired = True
            entry.updated_at = now
            report.retired += 1
            for card in cards_by_entry.get(entry.id, {}).values():
                card.retired = True
    db.session.flush()
    sync_card_states(deck.id)
    return report


def ensure_cards(
    deck_id: int,
    card_kinds: Iterable[str],
    entries: Iterable[Entry],
    cards_by_entry: dict[int, dict[str, Card]],
) -> None:
    """Give each (flushed) entry one live card per kind of its deck, reviving retired ones, and retire its
    cards of kinds the deck no longer makes. `cards_by_entry` holds the deck's existing cards by entry id
    and kind. The caller flushes and then runs sync_card_states."""
    deck_kinds = tuple(card_kinds)
    for entry in entries:
        kinds = card_kinds_for(deck_kinds, entry.headword, entry.pinyin)
        cards = cards_by_entry.get(entry.id, {})
        for kind in kinds:
            if kind in cards:
                cards[kind].retired = False
            else:
                db.session.add(Card(entry_id=entry.id, deck_id=deck_id, kind=kind))
        for kind, card in cards.items():
            if kind not in kinds:
                card.retired = True


def deck_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.toml"))


def load_directory(directory: Path, now: datetime, paths: Iterable[Path] | None = None) -> DirectoryReport:
    """Load every deck file; each file is its own transaction, a broken file is rejected whole."""
    result = DirectoryReport()
    slugs: dict[str, Path] = {}
    for path in paths if paths is not None else deck_files(directory):
        try:
            data = parse_deck_file(path)
        except DeckFileError as error:
            result.failed.append(error)
            continue
        if data.slug in slugs:
            # Loading both would let the second file retire the first one's entries.
            message = f"{data.slug!r} is also the slug of {slugs[data.slug].name}"
            result.failed.append(DeckFileError([Problem(str(path), None, "deck.slug", message)]))
            continue
        slugs[data.slug] = path
        try:
            result.loaded.append(load_deck(data, now, source_file=path.name))
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    return result
