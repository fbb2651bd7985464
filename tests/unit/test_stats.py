"""Learner statistics on a small review log written by hand; every expected figure is worked out in the
comments. Charts: well-formed SVG, accessible, no inline style, escaped text."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

import pytest
from markupsafe import Markup

from learnapp.srs.queue import learner_day
from learnapp.stats.charts import (
    CSS_CLASSES,
    card_states_chart,
    card_states_table,
    daily_table,
    deck_progress_chart,
    deck_progress_table,
    forecast_chart,
    forecast_table,
    heatmap_chart,
    heatmap_table,
    minutes_chart,
    retention_chart,
    retention_table,
    reviews_chart,
)
from learnapp.stats.figures import (
    MASTERED_STABILITY_DAYS,
    CardCounts,
    CardRow,
    DayTotals,
    Review,
    card_counts,
    daily,
    deck_progress,
    forecast,
    heat_level,
    heatmap,
    retention,
    streaks,
    today_summary,
)

SVG = "{http://www.w3.org/2000/svg}"
TODAY = date(2026, 11, 4)  # a Wednesday, ISO week 2026-W45 (Mon Nov 2 .. Sun Nov 8)


def d(text: str) -> date:
    return date.fromisoformat(text)


def r(day: str, rating: int, state: str = "review", ms: int | None = 10_000) -> Review:
    return Review(day=d(day), rating=rating, state_before=state, duration_ms=ms)


def days_log(*days: str) -> list[Review]:
    return [r(day, 3) for day in days]


def span(first: str, count: int) -> list[str]:
    return [(d(first) + timedelta(days=offset)).isoformat() for offset in range(count)]


# The fixed log. Rating 1 = Again (fails), 2-4 pass. Only state "review" counts for true retention.
LOG = [
    # Thu Oct 1 (W40): one review-card answer, failed                         -> W40: n=1, passed=0
    r("2026-10-01", 1, ms=20_000),
    # Fri Oct 30 (W44): four review-card answers, three passed                -> W44: n=4, passed=3
    r("2026-10-30", 3, ms=10_000),
    r("2026-10-30", 3, ms=10_000),
    r("2026-10-30", 1, ms=10_000),
    r("2026-10-30", 2, ms=10_000),
    # Sat Oct 31 (W44): a learning step only (not counted for retention)
    r("2026-10-31", 3, "learning", ms=5_000),
    # Sun Nov 1 (W44): a new card only, no duration
    r("2026-11-01", 3, "new", ms=None),
    # Mon Nov 2 (W45): review 3 pass, 1 fail, 4 pass (2 of 3); plus a new card
    r("2026-11-02", 3, ms=6_000),
    r("2026-11-02", 1, ms=6_000),
    r("2026-11-02", 4, ms=6_000),
    r("2026-11-02", 3, "new", ms=6_000),
    # Tue Nov 3 (W45): review 2 pass, 1 fail (1 of 2); a failed learning step, a relearning step
    r("2026-11-03", 2, ms=8_000),
    r("2026-11-03", 1, ms=8_000),
    r("2026-11-03", 1, "learning", ms=8_000),
    r("2026-11-03", 3, "relearning", ms=8_000),
    # Wed Nov 4 (today, W45): review 3, 3 (2 of 2), 30 s + 90 s; a new card failed, no duration
    r("2026-11-04", 3, ms=30_000),
    r("2026-11-04", 3, ms=90_000),
    r("2026-11-04", 1, "new", ms=None),
]
# W45: 2 + 1 + 2 = 5 passed of 3 + 2 + 2 = 7 review-card answers -> 5/7 = 71.4 %.


# -- retention ------------------------------------------------------------------------------------------


def test_retention_per_week():
    weeks = retention(LOG, TODAY).weeks
    assert len(weeks) == 12
    assert weeks[-1].label == "2026-W45"
    assert weeks[0].label == "2026-W34"  # 11 weeks before W45
    assert weeks[0].start == d("2026-08-17")  # Mon Nov 2 - 77 days
    assert weeks[-1].start == d("2026-11-02") and weeks[-1].end == d("2026-11-08")
    w45, w44, w43 = weeks[-1], weeks[-2], weeks[-3]
    assert (w45.n, w45.passed, w45.percent) == (7, 5, 71.4)  # 5/7 = 0.714
    assert w45.rate == pytest.approx(5 / 7)
    assert (w44.n, w44.passed, w44.percent) == (4, 3, 75.0)  # Oct 30 only: 3/4
    assert (w43.n, w43.passed, w43.rate, w43.percent) == (0, 0, None, None)
    w40 = next(week for week in weeks if week.label == "2026-W40")
    assert (w40.n, w40.passed, w40.rate) == (1, 0, 0.0)
    # Everything else is empty: 7 + 4 + 1 = 12 review-card answers in all.
    assert sum(week.n for week in weeks) == 12


def test_retention_per_month():
    months = retention(LOG, TODAY).months
    assert [month.label for month in months][:2] == ["2025-12", "2026-01"]
    assert months[-1].label == "2026-11" and len(months) == 12
    november, october, september = months[-1], months[-2], months[-3]
    assert (november.n, november.passed, november.percent) == (7, 5, 71.4)  # as W45: Nov 1 was a new card
    # October: Oct 1 (0 of 1) + Oct 30 (3 of 4) = 3 of 5 -> 60 %.
    assert (october.n, october.passed, october.percent) == (5, 3, 60.0)
    assert october.start == d("2026-10-01") and october.end == d("2026-10-31")
    assert (september.n, september.rate) == (0, None)


def test_retention_months_cross_a_year_and_february():
    months = retention([], date(2027, 3, 15)).months
    assert [month.label for month in months][:3] == ["2026-04", "2026-05", "2026-06"]
    february = months[-2]
    assert (february.label, february.start, february.end) == ("2027-02", d("2027-02-01"), d("2027-02-28"))


def test_only_review_state_answers_count_for_retention():
    log = [r("2026-11-04", 1, state) for state in ("new", "learning", "relearning")]
    week = retention(log, TODAY).weeks[-1]
    assert (week.n, week.rate) == (0, None)


# -- streaks --------------------------------------------------------------------------------------------


def test_streak_of_the_fixed_log():
    # Study days: Oct 1, then Oct 30, 31, Nov 1, 2, 3, 4 (today): 6 in a row.
    result = streaks(LOG, TODAY)
    assert (result.current, result.longest, result.studied_today) == (6, 6, True)
    assert result.current_start == d("2026-10-30")


def test_longest_streak_differs_from_current():
    log = days_log(*span("2026-10-01", 10), "2026-11-02", "2026-11-03", "2026-11-04")
    result = streaks(log, TODAY)
    assert (result.current, result.longest) == (3, 10)
    assert (result.longest_start, result.longest_end) == (d("2026-10-01"), d("2026-10-10"))


def test_a_missed_day_breaks_the_streak():
    # Nov 1, 2, then nothing on Nov 3: today's review starts again at 1.
    assert streaks(days_log("2026-11-01", "2026-11-02", "2026-11-04"), TODAY).current == 1
    # Last studied Nov 2: yesterday (Nov 3) is missed, so no current streak, but the longest stays.
    result = streaks(days_log("2026-11-01", "2026-11-02"), TODAY)
    assert (result.current, result.longest) == (0, 2)


def test_today_not_studied_yet_does_not_break_the_streak():
    result = streaks(days_log("2026-11-01", "2026-11-02", "2026-11-03"), TODAY)
    assert (result.current, result.studied_today) == (3, False)
    # The day after, still nothing: the fixed log's streak ends on Nov 4; on Nov 6 it is gone.
    assert streaks(LOG, d("2026-11-05")).current == 6
    assert streaks(LOG, d("2026-11-06")).current == 0


def test_many_reviews_on_one_day_count_once_and_no_reviews_is_no_streak():
    assert streaks(days_log("2026-11-04", "2026-11-04", "2026-11-04"), TODAY).current == 1
    empty = streaks([], TODAY)
    assert (empty.current, empty.longest, empty.current_start) == (0, 0, None)


def test_a_review_after_the_rollover_hour_continues_yesterdays_streak():
    # Shanghai (UTC+8), the day rolls over at 04:00. The caller stores learner_day(...).local_date.
    shanghai = [
        datetime(2026, 11, 1, 13, 0, tzinfo=UTC),  # Nov 1, 21:00 local -> day Nov 1
        datetime(2026, 11, 2, 13, 0, tzinfo=UTC),  # Nov 2, 21:00 local -> day Nov 2
        datetime(2026, 11, 3, 18, 0, tzinfo=UTC),  # Nov 4, 02:00 local: before 04:00 -> day Nov 3
    ]
    now = datetime(2026, 11, 4, 1, 0, tzinfo=UTC)  # Nov 4, 09:00 local: today is Nov 4, not studied yet

    def study_days(rollover: int) -> tuple[list[Review], date]:
        log = [r(learner_day(at, "Asia/Shanghai", rollover).local_date, 3) for at in shanghai]
        return log, d(learner_day(now, "Asia/Shanghai", rollover).local_date)

    log, today = study_days(4)
    assert [review.day for review in log] == [d("2026-11-01"), d("2026-11-02"), d("2026-11-03")]
    assert today == d("2026-11-04")
    assert streaks(log, today).current == 3  # Nov 1, 2, 3; today not studied yet
    # With midnight as the boundary the 02:00 review would land on Nov 4, leaving Nov 3 empty.
    log, today = study_days(0)
    assert streaks(log, today).current == 1


def test_days_stored_at_review_time_keep_the_streak_across_a_timezone_change():
    # Three mornings in Shanghai (08:00 local = 00:00 UTC), then one evening in New York (EST, UTC-5).
    shanghai = [datetime(2026, 3, day, 0, 0, tzinfo=UTC) for day in (1, 2, 3)]  # days Mar 1, 2, 3
    new_york = [datetime(2026, 3, 5, 1, 0, tzinfo=UTC)]  # Mar 4, 20:00 in New York -> day Mar 4
    stored = [r(learner_day(at, "Asia/Shanghai", 4).local_date, 3) for at in shanghai]
    stored += [r(learner_day(at, "America/New_York", 4).local_date, 3) for at in new_york]
    today = d(learner_day(datetime(2026, 3, 5, 13, 0, tzinfo=UTC), "America/New_York", 4).local_date)
    assert today == d("2026-03-05")  # 08:00 in New York
    assert [review.day.day for review in stored] == [1, 2, 3, 4]
    assert streaks(stored, today).current == 4
    # Re-deriving the old days in the new timezone would move the Shanghai mornings to the previous
    # evenings in New York (Feb 28, Mar 1, Mar 2), leave Mar 3 empty and break the streak.
    moved = [r(learner_day(at, "America/New_York", 4).local_date, 3) for at in shanghai + new_york]
    assert streaks(moved, today).current == 1


# -- daily and today ------------------------------------------------------------------------------------


def test_daily_counts_and_minutes():
    days = daily(LOG, TODAY)
    assert len(days) == 30
    assert (days[0].day, days[-1].day) == (d("2026-10-06"), TODAY)  # Oct 1 falls outside
    by_day = {day.day: day for day in days}
    # Nov 4: 3 answers, 1 Again, 30 s + 90 s (+ no duration) = 120 s = 2.0 min.
    assert (by_day[TODAY].reviews, by_day[TODAY].again, by_day[TODAY].minutes) == (3, 1, 2.0)
    # Nov 3: 4 answers, 2 Again (a review, a learning step), 4 × 8 s = 32 s = 0.53 -> 0.5 min.
    assert (by_day[d("2026-11-03")].reviews, by_day[d("2026-11-03")].again) == (4, 2)
    assert by_day[d("2026-11-03")].minutes == 0.5
    # Oct 30: 4 × 10 s = 40 s = 0.67 -> 0.7 min. Nov 1: one answer without a duration: 0 min.
    assert by_day[d("2026-10-30")].minutes == 0.7
    assert (by_day[d("2026-11-01")].reviews, by_day[d("2026-11-01")].minutes) == (1, 0.0)
    # 3 + 4 + 4 + 1 + 1 + 4 = 17 answers in the 30 days (the 18th is Oct 1).
    assert sum(day.reviews for day in days) == 17
    assert sum(day.reviews for day in daily(LOG, TODAY, days=40)) == 18


def test_today_summary():
    summary = today_summary(LOG, TODAY)
    # 3 answers, one of them to a new card and failed; 2.0 minutes; review cards 2 of 2 passed.
    assert (summary.reviews, summary.new, summary.again, summary.minutes) == (3, 1, 1, 2.0)
    assert (summary.retention.n, summary.retention.passed, summary.retention.percent) == (2, 2, 100.0)
    nothing = today_summary(LOG, d("2026-11-05"))
    assert (nothing.reviews, nothing.minutes, nothing.retention.rate) == (0, 0.0, None)


# -- heatmap --------------------------------------------------------------------------------------------


def test_heatmap_shape():
    result = heatmap(LOG, TODAY)
    assert len(result.weeks) == 53 and all(len(week) == 7 for week in result.weeks)
    assert result.start == d("2025-11-05")  # today - 364
    # Columns start on Mondays: the first is Mon Nov 3 2025, 52 weeks before Mon Nov 2 2026.
    assert result.weeks[0][0].day == d("2025-11-03")
    assert all(week[0].day.weekday() == 0 for week in result.weeks)
    # 371 cells: Nov 3-4 2025 before the window, Nov 5-8 2026 after today; 365 in the window.
    outside = [cell.day for week in result.weeks for cell in week if not cell.in_range]
    assert outside == [d("2025-11-03"), d("2025-11-04"), *map(d, span("2026-11-05", 4))]
    assert len(result.cells()) == 365
    assert (result.total, result.active_days) == (18, 7)


def test_heatmap_counts_and_levels():
    log = LOG + [r("2026-06-01", 3)] * 30 + [r("2025-11-04", 3)] * 5 + [r("2025-11-05", 3)] * 60
    cells = {cell.day: cell for cell in heatmap(log, TODAY).cells()}
    assert (cells[TODAY].count, cells[TODAY].level) == (3, 1)
    assert (cells[d("2026-11-02")].count, cells[d("2026-11-02")].level) == (4, 1)
    assert (cells[d("2026-06-01")].count, cells[d("2026-06-01")].level) == (30, 3)
    assert (cells[d("2025-11-05")].count, cells[d("2025-11-05")].level) == (60, 4)  # first day of the window
    assert d("2025-11-04") not in cells  # 365 days ago: outside
    assert (cells[d("2026-11-03")].level, cells[d("2026-07-01")].level) == (1, 0)


@pytest.mark.parametrize(
    ("count", "level"), [(0, 0), (1, 1), (9, 1), (10, 2), (24, 2), (25, 3), (49, 3), (50, 4), (500, 4)]
)
def test_heat_levels(count, level):
    assert heat_level(count) == level


# -- cards ----------------------------------------------------------------------------------------------

DAY_START = datetime(2026, 11, 4, 20, 0, tzinfo=UTC)  # 04:00 on Nov 5 in Shanghai


def card(state="review", due=None, *, suspended=False, stability=None, active=True, deck=1) -> CardRow:
    return CardRow(
        deck_id=deck, state=state, due=due, suspended=suspended, stability=stability, active=active
    )


def test_card_counts():
    cards = [
        card("new"),
        card("new"),
        card("new", suspended=True),  # suspended only
        card("learning"),
        card("relearning"),  # learning + relearning = 2
        card("review"),
        card("review", suspended=True),  # suspended only
        card("review", active=False),  # left deck: not counted
        card("new", active=False, suspended=True),  # not counted either
    ]
    counts = card_counts(cards)
    assert counts == CardCounts(new=2, learning=2, review=1, suspended=2)
    assert counts.total == 7
    assert card_counts([]).total == 0


def test_an_unknown_state_is_an_error():
    with pytest.raises(ValueError, match="unknown card state"):
        card_counts([card("graduated")])


def test_forecast():
    hours = lambda n: DAY_START + timedelta(hours=n)  # noqa: E731
    cards = [
        card(due=DAY_START - timedelta(days=3)),  # overdue -> day 0
        card(due=DAY_START - timedelta(minutes=1)),  # overdue by a minute -> day 0
        card("learning", due=hours(2)),  # later today -> day 0
        card(due=hours(23) + timedelta(minutes=59)),  # last minute of today -> day 0
        card(due=hours(24)),  # exactly tomorrow's start -> day 1
        card("relearning", due=hours(5 * 24 + 12)),  # -> day 5
        card(due=hours(29 * 24 + 23)),  # -> day 29, the last
        card(due=hours(30 * 24)),  # day 30: beyond the forecast
        card(due=DAY_START, suspended=True),  # suspended: out
        card(due=DAY_START, active=False),  # inactive: out
        card("new", due=DAY_START),  # new cards are not due
        card(due=None),  # no due time: out
    ]
    days = forecast(cards, DAY_START)
    assert [day.offset for day in days] == list(range(30))
    assert (days[0].count, days[0].overdue) == (4, 2)
    assert {day.offset: day.count for day in days if day.count} == {0: 4, 1: 1, 5: 1, 29: 1}
    assert sum(day.count for day in days) == 7
    assert all(day.overdue == 0 for day in days[1:])
    assert len(forecast(cards, DAY_START, days=7)) == 7


def test_forecast_day_boundaries_follow_the_learners_rollover():
    now = datetime(2026, 11, 5, 2, 0, tzinfo=UTC)  # 10:00 on Nov 5 in Shanghai
    day_start = learner_day(now, "Asia/Shanghai", 4).start
    assert day_start == DAY_START
    cards = [
        card(due=datetime(2026, 11, 5, 19, 59, tzinfo=UTC)),  # 03:59 on Nov 6 local: still today
        card(due=datetime(2026, 11, 5, 20, 0, tzinfo=UTC)),  # 04:00 on Nov 6 local: tomorrow
        card(due=datetime(2026, 11, 6, 19, 59, tzinfo=UTC)),  # 03:59 on Nov 7 local: tomorrow
    ]
    assert [day.count for day in forecast(cards, day_start, days=3)] == [1, 2, 0]


def test_deck_progress():
    titles = {1: "HSK 1", 2: "<script>alert(1)</script>", 3: "Empty"}
    cards = [
        card("new"),
        card("learning"),
        card("review", stability=30.0),  # mastered
        card("review", stability=MASTERED_STABILITY_DAYS),  # exactly 21 days: mastered
        card("review", stability=20.9),  # not yet
        card("review", stability=None),  # unknown stability: not mastered
        card("relearning", stability=40.0),  # not in review: not mastered
        card("review", stability=25.0, suspended=True),  # suspended still counts: mastered
        card("review", stability=50.0, active=False),  # inactive: not counted
        card("review", stability=100.0, deck=2),
        card("review", stability=100.0, deck=9),  # deck 9 not asked for
    ]
    hsk, script, empty = deck_progress(cards, titles)
    # HSK 1: 8 active cards, 7 no longer new, 3 mastered -> 37.5 %; seen 7/8 = 87.5 %.
    assert (hsk.deck_id, hsk.title, hsk.total, hsk.seen, hsk.mastered) == (1, "HSK 1", 8, 7, 3)
    assert (hsk.percent, hsk.seen_percent) == (37.5, 87.5)
    assert (script.total, script.seen, script.mastered, script.percent) == (1, 1, 1, 100.0)
    assert (empty.total, empty.percent, empty.seen_percent) == (0, 0.0, 0.0)
    assert MASTERED_STABILITY_DAYS == 21


# -- charts ---------------------------------------------------------------------------------------------

TITLES = {1: "HSK 1", 2: "<script>alert(1)</script>", 3: 'Tom & Jerry\'s "quotes"'}
CARDS = [
    card("new"),
    card("learning", DAY_START),
    card("review", DAY_START - timedelta(days=2), stability=30.0),
    card("review", DAY_START + timedelta(days=3), stability=5.0, deck=2),
    card("review", DAY_START, suspended=True, deck=3),
]


def all_charts(log=LOG, cards=CARDS, titles=TITLES) -> dict[str, Markup]:
    days = daily(log, TODAY)
    periods = retention(log, TODAY)
    return {
        "heatmap": heatmap_chart(heatmap(log, TODAY)),
        "reviews": reviews_chart(days),
        "minutes": minutes_chart(days),
        "retention": retention_chart(periods.weeks, target=0.9),
        "retention-months": retention_chart(
            periods.months, "stats-retention-months", "True retention per month"
        ),
        "card-states": card_states_chart(card_counts(cards)),
        "forecast": forecast_chart(forecast(cards, DAY_START)),
        "deck-progress": deck_progress_chart(deck_progress(cards, titles)),
    }


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314 (our own output, not untrusted input)


@pytest.mark.parametrize("data", ["full", "empty"])
def test_charts_are_valid_accessible_svg_without_inline_style(data):
    charts = all_charts() if data == "full" else all_charts([], [], {})
    ids = set()
    for name, markup in charts.items():
        assert isinstance(markup, Markup), name
        root = parse(markup)  # well-formed XML
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img" and root.get("width") == "100%"
        assert root.get("height") is None and re.fullmatch(r"0 0 [\d.]+ [\d.]+", root.get("viewBox"))
        title, desc = root[0], root[1]
        assert title.tag == f"{SVG}title" and title.text
        assert desc.tag == f"{SVG}desc" and desc.text
        assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        ids.add(root.get("id"))
        elements = list(root.iter())
        assert all("style" not in element.attrib for element in elements), name
        assert not [element for element in elements if element.tag == f"{SVG}style"], name
        assert "style" not in str(markup), name
    assert len(ids) == len(charts)  # unique ids, so several charts can share a page


def test_charts_use_only_the_documented_classes():
    for name, markup in all_charts().items():
        for element in parse(markup).iter():
            classes = set((element.get("class") or "").split())
            assert classes <= CSS_CLASSES, (name, classes - CSS_CLASSES)


def test_deck_titles_are_escaped():
    chart = all_charts()["deck-progress"]
    markup = str(chart)
    assert "<script>" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    assert "Tom &amp; Jerry" in markup
    texts = [element.text for element in parse(chart).iter(f"{SVG}text")]
    assert "<script>alert(1)</script>" in texts and 'Tom & Jerry\'s "quotes"' in texts


def test_heatmap_chart_squares_and_tooltips():
    root = parse(heatmap_chart(heatmap(LOG, TODAY)))
    cells = [rect for rect in root.iter(f"{SVG}rect") if rect.get("class", "").startswith("heat-")]
    assert len(cells) == 365 + 5  # the days, then the legend's five levels
    tooltips = {rect.find(f"{SVG}title").text for rect in cells}
    assert "3 reviews on 2026-11-04" in tooltips
    assert "1 review on 2026-10-31" in tooltips
    assert "0 reviews on 2026-07-01" in tooltips
    assert "50 or more reviews" in tooltips and "10–24 reviews" in tooltips
    assert {rect.get("class") for rect in cells} == {f"heat-{n}" for n in range(5)}
    assert "18 reviews on 7 days" in root.find(f"{SVG}desc").text


def test_bar_charts_draw_a_bar_per_active_day():
    root = parse(reviews_chart(daily(LOG, TODAY)))
    groups = [group for group in root.iter(f"{SVG}g") if group.find(f"{SVG}rect") is not None]
    assert len(groups) == 6  # Oct 30, 31, Nov 1, 2, 3, 4
    tooltips = [group.find(f"{SVG}title").text for group in groups]
    assert tooltips[-1] == "3 reviews on 2026-11-04 (1 Again)"
    assert len([rect for rect in root.iter(f"{SVG}rect") if rect.get("class") == "bar-fail"]) == 4
    labels = [text.text for text in root.iter(f"{SVG}text") if text.get("class") == "label"]
    assert "Nov 4" in labels and "Oct 28" in labels  # every 7th day back from today


def test_retention_chart_is_on_a_0_to_100_percent_axis():
    root = parse(retention_chart(retention(LOG, TODAY).weeks, target=0.9))
    labels = [text.text for text in root.iter(f"{SVG}text") if text.get("class") == "label"]
    assert labels[:5] == ["0%", "25%", "50%", "75%", "100%"]
    values = [text.text for text in root.iter(f"{SVG}text") if text.get("class") == "value"]
    assert values == ["0", "75", "71"]  # W40, W44, W45
    assert not [
        text for text in root.iter(f"{SVG}text") if text.get("class") == "empty"
    ]  # a 0 % week is data
    only_zero = parse(retention_chart(retention([r("2026-11-04", 1)], TODAY).weeks))
    assert [text.text for text in only_zero.iter(f"{SVG}text") if text.get("class") == "value"] == ["0"]
    empty = parse(retention_chart(retention([], TODAY).weeks))
    assert [text.text for text in empty.iter(f"{SVG}text") if text.get("class") == "empty"] == ["Nothing yet"]
    assert empty.find(f"{SVG}desc").text == "No answers to review cards in these periods."
    assert [
        line.find(f"{SVG}title").text for line in root.iter(f"{SVG}line") if line.get("class") == "target"
    ] == ["Target 90%"]


def test_card_states_and_forecast_charts():
    states = parse(card_states_chart(CardCounts(new=2, learning=1, review=1, suspended=0)))
    segments = [rect for rect in states.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]
    assert [rect.find(f"{SVG}title").text for rect in segments] == [
        "New: 2 cards (50%)",
        "Learning: 1 card (25%)",
        "Review: 1 card (25%)",
    ]
    assert sum(float(rect.get("width")) for rect in segments) == pytest.approx(356)
    days = forecast(CARDS, DAY_START)
    root = parse(forecast_chart(days))
    tooltips = [group.find(f"{SVG}title").text for group in root.iter(f"{SVG}g")]
    assert tooltips == ["2 cards due today (1 overdue)", "1 card due in 3 days"]


def test_chart_ids_must_be_safe():
    with pytest.raises(ValueError, match="chart id"):
        forecast_chart([], chart_id='x" onload="alert(1)')


def test_text_alternatives():
    table = retention_table(retention(LOG, TODAY).weeks)
    assert table.headers == ("Period", "Review cards", "Passed", "Retention")
    assert table.rows[0] == ("2026-W45 (from 2026-11-02)", "7", "5", "71.4%")
    assert table.rows[2] == ("2026-W43 (from 2026-10-19)", "0", "0", "–")
    months = retention_table(retention(LOG, TODAY).months, "True retention per month")
    assert months.rows[1] == ("Oct 2026", "5", "3", "60%")
    assert daily_table(daily(LOG, TODAY)).rows[0] == ("2026-11-04", "3", "1", "2 min")
    assert forecast_table(forecast(CARDS, DAY_START)).rows[0] == ("Today", "2", "1")
    assert card_states_table(card_counts(CARDS)).rows[-1] == ("Total", "5", "")
    heat = heatmap_table(heatmap(LOG, TODAY))
    # Nov 2026: Nov 1 (1), 2 (4), 3 (4), 4 (3) = 12 reviews on 4 days.
    assert heat.rows[0] == ("Nov 2025", "0", "0") and heat.rows[-1] == ("Nov 2026", "12", "4")
    assert heat.rows[-2] == ("Oct 2026", "6", "3")  # Oct 1 (1), Oct 30 (4), Oct 31 (1)
    assert len(heat.rows) == 13


def test_table_html_is_escaped_and_well_formed():
    table = deck_progress_table(deck_progress(CARDS, TITLES))
    html = str(table.html())
    assert "<script>" not in html and "&lt;script&gt;" in html
    root = parse(html)
    assert root.tag == "table" and root.find("caption").text == "Progress per deck"
    assert [th.text for th in root.find("tbody").iter("th")] == list(TITLES.values())


def test_day_totals_minutes_round_to_a_tenth():
    assert DayTotals(day=TODAY, reviews=1, again=0, duration_ms=149_999).minutes == 2.5
    assert DayTotals(day=TODAY, reviews=1, again=0, duration_ms=0).minutes == 0.0


def test_long_deck_titles_are_cut_by_display_width_with_the_full_title_in_the_tooltip():
    titles = {1: "汉字" * 30, 2: "x" * 60, 3: "Short"}  # 60 wide characters = 120 half-widths; 60 narrow
    root = parse(deck_progress_chart(deck_progress([], titles)))
    shown = [text.text for text in root.iter(f"{SVG}text") if text.get("class") == "deck-title"]
    # 44 half-widths: the ellipsis takes 1, leaving 43 -> 21 wide characters, or 43 narrow ones.
    assert shown == ["汉字" * 10 + "汉…", "x" * 43 + "…", "Short"]
    tooltips = [group.find(f"{SVG}title").text for group in root.iter(f"{SVG}g")]
    assert tooltips[0].startswith("汉字" * 30 + ": 0 of 0 cards mastered")
