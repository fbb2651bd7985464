"""The study rules around the scheduler (srs/policy.py), as Anki has them."""

from __future__ import annotations

import pytest

from learnapp.srs import State
from learnapp.srs.policy import (
    BURIED_STATES,
    LEECH_AGAIN,
    LEECH_LAPSES,
    MAX_ANSWER_MS,
    answer_duration_ms,
    became_leech,
    is_leech_lapse,
)


def test_a_card_becomes_a_leech_at_eight_lapses_then_every_four():
    assert (LEECH_LAPSES, LEECH_AGAIN) == (8, 4)
    assert [n for n in range(40) if is_leech_lapse(n)] == [8, 12, 16, 20, 24, 28, 32, 36]


@pytest.mark.parametrize(
    ("before", "after", "leech"),
    [
        (7, 8, True),  # the eighth lapse
        (8, 8, False),  # a pass at eight lapses: nothing new
        (11, 12, True),
        (12, 13, False),
        (6, 7, False),
        (0, 0, False),
    ],
)
def test_only_the_lapse_that_reaches_a_leech_number_makes_one(before, after, leech):
    assert became_leech(before, after) is leech


@pytest.mark.parametrize(
    ("shown", "answered", "expected"),
    [
        (None, 10_000, None),  # the form did not say when the card was shown
        (10_000, 14_500, 4_500),
        (10_000, 10_000, 0),
        (10_000, 9_000, 0),  # a clock that went backwards counts as nothing, not as negative time
        (0, 10 * 60_000, MAX_ANSWER_MS),  # a card left open for ten minutes counts as one
    ],
)
def test_answer_time_is_clamped_to_a_minute(shown, answered, expected):
    assert answer_duration_ms(shown, answered) == expected


def test_siblings_are_buried_when_new_or_in_review_but_keep_their_learning_steps():
    assert set(BURIED_STATES) == {State.NEW, State.REVIEW}
    assert State.LEARNING not in BURIED_STATES and State.RELEARNING not in BURIED_STATES


def test_states_are_stored_as_their_names():
    assert [str(state) for state in State] == ["new", "learning", "review", "relearning"]
    assert State("review") is State.REVIEW and State.NEW == "new"
