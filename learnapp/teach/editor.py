"""The deck editor: a teacher's decks, their settings and entries. One transaction per user action.

Entries get a short random key when they are created, stable forever (the learners' card states hang on
it through the cards). Editing an entry keeps every learner's progress; deleting one retires it, as the
deck loader retires an entry that leaves its file: its cards leave the queues, the history stays.
What the teacher typed goes through the content cleaning rules (learnapp.content.cleaning), the same as a
deck file or an import; pinyin and the search columns are filled as the loader fills them
(`learnapp.decks.loader.entry_values`). Adding and editing entries lock the deck (`lock_deck`), so a form
sent twice at once adds one entry and refuses the second as a duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select

from learnapp.access import deck_for_editing, require_teacher
from learnapp.content.cleaning import kind_problems
from learnapp.content.entry import EntryData
from learnapp.database import lock_for_write, repeat_of, transaction
from learnapp.decks.card_states import sync_card_states
from learnapp.decks.loader import ensure_cards, entry_values, lock_deck
from learnapp.errors import NotFound, UserError
from learnapp.extensions import db
from learnapp.models import Card, ClassDeck, Deck, Enrollment, Entry, User
from learnapp.teach.fields import (
    DeckFields,
    EntryFields,
    deck_values,
    entry_data,
    new_key,
    refuse,
    slug_for,
)

PAGE_SIZE = 100


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


@transaction()
def create_deck(user: User, fields: DeckFields, now: datetime) -> Deck:
    """A new, empty deck written by `user`. The same form sent twice (a double click) makes one deck: the
    second copy waits for the first and gets its deck."""
    require_teacher(user)
    values = deck_values(fields)
    lock_for_write(user.id)
    repeat = repeat_of(Deck, now, Deck.author_id == user.id, Deck.title == values["title"])
    if repeat is not None:
        return repeat
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
    return deck


def get_deck(user: User, slug: str) -> Deck:
    """The deck for its settings page (author or admin)."""
    return deck_for_editing(user, slug)


@transaction()
def update_deck(user: User, slug: str, fields: DeckFields, now: datetime) -> Deck:
    """Change a deck's settings. New card kinds add cards to every entry (learners' queues included);
    dropped kinds retire theirs."""
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
    # Made private, the deck leaves its other learners' queues (their progress kept); made visible again,
    # it comes back (access.py decides who sees a deck).
    privacy_changed = (values["visibility"] == "private") != (deck.visibility == "private")
    for name, value in values.items():
        setattr(deck, name, value)
    deck.updated_at = now
    if kinds_changed:
        db.session.flush()
        live = db.session.execute(
            select(Entry.id, Entry.headword, Entry.pinyin).where(Entry.deck_id == deck.id, ~Entry.retired)
        )
        ensure_cards(deck.id, deck.card_kinds, [(row.id, row.headword, row.pinyin) for row in live])
    if kinds_changed or privacy_changed:
        db.session.flush()
        sync_card_states(deck.id)
    return deck


def _assigned(deck: Deck) -> bool:
    return (
        db.session.scalar(select(ClassDeck.class_id).where(ClassDeck.deck_id == deck.id).limit(1)) is not None
    )


# ---- entries --------------------------------------------------------------------------------------


def _live(deck_id: int) -> Select[Entry]:
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
    """What the deck asks of the entry: a headword of its own, and what its kinds of card need."""
    same = select(Entry.position).where(
        Entry.deck_id == deck.id, ~Entry.retired, Entry.headword == data.headword
    )
    if entry_id is not None:
        same = same.where(Entry.id != entry_id)
    if db.session.scalar(same.limit(1)) is not None:
        raise UserError(f"This deck already has {data.headword}. Edit that entry instead.", field="headword")
    for problem in kind_problems(data, deck.card_kinds):
        raise refuse(problem)


@transaction()
def add_entry(user: User, slug: str, fields: EntryFields, now: datetime) -> Entry:
    """Append an entry with its cards; learners studying the deck get its new cards."""
    deck = deck_for_editing(user, slug)
    lock_deck(deck.id)  # a second submit of the same form waits here, then finds the first one's entry
    taken = set(db.session.scalars(select(Entry.key).where(Entry.deck_id == deck.id)))
    position = (db.session.scalar(select(func.max(Entry.position)).where(Entry.deck_id == deck.id)) or 0) + 1
    data = entry_data(fields, new_key(taken), position)
    _check_entry(deck, data)
    entry = Entry(deck_id=deck.id, key=data.key, updated_at=now, **entry_values(data))
    db.session.add(entry)
    db.session.flush()
    ensure_cards(deck.id, deck.card_kinds, [(entry.id, entry.headword, entry.pinyin)])
    deck.updated_at = now
    db.session.flush()
    sync_card_states(deck.id, card_ids=_card_ids([entry.id]))
    return entry


def _card_ids(entry_ids: list[int]) -> list[int]:
    return list(db.session.scalars(select(Card.id).where(Card.entry_id.in_(entry_ids))))


@transaction()
def update_entry(user: User, slug: str, key: str, fields: EntryFields, now: datetime) -> Entry:
    """Change an entry in place: same key, same cards, so every learner keeps their progress."""
    lock_deck(deck_for_editing(user, slug).id)  # before reading the entry: a concurrent edit has finished
    deck, entry = get_entry(user, slug, key)
    data = entry_data(fields, entry.key, entry.position, send=(entry.extra or {}).get("send"))
    _check_entry(deck, data, entry.id)
    values = entry_values(data)
    values["extra"] = {**(entry.extra or {}), **values["extra"]}
    if any(getattr(entry, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(entry, name, value)
        entry.updated_at = now
        deck.updated_at = now
    return entry


@transaction()
def move_entry(
    user: User, slug: str, key: str, direction: str, now: datetime, seen_at: int | None = None
) -> Entry:
    """Swap an entry with its live neighbour above or below. New cards follow the deck's order. `seen_at`
    is the position the teacher saw: when the entry is no longer there (the same click sent twice, or
    another tab moved it), nothing moves, so a double click moves it one place, not two."""
    if direction not in ("up", "down"):
        raise UserError("Move an entry up or down.")
    lock_deck(deck_for_editing(user, slug).id)  # a second copy waits here, then sees the entry moved
    deck, entry = get_entry(user, slug, key)
    if seen_at is not None and entry.position != seen_at:
        return entry
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
        return entry  # already first (or last): nothing to do
    renumbered = neighbour.position == entry.position
    if renumbered:
        _renumber(deck.id)  # positions tie only after odd imports: then every new card may move
    entry.position, neighbour.position = neighbour.position, entry.position
    entry.updated_at = neighbour.updated_at = deck.updated_at = now
    db.session.flush()
    sync_card_states(deck.id, card_ids=None if renumbered else _card_ids([entry.id, neighbour.id]))
    return entry


def _renumber(deck_id: int) -> None:
    """Give every entry of the deck a distinct position, keeping their order."""
    for number, entry in enumerate(
        db.session.scalars(select(Entry).where(Entry.deck_id == deck_id).order_by(Entry.position, Entry.id)),
        start=1,
    ):
        entry.position = number
    db.session.flush()


@transaction()
def retire_entry(user: User, slug: str, key: str, now: datetime) -> Entry:
    """Delete an entry the safe way: retire it and its cards (out of every queue, history kept)."""
    deck, entry = get_entry(user, slug, key)
    entry.retired = True
    entry.updated_at = deck.updated_at = now
    cards = list(db.session.scalars(select(Card).where(Card.entry_id == entry.id)))
    for card in cards:
        card.retired = True
    db.session.flush()
    sync_card_states(deck.id, card_ids=[card.id for card in cards])
    return entry
