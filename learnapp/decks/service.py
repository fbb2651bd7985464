"""Deck queries and enrollment. One transaction per user action; the caller never commits for us."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, exists, func, insert, literal, select, update

from learnapp.errors import NotFound
from learnapp.extensions import db
from learnapp.models import Card, CardState, Deck, Enrollment, Entry, User

# New cards are introduced in deck order; all of a deck's recognize cards come before its recall cards,
# so the two cards of one entry are not introduced back to back.
KIND_RANK = {"recognize": 0, "recall": 1}
KIND_STRIDE = 1_000_000


def _kind_rank():
    return case(*((Card.kind == kind, rank) for kind, rank in KIND_RANK.items()), else_=len(KIND_RANK))


def sync_card_states(deck_id: int, user_id: int | None = None) -> None:
    """Make card states match the deck and its enrollments: add missing ones, (de)activate the rest.

    Works in bulk statements (no per-card round trips) so a large deck loads quickly.
    """
    enrolled = select(Enrollment.user_id).where(Enrollment.deck_id == deck_id, Enrollment.active)
    if user_id is not None:
        enrolled = enrolled.where(Enrollment.user_id == user_id)
    enrolled_users = enrolled.subquery()
    missing = (
        select(
            enrolled_users.c.user_id,
            Card.id,
            Card.deck_id,
            literal("new"),
            _kind_rank() * KIND_STRIDE + Entry.position,
        )
        .select_from(enrolled_users)
        .join(Card, Card.deck_id == deck_id)
        .join(Entry, Entry.id == Card.entry_id)
        .where(
            ~Card.retired,
            ~exists().where(CardState.user_id == enrolled_users.c.user_id, CardState.card_id == Card.id),
        )
    )
    db.session.execute(
        insert(CardState).from_select(["user_id", "card_id", "deck_id", "state", "new_position"], missing)
    )
    live_cards = select(Card.id).where(Card.deck_id == deck_id, ~Card.retired)
    active_users = select(Enrollment.user_id).where(Enrollment.deck_id == deck_id, Enrollment.active)
    scope = [CardState.deck_id == deck_id]
    if user_id is not None:
        scope.append(CardState.user_id == user_id)
    should_be_active = and_(CardState.card_id.in_(live_cards), CardState.user_id.in_(active_users))
    db.session.execute(
        update(CardState).where(*scope, CardState.active != should_be_active).values(active=should_be_active),
        execution_options={"synchronize_session": False},
    )
    # Keep not-yet-seen cards in deck order when a deck file is reordered.
    position = (
        select(_kind_rank() * KIND_STRIDE + Entry.position)
        .select_from(Card)
        .join(Entry, Entry.id == Card.entry_id)
        .where(Card.id == CardState.card_id)
        .scalar_subquery()
    )
    db.session.execute(
        update(CardState).where(*scope, CardState.state == "new").values(new_position=position),
        execution_options={"synchronize_session": False},
    )


def visible_decks_query():
    return select(Deck).where(Deck.visibility == "public").order_by(Deck.level, Deck.category, Deck.title)


@dataclass(frozen=True)
class DeckSummary:
    deck: Deck
    entries: int
    enrolled: bool
    cards_seen: int
    cards_total: int


def catalogue(user: User | None) -> list[DeckSummary]:
    """Every public deck with its size and, for a learner, whether they study it and how far they are."""
    entry_counts = dict(
        db.session.execute(
            select(Entry.deck_id, func.count()).where(~Entry.retired).group_by(Entry.deck_id)
        ).all()
    )
    enrolled: set[int] = set()
    progress: dict[int, tuple[int, int]] = {}
    if user is not None:
        enrolled = set(
            db.session.scalars(
                select(Enrollment.deck_id).where(Enrollment.user_id == user.id, Enrollment.active)
            )
        )
        for deck_id, seen, total in db.session.execute(
            select(
                CardState.deck_id,
                func.sum(case((CardState.state != "new", 1), else_=0)),
                func.count(),
            )
            .where(CardState.user_id == user.id, CardState.active)
            .group_by(CardState.deck_id)
        ):
            progress[deck_id] = (int(seen or 0), int(total))
    return [
        DeckSummary(
            deck=deck,
            entries=entry_counts.get(deck.id, 0),
            enrolled=deck.id in enrolled,
            cards_seen=progress.get(deck.id, (0, 0))[0],
            cards_total=progress.get(deck.id, (0, 0))[1],
        )
        for deck in db.session.scalars(visible_decks_query())
    ]


UNLOCK_AT = 0.8  # a deck's prerequisites count as done once this share of their cards has been seen


@dataclass(frozen=True)
class PathStep:
    summary: DeckSummary
    status: str  # studying | next | locked
    waiting_for: tuple[tuple[str, int], ...] = ()  # (title, percent seen) of prerequisites not yet done

    @property
    def percent_seen(self) -> int:
        total = self.summary.cards_total
        return int(100 * self.summary.cards_seen / total) if total else 0


def learning_path(summaries: list[DeckSummary]) -> list[PathStep]:
    """The learner's path through the decks: what they study, what is open next, and what unlocks when.

    A deck opens when every prerequisite has had UNLOCK_AT of its cards seen (a prerequisite the learner
    has never enrolled in counts as 0%). Locked decks can still be studied; the path only advises.
    """
    by_slug = {s.deck.slug: s for s in summaries}

    def done(slug: str) -> bool:
        summary = by_slug.get(slug)
        return summary is None or (
            summary.cards_total > 0 and summary.cards_seen >= UNLOCK_AT * summary.cards_total
        )

    steps = []
    for summary in summaries:
        if summary.enrolled:
            steps.append(PathStep(summary, "studying"))
            continue
        waiting = tuple(
            (by_slug[slug].deck.title, _percent(by_slug[slug]))
            for slug in summary.deck.prerequisites
            if slug in by_slug and not done(slug)
        )
        steps.append(PathStep(summary, "locked" if waiting else "next", waiting))
    return steps


def _percent(summary: DeckSummary) -> int:
    return int(100 * summary.cards_seen / summary.cards_total) if summary.cards_total else 0


def get_visible_deck(slug: str) -> Deck:
    deck = db.session.scalar(select(Deck).where(Deck.slug == slug, Deck.visibility != "private"))
    if deck is None:
        raise NotFound("There is no deck at this address.")
    return deck


def deck_entries(deck: Deck) -> list[Entry]:
    return list(
        db.session.scalars(
            select(Entry).where(Entry.deck_id == deck.id, ~Entry.retired).order_by(Entry.position)
        )
    )


def is_enrolled(user: User, deck: Deck) -> bool:
    return bool(
        db.session.scalar(
            select(Enrollment.active).where(Enrollment.user_id == user.id, Enrollment.deck_id == deck.id)
        )
    )


def enroll(user: User, slug: str, now: datetime) -> Deck:
    """Start studying a deck (or come back to it, with all earlier progress). Commits."""
    deck = get_visible_deck(slug)
    enrollment = db.session.get(Enrollment, (user.id, deck.id))
    if enrollment is None:
        db.session.add(Enrollment(user_id=user.id, deck_id=deck.id, active=True, enrolled_at=now))
    else:
        enrollment.active = True
    db.session.flush()
    sync_card_states(deck.id, user.id)
    db.session.commit()
    return deck


def leave(user: User, slug: str) -> Deck:
    """Stop studying a deck; its cards leave the queue, progress is kept for a return. Commits."""
    deck = get_visible_deck(slug)
    enrollment = db.session.get(Enrollment, (user.id, deck.id))
    if enrollment is not None and enrollment.active:
        enrollment.active = False
        db.session.flush()
        sync_card_states(deck.id, user.id)
    db.session.commit()
    return deck
