"""The deck catalogue, the learner's path, enrollment and leaving. One transaction per user action
(`transaction()`); the card states that follow are `decks/card_states.py`'s."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, case, func, or_, select

from learnapp.access import visible_deck, visible_to
from learnapp.database import lock_for_write, transaction
from learnapp.decks.card_states import sync_card_states
from learnapp.extensions import db
from learnapp.models import (
    CardState,
    ClassDeck,
    ClassMember,
    Classroom,
    Deck,
    Enrollment,
    Entry,
    User,
)
from learnapp.srs import State


def visible_decks_query(user: User | None = None) -> Select[Deck]:
    """Public decks, and for a learner also the decks they study that are not public but that they may see
    (a class's unlisted deck, their own private ones); a deck made private by someone else is not listed."""
    shown = Deck.visibility == "public"
    if user is not None:
        studied = select(Enrollment.deck_id).where(Enrollment.user_id == user.id, Enrollment.active)
        shown = or_(shown, and_(Deck.id.in_(studied), visible_to(user)))
    return select(Deck).where(shown).order_by(Deck.level, Deck.category, Deck.title)


@dataclass(frozen=True)
class DeckSummary:
    deck: Deck
    entries: int
    enrolled: bool
    cards_seen: int
    cards_total: int
    from_class: str = ""  # the name of a class of the learner's that has this deck assigned


def _class_names(user: User) -> dict[int, str]:
    """Deck id -> the name of a class of the learner's that assigns it."""
    rows = db.session.execute(
        select(ClassDeck.deck_id, Classroom.name)
        .join(ClassMember, ClassMember.class_id == ClassDeck.class_id)
        .join(Classroom, Classroom.id == ClassDeck.class_id)
        .where(ClassMember.user_id == user.id)
        .order_by(ClassMember.joined_at)
    ).all()
    names: dict[int, str] = {}
    for deck_id, name in rows:
        names.setdefault(deck_id, name)
    return names


def catalogue(user: User | None) -> list[DeckSummary]:
    """Every public deck with its size and, for a learner, whether they study it and how far they are;
    a learner's class decks too, public or not."""
    entry_counts = dict(
        db.session.execute(
            select(Entry.deck_id, func.count()).where(~Entry.retired).group_by(Entry.deck_id)
        ).all()
    )
    enrolled: set[int] = set()
    progress: dict[int, tuple[int, int]] = {}
    classes: dict[int, str] = {}
    if user is not None:
        classes = _class_names(user)
        enrolled = set(
            db.session.scalars(
                select(Enrollment.deck_id).where(Enrollment.user_id == user.id, Enrollment.active)
            )
        )
        for deck_id, seen, total in db.session.execute(
            select(
                CardState.deck_id,
                func.sum(case((CardState.state != str(State.NEW), 1), else_=0)),
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
            from_class=classes.get(deck.id, ""),
        )
        for deck in db.session.scalars(visible_decks_query(user))
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


def locks(user: User | None) -> dict[str, tuple[tuple[str, int], ...]]:
    """Slug -> the prerequisites still to do (title, percent seen), for each deck locked for `user`."""
    if user is None:
        return {}
    return {
        step.summary.deck.slug: step.waiting_for
        for step in learning_path(catalogue(user))
        if step.status == "locked"
    }


def _percent(summary: DeckSummary) -> int:
    return int(100 * summary.cards_seen / summary.cards_total) if summary.cards_total else 0


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


@transaction()
def enroll(user: User, slug: str, now: datetime) -> Deck:
    """Start studying a deck (or come back to it, with all earlier progress). Sent twice at once, the
    second waits for the first and finds the learner enrolled."""
    deck = visible_deck(user, slug)
    lock_for_write(user.id)
    enrollment = db.session.get(Enrollment, (user.id, deck.id), populate_existing=True)
    if enrollment is None:
        db.session.add(Enrollment(user_id=user.id, deck_id=deck.id, active=True, enrolled_at=now))
    else:
        enrollment.active = True
    db.session.flush()
    sync_card_states(deck.id, user.id)
    return deck


@transaction()
def leave(user: User, slug: str) -> Deck:
    """Stop studying a deck; its cards leave the queue, progress is kept for a return."""
    deck = visible_deck(user, slug)
    enrollment = db.session.get(Enrollment, (user.id, deck.id))
    if enrollment is not None and enrollment.active:
        enrollment.active = False
        db.session.flush()
        sync_card_states(deck.id, user.id)
    return deck


def enrolled_decks(user: User) -> list[Deck]:
    """The decks a learner studies now and may see, by title (for choosing a custom session)."""
    return list(
        db.session.scalars(
            select(Deck)
            .join(Enrollment, Enrollment.deck_id == Deck.id)
            .where(Enrollment.user_id == user.id, Enrollment.active, visible_to(user))
            .order_by(Deck.title)
        )
    )
