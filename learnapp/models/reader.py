"""The reader aggregate: a learner's saved texts, the words they kept from them, and class readings.

- `ReaderText`: a pasted post or thread, kept for its learner (title, source link, when it was last
  opened). One row per learner and text: pasting the same text again reopens it (`digest`).
- `MyWord`: a word a learner kept from a text, with the sentence they met it in. It points at an entry:
  one of the learner's own "My words" deck (a word we have no entry for), or one of our curated entries
  (no copy is made: the learner gets that entry's cards; `learnapp.decks.card_states.sync_card_states` keeps
  them active while the word is kept, enrolled in the entry's deck or not).
- `ClassReading`: a teacher's saved text published to one of their classes; `ReadingOpen`: which
  members opened it (the first time), for the class dashboard.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from learnapp.extensions import Model
from learnapp.models.types import UTCDateTime, utcnow


class ReaderText(Model):
    __tablename__ = "reader_texts"
    __table_args__ = (
        UniqueConstraint("user_id", "digest"),
        Index("ix_reader_texts_user_opened", "user_id", "opened_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    title: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    body: Mapped[str] = mapped_column(Text, nullable=False)
    source_url: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    digest: Mapped[str] = mapped_column(String(64), nullable=False)  # SHA-256 of the body, hex
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


class MyWord(Model):
    """A word a learner kept, with the sentence it came from. Keyed by learner first (shards by user)."""

    __tablename__ = "my_words"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("entries.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    sentence_zh: Mapped[str] = mapped_column(Text, nullable=False, default="")
    sentence_pinyin: Mapped[str] = mapped_column(Text, nullable=False, default="")
    sentence_en: Mapped[str] = mapped_column(Text, nullable=False, default="")
    text_id: Mapped[int | None] = mapped_column(ForeignKey("reader_texts.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


class ClassReading(Model):
    __tablename__ = "class_readings"
    __table_args__ = (UniqueConstraint("class_id", "text_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), nullable=False)
    text_id: Mapped[int] = mapped_column(
        ForeignKey("reader_texts.id", ondelete="CASCADE"), nullable=False, index=True
    )
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


class ReadingOpen(Model):
    """A class member who opened a class reading (once: the first time counts)."""

    __tablename__ = "reading_opens"

    reading_id: Mapped[int] = mapped_column(
        ForeignKey("class_readings.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
