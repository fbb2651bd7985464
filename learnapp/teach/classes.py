"""Classes: a teacher's groups of learners, their join codes, the decks assigned to them, and the
dashboard of how the class is doing. One commit per user action.

A teacher sees only their own classes (anyone else's is NotFound) and only the progress of the learners
in them, on the decks the class studies. Assigning a deck puts it in every member's queue (through the
decks service, progress kept); members who join later get the class's decks on joining. Leaving a class,
or being removed from it, keeps the learner's progress and decks: they leave a deck from its page.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, delete, func, or_, select

from learnapp.decks.service import enroll_users
from learnapp.errors import NotFound, UserError
from learnapp.extensions import db
from learnapp.models import Card, CardState, ClassDeck, ClassMember, Classroom, Deck, Entry, ReviewLog, User
from learnapp.teach.access import class_for_teacher, require_teacher, visible_deck
from learnapp.teach.editor import clean, clean_line

# No 0/O or 1/I: a code read aloud or copied from a whiteboard comes out right.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
DEFAULT_CAPACITY = 100
MAX_CAPACITY = 1000
HARDEST = 10
SEEN_STATES = ("learning", "review", "relearning")
RECENT = timedelta(days=7)
RETENTION_WINDOW = timedelta(days=30)


@dataclass(frozen=True)
class ClassFields:
    name: str
    description: str = ""
    capacity: int = DEFAULT_CAPACITY


@dataclass(frozen=True)
class ClassRow:
    classroom: Classroom
    members: int
    decks: int


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
    teacher: User
    learners: list[LearnerRow]
    decks: list[AssignedDeck]
    own_decks: list[Deck]  # the teacher's decks not assigned yet (private ones cannot be)
    public_decks: list[Deck]  # other public decks not assigned yet

    @property
    def full(self) -> bool:
        return len(self.learners) >= self.classroom.capacity


@dataclass(frozen=True)
class JoinPreview:
    classroom: Classroom
    teacher_name: str
    deck_titles: list[str]
    members: int
    already_member: bool
    teaches_it: bool

    @property
    def full(self) -> bool:
        return self.members >= self.classroom.capacity


@dataclass(frozen=True)
class MyClass:
    classroom: Classroom
    teacher_name: str
    decks: list[Deck]


def normalize_code(raw: str | None) -> str:
    """What someone typed as a join code: case, spaces and hyphens do not matter."""
    return "".join(char for char in (raw or "").upper() if char.isalnum())[:32]


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if db.session.scalar(select(Classroom.id).where(Classroom.join_code == code)) is None:
            return code


def _class_values(fields: ClassFields) -> dict:
    name = clean_line(fields.name, 80, "name", "The name")
    if not name:
        raise UserError("Give the class a name.", field="name")
    if not 1 <= fields.capacity <= MAX_CAPACITY:
        raise UserError(f"Room for 1 to {MAX_CAPACITY} learners.", field="capacity")
    return {
        "name": name,
        "description": clean(fields.description, 2000, "description", "The description"),
        "capacity": fields.capacity,
    }


# ---- the teacher's side ----------------------------------------------------------------------------


def create_class(user: User, fields: ClassFields, now: datetime) -> Classroom:
    """A new class with a fresh join code. Commits."""
    require_teacher(user)
    classroom = Classroom(teacher_id=user.id, join_code=_new_code(), created_at=now, **_class_values(fields))
    db.session.add(classroom)
    db.session.commit()
    return classroom


def my_classes(user: User) -> list[ClassRow]:
    require_teacher(user)
    classes = list(
        db.session.scalars(
            select(Classroom).where(Classroom.teacher_id == user.id).order_by(Classroom.created_at.desc())
        )
    )
    ids = [c.id for c in classes]
    members = _counts(ClassMember.class_id, ids)
    decks = _counts(ClassDeck.class_id, ids)
    return [ClassRow(c, members.get(c.id, 0), decks.get(c.id, 0)) for c in classes]


def _counts(column, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    return dict(
        db.session.execute(select(column, func.count()).where(column.in_(ids)).group_by(column)).all()
    )


def _member_ids(class_id: int) -> list[int]:
    return list(db.session.scalars(select(ClassMember.user_id).where(ClassMember.class_id == class_id)))


def _deck_ids(class_id: int) -> list[int]:
    return list(db.session.scalars(select(ClassDeck.deck_id).where(ClassDeck.class_id == class_id)))


def dashboard(user: User, class_id: int, now: datetime) -> Dashboard:
    """The class at a glance: per learner cards studied, reviews in the last 7 days, retention, cards
    due now and last activity (all on the class's decks); per deck the entries with the most lapses."""
    classroom = class_for_teacher(user, class_id)
    teacher = db.session.get(User, classroom.teacher_id)
    members = db.session.execute(
        select(User.id, User.username, User.display_name, ClassMember.joined_at)
        .join(ClassMember, ClassMember.user_id == User.id)
        .where(ClassMember.class_id == classroom.id)
        .order_by(User.username_key)
    ).all()
    member_ids = select(ClassMember.user_id).where(ClassMember.class_id == classroom.id)
    deck_ids = select(ClassDeck.deck_id).where(ClassDeck.class_id == classroom.id)

    states = {
        row.user_id: row
        for row in db.session.execute(
            select(
                CardState.user_id,
                func.count().label("studied"),
                func.sum(
                    case(
                        (
                            and_(
                                CardState.active,
                                ~CardState.suspended,
                                CardState.due <= now,
                                or_(CardState.buried_until.is_(None), CardState.buried_until <= now),
                            ),
                            1,
                        ),
                        else_=0,
                    )
                ).label("due"),
            )
            # Seen cards only: the (user, state, due) index skips the new ones, however large the decks.
            .where(
                CardState.user_id.in_(member_ids),
                CardState.state.in_(SEEN_STATES),
                CardState.deck_id.in_(deck_ids),
            )
            .group_by(CardState.user_id)
        )
    }
    in_review = and_(ReviewLog.reviewed_at >= now - RETENTION_WINDOW, ReviewLog.state_before == "review")
    reviews = {
        row.user_id: row
        for row in db.session.execute(
            select(
                ReviewLog.user_id,
                func.sum(case((ReviewLog.reviewed_at >= now - RECENT, 1), else_=0)).label("recent"),
                func.sum(case((in_review, 1), else_=0)).label("in_review"),
                func.sum(case((and_(in_review, ReviewLog.rating >= 2), 1), else_=0)).label("passed"),
                func.max(ReviewLog.reviewed_at).label("last"),
            )
            .join(Card, Card.id == ReviewLog.card_id)
            .where(ReviewLog.user_id.in_(member_ids), Card.deck_id.in_(deck_ids), ~ReviewLog.undone)
            .group_by(ReviewLog.user_id)
        )
    }
    learners = []
    for member in members:
        state = states.get(member.id)
        review = reviews.get(member.id)
        in_review_count = int(review.in_review or 0) if review else 0
        learners.append(
            LearnerRow(
                user_id=member.id,
                name=member.display_name or member.username,
                username=member.username,
                joined_at=member.joined_at,
                cards_studied=int(state.studied or 0) if state else 0,
                reviews_recent=int(review.recent or 0) if review else 0,
                retention=(int(review.passed or 0) / in_review_count) if in_review_count else None,
                retention_reviews=in_review_count,
                due_now=int(state.due or 0) if state else 0,
                last_active=review.last if review else None,
            )
        )

    assigned = db.session.execute(
        select(Deck, ClassDeck.assigned_at)
        .join(ClassDeck, ClassDeck.deck_id == Deck.id)
        .where(ClassDeck.class_id == classroom.id)
        .order_by(ClassDeck.assigned_at, Deck.title)
    ).all()
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

    assigned_ids = {deck.id for deck, _ in assigned}
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
    return Dashboard(
        classroom=classroom,
        teacher=teacher,
        learners=learners,
        decks=[AssignedDeck(deck, at, hardest.get(deck.id, [])) for deck, at in assigned],
        own_decks=own,
        public_decks=public,
    )


def assign_deck(user: User, class_id: int, slug: str, now: datetime) -> tuple[Classroom, Deck, bool]:
    """Assign a deck: it goes into every member's queue now, and into the queue of whoever joins later.
    Returns (class, deck, newly assigned). Commits."""
    classroom = class_for_teacher(user, class_id)
    try:
        deck = visible_deck(user, slug)
    except NotFound:
        raise NotFound("Pick a deck from the list.", field="deck") from None
    if deck.visibility == "private":
        raise UserError(
            f"“{deck.title}” is private, so your learners could not open it. Make it unlisted (anyone "
            "with the link) or public in its settings first.",
            field="deck",
        )
    if db.session.get(ClassDeck, (classroom.id, deck.id)) is not None:
        db.session.commit()
        return classroom, deck, False
    db.session.add(ClassDeck(class_id=classroom.id, deck_id=deck.id, assigned_at=now))
    db.session.flush()
    enroll_users(deck.id, _member_ids(classroom.id), now)
    db.session.commit()
    return classroom, deck, True


def unassign_deck(user: User, class_id: int, slug: str) -> tuple[Classroom, Deck]:
    """Take a deck off the class. Members keep studying it, with their progress, until they leave it."""
    classroom = class_for_teacher(user, class_id)
    deck = db.session.scalar(
        select(Deck)
        .join(ClassDeck, ClassDeck.deck_id == Deck.id)
        .where(ClassDeck.class_id == classroom.id, Deck.slug == slug)
    )
    if deck is None:
        raise NotFound("That deck isn't assigned to this class.")
    db.session.execute(
        delete(ClassDeck).where(ClassDeck.class_id == classroom.id, ClassDeck.deck_id == deck.id)
    )
    db.session.commit()
    return classroom, deck


def remove_member(user: User, class_id: int, member_id: int) -> tuple[Classroom, User]:
    """Take a learner out of the class; their progress and decks stay theirs. Commits."""
    classroom = class_for_teacher(user, class_id)
    membership = db.session.get(ClassMember, (classroom.id, member_id))
    if membership is None:
        raise NotFound("That learner isn't in this class.")
    member = db.session.get(User, member_id)
    db.session.delete(membership)
    db.session.commit()
    return classroom, member


def new_join_code(user: User, class_id: int) -> Classroom:
    """Replace the join code (the old one stops working; members stay). Commits."""
    classroom = class_for_teacher(user, class_id)
    classroom.join_code = _new_code()
    db.session.commit()
    return classroom


# ---- the learner's side ---------------------------------------------------------------------------


def _class_by_code(code: str) -> Classroom:
    normalized = normalize_code(code)
    classroom = (
        db.session.scalar(select(Classroom).where(Classroom.join_code == normalized)) if normalized else None
    )
    if classroom is None:
        shown = normalized or "that"
        raise NotFound(
            f"No class has the code {shown}. Check it with your teacher (codes have 8 letters and digits).",
            field="code",
        )
    return classroom


def _member_count(class_id: int) -> int:
    return db.session.scalar(select(func.count()).where(ClassMember.class_id == class_id)) or 0


def join_preview(user: User, code: str) -> JoinPreview:
    """What joining the class with this code means: its teacher, its decks, whether there is room."""
    classroom = _class_by_code(code)
    teacher = db.session.get(User, classroom.teacher_id)
    titles = list(
        db.session.scalars(
            select(Deck.title)
            .join(ClassDeck, ClassDeck.deck_id == Deck.id)
            .where(ClassDeck.class_id == classroom.id)
            .order_by(ClassDeck.assigned_at)
        )
    )
    return JoinPreview(
        classroom=classroom,
        teacher_name=teacher.shown_name if teacher else "",
        deck_titles=titles,
        members=_member_count(classroom.id),
        already_member=db.session.get(ClassMember, (classroom.id, user.id)) is not None,
        teaches_it=classroom.teacher_id == user.id,
    )


def join(user: User, code: str, now: datetime) -> tuple[Classroom, bool]:
    """Join the class with this code and get its decks in the queue. Returns (class, newly joined).

    A wrong code or a full class is a UserError beside the code field, and nothing is written. Commits.
    """
    classroom = _class_by_code(code)
    # Lock the class row (PostgreSQL) so two last-place joins cannot both get in; SQLite writes one at a time.
    db.session.scalar(select(Classroom.id).where(Classroom.id == classroom.id).with_for_update())
    if classroom.teacher_id == user.id:
        raise UserError("You teach this class, so you can't join it as a learner.", field="code")
    if db.session.get(ClassMember, (classroom.id, user.id)) is not None:
        db.session.commit()
        return classroom, False
    if _member_count(classroom.id) >= classroom.capacity:
        raise UserError(
            "This class is full. Ask your teacher to make room, or to give you another class's code.",
            field="code",
        )
    db.session.add(ClassMember(class_id=classroom.id, user_id=user.id, joined_at=now))
    db.session.flush()
    for deck_id in _deck_ids(classroom.id):
        enroll_users(deck_id, [user.id], now)
    db.session.commit()
    return classroom, True


def leave(user: User, class_id: int) -> Classroom:
    """Leave a class. The teacher stops seeing your progress; your decks and progress stay. Commits."""
    membership = db.session.get(ClassMember, (class_id, user.id))
    if membership is None:
        raise NotFound("You're not in that class.")
    classroom = db.session.get(Classroom, class_id)
    db.session.delete(membership)
    db.session.commit()
    return classroom


def learner_classes(user: User) -> list[MyClass]:
    """The classes `user` is in, with their teacher and decks."""
    rows = db.session.execute(
        select(Classroom, User.username, User.display_name)
        .join(ClassMember, ClassMember.class_id == Classroom.id)
        .join(User, User.id == Classroom.teacher_id)
        .where(ClassMember.user_id == user.id)
        .order_by(ClassMember.joined_at)
    ).all()
    ids = [classroom.id for classroom, _, _ in rows]
    decks: dict[int, list[Deck]] = {}
    if ids:
        for class_id, deck in db.session.execute(
            select(ClassDeck.class_id, Deck)
            .join(Deck, Deck.id == ClassDeck.deck_id)
            .where(ClassDeck.class_id.in_(ids))
            .order_by(ClassDeck.assigned_at)
        ):
            decks.setdefault(class_id, []).append(deck)
    return [MyClass(c, display or username, decks.get(c.id, [])) for c, username, display in rows]
