"""Pure scheduling domain: no Flask, no database, no clock of its own (`now` is always passed in)."""

from learnapp.srs.queue import (
    Bucket,
    Day,
    DoneToday,
    QueueCounts,
    QueuePlan,
    learner_day,
    learner_zone,
    pick_bucket,
    todays_bucket,
)
from learnapp.srs.scheduler import (
    LEARNING_STATES,
    RATINGS,
    Rating,
    Scheduler,
    SchedulingState,
    State,
    format_interval,
)

__all__ = [
    "LEARNING_STATES",
    "RATINGS",
    "Bucket",
    "Day",
    "DoneToday",
    "QueueCounts",
    "QueuePlan",
    "Rating",
    "Scheduler",
    "SchedulingState",
    "State",
    "format_interval",
    "learner_day",
    "learner_zone",
    "pick_bucket",
    "todays_bucket",
]
