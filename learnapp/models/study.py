"""The study aggregate: each learner's state of each card, and the append-only review log."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from learnapp.extensions import db
from learnapp.models.types import UTCDateTime


class CardState(db.Model):
    """One learner's scheduling state of one card. Keyed by user first: the data shards by user."""

    __tablename__ = "card_states"
    __table_args__ = (
        # Covering indexes for the queue: counts and heads are index-only scans.
        Index(
            "ix_card_states_user_state_due", "user_id", "state", "due", "active", "suspended", "buried_until"
        ),
        Index(
            "ix_card_states_user_state_new_position",
            "user_id",
            "state",
            "new_position",
            "active",
            "suspended",
            "buried_until",
        ),
        Index("ix_card_states_user_deck", "user_id", "deck_id"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"), primary_key=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id", ondelete="CASCADE"), nullable=False)
    state: Mapped[str] = mapped_column(String(12), nullable=False, default="new")
    step: Mapped[int | None] = mapped_column(Integer)
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    due: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_review: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reps: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    lapses: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    new_position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    buried_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspended: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # Tagged when the card has lapsed LEECH_LAPSES times (and suspended then); cleared by a reset.
    leech: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # False while the learner has left the deck or the entry is retired: out of every queue, kept for history.
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    # Bumped by every answer and every undo; a form carries the version it was shown.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class ReviewLog(db.Model):
    """One answer. Append-only: undo marks it undone and restores `before`."""

    __tablename__ = "review_logs"
    __table_args__ = (Index("ix_review_logs_user_reviewed_at", "user_id", "reviewed_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"), nullable=False)
    rating: Mapped[int] = mapped_column(Integer, nullable=False)
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    # The learner's study day when they answered (their timezone and rollover hour then): statistics
    # and streaks use it, so a later change of timezone does not move old reviews to other days.
    study_day: Mapped[date | None] = mapped_column(Date)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    state_before: Mapped[str] = mapped_column(String(12), nullable=False)
    state_after: Mapped[str] = mapped_column(String(12), nullable=False)
    elapsed_days: Mapped[float | None] = mapped_column(Float)
    before: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    after: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    undone: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
