"""The learner's own data: what we keep, every row of it as JSON or CSV, and deleting all of it.

Reads are plain Core selects (a 20,000-review export is a few joined queries, see benchmarks/account.py).
`delete_account()` is one transaction that deletes explicitly, children before parents, so it does not
depend on ON DELETE CASCADE (SQLite only honours it with the foreign_keys pragma).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import bindparam, delete, func, or_, select, update
from werkzeug.security import check_password_hash

from learnapp.errors import UserError
from learnapp.extensions import db
from learnapp.models import (
    Card,
    CardState,
    ClassDeck,
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
from learnapp.srs import Rating

EXPORT_FORMAT = "huanying-export"
EXPORT_VERSION = 1
WRONG_PASSWORD = "That isn't your password. Nothing was deleted."  # noqa: S105 (a message)
CSV_HEADER = (
    "reviewed_at",
    "study_day",
    "deck",
    "entry_key",
    "headword",
    "kind",
    "rating",
    "rating_name",
    "state_before",
    "state_after",
    "duration_ms",
    "undone",
)
# A spreadsheet would run a cell starting with one of these as a formula (deck text comes from authors).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_RATING_NAMES = {int(rating): rating.label for rating in Rating}


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


def _count(model, *where) -> int:
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


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_filename(user: User, now: datetime, extension: str) -> str:
    """huanying-<username>-<the learner's date>.<extension> (usernames are [A-Za-z0-9_.-] only)."""
    try:
        local = now.astimezone(ZoneInfo(user.timezone))
    except (ValueError, ZoneInfoNotFoundError):
        local = now
    return f"huanying-{user.username}-{local.date().isoformat()}.{extension}"


def _profile(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "email": user.email,
        "display_name": user.display_name,
        "role": user.role,
        "timezone": user.timezone,
        "day_rollover_hour": user.day_rollover_hour,
        "desired_retention": user.desired_retention,
        "new_per_day": user.new_per_day,
        "reviews_per_day": user.reviews_per_day,
        "fsrs_parameters": user.fsrs_parameters,
        "preferences": user.preferences,
        "onboarding_step": user.onboarding_step,
        "can_invite": user.can_invite,
        "created_at": _iso(user.created_at),
    }


def _nicknames(user: User, share_url: Callable[[str], str | None]) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(Nickname).where(Nickname.user_id == user.id).order_by(Nickname.created_at, Nickname.id)
    ).scalars()
    return [
        {
            "hanzi": n.hanzi,
            "pinyin": n.pinyin,
            "kind": n.kind,
            "details": n.details,
            "public": n.public,
            "current": n.current,
            "created_at": _iso(n.created_at),
            "share_url": share_url(n.share_token),
        }
        for n in rows
    ]


def _enrollments(user: User) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(Deck.slug, Enrollment.active, Enrollment.enrolled_at)
        .join(Deck, Deck.id == Enrollment.deck_id)
        .where(Enrollment.user_id == user.id)
        .order_by(Enrollment.enrolled_at, Deck.slug)
    )
    return [{"deck": slug, "active": active, "enrolled_at": _iso(at)} for slug, active, at in rows]


# The two big lists (a heavy learner has tens of thousands of answers) are prebuilt Core statements read as
# plain tuples: no ORM row processing (benchmarks/account.py).
_cs = CardState.__table__
_logs = ReviewLog.__table__
_cards = Card.__table__
_entries = Entry.__table__
_decks = Deck.__table__
_CARD_STATES = (
    select(
        _decks.c.slug,
        _entries.c.key,
        _entries.c.headword,
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
        _decks.c.slug,
        _entries.c.key,
        _entries.c.headword,
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


def _card_states(user: User) -> Iterator[dict[str, Any]]:
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
        ) in db.session.connection().execute(_CARD_STATES, {"user_id": user.id})
    )


def _review_rows(user: User) -> Iterable[tuple[Any, ...]]:
    """Every answer the learner gave, undone ones included, oldest first, with its deck and entry."""
    return db.session.connection().execute(_REVIEWS, {"user_id": user.id})


def _reviews(user: User) -> Iterator[dict[str, Any]]:
    return (
        {
            "reviewed_at": reviewed_at.isoformat(),
            "study_day": study_day and study_day.isoformat(),
            "deck": slug,
            "entry_key": key,
            "headword": headword,
            "kind": kind,
            "rating": rating,
            "rating_name": _RATING_NAMES.get(rating),
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
        ) in _review_rows(user)
    )


def _classes(user: User) -> dict[str, list[dict[str, Any]]]:
    """Classes the learner is in (their name) and teaches (no other person's data: counts only)."""
    joined = db.session.execute(
        select(Classroom.name, ClassMember.joined_at)
        .join(Classroom, Classroom.id == ClassMember.class_id)
        .where(ClassMember.user_id == user.id)
        .order_by(ClassMember.joined_at)
    )
    members = (
        select(func.count())
        .select_from(ClassMember)
        .where(ClassMember.class_id == Classroom.id)
        .scalar_subquery()
    )
    taught = db.session.execute(
        select(Classroom.id, Classroom.name, Classroom.description, Classroom.created_at, members)
        .where(Classroom.teacher_id == user.id)
        .order_by(Classroom.created_at, Classroom.id)
    ).all()
    assigned: dict[int, list[str]] = {}
    if taught:
        for class_id, slug in db.session.execute(
            select(ClassDeck.class_id, Deck.slug)
            .join(Deck, Deck.id == ClassDeck.deck_id)
            .where(ClassDeck.class_id.in_([row.id for row in taught]))
            .order_by(Deck.slug)
        ):
            assigned.setdefault(class_id, []).append(slug)
    return {
        "member_of": [{"name": name, "joined_at": _iso(at)} for name, at in joined],
        "teaching": [
            {
                "name": row.name,
                "description": row.description,
                "created_at": _iso(row.created_at),
                "members": row[4],
                "decks": assigned.get(row.id, []),
            }
            for row in taught
        ],
    }


def _decks_authored(user: User) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(Deck.slug, Deck.title, Deck.visibility, Deck.created_at)
        .where(Deck.author_id == user.id)
        .order_by(Deck.slug)
    )
    return [
        {"slug": slug, "title": title, "visibility": visibility, "created_at": _iso(at)}
        for slug, title, visibility, at in rows
    ]


def _invites(user: User) -> list[dict[str, Any]]:
    # Whether an invite was used and when, not by whom (that is the other person's data).
    rows = db.session.execute(
        select(TeacherInvite.code, TeacherInvite.created_at, TeacherInvite.used_at)
        .where(TeacherInvite.created_by == user.id)
        .order_by(TeacherInvite.created_at, TeacherInvite.id)
    )
    return [{"code": code, "created_at": _iso(at), "used_at": _iso(used)} for code, at, used in rows]


def _deck_imports(user: User) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(Deck.slug, DeckImport.filename, DeckImport.created_at)
        .join(Deck, Deck.id == DeckImport.deck_id)
        .where(DeckImport.user_id == user.id)
        .order_by(DeckImport.created_at, DeckImport.id)
    )
    return [{"deck": slug, "filename": name, "created_at": _iso(at)} for slug, name, at in rows]


def _sections(user: User, now: datetime, share_url: Callable[[str], str | None]) -> dict[str, Any]:
    """The export's sections in order; the two big lists are lazy (read as they are written)."""
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": _iso(now),
        "profile": _profile(user),
        "nicknames": _nicknames(user, share_url),
        "enrollments": _enrollments(user),
        "card_states": _card_states(user),
        "reviews": _reviews(user),
        "classes": _classes(user),
        "decks_authored": _decks_authored(user),
        "teacher_invites_created": _invites(user),
        "deck_imports": _deck_imports(user),
    }


def export_data(user: User, now: datetime, share_url: Callable[[str], str | None]) -> dict[str, Any]:
    """Everything we keep about `user` as plain JSON types. `share_url` turns a nickname's share token
    into its page's address (the view knows the routes). Read only."""
    return {
        key: list(value) if isinstance(value, Iterator) else value
        for key, value in _sections(user, now, share_url).items()
    }


_ENCODER = json.JSONEncoder(ensure_ascii=False)  # hanzi as themselves, not \\u escapes


def export_json(user: User, now: datetime, share_url: Callable[[str], str | None]) -> bytes:
    """The export as UTF-8 JSON, one top-level key, or one record of a list, a line: easy to read and to
    diff. Written record by record with the C encoder (json's `indent` falls back to the pure-Python one),
    so the records are never all in memory as dicts (benchmarks/account.py)."""
    encode = _ENCODER.encode
    out = io.BytesIO()
    write = out.write
    write(b"{")
    for number, (key, value) in enumerate(_sections(user, now, share_url).items()):
        write(f"{',' if number else ''}\n {encode(key)}: ".encode())
        if isinstance(value, list | Iterator):
            separator = b"[\n  "
            for item in value:
                write(separator)
                write(encode(item).encode())
                separator = b",\n  "
            write(b"[]" if separator == b"[\n  " else b"\n ]")
        else:
            write(encode(value).encode())
    write(b"\n}\n")
    return out.getvalue()


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def review_log_csv(user: User) -> bytes:
    """The review log as CSV (UTF-8, header row, one answer a row, oldest first). Read only."""
    out = io.BytesIO()
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")  # encoded as written
    writer = csv.writer(text)
    writer.writerow(CSV_HEADER)
    writer.writerows(
        (
            reviewed_at.isoformat(),
            study_day.isoformat() if study_day else "",
            _cell(slug),
            _cell(key),
            _cell(headword),
            kind,
            rating,
            _RATING_NAMES.get(rating, ""),
            before,
            after,
            "" if duration_ms is None else duration_ms,
            "true" if undone else "false",
        )
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
            _elapsed,
            undone,
        ) in _review_rows(user)
    )
    text.detach()  # flushes; closing the wrapper would close `out`
    return out.getvalue()


# --- Delete --------------------------------------------------------------------------------------------


def delete_account(user: User, password: str) -> None:
    """Delete the account and everything about it, in one transaction, after checking the password.

    Decks the user authored go too, with their entries, cards and every learner's progress on them;
    classes they teach go with their members and assignments. Raises UserError (field "password") on a
    wrong password, having changed nothing. Commits.
    """
    if not password or not check_password_hash(user.password_hash, password):
        raise UserError(WRONG_PASSWORD, field="password")
    user_id = user.id
    # Lock the user's row first (PostgreSQL: FOR UPDATE also holds back any insert that references it;
    # SQLite: the write takes the database's write lock), so nothing the user owns can appear between
    # reading the ids below and deleting them. The write also ends every session at once.
    db.session.execute(select(User.id).where(User.id == user_id).with_for_update())
    db.session.execute(
        update(User).where(User.id == user_id).values(session_version=User.session_version + 1),
        execution_options={"synchronize_session": False},
    )
    # Lock the decks and classes that go, so no one enrolls in or joins them meanwhile.
    deck_ids = list(db.session.scalars(select(Deck.id).where(Deck.author_id == user_id).with_for_update()))
    class_ids = list(
        db.session.scalars(select(Classroom.id).where(Classroom.teacher_id == user_id).with_for_update())
    )
    deck_cards = select(Card.id).where(Card.deck_id.in_(deck_ids))
    statements = [
        # Study data: the user's own, and everyone's on the user's decks.
        delete(ReviewLog).where(or_(ReviewLog.user_id == user_id, ReviewLog.card_id.in_(deck_cards))),
        delete(CardState).where(
            or_(
                CardState.user_id == user_id,
                CardState.deck_id.in_(deck_ids),
                CardState.card_id.in_(deck_cards),
            )
        ),
        delete(Enrollment).where(or_(Enrollment.user_id == user_id, Enrollment.deck_id.in_(deck_ids))),
        # Teaching: assignments and members of the user's classes (and of theirs on others' classes).
        delete(ClassDeck).where(or_(ClassDeck.class_id.in_(class_ids), ClassDeck.deck_id.in_(deck_ids))),
        delete(ClassMember).where(or_(ClassMember.user_id == user_id, ClassMember.class_id.in_(class_ids))),
        delete(Classroom).where(Classroom.id.in_(class_ids)),
        # Invites they made or redeemed: deleted, so a used code can never be redeemed again.
        delete(TeacherInvite).where(
            or_(TeacherInvite.created_by == user_id, TeacherInvite.used_by == user_id)
        ),
        delete(DeckImport).where(or_(DeckImport.user_id == user_id, DeckImport.deck_id.in_(deck_ids))),
        delete(Nickname).where(Nickname.user_id == user_id),
        # The user's decks: cards, then entries, then the decks.
        delete(Card).where(Card.deck_id.in_(deck_ids)),
        delete(Entry).where(Entry.deck_id.in_(deck_ids)),
        delete(Deck).where(Deck.id.in_(deck_ids)),
        delete(User).where(User.id == user_id),
    ]
    for statement in statements:
        db.session.execute(statement, execution_options={"synchronize_session": False})
    db.session.commit()
    db.session.expunge_all()  # nothing loaded before may be written back


__all__ = [
    "CSV_HEADER",
    "WRONG_PASSWORD",
    "AuthoredDeck",
    "DataSummary",
    "TaughtClass",
    "delete_account",
    "export_data",
    "export_filename",
    "export_json",
    "review_log_csv",
    "summary",
]
