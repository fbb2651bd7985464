"""Charts of the learner's cards: by state, falling due in the next 30 days, and each deck toward
mastered."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from markupsafe import Markup

from learnapp.stats.charts.bars import Axes, Bar, bar_chart
from learnapp.stats.charts.svg import (
    FONT,
    KEY_Y,
    WIDTH,
    DataTable,
    Key,
    char_width,
    el,
    group,
    legend,
    num,
    pct,
    plural,
    svg,
    text,
)
from learnapp.stats.figures import MASTERED_STABILITY_DAYS, CardCounts, DeckProgress, ForecastDay

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
    height = 100.0
    bar_x, bar_y, bar_w, bar_h = 2.0, 26.0, 356.0, 24.0
    body: list[str] = []
    total = counts.total
    x = bar_x
    for name, label, css in _STATE_PARTS:
        count = getattr(counts, name)
        if total and count:
            part = bar_w * count / total
            tooltip = f"{label}: {plural(count, 'card')} ({pct(round(100 * count / total, 1))})"
            body.append(
                el("rect", {"class": css, "x": x, "y": bar_y, "width": part, "height": bar_h}, tooltip)
            )
            x += part
    if not total:
        body.append(el("rect", {"class": "track", "x": bar_x, "y": bar_y, "width": bar_w, "height": bar_h}))
        body.append(text("empty", WIDTH / 2, bar_y + 17, "No cards yet", anchor="middle"))
    for index, (name, label, css) in enumerate(_STATE_PARTS):
        left, top = 2 + (index % 2) * 180, bar_y + bar_h + 14 + (index // 2) * 22
        body.append(el("rect", {"class": f"swatch {css}", "x": left, "y": top, "width": 12, "height": 12}))
        body.append(text("legend", left + 18, top + 11, f"{label} {getattr(counts, name)}"))
    parts = ", ".join(f"{getattr(counts, name)} {label.lower()}" for name, label, _ in _STATE_PARTS)
    desc = f"{plural(total, 'card')}: {parts}."
    return svg(chart_id, "card-states", WIDTH, height, "Cards by state", desc, body)


def card_states_table(counts: CardCounts) -> DataTable:
    total = counts.total
    rows = tuple(
        (
            label,
            str(getattr(counts, name)),
            pct(round(100 * getattr(counts, name) / total, 1)) if total else "–",
        )
        for name, label, _ in _STATE_PARTS
    )
    return DataTable(
        caption="Cards by state", headers=("State", "Cards", "Share"), rows=(*rows, ("Total", str(total), ""))
    )


# -- forecast -------------------------------------------------------------------------------------------


def _offset_name(offset: int) -> str:
    return {0: "today", 1: "tomorrow"}.get(offset, f"in {offset} days")


def _forecast_desc(days: Sequence[ForecastDay]) -> str:
    total = sum(day.count for day in days)
    desc = f"{plural(total, 'card')} due in the next {len(days)} days"
    if days:
        desc += f", {days[0].count} of them today"
        if days[0].overdue:
            desc += f" ({days[0].overdue} overdue)"
    if total:
        busiest = max(days, key=lambda day: (day.count, -day.offset))
        desc += f"; the busiest day is {_offset_name(busiest.offset)} with {busiest.count}"
    return desc + "."


def forecast_chart(days: Sequence[ForecastDay], chart_id: str = "stats-forecast") -> Markup:
    """Cards due per day from today (as from `forecast`): bars of class bar, today's overdue part in
    bar-overdue, labels every 7 days."""
    bars = []
    for day in days:
        tooltip = f"{plural(day.count, 'card')} due {_offset_name(day.offset)}"
        if day.overdue:
            tooltip += f" ({day.overdue} overdue)"
        tick = None if day.offset % 7 else ("Today" if day.offset == 0 else f"+{day.offset}d")
        segments = ((day.overdue, "bar-overdue"), (day.count - day.overdue, "bar"))
        bars.append(Bar(segments=segments, tooltip=tooltip, tick=tick))
    axes = Axes(
        y_title="Cards due",
        x_title="Days from today",
        keys=(Key("bar", "Due"), Key("bar-overdue", "Overdue")),
    )
    return bar_chart(
        chart_id, "forecast", f"Cards due, next {len(days)} days", _forecast_desc(days), bars, axes
    )


def forecast_table(days: Sequence[ForecastDay]) -> DataTable:
    rows = tuple(
        (_offset_name(day.offset).capitalize(), str(day.count), str(day.overdue) if day.offset == 0 else "")
        for day in days
    )
    return DataTable(caption="Cards due per day", headers=("Day", "Cards due", "Overdue"), rows=rows)


# -- deck progress --------------------------------------------------------------------------------------

_TITLE_WIDTH = 44  # in half-width characters: about 340 of the 360 units at font-size 13
_ROW = 42.0
_BAR_W = 296.0  # the percentage goes to its right


def _truncate(title: str, limit: int = _TITLE_WIDTH) -> str:
    """The title cut to `limit` half-widths, ending in "…" when cut (the full title is in the tooltip)."""
    if sum(map(char_width, title)) <= limit:
        return title
    kept, used = [], 1  # the ellipsis takes one
    for char in title:
        used += char_width(char)
        if used > limit:
            break
        kept.append(char)
    return "".join(kept).rstrip() + "…"


def _deck_row(deck: DeckProgress, y: float) -> str:
    """A deck's title over its bar: the whole deck (track, outlined, so 0% is an empty bar), the seen
    cards (bar-seen) and over them the mastered ones (bar-mastered); the percentage right of the bar."""
    tooltip = (
        f"{deck.title}: {deck.mastered} of {plural(deck.total, 'card')} mastered "
        f"({pct(deck.percent)}), {deck.seen} seen"
    )
    bar = {"x": 2, "y": y + 21, "height": 12, "rx": 3}
    parts = [
        text("deck-title", 2, y + 14, _truncate(deck.title)),
        text("value", WIDTH - 2, y + 32, pct(deck.percent), anchor="end"),
        el("rect", {"class": "track", **bar, "width": _BAR_W}),
    ]
    for count, css in ((deck.seen, "bar-seen"), (deck.mastered, "bar-mastered")):
        if deck.total and count:
            parts.append(el("rect", {"class": css, **bar, "width": _BAR_W * count / deck.total}))
    return group(tooltip, parts)


def deck_progress_chart(decks: Iterable[DeckProgress], chart_id: str = "stats-deck-progress") -> Markup:
    """One row per deck: its title, then a bar of the whole deck with the cards seen and mastered, and the
    mastered percentage; a legend of the three under the title."""
    decks = list(decks)
    top = KEY_Y + 11
    height = top + max(1, len(decks)) * _ROW
    keys = (Key("bar-mastered", "Mastered"), Key("bar-seen", "Seen"), Key("track", "Not seen yet"))
    body = legend(keys, 2, align="start")
    body += [_deck_row(deck, top + index * _ROW) for index, deck in enumerate(decks)]
    if not decks:
        body.append(text("empty", WIDTH / 2, top + 24, "No decks yet", FONT + 1, "middle"))
    total = sum(deck.total for deck in decks)
    mastered = sum(deck.mastered for deck in decks)
    desc = (
        f"{plural(len(decks), 'deck')}, {mastered} of {plural(total, 'card')} mastered "
        f"(review cards with a stability of at least {num(MASTERED_STABILITY_DAYS)} days)."
    )
    return svg(chart_id, "deck-progress", WIDTH, height, "Progress per deck", desc, body)


def deck_progress_table(decks: Iterable[DeckProgress]) -> DataTable:
    rows = tuple(
        (deck.title, str(deck.total), str(deck.seen), str(deck.mastered), pct(deck.percent)) for deck in decks
    )
    return DataTable(
        caption="Progress per deck", headers=("Deck", "Cards", "Seen", "Mastered", "Mastered %"), rows=rows
    )
