"""A learner's texts: checking a pasted text (`check_text` refuses what the reader cannot show: empty, over
MAX_CHARS, control characters, HTML, nothing Chinese in it, with a message for the box), saving it
(`save_text`: pasting the same text again reopens it; the only write of a read), which texts a user may
read (their own, or one published to a class they are in or teach), their list and its search, deletion.
`database.lock_for_write` serialises one learner's writes for every write of the reader."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import delete, func, or_, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from learnapp.chinese.segment import Kind, leaves
from learnapp.chinese.syllables import has_hanzi
from learnapp.content.text import character_name, refused_in_value
from learnapp.database import lock_for_write, transaction
from learnapp.errors import NotFound, UserError
from learnapp.extensions import db
from learnapp.models import ClassMember, ClassReading, Classroom, ReaderText, ReadingOpen, User
from learnapp.reader.curated import segmenter

MAX_CHARS = 5_000
MAX_TITLE = 120
MAX_URL = 500
TITLE_FROM_TEXT = 40
LIST_SIZE = 50

NO_TEXT = "There is no saved text at this address."
_HTML = re.compile(r"<\s*/?\s*[A-Za-z!][^<>]*>")
_DIRECTION_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u061c"))  # invisible, they change nothing: dropped


# ---- checking and saving a text -------------------------------------------------------------------------


@dataclass(frozen=True)
class TextFields:
    body: str
    title: str = ""
    source_url: str = ""


def clean_body(raw: str | None) -> str:
    """Line breaks made plain (\\r\\n and \\r to \\n), Unicode composed (NFC), the invisible direction marks
    (U+200E, U+200F, U+061C) dropped, outer blank space trimmed."""
    text = (raw or "").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text).translate(_DIRECTION_MARKS).strip()


def check_text(fields: TextFields) -> TextFields:
    """The fields cleaned, or a UserError beside the field at fault (nothing is saved)."""
    body = clean_body(fields.body)
    if not body:
        raise UserError("Paste a post, a comment or a caption in Chinese to read it.", field="text")
    if len(body) > MAX_CHARS:
        raise UserError(
            f"That's {len(body):,} characters: the reader takes up to {MAX_CHARS:,} at a time. "
            "Paste a shorter part (a post or a few comments).",
            field="text",
        )
    if (bad := refused_in_value(body)) is not None:
        # Control characters and the bidirectional overrides and isolates (which make text show in another
        # order than it is stored); the request check lets this box through to be told here, beside it.
        raise UserError(
            f"The text has {character_name(bad)} (U+{ord(bad):04X}) in it, an invisible character the "
            "reader cannot show. Copy it again from the post itself, as plain text, or delete it.",
            field="text",
        )
    if _HTML.search(body):
        raise UserError(
            "This looks like web page code (HTML tags), not a post. Paste the words as you read them.",
            field="text",
        )
    if not has_hanzi(body) and not any(t.kind is Kind.CURATED for t in leaves(segmenter().segment(body))):
        raise UserError(
            "There's no Chinese in this text. The reader explains Chinese posts: paste one in Chinese "
            "(English, emoji and stickers mixed in are fine).",
            field="text",
        )
    title = " ".join("".join(c for c in (fields.title or "") if c.isprintable()).split())
    if len(title) > MAX_TITLE:
        raise UserError(f"Keep the title to {MAX_TITLE} characters.", field="title")
    source = (fields.source_url or "").strip()
    if source:
        parts = urlsplit(source)
        if (
            parts.scheme not in ("http", "https")
            or not parts.netloc
            or len(source) > MAX_URL
            or any(c.isspace() or not c.isprintable() for c in source)
        ):
            raise UserError(
                "Give the post's web address, starting with https:// (or leave it empty).", field="source_url"
            )
    return TextFields(body=body, title=title, source_url=source)


def default_title(body: str) -> str:
    first = next((line.strip() for line in body.split("\n") if line.strip()), "")
    return first if len(first) <= TITLE_FROM_TEXT else first[: TITLE_FROM_TEXT - 1].rstrip() + "…"


@transaction()
def save_text(user: User, fields: TextFields, now: datetime) -> tuple[ReaderText, bool]:
    """Keep a checked text for its learner; the same text pasted again is reopened (its title and link
    updated when new ones are given). Returns (text, newly saved)."""
    checked = check_text(fields)
    digest = hashlib.sha256(checked.body.encode()).hexdigest()
    lock_for_write(user.id)
    text = db.session.scalar(
        select(ReaderText).where(ReaderText.user_id == user.id, ReaderText.digest == digest)
    )
    if text is not None:
        text.title = checked.title or text.title
        text.source_url = checked.source_url or text.source_url
        text.opened_at = now
        return text, False
    text = ReaderText(
        user_id=user.id,
        title=checked.title or default_title(checked.body),
        body=checked.body,
        source_url=checked.source_url,
        digest=digest,
        created_at=now,
        opened_at=now,
    )
    db.session.add(text)
    db.session.flush()
    return text, True


# ---- which texts a user may read ------------------------------------------------------------------------


@dataclass(frozen=True)
class Readable:
    text: ReaderText
    reading: ClassReading | None = None  # set when the text is read as a class reading
    classroom: Classroom | None = None

    @property
    def own(self) -> bool:
        return self.reading is None


def readable(user: User, text_id: int) -> Readable:
    """A text the user may read: their own, or one published to a class they are in (or teach); anyone
    else's text is NotFound, as if it did not exist (admins included: a learner's texts are private)."""
    text = db.session.get(ReaderText, text_id)
    if text is None:
        raise NotFound(NO_TEXT)
    if text.user_id == user.id:
        return Readable(text)
    row = db.session.execute(
        select(ClassReading, Classroom)
        .join(Classroom, Classroom.id == ClassReading.class_id)
        .where(
            ClassReading.text_id == text.id,
            or_(
                Classroom.id.in_(select(ClassMember.class_id).where(ClassMember.user_id == user.id)),
                Classroom.teacher_id == user.id,
            ),
        )
        .order_by(ClassReading.published_at)
        .limit(1)
    ).first()
    if row is None:
        raise NotFound(NO_TEXT)
    return Readable(text, row[0], row[1])


def own_text(user: User, text_id: int) -> ReaderText:
    text = db.session.get(ReaderText, text_id)
    if text is None or text.user_id != user.id:
        raise NotFound(NO_TEXT)
    return text


@transaction()
def opened(user: User, found: Readable, now: datetime) -> None:
    """Note that the user opened the text: their own text moves to the top of their list; a class member
    opening a class reading is counted once for the class dashboard."""
    if found.own:
        found.text.opened_at = now
        return
    assert found.reading is not None and found.classroom is not None
    if found.classroom.teacher_id == user.id:
        return
    if db.session.get(ReadingOpen, (found.reading.id, user.id)) is None:
        # Opened twice at once: the first counts, the second inserts nothing (no error, no savepoint).
        dialect = db.session.get_bind().dialect.name
        insert_ = postgresql_insert if dialect == "postgresql" else sqlite_insert
        db.session.execute(
            insert_(ReadingOpen)
            .values(reading_id=found.reading.id, user_id=user.id, opened_at=now)
            .on_conflict_do_nothing(index_elements=["reading_id", "user_id"])
        )


# ---- the learner's list of texts ------------------------------------------------------------------------


@dataclass(frozen=True)
class TextRow:
    text: ReaderText
    readings: int  # classes it is published to


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True)
class TextPage:
    rows: list[TextRow]
    page: int  # from 1, newest first
    has_more: bool  # older texts on the next page

    @property
    def first_number(self) -> int:
        return (self.page - 1) * LIST_SIZE + 1


def search_term(query: str | None) -> str:
    return " ".join("".join(c for c in (query or "") if c.isprintable()).split())[:100]


def text_page(user: User, query: str = "", page: int = 1) -> TextPage:
    """One page (LIST_SIZE) of the learner's saved texts, last opened first; `query` finds words in their
    titles and bodies, Latin letters in any case (YYDS finds yyds) on SQLite and PostgreSQL alike."""
    term = search_term(query)
    page = max(page, 1)
    published = (
        select(func.count())
        .select_from(ClassReading)
        .where(ClassReading.text_id == ReaderText.id)
        .scalar_subquery()
    )
    statement = select(ReaderText, published).where(ReaderText.user_id == user.id)
    if term:
        # ILIKE on PostgreSQL (whose LIKE tells case apart), lower() LIKE lower() on SQLite.
        pattern = _like(term)
        statement = statement.where(
            or_(ReaderText.title.ilike(pattern, escape="\\"), ReaderText.body.ilike(pattern, escape="\\"))
        )
    rows = db.session.execute(
        statement.order_by(ReaderText.opened_at.desc(), ReaderText.id.desc())
        .offset((page - 1) * LIST_SIZE)
        .limit(LIST_SIZE + 1)
    ).all()
    return TextPage(
        rows=[TextRow(text, int(count or 0)) for text, count in rows[:LIST_SIZE]],
        page=page,
        has_more=len(rows) > LIST_SIZE,
    )


def texts(user: User, query: str = "") -> list[TextRow]:
    """The first page of the learner's saved texts (see `text_page`)."""
    return text_page(user, query).rows


@transaction()
def delete_text(user: User, text_id: int) -> ReaderText:
    """Delete a saved text (and its class readings). Words kept from it stay, with their sentences. Sent
    twice at once, the second finds nothing to delete (a 404)."""
    lock_for_write(user.id)
    text = own_text(user, text_id)
    db.session.execute(delete(ClassReading).where(ClassReading.text_id == text.id))
    db.session.delete(text)
    return text
