"""The user aggregate: account, role and study preferences."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from learnapp.extensions import db
from learnapp.models.types import UTCDateTime, utcnow

ROLES = ("learner", "teacher", "admin")


class User(UserMixin, db.Model):
    __tablename__ = "users"

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
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def shown_name(self) -> str:
        return self.display_name or self.username

    def __repr__(self) -> str:
        return f"<User {self.username}>"
