"""The year as a calendar: one square per day, coloured by how many reviews it had."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from learnapp.stats.charts.svg import (
    MONTHS,
    WEEKDAYS,
    DataTable,
    el,
    long_day,
    plural,
    svg,
    text,
    text_width,
)
from learnapp.stats.figures import HEAT_THRESHOLDS, Heatmap

CELL = 10
STEP = 12  # a cell and its gap
LEFT = 32.0  # room for the weekday labels, on both sides (a phone shows the right end, today, first)
TOP = 44.0  # the title, then the months
LABEL_FONT = 12


def _level_range(level: int, thresholds: Sequence[int] = HEAT_THRESHOLDS) -> str:
    if level == 0:
        return "no reviews"
    low = thresholds[level - 1]
    if level == len(thresholds):
        return f"{low} or more reviews"
    high = thresholds[level] - 1
    return plural(low, "review") if low == high else f"{low}–{high} reviews"


def _level_key(level: int, thresholds: Sequence[int]) -> str:
    """The legend's short name of a level: "0", "1–9", "50+"."""
    if level == 0:
        return "0"
    low = thresholds[level - 1]
    if level == len(thresholds):
        return f"{low}+"
    high = thresholds[level] - 1
    return str(low) if low == high else f"{low}–{high}"


def _axes(data: Heatmap, grid_w: float) -> list[str]:
    """Weekday names (Mon, Wed, Fri) left and right of the grid, and each month's name over the column of
    its 1st (the first column too, unless a month starts just after)."""
    body = []
    for row in (0, 2, 4):
        y = TOP + row * STEP + 9
        body.append(text("label", LEFT - 4, y, WEEKDAYS[row], LABEL_FONT, "end"))
        body.append(text("label", LEFT + grid_w + 2, y, WEEKDAYS[row], LABEL_FONT))
    month_of_column: dict[int, int] = {}
    for column, week in enumerate(data.weeks):
        first = next((cell for cell in week if cell.in_range and cell.day.day == 1), None)
        if first is not None:
            month_of_column[column] = first.day.month
    if data.weeks and not any(column in month_of_column for column in range(3)):
        month_of_column[0] = data.start.month
    for column, month in month_of_column.items():
        body.append(text("label", LEFT + column * STEP, TOP - 5, MONTHS[month - 1], LABEL_FONT))
    return body


def _legend(thresholds: Sequence[int], right: float, y: float) -> list[str]:
    """ "Reviews a day" and a square per level with its range, ending at `right`; `y` is the squares' top."""
    keys = [_level_key(level, thresholds) for level in range(len(thresholds) + 1)]
    x = right - sum(CELL + 4 + text_width(key, LABEL_FONT) + 10 for key in keys) + 10
    body = [text("axis-title", x - 8, y + 9, "Reviews a day:", LABEL_FONT, "end")]
    for level, key in enumerate(keys):
        attrs = {"class": f"heat-{level}", "x": x, "y": y, "width": CELL, "height": CELL, "rx": 2}
        body.append(el("rect", attrs, tooltip=_level_range(level, thresholds)))
        body.append(text("legend", x + CELL + 4, y + 9, key, LABEL_FONT))
        x += CELL + 4 + text_width(key, LABEL_FONT) + 10
    return body


def heatmap_chart(data: Heatmap, chart_id: str = "stats-heatmap") -> Markup:
    """A calendar of the last 365 days: 53 week columns × 7 weekday rows (Monday on top), one square per
    day with the class heat-0 .. heat-4 and a tooltip "3 reviews on 2026-11-02", month labels above,
    weekday labels on both sides, the title and a legend of the levels at the right end. 698 units wide:
    on a narrow phone, give it a min-width in a scrolling box (scrolled to today, at the right end)."""
    grid_w = len(data.weeks) * STEP - (STEP - CELL)
    width = LEFT + grid_w + LEFT
    height = TOP + 7 * STEP + 8 + CELL + 6
    body = _axes(data, grid_w)
    for column, week in enumerate(data.weeks):
        for row, cell in enumerate(week):
            if not cell.in_range:
                continue
            attrs = {
                "class": f"heat-{cell.level}",
                "x": LEFT + column * STEP,
                "y": TOP + row * STEP,
                "width": CELL,
                "height": CELL,
                "rx": 2,
            }
            body.append(
                el("rect", attrs, tooltip=f"{plural(cell.count, 'review')} on {cell.day.isoformat()}")
            )
    body += _legend(data.thresholds, width - 4, TOP + 7 * STEP + 8)
    summary = f"{plural(data.total, 'review')} on {plural(data.active_days, 'day')}"
    desc = f"Reviews per day from {long_day(data.start)} to {long_day(data.end)}: {summary}."
    if data.total:
        busiest = max(data.cells(), key=lambda cell: (cell.count, cell.day))
        desc += f" The busiest day was {long_day(busiest.day)} with {plural(busiest.count, 'review')}."
    # Title and legend at the right end, by today: what a phone shows first of this scrolling chart.
    title = "Study calendar, last 365 days"
    return svg(chart_id, "heatmap", width, height, title, desc, body, title_at_end=True)


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
        caption=f"Reviews per month, {long_day(data.start)} to {long_day(data.end)}",
        headers=("Month", "Reviews", "Days studied"),
        rows=rows,
    )
