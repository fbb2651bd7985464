"""The learner's day, the daily limits and the order of the queue (Anki's v3 model).

The order: learning cards due now, then reviews due today, then new cards, then learning cards due within
the learn-ahead window. Limits: new cards introduced today and reviews answered today, counted from the
review log, so an undo gives the allowance back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from enum import Enum
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from learnapp.srs.scheduler import LEARNING_STATES, State

LEARN_AHEAD = timedelta(minutes=20)


@dataclass(frozen=True, slots=True)
class Day:
    """One learner's day: [start, end) in UTC, from their rollover hour in their own timezone."""

    start: datetime
    end: datetime
    local_date: str


@lru_cache(maxsize=1024)
def learner_zone(timezone_name: str) -> ZoneInfo:
    """The learner's timezone; a name that is not an IANA zone (an old row, a removed zone) reads as UTC."""
    try:
        return ZoneInfo(timezone_name)
    except (ValueError, OSError, ZoneInfoNotFoundError):  # OSError: a folder ("Europe"), an overlong name
        return ZoneInfo("UTC")


def learner_day(now: datetime, timezone_name: str, rollover_hour: int) -> Day:
    """The day `now` falls in for a learner whose day starts at `rollover_hour` in `timezone_name`."""
    zone = learner_zone(timezone_name)
    local = now.astimezone(zone)
    date = (local - timedelta(hours=rollover_hour)).date()
    start = _first_moment_at(datetime.combine(date, time(rollover_hour)), zone)
    end = _first_moment_at(datetime.combine(date + timedelta(days=1), time(rollover_hour)), zone)
    return Day(start=start, end=end, local_date=date.isoformat())


def _first_moment_at(wall: datetime, zone: ZoneInfo) -> datetime:
    """The first moment (UTC) at which the clocks of `zone` read `wall` (naive) or later: `wall` itself,
    its first occurrence when the clocks fall back through it, or the moment they jump when a spring-forward
    skips it (02:45 -> 03:45 in Pacific/Chatham skips 03:00: that day starts at the jump, 03:45)."""
    moment = wall.replace(tzinfo=zone).astimezone(UTC)
    if moment.astimezone(zone).replace(tzinfo=None) == wall:
        return moment
    # Skipped: read with the offset before the jump, `moment` lies after it, and an hour's gap (at most
    # two) before that the clocks still read earlier than `wall`. The jump is on a whole second.
    early, late = moment - timedelta(hours=2), moment
    while late - early > timedelta(seconds=1):
        middle = early + (late - early) / 2
        if middle.astimezone(zone).replace(tzinfo=None) >= wall:
            late = middle
        else:
            early = middle
    return late.replace(microsecond=0)


class Bucket(Enum):
    LEARNING = "learning"  # learning and relearning cards due now
    REVIEW = "review"  # review cards due before the end of the learner's day
    NEW = "new"  # never-answered cards, within the new-card limit
    LEARN_AHEAD = "learn_ahead"  # learning cards due within LEARN_AHEAD, shown when nothing else is left


BUCKET_ORDER = (Bucket.LEARNING, Bucket.REVIEW, Bucket.NEW, Bucket.LEARN_AHEAD)


@dataclass(frozen=True, slots=True)
class DoneToday:
    new: int = 0
    reviews: int = 0
    total: int = 0


@dataclass(frozen=True, slots=True)
class QueuePlan:
    """The cutoffs and allowances for one moment of one learner's day."""

    now: datetime
    day: Day
    new_left: int
    reviews_left: int

    @property
    def learn_ahead_cutoff(self) -> datetime:
        return self.now + LEARN_AHEAD

    @classmethod
    def build(
        cls, now: datetime, day: Day, new_per_day: int, reviews_per_day: int, done: DoneToday
    ) -> QueuePlan:
        return cls(
            now=now,
            day=day,
            new_left=max(0, new_per_day - done.new),
            reviews_left=max(0, reviews_per_day - done.reviews),
        )


@dataclass(frozen=True, slots=True)
class QueueCounts:
    """What is left today, as the learner sees it (learning counts both due-now and learn-ahead)."""

    learning_due: int = 0
    learning_ahead: int = 0
    reviews_due: int = 0
    new_available: int = 0

    @property
    def learning(self) -> int:
        return self.learning_due + self.learning_ahead

    @property
    def total(self) -> int:
        return self.learning + self.reviews_due + self.new_available

    def clipped(self, plan: QueuePlan) -> QueueCounts:
        """Apply the daily limits to what is due."""
        return QueueCounts(
            learning_due=self.learning_due,
            learning_ahead=self.learning_ahead,
            reviews_due=min(self.reviews_due, plan.reviews_left),
            new_available=min(self.new_available, plan.new_left),
        )


def pick_bucket(counts: QueueCounts) -> Bucket | None:
    """Which bucket the next card comes from, given the clipped counts; None when today is done."""
    sizes = {
        Bucket.LEARNING: counts.learning_due,
        Bucket.REVIEW: counts.reviews_due,
        Bucket.NEW: counts.new_available,
        Bucket.LEARN_AHEAD: counts.learning_ahead,
    }
    for bucket in BUCKET_ORDER:
        if sizes[bucket] > 0:
            return bucket
    return None


def bucket_of(state: str, due: datetime | None, plan: QueuePlan) -> Bucket | None:
    """The bucket a card in `state`, due at `due`, belongs to under `plan`; None when not shown today."""
    if state == State.NEW:
        return Bucket.NEW if plan.new_left > 0 else None
    if due is None:
        return None
    if state in LEARNING_STATES:
        if due <= plan.now:
            return Bucket.LEARNING
        if due <= plan.learn_ahead_cutoff:
            return Bucket.LEARN_AHEAD
        return None
    if state == State.REVIEW:
        return Bucket.REVIEW if due < plan.day.end and plan.reviews_left > 0 else None
    return None


class QueueCard(Protocol):
    """What the queue predicate reads of a learner's card (a card-state row has these columns)."""

    @property
    def state(self) -> str: ...
    @property
    def due(self) -> datetime | None: ...
    @property
    def active(self) -> bool: ...
    @property
    def suspended(self) -> bool: ...
    @property
    def buried_until(self) -> datetime | None: ...


def todays_bucket(card: QueueCard, plan: QueuePlan) -> Bucket | None:
    """Is this card in today's queue, and in which bucket? The predicate the queue's SQL spells out too
    (learnapp/study/queries.py `IN_TODAYS_QUEUE`; a test checks that both agree on every kind of card).

    In the queue: a card of a deck the learner studies (active), not suspended, not buried past now, whose
    state is due within the plan (learning now or within the learn-ahead window, a review due before the
    day ends while reviews are left, a new card while new cards are left). Which new card comes next is the
    queue's order, not this predicate's."""
    if not card.active or card.suspended:
        return None
    if card.buried_until is not None and card.buried_until > plan.now:
        return None
    return bucket_of(card.state, card.due, plan)
