"""The study aggregate: each learner's state of each card, and the append-only review log."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, event, text, update
from sqlalchemy.orm import Mapped, mapped_column

from learnapp.extensions import Model
from learnapp.models.types import UTCDateTime
from learnapp.srs.scheduler import State


class CardState(Model):
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
        # Today's backlog of reviews in the order decided for the day (lowest retrievability first): only
        # ranked cards are in this index, so its first entries are the next reviews to show.
        Index(
            "ix_card_states_user_backlog",
            "user_id",
            "backlog_order",
            "card_id",
            sqlite_where=text("backlog_order IS NOT NULL"),
            postgresql_where=text("backlog_order IS NOT NULL"),
        ),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"), primary_key=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id", ondelete="CASCADE"), nullable=False)
    state: Mapped[str] = mapped_column(String(12), nullable=False, default=str(State.NEW))
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
    # When reviews are backlogged beyond the daily limit, their order for the day: -(elapsed / stability)
    # when the day's order was decided (lowest retrievability first). Cleared when the card is answered.
    backlog_order: Mapped[float | None] = mapped_column(Float)


@event.listens_for(CardState, "after_update")
def _forget_backlog_order(mapper: Any, connection: Any, state: CardState) -> None:
    """A card state changed outside the answer path (suspended, reset, edited): today's backlog order is
    decided again on the learner's next visit (learnapp/study/queries.py keeps it for answers itself)."""
    users = mapper.local_table.metadata.tables["users"]
    connection.execute(update(users).where(users.c.id == state.user_id).values(backlog_ranked_for=None))


class ReviewLog(Model):
    """One answer. Append-only: undo marks it undone and restores `before`."""

    __tablename__ = "review_logs"
    __table_args__ = (
        # By learner and time (the log, stats); and today's tally (answers, new cards, reviews, the newest
        # answer) from the index alone.
        Index("ix_review_logs_user_day_tally", "user_id", "reviewed_at", "undone", "state_before", "id"),
        # Covering for the statistics: answers counted per study day, and the days studied, inside the index.
        Index(
            "ix_review_logs_user_study_day",
            "user_id",
            "study_day",
            "undone",
            "state_before",
            "rating",
            "duration_ms",
        ),
    )

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
    # An answer made offline and sent later that could not be applied (the card had changed on another
    # device, or was no longer in the queue at that time): kept as the learner's answer, but `undone`, so
    # nothing counts it and the card keeps its state. NULL for every answer that was applied.
    not_applied: Mapped[str | None] = mapped_column(String(32))
