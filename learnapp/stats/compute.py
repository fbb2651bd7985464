"""A learner's statistics, computed from plain rows: no Flask, no database, no clock.

The caller queries the rows and passes them in as `Review` and `CardRow`, together with the learner's
current study day (`today`) and, for the forecast, the UTC start of that day (`day_start`); both come from
`learnapp.srs.queue.learner_day`.

Days. Every review carries `day`: the learner's study day *as it was when they answered*, i.e. the
`local_date` of `learner_day(reviewed_at, timezone, rollover_hour)` with the timezone and rollover hour the
learner had at that moment. A review at 01:00 local time with a 04:00 rollover belongs to the previous day,
and a later change of timezone (or of rollover hour) does not move old reviews to other days, so it cannot
break, or invent, a streak after the fact. Nothing here converts timestamps to days.

A review dated after `today` can exist right after a move westwards (the learner's new "today" is earlier
than the day they last studied on); such reviews count for streaks but fall outside the windowed figures
(heatmap, daily, today), which end at `today`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

STATES = ("new", "learning", "review", "relearning")
PASS_RATING = 2  # Hard, Good and Easy pass; Again (1) fails
MASTERED_STABILITY_DAYS = 21.0  # a review card this stable is "mastered" (Anki's "mature" threshold)
HEATMAP_DAYS = 365
HEATMAP_WEEKS = 53
# The lowest review count of heat levels 1, 2, 3 and 4: 1-9 reviews is level 1, 10-24 level 2, 25-49
# level 3, 50 or more level 4. Fixed, so a day keeps its colour as more days are added.
HEAT_THRESHOLDS = (1, 10, 25, 50)
DAILY_DAYS = 30
RETENTION_WEEKS = 12
RETENTION_MONTHS = 12
FORECAST_DAYS = 30
ONE_DAY = timedelta(days=1)


# -- inputs ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Review:
    """One answer that was not undone. `day` is the learner's study day stored at review time (see above)."""

    day: date
    rating: int  # 1 Again, 2 Hard, 3 Good, 4 Easy
    state_before: str  # "new" | "learning" | "review" | "relearning"
    duration_ms: int | None
    deck_id: int

    @property
    def passed(self) -> bool:
        return self.rating >= PASS_RATING

    @property
    def of_review_card(self) -> bool:
        """Counts for true retention: the card was in the review state when answered."""
        return self.state_before == "review"


@dataclass(frozen=True, slots=True)
class CardRow:
    """One learner's state of one card."""

    deck_id: int
    state: str  # "new" | "learning" | "review" | "relearning"
    due: datetime | None  # aware, UTC
    suspended: bool
    stability: float | None  # days
    active: bool  # False once the learner left the deck or the entry is retired


# -- heatmap --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HeatCell:
    day: date
    count: int
    level: int  # 0-4, see HEAT_THRESHOLDS
    in_range: bool  # False for the few cells of the grid before the 365-day window or after today


@dataclass(frozen=True, slots=True)
class Heatmap:
    start: date  # first day of the window: today - 364
    end: date  # today
    weeks: tuple[tuple[HeatCell, ...], ...]  # 53 columns (oldest first), each Monday..Sunday
    total: int  # reviews in the window
    active_days: int  # days in the window with at least one review
    thresholds: tuple[int, ...] = HEAT_THRESHOLDS

    def cells(self) -> list[HeatCell]:
        """The cells of the window, oldest first (365 of them)."""
        return [cell for week in self.weeks for cell in week if cell.in_range]


def heat_level(count: int, thresholds: tuple[int, ...] = HEAT_THRESHOLDS) -> int:
    """0 for no reviews, else the number of thresholds the count reaches (1-4)."""
    return sum(1 for threshold in thresholds if count >= threshold)


def heatmap(reviews: Iterable[Review], today: date) -> Heatmap:
    """Reviews per day over the last 365 days (today - 364 .. today), as a calendar grid.

    The grid has 53 columns of 7 cells, weeks starting on Monday; the last column is the week of `today`.
    53 × 7 = 371 cells: the 6 cells before the window or after today are `in_range=False` (count 0).
    Each day's level is fixed by HEAT_THRESHOLDS: 0 none, 1 for 1-9, 2 for 10-24, 3 for 25-49, 4 for 50+.
    """
    start = today - timedelta(days=HEATMAP_DAYS - 1)
    counts = Counter(review.day for review in reviews if start <= review.day <= today)
    first_monday = today - timedelta(days=today.weekday()) - timedelta(weeks=HEATMAP_WEEKS - 1)
    weeks = []
    for column in range(HEATMAP_WEEKS):
        week = []
        for row in range(7):
            day = first_monday + timedelta(days=column * 7 + row)
            count = counts.get(day, 0)
            week.append(
                HeatCell(day=day, count=count, level=heat_level(count), in_range=start <= day <= today)
            )
        weeks.append(tuple(week))
    return Heatmap(
        start=start, end=today, weeks=tuple(weeks), total=sum(counts.values()), active_days=len(counts)
    )


# -- streaks --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Streaks:
    current: int
    longest: int
    studied_today: bool
    current_start: date | None = None
    longest_start: date | None = None
    longest_end: date | None = None


def _runs(days: set[date]) -> list[tuple[date, date]]:
    """Maximal runs of consecutive days, oldest first, as (first, last)."""
    runs: list[tuple[date, date]] = []
    for day in sorted(days):
        if runs and runs[-1][1] + ONE_DAY == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def streaks(reviews: Iterable[Review], today: date) -> Streaks:
    """Streaks of consecutive study days (a study day: at least one review that day).

    Current streak: the run of consecutive study days that contains today, or, when today has no review
    yet, the run that contains yesterday (not having studied yet today does not break it); 0 otherwise.
    Longest streak: the longest run ever (the latest one on a tie); it is at least the current streak.
    """
    days = {review.day for review in reviews}
    runs = _runs(days)
    studied_today = today in days
    anchor = today if studied_today else today - ONE_DAY
    current, current_start = 0, None
    for first, last in runs:
        if first <= anchor <= last:
            current, current_start = (last - first).days + 1, first
    longest, longest_start, longest_end = 0, None, None
    for first, last in runs:
        length = (last - first).days + 1
        if length >= longest:
            longest, longest_start, longest_end = length, first, last
    return Streaks(
        current=current,
        longest=longest,
        studied_today=studied_today,
        current_start=current_start,
        longest_start=longest_start,
        longest_end=longest_end,
    )


# -- daily ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DayTotals:
    day: date
    reviews: int
    again: int  # of those, answered Again
    duration_ms: int  # summed over the reviews with a known duration

    @property
    def minutes(self) -> float:
        """Study time in minutes, to one decimal."""
        return round(self.duration_ms / 60_000, 1)


def daily(reviews: Iterable[Review], today: date, days: int = DAILY_DAYS) -> list[DayTotals]:
    """Per day for the last `days` days (oldest first, ending today): reviews, Again answers, study time.

    Study time is the sum of `duration_ms`; reviews without a duration add nothing to it.
    """
    start = today - timedelta(days=days - 1)
    counts: Counter[date] = Counter()
    again: Counter[date] = Counter()
    duration: Counter[date] = Counter()
    for review in reviews:
        if start <= review.day <= today:
            counts[review.day] += 1
            again[review.day] += not review.passed
            duration[review.day] += review.duration_ms or 0
    return [
        DayTotals(day=day, reviews=counts[day], again=again[day], duration_ms=duration[day])
        for day in (start + timedelta(days=offset) for offset in range(days))
    ]


# -- retention ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RetentionPeriod:
    label: str  # "2026-W45" (ISO week), "2026-11" (month) or "today"
    start: date
    end: date  # inclusive; the current week or month ends after today
    n: int  # answers to review-state cards
    passed: int  # of those, rated Hard or better

    @property
    def rate(self) -> float | None:
        """passed / n, or None without any review-state answer."""
        return self.passed / self.n if self.n else None

    @property
    def percent(self) -> float | None:
        """The rate in percent, to one decimal."""
        return None if self.n == 0 else round(100 * self.passed / self.n, 1)


@dataclass(frozen=True, slots=True)
class Retention:
    weeks: tuple[RetentionPeriod, ...]  # the last 12 ISO weeks, oldest first, the current one last
    months: tuple[RetentionPeriod, ...]  # the last 12 calendar months, oldest first, the current one last


def _period(label: str, start: date, end: date, reviews: list[Review]) -> RetentionPeriod:
    inside = [review for review in reviews if start <= review.day <= end]
    return RetentionPeriod(
        label=label,
        start=start,
        end=end,
        n=len(inside),
        passed=sum(review.passed for review in inside),
    )


def _month_start(day: date, months_back: int) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def retention(reviews: Iterable[Review], today: date) -> Retention:
    """True retention: the pass rate of answers to cards that were in the review state.

    Only answers with state_before == "review" count (new, learning and relearning steps do not); an
    answer passes when rated Hard, Good or Easy (rating >= 2). Grouped per ISO week (Monday-Sunday, the
    last 12 weeks including the current one) and per calendar month (the last 12 including the current
    one), by the review's study day. A period without review-state answers has n == 0 and rate None.
    """
    graded = [review for review in reviews if review.of_review_card]
    monday = today - timedelta(days=today.weekday())
    weeks = []
    for back in range(RETENTION_WEEKS - 1, -1, -1):
        start = monday - timedelta(weeks=back)
        year, week, _ = start.isocalendar()
        weeks.append(_period(f"{year}-W{week:02d}", start, start + timedelta(days=6), graded))
    months = []
    for back in range(RETENTION_MONTHS - 1, -1, -1):
        start = _month_start(today, back)
        end = _month_start(today, back - 1) - ONE_DAY
        months.append(_period(f"{start.year}-{start.month:02d}", start, end, graded))
    return Retention(weeks=tuple(weeks), months=tuple(months))


# -- cards ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CardCounts:
    new: int = 0
    learning: int = 0  # learning and relearning
    review: int = 0
    suspended: int = 0  # suspended cards, whatever their state (counted only here)

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review + self.suspended


def _check_state(card: CardRow) -> None:
    if card.state not in STATES:
        raise ValueError(f"unknown card state {card.state!r}")


def card_counts(cards: Iterable[CardRow]) -> CardCounts:
    """Active cards by state: new, learning (learning + relearning), review, and suspended.

    A suspended card counts only as suspended, not under its state. Inactive cards (a deck the learner
    left, a retired entry) are not counted. An unknown state raises ValueError.
    """
    counts: Counter[str] = Counter()
    for card in cards:
        _check_state(card)
        if not card.active:
            continue
        if card.suspended:
            counts["suspended"] += 1
        elif card.state == "new":
            counts["new"] += 1
        elif card.state == "review":
            counts["review"] += 1
        else:
            counts["learning"] += 1
    return CardCounts(
        new=counts["new"], learning=counts["learning"], review=counts["review"], suspended=counts["suspended"]
    )


# -- forecast -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ForecastDay:
    offset: int  # 0 today, 1 tomorrow, ...
    count: int  # cards due that day (day 0 includes the overdue ones)
    overdue: int = 0  # of the count, cards due before today's start (day 0 only)


def forecast(cards: Iterable[CardRow], day_start: datetime, days: int = FORECAST_DAYS) -> list[ForecastDay]:
    """Cards falling due per learner day, offsets 0 .. days - 1.

    Counts active, unsuspended cards in the learning, review or relearning state that have a due time.
    `day_start` is the aware UTC start of the learner's today; a card's offset is
    floor((due - day_start) / 24 h). Cards due before day_start (overdue) go to day 0 and are also
    counted in its `overdue`; cards due on or after day `days` are left out. Days are counted as 24 hours
    from day_start, so across a daylight-saving change a card due within an hour of the rollover hour can
    land on the neighbouring day.
    """
    counts: Counter[int] = Counter()
    overdue = 0
    for card in cards:
        _check_state(card)
        if not card.active or card.suspended or card.state == "new" or card.due is None:
            continue
        offset = (card.due - day_start) // ONE_DAY
        if offset < 0:
            overdue += 1
            offset = 0
        if offset < days:
            counts[offset] += 1
    return [
        ForecastDay(offset=offset, count=counts[offset], overdue=overdue if offset == 0 else 0)
        for offset in range(days)
    ]


# -- decks ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeckProgress:
    deck_id: int
    title: str  # as given; escaped when drawn
    total: int
    seen: int  # no longer new
    mastered: int  # review state, stability >= MASTERED_STABILITY_DAYS

    @property
    def percent(self) -> float:
        """Mastered cards in percent of the deck, to one decimal (0 for an empty deck)."""
        return round(100 * self.mastered / self.total, 1) if self.total else 0.0

    @property
    def seen_percent(self) -> float:
        return round(100 * self.seen / self.total, 1) if self.total else 0.0


def deck_progress(cards: Iterable[CardRow], titles: Mapping[int, str]) -> list[DeckProgress]:
    """Per deck in `titles` (in its order): active cards, seen cards and mastered cards.

    total: the learner's active cards of the deck, suspended ones included. seen: those not in the new
    state. mastered: those in the review state with stability >= MASTERED_STABILITY_DAYS (21 days).
    percent: mastered / total. Cards of decks not in `titles` are ignored; a deck without cards has 0.
    """
    total: Counter[int] = Counter()
    seen: Counter[int] = Counter()
    mastered: Counter[int] = Counter()
    for card in cards:
        _check_state(card)
        if not card.active or card.deck_id not in titles:
            continue
        total[card.deck_id] += 1
        if card.state != "new":
            seen[card.deck_id] += 1
        if card.state == "review" and (card.stability or 0.0) >= MASTERED_STABILITY_DAYS:
            mastered[card.deck_id] += 1
    return [
        DeckProgress(
            deck_id=deck_id, title=title, total=total[deck_id], seen=seen[deck_id], mastered=mastered[deck_id]
        )
        for deck_id, title in titles.items()
    ]


# -- today ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TodaySummary:
    day: date
    reviews: int
    new: int  # answers to cards that were new: cards introduced today
    again: int
    duration_ms: int
    retention: RetentionPeriod  # true retention of today's answers (label "today")

    @property
    def minutes(self) -> float:
        return round(self.duration_ms / 60_000, 1)


def today_summary(reviews: Iterable[Review], today: date) -> TodaySummary:
    """Today's answers: how many, how many to new cards, how many Again, study time and true retention
    (as in `retention`: review-state answers rated Hard or better)."""
    todays = [review for review in reviews if review.day == today]
    return TodaySummary(
        day=today,
        reviews=len(todays),
        new=sum(review.state_before == "new" for review in todays),
        again=sum(not review.passed for review in todays),
        duration_ms=sum(review.duration_ms or 0 for review in todays),
        retention=_period("today", today, today, [review for review in todays if review.of_review_card]),
    )
