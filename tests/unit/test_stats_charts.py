"""The charts look finished: a visible title, labelled axes, a legend where there are series, weekday labels
on both sides of the calendar, an empty bar for a deck at 0%, nothing drawn outside the picture, tick
labels that do not collide, and text sized like the page's small text once the stylesheet sizes the
chart. The drawing helpers: numbers, ticks, escaping, legends."""

from __future__ import annotations

import functools
import itertools
import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from markupsafe import Markup

from learnapp.stats.charts import (
    card_states_chart,
    deck_progress_chart,
    forecast_chart,
    heatmap_chart,
    minutes_chart,
    retention_chart,
    reviews_chart,
)
from learnapp.stats.charts.svg import (
    FONT,
    HALF_WIDTH_EM,
    Key,
    el,
    legend,
    minutes,
    num,
    pct,
    svg,
    text_width,
    ticks,
)
from learnapp.stats.figures import (
    CardCounts,
    DayTotals,
    DeckProgress,
    ForecastDay,
    Review,
    daily,
    heatmap,
    retention,
)

SVG = "{http://www.w3.org/2000/svg}"
TODAY = date(2026, 11, 4)
CSS = (Path(__file__).resolve().parents[2] / "static" / "app.css").read_text()


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314 (our own output)


def texts(root: ET.Element, css: str) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG}text") if element.get("class") == css]


def busy_log() -> list[Review]:
    """Every day of the last year answered, more on some days: every chart has data everywhere."""
    log = []
    for back in range(400):
        day = TODAY - timedelta(days=back)
        for number in range(1 + back % 60):
            log.append(Review(day, 1 + number % 4, ("review", "new", "learning")[number % 3], 9_000))
    return log


def charts(log: list[Review] | None = None) -> dict[str, Markup]:
    """Every chart, drawn from `log` (the busy log by default, drawn once)."""
    return _busy_charts() if log is None else _charts(log)


@functools.cache
def _busy_charts() -> dict[str, Markup]:
    return _charts(busy_log())


def _charts(log: list[Review]) -> dict[str, Markup]:
    days, periods = daily(log, TODAY), retention(log, TODAY)
    forecast = [ForecastDay(offset, 40 + offset * 7, 120 if offset == 0 else 0) for offset in range(30)]
    decks = [
        DeckProgress(1, "HSK 1 · 汉语水平考试一级 词汇 (the first 150 words) and more", 300, 300, 300),
        DeckProgress(2, "Internet slang", 118, 0, 0),
    ]
    return {
        "heatmap": heatmap_chart(heatmap(log, TODAY)),
        "reviews": reviews_chart(days),
        "minutes": minutes_chart(days),
        "retention": retention_chart(periods.weeks, target=0.9),
        "retention-months": retention_chart(periods.months, "months", "True retention per month", 0.85),
        "card-states": card_states_chart(CardCounts(new=1200, learning=300, review=25_000, suspended=40)),
        "forecast": forecast_chart(forecast),
        "deck-progress": deck_progress_chart(decks),
    }


def view_box(root: ET.Element) -> tuple[float, float]:
    _, _, width, height = map(float, root.get("viewBox", "").split())
    return width, height


# -- titles, axes, legends ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(charts()))
def test_every_chart_draws_its_title(name):
    root = parse(charts()[name])
    drawn = texts(root, "chart-title")
    assert drawn == [root.find(f"{SVG}title").text]
    assert drawn[0]


@pytest.mark.parametrize(
    ("name", "axes"),
    [
        ("reviews", ["Reviews", "Study day"]),
        ("minutes", ["Minutes", "Study day"]),
        ("retention", ["Remembered", "Week"]),
        ("retention-months", ["Remembered", "Month"]),
        ("forecast", ["Cards due", "Days from today"]),
    ],
)
def test_bar_charts_label_both_axes(name, axes):
    root = parse(charts()[name])
    assert texts(root, "axis-title") == axes
    y_labels = [text for text in root.iter(f"{SVG}text") if text.get("class") == "label"]
    assert len(y_labels) >= 3  # ticks on both axes


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("reviews", [("swatch bar", "Remembered"), ("swatch bar-fail", "Again")]),
        ("minutes", []),  # one series: its axis says what it is
        ("retention", [("swatch bar", "Actual"), ("swatch target", "Target 90%")]),
        ("retention-months", [("swatch bar", "Actual"), ("swatch target", "Target 85%")]),
        ("forecast", [("swatch bar", "Due"), ("swatch bar-overdue", "Overdue")]),
        (
            "card-states",
            [
                ("swatch seg-new", "New 1200"),
                ("swatch seg-learning", "Learning 300"),
                ("swatch seg-review", "Review 25000"),
                ("swatch seg-suspended", "Suspended 40"),
            ],
        ),
        (
            "deck-progress",
            [
                ("swatch bar-mastered", "Mastered"),
                ("swatch bar-seen", "Seen"),
                ("swatch track", "Not seen yet"),
            ],
        ),
    ],
)
def test_charts_with_series_have_a_legend(name, keys):
    root = parse(charts()[name])
    swatches = [element.get("class") for element in root.iter() if "swatch" in (element.get("class") or "")]
    assert list(zip(swatches, texts(root, "legend"), strict=True)) == keys


def test_a_retention_chart_without_a_target_has_no_target_key():
    root = parse(retention_chart(retention(busy_log(), TODAY).weeks))
    assert texts(root, "legend") == ["Actual"]
    assert not [line for line in root.iter(f"{SVG}line") if "target" in (line.get("class") or "")]


def test_the_calendar_labels_weekdays_on_both_sides_and_its_levels():
    root = parse(charts()["heatmap"])
    width, _ = view_box(root)
    cells = [rect for rect in root.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]
    grid_left = min(float(rect.get("x")) for rect in cells[:-5])
    grid_right = max(float(rect.get("x")) + float(rect.get("width")) for rect in cells[:-5])
    weekdays = [text for text in root.iter(f"{SVG}text") if text.text in ("Mon", "Wed", "Fri")]
    left = [text for text in weekdays if float(text.get("x")) < grid_left]
    right = [text for text in weekdays if float(text.get("x")) >= grid_right]
    assert [text.text for text in left] == [text.text for text in right] == ["Mon", "Wed", "Fri"]
    assert all(text.get("text-anchor") == "end" for text in left)  # they end just before the first column
    assert float(right[0].get("x")) + text_width("Mon", 12) <= width
    assert texts(root, "legend") == ["0", "1–9", "10–24", "25–49", "50+"]
    assert texts(root, "axis-title") == ["Reviews a day:"]
    # The title sits at the right end, by today: a phone shows that end of the scrolling calendar first.
    title = next(text for text in root.iter(f"{SVG}text") if text.get("class") == "chart-title")
    assert title.get("text-anchor") == "end" and float(title.get("x")) > width - 10


def test_a_deck_at_0_percent_is_an_empty_bar_and_a_full_deck_a_full_one():
    root = parse(charts()["deck-progress"])
    full, empty = [group.findall(f"{SVG}rect") for group in root.iter(f"{SVG}g")]
    assert [rect.get("class") for rect in empty] == ["track"]  # outlined by the stylesheet
    assert [rect.get("class") for rect in full] == ["track", "bar-seen", "bar-mastered"]
    assert full[2].get("width") == full[0].get("width")  # 300 of 300 mastered
    assert texts(root, "value") == ["100%", "0%"]
    assert re.search(r"\.chart \.track \{[^}]*stroke:", CSS)


# -- nothing outside the picture, nothing colliding ------------------------------------------------------


def _extent(element: ET.Element) -> tuple[float, float]:
    """Where a text starts and ends along x, estimated from its characters."""
    x = float(element.get("x"))
    width = text_width(element.text or "", int(float(element.get("font-size"))))
    anchor = element.get("text-anchor")
    if anchor == "end":
        return x - width, x
    if anchor == "middle":
        return x - width / 2, x + width / 2
    return x, x + width


@pytest.mark.parametrize("data", ["busy", "empty"])
def test_nothing_is_drawn_outside_the_view_box(data):
    for name, markup in charts(None if data == "busy" else []).items():
        root = parse(markup)
        width, height = view_box(root)
        for element in root.iter(f"{SVG}text"):
            start, end = _extent(element)
            assert start >= -0.5 and end <= width + 0.5, (name, element.text, start, end)
            assert 0 < float(element.get("y")) <= height, (name, element.text)
        for rect in root.iter(f"{SVG}rect"):
            assert (
                float(rect.get("x")) >= 0 and float(rect.get("x")) + float(rect.get("width")) <= width + 0.01
            )
            assert float(rect.get("y")) >= 0 and float(rect.get("y")) + float(rect.get("height")) <= height


def _x_labels(root: ET.Element) -> list[ET.Element]:
    """The tick labels under the bars: the lowest row of labels."""
    labels = [text for text in root.iter(f"{SVG}text") if text.get("class") == "label"]
    bottom = max(float(text.get("y")) for text in labels)
    return [text for text in labels if float(text.get("y")) == bottom]


@pytest.mark.parametrize("name", ["reviews", "minutes", "retention", "retention-months", "forecast"])
def test_tick_labels_under_the_bars_do_not_collide(name):
    extents = [_extent(text) for text in _x_labels(parse(charts()[name]))]
    assert len(extents) >= 4
    for (_, end), (start, _) in itertools.pairwise(extents):
        assert end + 2 <= start, (name, extents)


def test_crowded_period_labels_are_every_other_one_ending_with_the_latest():
    shown = [text.text for text in _x_labels(parse(charts()["retention"]))]
    assert shown == ["W35", "W37", "W39", "W41", "W43", "W45"]


# -- text sized like the page's --------------------------------------------------------------------------


def _rem(rule: str) -> float:
    match = re.search(rf"{rule}[^{{]*\{{[^}}]*?(?:min-width|max-width):\s*([\d.]+)rem", CSS)
    assert match, rule
    return float(match.group(1)) * 16


def test_text_is_drawn_at_about_the_pages_small_size():
    """The stylesheet shows each chart about as wide as its viewBox (the column charts at most 24rem, in
    two columns of about 340 px on a desktop; the calendar at least 43rem, scrolling on a phone), so a
    13-unit label is about 13 px, beside the page's 14.4 px small text."""
    column, calendar = _rem(r"\.chart-figure "), _rem(r"\.chart-scroll > \.chart-heatmap")
    for name, markup in charts().items():
        root = parse(markup)
        width, _ = view_box(root)
        shown = calendar if name == "heatmap" else column
        scale = shown / width
        assert 0.95 <= scale <= 1.1, (name, scale)
        sizes = {float(text.get("font-size")) * scale for text in root.iter(f"{SVG}text")}
        assert min(sizes) >= 10.5 and max(sizes) <= 16.5, (name, sorted(sizes))
    assert FONT == 13


# -- helpers --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("top", "axis"),
    [
        (0, (1, [0, 1])),
        (1, (1, [0, 1])),
        (3, (3, [0, 1, 2, 3])),
        (7, (10, [0, 5, 10])),
        (5, (6, [0, 2, 4, 6])),
        (336, (400, [0, 200, 400])),
        (999, (1000, [0, 500, 1000])),
        (112.3, (150, [0, 50, 100, 150])),
    ],
)
def test_axis_ticks_are_round(top, axis):
    assert ticks(top) == axis


def test_numbers_and_words():
    assert (num(2.0), num(2.345), num(-0.001), num(10.10)) == ("2", "2.35", "0", "10.1")
    assert (pct(71.4), pct(75.0), pct(None), pct(0.0)) == ("71.4%", "75%", "–", "0%")
    assert (minutes(2.0), minutes(0.5)) == ("2 min", "0.5 min")
    assert text_width("abc") == pytest.approx(3 * 13 * HALF_WIDTH_EM)
    assert text_width("汉字") == text_width("abcd")  # a wide character takes two half-widths


def test_elements_escape_their_text_and_attributes():
    assert el("text", {"class": 'a"b', "x": 1.5, "skip": None}, text="<b>&") == (
        '<text class="a&#34;b" x="1.5">&lt;b&gt;&amp;</text>'
    )
    assert el("rect", {"x": 0}, tooltip="Tom & Jerry") == '<rect x="0"><title>Tom &amp; Jerry</title></rect>'
    markup = svg("x-1", "reviews", 10, 10, "<Title>", "A & B", [])
    assert "&lt;Title&gt;" in markup and "A &amp; B" in markup and "<Title>" not in markup


def test_legends_line_up_from_either_end():
    keys = [Key("bar", "Due"), Key("bar-overdue", "Overdue")]
    start = parse(f'<svg xmlns="http://www.w3.org/2000/svg">{"".join(legend(keys, 10, align="start"))}</svg>')
    end = parse(f'<svg xmlns="http://www.w3.org/2000/svg">{"".join(legend(keys, 300))}</svg>')
    assert float(start.find(f"{SVG}rect").get("x")) == 10
    last = [text for text in end.iter(f"{SVG}text")][-1]
    assert _extent(last)[1] == pytest.approx(300)
    assert [text.text for text in end.iter(f"{SVG}text")] == ["Due", "Overdue"]


def test_a_day_with_no_answers_draws_no_bar_but_keeps_its_tooltip_free():
    days = [DayTotals(TODAY - timedelta(days=1), 0, 0, 0), DayTotals(TODAY, 5, 2, 60_000)]
    root = parse(reviews_chart(days))
    groups = list(root.iter(f"{SVG}g"))
    assert [group.find(f"{SVG}title").text for group in groups] == ["5 reviews on 2026-11-04 (2 Again)"]
    fail, passed = groups[0].findall(f"{SVG}rect")
    assert (fail.get("class"), passed.get("class")) == ("bar-fail", "bar")
    # Stacked: Again at the bottom, the remembered 3 on top of it; heights in proportion (2 : 3).
    assert float(fail.get("y")) == pytest.approx(float(passed.get("y")) + float(passed.get("height")))
    assert float(fail.get("height")) / float(passed.get("height")) == pytest.approx(2 / 3)


def test_the_forecast_stacks_overdue_under_due_today():
    root = parse(forecast_chart([ForecastDay(0, 10, 4), ForecastDay(1, 0)]))
    [today] = list(root.iter(f"{SVG}g"))
    assert [rect.get("class") for rect in today.findall(f"{SVG}rect")] == ["bar-overdue", "bar"]
    assert today.find(f"{SVG}title").text == "10 cards due today (4 overdue)"
    assert texts(root, "label")[-1] == "Today"


def test_an_empty_calendar_still_has_its_axes_and_legend():
    root = parse(heatmap_chart(heatmap([], datetime(2026, 1, 1, tzinfo=UTC).date())))
    assert "0 reviews on 0 days" in root.find(f"{SVG}desc").text
    assert texts(root, "legend") == ["0", "1–9", "10–24", "25–49", "50+"]
    assert {text.text for text in root.iter(f"{SVG}text") if text.get("class") == "label"} >= {"Mon", "Jan"}
