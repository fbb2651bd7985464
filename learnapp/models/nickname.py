"""Chinese nicknames chosen in onboarding, each with its own share page."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from learnapp.extensions import Model
from learnapp.models.types import UTCDateTime, utcnow


class Nickname(Model):
    """A nickname a learner picked. The newest current one is their display name; older ones keep
    their share page unless the owner retires it."""

    __tablename__ = "nicknames"
    __table_args__ = (
        Index("ix_nicknames_user_current", "user_id", "current"),
        # At most one current nickname per learner, whatever arrives at once.
        Index(
            "uq_nicknames_one_current",
            "user_id",
            unique=True,
            sqlite_where=text("current"),
            postgresql_where=text("current"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    hanzi: Mapped[str] = mapped_column(String(20), nullable=False)
    pinyin: Mapped[str] = mapped_column(String(120), nullable=False)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)  # "sound", "chinese" or "own"
    # The suggestion as generated (characters with their meanings, why, story): a shared link never
    # changes under its reader even if the generator's tables do.
    details: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    # The share page's address: short and unguessable (secrets.token_urlsafe).
    share_token: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    public: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    current: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
