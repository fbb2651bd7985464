"""The statistics charts as inline SVG, drawn on the server.

Every chart is a `markupsafe.Markup` holding one `<svg>`: scaled by its viewBox to the width of its
container (width="100%", no fixed size), with role="img", a <title> and a <desc> (referenced by
aria-labelledby), and a <title> tooltip on each mark. Our Content-Security-Policy forbids inline styles,
so there is no style attribute and no <style> element: colours come from the app's stylesheet through the
CSS classes listed in CSS_CLASSES (the root <svg> carries "chart" and "chart-<kind>"). The few
presentation attributes used are geometry, font-size and text-anchor.

Each chart has a text alternative: the matching `*_table` function returns a `DataTable` that the template
renders as a <table> (inside a <details>), or through `DataTable.html()`.

Every text put into the markup is escaped (deck titles come from users).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from markupsafe import Markup, escape

from learnapp.stats.compute import (
    HEAT_THRESHOLDS,
    MASTERED_STABILITY_DAYS,
    CardCounts,
    DayTotals,
    DeckProgress,
    ForecastDay,
    Heatmap,
    RetentionPeriod,
)

SVG_NS = "http://www.w3.org/2000/svg"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# Every class the charts use, for the stylesheet.
CSS_CLASSES = frozenset(
    {
        "chart",  # the root <svg>, with one of the chart-* classes below
        "chart-heatmap",
        "chart-reviews",
        "chart-minutes",
        "chart-retention",
        "chart-card-states",
        "chart-forecast",
        "chart-deck-progress",
        "heat-0",  # heatmap cells by level: 0 no reviews .. 4 the busiest
        "heat-1",
        "heat-2",
        "heat-3",
        "heat-4",
        "bar",  # a bar: reviews passed, minutes, retention, cards due
        "bar-fail",  # the Again part of a day's reviews
        "bar-overdue",  # the overdue part of today's forecast
        "bar-seen",  # deck progress: cards seen but not mastered
        "bar-mastered",  # deck progress: cards mastered
        "track",  # deck progress: the whole deck, behind the bars
        "seg-new",  # card states
        "seg-learning",
        "seg-review",
        "seg-suspended",
        "axis",  # the baseline of a bar chart
        "grid",  # horizontal gridlines
        "target",  # the desired-retention line
        "label",  # axis and legend text
        "value",  # numbers drawn on or above bars
        "deck-title",  # a deck's title in deck progress
        "empty",  # the message of a chart without data
    }
)

_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
_HEAT_CELL = 11
_HEAT_STEP = 13
_FONT = 11  # viewBox units; the bar charts are ~360 units wide, so this is about 11 px on a phone


# -- text alternative -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DataTable:
    """A chart's data as a table: render `caption`, then `headers` in <th>, then `rows` (plain strings,
    escaped by the template's autoescape, or by `html()`)."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...] = field(default_factory=tuple)

    def html(self) -> Markup:
        """The table as markup, every cell escaped; the first cell of a row is its header."""
        head = "".join(f'<th scope="col">{escape(header)}</th>' for header in self.headers)
        body = "".join(
            "<tr>"
            + "".join(
                f'<th scope="row">{escape(cell)}</th>' if index == 0 else f"<td>{escape(cell)}</td>"
                for index, cell in enumerate(row)
            )
            + "</tr>"
            for row in self.rows
        )
        # Safe: every cell and the caption are escaped above.
        return Markup(  # noqa: S704
            f'<table class="chart-data"><caption>{escape(self.caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        )


# -- helpers --------------------------------------------------------------------------------------------


def _num(value: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _attrs(attrs: dict[str, object]) -> str:
    parts = []
    for name, value in attrs.items():
        if value is None:
            continue
        text = _num(value) if isinstance(value, float) else str(value)
        parts.append(f' {name}="{escape(text)}"')
    return "".join(parts)


def _el(tag: str, attrs: dict[str, object], tooltip: str | None = None, text: str | None = None) -> str:
    inner = ""
    if tooltip is not None:
        inner += f"<title>{escape(tooltip)}</title>"
    if text is not None:
        inner += str(escape(text))
    if not inner:
        return f"<{tag}{_attrs(attrs)}/>"
    return f"<{tag}{_attrs(attrs)}>{inner}</{tag}>"


def _svg(
    chart_id: str, kind: str, width: float, height: float, title: str, desc: str, body: list[str]
) -> Markup:
    if not _ID.match(chart_id):
        raise ValueError(f"chart id {chart_id!r} must be a letter followed by letters, digits, - or _")
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    # Safe: the id is checked, title and desc are escaped here, and _el escapes every text and attribute.
    return Markup(  # noqa: S704
        f'<svg xmlns="{SVG_NS}" id="{chart_id}" class="chart chart-{kind}" viewBox="0 0 {_num(width)} '
        f'{_num(height)}" width="100%" role="img" aria-labelledby="{title_id} {desc_id}">'
        f'<title id="{title_id}">{escape(title)}</title><desc id="{desc_id}">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _short(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}"


def _long(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def _pct(value: float | None) -> str:
    """71.4 -> "71.4%", 75.0 -> "75%", None -> "–"."""
    if value is None:
        return "–"
    return f"{value:.1f}".removesuffix(".0") + "%"


def _minutes(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0") + " min"


def _ticks(top_value: float) -> tuple[float, list[float]]:
    """A round axis maximum >= top_value and its ticks (at most 4 steps of 1, 2 or 5 × 10^k, step >= 1)."""
    if top_value <= 0:
        return 1, [0, 1]
    raw = top_value / 3
    magnitude = 10 ** math.floor(math.log10(raw))
    step: float = magnitude * 10
    for multiple in (1, 2, 5):
        if multiple * magnitude >= raw:
            step = multiple * magnitude
            break
    step = max(1, step)
    top = step * math.ceil(top_value / step - 1e-9)
    return top, [step * index for index in range(round(top / step) + 1)]


def _tick_text(value: float) -> str:
    return str(round(value)) if float(value).is_integer() else _num(value)


@dataclass(frozen=True, slots=True)
class _Bar:
    segments: tuple[tuple[float, str], ...]  # (value, class), stacked from the bottom
    tooltip: str
    tick: str | None = None  # x-axis label under this bar
    value_label: str | None = None  # drawn above the bar


def _bar_chart(
    chart_id: str,
    kind: str,
    title: str,
    desc: str,
    bars: Sequence[_Bar],
    *,
    y_max: float | None = None,
    y_ticks: Sequence[float] | None = None,
    y_format: Callable[[float], str] = _tick_text,
    target: float | None = None,
    target_label: str | None = None,
) -> Markup:
    """Vertical (stacked) bars over a 0-based y axis with gridlines, 360 × 180 viewBox units."""
    width, height = 360.0, 180.0
    left, right, top, bottom = (
        36.0,
        16.0,
        12.0,
        20.0,
    )  # room for "100%" and, on the right, the last day's label
    plot_w, plot_h = width - left - right, height - top - bottom
    highest = max((sum(value for value, _ in bar.segments) for bar in bars), default=0)
    if y_max is None:
        y_max, y_ticks = _ticks(highest)
    assert y_ticks is not None
    body: list[str] = []

    def y_of(value: float) -> float:
        return top + plot_h - plot_h * min(value, y_max) / y_max

    for tick in y_ticks:
        y = y_of(tick)
        if tick:
            body.append(_el("line", {"class": "grid", "x1": left, "x2": width - right, "y1": y, "y2": y}))
        label = {
            "class": "label",
            "x": left - 4,
            "y": y + _FONT * 0.35,
            "font-size": _FONT,
            "text-anchor": "end",
        }
        body.append(_el("text", label, text=y_format(tick)))
    if target is not None:
        y = y_of(target)
        body.append(
            _el(
                "line",
                {"class": "target", "x1": left, "x2": width - right, "y1": y, "y2": y},
                tooltip=target_label,
            )
        )
    slot = plot_w / max(1, len(bars))
    bar_w = slot * 0.72
    every_tick = all(bar.tick is not None for bar in bars)
    for index, bar in enumerate(bars):
        x = left + index * slot + (slot - bar_w) / 2
        rects = []
        base = 0.0
        for value, css in bar.segments:
            if value <= 0:
                continue
            y_top, y_bottom = y_of(base + value), y_of(base)
            rects.append(
                _el("rect", {"class": css, "x": x, "y": y_top, "width": bar_w, "height": y_bottom - y_top})
            )
            base += value
        if bar.value_label is not None:
            value_attrs = {
                "class": "value",
                "x": x + bar_w / 2,
                "y": y_of(base) - 3,
                "font-size": _FONT - 2,
                "text-anchor": "middle",
            }
            rects.append(_el("text", value_attrs, text=bar.value_label))
        if rects:
            body.append(f"<g><title>{escape(bar.tooltip)}</title>{''.join(rects)}</g>")
        # Room for about one label per 28 units: when every bar has one, every other (the newest kept).
        crowded = every_tick and slot < 28 and (len(bars) - 1 - index) % 2 == 1
        if bar.tick is not None and not crowded:
            tick_attrs = {
                "class": "label",
                "x": x + bar_w / 2,
                "y": height - 6,
                "font-size": _FONT,
                "text-anchor": "middle",
            }
            body.append(_el("text", tick_attrs, text=bar.tick))
    body.append(
        _el(
            "line", {"class": "axis", "x1": left, "x2": width - right, "y1": top + plot_h, "y2": top + plot_h}
        )
    )
    if not any(bar.value_label is not None or any(value > 0 for value, _ in bar.segments) for bar in bars):
        empty = {"class": "empty", "x": left + plot_w / 2, "y": top + plot_h / 2, "font-size": _FONT + 1}
        body.append(_el("text", {**empty, "text-anchor": "middle"}, text="Nothing yet"))
    return _svg(chart_id, kind, width, height, title, desc, body)


# -- heatmap --------------------------------------------------------------------------------------------


def _level_range(level: int, thresholds: Sequence[int] = HEAT_THRESHOLDS) -> str:
    if level == 0:
        return "no reviews"
    low = thresholds[level - 1]
    if level == len(thresholds):
        return f"{low} or more reviews"
    high = thresholds[level] - 1
    return _plural(low, "review") if low == high else f"{low}–{high} reviews"


def heatmap_chart(data: Heatmap, chart_id: str = "stats-heatmap") -> Markup:
    """A calendar of the last 365 days: 53 week columns × 7 weekday rows (Monday on top), one square per
    day with the class heat-0 .. heat-4 and a tooltip "3 reviews on 2026-11-02", month labels above, a
    legend below. About 720 units wide: on a narrow phone, give it a min-width in a scrolling box."""
    left, top = 28.0, 16.0
    grid_w = len(data.weeks) * _HEAT_STEP
    width = left + grid_w + 14  # room for a month label over the last column
    height = top + 7 * _HEAT_STEP + 22
    body: list[str] = []
    for row in (0, 2, 4):
        attrs = {"class": "label", "x": 0, "y": top + row * _HEAT_STEP + 9, "font-size": _FONT - 1}
        body.append(_el("text", attrs, text=WEEKDAYS[row]))
    # A month's name over the column of its 1st; the first column too, unless a month starts just after.
    month_of_column: dict[int, int] = {}
    for column, week in enumerate(data.weeks):
        first = next((cell for cell in week if cell.in_range and cell.day.day == 1), None)
        if first is not None:
            month_of_column[column] = first.day.month
    if data.weeks and not any(column in month_of_column for column in range(3)):
        month_of_column[0] = data.start.month
    for column, month in month_of_column.items():
        attrs = {"class": "label", "x": left + column * _HEAT_STEP, "y": top - 5, "font-size": _FONT - 1}
        body.append(_el("text", attrs, text=MONTHS[month - 1]))
    for column, week in enumerate(data.weeks):
        x = left + column * _HEAT_STEP
        for row, cell in enumerate(week):
            if not cell.in_range:
                continue
            attrs = {
                "class": f"heat-{cell.level}",
                "x": x,
                "y": top + row * _HEAT_STEP,
                "width": _HEAT_CELL,
                "height": _HEAT_CELL,
                "rx": 2,
            }
            body.append(
                _el("rect", attrs, tooltip=f"{_plural(cell.count, 'review')} on {cell.day.isoformat()}")
            )
    legend_y = top + 7 * _HEAT_STEP + 6
    legend_x = left + grid_w - 5 * _HEAT_STEP - 30
    body.append(
        _el(
            "text",
            {
                "class": "label",
                "x": legend_x - 4,
                "y": legend_y + 9,
                "font-size": _FONT - 1,
                "text-anchor": "end",
            },
            text="Less",
        )
    )
    for level in range(len(data.thresholds) + 1):
        attrs = {
            "class": f"heat-{level}",
            "x": legend_x + level * _HEAT_STEP,
            "y": legend_y,
            "width": _HEAT_CELL,
            "height": _HEAT_CELL,
            "rx": 2,
        }
        body.append(_el("rect", attrs, tooltip=_level_range(level, data.thresholds)))
    more_x = legend_x + (len(data.thresholds) + 1) * _HEAT_STEP + 2
    body.append(
        _el("text", {"class": "label", "x": more_x, "y": legend_y + 9, "font-size": _FONT - 1}, text="More")
    )
    summary = f"{_plural(data.total, 'review')} on {_plural(data.active_days, 'day')}"
    desc = f"Reviews per day from {_long(data.start)} to {_long(data.end)}: {summary}."
    if data.total:
        busiest = max(data.cells(), key=lambda cell: (cell.count, cell.day))
        desc += f" The busiest day was {_long(busiest.day)} with {_plural(busiest.count, 'review')}."
    return _svg(chart_id, "heatmap", width, height, "Study calendar, last 365 days", desc, body)


def heatmap_table(data: Heatmap) -> DataTable:
    """The heatmap as months (oldest first): reviews and days studied in each (partial at both ends)."""
    months: dict[tuple[int, int], list[int]] = {}
    for cell in data.cells():
        totals = months.setdefault((cell.day.year, cell.day.month), [0, 0])
        totals[0] += cell.count
        totals[1] += cell.count > 0
    rows = tuple(
        (f"{MONTHS[month - 1]} {year}", str(reviews), str(days))
        for (year, month), (reviews, days) in months.items()
    )
    return DataTable(
        caption=f"Reviews per month, {_long(data.start)} to {_long(data.end)}",
        headers=("Month", "Reviews", "Days studied"),
        rows=rows,
    )


# -- daily ----------------------------------------------------------------------------------------------


def _day_ticks(days: Sequence[DayTotals]) -> list[str | None]:
    """A label every 7th day, counted back from the last one (today), so today is labelled."""
    last = len(days) - 1
    return [_short(day.day) if (last - index) % 7 == 0 else None for index, day in enumerate(days)]


def reviews_chart(days: Sequence[DayTotals], chart_id: str = "stats-reviews") -> Markup:
    """Reviews per day (oldest first, as from `daily`): each bar stacks passed answers (class bar) on
    Again answers (class bar-fail)."""
    ticks = _day_ticks(days)
    bars = [
        _Bar(
            segments=((day.again, "bar-fail"), (day.reviews - day.again, "bar")),
            tooltip=f"{_plural(day.reviews, 'review')} on {day.day.isoformat()}"
            + (f" ({day.again} Again)" if day.again else ""),
            tick=tick,
        )
        for day, tick in zip(days, ticks, strict=True)
    ]
    total = sum(day.reviews for day in days)
    desc = _range_desc(days) + f": {_plural(total, 'review')}"
    if total:
        busiest = max(days, key=lambda day: (day.reviews, day.day))
        desc += f", the most on {_long(busiest.day)} ({busiest.reviews})"
        desc += f"; {sum(day.again for day in days)} answered Again"
    return _bar_chart(chart_id, "reviews", f"Reviews per day, last {len(days)} days", desc + ".", bars)


def minutes_chart(days: Sequence[DayTotals], chart_id: str = "stats-minutes") -> Markup:
    """Study minutes per day (oldest first, as from `daily`), one bar (class bar) per day."""
    ticks = _day_ticks(days)
    bars = [
        _Bar(
            segments=((day.minutes, "bar"),),
            tooltip=f"{_minutes(day.minutes)} on {day.day.isoformat()}",
            tick=tick,
        )
        for day, tick in zip(days, ticks, strict=True)
    ]
    total = round(sum(day.duration_ms for day in days) / 60_000, 1)
    desc = _range_desc(days) + f": {_minutes(total)} in total"
    studied = [day for day in days if day.duration_ms]
    if studied:
        average = _minutes(round(total / len(studied), 1))
        desc += f", {average} on average on the {_plural(len(studied), 'day')} studied"
    return _bar_chart(chart_id, "minutes", f"Study minutes per day, last {len(days)} days", desc + ".", bars)


def _range_desc(days: Sequence[DayTotals]) -> str:
    if not days:
        return "No days"
    return f"From {_long(days[0].day)} to {_long(days[-1].day)}"


def daily_table(days: Sequence[DayTotals]) -> DataTable:
    """Reviews, Again answers and minutes per day, newest first."""
    rows = tuple(
        (day.day.isoformat(), str(day.reviews), str(day.again), _minutes(day.minutes))
        for day in reversed(days)
    )
    return DataTable(
        caption="Reviews and study time per day", headers=("Day", "Reviews", "Again", "Time"), rows=rows
    )


# -- retention ------------------------------------------------------------------------------------------


def _period_tick(period: RetentionPeriod) -> str:
    if "-W" in period.label:
        return "W" + period.label.rsplit("W", 1)[1]
    if period.start.day == 1 and period.label.count("-") == 1:
        return MONTHS[period.start.month - 1]
    return period.label


def _period_name(period: RetentionPeriod) -> str:
    if "-W" in period.label:
        return f"week of {_long(period.start)}"
    if period.label.count("-") == 1:
        return f"{MONTHS[period.start.month - 1]} {period.start.year}"
    return period.label


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
            tooltip = f"{_pct(period.percent)} of {period.n} review-card answers passed ({name})"
        bars.append(
            _Bar(
                segments=((period.percent or 0.0, "bar"),),
                tooltip=tooltip,
                tick=_period_tick(period),
                value_label=None if period.percent is None else f"{round(period.percent)}",
            )
        )
    n = sum(period.n for period in periods)
    passed = sum(period.passed for period in periods)
    if n:
        desc = f"{_pct(round(100 * passed / n, 1))} of {n} review-card answers passed over these periods"
        lowest = min((p for p in periods if p.n), key=lambda p: (p.percent, p.start))
        desc += f"; the lowest was {_pct(lowest.percent)} ({_period_name(lowest)})."
    else:
        desc = "No answers to review cards in these periods."
    target_label = None if target is None else f"Target {_pct(round(100 * target, 1))}"
    return _bar_chart(
        chart_id,
        "retention",
        title,
        desc,
        bars,
        y_max=100.0,
        y_ticks=(0, 25, 50, 75, 100),
        y_format=lambda value: f"{round(value)}%",
        target=None if target is None else 100 * target,
        target_label=target_label,
    )


def retention_table(
    periods: Sequence[RetentionPeriod], caption: str = "True retention per week"
) -> DataTable:
    """Per period, newest first: answers to review cards, passed, and the retention."""
    rows = tuple(
        (_period_label(period), str(period.n), str(period.passed), _pct(period.percent))
        for period in reversed(periods)
    )
    return DataTable(caption=caption, headers=("Period", "Review cards", "Passed", "Retention"), rows=rows)


def _period_label(period: RetentionPeriod) -> str:
    if "-W" in period.label:
        return f"{period.label} (from {period.start.isoformat()})"
    return _period_name(period)


# -- card states ----------------------------------------------------------------------------------------

_STATE_PARTS = (
    ("new", "New", "seg-new"),
    ("learning", "Learning", "seg-learning"),
    ("review", "Review", "seg-review"),
    ("suspended", "Suspended", "seg-suspended"),
)


def card_states_chart(counts: CardCounts, chart_id: str = "stats-card-states") -> Markup:
    """One horizontal bar split by card state (seg-new, seg-learning, seg-review, seg-suspended) with a
    legend of counts below it."""
    width, height = 360.0, 78.0
    bar_x, bar_y, bar_w, bar_h = 2.0, 4.0, 356.0, 22.0
    body: list[str] = []
    total = counts.total
    x = bar_x
    for name, label, css in _STATE_PARTS:
        count = getattr(counts, name)
        if total and count:
            part = bar_w * count / total
            tooltip = f"{label}: {_plural(count, 'card')} ({_pct(round(100 * count / total, 1))})"
            attrs = {"class": css, "x": x, "y": bar_y, "width": part, "height": bar_h}
            body.append(_el("rect", attrs, tooltip=tooltip))
            x += part
    if not total:
        body.append(_el("rect", {"class": "track", "x": bar_x, "y": bar_y, "width": bar_w, "height": bar_h}))
        attrs = {
            "class": "empty",
            "x": width / 2,
            "y": bar_y + 15,
            "font-size": _FONT,
            "text-anchor": "middle",
        }
        body.append(_el("text", attrs, text="No cards yet"))
    for index, (name, label, css) in enumerate(_STATE_PARTS):
        col, row = index % 2, index // 2
        lx, ly = 2 + col * 180, bar_y + bar_h + 12 + row * 20
        body.append(_el("rect", {"class": css, "x": lx, "y": ly, "width": 12, "height": 12, "rx": 2}))
        text_attrs = {"class": "label", "x": lx + 18, "y": ly + 10, "font-size": _FONT + 1}
        body.append(_el("text", text_attrs, text=f"{label} {getattr(counts, name)}"))
    parts = ", ".join(f"{getattr(counts, name)} {label.lower()}" for name, label, _ in _STATE_PARTS)
    desc = f"{_plural(total, 'card')}: {parts}."
    return _svg(chart_id, "card-states", width, height, "Cards by state", desc, body)


def card_states_table(counts: CardCounts) -> DataTable:
    total = counts.total
    rows = tuple(
        (
            label,
            str(getattr(counts, name)),
            _pct(round(100 * getattr(counts, name) / total, 1)) if total else "–",
        )
        for name, label, _ in _STATE_PARTS
    )
    return DataTable(
        caption="Cards by state", headers=("State", "Cards", "Share"), rows=(*rows, ("Total", str(total), ""))
    )


# -- forecast -------------------------------------------------------------------------------------------


def _offset_name(offset: int) -> str:
    return {0: "today", 1: "tomorrow"}.get(offset, f"in {offset} days")


def forecast_chart(days: Sequence[ForecastDay], chart_id: str = "stats-forecast") -> Markup:
    """Cards due per day from today (as from `forecast`): bars of class bar, today's overdue part in
    bar-overdue, labels every 7 days."""
    bars = []
    for day in days:
        tooltip = f"{_plural(day.count, 'card')} due {_offset_name(day.offset)}"
        if day.overdue:
            tooltip += f" ({day.overdue} overdue)"
        tick = None if day.offset % 7 else ("Today" if day.offset == 0 else f"+{day.offset}d")
        bars.append(
            _Bar(
                segments=((day.overdue, "bar-overdue"), (day.count - day.overdue, "bar")),
                tooltip=tooltip,
                tick=tick,
            )
        )
    total = sum(day.count for day in days)
    desc = f"{_plural(total, 'card')} due in the next {len(days)} days"
    if days:
        desc += f", {days[0].count} of them today"
        if days[0].overdue:
            desc += f" ({days[0].overdue} overdue)"
    if total:
        busiest = max(days, key=lambda day: (day.count, -day.offset))
        desc += f"; the busiest day is {_offset_name(busiest.offset)} with {busiest.count}"
    return _bar_chart(chart_id, "forecast", f"Cards due, next {len(days)} days", desc + ".", bars)


def forecast_table(days: Sequence[ForecastDay]) -> DataTable:
    rows = tuple(
        (_offset_name(day.offset).capitalize(), str(day.count), str(day.overdue) if day.offset == 0 else "")
        for day in days
    )
    return DataTable(caption="Cards due per day", headers=("Day", "Cards due", "Overdue"), rows=rows)


# -- deck progress --------------------------------------------------------------------------------------

_TITLE_WIDTH = 44  # in half-width characters: about 290 of the 360 units at font-size 12


def _char_width(char: str) -> int:
    """2 for wide characters (hanzi, most emoji), 0 for combining marks, 1 otherwise."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _truncate(text: str, limit: int = _TITLE_WIDTH) -> str:
    """The text cut to `limit` half-widths, ending in "…" when cut (the full text is in the tooltip)."""
    if sum(map(_char_width, text)) <= limit:
        return text
    kept, used = [], 1  # the ellipsis takes one
    for char in text:
        used += _char_width(char)
        if used > limit:
            break
        kept.append(char)
    return "".join(kept).rstrip() + "…"


def deck_progress_chart(decks: Iterable[DeckProgress], chart_id: str = "stats-deck-progress") -> Markup:
    """One row per deck: its title and mastered percentage, over a bar of the whole deck (class track)
    with the seen cards (bar-seen) and, over them, the mastered ones (bar-mastered)."""
    decks = list(decks)
    width, row_h, bar_h = 360.0, 38.0, 12.0
    height = max(1, len(decks)) * row_h + 4
    body: list[str] = []
    for index, deck in enumerate(decks):
        y = 4 + index * row_h
        tooltip = (
            f"{deck.title}: {deck.mastered} of {_plural(deck.total, 'card')} mastered "
            f"({_pct(deck.percent)}), {deck.seen} seen"
        )
        title_attrs = {"class": "deck-title", "x": 2, "y": y + 12, "font-size": _FONT + 1}
        value_attrs = {
            "class": "value",
            "x": width - 2,
            "y": y + 12,
            "font-size": _FONT + 1,
            "text-anchor": "end",
        }
        parts = [
            _el("text", title_attrs, text=_truncate(deck.title)),
            _el("text", value_attrs, text=_pct(deck.percent)),
            _el(
                "rect", {"class": "track", "x": 2, "y": y + 18, "width": width - 4, "height": bar_h, "rx": 3}
            ),
        ]
        for count, css in ((deck.seen, "bar-seen"), (deck.mastered, "bar-mastered")):
            if deck.total and count:
                bar_w = (width - 4) * count / deck.total
                parts.append(
                    _el("rect", {"class": css, "x": 2, "y": y + 18, "width": bar_w, "height": bar_h, "rx": 3})
                )
        body.append(f"<g><title>{escape(tooltip)}</title>{''.join(parts)}</g>")
    if not decks:
        attrs = {"class": "empty", "x": width / 2, "y": 24, "font-size": _FONT + 1, "text-anchor": "middle"}
        body.append(_el("text", attrs, text="No decks yet"))
    total = sum(deck.total for deck in decks)
    mastered = sum(deck.mastered for deck in decks)
    desc = (
        f"{_plural(len(decks), 'deck')}, {mastered} of {_plural(total, 'card')} mastered "
        f"(review cards with a stability of at least {_num(MASTERED_STABILITY_DAYS)} days)."
    )
    return _svg(chart_id, "deck-progress", width, height, "Progress per deck", desc, body)


def deck_progress_table(decks: Iterable[DeckProgress]) -> DataTable:
    rows = tuple(
        (deck.title, str(deck.total), str(deck.seen), str(deck.mastered), _pct(deck.percent))
        for deck in decks
    )
    return DataTable(
        caption="Progress per deck", headers=("Deck", "Cards", "Seen", "Mastered", "Mastered %"), rows=rows
    )
