"""Managing one's cards outside the queue: suspend and unsuspend, reset a leech, and the list of leeches
and suspended cards. Not on the hot path, so through the ORM; one transaction each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from learnapp.access import can_edit, visible_to
from learnapp.database import transaction
from learnapp.errors import NotFound
from learnapp.extensions import db
from learnapp.models import Card, CardState, Deck, Entry, User
from learnapp.srs import SchedulingState

LIST_LIMIT = 500
SHOWS = ("leeches", "suspended")


def _own_state(user: User, card_id: int) -> CardState:
    state = db.session.get(CardState, (user.id, card_id))
    if state is None:
        raise NotFound("This card isn't in your decks.")
    return state


@transaction()
def set_suspended(user: User, card_id: int, suspended: bool) -> CardState:
    """Suspend a card (out of every queue, progress kept) or bring it back."""
    state = _own_state(user, card_id)
    state.suspended = suspended
    state.version += 1
    return state


@transaction()
def reset_card(user: User, card_id: int, now: datetime) -> CardState:
    """Start a card over as new (for a leech): lapses cleared, tag removed, back in the queue. Its review
    log stays, as history."""
    state = _own_state(user, card_id)
    for name, value in SchedulingState().to_dict().items():
        setattr(state, name, value)
    state.leech = False
    state.suspended = False
    state.buried_until = None
    state.version += 1
    return state


@dataclass(frozen=True)
class ManagedCard:
    card_id: int
    kind: str
    deck_id: int
    deck_slug: str
    deck_title: str
    entry_key: str
    headword: str
    pinyin: str
    meaning: str
    lapses: int
    leech: bool
    suspended: bool
    editable: bool  # the learner may edit its entry (their own deck, or any teacher deck for an admin)


def leeches_and_suspended(user: User, show: str = "leeches") -> list[ManagedCard]:
    """The learner's leeches (tagged), or every suspended card, most lapses first."""
    condition = CardState.leech if show == "leeches" else CardState.suspended
    rows = db.session.execute(
        select(CardState, Card.kind, Entry, Deck)
        .join(Card, Card.id == CardState.card_id)
        .join(Entry, Entry.id == Card.entry_id)
        .join(Deck, Deck.id == CardState.deck_id)
        .where(CardState.user_id == user.id, CardState.active, condition, visible_to(user))
        .order_by(CardState.lapses.desc(), Entry.headword, CardState.card_id)
        .limit(LIST_LIMIT)
    ).all()
    return [
        ManagedCard(
            card_id=state.card_id,
            kind=kind,
            deck_id=deck.id,
            deck_slug=deck.slug,
            deck_title=deck.title,
            entry_key=entry.key,
            headword=entry.headword,
            pinyin=entry.pinyin,
            meaning=entry.meaning,
            lapses=state.lapses,
            leech=state.leech,
            suspended=state.suspended,
            editable=can_edit(user, deck),
        )
        for state, kind, entry, deck in rows
    ]
