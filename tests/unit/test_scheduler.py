"""The pure scheduler: exact FSRS outcomes on a fixed clock, labels, fuzz, state round trips."""

from datetime import UTC, datetime, timedelta

import pytest

from learnapp.srs import Rating, Scheduler, SchedulingState, format_interval

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def scheduler():
    return Scheduler(0.9, enable_fuzz=False)


def test_new_card_buttons_show_learning_steps(scheduler):
    labels = {r.label: format_interval(i) for r, i in scheduler.preview(SchedulingState(), 7, NOW).items()}
    assert labels == {"Again": "1m", "Hard": "6m", "Good": "10m", "Easy": "8d"}


def test_learning_steps_then_graduation(scheduler):
    first = scheduler.review(SchedulingState(), 7, Rating.GOOD, NOW)
    assert (first.state, first.step, first.due, first.reps) == ("learning", 1, NOW + timedelta(minutes=10), 1)
    second = scheduler.review(first, 7, Rating.GOOD, NOW + timedelta(minutes=10))
    assert second.state == "review"
    assert second.step is None
    assert second.due == NOW + timedelta(minutes=10) + timedelta(days=2)
    assert second.reps == 2


def test_again_returns_to_first_step(scheduler):
    first = scheduler.review(SchedulingState(), 7, Rating.GOOD, NOW)
    again = scheduler.review(first, 7, Rating.AGAIN, NOW + timedelta(minutes=10))
    assert (again.state, again.step) == ("learning", 0)
    assert again.due == NOW + timedelta(minutes=11)
    assert again.lapses == 0  # a lapse is forgetting a review card, not a learning one


def test_review_lapse_goes_to_relearning_and_counts(scheduler):
    state = scheduler.review(SchedulingState(), 7, Rating.EASY, NOW)
    assert state.state == "review"
    lapse = scheduler.review(state, 7, Rating.AGAIN, state.due)
    assert (lapse.state, lapse.step, lapse.lapses) == ("relearning", 0, 1)
    assert lapse.due == state.due + timedelta(minutes=10)


def test_higher_retention_means_shorter_intervals():
    graduated = Scheduler(0.9, enable_fuzz=False).review(SchedulingState(), 1, Rating.EASY, NOW)
    loose = Scheduler(0.8, enable_fuzz=False).review(graduated, 1, Rating.GOOD, graduated.due)
    strict = Scheduler(0.95, enable_fuzz=False).review(graduated, 1, Rating.GOOD, graduated.due)
    assert strict.due - graduated.due < loose.due - graduated.due


def test_fuzz_is_deterministic_and_the_preview_is_the_outcome():
    fuzzy = Scheduler(0.9, enable_fuzz=True)
    state = fuzzy.review(SchedulingState(), 99, Rating.EASY, NOW)
    at = state.due
    preview = fuzzy.preview(state, 99, at)
    for rating in Rating:
        assert fuzzy.review(state, 99, rating, at).due - at == preview[rating]
    assert fuzzy.preview(state, 99, at) == preview


def test_fuzz_stays_within_ankis_range():
    plain = Scheduler(0.9, enable_fuzz=False)
    fuzzy = Scheduler(0.9, enable_fuzz=True)
    state = plain.review(SchedulingState(), 5, Rating.EASY, NOW)
    base = (plain.review(state, 5, Rating.GOOD, state.due).due - state.due).days
    for card_id in range(1, 60):
        days = (fuzzy.review(state, card_id, Rating.GOOD, state.due).due - state.due).days
        assert abs(days - base) <= max(2, round(base * 0.15) + 1)


def test_state_round_trips_through_the_review_log_form(scheduler):
    state = scheduler.review(SchedulingState(), 7, Rating.HARD, NOW)
    assert SchedulingState.from_dict(state.to_dict()) == state
    assert SchedulingState.from_dict(SchedulingState().to_dict()) == SchedulingState()


@pytest.mark.parametrize(
    ("interval", "label"),
    [
        (timedelta(seconds=30), "30s"),
        (timedelta(minutes=1), "1m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=5), "5h"),
        (timedelta(days=1), "1d"),
        (timedelta(days=4), "4d"),
        (timedelta(days=45), "1.5mo"),
        (timedelta(days=800), "2.2y"),
    ],
)
def test_interval_labels(interval, label):
    assert format_interval(interval) == label
