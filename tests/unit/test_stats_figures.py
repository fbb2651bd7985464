"""The figures from counted answers and cards (what the service's GROUP BYs return) are the figures from the
same answers and cards one by one; the window the service reads is wide enough; streaks from bare days;
the forecast from cards counted per day offset."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from learnapp.stats.figures import (
    MASTERED_STABILITY_DAYS,
    CardRow,
    CardTally,
    CurrentStreak,
    DayTally,
    ForecastDay,
    Review,
    card_counts,
    daily,
    day_streaks,
    deck_progress,
    due_offset,
    forecast,
    forecast_days,
    heatmap,
    history_start,
    is_scheduled,
    retention,
    streaks,
    tally,
    today_summary,
)

TODAY = date(2026, 11, 4)
STATES = ("new", "learning", "review", "relearning")


def d(text: str) -> date:
    return date.fromisoformat(text)


def random_log(seed: int, answers: int = 2_000, days: int = 500, today: date = TODAY) -> list[Review]:
    rng = random.Random(seed)
    return [
        Review(
            day=today - timedelta(days=rng.randrange(days)),
            rating=rng.randint(1, 4),
            state_before=rng.choice(STATES),
            duration_ms=None if rng.random() < 0.1 else rng.randrange(500, 90_000),
        )
        for _ in range(answers)
    ]


# -- tallies --------------------------------------------------------------------------------------------


def test_one_answer_as_a_tally():
    assert DayTally.of(Review(TODAY, 1, "review", 4_000)) == DayTally(
        TODAY, reviews=1, again=1, new=0, duration_ms=4_000, review_cards=1, review_passed=0
    )
    assert DayTally.of(Review(TODAY, 2, "review", None)) == DayTally(
        TODAY, reviews=1, again=0, duration_ms=0, review_cards=1, review_passed=1
    )
    assert DayTally.of(Review(TODAY, 4, "new", 1_500)) == DayTally(TODAY, reviews=1, new=1, duration_ms=1_500)
    # A failed learning step: Again, but not a review-card answer, so not in true retention.
    assert DayTally.of(Review(TODAY, 1, "learning", 0)) == DayTally(TODAY, reviews=1, again=1)


def test_tallies_of_a_day_add_up_and_different_days_do_not():
    morning = DayTally(TODAY, reviews=3, again=1, new=1, duration_ms=30_000, review_cards=2, review_passed=1)
    evening = DayTally(TODAY, reviews=2, again=0, new=0, duration_ms=5_000, review_cards=2, review_passed=2)
    assert morning + evening == DayTally(TODAY, 5, 1, 1, 35_000, 4, 3)
    with pytest.raises(ValueError, match="cannot add"):
        morning + DayTally(TODAY + timedelta(days=1), reviews=1)


def test_tally_counts_per_day_and_merges_counted_days_with_single_answers():
    answers = [
        DayTally(
            d("2026-11-03"), reviews=10, again=2, new=3, duration_ms=60_000, review_cards=5, review_passed=4
        ),
        Review(d("2026-11-03"), 3, "review", 2_000),
        Review(d("2026-11-04"), 1, "new", None),
        DayTally(d("2026-11-02"), reviews=0),  # an empty tally is no study day
    ]
    counted = tally(answers)
    assert list(counted) == [d("2026-11-03"), d("2026-11-04")]
    assert counted[d("2026-11-03")] == DayTally(d("2026-11-03"), 11, 2, 3, 62_000, 6, 5)
    assert counted[d("2026-11-04")] == DayTally(d("2026-11-04"), reviews=1, again=1, new=1)
    assert tally([]) == {}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_figure_is_the_same_from_counted_days_as_from_single_answers(seed):
    log = random_log(seed)
    counted = list(tally(log).values())
    assert len(counted) < len(log)  # really counted
    # Half the days counted, the other half one by one, as the service mixes stored and undated answers.
    mixed = [*counted[::2], *(review for review in log if review.day not in {t.day for t in counted[::2]})]
    for answers in (counted, mixed):
        assert heatmap(answers, TODAY) == heatmap(log, TODAY)
        assert daily(answers, TODAY) == daily(log, TODAY)
        assert retention(answers, TODAY) == retention(log, TODAY)
        assert today_summary(answers, TODAY) == today_summary(log, TODAY)
        assert streaks(answers, TODAY) == streaks(log, TODAY)


# -- the window the service reads -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "start"),
    [
        (d("2026-11-04"), d("2025-11-05")),  # the heatmap's first day, 364 days back
        (d("2026-12-31"), d("2026-01-01")),  # Jan 1 starts the retention months, and is also 364 back
        # In a leap year the first of the retention months, Mar 1, is 365 days back: one more than the heatmap.
        (d("2028-02-29"), d("2027-03-01")),
        (d("2026-03-01"), d("2025-03-02")),
    ],
)
def test_history_start_reaches_the_first_day_of_every_figure(today, start):
    assert history_start(today) == start
    assert heatmap([], today).start >= start
    assert retention([], today).months[0].start >= start
    assert retention([], today).weeks[0].start >= start


@pytest.mark.parametrize(("seed", "today"), [(4, TODAY), (5, d("2028-02-29")), (6, d("2026-12-31"))])
def test_answers_before_history_start_change_no_figure(seed, today):
    start = history_start(today)
    log = [*random_log(seed, answers=4_000, days=900, today=today), Review(start, 3, "review", 1_000)]
    recent = [review for review in log if review.day >= start]
    assert len(recent) < len(log) and any(review.day == start for review in recent)
    for figure in (heatmap, daily, retention, today_summary):
        assert figure(recent, today) == figure(log, today), figure.__name__
    # One day later would lose answers that count: the window is no wider than it must be.
    later = [review for review in log if review.day > start]
    assert any(figure(later, today) != figure(log, today) for figure in (heatmap, retention))


# -- streaks from days ----------------------------------------------------------------------------------


def test_streaks_from_bare_days_match_streaks_from_answers():
    days = [d("2026-10-01"), d("2026-10-02"), d("2026-11-02"), d("2026-11-03"), d("2026-11-03")]
    answers = [Review(day, 3, "review", None) for day in days]
    assert day_streaks(days, TODAY) == streaks(answers, TODAY)
    result = day_streaks(set(days), TODAY)
    assert (result.current, result.current_start, result.studied_today) == (2, d("2026-11-02"), False)
    assert (result.longest, result.longest_start, result.longest_end) == (2, d("2026-11-02"), d("2026-11-03"))
    # What the dashboard keeps of it: the current streak, without the longest.
    assert CurrentStreak.of(result) == CurrentStreak(
        current=2, studied_today=False, current_start=d("2026-11-02")
    )


def test_a_day_after_today_counts_for_the_streak_but_not_for_today():
    # Studied on Nov 5 in New York's day, then moved to a timezone where it is Nov 4 now.
    result = day_streaks([d("2026-11-03"), d("2026-11-04"), d("2026-11-05")], TODAY)
    assert (result.current, result.longest, result.studied_today) == (3, 3, True)
    assert today_summary([Review(d("2026-11-05"), 3, "review", 1_000)], TODAY).reviews == 0


# -- cards ----------------------------------------------------------------------------------------------

DAY_START = datetime(2026, 11, 4, 20, 0, tzinfo=UTC)


def row(state="review", *, deck=1, due=None, suspended=False, stability=None, active=True) -> CardRow:
    return CardRow(
        deck_id=deck, state=state, due=due, suspended=suspended, stability=stability, active=active
    )


def test_a_card_as_a_tally_is_mastered_from_21_days_in_review():
    assert CardTally.of(row(stability=MASTERED_STABILITY_DAYS)).mastered
    assert not CardTally.of(row(stability=20.99)).mastered
    assert not CardTally.of(row(stability=None)).mastered
    assert not CardTally.of(row("relearning", stability=90.0)).mastered
    assert CardTally.of(row(deck=7, suspended=True, active=False)) == CardTally(
        deck_id=7, state="review", suspended=True, active=False, mastered=False, count=1
    )


def random_cards(seed: int, count: int = 600) -> list[CardRow]:
    rng = random.Random(seed)
    return [
        row(
            rng.choice(STATES),
            deck=rng.randint(1, 4),
            due=DAY_START + timedelta(hours=rng.uniform(-200, 24 * 40)),
            suspended=rng.random() < 0.1,
            stability=rng.choice([None, 2.0, 21.0, 45.0]),
            active=rng.random() < 0.9,
        )
        for _ in range(count)
    ]


@pytest.mark.parametrize("seed", [1, 2])
def test_counted_cards_give_the_counts_and_the_progress_of_single_cards(seed):
    cards = random_cards(seed)
    counted: dict[CardTally, int] = {}
    for card in cards:
        key = CardTally.of(card)
        counted[key] = counted.get(key, 0) + 1
    tallies = [
        CardTally(key.deck_id, key.state, key.suspended, key.active, key.mastered, count)
        for key, count in counted.items()
    ]
    assert len(tallies) < len(cards)
    titles = {1: "One", 2: "Two", 4: "Four"}  # deck 3 not studied
    assert card_counts(tallies) == card_counts(cards)
    assert deck_progress(tallies, titles) == deck_progress(cards, titles)
    assert sum(deck.total for deck in deck_progress(tallies, titles)) < len(cards)


def test_an_unknown_state_in_a_tally_is_an_error():
    with pytest.raises(ValueError, match="unknown card state"):
        card_counts([CardTally(1, "graduated", False, True, False, 3)])
    with pytest.raises(ValueError, match="unknown card state"):
        forecast([row("graduated", due=DAY_START)], DAY_START)


def test_due_offsets_are_learner_days_from_today():
    assert due_offset(DAY_START, DAY_START) == 0
    assert due_offset(DAY_START - timedelta(seconds=1), DAY_START) == -1
    assert due_offset(DAY_START - timedelta(days=3, seconds=1), DAY_START) == -4
    assert due_offset(DAY_START + timedelta(hours=47, minutes=59), DAY_START) == 1
    assert is_scheduled(row(due=DAY_START))
    for card in (row("new", due=DAY_START), row(due=None), row(due=DAY_START, suspended=True)):
        assert not is_scheduled(card)
    assert not is_scheduled(row(due=DAY_START, active=False))


def test_the_forecast_from_cards_counted_per_day():
    # 3 overdue (one by a week), 2 today, 1 on day 2, 4 on day 29.
    days = forecast_days({-7: 1, -1: 2, 0: 2, 2: 1, 29: 4})
    assert len(days) == 30
    assert days[0] == ForecastDay(offset=0, count=5, overdue=3)
    assert (days[1].count, days[2].count, days[29].count) == (0, 1, 4)
    assert sum(day.count for day in days) == 10
    assert forecast_days({}, days=3) == [ForecastDay(0, 0, 0), ForecastDay(1, 0), ForecastDay(2, 0)]


@pytest.mark.parametrize("seed", [3, 4])
def test_the_forecast_of_counted_offsets_is_the_forecast_of_the_cards(seed):
    cards = random_cards(seed)
    offsets: dict[int, int] = {}
    for card in cards:
        if is_scheduled(card):
            assert card.due is not None
            offset = max(-1, due_offset(card.due, DAY_START))  # the service counts every overdue as -1
            if offset < 30:
                offsets[offset] = offsets.get(offset, 0) + 1
    assert forecast_days(offsets) == forecast(cards, DAY_START)
    assert forecast_days(offsets)[0].overdue > 0
