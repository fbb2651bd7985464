"""FSRS scheduling through py-fsrs, with Anki's habits on top.

- A card that has never been answered is in our own state "new" (py-fsrs models it as Learning, step 0).
- Fuzz is deterministic per (card, review count), as in Anki, so the interval printed on a button is the
  interval the answer really gives.
- The four button intervals (`Scheduler.preview`) are computed in one pass by `_preview_intervals`, py-fsrs
  6's own formulas for the next stability and interval written out once, with no card copies (four
  `review_card` calls cost a sixth of an answer); tests/unit/test_scheduler.py holds it to exactly what
  `review` gives for each rating.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import IntEnum, StrEnum
from functools import lru_cache
from typing import Any

import fsrs
from fsrs.scheduler import FUZZ_RANGES, STABILITY_MIN


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
        if self.enable_fuzz and state == State.REVIEW:
            due = now + self._fuzzed(due - now, card_id, current.reps)
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

    def preview(self, current: SchedulingState, card_id: int, now: datetime) -> dict[Rating, timedelta]:
        """The interval each rating would give, for the labels on the answer buttons."""
        if now.tzinfo is not UTC:
            now = now.astimezone(UTC)
        intervals = _preview_intervals(self._fsrs, current, now)
        if intervals is None:  # a state py-fsrs itself would refuse: let review() say so
            return self._preview_by_review(current, card_id, now)
        previews = {}
        for rating, (review, interval) in zip(RATINGS, intervals, strict=True):
            if self.enable_fuzz and review:
                interval = self._fuzzed(interval, card_id, current.reps)
            previews[rating] = interval
        return previews

    def _preview_by_review(
        self, current: SchedulingState, card_id: int, now: datetime
    ) -> dict[Rating, timedelta]:
        previews = {}
        for rating in RATINGS:
            due = self.review(current, card_id, rating, now).due
            assert due is not None  # a reviewed card always has its next due time
            previews[rating] = due - now
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

    def _fuzzed(self, interval: timedelta, card_id: int, reps: int) -> timedelta:
        days = interval.days
        if days < 2.5:
            return interval
        low, high = _fuzz_range(days, self._fsrs.maximum_interval)
        fuzzed = low + _mix(card_id * 1_000_003 + reps) % (high - low + 1)
        return timedelta(days=fuzzed) + (interval - timedelta(days=days))


def _next_interval_days(f: fsrs.Scheduler, stability: float) -> int:
    """py-fsrs's `Scheduler._next_interval`: the stability's interval in whole days, 1 to the maximum."""
    interval = (stability / f._FACTOR) * ((f.desired_retention ** (1 / f._DECAY)) - 1)
    return int(min(max(round(interval), 1), f.maximum_interval))


def _preview_intervals(
    f: fsrs.Scheduler, current: SchedulingState, now: datetime
) -> tuple[tuple[bool, timedelta], ...] | None:
    """For Again, Hard, Good and Easy: (lands in review?, interval before our fuzz), exactly as
    `f.review_card` computes them at `now` (UTC), or None for a state it would reject. Each expression is
    py-fsrs 6's own, in its order, so every float comes out bit for bit the same; the difficulty is left
    out (no interval depends on it)."""
    p = f.parameters
    state = _TO_FSRS_STATE[current.state]
    step = 0 if current.state == State.NEW else current.step
    stability, difficulty = current.stability, current.difficulty
    days = (now - current.last_review).days if current.last_review else None
    if state == fsrs.State.Review:
        steps = None
        if stability is None or difficulty is None:
            return None
    else:
        steps = f.learning_steps if state == fsrs.State.Learning else f.relearning_steps
        if step is None or (state == fsrs.State.Relearning and (stability is None or difficulty is None)):
            return None

    stabilities: list[float]
    if stability is None or difficulty is None:  # (learning only) the first answer: initial stabilities
        stabilities = [max(p[rating - 1], STABILITY_MIN) for rating in RATINGS]
    elif days is not None and days < 1:  # short-term stability
        stabilities = []
        for rating in RATINGS:
            increase = (math.e ** (p[17] * (rating - 3 + p[18]))) * (stability ** -p[19])
            if rating != Rating.AGAIN:
                increase = max(increase, 1.0)
            stabilities.append(max(stability * increase, STABILITY_MIN))
    else:
        retrievability = 0 if days is None else (1 + f._FACTOR * max(0, days) / stability) ** f._DECAY
        forget = min(
            p[11]
            * (difficulty ** -p[12])
            * (((stability + 1) ** (p[13])) - 1)
            * (math.e ** ((1 - retrievability) * p[14])),
            stability / (math.e ** (p[17] * p[18])),
        )
        stabilities = [max(forget, STABILITY_MIN)]
        for rating in RATINGS[1:]:
            hard_penalty = p[15] if rating == Rating.HARD else 1
            easy_bonus = p[16] if rating == Rating.EASY else 1
            recall = stability * (
                1
                + (math.e ** (p[8]))
                * (11 - difficulty)
                * (stability ** -p[9])
                * ((math.e ** ((1 - retrievability) * p[10])) - 1)
                * hard_penalty
                * easy_bonus
            )
            stabilities.append(max(recall, STABILITY_MIN))

    def in_review(new_stability: float) -> tuple[bool, timedelta]:
        return True, timedelta(days=_next_interval_days(f, new_stability))

    if steps is None:  # review: Again relearns (if there are relearning steps), the others stay in review
        again = (False, f.relearning_steps[0]) if f.relearning_steps else in_review(stabilities[0])
        return (again, *(in_review(new) for new in stabilities[1:]))
    assert step is not None
    if len(steps) == 0:
        return tuple(in_review(new) for new in stabilities)
    again = (False, steps[0])
    if step >= len(steps):  # scheduled with more steps than there are now: Hard, Good, Easy graduate
        return (again, *(in_review(new) for new in stabilities[1:]))
    if step == 0 and len(steps) == 1:
        hard = (False, steps[0] * 1.5)
    elif step == 0 and len(steps) >= 2:
        hard = (False, (steps[0] + steps[1]) / 2.0)
    else:
        hard = (False, steps[step])
    good = in_review(stabilities[2]) if step + 1 == len(steps) else (False, steps[step + 1])
    return (again, hard, good, in_review(stabilities[3]))


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
