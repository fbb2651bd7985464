"""Classes: a teacher's groups of learners, their join codes and the decks assigned to them; joining and
leaving. One transaction per user action. The dashboard's queries are in `dashboard.py`.

A teacher sees only their own classes (anyone else's is NotFound) and only the progress of the learners
in them, on the decks the class studies. Assigning a deck puts it in every member's queue (through the
decks service, progress kept); members who join later get the class's decks on joining. Leaving a class,
or being removed from it, keeps the learner's progress and decks: they leave a deck from its page.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import InstrumentedAttribute

from learnapp.access import class_for_teacher, require_teacher, visible_deck, visible_to
from learnapp.content.text import shown_name
from learnapp.database import lock_for_write, repeat_of, transaction
from learnapp.decks.card_states import enroll_users
from learnapp.errors import NotFound, UserError
from learnapp.extensions import db
from learnapp.forms import clean, clean_line
from learnapp.models import ClassDeck, ClassMember, Classroom, Deck, User

# No 0/O or 1/I: a code read aloud or copied from a whiteboard comes out right.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
DEFAULT_CAPACITY = 100
MAX_CAPACITY = 1000


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


def _class_values(fields: ClassFields) -> dict[str, Any]:
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


@transaction()
def create_class(user: User, fields: ClassFields, now: datetime) -> Classroom:
    """A new class with a fresh join code. The same form sent twice (a double click) makes one class: the
    second copy waits for the first and gets its class."""
    require_teacher(user)
    values = _class_values(fields)
    lock_for_write(user.id)
    repeat = repeat_of(Classroom, now, Classroom.teacher_id == user.id, Classroom.name == values["name"])
    if repeat is not None:
        return repeat
    classroom = Classroom(teacher_id=user.id, join_code=_new_code(), created_at=now, **values)
    db.session.add(classroom)
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


def _counts(column: InstrumentedAttribute[int], ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    return dict(
        db.session.execute(select(column, func.count()).where(column.in_(ids)).group_by(column)).all()
    )


def _member_ids(class_id: int) -> list[int]:
    return list(db.session.scalars(select(ClassMember.user_id).where(ClassMember.class_id == class_id)))


def _deck_ids(class_id: int) -> list[int]:
    return list(db.session.scalars(select(ClassDeck.deck_id).where(ClassDeck.class_id == class_id)))


@transaction()
def assign_deck(user: User, class_id: int, slug: str, now: datetime) -> tuple[Classroom, Deck, bool]:
    """Assign a deck: it goes into every member's queue now, and into the queue of whoever joins later.
    Returns (class, deck, newly assigned). Sent twice at once, the second copy waits for the first and
    finds the deck assigned."""
    classroom = class_for_teacher(user, class_id)
    lock_for_write(user.id)
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
        return classroom, deck, False
    db.session.add(ClassDeck(class_id=classroom.id, deck_id=deck.id, assigned_at=now))
    db.session.flush()
    enroll_users(deck.id, _member_ids(classroom.id), now)
    return classroom, deck, True


@transaction()
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
    return classroom, deck


@transaction()
def remove_member(user: User, class_id: int, member_id: int) -> tuple[Classroom, User]:
    """Take a learner out of the class; their progress and decks stay theirs."""
    classroom = class_for_teacher(user, class_id)
    membership = db.session.get(ClassMember, (classroom.id, member_id))
    if membership is None:
        raise NotFound("That learner isn't in this class.")
    member = db.session.get_one(User, member_id)  # a membership's user exists (foreign key)
    db.session.delete(membership)
    return classroom, member


@transaction()
def new_join_code(user: User, class_id: int) -> Classroom:
    """Replace the join code (the old one stops working; members stay)."""
    classroom = class_for_teacher(user, class_id)
    classroom.join_code = _new_code()
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


def join_preview(user: User | None, code: str) -> JoinPreview:
    """What joining the class with this code means: its teacher, its decks, whether there is room.
    `user` None is a visitor who has not logged in yet."""
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
        already_member=user is not None and db.session.get(ClassMember, (classroom.id, user.id)) is not None,
        teaches_it=user is not None and classroom.teacher_id == user.id,
    )


@transaction()
def join(user: User, code: str, now: datetime) -> tuple[Classroom, bool]:
    """Join the class with this code and get its decks in the queue. Returns (class, newly joined).

    A wrong code or a full class is a UserError beside the code field, and nothing is written. Sent twice
    at once, the second waits for the first and finds the learner a member.
    """
    classroom = _class_by_code(code)
    lock_for_write(user.id)  # SQLite: the write lock from here on; PostgreSQL: the learner's row
    # and the class row (PostgreSQL) so two last-place joins by different learners cannot both get in (FOR NO
    # KEY UPDATE: a teacher assigning a deck to the class, which references the row, goes on)
    db.session.scalar(
        select(Classroom.id).where(Classroom.id == classroom.id).with_for_update(key_share=True)
    )
    if classroom.teacher_id == user.id:
        raise UserError("You teach this class, so you can't join it as a learner.", field="code")
    if db.session.get(ClassMember, (classroom.id, user.id), populate_existing=True) is not None:
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
    return classroom, True


@transaction()
def leave(user: User, class_id: int) -> Classroom:
    """Leave a class. The teacher stops seeing your progress; your decks and progress stay."""
    membership = db.session.get(ClassMember, (class_id, user.id))
    if membership is None:
        raise NotFound("You're not in that class.")
    classroom = db.session.get_one(Classroom, class_id)  # a membership's class exists (foreign key)
    db.session.delete(membership)
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
            .where(ClassDeck.class_id.in_(ids), visible_to(user))
            .order_by(ClassDeck.assigned_at)
        ):
            decks.setdefault(class_id, []).append(deck)
    return [MyClass(c, shown_name(display, username), decks.get(c.id, [])) for c, username, display in rows]
