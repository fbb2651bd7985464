"""Figures of the review log by study day: the year's calendar, streaks, the last 30 days, true retention
per week and month, and today's numbers. Each takes the answers (see `log.tally`) and the learner's today."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from learnapp.stats.figures.log import Answers, DayTally, tally

HEATMAP_DAYS = 365
HEATMAP_WEEKS = 53
# The lowest review count of heat levels 1, 2, 3 and 4: 1-9 reviews is level 1, 10-24 level 2, 25-49
# level 3, 50 or more level 4. Fixed, so a day keeps its colour as more days are added.
HEAT_THRESHOLDS = (1, 10, 25, 50)
DAILY_DAYS = 30
RETENTION_WEEKS = 12
RETENTION_MONTHS = 12
ONE_DAY = timedelta(days=1)


def history_start(today: date) -> date:
    """The oldest study day any figure here reads (the heatmap's first day, 364 days back, reaches further
    than the first of the retention months or weeks): the service counts answers from this day on."""
    monday = today - timedelta(days=today.weekday())
    return min(
        today - timedelta(days=HEATMAP_DAYS - 1),
        _month_start(today, RETENTION_MONTHS - 1),
        monday - timedelta(weeks=RETENTION_WEEKS - 1),
    )


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


def heatmap(answers: Answers, today: date) -> Heatmap:
    """Reviews per day over the last 365 days (today - 364 .. today), as a calendar grid.

    The grid has 53 columns of 7 cells, weeks starting on Monday; the last column is the week of `today`.
    53 × 7 = 371 cells: the 6 cells before the window or after today are `in_range=False` (count 0).
    Each day's level is fixed by HEAT_THRESHOLDS: 0 none, 1 for 1-9, 2 for 10-24, 3 for 25-49, 4 for 50+.
    """
    start = today - timedelta(days=HEATMAP_DAYS - 1)
    counts = {day: counted.reviews for day, counted in tally(answers).items() if start <= day <= today}
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


@dataclass(frozen=True, slots=True)
class CurrentStreak:
    """The streak that runs up to today (or yesterday, when today has no review yet), without the longest
    one: what the dashboard shows, read from the recent days only."""

    current: int
    studied_today: bool
    current_start: date | None = None

    @classmethod
    def of(cls, streaks: Streaks) -> CurrentStreak:
        return cls(streaks.current, streaks.studied_today, streaks.current_start)


def _runs(days: Iterable[date]) -> list[tuple[date, date]]:
    """Maximal runs of consecutive days, oldest first, as (first, last)."""
    runs: list[tuple[date, date]] = []
    for day in sorted(set(days)):
        if runs and runs[-1][1] + ONE_DAY == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def streaks(answers: Answers, today: date) -> Streaks:
    """Streaks of consecutive study days (a study day: at least one review that day); see `day_streaks`."""
    return day_streaks(tally(answers), today)


def day_streaks(days: Iterable[date], today: date) -> Streaks:
    """Streaks over the learner's study days (the days with at least one review; repeats are fine).

    Current streak: the run of consecutive study days that contains today, or, when today has no review
    yet, the run that contains yesterday (not having studied yet today does not break it); 0 otherwise.
    Longest streak: the longest run ever (the latest one on a tie); it is at least the current streak.
    """
    runs = _runs(days)
    studied_today = any(first <= today <= last for first, last in runs)
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


def daily(answers: Answers, today: date, days: int = DAILY_DAYS) -> list[DayTotals]:
    """Per day for the last `days` days (oldest first, ending today): reviews, Again answers, study time.

    Study time is the sum of `duration_ms`; reviews without a duration add nothing to it.
    """
    start = today - timedelta(days=days - 1)
    counted = tally(answers)
    totals = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        known = counted.get(day, DayTally(day))
        totals.append(
            DayTotals(day=day, reviews=known.reviews, again=known.again, duration_ms=known.duration_ms)
        )
    return totals


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


def _period(label: str, start: date, end: date, counted: Mapping[date, DayTally]) -> RetentionPeriod:
    inside = [day for day in counted.values() if start <= day.day <= end]
    return RetentionPeriod(
        label=label,
        start=start,
        end=end,
        n=sum(day.review_cards for day in inside),
        passed=sum(day.review_passed for day in inside),
    )


def _month_start(day: date, months_back: int) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def retention(answers: Answers, today: date) -> Retention:
    """True retention: the pass rate of answers to cards that were in the review state.

    Only answers with state_before == "review" count (new, learning and relearning steps do not); an
    answer passes when rated Hard, Good or Easy (rating >= 2). Grouped per ISO week (Monday-Sunday, the
    last 12 weeks including the current one) and per calendar month (the last 12 including the current
    one), by the review's study day. A period without review-state answers has n == 0 and rate None.
    """
    counted = {day: tallied for day, tallied in tally(answers).items() if tallied.review_cards}
    monday = today - timedelta(days=today.weekday())
    weeks = []
    for back in range(RETENTION_WEEKS - 1, -1, -1):
        start = monday - timedelta(weeks=back)
        year, week, _ = start.isocalendar()
        weeks.append(_period(f"{year}-W{week:02d}", start, start + timedelta(days=6), counted))
    months = []
    for back in range(RETENTION_MONTHS - 1, -1, -1):
        start = _month_start(today, back)
        end = _month_start(today, back - 1) - ONE_DAY
        months.append(_period(f"{start.year}-{start.month:02d}", start, end, counted))
    return Retention(weeks=tuple(weeks), months=tuple(months))


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


def today_summary(answers: Answers, today: date) -> TodaySummary:
    """Today's answers: how many, how many to new cards, how many Again, study time and true retention
    (as in `retention`: review-state answers rated Hard or better)."""
    counted = tally(answers).get(today, DayTally(today))
    return TodaySummary(
        day=today,
        reviews=counted.reviews,
        new=counted.new,
        again=counted.again,
        duration_ms=counted.duration_ms,
        retention=RetentionPeriod("today", today, today, counted.review_cards, counted.review_passed),
    )
