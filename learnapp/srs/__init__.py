"""Pure scheduling domain: no Flask, no database, no clock of its own (`now` is always passed in)."""

from learnapp.srs.queue import Bucket, Day, QueueCounts, QueuePlan, learner_day, pick_bucket
from learnapp.srs.scheduler import (
    RATINGS,
    Rating,
    Scheduler,
    SchedulingState,
    format_interval,
)

__all__ = [
    "RATINGS",
    "Bucket",
    "Day",
    "QueueCounts",
    "QueuePlan",
    "Rating",
    "Scheduler",
    "SchedulingState",
    "format_interval",
    "learner_day",
    "pick_bucket",
]
