"""What we keep about a learner, in numbers (the "My data" page), and the name of their export files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import SQLColumnExpression, func, select

from learnapp.extensions import db
from learnapp.models import (
    CardState,
    ClassMember,
    Classroom,
    Deck,
    DeckImport,
    Enrollment,
    Entry,
    Nickname,
    ReviewLog,
    TeacherInvite,
    User,
)

# --- What we keep --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuthoredDeck:
    slug: str
    title: str
    entries: int
    other_learners: int  # other people studying it, whose progress on it goes with it


@dataclass(frozen=True)
class TaughtClass:
    name: str
    members: int


@dataclass(frozen=True)
class DataSummary:
    """Counts of everything we keep about a learner, for the "My data" and delete pages."""

    reviews: int
    card_states: int
    decks_studying: int
    nicknames: int
    classes_joined: int
    invites_created: int
    deck_imports: int
    classes_taught: tuple[TaughtClass, ...]
    decks_authored: tuple[AuthoredDeck, ...]


def _count(model: type[Any], *where: SQLColumnExpression[bool]) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def summary(user: User) -> DataSummary:
    """What we keep about `user`, counted (read only)."""
    members = (
        select(func.count())
        .select_from(ClassMember)
        .where(ClassMember.class_id == Classroom.id)
        .scalar_subquery()
    )
    classes = db.session.execute(
        select(Classroom.name, members).where(Classroom.teacher_id == user.id).order_by(Classroom.name)
    ).all()
    entries = select(func.count()).select_from(Entry).where(Entry.deck_id == Deck.id).scalar_subquery()
    learners = (
        select(func.count())
        .select_from(Enrollment)
        .where(Enrollment.deck_id == Deck.id, Enrollment.user_id != user.id)
        .scalar_subquery()
    )
    decks = db.session.execute(
        select(Deck.slug, Deck.title, entries, learners).where(Deck.author_id == user.id).order_by(Deck.title)
    ).all()
    return DataSummary(
        reviews=_count(ReviewLog, ReviewLog.user_id == user.id),
        card_states=_count(CardState, CardState.user_id == user.id),
        decks_studying=_count(Enrollment, Enrollment.user_id == user.id, Enrollment.active),
        nicknames=_count(Nickname, Nickname.user_id == user.id),
        classes_joined=_count(ClassMember, ClassMember.user_id == user.id),
        invites_created=_count(TeacherInvite, TeacherInvite.created_by == user.id),
        deck_imports=_count(DeckImport, DeckImport.user_id == user.id),
        classes_taught=tuple(TaughtClass(name, count) for name, count in classes),
        decks_authored=tuple(AuthoredDeck(*row) for row in decks),
    )


# --- Export --------------------------------------------------------------------------------------------


def export_filename(user: User, now: datetime, extension: str) -> str:
    """huanying-<username>-<the learner's date>.<extension> (usernames are [A-Za-z0-9_.-] only)."""
    local = now.astimezone(user.zone)
    return f"huanying-{user.username}-{local.date().isoformat()}.{extension}"
