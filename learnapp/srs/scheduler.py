"""FSRS scheduling through py-fsrs, with Anki's habits on top.

- A card that has never been answered is in our own state "new" (py-fsrs models it as Learning, step 0).
- Fuzz is deterministic per (card, review count), as in Anki, so the interval printed on a button is the
  interval the answer really gives.
- The four button intervals (`Scheduler.preview`) come from one pass of py-fsrs 6's own formulas
  (`formulas.py`; four `review_card` calls cost a sixth of an answer), held by
  tests/unit/test_scheduler.py to exactly what `review` gives for each rating, fuzz floors included.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import IntEnum, StrEnum
from functools import lru_cache
from typing import Any

import fsrs
from fsrs.scheduler import FUZZ_RANGES

from learnapp.srs.formulas import preview_intervals


class State(StrEnum):
    """A card's scheduling state: py-fsrs's three (`fsrs.State`) and our own "new" for a card never answered
    (py-fsrs models it as Learning, step 0). Stored as these strings."""

    NEW = "new"
    LEARNING = "learning"
    REVIEW = "review"
    RELEARNING = "relearning"


LEARNING_STATES = (State.LEARNING, State.RELEARNING)


class Rating(IntEnum):
    """The four answers, with py-fsrs's numbers (`fsrs.Rating`)."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        return self.name.capitalize()


RATINGS: tuple[Rating, ...] = tuple(Rating)

_TO_FSRS_STATE: dict[str, fsrs.State] = {
    State.NEW: fsrs.State.Learning,
    State.LEARNING: fsrs.State.Learning,
    State.REVIEW: fsrs.State.Review,
    State.RELEARNING: fsrs.State.Relearning,
}
_FROM_FSRS_STATE = {
    fsrs.State.Learning: State.LEARNING,
    fsrs.State.Review: State.REVIEW,
    fsrs.State.Relearning: State.RELEARNING,
}
LEARNING_STEPS = (timedelta(minutes=1), timedelta(minutes=10))
RELEARNING_STEPS = (timedelta(minutes=10),)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _from_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value).astimezone(UTC) if value else None


@dataclass(frozen=True, slots=True)
class SchedulingState:
    """Everything the scheduler knows about one learner's card."""

    state: str = State.NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form, stored in the review log (enough to undo exactly and to re-optimise)."""
        return {
            "state": self.state,
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "due": _iso(self.due),
            "last_review": _iso(self.last_review),
            "reps": self.reps,
            "lapses": self.lapses,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SchedulingState:
        return cls(
            state=data["state"],
            step=data["step"],
            stability=data["stability"],
            difficulty=data["difficulty"],
            due=_from_iso(data["due"]),
            last_review=_from_iso(data["last_review"]),
            reps=data["reps"],
            lapses=data["lapses"],
        )


@lru_cache(maxsize=256)
def _fsrs_scheduler(desired_retention: float, parameters: tuple[float, ...] | None) -> fsrs.Scheduler:
    return fsrs.Scheduler(
        parameters=parameters or fsrs.scheduler.DEFAULT_PARAMETERS,
        desired_retention=desired_retention,
        learning_steps=LEARNING_STEPS,
        relearning_steps=RELEARNING_STEPS,
        enable_fuzzing=False,  # our own, deterministic fuzz below
    )


def _mix(seed: int) -> int:
    """SplitMix64: a well-spread 64-bit number from a seed, the same in every process and version (a
    deterministic stand-in for a seeded random generator, at a twentieth of its cost)."""
    z = (seed + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return z ^ (z >> 31)


@lru_cache(maxsize=4096)
def _fuzz_range(interval_days: int, maximum_interval: int) -> tuple[int, int]:
    """py-fsrs's (and Anki's) fuzz range for an interval of `interval_days` (pure: kept once computed)."""
    delta = 1.0
    for fuzz_range in FUZZ_RANGES:
        delta += fuzz_range["factor"] * max(
            min(float(interval_days), fuzz_range["end"]) - fuzz_range["start"], 0.0
        )
    low = max(2, round(interval_days - delta))
    high = min(round(interval_days + delta), maximum_interval)
    return min(low, high), high


class Scheduler:
    """One learner's scheduler: their desired retention and (optionally) their own FSRS parameters."""

    def __init__(
        self,
        desired_retention: float = 0.9,
        parameters: Sequence[float] | None = None,
        *,
        enable_fuzz: bool = True,
    ) -> None:
        self._fsrs = _fsrs_scheduler(float(desired_retention), tuple(parameters) if parameters else None)
        self.enable_fuzz = enable_fuzz

    @property
    def desired_retention(self) -> float:
        return self._fsrs.desired_retention

    def review(
        self, current: SchedulingState, card_id: int, rating: Rating, now: datetime
    ) -> SchedulingState:
        """Return the state after answering `rating` at `now` (timezone-aware UTC)."""
        return self._answer(current, card_id, rating, now, below=None)

    def _answer(
        self,
        current: SchedulingState,
        card_id: int,
        rating: Rating,
        now: datetime,
        below: SchedulingState | None,
    ) -> SchedulingState:
        """`review`, given (when known) the state the rating below this one gives (Hard's for Good...)."""
        if now.tzinfo is not UTC:
            now = now.astimezone(UTC)
        card = fsrs.Card(
            card_id=card_id,
            state=_TO_FSRS_STATE[current.state],
            step=0 if current.state == State.NEW else current.step,
            stability=current.stability,
            difficulty=current.difficulty,
            due=current.due or now,
            last_review=current.last_review,
        )
        card, _log = self._fsrs.review_card(card, fsrs.Rating(int(rating)), now)
        state = _FROM_FSRS_STATE[card.state]
        due = card.due
        if self.enable_fuzz and state == State.REVIEW and (due - now).days > 2:
            due = now + self._fuzzed(
                due - now, card_id, current.reps, self._floor(current, card_id, rating, now, below)
            )
        lapse = current.state == State.REVIEW and rating == Rating.AGAIN
        return SchedulingState(
            state=str(state),
            step=card.step,
            stability=card.stability,
            difficulty=card.difficulty,
            due=due,
            last_review=now,
            reps=current.reps + 1,
            lapses=current.lapses + (1 if lapse else 0),
        )

    def _floor(
        self,
        current: SchedulingState,
        card_id: int,
        rating: Rating,
        now: datetime,
        below: SchedulingState | None,
    ) -> int:
        """The fewest days a fuzzed `rating` may give: the fuzzed days of the rating below it when that one
        also gives a review (Hard's for Good, Good's for Easy), so that fuzz keeps Hard <= Good <= Easy as
        in Anki. 0 (no floor) for Again and Hard, or when the rating below gives a (re)learning step. Each
        rating's fuzz range holds the one below's upper end (ranges grow with the interval), so the floor
        never takes an interval out of its own range. The rating below comes from the one-pass preview
        (`_fuzzed_intervals`), or from its own review for a state only py-fsrs can judge."""
        if rating <= Rating.HARD:
            return 0
        if below is None:
            fuzzed = self._fuzzed_intervals(current, card_id, now)
            if fuzzed is not None:
                lands_in_review, interval = fuzzed[RATINGS.index(Rating(rating - 1))]
                return interval.days if lands_in_review else 0
            below = self.review(current, card_id, Rating(rating - 1), now)
        if below.state != State.REVIEW or below.due is None:
            return 0
        return (below.due - now).days

    def preview(self, current: SchedulingState, card_id: int, now: datetime) -> dict[Rating, timedelta]:
        """The interval each rating would give, for the labels on the answer buttons."""
        if now.tzinfo is not UTC:
            now = now.astimezone(UTC)
        fuzzed = self._fuzzed_intervals(current, card_id, now)
        if fuzzed is None:  # a state py-fsrs itself would refuse: let review() say so
            return self._preview_by_review(current, card_id, now)
        return {rating: interval for rating, (_review, interval) in zip(RATINGS, fuzzed, strict=True)}

    def _fuzzed_intervals(
        self, current: SchedulingState, card_id: int, now: datetime
    ) -> list[tuple[bool, timedelta]] | None:
        """(lands in review?, interval) for Again, Hard, Good and Easy at `now` (UTC), fuzzed as `review`
        fuzzes them, floors included, in one pass; None for a state py-fsrs would refuse."""
        intervals = preview_intervals(
            self._fsrs,
            _TO_FSRS_STATE[current.state],
            0 if current.state == State.NEW else current.step,
            (current.stability, current.difficulty),
            current.last_review,
            now,
        )
        if intervals is None:
            return None
        fuzzed: list[tuple[bool, timedelta]] = []
        below_days: int | None = None  # the rating below's fuzzed days, when it lands in review
        for rating, (lands_in_review, interval) in zip(RATINGS, intervals, strict=True):
            if self.enable_fuzz and lands_in_review:
                floor = below_days if rating > Rating.HARD and below_days is not None else 0
                interval = self._fuzzed(interval, card_id, current.reps, floor)
            fuzzed.append((lands_in_review, interval))
            below_days = interval.days if lands_in_review else None
        return fuzzed

    def _preview_by_review(
        self, current: SchedulingState, card_id: int, now: datetime
    ) -> dict[Rating, timedelta]:
        previews = {}
        below = None
        for rating in RATINGS:
            after = self._answer(current, card_id, rating, now, below)
            assert after.due is not None  # a reviewed card always has its next due time
            previews[rating] = after.due - now
            below = after
        return previews

    def retrievability(self, current: SchedulingState, now: datetime) -> float:
        if current.last_review is None or current.stability is None:
            return 0.0
        card = fsrs.Card(
            card_id=1,
            state=_TO_FSRS_STATE[current.state],
            step=current.step,
            stability=current.stability,
            difficulty=current.difficulty,
            due=current.due or now,
            last_review=current.last_review,
        )
        return self._fsrs.get_card_retrievability(card, now)

    def _fuzzed(self, interval: timedelta, card_id: int, reps: int, floor: int = 0) -> timedelta:
        days = interval.days
        if days < 2.5:
            return interval
        low, high = _fuzz_range(days, self._fsrs.maximum_interval)
        fuzzed = max(floor, low + _mix(card_id * 1_000_003 + reps) % (high - low + 1))
        return timedelta(days=fuzzed) + (interval - timedelta(days=days))


def format_interval(interval: timedelta) -> str:
    """Anki-style short label: 45s, 10m, 3h, 4d, 1.5mo, 2.1y."""
    seconds = max(0.0, interval.total_seconds())
    if seconds < 60:
        return f"{round(seconds)}s"
    minutes = seconds / 60
    if minutes < 60:
        return f"{round(minutes)}m"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if days < 30:
        return f"{round(days)}d"
    months = days / 30.4375
    if months < 12:
        return f"{months:.1f}mo".replace(".0mo", "mo")
    years = days / 365.25
    return f"{years:.1f}y".replace(".0y", "y")
