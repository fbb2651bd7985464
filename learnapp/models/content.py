"""The content aggregate: decks, their entries, and the cards each entry makes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learnapp.content.entry import DEFAULT_CARD_KINDS
from learnapp.extensions import Model
from learnapp.models.types import UTCDateTime, utcnow

VISIBILITIES = ("private", "unlisted", "public")


class Deck(Model):
    __tablename__ = "decks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    title: Mapped[str] = mapped_column(String(120), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    category: Mapped[str] = mapped_column(String(20), nullable=False, default="mandarin")
    level: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    prerequisites: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    card_kinds: Mapped[list[str]] = mapped_column(
        JSON, nullable=False, default=lambda: list(DEFAULT_CARD_KINDS)
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    visibility: Mapped[str] = mapped_column(String(10), nullable=False, default="public")
    license: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    attribution: Mapped[str] = mapped_column(Text, nullable=False, default="")
    source_file: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    entries: Mapped[list[Entry]] = relationship(
        back_populates="deck", order_by="Entry.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Deck {self.slug}>"


class Entry(Model):
    __tablename__ = "entries"
    __table_args__ = (
        UniqueConstraint("deck_id", "key"),
        Index("ix_entries_deck_position", "deck_id", "position"),
        Index("ix_entries_headword", "headword"),  # the reader: the learner's card states of a text's words
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id", ondelete="CASCADE"), nullable=False)
    key: Mapped[str] = mapped_column(String(80), nullable=False)  # the stable id from the deck file
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    headword: Mapped[str] = mapped_column(String(120), nullable=False)
    pinyin: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    pinyin_spoken: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    literal: Mapped[str] = mapped_column(Text, nullable=False, default="")
    meaning: Mapped[str] = mapped_column(Text, nullable=False)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    example_zh: Mapped[str] = mapped_column(Text, nullable=False, default="")
    example_pinyin: Mapped[str] = mapped_column(Text, nullable=False, default="")
    example_en: Mapped[str] = mapped_column(Text, nullable=False, default="")
    tags: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    # For the wiki's search: pinyin without tones or spaces (nihao) and with tone numbers (ni3hao3).
    search_pinyin: Mapped[str] = mapped_column(String(255), nullable=False, default="", index=True)
    search_numbered: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    retired: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    deck: Mapped[Deck] = relationship(back_populates="entries")
    cards: Mapped[list[Card]] = relationship(back_populates="entry", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Entry {self.key} {self.headword}>"


class Card(Model):
    __tablename__ = "cards"
    __table_args__ = (UniqueConstraint("entry_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), nullable=False)
    deck_id: Mapped[int] = mapped_column(
        ForeignKey("decks.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    retired: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    entry: Mapped[Entry] = relationship(back_populates="cards")

    def __repr__(self) -> str:
        return f"<Card {self.id} {self.kind}>"


class Enrollment(Model):
    """A learner studying a deck. Leaving keeps the row (and all progress) with active=False."""

    __tablename__ = "enrollments"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id", ondelete="CASCADE"), primary_key=True)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    # Assigned by a class, its cards not made yet: made on the learner's next visit (users.decks_pending).
    pending: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
