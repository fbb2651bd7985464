"""The review log as the figures read it: answers one by one (`Review`), or already counted per study day
(`DayTally`, what the service's GROUP BY returns). Every figure first reduces its input with `tally`, so a
hand-written log and the database's counts go through the same arithmetic."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from learnapp.srs.scheduler import Rating, State

PASS_RATING = int(Rating.HARD)  # Hard, Good and Easy pass; Again fails (a plain int: SQL reads it too)


@dataclass(frozen=True, slots=True)
class Review:
    """One answer that was not undone. `day` is the learner's study day stored at review time."""

    day: date
    rating: int  # 1 Again, 2 Hard, 3 Good, 4 Easy
    state_before: str  # "new" | "learning" | "review" | "relearning"
    duration_ms: int | None

    @property
    def passed(self) -> bool:
        return self.rating >= PASS_RATING

    @property
    def of_review_card(self) -> bool:
        """Counts for true retention: the card was in the review state when answered."""
        return self.state_before == State.REVIEW


@dataclass(frozen=True, slots=True)
class DayTally:
    """The answers of one study day, counted."""

    day: date
    reviews: int = 0  # answers
    again: int = 0  # of those, rated Again
    new: int = 0  # of those, to cards that were new (cards introduced that day)
    duration_ms: int = 0  # summed over the answers with a known duration
    review_cards: int = 0  # answers to cards in the review state: true retention's n
    review_passed: int = 0  # of those, rated Hard or better

    @classmethod
    def of(cls, review: Review) -> DayTally:
        """One answer as a tally of one."""
        return cls(
            day=review.day,
            reviews=1,
            again=int(not review.passed),
            new=int(review.state_before == State.NEW),
            duration_ms=review.duration_ms or 0,
            review_cards=int(review.of_review_card),
            review_passed=int(review.of_review_card and review.passed),
        )

    def __add__(self, other: DayTally) -> DayTally:
        if other.day != self.day:
            raise ValueError(f"cannot add the tallies of {self.day} and {other.day}")
        return DayTally(
            day=self.day,
            reviews=self.reviews + other.reviews,
            again=self.again + other.again,
            new=self.new + other.new,
            duration_ms=self.duration_ms + other.duration_ms,
            review_cards=self.review_cards + other.review_cards,
            review_passed=self.review_passed + other.review_passed,
        )


Answers = Iterable[Review | DayTally]


def tally(answers: Answers) -> dict[date, DayTally]:
    """The answers counted per study day (days without answers are left out). Tallies of the same day add
    up, so the service may pass the database's counts together with a few answers counted in Python."""
    days: dict[date, DayTally] = {}
    for answer in answers:
        counted = DayTally.of(answer) if isinstance(answer, Review) else answer
        if counted.reviews <= 0:
            continue
        known = days.get(counted.day)
        days[counted.day] = counted if known is None else known + counted
    return days
