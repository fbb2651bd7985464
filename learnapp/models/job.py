"""Work that outlives a request (fitting a schedule, and later more): its state, progress and outcome."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from learnapp.extensions import Model
from learnapp.models.types import UTCDateTime, utcnow

JOB_STATUSES = ("queued", "running", "done", "failed")


class Job(Model):
    """One background job of one user. The row is the truth: the queue (RQ on Redis, or a thread in the
    app's own process) only carries its id."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_user_kind", "user_id", "kind", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="queued")
    progress: Mapped[int] = mapped_column(Integer, nullable=False, default=0)  # 0..100
    message: Mapped[str] = mapped_column(Text, nullable=False, default="")
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")
