"""My words (sentence mining): keeping the word at a place in a text with its sentence (`add_word`, one
transaction under the learner's lock: a second submit waits, then finds the word and does nothing),
taking it out again (`remove_word`), and the list (`my_words`). A word that is one of our curated entries,
or a word of our word lists (the HSK decks, `word_card.listed_entry`), is linked, not copied: the learner
gets that entry's cards (a `MyWord` row keeps them active, enrolled in the deck or not, and holds the
sentence the word was met in). Any other word becomes an entry of the learner's own deck (`own_deck`),
the sentence as its example."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select, update

from learnapp.content.entry import EntryData
from learnapp.database import lock_for_write, transaction
from learnapp.decks.card_states import new_position, sync_card_states
from learnapp.errors import NotFound, UserError
from learnapp.extensions import db
from learnapp.models import Card, CardState, Deck, Enrollment, Entry, MyWord, User
from learnapp.reader.own_deck import my_words_deck, my_words_deck_id, own_entry, own_entry_key
from learnapp.reader.texts import Readable
from learnapp.reader.word_card import WordCard, listed_entry, word_card
from learnapp.srs import State

MAX_ENGLISH = 300


def _give_entry_cards(user_id: int, entry_id: int) -> None:
    """The learner's card states for one of our entries' live cards, made (or made active again) without
    enrolling them in its deck: the MyWord row keeps them active (see sync_card_states)."""
    cards = db.session.execute(
        select(Card.id, Card.deck_id, Card.kind, Entry.position)
        .join(Entry, Entry.id == Card.entry_id)
        .where(Card.entry_id == entry_id, ~Card.retired)
    ).all()
    have = set(
        db.session.scalars(
            select(CardState.card_id).where(
                CardState.user_id == user_id, CardState.card_id.in_([card.id for card in cards])
            )
        )
    )
    fresh = [
        {
            "user_id": user_id,
            "card_id": card.id,
            "deck_id": card.deck_id,
            "state": str(State.NEW),
            "new_position": new_position(card.position, card.kind),
        }
        for card in cards
        if card.id not in have
    ]
    if fresh:
        db.session.execute(insert(CardState), fresh)
    if have:
        db.session.execute(
            update(CardState)
            .where(CardState.user_id == user_id, CardState.card_id.in_(have), ~CardState.active)
            .values(active=True),
            execution_options={"synchronize_session": False},
        )
        db.session.execute(
            update(User).where(User.id == user_id).values(backlog_ranked_for=None),
            execution_options={"synchronize_session": False},
        )


@dataclass(frozen=True)
class Added:
    entry: Entry
    new: bool  # False: it was in My words already, and nothing changed
    linked: bool  # one of our entries (its cards), not an entry of the learner's deck


@transaction()
def add_word(
    user: User, found: Readable, at: int | None, length: int | None, english: str, now: datetime
) -> Added:
    """Keep the word at `at` in My words with its sentence (and the learner's English for it, if any).
    Adding it again changes nothing."""
    english = " ".join("".join(c for c in (english or "") if c.isprintable()).split())
    if len(english) > MAX_ENGLISH:
        raise UserError(f"Keep the English to {MAX_ENGLISH} characters.", field="english")
    card = word_card(user, found, at, length)
    if not card.addable:
        raise UserError(
            "We have no meaning for this word to put on a card, so it can't be added.", field="english"
        )
    lock_for_write(user.id)
    if card.curated is not None:
        entry = db.session.get(Entry, card.curated.entry_id)
        if entry is None or entry.retired:
            raise NotFound("This entry is no longer in our decks.")
        linked = True
    elif (listed := listed_entry(card.key, card.citation)) is not None:
        entry = listed  # an HSK word: the learner's cards of our entry, not a copy in their own deck
        linked = True
    else:
        entry = _own_word_entry(user, card, english, now)
        linked = False
    if _has_word(user.id, entry.id):
        return Added(entry, new=False, linked=linked)
    db.session.add(
        MyWord(
            user_id=user.id,
            entry_id=entry.id,
            sentence_zh=card.sentence,
            sentence_pinyin=card.sentence_pinyin,
            sentence_en=english,
            text_id=found.text.id if found.own else None,
            added_at=now,
        )
    )
    db.session.flush()
    if linked:
        _give_entry_cards(user.id, entry.id)
    return Added(entry, new=True, linked=linked)


def _own_word_entry(user: User, card: WordCard, english: str, now: datetime) -> Entry:
    """The word as an entry of the learner's own deck: the one they keep already (then nothing changes),
    else made, or brought back, at the end of the deck with the sentence as its example."""
    deck = my_words_deck(user, now)
    entry = db.session.scalar(
        select(Entry).where(Entry.deck_id == deck.id, Entry.key == own_entry_key(card.key))
    )
    if entry is not None and not entry.retired and _has_word(user.id, entry.id):
        return entry
    last = db.session.scalar(select(func.max(Entry.position)).where(Entry.deck_id == deck.id))
    position = (last or 0) + 1
    return own_entry(
        deck,
        EntryData(
            key=own_entry_key(card.key),
            position=position,
            headword=card.key,
            pinyin=card.citation,
            spoken="",
            literal="",
            meaning=card.meaning,
            notes="",
            example_zh=card.sentence,
            example_pinyin=card.sentence_pinyin,
            example_en=english,
            tags=("reader",),
        ),
        now,
    )


def _has_word(user_id: int, entry_id: int) -> bool:
    return db.session.get(MyWord, (user_id, entry_id)) is not None


@dataclass(frozen=True)
class KeptWord:
    entry: Entry
    deck: Deck
    word: MyWord
    linked: bool


def my_words(user: User) -> list[KeptWord]:
    """The learner's kept words, newest first, with their entries (their own or ours)."""
    own_deck = my_words_deck_id(user.id)
    rows = db.session.execute(
        select(MyWord, Entry, Deck)
        .join(Entry, Entry.id == MyWord.entry_id)
        .join(Deck, Deck.id == Entry.deck_id)
        .where(MyWord.user_id == user.id)
        .order_by(MyWord.added_at.desc(), Entry.id.desc())
    ).all()
    return [KeptWord(entry, deck, word, deck.id != own_deck) for word, entry, deck in rows]


@transaction()
def remove_word(user: User, entry_id: int, now: datetime) -> Entry:
    """Take a word out of My words: its cards leave the queue (history kept; adding it again brings them
    back). One of our entries stays in its deck for learners who study that deck."""
    lock_for_write(user.id)
    row = db.session.get(MyWord, (user.id, entry_id))
    if row is None:
        raise NotFound("This word is not in your words.")
    entry = db.session.get(Entry, entry_id)
    assert entry is not None
    db.session.delete(row)
    db.session.flush()
    card_ids = list(db.session.scalars(select(Card.id).where(Card.entry_id == entry.id)))
    if entry.deck_id == my_words_deck_id(user.id):
        entry.retired = True
        entry.updated_at = now
        for card in db.session.scalars(select(Card).where(Card.entry_id == entry.id)):
            card.retired = True
        db.session.flush()
        sync_card_states(entry.deck_id, card_ids=card_ids)
    else:
        enrolled = db.session.scalar(
            select(Enrollment.active).where(
                Enrollment.user_id == user.id, Enrollment.deck_id == entry.deck_id
            )
        )
        if not enrolled:
            db.session.execute(
                update(CardState)
                .where(CardState.user_id == user.id, CardState.card_id.in_(card_ids), CardState.active)
                .values(active=False),
                execution_options={"synchronize_session": False},
            )
    return entry
