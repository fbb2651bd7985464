"""Learners' card states kept in step with the decks: which cards each learner has, active or not, and the
designed order of new cards. Part of the caller's transaction; bulk statements whatever the class size.
Run after any change to a deck's entries, its visibility, an enrollment or a class assignment."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, Select, and_, case, exists, func, insert, literal, or_, select, update

from learnapp.access import deck_shown_to
from learnapp.database import lock_for_write
from learnapp.extensions import db
from learnapp.models import (
    Card,
    CardState,
    Deck,
    Enrollment,
    Entry,
    MyWord,
    User,
)
from learnapp.srs import State

# The order new cards are introduced in (card_states.new_position), designed so that the first sessions
# show what the app can do while an entry's own cards stay apart:
#   new_position = (entry position + NEW_DELAY[kind]) * NEW_SLOTS + NEW_SLOT[kind]
# An entry is met first as a recognize card; its other cards follow a few entries later, each kind at its
# own delay (context 1, recall 2, send 3, typed 4, tones 5), so that no two cards of one entry share a
# round and they never come back to back. Every deck's entry N lands in the same round, so the queue
# (new_position, then card id) takes one entry of each enrolled deck in turn: a learner of five starter
# decks meets recognize, context and recall cards in their first 30 new cards, and typed, tones and send
# cards soon after. Sibling burying still holds a card back to the next day when a sibling was answered
# today, so the day after, yesterday's words come back from their other sides.
NEW_DELAY = {"recognize": 0, "context": 1, "recall": 2, "send": 3, "typed": 4, "tones": 5}
NEW_SLOT = {"recognize": 0, "context": 1, "recall": 2, "send": 3, "typed": 4, "tones": 5}
NEW_SLOTS = 8  # room for a few more kinds; a kind we do not know comes last in its round
UNKNOWN_KIND_DELAY = 6
# A request makes (or updates) up to this many card states for a deck's learners at once; beyond (a big
# deck assigned to a class, reloaded or imported into), each learner's cards are made on their next visit
# (`make_pending_cards`), so no request waits on a whole class's cards. Setting: EAGER_CARD_STATES.
EAGER_CARD_STATES = 20_000


def _new_position() -> ColumnElement[int]:
    """new_position of a card from its entry's position and its kind (see NEW_DELAY)."""
    delay = case(*((Card.kind == kind, d) for kind, d in NEW_DELAY.items()), else_=UNKNOWN_KIND_DELAY)
    slot = case(*((Card.kind == kind, n) for kind, n in NEW_SLOT.items()), else_=NEW_SLOTS - 1)
    return (Entry.position + delay) * NEW_SLOTS + slot


def new_position(entry_position: int, kind: str) -> int:
    """The same as `_new_position`, in Python (tests and benchmarks)."""
    delay = NEW_DELAY.get(kind, UNKNOWN_KIND_DELAY)
    return (entry_position + delay) * NEW_SLOTS + NEW_SLOT.get(kind, NEW_SLOTS - 1)


def _eager_limit() -> int:
    return int(current_app.config.get("EAGER_CARD_STATES", EAGER_CARD_STATES))


def _defer_to_learners(deck_id: int) -> bool:
    """A deck-wide change too large for one request (a big deck reloaded or imported into while a class
    studies it): each enrolled learner's cards are brought up to date on their next visit instead
    (`make_pending_cards`), before anything of the deck is shown to them. True when deferred."""
    cards = db.session.scalar(select(func.count()).where(Card.deck_id == deck_id, ~Card.retired)) or 0
    enrolled = select(Enrollment.user_id).where(Enrollment.deck_id == deck_id, Enrollment.active)
    learners = db.session.scalar(select(func.count()).select_from(enrolled.subquery())) or 0
    if learners <= 1 or cards * learners <= _eager_limit():
        return False
    db.session.execute(
        update(Enrollment).where(Enrollment.deck_id == deck_id, Enrollment.active).values(pending=True),
        execution_options={"synchronize_session": False},
    )
    db.session.execute(
        update(User).where(User.id.in_(enrolled)).values(decks_pending=True),
        execution_options={"synchronize_session": False},
    )
    return True


def sync_card_states(deck_id: int, user_id: int | None = None, card_ids: Sequence[int] | None = None) -> None:
    """Make card states match the deck and its enrollments: add missing ones, (de)activate the rest.

    Works in bulk statements (no per-card round trips) so a large deck loads quickly. `card_ids` limits
    the work to a few cards (the deck editor adding, deleting or moving one entry) for the learners
    enrolled now, so it costs the same however large the deck and its class; a learner who left the
    deck is brought up to date when they enroll again. A deck-wide sync larger than EAGER_CARD_STATES
    card states is left to each learner's next visit.
    """
    if user_id is None and card_ids is None and _defer_to_learners(deck_id):
        return
    _add_missing_states(deck_id, user_id, card_ids)
    active_users = select(Enrollment.user_id).where(Enrollment.deck_id == deck_id, Enrollment.active)
    if card_ids is None:
        scope = [CardState.deck_id == deck_id]
    else:  # primary-key lookups, (enrolled learner, card): the cards are the deck's
        scope = [CardState.user_id.in_(active_users), CardState.card_id.in_(card_ids)]
    if user_id is not None:
        scope.append(CardState.user_id == user_id)
    deck = db.session.get(Deck, deck_id)
    if deck is None:
        return
    _set_active(deck, scope, active_users)
    _reorder_new_cards(scope, whole_deck=card_ids is None)
    # Cards may have come back into the queue: today's backlog order is decided again on the next visit.
    affected = [user_id] if user_id is not None else active_users
    db.session.execute(
        update(User).where(User.id.in_(affected)).values(backlog_ranked_for=None),
        execution_options={"synchronize_session": False},
    )


def _add_missing_states(deck_id: int, user_id: int | None, card_ids: Sequence[int] | None) -> None:
    """A new card state for each live card of the deck (or of `card_ids`) that an enrolled learner (or
    `user_id`, if enrolled) has none of."""
    enrolled = select(Enrollment.user_id).where(Enrollment.deck_id == deck_id, Enrollment.active)
    if user_id is not None:
        enrolled = enrolled.where(Enrollment.user_id == user_id)
    enrolled_users = enrolled.subquery()
    only = [Card.id.in_(card_ids)] if card_ids is not None else []
    missing = (
        select(
            enrolled_users.c.user_id,
            Card.id,
            Card.deck_id,
            literal(str(State.NEW)),
            _new_position(),
        )
        .select_from(enrolled_users)
        .join(Card, Card.deck_id == deck_id)
        .join(Entry, Entry.id == Card.entry_id)
        .where(
            ~Card.retired,
            ~exists().where(CardState.user_id == enrolled_users.c.user_id, CardState.card_id == Card.id),
            *only,
        )
        # In the order of the indexes, which all start with the user: much faster for many learners.
        .order_by(enrolled_users.c.user_id, Card.id)
    )
    db.session.execute(
        insert(CardState).from_select(["user_id", "card_id", "deck_id", "state", "new_position"], missing)
    )


def _set_active(deck: Deck, scope: list[ColumnElement[bool]], active_users: Select[Any]) -> None:
    """Within `scope`, a card state is active when its card is live and its learner studies the deck (or
    keeps the entry in My words) and may see the deck."""
    live_cards = select(Card.id).where(Card.deck_id == deck.id, ~Card.retired)
    # A learner keeps the cards of an entry they added to "My words" from the reader, enrolled or not.
    kept = exists().where(
        MyWord.user_id == CardState.user_id, MyWord.entry_id == Card.entry_id, Card.id == CardState.card_id
    )
    # A deck made private is its author's (and admins') only: other learners keep their states, inactive.
    shown = deck_shown_to(deck, CardState.user_id)
    should_be_active = and_(
        CardState.card_id.in_(live_cards), or_(CardState.user_id.in_(active_users), kept), shown
    )
    db.session.execute(
        update(CardState).where(*scope, CardState.active != should_be_active).values(active=should_be_active),
        execution_options={"synchronize_session": False},
    )


def _reorder_new_cards(scope: list[ColumnElement[bool]], whole_deck: bool) -> None:
    """Keep not-yet-seen cards in deck order when a deck file is reordered."""
    position = (
        select(_new_position())
        .select_from(Card)
        .join(Entry, Entry.id == Card.entry_id)
        .where(Card.id == CardState.card_id)
        .scalar_subquery()
    )
    if whole_deck:
        reorder = (
            update(CardState).where(*scope, CardState.state == str(State.NEW)).values(new_position=position)
        )
    else:  # no condition on state: it would steer the planner to the (user, state) index
        reorder = (
            update(CardState)
            .where(*scope)
            .values(
                new_position=case((CardState.state == str(State.NEW), position), else_=CardState.new_position)
            )
        )
    db.session.execute(reorder, execution_options={"synchronize_session": False})


def enroll_users(deck_id: int, user_ids: list[int], now: datetime) -> None:
    """Put a deck into several learners' queues at once (a class assignment); earlier progress is kept.

    Part of the caller's transaction. Bulk statements, whatever the class size; when the deck is large
    for the class (more than EAGER_CARD_STATES card states in all), the enrollments are marked pending and
    each learner's cards are made on their next visit instead.
    """
    if not user_ids:
        return
    cards = db.session.scalar(select(func.count()).where(Card.deck_id == deck_id, ~Card.retired)) or 0
    lazy = len(user_ids) > 1 and cards * len(user_ids) > _eager_limit()
    for chunk in (user_ids[i : i + 500] for i in range(0, len(user_ids), 500)):
        known = set(
            db.session.scalars(
                select(Enrollment.user_id).where(Enrollment.deck_id == deck_id, Enrollment.user_id.in_(chunk))
            )
        )
        db.session.execute(
            update(Enrollment)
            .where(Enrollment.deck_id == deck_id, Enrollment.user_id.in_(known), ~Enrollment.active)
            .values(active=True, pending=lazy),
            execution_options={"synchronize_session": False},
        )
        fresh = [
            {"user_id": user_id, "deck_id": deck_id, "active": True, "pending": lazy, "enrolled_at": now}
            for user_id in dict.fromkeys(chunk)
            if user_id not in known
        ]
        if fresh:
            db.session.execute(insert(Enrollment), fresh)
        if lazy:
            db.session.execute(
                update(User).where(User.id.in_(chunk)).values(decks_pending=True),
                execution_options={"synchronize_session": False},
            )
    if lazy:
        return
    if len(user_ids) == 1:
        sync_card_states(deck_id, user_ids[0])
    else:
        sync_card_states(deck_id)


def make_pending_cards(user_id: int) -> None:
    """Make the cards of the decks a class assigned to this learner while they were away (the assignment
    left them pending); part of the caller's transaction. Under the learner's lock, taken before the
    enrollments' (as `enroll` takes them), so the two never wait for each other."""
    lock_for_write(user_id)
    pending = list(
        db.session.scalars(
            select(Enrollment.deck_id)
            .where(Enrollment.user_id == user_id, Enrollment.pending)
            .with_for_update()
        )
    )
    for deck_id in pending:
        sync_card_states(deck_id, user_id)
    db.session.execute(
        update(Enrollment).where(Enrollment.user_id == user_id, Enrollment.pending).values(pending=False),
        execution_options={"synchronize_session": False},
    )
    db.session.execute(
        update(User).where(User.id == user_id).values(decks_pending=False),
        execution_options={"synchronize_session": False},
    )
