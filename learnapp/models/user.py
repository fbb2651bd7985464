"""The user aggregate: account, role and study preferences."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, Date, Float, Index, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from learnapp.content.text import shown_name
from learnapp.extensions import Model
from learnapp.models.types import UTCDateTime, utcnow
from learnapp.srs.queue import Day, learner_day, learner_zone

ROLES = ("learner", "teacher", "admin")
DEFAULT_REMINDER_MINUTE = 19 * 60  # 19:00 in the learner's timezone


class User(UserMixin, Model):
    __tablename__ = "users"
    # Reminders are off by default, so the enabled rows are few: the minute's sender reads only them.
    __table_args__ = (Index("ix_users_reminder_enabled", "reminder_enabled"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(30), nullable=False)
    # Lower-cased username: uniqueness and login are case-insensitive, display keeps the user's casing.
    username_key: Mapped[str] = mapped_column(String(30), unique=True, nullable=False)
    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    role: Mapped[str] = mapped_column(String(16), nullable=False, default="learner")
    display_name: Mapped[str | None] = mapped_column(String(60))
    timezone: Mapped[str] = mapped_column(String(64), nullable=False, default="UTC")
    day_rollover_hour: Mapped[int] = mapped_column(Integer, nullable=False, default=4)
    desired_retention: Mapped[float] = mapped_column(Float, nullable=False, default=0.9)
    new_per_day: Mapped[int] = mapped_column(Integer, nullable=False, default=20)
    reviews_per_day: Mapped[int] = mapped_column(Integer, nullable=False, default=200)
    fsrs_parameters: Mapped[list[float] | None] = mapped_column(JSON)
    preferences: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    # Bumped when the password changes: old sessions (Flask-Login's get_id) stop working.
    session_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    # Where the welcome flow stands: "nickname", "goals" or "done" (skipped or finished).
    onboarding_step: Mapped[str] = mapped_column(String(16), nullable=False, default="nickname")
    # A teacher an admin allows to hand out teacher invite codes.
    can_invite: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # The start of the learner's day for which today's backlog order was decided (card_states.backlog_order);
    # None or another day: decide it again before showing a backlogged review.
    backlog_ranked_for: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Decks assigned to the learner (by a class) whose cards are made on the learner's next visit.
    decks_pending: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    # When the current address was proved ours (its link clicked); None until then and after a change.
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Daily reminders (learnapp/reminders/): off by default; the time is minutes after local midnight.
    reminder_enabled: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=false()
    )
    reminder_minute: Mapped[int] = mapped_column(
        Integer, nullable=False, default=DEFAULT_REMINDER_MINUTE, server_default=str(DEFAULT_REMINDER_MINUTE)
    )
    # The last learner-day whose reminder was settled (sent, or not needed): at most one a learner-day.
    reminder_last_day: Mapped[date | None] = mapped_column(Date)
    # Mails to the current address refused in a row (bounced, invalid); reminders stop at 3.
    mail_failures: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def zone(self) -> ZoneInfo:
        """The learner's timezone (UTC when the stored name is not a zone we know)."""
        return learner_zone(self.timezone)

    def study_day(self, now: datetime) -> Day:
        """The learner's day that `now` falls in: from their rollover hour, in their timezone."""
        return learner_day(now, self.timezone, self.day_rollover_hour)

    @property
    def shown_name(self) -> str:
        """The display name as pages show it (nothing invisible in it), else the username."""
        return shown_name(self.display_name, self.username)

    def __repr__(self) -> str:
        return f"<User {self.username}>"
