"""Vertical bar charts: a titled frame with a labelled y axis (ticks and gridlines from 0), labelled days
or periods under the bars, an axis title under those, and a legend when there is more than one series."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from learnapp.stats.charts.svg import (
    FONT,
    KEY_Y,
    VALUE_FONT,
    WIDTH,
    Key,
    el,
    group,
    legend,
    svg,
    text,
    text_width,
    tick_text,
    ticks,
)

HEIGHT = 244.0
# The plot's margins: tick labels on the left, half the last day's label on the right, the title, the axis
# title and the legend above, the tick labels and the axis title below.
LEFT, RIGHT, TOP, BOTTOM = 40.0, 22.0, 56.0, 44.0


@dataclass(frozen=True, slots=True)
class Bar:
    segments: tuple[tuple[float, str], ...]  # (value, class), stacked from the bottom
    tooltip: str
    tick: str | None = None  # x-axis label under this bar
    value_label: str | None = None  # drawn above the bar


@dataclass(frozen=True, slots=True)
class Axes:
    """What the axes say: the y axis's title, scale and tick format, the x axis's title, the legend."""

    y_title: str
    x_title: str
    keys: tuple[Key, ...] = ()
    y_max: float | None = None  # None: a round number over the highest bar
    y_ticks: Sequence[float] | None = None
    y_format: Callable[[float], str] = tick_text
    target: float | None = None  # a dashed line of class target at this value
    target_label: str | None = None


@dataclass(frozen=True, slots=True)
class _Plot:
    y_max: float
    x0: float = LEFT
    x1: float = WIDTH - RIGHT
    top: float = TOP
    bottom: float = HEIGHT - BOTTOM

    def y(self, value: float) -> float:
        height = self.bottom - self.top
        return self.bottom - height * min(value, self.y_max) / self.y_max


def bar_chart(chart_id: str, kind: str, title: str, desc: str, bars: Sequence[Bar], axes: Axes) -> Markup:
    """The bars over a 0-based y axis, 360 × 244 viewBox units."""
    highest = max((sum(value for value, _ in bar.segments) for bar in bars), default=0)
    y_max, y_ticks = (axes.y_max, axes.y_ticks) if axes.y_max is not None else ticks(highest)
    assert y_ticks is not None
    plot = _Plot(y_max)
    body = _y_axis(plot, y_ticks, axes)
    body += _bars(plot, bars)
    body.append(
        el("line", {"class": "axis", "x1": plot.x0, "x2": plot.x1, "y1": plot.bottom, "y2": plot.bottom})
    )
    body.append(text("axis-title", (plot.x0 + plot.x1) / 2, HEIGHT - 4, axes.x_title, anchor="middle"))
    if not any(bar.value_label is not None or any(value > 0 for value, _ in bar.segments) for bar in bars):
        middle = (plot.top + plot.bottom) / 2
        body.append(text("empty", (plot.x0 + plot.x1) / 2, middle, "Nothing yet", FONT + 1, "middle"))
    return svg(chart_id, kind, WIDTH, HEIGHT, title, desc, body)


def _y_axis(plot: _Plot, y_ticks: Sequence[float], axes: Axes) -> list[str]:
    """The axis title and legend row, the tick labels and gridlines, and the target line."""
    body = [text("axis-title", 0, KEY_Y, axes.y_title)]
    body += legend(axes.keys, WIDTH - 2)
    for tick in y_ticks:
        y = plot.y(tick)
        if tick:
            body.append(el("line", {"class": "grid", "x1": plot.x0, "x2": plot.x1, "y1": y, "y2": y}))
        body.append(text("label", plot.x0 - 5, y + FONT * 0.35, axes.y_format(tick), anchor="end"))
    if axes.target is not None:
        y = plot.y(axes.target)
        line = {"class": "target", "x1": plot.x0, "x2": plot.x1, "y1": y, "y2": y}
        body.append(el("line", line, tooltip=axes.target_label))
    return body


def _bars(plot: _Plot, bars: Sequence[Bar]) -> list[str]:
    """Each bar's stacked segments and value under one tooltip, and the tick labels under the bars."""
    body: list[str] = []
    slot = (plot.x1 - plot.x0) / max(1, len(bars))
    bar_w = slot * 0.72
    labelled = [bar.tick for bar in bars if bar.tick is not None]
    widest = max((text_width(tick) for tick in labelled), default=0.0)
    # When every bar has a label and they would touch, every other one (the newest kept).
    crowded = len(labelled) == len(bars) and widest + 6 > slot
    for index, bar in enumerate(bars):
        x = plot.x0 + index * slot + (slot - bar_w) / 2
        parts = []
        base = 0.0
        for value, css in bar.segments:
            if value <= 0:
                continue
            y_top, y_bottom = plot.y(base + value), plot.y(base)
            parts.append(
                el("rect", {"class": css, "x": x, "y": y_top, "width": bar_w, "height": y_bottom - y_top})
            )
            base += value
        if bar.value_label is not None:
            parts.append(
                text("value", x + bar_w / 2, plot.y(base) - 3, bar.value_label, VALUE_FONT, "middle")
            )
        if parts:
            body.append(group(bar.tooltip, parts))
        if bar.tick is not None and not (crowded and (len(bars) - 1 - index) % 2 == 1):
            body.append(text("label", x + bar_w / 2, plot.bottom + FONT + 3, bar.tick, anchor="middle"))
    return body
