"""The two big lists of the learner's export: their card states and every answer they gave (a heavy learner
has tens of thousands), read through prebuilt Core statements as plain tuples, with no ORM row processing
(benchmarks/account.py), and handed on lazily, so they are never all in memory as dicts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Boolean, Integer, bindparam, case, null, select
from sqlalchemy.sql.elements import ColumnElement, Label

from learnapp.access import is_admin, shown_by_params
from learnapp.extensions import db
from learnapp.models import Card, CardState, Deck, Entry, ReviewLog, User
from learnapp.srs import Rating

RATING_NAMES = {int(rating): rating.label for rating in Rating}

_cs = CardState.__table__
_logs = ReviewLog.__table__
_cards = Card.__table__
_entries = Entry.__table__
_decks = Deck.__table__
# A deck the learner may no longer see (made private by its author): their rows stay, without the author's
# content (its address, the entry's key and headword); access.py decides who sees a deck.
_SHOWN = shown_by_params(bindparam("user_id", type_=Integer()), bindparam("admin", type_=Boolean()))


def if_shown(column: ColumnElement[Any]) -> Label[Any]:
    """The column, or NULL where the deck is not shown to the learner."""
    return case((_SHOWN, column), else_=null()).label(column.key)


def params(user: User) -> dict[str, Any]:
    return {"user_id": user.id, "admin": is_admin(user)}


_CARD_STATES = (
    select(
        if_shown(_decks.c.slug),
        if_shown(_entries.c.key),
        if_shown(_entries.c.headword),
        _cards.c.kind,
        _cs.c.state,
        _cs.c.due,
        _cs.c.stability,
        _cs.c.difficulty,
        _cs.c.reps,
        _cs.c.lapses,
        _cs.c.suspended,
        _cs.c.leech,
        _cs.c.active,
        _cs.c.last_review,
    )
    .select_from(
        _cs.join(_cards, _cards.c.id == _cs.c.card_id)
        .join(_entries, _entries.c.id == _cards.c.entry_id)
        .join(_decks, _decks.c.id == _cs.c.deck_id)
    )
    .where(_cs.c.user_id == bindparam("user_id"))
    .order_by(_decks.c.slug, _entries.c.position, _cards.c.kind)
)
_REVIEWS = (
    select(
        _logs.c.reviewed_at,
        _logs.c.study_day,
        if_shown(_decks.c.slug),
        if_shown(_entries.c.key),
        if_shown(_entries.c.headword),
        _cards.c.kind,
        _logs.c.rating,
        _logs.c.state_before,
        _logs.c.state_after,
        _logs.c.duration_ms,
        _logs.c.elapsed_days,
        _logs.c.undone,
    )
    .select_from(
        _logs.join(_cards, _cards.c.id == _logs.c.card_id)
        .join(_entries, _entries.c.id == _cards.c.entry_id)
        .join(_decks, _decks.c.id == _cards.c.deck_id)
    )
    .where(_logs.c.user_id == bindparam("user_id"))
    .order_by(_logs.c.reviewed_at, _logs.c.id)
)


def card_states(user: User) -> Iterator[dict[str, Any]]:
    return (
        {
            "deck": slug,
            "entry_key": key,
            "headword": headword,
            "kind": kind,
            "state": state,
            "due": due and due.isoformat(),
            "stability": stability,
            "difficulty": difficulty,
            "reps": reps,
            "lapses": lapses,
            "suspended": suspended,
            "leech": leech,
            "active": active,
            "last_review": last_review and last_review.isoformat(),
        }
        for (
            slug,
            key,
            headword,
            kind,
            state,
            due,
            stability,
            difficulty,
            reps,
            lapses,
            suspended,
            leech,
            active,
            last_review,
        ) in db.session.connection().execute(_CARD_STATES, params(user))
    )


def review_rows(user: User) -> Iterable[tuple[Any, ...]]:
    """Every answer the learner gave, undone ones included, oldest first, with its deck and entry."""
    return db.session.connection().execute(_REVIEWS, params(user))


def reviews(user: User) -> Iterator[dict[str, Any]]:
    return (
        {
            "reviewed_at": reviewed_at.isoformat(),
            "study_day": study_day and study_day.isoformat(),
            "deck": slug,
            "entry_key": key,
            "headword": headword,
            "kind": kind,
            "rating": rating,
            "rating_name": RATING_NAMES.get(rating),
            "state_before": before,
            "state_after": after,
            "duration_ms": duration_ms,
            "elapsed_days": elapsed_days,
            "undone": undone,
        }
        for (
            reviewed_at,
            study_day,
            slug,
            key,
            headword,
            kind,
            rating,
            before,
            after,
            duration_ms,
            elapsed_days,
            undone,
        ) in review_rows(user)
    )
