"""The pieces every chart is drawn with: escaped elements, the root <svg> with its visible title, legends,
axis ticks and the data table that goes with each chart."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from markupsafe import Markup, escape

SVG_NS = "http://www.w3.org/2000/svg"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# Every class the charts use, for the stylesheet (static/app.css).
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
        "chart-title",  # the visible title, top left
        "axis-title",  # what an axis counts ("Reviews", "Study day")
        "legend",  # a legend's text
        "swatch",  # a legend's colour sample, with the class of the series it stands for
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
        "track",  # deck progress: the whole deck, behind the bars (outlined, so 0% is an empty bar)
        "seg-new",  # card states
        "seg-learning",
        "seg-review",
        "seg-suspended",
        "axis",  # the baseline of a bar chart
        "grid",  # horizontal gridlines
        "target",  # the desired-retention line
        "label",  # tick labels and other small text
        "value",  # numbers drawn on or above bars
        "deck-title",  # a deck's title in deck progress
        "empty",  # the message of a chart without data
    }
)

# Sizes in viewBox units. The charts are drawn about as wide as they are shown (360 units in a column of
# about 340-380 px, the heatmap's 696 in 704 px; see static/app.css), so these are roughly pixels: the
# page's small text is 14.4 px.
FONT = 13  # ticks, legends, axis titles
TITLE_FONT = 15
VALUE_FONT = 11  # numbers above bars
WIDTH = 360.0
TITLE_Y = 15.0  # baseline of the title
KEY_Y = 37.0  # baseline of the row under the title: an axis title on the left, the legend on the right

_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
Attrs = Mapping[str, object]


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


# -- elements -------------------------------------------------------------------------------------------


def num(value: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _attrs(attrs: Attrs) -> str:
    parts = []
    for name, value in attrs.items():
        if value is None:
            continue
        text = num(value) if isinstance(value, float) else str(value)
        parts.append(f' {name}="{escape(text)}"')
    return "".join(parts)


def el(tag: str, attrs: Attrs, tooltip: str | None = None, text: str | None = None) -> str:
    """One element; the tooltip becomes its <title>, the text its content (both escaped)."""
    inner = ""
    if tooltip is not None:
        inner += f"<title>{escape(tooltip)}</title>"
    if text is not None:
        inner += str(escape(text))
    if not inner:
        return f"<{tag}{_attrs(attrs)}/>"
    return f"<{tag}{_attrs(attrs)}>{inner}</{tag}>"


def group(tooltip: str, parts: Sequence[str]) -> str:
    """Marks that share one tooltip."""
    return f"<g><title>{escape(tooltip)}</title>{''.join(parts)}</g>"


def text(css: str, x: float, y: float, content: str, size: int = FONT, anchor: str | None = None) -> str:
    return el("text", {"class": css, "x": x, "y": y, "font-size": size, "text-anchor": anchor}, text=content)


def svg(
    chart_id: str,
    kind: str,
    width: float,
    height: float,
    title: str,
    desc: str,
    body: Sequence[str],
    title_at_end: bool = False,
) -> Markup:
    """The root element: role="img" named by its <title> and <desc>, the title also drawn top left (or
    top right: a wide chart that a phone shows scrolled to its right end)."""
    if not _ID.match(chart_id):
        raise ValueError(f"chart id {chart_id!r} must be a letter followed by letters, digits, - or _")
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    heading = text(
        "chart-title",
        width - 2 if title_at_end else 0,
        TITLE_Y,
        title,
        TITLE_FONT,
        "end" if title_at_end else None,
    )
    # Safe: the id is checked, title and desc are escaped here, and `el` escapes every text and attribute.
    return Markup(  # noqa: S704
        f'<svg xmlns="{SVG_NS}" id="{chart_id}" class="chart chart-{kind}" viewBox="0 0 {num(width)} '
        f'{num(height)}" width="100%" role="img" aria-labelledby="{title_id} {desc_id}">'
        f'<title id="{title_id}">{escape(title)}</title><desc id="{desc_id}">{escape(desc)}</desc>'
        + heading
        + "".join(body)
        + "</svg>"
    )


# -- legends --------------------------------------------------------------------------------------------


def char_width(char: str) -> int:
    """2 for wide characters (hanzi, most emoji), 0 for combining marks, 1 otherwise."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


HALF_WIDTH_EM = (
    0.62  # a Latin letter or digit in the page's sans-serif, a little generously (DejaVu: 0.55-0.64)
)


def text_width(content: str, size: int = FONT) -> float:
    """About how wide a text is drawn: HALF_WIDTH_EM per half-width character, twice that for a wide one."""
    return sum(map(char_width, content)) * size * HALF_WIDTH_EM


@dataclass(frozen=True, slots=True)
class Key:
    """One entry of a legend: the series' class, its name, and whether it is drawn as a line."""

    css: str
    label: str
    line: bool = False


def _key_width(key: Key) -> float:
    return 14 + text_width(key.label)  # a 10-unit sample, a gap, the name


def legend(keys: Sequence[Key], x: float, y: float = KEY_Y, align: str = "end") -> list[str]:
    """The keys in a row that ends at `x` (align "end") or starts there ("start"), each a 10-unit sample
    of the series' class then its name, 12 units apart; `y` is the text's baseline."""
    if align == "end":
        x -= sum(_key_width(key) for key in keys) + 12 * (len(keys) - 1)
    parts: list[str] = []
    for key in keys:
        css = f"swatch {key.css}"
        if key.line:
            parts.append(el("line", {"class": css, "x1": x, "x2": x + 10, "y1": y - 4.5, "y2": y - 4.5}))
        else:
            parts.append(el("rect", {"class": css, "x": x, "y": y - 9.5, "width": 10, "height": 10}))
        parts.append(text("legend", x + 14, y, key.label))
        x += _key_width(key) + 12
    return parts


# -- words and numbers ----------------------------------------------------------------------------------


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def short_day(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}"


def long_day(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def pct(value: float | None) -> str:
    """71.4 -> "71.4%", 75.0 -> "75%", None -> "–"."""
    if value is None:
        return "–"
    return f"{value:.1f}".removesuffix(".0") + "%"


def minutes(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0") + " min"


def ticks(top_value: float) -> tuple[float, list[float]]:
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


def tick_text(value: float) -> str:
    return str(round(value)) if float(value).is_integer() else num(value)
