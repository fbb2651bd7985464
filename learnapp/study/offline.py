"""Studying offline: the pack a device keeps (`offline_pack`), and the replay of the answers it gave
without a network (`offline_replay`); their names under one, for the views and tests.

The server stays the only scheduler. `pack()` gives the learner's next cards as the day's queue would show
them (learning cards due today, reviews due today within the day's review allowance, then new cards in
deck order up to what is left of the day's new-card allowance), each as the study page shows it, with its
state version and the four buttons (interval and the state and due time each answer gives), so a device
can show them, pick the next one by the queue's rules and keep the learner's answers while it is offline.

`replay()` applies the answers a device kept, in the order they were given, each in its own transaction
through the study service with its own time as `now`: the learner's day, the daily limits, the queue
predicate and FSRS all see the moment of the answer. Every answer gets an `Outcome`:

- applied;
- already sent (the same card answered at the same instant is in the log: a retried or repeated sync);
- changed elsewhere (the card's version moved on: another device answered or undid it meanwhile) or not
  due (it was not in the queue at that time: a daily limit reached, the deck left, the card suspended or
  buried): not applied, yet kept in the review log as the learner's answer, marked `undone` (so no tally,
  statistic or optimisation counts it, and undo never picks it) with the reason in `not_applied`;
- not yours (no such card in the learner's decks), a time in the future or older than `MAX_AGE`, a time
  before the card's last review (out of order), or a malformed answer: nothing is written.
"""

from __future__ import annotations

from learnapp.study.offline_pack import (
    BURIED_STATE_NAMES,
    LEARN_AHEAD_MS,
    Outcome,
    Pack,
    PackCard,
    pack,
)
from learnapp.study.offline_replay import (
    CLOCK_SKEW,
    KEPT_NOT_APPLIED,
    MAX_AGE,
    MAX_BATCH,
    MESSAGES,
    OfflineAnswer,
    Replayed,
    Result,
    parse_answer,
    replay,
    summary,
)

__all__ = [
    "BURIED_STATE_NAMES",
    "CLOCK_SKEW",
    "KEPT_NOT_APPLIED",
    "LEARN_AHEAD_MS",
    "MAX_AGE",
    "MAX_BATCH",
    "MESSAGES",
    "OfflineAnswer",
    "Outcome",
    "Pack",
    "PackCard",
    "Replayed",
    "Result",
    "pack",
    "parse_answer",
    "replay",
    "summary",
]
