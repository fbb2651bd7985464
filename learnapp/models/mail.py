"""The outbox: every mail the app sends, written in the transaction that caused it, then delivered."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from learnapp.extensions import Model
from learnapp.models.types import UTCDateTime, utcnow

MAIL_STATUSES = ("queued", "sending", "sent", "logged", "failed", "bounced")


class OutboxMail(Model):
    """One mail. Written with the action that causes it (a rolled-back action leaves none), delivered after
    the commit: by SMTP ("sent", the body then cleared), or into the log and this table on the embedded
    default ("logged", the body kept for the admin's outbox page); "failed" carries the server's answer,
    "bounced" the answer of a delivery report that came back later (mail/bounces.py)."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_created_at", "created_at"),
        Index("ix_outbox_user", "user_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20), nullable=False)  # verify, reset, email_changed, reminder
    to_address: Mapped[str] = mapped_column(String(320), nullable=False)
    subject: Mapped[str] = mapped_column(String(200), nullable=False)
    text_body: Mapped[str] = mapped_column(Text, nullable=False, default="")
    html_body: Mapped[str] = mapped_column(Text, nullable=False, default="")
    unsubscribe_url: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="queued")
    error: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
