"""The study rules around the scheduler, as Anki has them: leeches, burying siblings, answer times.

Pure: the study service applies them in its transactions, and its SQL reads the same constants.
"""

from __future__ import annotations

from learnapp.srs.scheduler import State

# A card that lapses (Again on a review) LEECH_LAPSES times is tagged a leech and suspended, and again
# every LEECH_AGAIN lapses after that, as in Anki.
LEECH_LAPSES = 8
LEECH_AGAIN = 4
# An answer's time counts up to this: a card left open longer counts as one minute, as in Anki.
MAX_ANSWER_MS = 60_000
# Answering a card buries its siblings (the entry's other cards) in these states until the learner's next
# day; cards in learning keep their steps.
BURIED_STATES = (State.NEW, State.REVIEW)


def is_leech_lapse(lapses: int) -> bool:
    """Does reaching `lapses` make a card a leech (8, then 12, 16...)?"""
    return lapses >= LEECH_LAPSES and (lapses - LEECH_LAPSES) % LEECH_AGAIN == 0


def became_leech(lapses_before: int, lapses_after: int) -> bool:
    """Did this answer (a lapse taking the count to a leech number) make the card a leech?"""
    return lapses_after > lapses_before and is_leech_lapse(lapses_after)


def answer_duration_ms(shown_at_ms: int | None, answered_at_ms: int) -> int | None:
    """How long the learner looked at the card: from when it was shown to the answer, at most a minute;
    None when the form did not say when it was shown."""
    if shown_at_ms is None:
        return None
    return max(0, min(MAX_ANSWER_MS, answered_at_ms - shown_at_ms))
