"""The learner's data as files: everything about them as one JSON document, and the review log as CSV.

Reads are plain Core selects (a 20,000-review export is a few joined queries, see benchmarks/account.py);
the card states and the answers, the two big lists, come from `study_records`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from learnapp.account.study_records import RATING_NAMES, card_states, if_shown, params, review_rows, reviews
from learnapp.content.text import escape_never_shown, shown_text
from learnapp.extensions import db
from learnapp.models import (
    ClassDeck,
    ClassMember,
    Classroom,
    Deck,
    DeckImport,
    Enrollment,
    Entry,
    MyWord,
    Nickname,
    ReaderText,
    TeacherInvite,
    User,
    UserSession,
)

EXPORT_FORMAT = "huanying-export"
EXPORT_VERSION = 1
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


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


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
        select(if_shown(Deck.__table__.c.slug), Enrollment.active, Enrollment.enrolled_at)
        .join(Deck, Deck.id == Enrollment.deck_id)
        .where(Enrollment.user_id == user.id)
        .order_by(Enrollment.enrolled_at, Deck.slug),
        params(user),
    )
    return [{"deck": slug, "active": active, "enrolled_at": _iso(at)} for slug, active, at in rows]


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


def _reader(user: User) -> dict[str, list[dict[str, Any]]]:
    """The reader: the learner's saved texts and the words they kept, with their sentences."""
    texts = db.session.execute(
        select(ReaderText.title, ReaderText.body, ReaderText.source_url, ReaderText.created_at)
        .where(ReaderText.user_id == user.id)
        .order_by(ReaderText.created_at, ReaderText.id)
    )
    words = db.session.execute(
        select(Entry.headword, Deck.slug, MyWord.sentence_zh, MyWord.sentence_en, MyWord.added_at)
        .join(Entry, Entry.id == MyWord.entry_id)
        .join(Deck, Deck.id == Entry.deck_id)
        .where(MyWord.user_id == user.id)
        .order_by(MyWord.added_at, Entry.id)
    )
    return {
        "texts": [
            {"title": title, "text": body, "source_url": url, "created_at": _iso(at)}
            for title, body, url, at in texts
        ],
        "my_words": [
            {"headword": word, "deck": slug, "sentence": zh, "sentence_en": en, "added_at": _iso(at)}
            for word, slug, zh, en, at in words
        ],
    }


def _sessions(user: User) -> list[dict[str, Any]]:
    """The devices logged in: a browser and system, when logged in and last seen (never the token)."""
    rows = db.session.execute(
        select(UserSession.device, UserSession.created_at, UserSession.last_seen)
        .where(UserSession.user_id == user.id)
        .order_by(UserSession.created_at, UserSession.id)
    )
    return [
        {"device": row.device, "logged_in_at": _iso(row.created_at), "last_seen": _iso(row.last_seen)}
        for row in rows
    ]


def _sections(user: User, now: datetime, share_url: Callable[[str], str | None]) -> dict[str, Any]:
    """The export's sections in order; the two big lists are lazy (read as they are written)."""
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": _iso(now),
        "profile": _profile(user),
        "nicknames": _nicknames(user, share_url),
        "enrollments": _enrollments(user),
        "card_states": card_states(user),
        "reviews": reviews(user),
        "classes": _classes(user),
        "decks_authored": _decks_authored(user),
        "teacher_invites_created": _invites(user),
        "deck_imports": _deck_imports(user),
        "reader": _reader(user),
        "sessions": _sessions(user),
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

    def encode(value: Any) -> str:
        return escape_never_shown(_ENCODER.encode(value))

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


def _cell(value: str | None) -> str:
    if value is None:  # a deck the learner may no longer see: its content is not theirs to export
        return ""
    value = shown_text(value)  # a spreadsheet would show direction overrides and hide the rest
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
            RATING_NAMES.get(rating, ""),
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
        ) in review_rows(user)
    )
    text.detach()  # flushes; closing the wrapper would close `out`
    return out.getvalue()
