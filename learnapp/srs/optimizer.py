"""Per-learner FSRS parameter optimisation with fsrs-rs (fsrs-rs-python: Rust, no torch).

Pure: no Flask, no database, no clock. The caller passes the learner's review log (undone answers already
left out) as `LogRow`s. FSRS measures intervals in the learner's days, so each row's day is its
`study_day` when the log recorded one (ReviewLog.study_day), else `day_of(reviewed_at)`: pass
`learner_day_of(timezone, rollover_hour)` for the learner's current settings (the default is the UTC date).

How the log becomes training data, as fsrs-rs and Anki convert a revlog:

- the reviews of each card, in time order, become `FSRSReview(rating, delta_t)`, where delta_t is the
  number of the learner's days since the card's previous review (0 for the first review and for learning
  steps on the same day);
- every review with delta_t > 0 is one thing to predict: its `FSRSItem` is the card's history up to and
  including that review (the last review is the one whose recall the model predicts, the earlier ones
  build the memory state). Same-day reviews are history only.

`optimise` trains on those items (fsrs-rs's `compute_parameters`, its seeded Adam run with pretraining of
the initial stabilities, outlier filtering and recency weighting), then scores the current (or default)
parameters and the new ones on the same items with fsrs-rs's `evaluate` (log loss and RMSE over bins).
The new parameters are rounded and clamped into py-fsrs's bounds, so `learnapp.srs.Scheduler` accepts them.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import fsrs
import fsrs_rs_python as fsrs_rs

from learnapp.srs.queue import learner_day
from learnapp.srs.scheduler import RELEARNING_STEPS

MIN_REVIEWS = 400
PARAMETER_COUNT = len(fsrs.scheduler.DEFAULT_PARAMETERS)  # 21: FSRS-6, as py-fsrs 6 and fsrs-rs 0.9 use
DEFAULT_PARAMETERS: tuple[float, ...] = tuple(fsrs.scheduler.DEFAULT_PARAMETERS)
DECIMALS = 4  # as Anki shows and stores them; f32 noise below that means nothing

DayOf = Callable[[datetime], date]


class NotEnoughReviews(ValueError):
    """Too little history to optimise on; the message is fit to show to the learner."""

    def __init__(self, reviews: int, minimum: int, message: str | None = None) -> None:
        self.reviews = reviews
        self.minimum = minimum
        super().__init__(message or f"Optimisation needs at least {minimum} reviews; you have {reviews}.")


@dataclass(frozen=True, slots=True)
class LogRow:
    """One answer of the learner's log (not undone). `reviewed_at` is timezone-aware.

    `study_day`, when known, is the learner's day of the answer as recorded then; it wins over `day_of`.
    """

    card_id: int
    reviewed_at: datetime
    rating: int
    study_day: date | None = None


@dataclass(frozen=True, slots=True)
class Metrics:
    """How well parameters predict the items: lower is better for both."""

    log_loss: float
    rmse_bins: float


@dataclass(frozen=True, slots=True)
class Fit:
    """The outcome of `optimise`: new parameters, and how they and the current ones score on the log."""

    parameters: tuple[float, ...]  # the new parameters, 21 of them, py-fsrs order
    before: Metrics  # the current (or default) parameters on the same items
    after: Metrics  # the new parameters
    reviews: int  # rows given
    items: int  # predictions trained and scored on (reviews a day or more after the card's previous one)

    @property
    def improved(self) -> bool:
        """True when the new parameters predict this learner's recall better than the current ones."""
        return self.after.log_loss < self.before.log_loss


def utc_day(moment: datetime) -> date:
    """The default `day_of`: the UTC calendar date."""
    return moment.astimezone(UTC).date()


def learner_day_of(timezone_name: str, rollover_hour: int) -> DayOf:
    """`day_of` for a learner whose day starts at `rollover_hour` in `timezone_name` (as the queue counts)."""
    return lambda moment: date.fromisoformat(learner_day(moment, timezone_name, rollover_hour).local_date)


def _check(row: LogRow) -> None:
    if isinstance(row.rating, bool) or row.rating not in (1, 2, 3, 4):
        raise ValueError(f"rating must be 1-4, got {row.rating!r} (card {row.card_id}, {row.reviewed_at})")
    if row.reviewed_at.tzinfo is None or row.reviewed_at.utcoffset() is None:
        raise ValueError(f"reviewed_at must be timezone-aware, got {row.reviewed_at} (card {row.card_id})")


def build_items(rows: Iterable[LogRow], day_of: DayOf | None = None) -> list[fsrs_rs.FSRSItem]:
    """The fsrs-rs training items of a review log: one per review with delta_t > 0 (see the module doc).

    Items come in the order of the review they predict (then card id), as fsrs-rs expects: its training
    weighs recent reviews more by their position. Reviews of one card at the very same instant keep the
    order they were given in. Raises ValueError on a rating outside 1-4 or a naive `reviewed_at`.
    """
    day_of = day_of or utc_day
    by_card: dict[int, list[LogRow]] = defaultdict(list)
    for row in rows:
        _check(row)
        by_card[row.card_id].append(row)
    predicted: list[tuple[datetime, int, fsrs_rs.FSRSItem]] = []
    for card_id, history in by_card.items():
        history.sort(key=lambda row: row.reviewed_at)
        reviews: list[fsrs_rs.FSRSReview] = []
        previous: date | None = None
        for row in history:
            day = row.study_day or day_of(row.reviewed_at)
            delta_t = 0 if previous is None else max(0, (day - previous).days)
            previous = day
            reviews.append(fsrs_rs.FSRSReview(row.rating, delta_t))
            if delta_t > 0:
                predicted.append((row.reviewed_at, card_id, fsrs_rs.FSRSItem(list(reviews))))
    predicted.sort(key=lambda entry: (entry[0], entry[1]))
    return [item for _, _, item in predicted]


def _filled(parameters: Sequence[float] | None) -> list[float]:
    """Parameters fsrs-rs accepts: FSRS-4.5/5 sets (17 or 19 values) are converted to FSRS-6's 21."""
    if not parameters:
        return list(DEFAULT_PARAMETERS)
    try:
        return list(fsrs_rs.check_and_fill_parameters([float(value) for value in parameters]))
    except ValueError as error:
        raise ValueError(
            f"current parameters are not FSRS parameters (17, 19 or {PARAMETER_COUNT} finite values): "
            f"{tuple(parameters)!r} ({error})"
        ) from error


def _for_py_fsrs(parameters: Sequence[float]) -> tuple[float, ...]:
    """Round away f32 noise and clamp into py-fsrs's bounds (an f32 0.8 is 0.800000012, above 0.8)."""
    lower = fsrs.scheduler.LOWER_BOUNDS_PARAMETERS
    upper = fsrs.scheduler.UPPER_BOUNDS_PARAMETERS
    if len(parameters) != PARAMETER_COUNT:
        raise ValueError(f"expected {PARAMETER_COUNT} parameters from fsrs-rs, got {len(parameters)}")
    return tuple(
        min(max(round(float(value), DECIMALS), low), high)
        for value, low, high in zip(parameters, lower, upper, strict=True)
    )


def _metrics(parameters: Sequence[float], items: Sequence[fsrs_rs.FSRSItem]) -> Metrics:
    evaluation = fsrs_rs.FSRS(list(parameters)).evaluate(items)
    return Metrics(log_loss=float(evaluation.log_loss), rmse_bins=float(evaluation.rmse_bins))


def optimise(
    rows: Sequence[LogRow],
    day_of: DayOf | None = None,
    min_reviews: int = MIN_REVIEWS,
    current: Sequence[float] | None = None,
) -> Fit:
    """Fit FSRS parameters to one learner's log. See `Fit.improved` before adopting them.

    Raises NotEnoughReviews (a ValueError) below `min_reviews` rows, or when no review came a day or more
    after an earlier review of the same card; ValueError on a rating outside 1-4.
    """
    rows = list(rows)
    for row in rows:
        _check(row)
    if len(rows) < min_reviews:
        raise NotEnoughReviews(len(rows), min_reviews)
    items = build_items(rows, day_of)
    if not items:
        raise NotEnoughReviews(
            len(rows),
            min_reviews,
            "Optimisation needs reviews on later days: every review so far was on the day the card was "
            "first seen.",
        )
    baseline = _filled(current)
    # compute_parameters starts from fsrs-rs's defaults and its own pretraining, whatever the instance holds.
    fitted = fsrs_rs.FSRS(list(DEFAULT_PARAMETERS)).compute_parameters(
        items, enable_short_term=True, num_relearning_steps=len(RELEARNING_STEPS)
    )
    parameters = _for_py_fsrs(fsrs_rs.check_and_fill_parameters(fitted))
    return Fit(
        parameters=parameters,
        before=_metrics(baseline, items),
        after=_metrics(parameters, items),
        reviews=len(rows),
        items=len(items),
    )


# --- A simulated learner, for tests and benchmarks ------------------------------------------------------

# A learner who forgets faster than FSRS-6's defaults: the simulated learner of the tests and the benchmark.
WEAK_LEARNER = (
    0.1,
    0.6,
    1.2,
    5.0,
    7.0,
    0.6,
    2.5,
    0.02,
    1.3,
    0.2,
    0.9,
    1.2,
    0.08,
    0.3,
    1.4,
    0.5,
    2.0,
    0.5,
    0.15,
    0.06,
    0.25,
)
SIMULATION_START = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)  # sessions start at 08:00 UTC
FIRST_RATING_WEIGHTS = (0.2, 0.1, 0.6, 0.1)  # Again, Hard, Good, Easy on a card's first sight
PASS_RATING_WEIGHTS = (0.15, 0.75, 0.10)  # Hard, Good, Easy when the learner recalls the card
SAME_DAY_RECALL = 0.85  # learning steps: FSRS predicts recall across days only


def simulate_log(
    parameters: Sequence[float],
    cards: int,
    days: int,
    seed: int,
    *,
    desired_retention: float = 0.9,
    skip_day: float = 0.1,
) -> list[LogRow]:
    """The log of a simulated learner whose memory follows FSRS with `parameters`, in time order.

    Cards are introduced evenly over the first half of `days`. Each day the learner (unless they skip it,
    probability `skip_day`) answers every card due that day, learning steps included, scheduled by py-fsrs
    with the same parameters and no fuzz. A review across days is recalled with the model's
    retrievability; a same-day learning step with SAME_DAY_RECALL. Deterministic for a given seed.

    A card is always reviewed at the time of day of its previous review (plus 7 s), so py-fsrs's elapsed
    days (whole 24 h periods) equal the UTC calendar days that `build_items` counts by default.
    """
    rng = random.Random(seed)
    scheduler = fsrs.Scheduler(
        parameters=tuple(parameters), desired_retention=desired_retention, enable_fuzzing=False
    )
    introduce_days = max(1, min(days, days // 2))
    deck: list[fsrs.Card] = []
    log: list[LogRow] = []
    for day in range(days):
        day_start = SIMULATION_START + timedelta(days=day)
        day_end = datetime.combine(day_start.date() + timedelta(days=1), time(0), tzinfo=UTC)
        if day < introduce_days:
            introduced = cards * (day + 1) // introduce_days - cards * day // introduce_days
            deck += [fsrs.Card(card_id=len(deck) + 1 + n, due=day_start) for n in range(introduced)]
        if rng.random() < skip_day:
            continue
        for index, card in enumerate(deck):
            while card.due < day_end:
                if card.last_review is None:  # first sight, early in the session
                    now = day_start + timedelta(seconds=card.card_id % 3600)
                    rating = rng.choices((1, 2, 3, 4), FIRST_RATING_WEIGHTS)[0]
                else:
                    if card.state == fsrs.State.Review:
                        whole_days = (day_start.date() - card.last_review.date()).days
                        now = card.last_review + timedelta(days=whole_days, seconds=7)
                        recall = scheduler.get_card_retrievability(card, now)
                    else:  # a learning or relearning step, minutes later
                        now = card.due
                        recall = SAME_DAY_RECALL
                    passed = rng.random() < recall
                    rating = rng.choices((2, 3, 4), PASS_RATING_WEIGHTS)[0] if passed else 1
                card, _ = scheduler.review_card(card, fsrs.Rating(rating), now)
                log.append(LogRow(card_id=card.card_id, reviewed_at=now, rating=rating))
            deck[index] = card
    log.sort(key=lambda row: (row.reviewed_at, row.card_id))
    return log


__all__ = [
    "MIN_REVIEWS",
    "Fit",
    "LogRow",
    "Metrics",
    "NotEnoughReviews",
    "build_items",
    "learner_day_of",
    "optimise",
    "simulate_log",
    "utc_day",
]
