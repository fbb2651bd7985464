"""Deck queries and enrollment. One transaction per user action; the caller never commits for us."""

from __future__ import annotations

from collections.abc import Sequence
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


def sync_card_states(deck_id: int, user_id: int | None = None, card_ids: Sequence[int] | None = None) -> None:
    """Make card states match the deck and its enrollments: add missing ones, (de)activate the rest.

    Works in bulk statements (no per-card round trips) so a large deck loads quickly. `card_ids` limits
    the work to a few cards (the deck editor adding, deleting or moving one entry) for the learners
    enrolled now, so it costs the same however large the deck and its class; a learner who left the
    deck is brought up to date when they enroll again.
    """
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
            literal("new"),
            _kind_rank() * KIND_STRIDE + Entry.position,
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
    live_cards = select(Card.id).where(Card.deck_id == deck_id, ~Card.retired)
    active_users = select(Enrollment.user_id).where(Enrollment.deck_id == deck_id, Enrollment.active)
    if card_ids is None:
        scope = [CardState.deck_id == deck_id]
    else:  # primary-key lookups, (enrolled learner, card): the cards are the deck's
        scope = [CardState.user_id.in_(active_users), CardState.card_id.in_(card_ids)]
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
    if card_ids is None:
        reorder = update(CardState).where(*scope, CardState.state == "new").values(new_position=position)
    else:  # no condition on state: it would steer the planner to the (user, state) index
        reorder = (
            update(CardState)
            .where(*scope)
            .values(new_position=case((CardState.state == "new", position), else_=CardState.new_position))
        )
    db.session.execute(reorder, execution_options={"synchronize_session": False})


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


def can_view(deck: Deck, user: User | None) -> bool:
    """Public and unlisted decks are for anyone with the link; a private deck only for its author and
    admins (everyone else gets a 404, as if it did not exist)."""
    if deck.visibility != "private":
        return True
    return user is not None and (
        user.role == "admin" or (deck.author_id is not None and deck.author_id == user.id)
    )


def get_visible_deck(slug: str, user: User | None = None) -> Deck:
    """The deck at `slug` if `user` (None: a visitor) may see it; NotFound otherwise."""
    deck = db.session.scalar(select(Deck).where(Deck.slug == slug))
    if deck is None or not can_view(deck, user):
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


def enroll(user: User, slug: str, now: datetime, commit: bool = True) -> Deck:
    """Start studying a deck (or come back to it, with all earlier progress). Commits unless the caller
    makes it part of a larger transaction (`commit=False`)."""
    deck = get_visible_deck(slug, user)
    enrollment = db.session.get(Enrollment, (user.id, deck.id))
    if enrollment is None:
        db.session.add(Enrollment(user_id=user.id, deck_id=deck.id, active=True, enrolled_at=now))
    else:
        enrollment.active = True
    db.session.flush()
    sync_card_states(deck.id, user.id)
    if commit:
        db.session.commit()
    return deck


def enroll_users(deck_id: int, user_ids: list[int], now: datetime) -> None:
    """Put a deck into several learners' queues at once (a class assignment); earlier progress is kept.

    Part of the caller's transaction: flushes, never commits. Bulk statements, whatever the class size.
    """
    if not user_ids:
        return
    for chunk in (user_ids[i : i + 500] for i in range(0, len(user_ids), 500)):
        known = set(
            db.session.scalars(
                select(Enrollment.user_id).where(Enrollment.deck_id == deck_id, Enrollment.user_id.in_(chunk))
            )
        )
        db.session.execute(
            update(Enrollment)
            .where(Enrollment.deck_id == deck_id, Enrollment.user_id.in_(known), ~Enrollment.active)
            .values(active=True),
            execution_options={"synchronize_session": False},
        )
        fresh = [
            {"user_id": user_id, "deck_id": deck_id, "active": True, "enrolled_at": now}
            for user_id in dict.fromkeys(chunk)
            if user_id not in known
        ]
        if fresh:
            db.session.execute(insert(Enrollment), fresh)
    if len(user_ids) == 1:
        sync_card_states(deck_id, user_ids[0])
    else:
        sync_card_states(deck_id)


def leave(user: User, slug: str) -> Deck:
    """Stop studying a deck; its cards leave the queue, progress is kept for a return. Commits."""
    deck = get_visible_deck(slug, user)
    enrollment = db.session.get(Enrollment, (user.id, deck.id))
    if enrollment is not None and enrollment.active:
        enrollment.active = False
        db.session.flush()
        sync_card_states(deck.id, user.id)
    db.session.commit()
    return deck


def enrolled_decks(user: User) -> list[Deck]:
    """The decks a learner studies now, by title (for choosing a custom session)."""
    return list(
        db.session.scalars(
            select(Deck)
            .join(Enrollment, Enrollment.deck_id == Deck.id)
            .where(Enrollment.user_id == user.id, Enrollment.active)
            .order_by(Deck.title)
        )
    )
