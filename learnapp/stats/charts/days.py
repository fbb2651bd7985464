"""Charts of the last 30 days (reviews, study minutes) and of true retention per week and per month."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from learnapp.stats.charts.bars import Axes, Bar, bar_chart
from learnapp.stats.charts.svg import MONTHS, DataTable, Key, long_day, minutes, pct, plural, short_day
from learnapp.stats.figures import DayTotals, RetentionPeriod

# -- daily ----------------------------------------------------------------------------------------------


def _day_ticks(days: Sequence[DayTotals]) -> list[str | None]:
    """A label every 7th day, counted back from the last one (today), so today is labelled."""
    last = len(days) - 1
    return [short_day(day.day) if (last - index) % 7 == 0 else None for index, day in enumerate(days)]


def _range_desc(days: Sequence[DayTotals]) -> str:
    if not days:
        return "No days"
    return f"From {long_day(days[0].day)} to {long_day(days[-1].day)}"


def reviews_chart(days: Sequence[DayTotals], chart_id: str = "stats-reviews") -> Markup:
    """Reviews per day (oldest first, as from `daily`): each bar stacks passed answers (class bar) on
    Again answers (class bar-fail)."""
    bars = [
        Bar(
            segments=((day.again, "bar-fail"), (day.reviews - day.again, "bar")),
            tooltip=f"{plural(day.reviews, 'review')} on {day.day.isoformat()}"
            + (f" ({day.again} Again)" if day.again else ""),
            tick=tick,
        )
        for day, tick in zip(days, _day_ticks(days), strict=True)
    ]
    total = sum(day.reviews for day in days)
    desc = _range_desc(days) + f": {plural(total, 'review')}"
    if total:
        busiest = max(days, key=lambda day: (day.reviews, day.day))
        desc += f", the most on {long_day(busiest.day)} ({busiest.reviews})"
        desc += f"; {sum(day.again for day in days)} answered Again"
    axes = Axes(
        y_title="Reviews", x_title="Study day", keys=(Key("bar", "Remembered"), Key("bar-fail", "Again"))
    )
    return bar_chart(chart_id, "reviews", f"Reviews per day, last {len(days)} days", desc + ".", bars, axes)


def minutes_chart(days: Sequence[DayTotals], chart_id: str = "stats-minutes") -> Markup:
    """Study minutes per day (oldest first, as from `daily`), one bar (class bar) per day."""
    bars = [
        Bar(
            segments=((day.minutes, "bar"),),
            tooltip=f"{minutes(day.minutes)} on {day.day.isoformat()}",
            tick=tick,
        )
        for day, tick in zip(days, _day_ticks(days), strict=True)
    ]
    total = round(sum(day.duration_ms for day in days) / 60_000, 1)
    desc = _range_desc(days) + f": {minutes(total)} in total"
    studied = [day for day in days if day.duration_ms]
    if studied:
        average = minutes(round(total / len(studied), 1))
        desc += f", {average} on average on the {plural(len(studied), 'day')} studied"
    axes = Axes(y_title="Minutes", x_title="Study day")
    return bar_chart(
        chart_id, "minutes", f"Study minutes per day, last {len(days)} days", desc + ".", bars, axes
    )


def daily_table(days: Sequence[DayTotals]) -> DataTable:
    """Reviews, Again answers and minutes per day, newest first."""
    rows = tuple(
        (day.day.isoformat(), str(day.reviews), str(day.again), minutes(day.minutes))
        for day in reversed(days)
    )
    return DataTable(
        caption="Reviews and study time per day", headers=("Day", "Reviews", "Again", "Time"), rows=rows
    )


# -- retention ------------------------------------------------------------------------------------------


def _is_week(period: RetentionPeriod) -> bool:
    return "-W" in period.label


def _period_tick(period: RetentionPeriod) -> str:
    if _is_week(period):
        return "W" + period.label.rsplit("W", 1)[1]
    if period.start.day == 1 and period.label.count("-") == 1:
        return MONTHS[period.start.month - 1]
    return period.label


def _period_name(period: RetentionPeriod) -> str:
    if _is_week(period):
        return f"week of {long_day(period.start)}"
    if period.label.count("-") == 1:
        return f"{MONTHS[period.start.month - 1]} {period.start.year}"
    return period.label


def _period_label(period: RetentionPeriod) -> str:
    if _is_week(period):
        return f"{period.label} (from {period.start.isoformat()})"
    return _period_name(period)


def _retention_desc(periods: Sequence[RetentionPeriod]) -> str:
    n = sum(period.n for period in periods)
    if not n:
        return "No answers to review cards in these periods."
    passed = sum(period.passed for period in periods)
    desc = f"{pct(round(100 * passed / n, 1))} of {n} review-card answers passed over these periods"
    lowest = min((p for p in periods if p.n), key=lambda p: (p.percent or 0.0, p.start))
    return desc + f"; the lowest was {pct(lowest.percent)} ({_period_name(lowest)})."


def retention_chart(
    periods: Sequence[RetentionPeriod],
    chart_id: str = "stats-retention",
    title: str = "True retention per week",
    target: float | None = None,
) -> Markup:
    """True retention per period (weeks or months from `retention`) as bars (class bar) on a 0-100% axis,
    each labelled with its percentage; periods without review-state answers have no bar. `target` (a rate
    0-1, e.g. the desired retention 0.9) draws a line of class target."""
    bars = []
    for period in periods:
        name = _period_name(period)
        if period.percent is None:
            tooltip = f"No review-card answers ({name})"
        else:
            tooltip = f"{pct(period.percent)} of {period.n} review-card answers passed ({name})"
        bars.append(
            Bar(
                segments=((period.percent or 0.0, "bar"),),
                tooltip=tooltip,
                tick=_period_tick(period),
                value_label=None if period.percent is None else f"{round(period.percent)}",
            )
        )
    target_label = None if target is None else f"Target {pct(round(100 * target, 1))}"
    keys = [Key("bar", "Actual")]
    if target_label is not None:
        keys.append(Key("target", target_label, line=True))
    axes = Axes(
        y_title="Remembered",
        x_title="Week" if periods and _is_week(periods[0]) else "Month",
        keys=tuple(keys),
        y_max=100.0,
        y_ticks=(0, 25, 50, 75, 100),
        y_format=lambda value: f"{round(value)}%",
        target=None if target is None else 100 * target,
        target_label=target_label,
    )
    return bar_chart(chart_id, "retention", title, _retention_desc(periods), bars, axes)


def retention_table(
    periods: Sequence[RetentionPeriod], caption: str = "True retention per week"
) -> DataTable:
    """Per period, newest first: answers to review cards, passed, and the retention."""
    rows = tuple(
        (_period_label(period), str(period.n), str(period.passed), pct(period.percent))
        for period in reversed(periods)
    )
    return DataTable(caption=caption, headers=("Period", "Review cards", "Passed", "Retention"), rows=rows)
