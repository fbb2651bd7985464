"""The class dashboard: how each learner is doing on the class's decks, and each deck's hardest entries.

Read-only, and bounded by the class: per learner one grouped query over card states (seen cards only, so
the (user, state, due) index skips the new ones however large the decks) and one over the review log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_, select

from learnapp.access import class_for_teacher
from learnapp.content.text import shown_name
from learnapp.extensions import db
from learnapp.models import Card, CardState, ClassDeck, ClassMember, Classroom, Deck, Entry, ReviewLog, User
from learnapp.reader.class_readings import ReadingFigure, class_reading_figures
from learnapp.srs import LEARNING_STATES, Rating, State

HARDEST = 10
SEEN_STATES = tuple(str(state) for state in (*LEARNING_STATES, State.REVIEW))
RECENT = timedelta(days=7)
RETENTION_WINDOW = timedelta(days=30)


@dataclass(frozen=True)
class LearnerRow:
    user_id: int
    name: str
    username: str
    joined_at: datetime
    cards_studied: int
    reviews_recent: int  # in the last 7 days
    retention: float | None  # share of passed reviews of cards in review, last 30 days
    retention_reviews: int
    due_now: int
    last_active: datetime | None


@dataclass(frozen=True)
class HardEntry:
    headword: str
    pinyin: str
    meaning: str
    lapses: int
    learners: int


@dataclass(frozen=True)
class AssignedDeck:
    deck: Deck
    assigned_at: datetime
    hardest: list[HardEntry]


@dataclass(frozen=True)
class Dashboard:
    classroom: Classroom
    teacher: User | None  # None only if the teacher went while the page was drawn
    learners: list[LearnerRow]
    decks: list[AssignedDeck]
    own_decks: list[Deck]  # the teacher's decks not assigned yet (private ones cannot be)
    public_decks: list[Deck]  # other public decks not assigned yet
    readings: list[ReadingFigure] = field(default_factory=list)  # texts published from the reader

    @property
    def full(self) -> bool:
        return len(self.learners) >= self.classroom.capacity


def dashboard(user: User, class_id: int, now: datetime) -> Dashboard:
    """The class at a glance: per learner cards studied, reviews in the last 7 days, retention, cards
    due now and last activity (all on the class's decks); per deck the entries with the most lapses."""
    classroom = class_for_teacher(user, class_id)
    assigned = db.session.execute(
        select(Deck, ClassDeck.assigned_at)
        .join(ClassDeck, ClassDeck.deck_id == Deck.id)
        .where(ClassDeck.class_id == classroom.id)
        .order_by(ClassDeck.assigned_at, Deck.title)
    ).all()
    hardest = _hardest_entries(classroom)
    own, public = _decks_to_assign(classroom, {deck.id for deck, _ in assigned})
    return Dashboard(
        classroom=classroom,
        teacher=db.session.get(User, classroom.teacher_id),
        learners=_learner_rows(classroom, now),
        decks=[AssignedDeck(deck, at, hardest.get(deck.id, [])) for deck, at in assigned],
        own_decks=own,
        public_decks=public,
        readings=class_reading_figures(classroom.id),
    )


def _scope(classroom: Classroom) -> tuple[Any, Any]:
    """The class's members and decks, as subqueries."""
    members = select(ClassMember.user_id).where(ClassMember.class_id == classroom.id)
    decks = select(ClassDeck.deck_id).where(ClassDeck.class_id == classroom.id)
    return members, decks


def _card_figures(classroom: Classroom, now: datetime) -> dict[int, Any]:
    """Per member: cards studied and cards due now, on the class's decks."""
    member_ids, deck_ids = _scope(classroom)
    due_now = and_(
        CardState.active,
        ~CardState.suspended,
        CardState.due <= now,
        or_(CardState.buried_until.is_(None), CardState.buried_until <= now),
    )
    rows = db.session.execute(
        select(
            CardState.user_id,
            func.count().label("studied"),
            func.sum(case((due_now, 1), else_=0)).label("due"),
        )
        # Seen cards only: the (user, state, due) index skips the new ones, however large the decks.
        .where(
            CardState.user_id.in_(member_ids),
            CardState.state.in_(SEEN_STATES),
            CardState.deck_id.in_(deck_ids),
        )
        .group_by(CardState.user_id)
    )
    return {row.user_id: row for row in rows}


def _review_figures(classroom: Classroom, now: datetime) -> dict[int, Any]:
    """Per member: reviews in the last week, retention on review cards in the last 30 days, last answer."""
    member_ids, deck_ids = _scope(classroom)
    in_review = and_(
        ReviewLog.reviewed_at >= now - RETENTION_WINDOW, ReviewLog.state_before == str(State.REVIEW)
    )
    rows = db.session.execute(
        select(
            ReviewLog.user_id,
            func.sum(case((ReviewLog.reviewed_at >= now - RECENT, 1), else_=0)).label("recent"),
            func.sum(case((in_review, 1), else_=0)).label("in_review"),
            func.sum(case((and_(in_review, ReviewLog.rating >= int(Rating.HARD)), 1), else_=0)).label(
                "passed"
            ),
            func.max(ReviewLog.reviewed_at).label("last"),
        )
        .join(Card, Card.id == ReviewLog.card_id)
        .where(ReviewLog.user_id.in_(member_ids), Card.deck_id.in_(deck_ids), ~ReviewLog.undone)
        .group_by(ReviewLog.user_id)
    )
    return {row.user_id: row for row in rows}


def _learner_rows(classroom: Classroom, now: datetime) -> list[LearnerRow]:
    members = db.session.execute(
        select(User.id, User.username, User.display_name, ClassMember.joined_at)
        .join(ClassMember, ClassMember.user_id == User.id)
        .where(ClassMember.class_id == classroom.id)
        .order_by(User.username_key)
    ).all()
    states = _card_figures(classroom, now)
    reviews = _review_figures(classroom, now)
    learners = []
    for member in members:
        state = states.get(member.id)
        review = reviews.get(member.id)
        in_review_count = int(review.in_review or 0) if review else 0
        learners.append(
            LearnerRow(
                user_id=member.id,
                name=shown_name(member.display_name, member.username),
                username=member.username,
                joined_at=member.joined_at,
                cards_studied=int(state.studied or 0) if state else 0,
                reviews_recent=int(review.recent or 0) if review else 0,
                retention=(int(review.passed or 0) / in_review_count) if review and in_review_count else None,
                retention_reviews=in_review_count,
                due_now=int(state.due or 0) if state else 0,
                last_active=review.last if review else None,
            )
        )
    return learners


def _hardest_entries(classroom: Classroom) -> dict[int, list[HardEntry]]:
    """Per assigned deck, its HARDEST entries by the members' lapses."""
    member_ids, deck_ids = _scope(classroom)
    hardest: dict[int, list[HardEntry]] = {}
    lapses = func.sum(CardState.lapses).label("lapses")
    for row in db.session.execute(
        select(
            Card.deck_id,
            Entry.id,
            Entry.headword,
            Entry.pinyin,
            Entry.meaning,
            lapses,
            func.count(func.distinct(CardState.user_id)).label("learners"),
        )
        .select_from(CardState)
        .join(Card, Card.id == CardState.card_id)
        .join(Entry, Entry.id == Card.entry_id)
        .where(
            CardState.user_id.in_(member_ids),
            CardState.state.in_(SEEN_STATES),  # a lapse needs a review: skip the new cards
            CardState.deck_id.in_(deck_ids),
            CardState.lapses > 0,
            ~Entry.retired,
        )
        .group_by(Card.deck_id, Entry.id, Entry.headword, Entry.pinyin, Entry.meaning)
        .order_by(lapses.desc(), Entry.position)
    ):
        top = hardest.setdefault(row.deck_id, [])
        if len(top) < HARDEST:
            top.append(HardEntry(row.headword, row.pinyin, row.meaning, int(row.lapses), int(row.learners)))
    return hardest


def _decks_to_assign(classroom: Classroom, assigned_ids: set[int]) -> tuple[list[Deck], list[Deck]]:
    """The teacher's own decks and the other public decks, not assigned yet (private ones cannot be)."""
    own = [
        deck
        for deck in db.session.scalars(
            select(Deck).where(Deck.author_id == classroom.teacher_id).order_by(Deck.title)
        )
        if deck.id not in assigned_ids
    ]
    public = [
        deck
        for deck in db.session.scalars(
            select(Deck)
            .where(
                Deck.visibility == "public",
                or_(Deck.author_id.is_(None), Deck.author_id != classroom.teacher_id),
            )
            .order_by(Deck.level, Deck.category, Deck.title)
        )
        if deck.id not in assigned_ids
    ]
    return own, public
