"""Class readings: a teacher publishes one of their saved texts to a class; its members find it in their
list (`class_readings_for`) and read it like their own; the class dashboard counts who opened each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select

from learnapp.access import is_teacher, teaches
from learnapp.database import lock_for_write, transaction
from learnapp.errors import UserError
from learnapp.extensions import db
from learnapp.models import ClassMember, ClassReading, Classroom, ReaderText, ReadingOpen, User
from learnapp.reader.texts import LIST_SIZE, own_text


@dataclass(frozen=True)
class ClassReadingRow:
    reading: ClassReading
    text: ReaderText
    classroom: Classroom
    opened: bool


def class_readings_for(user: User) -> list[ClassReadingRow]:
    """The readings of the classes the learner is in, newest first."""
    rows = db.session.execute(
        select(ClassReading, ReaderText, Classroom, ReadingOpen.user_id)
        .join(ReaderText, ReaderText.id == ClassReading.text_id)
        .join(Classroom, Classroom.id == ClassReading.class_id)
        .join(ClassMember, and_(ClassMember.class_id == Classroom.id, ClassMember.user_id == user.id))
        .outerjoin(
            ReadingOpen, and_(ReadingOpen.reading_id == ClassReading.id, ReadingOpen.user_id == user.id)
        )
        .order_by(ClassReading.published_at.desc(), ClassReading.id.desc())
        .limit(LIST_SIZE)
    ).all()
    return [ClassReadingRow(r, t, c, opened is not None) for r, t, c, opened in rows]


# ---- class readings --------------------------------------------------------------------------------------


def teacher_classes(user: User) -> list[Classroom]:
    if not is_teacher(user):
        return []
    return list(
        db.session.scalars(select(Classroom).where(Classroom.teacher_id == user.id).order_by(Classroom.name))
    )


def published_to(text: ReaderText) -> list[Classroom]:
    return list(
        db.session.scalars(
            select(Classroom)
            .join(ClassReading, ClassReading.class_id == Classroom.id)
            .where(ClassReading.text_id == text.id)
            .order_by(Classroom.name)
        )
    )


@transaction()
def publish(user: User, text_id: int, class_id: int | None, now: datetime) -> tuple[Classroom, bool]:
    """Publish the teacher's saved text to one of their classes as a reading. Returns (class, new)."""
    lock_for_write(user.id)
    text = own_text(user, text_id)
    classroom = db.session.get(Classroom, class_id) if class_id is not None else None
    if classroom is None or not teaches(user, classroom):
        raise UserError("Pick one of your classes.", field="class_id")
    exists_ = db.session.scalar(
        select(ClassReading.id).where(ClassReading.class_id == classroom.id, ClassReading.text_id == text.id)
    )
    if exists_ is not None:
        return classroom, False
    db.session.add(ClassReading(class_id=classroom.id, text_id=text.id, published_at=now))
    db.session.flush()
    return classroom, True


@dataclass(frozen=True)
class ReadingFigure:
    reading_id: int
    text_id: int
    title: str
    published_at: datetime
    opened: int  # members who opened it


def class_reading_figures(class_id: int) -> list[ReadingFigure]:
    """For the class dashboard: each reading of the class and how many of its current members opened it."""
    members = select(ClassMember.user_id).where(ClassMember.class_id == class_id)
    opened = (
        select(func.count())
        .select_from(ReadingOpen)
        .where(ReadingOpen.reading_id == ClassReading.id, ReadingOpen.user_id.in_(members))
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(ClassReading.id, ReaderText.id, ReaderText.title, ClassReading.published_at, opened)
        .join(ReaderText, ReaderText.id == ClassReading.text_id)
        .where(ClassReading.class_id == class_id)
        .order_by(ClassReading.published_at.desc(), ClassReading.id.desc())
    ).all()
    return [
        ReadingFigure(reading_id, text_id, title, published_at, int(opened_count or 0))
        for reading_id, text_id, title, published_at, opened_count in rows
    ]
