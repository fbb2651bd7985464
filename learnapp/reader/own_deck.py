"""The learner's own "My words" deck, which the reader makes on first use (private, studied, found by its
`source_file` whatever its slug), and the entries in it: `own_entry` is THE one place the reader makes an
entry (with the loader's `entry_values` and `ensure_cards`, the learner's card states with them)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import Select, select

from learnapp.content.entry import EntryData
from learnapp.decks.card_states import sync_card_states
from learnapp.decks.loader import ensure_cards, entry_values
from learnapp.extensions import db
from learnapp.models import Card, Deck, Enrollment, Entry, User

MY_WORDS_TITLE = "My words"
MY_WORDS_KINDS = ("recognize",)
MY_WORDS_SOURCE = "reader:my-words"  # decks.source_file of a learner's My words deck


def _my_words_query(user_id: int) -> Select[Deck]:
    """The learner's My words deck: theirs, and made by the reader (`source_file`), whatever its slug."""
    return select(Deck).where(Deck.author_id == user_id, Deck.source_file == MY_WORDS_SOURCE)


def my_words_deck_id(user_id: int) -> int | None:
    return db.session.scalar(_my_words_query(user_id).with_only_columns(Deck.id).limit(1))


def _free_slug(user_id: int) -> str:
    slug = f"my-words-{user_id}"
    while db.session.scalar(select(Deck.id).where(Deck.slug == slug)) is not None:
        slug = f"my-words-{user_id}-{secrets.token_hex(3)}"
    return slug


def my_words_deck(user: User, now: datetime) -> Deck:
    """The learner's private "My words" deck, made (and studied) on first use. Part of the caller's
    transaction, under the learner's lock."""
    deck = db.session.scalar(_my_words_query(user.id).limit(1))
    if deck is None:
        deck = Deck(
            slug=_free_slug(user.id),
            title=MY_WORDS_TITLE,
            description="Words you kept from what you read, each with the sentence you met it in.",
            category="mandarin",
            level=1,
            prerequisites=[],
            card_kinds=list(MY_WORDS_KINDS),
            author_id=user.id,
            visibility="private",
            license="",
            attribution="",
            source_file=MY_WORDS_SOURCE,
            created_at=now,
            updated_at=now,
        )
        db.session.add(deck)
        db.session.flush()
    enrollment = db.session.get(Enrollment, (user.id, deck.id))
    if enrollment is None:
        db.session.add(Enrollment(user_id=user.id, deck_id=deck.id, active=True, enrolled_at=now))
    elif not enrollment.active:
        enrollment.active = True
        db.session.flush()
        sync_card_states(deck.id, user.id)
    db.session.flush()
    return deck


def own_entry_key(headword: str) -> str:
    """A stable key for a word in a learner's deck (the same word gets the same entry back)."""
    return "w-" + hashlib.sha256(headword.encode()).hexdigest()[:20]


def own_entry(deck: Deck, data: EntryData, now: datetime) -> Entry:
    """A word as an entry of the learner's My words deck, with its cards and the learner's card states:
    THE one place the reader makes an entry (the loader's `entry_values` and `ensure_cards`). A word
    removed before comes back in the same entry (its cards and history with it)."""
    entry = db.session.scalar(select(Entry).where(Entry.deck_id == deck.id, Entry.key == data.key))
    values = entry_values(data)
    if entry is None:
        entry = Entry(deck_id=deck.id, key=data.key, updated_at=now, **values)
        db.session.add(entry)
    else:
        values["position"] = entry.position
        for name, value in values.items():
            setattr(entry, name, value)
        entry.retired = False
        entry.updated_at = now
    db.session.flush()
    ensure_cards(deck.id, deck.card_kinds, [(entry.id, entry.headword, entry.pinyin)])
    deck.updated_at = now
    db.session.flush()
    card_ids = list(db.session.scalars(select(Card.id).where(Card.entry_id == entry.id)))
    sync_card_states(deck.id, card_ids=card_ids)
    return entry
