"""Server-side sessions: one row per logged-in device, so logging out ends a session on the server, not
only in the browser; and the rate limits' counters when no Redis is configured (learnapp/ratelimit.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from learnapp.extensions import Model
from learnapp.models.types import UTCDateTime


class UserSession(Model):
    """A device's login. The browser keeps a random 256-bit token in its signed session cookie; the row keeps
    only its SHA-256, so a leaked table opens no session. Deleting the row ends the session."""

    __tablename__ = "user_sessions"
    __table_args__ = (Index("ix_user_sessions_user_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    # Written at most every LAST_SEEN_EVERY (learnapp/auth/sessions.py), not on every request.
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    # "Firefox on Android": what the sessions page shows, never the whole User-Agent header.
    device: Mapped[str] = mapped_column(String(80), nullable=False, default="")


class RateLimitCounter(Model):
    """One rate-limit key's counts, shared by every process (the `database://` storage). `hits` holds the
    moving window's hit times (seconds since the epoch, oldest first, at most the limit's amount of them);
    `count` and `expires_at` serve the fixed-window strategy; `expires_at` also says when the row can go."""

    __tablename__ = "rate_limits"
    __table_args__ = (Index("ix_rate_limits_expires_at", "expires_at"),)

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    hits: Mapped[str] = mapped_column(Text, nullable=False, default="")
    expires_at: Mapped[float] = mapped_column(Float, nullable=False, default=0.0)
