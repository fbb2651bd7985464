"""Write decks into the database: deck files by stable ids (update in place, retire what disappeared), and
the columns, cards and lock that every way into the database shares (deck files, the editor, imports).

One deck file is one transaction. Learners' card states and review logs are never deleted here: an entry
that leaves the file is retired (its cards leave the queues), and restored if it comes back. Entries and
cards are written in bulk statements (a deck can hold thousands); ORM objects of the same rows already in
the session are not refreshed, so load before you read them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update

from learnapp.chinese import has_hanzi, pinyin_for, reading_for
from learnapp.chinese.syllables import to_numbered, toneless
from learnapp.content.deckfile import DeckFileError, Problem, parse_deck_file
from learnapp.content.entry import DeckData, EntryData, card_kinds_for
from learnapp.database import transaction
from learnapp.decks.card_states import sync_card_states
from learnapp.extensions import db
from learnapp.models import Card, Deck, Entry

# An entry as ensure_cards needs it: (id, headword, pinyin).
EntryRef = tuple[int, str, str]
_CHUNK = 500


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


def entry_values(data: EntryData) -> dict[str, Any]:
    """An entry's columns from its data: the pinyin filled in when missing (CC-CEDICT, then pypinyin), its
    spoken form and the search columns. Deck files, the editor and imports all write these, so every way
    into the database fills them alike."""
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


def entry_data_of(entry: Entry) -> EntryData:
    """A stored entry as entry data (the inverse of entry_values): what the exporter writes."""
    return EntryData(
        key=entry.key,
        position=entry.position,
        headword=entry.headword,
        pinyin=entry.pinyin,
        spoken=entry.pinyin_spoken,
        literal=entry.literal,
        meaning=entry.meaning,
        notes=entry.notes,
        example_zh=entry.example_zh,
        example_pinyin=entry.example_pinyin,
        example_en=entry.example_en,
        tags=tuple(entry.tags or ()),
        send=(entry.extra or {}).get("send"),
    )


def deck_data_of(deck: Deck) -> DeckData:
    """A stored deck's fields as deck data (without its entries)."""
    return DeckData(
        slug=deck.slug,
        title=deck.title,
        description=deck.description,
        category=deck.category,
        level=deck.level,
        prerequisites=tuple(deck.prerequisites or ()),
        card_kinds=tuple(deck.card_kinds),
        license=deck.license,
        attribution=deck.attribution,
    )


def lock_deck(deck_id: int) -> None:
    """Make the writers of one deck's entries (the editor, imports) wait for each other until the
    transaction ends, so a double submit sees the first one's entries. PostgreSQL locks the deck's row
    (FOR NO KEY UPDATE: enrolments, which reference it, go on); SQLite takes its write lock now, with a
    write, so that what this transaction reads next is what the other one committed."""
    if db.session.get_bind().dialect.name == "sqlite":
        decks = Deck.__table__
        db.session.execute(update(decks).where(decks.c.id == deck_id).values(updated_at=decks.c.updated_at))
    else:
        db.session.execute(select(Deck.id).where(Deck.id == deck_id).with_for_update(key_share=True))


def load_deck(data: DeckData, now: datetime, source_file: str | None = None) -> LoadReport:
    """Upsert one parsed deck and its entries and cards; the caller commits."""
    report = LoadReport(slug=data.slug)
    deck = _upsert_deck(data, now, source_file)
    current = _write_entries(deck.id, data.entries, now, report)
    ensure_cards(deck.id, data.card_kinds, current)
    sync_card_states(deck.id)
    return report


def _upsert_deck(data: DeckData, now: datetime, source_file: str | None) -> Deck:
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
    return deck


def _write_entries(
    deck_id: int, entries: Sequence[EntryData], now: datetime, report: LoadReport
) -> list[EntryRef]:
    """Insert the new entries, update the changed and restored ones, retire those that left the file (and
    their cards), in bulk; count each in `report`. Returns the file's entries, for their cards."""
    columns = [getattr(Entry, name) for name in _ENTRY_FIELDS]
    existing = {
        row.key: row
        for row in db.session.execute(
            select(Entry.id, Entry.key, Entry.retired, *columns).where(Entry.deck_id == deck_id)
        )
    }
    created: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    current: list[EntryRef] = []
    for item in entries:
        values = entry_values(item)
        row = existing.pop(item.key, None)
        if row is None:
            created.append(
                {"deck_id": deck_id, "key": item.key, "retired": False, "updated_at": now, **values}
            )
            report.created += 1
            continue
        current.append((row.id, values["headword"], values["pinyin"]))
        differs = any(getattr(row, name) != values[name] for name in _ENTRY_FIELDS)
        if row.retired:
            report.restored += 1
        elif differs:
            report.updated += 1
        else:
            report.unchanged += 1
        if differs or row.retired:
            changed.append({"id": row.id, "retired": False, "updated_at": now, **values})
    if created:
        inserted = db.session.execute(
            insert(Entry).returning(Entry.id, Entry.headword, Entry.pinyin), created
        )
        current.extend((row.id, row.headword, row.pinyin) for row in inserted)
    if changed:
        db.session.execute(update(Entry), changed)
    gone = [row.id for row in existing.values() if not row.retired]  # what is left has left the file
    if gone:
        db.session.execute(update(Entry), [{"id": i, "retired": True, "updated_at": now} for i in gone])
        retire_cards(gone)
        report.retired = len(gone)
    return current


def ensure_cards(deck_id: int, card_kinds: Sequence[str], entries: Iterable[EntryRef]) -> None:
    """Give each (flushed) entry one live card per kind of its deck that suits it (card_kinds_for),
    reviving retired ones, and retire its cards of kinds it no longer makes. The caller runs
    sync_card_states afterwards."""
    wanted = {
        entry_id: card_kinds_for(card_kinds, headword, pinyin) for entry_id, headword, pinyin in entries
    }
    if not wanted:
        return
    cards: dict[int, dict[str, tuple[int, bool]]] = {}
    query = select(Card.entry_id, Card.kind, Card.id, Card.retired)
    ids = list(wanted)
    chunks = (
        [query.where(Card.deck_id == deck_id)]
        if len(ids) > _CHUNK
        else [
            query.where(Card.entry_id.in_(ids[start : start + _CHUNK]))
            for start in range(0, len(ids), _CHUNK)
        ]
    )
    for statement in chunks:
        for entry_id, kind, card_id, retired in db.session.execute(statement):
            cards.setdefault(entry_id, {})[kind] = (card_id, retired)
    new: list[dict[str, Any]] = []
    flips: list[dict[str, Any]] = []
    for entry_id, kinds in wanted.items():
        have = cards.get(entry_id, {})
        for kind in kinds:
            if kind not in have:
                new.append({"entry_id": entry_id, "deck_id": deck_id, "kind": kind, "retired": False})
            elif have[kind][1]:
                flips.append({"id": have[kind][0], "retired": False})
        flips.extend(
            {"id": card_id, "retired": True}
            for kind, (card_id, retired) in have.items()
            if kind not in kinds and not retired
        )
    if new:
        db.session.execute(insert(Card), new)
    if flips:
        db.session.execute(update(Card), flips)


def retire_cards(entry_ids: Sequence[int]) -> None:
    """Retire every card of these entries (they leave the queues; the caller syncs card states)."""
    for start in range(0, len(entry_ids), _CHUNK):
        chunk = entry_ids[start : start + _CHUNK]
        db.session.execute(update(Card).where(Card.entry_id.in_(chunk)).values(retired=True))


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
        with transaction():  # one file, one transaction
            result.loaded.append(load_deck(data, now, source_file=path.name))
    return result
