"""The deck editor: a teacher's decks, their settings and entries. One commit per user action.

Entries get a short random key when they are created, stable forever (the learners' card states hang on
it through the cards). Editing an entry keeps every learner's progress; deleting one retires it, as the
deck loader retires an entry that leaves its file: its cards leave the queues, the history stays.
Pinyin and the search columns are filled exactly as the loader fills them (`loader.entry_values`).
"""

from __future__ import annotations

import re
import secrets
import string
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from learnapp.chinese import cedict, has_hanzi, reading_for
from learnapp.chinese.syllables import numbered_to_marked
from learnapp.content.deckfile import CATEGORIES, EntryData, pinyin_problems
from learnapp.content.loader import ensure_cards, entry_values
from learnapp.decks.service import sync_card_states
from learnapp.errors import NotFound, UserError
from learnapp.extensions import db
from learnapp.models import VISIBILITIES, Card, ClassDeck, Deck, Enrollment, Entry, User
from learnapp.teach.access import deck_for_editing, require_teacher

# Kinds a teacher's deck can make. "send" needs a curated situation per entry: deck files only.
EDITOR_CARD_KINDS = ("recognize", "recall", "context")
CARD_KIND_LABELS = {
    "recognize": "Recognize: see the word, recall the meaning",
    "recall": "Recall: see the meaning, produce the word",
    "context": "Context: what does it mean in the example sentence?",
}
VISIBILITY_LABELS = {
    "private": "Private: only you (and admins)",
    "unlisted": "Unlisted: anyone with the link, not in the catalogue",
    "public": "Public: in the catalogue for everyone",
}
PAGE_SIZE = 100
MAX_TEXT = 2000
MAX_TAGS = 20
LIMITS = {"title": 120, "headword": 120, "pinyin": 255, "tag": 40}
_KEY_ALPHABET = string.ascii_lowercase + string.digits
_SLUG_PART = re.compile(r"[^a-z0-9]+")
_TAG_SPLIT = re.compile(r"[,，、;；\n]+")


@dataclass(frozen=True)
class DeckFields:
    title: str
    description: str = ""
    category: str = "mandarin"
    level: int = 1
    visibility: str = "private"
    card_kinds: tuple[str, ...] = ("recognize", "recall")


@dataclass(frozen=True)
class EntryFields:
    headword: str
    meaning: str
    pinyin: str = ""
    literal: str = ""
    notes: str = ""
    example_zh: str = ""
    example_pinyin: str = ""
    example_en: str = ""
    tags: str = ""  # as typed: words separated by commas


@dataclass(frozen=True)
class DeckRow:
    deck: Deck
    entries: int
    learners: int


@dataclass(frozen=True)
class EditorPage:
    deck: Deck
    entries: list[Entry]
    total: int
    learners: int
    page: int
    pages: int
    first_position: int  # the number shown beside the first entry of the page

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


@dataclass(frozen=True)
class PinyinPreview:
    headword: str
    citation: str = ""
    spoken: str = ""
    other_readings: tuple[str, ...] = ()
    glosses: tuple[str, ...] = field(default_factory=tuple)


# ---- cleaning input -------------------------------------------------------------------------------


def clean(value: str | None, limit: int = MAX_TEXT, name: str = "", label: str = "This") -> str:
    """Strip a value and drop control characters (PostgreSQL refuses NUL); too long is the user's to fix."""
    text = "".join(
        char for char in (value or "") if char in "\n\t" or unicodedata.category(char)[0] != "C"
    ).strip()
    text = text.replace("\r", "")
    if len(text) > limit:
        raise UserError(f"{label} is longer than {limit} characters.", field=name or None)
    return text


def clean_line(value: str | None, limit: int, name: str, label: str) -> str:
    """One line of text: runs of whitespace (newlines too) become one space."""
    text = " ".join(clean(value, 10 * limit + 100, name, label).split())
    if len(text) > limit:
        raise UserError(f"{label} is longer than {limit} characters.", field=name)
    return text


def parse_tags(raw: str | None) -> list[str]:
    """ "Shopping, verb" -> ["shopping", "verb"]: lowercase, no repeats, at most MAX_TAGS."""
    tags: list[str] = []
    for piece in _TAG_SPLIT.split(clean(raw, MAX_TEXT, "tags", "Tags")):
        tag = " ".join(piece.split()).lower()
        if not tag:
            continue
        if len(tag) > LIMITS["tag"]:
            raise UserError(f"A tag is longer than {LIMITS['tag']} characters: {tag[:20]}…", field="tags")
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise UserError(f"At most {MAX_TAGS} tags.", field="tags")
    return tags


def normalize_pinyin(headword: str, raw: str) -> str:
    """Citation pinyin as the teacher typed it, in tone marks; tone numbers (xie4 xie5) are converted.

    Raises UserError (field "pinyin") naming what is wrong: unknown syllables, or a count that does not
    match the characters.
    """
    pinyin = " ".join(raw.split())
    if not pinyin:
        return ""
    problems = pinyin_problems(headword, pinyin, "")
    if problems:
        converted = numbered_to_marked(pinyin)
        if converted and not pinyin_problems(headword, converted, ""):
            return converted
        raise UserError(f"Pinyin: {problems[0][1]}.", field="pinyin")
    return pinyin


def entry_data(fields: EntryFields, key: str, position: int, send: dict | None = None) -> EntryData:
    """Validated entry data from what the teacher typed (the same shape a deck file gives the loader)."""
    headword = clean_line(fields.headword, LIMITS["headword"], "headword", "The word")
    if not headword:
        raise UserError("Enter the word or phrase (hanzi, emoji, or letters).", field="headword")
    meaning = clean(fields.meaning, MAX_TEXT, "meaning", "The meaning")
    if not meaning:
        raise UserError("Enter what it means in English.", field="meaning")
    pinyin = normalize_pinyin(headword, clean_line(fields.pinyin, LIMITS["pinyin"], "pinyin", "Pinyin"))
    return EntryData(
        key=key,
        position=position,
        headword=headword,
        pinyin=pinyin,
        spoken="",
        literal=clean(fields.literal, MAX_TEXT, "literal", "The literal meaning"),
        meaning=meaning,
        notes=clean(fields.notes, MAX_TEXT, "notes", "The usage note"),
        example_zh=clean(fields.example_zh, MAX_TEXT, "example_zh", "The example"),
        example_pinyin=clean(fields.example_pinyin, MAX_TEXT, "example_pinyin", "The example's pinyin"),
        example_en=clean(fields.example_en, MAX_TEXT, "example_en", "The example's translation"),
        tags=tuple(parse_tags(fields.tags)),
        send=send,
    )


def deck_values(fields: DeckFields) -> dict:
    title = clean_line(fields.title, LIMITS["title"], "title", "The title")
    if not title:
        raise UserError("Give the deck a title.", field="title")
    if fields.category not in CATEGORIES:
        raise UserError("Pick a category from the list.", field="category")
    if not 1 <= fields.level <= 9:
        raise UserError("The level is a number from 1 to 9.", field="level")
    if fields.visibility not in VISIBILITIES:
        raise UserError("Pick who can see the deck.", field="visibility")
    kinds = tuple(kind for kind in EDITOR_CARD_KINDS if kind in fields.card_kinds)
    if not kinds or len(kinds) != len(set(fields.card_kinds)):
        raise UserError("Pick at least one kind of card.", field="card_kinds")
    return {
        "title": title,
        "description": clean(fields.description, MAX_TEXT, "description", "The description"),
        "category": fields.category,
        "level": fields.level,
        "visibility": fields.visibility,
        "card_kinds": list(kinds),
    }


def slug_for(title: str) -> str:
    """The title in lowercase ASCII plus a random suffix: "Café words!" -> "cafe-words-x7k2qa"."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    base = _SLUG_PART.sub("-", ascii_title).strip("-")[:50].strip("-") or "deck"
    while True:
        slug = f"{base}-{''.join(secrets.choice(_KEY_ALPHABET) for _ in range(6))}"
        if db.session.scalar(select(Deck.id).where(Deck.slug == slug)) is None:
            return slug


def new_key(taken: set[str]) -> str:
    """A short random entry key, unique in its deck: the entry's id for good."""
    while True:
        key = "".join(secrets.choice(_KEY_ALPHABET) for _ in range(8))
        if key not in taken:
            return key


# ---- decks ----------------------------------------------------------------------------------------


def my_decks(user: User) -> list[DeckRow]:
    """The decks `user` wrote, newest first, with their size and how many learners study them."""
    require_teacher(user)
    decks = list(
        db.session.scalars(
            select(Deck).where(Deck.author_id == user.id).order_by(Deck.created_at.desc(), Deck.id.desc())
        )
    )
    ids = [deck.id for deck in decks]
    entries = dict(
        db.session.execute(
            select(Entry.deck_id, func.count())
            .where(Entry.deck_id.in_(ids), ~Entry.retired)
            .group_by(Entry.deck_id)
        ).all()
    )
    learners = _learner_counts(ids)
    return [DeckRow(deck, entries.get(deck.id, 0), learners.get(deck.id, 0)) for deck in decks]


def _learner_counts(deck_ids: list[int]) -> dict[int, int]:
    if not deck_ids:
        return {}
    return dict(
        db.session.execute(
            select(Enrollment.deck_id, func.count())
            .where(Enrollment.deck_id.in_(deck_ids), Enrollment.active)
            .group_by(Enrollment.deck_id)
        ).all()
    )


def create_deck(user: User, fields: DeckFields, now: datetime) -> Deck:
    """A new, empty deck written by `user`. Commits."""
    require_teacher(user)
    values = deck_values(fields)
    deck = Deck(
        slug=slug_for(values["title"]),
        author_id=user.id,
        prerequisites=[],
        license="",
        attribution="",
        created_at=now,
        updated_at=now,
        **values,
    )
    db.session.add(deck)
    db.session.commit()
    return deck


def get_deck(user: User, slug: str) -> Deck:
    """The deck for its settings page (author or admin)."""
    return deck_for_editing(user, slug)


def update_deck(user: User, slug: str, fields: DeckFields, now: datetime) -> Deck:
    """Change a deck's settings. New card kinds add cards to every entry (learners' queues included);
    dropped kinds retire theirs. Commits."""
    deck = deck_for_editing(user, slug)
    values = deck_values(fields)
    if values["visibility"] == "private" and deck.visibility != "private" and _assigned(deck):
        raise UserError(
            "This deck is assigned to a class, whose learners must be able to open it. Unassign it first, "
            "or make it unlisted.",
            field="visibility",
        )
    kinds_changed = list(values["card_kinds"]) != list(deck.card_kinds)
    if kinds_changed and "context" in values["card_kinds"]:
        missing = db.session.scalar(
            select(func.count()).where(Entry.deck_id == deck.id, ~Entry.retired, Entry.example_zh == "")
        )
        if missing:
            raise UserError(
                f"{missing} {'entry has' if missing == 1 else 'entries have'} no example sentence, which "
                "context cards show. Add examples first.",
                field="card_kinds",
            )
    for name, value in values.items():
        setattr(deck, name, value)
    deck.updated_at = now
    if kinds_changed:
        live = list(db.session.scalars(select(Entry).where(Entry.deck_id == deck.id, ~Entry.retired)))
        db.session.flush()
        ensure_cards(deck.id, deck.card_kinds, live, _cards_by_entry(deck.id))
        db.session.flush()
        sync_card_states(deck.id)
    db.session.commit()
    return deck


def _assigned(deck: Deck) -> bool:
    return (
        db.session.scalar(select(ClassDeck.class_id).where(ClassDeck.deck_id == deck.id).limit(1)) is not None
    )


def _cards_by_entry(deck_id: int) -> dict[int, dict[str, Card]]:
    cards: dict[int, dict[str, Card]] = {}
    for card in db.session.scalars(select(Card).where(Card.deck_id == deck_id)):
        cards.setdefault(card.entry_id, {})[card.kind] = card
    return cards


# ---- entries --------------------------------------------------------------------------------------


def _live(deck_id: int):
    return select(Entry).where(Entry.deck_id == deck_id, ~Entry.retired)


def editor_page(user: User, slug: str, page: int = 1) -> EditorPage:
    """One page of a deck's live entries, in order, for the editor."""
    deck = deck_for_editing(user, slug)
    total = db.session.scalar(select(func.count()).select_from(_live(deck.id).subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    entries = list(
        db.session.scalars(
            _live(deck.id).order_by(Entry.position, Entry.id).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
        )
    )
    return EditorPage(
        deck=deck,
        entries=entries,
        total=total,
        learners=_learner_counts([deck.id]).get(deck.id, 0),
        page=page,
        pages=pages,
        first_position=(page - 1) * PAGE_SIZE + 1,
    )


def last_page(user: User, slug: str) -> EditorPage:
    return editor_page(user, slug, page=10**9)


def get_entry(user: User, slug: str, key: str) -> tuple[Deck, Entry]:
    deck = deck_for_editing(user, slug)
    entry = db.session.scalar(_live(deck.id).where(Entry.key == key))
    if entry is None:
        raise NotFound("There is no such entry in this deck.")
    return deck, entry


def _check_entry(deck: Deck, data: EntryData, entry_id: int | None = None) -> None:
    same = select(Entry.position).where(
        Entry.deck_id == deck.id, ~Entry.retired, Entry.headword == data.headword
    )
    if entry_id is not None:
        same = same.where(Entry.id != entry_id)
    if db.session.scalar(same.limit(1)) is not None:
        raise UserError(f"This deck already has {data.headword}. Edit that entry instead.", field="headword")
    if "context" in deck.card_kinds and not data.example_zh:
        raise UserError("This deck makes context cards: add an example sentence.", field="example_zh")


def add_entry(user: User, slug: str, fields: EntryFields, now: datetime) -> Entry:
    """Append an entry with its cards; learners studying the deck get its new cards. Commits."""
    deck = deck_for_editing(user, slug)
    taken = set(db.session.scalars(select(Entry.key).where(Entry.deck_id == deck.id)))
    position = (db.session.scalar(select(func.max(Entry.position)).where(Entry.deck_id == deck.id)) or 0) + 1
    data = entry_data(fields, new_key(taken), position)
    _check_entry(deck, data)
    entry = Entry(deck_id=deck.id, key=data.key, updated_at=now, **entry_values(data))
    db.session.add(entry)
    db.session.flush()
    ensure_cards(deck.id, deck.card_kinds, [entry], {})
    deck.updated_at = now
    db.session.flush()
    sync_card_states(deck.id, card_ids=_card_ids([entry.id]))
    db.session.commit()
    return entry


def _card_ids(entry_ids: list[int]) -> list[int]:
    return list(db.session.scalars(select(Card.id).where(Card.entry_id.in_(entry_ids))))


def update_entry(user: User, slug: str, key: str, fields: EntryFields, now: datetime) -> Entry:
    """Change an entry in place: same key, same cards, so every learner keeps their progress. Commits."""
    deck, entry = get_entry(user, slug, key)
    send = (entry.extra or {}).get("send")
    data = entry_data(fields, entry.key, entry.position, send=send)
    _check_entry(deck, data, entry.id)
    values = entry_values(data)
    values["extra"] = {**(entry.extra or {}), **values["extra"]}
    if any(getattr(entry, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(entry, name, value)
        entry.updated_at = now
        deck.updated_at = now
    db.session.commit()
    return entry


def move_entry(user: User, slug: str, key: str, direction: str, now: datetime) -> Entry:
    """Swap an entry with its live neighbour above or below. New cards follow the deck's order. Commits."""
    if direction not in ("up", "down"):
        raise UserError("Move an entry up or down.")
    deck, entry = get_entry(user, slug, key)
    order = (Entry.position, Entry.id)
    if direction == "up":
        neighbour_query = _live(deck.id).where(
            (Entry.position < entry.position) | ((Entry.position == entry.position) & (Entry.id < entry.id))
        )
        neighbour_query = neighbour_query.order_by(Entry.position.desc(), Entry.id.desc())
    else:
        neighbour_query = _live(deck.id).where(
            (Entry.position > entry.position) | ((Entry.position == entry.position) & (Entry.id > entry.id))
        )
        neighbour_query = neighbour_query.order_by(*order)
    neighbour = db.session.scalar(neighbour_query.limit(1))
    if neighbour is None:
        db.session.commit()
        return entry  # already first (or last): nothing to do
    renumbered = neighbour.position == entry.position
    if renumbered:
        _renumber(deck.id)  # positions tie only after odd imports: then every new card may move
    entry.position, neighbour.position = neighbour.position, entry.position
    entry.updated_at = neighbour.updated_at = deck.updated_at = now
    db.session.flush()
    sync_card_states(deck.id, card_ids=None if renumbered else _card_ids([entry.id, neighbour.id]))
    db.session.commit()
    return entry


def _renumber(deck_id: int) -> None:
    """Give every entry of the deck a distinct position, keeping their order."""
    for number, entry in enumerate(
        db.session.scalars(select(Entry).where(Entry.deck_id == deck_id).order_by(Entry.position, Entry.id)),
        start=1,
    ):
        entry.position = number
    db.session.flush()


def retire_entry(user: User, slug: str, key: str, now: datetime) -> Entry:
    """Delete an entry the safe way: retire it and its cards (out of every queue, history kept). Commits."""
    deck, entry = get_entry(user, slug, key)
    entry.retired = True
    entry.updated_at = deck.updated_at = now
    cards = list(db.session.scalars(select(Card).where(Card.entry_id == entry.id)))
    for card in cards:
        card.retired = True
    db.session.flush()
    sync_card_states(deck.id, card_ids=[card.id for card in cards])
    db.session.commit()
    return entry


# ---- the live pinyin preview ----------------------------------------------------------------------


def pinyin_preview(user: User, headword: str) -> PinyinPreview:
    """Suggested citation pinyin (CC-CEDICT, then pypinyin with our overrides), its spoken form, and
    CC-CEDICT's English glosses to pick from. Reads nothing from the database."""
    require_teacher(user)
    text = " ".join("".join(c for c in (headword or "") if c.isprintable()).split())[: LIMITS["headword"]]
    if not has_hanzi(text):
        return PinyinPreview(headword=text)
    citation, spoken = reading_for(text)
    others = tuple(reading for reading in cedict.readings(text) if reading != citation)
    return PinyinPreview(
        headword=text,
        citation=citation,
        spoken=spoken,
        other_readings=others,
        glosses=cedict.glosses(text, citation),
    )


def suggested_pinyin(headword: str) -> str:
    """What the preview suggests for a headword ("" without hanzi): an edit form starts from it, so the
    pinyin follows a changed headword unless the teacher had written their own."""
    return reading_for(headword)[0] if has_hanzi(headword) else ""
