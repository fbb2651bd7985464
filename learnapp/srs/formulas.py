"""py-fsrs 6's formulas for the next stability and interval, written out once for the four answer buttons.

`Scheduler.preview` needs the interval each rating gives; four `review_card` calls (each copying the card and
computing the difficulty too) cost a sixth of an answer. Each expression here is py-fsrs's own, in its order,
so every float comes out bit for bit the same; tests/unit/test_scheduler.py holds the result to what `review`
gives for each rating, any state and parameters. Pure: no Flask, no database.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import fsrs
from fsrs.scheduler import STABILITY_MIN

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
_RATINGS = (AGAIN, HARD, GOOD, EASY)


def next_interval_days(f: fsrs.Scheduler, stability: float) -> int:
    """py-fsrs's `Scheduler._next_interval`: the stability's interval in whole days, 1 to the maximum."""
    interval = (stability / f._FACTOR) * ((f.desired_retention ** (1 / f._DECAY)) - 1)
    return int(min(max(round(interval), 1), f.maximum_interval))


def preview_intervals(
    f: fsrs.Scheduler,
    state: fsrs.State,
    step: int | None,
    memory: tuple[float | None, float | None],
    last_review: datetime | None,
    now: datetime,
) -> tuple[tuple[bool, timedelta], ...] | None:
    """For Again, Hard, Good and Easy: (lands in review?, interval before our fuzz), exactly as
    `f.review_card` computes them at `now` (UTC) for a card in `state` at `step` with `memory` (stability,
    difficulty), or None for a card it would reject. The difficulty's next value is left out (no interval
    depends on it)."""
    stability, difficulty = memory
    if state == fsrs.State.Review:
        steps = None
        if stability is None or difficulty is None:
            return None
    else:
        steps = f.learning_steps if state == fsrs.State.Learning else f.relearning_steps
        if step is None or (state == fsrs.State.Relearning and (stability is None or difficulty is None)):
            return None
    days = (now - last_review).days if last_review else None
    stabilities = _next_stabilities(f, stability, difficulty, days)

    def in_review(new_stability: float) -> tuple[bool, timedelta]:
        return True, timedelta(days=next_interval_days(f, new_stability))

    if steps is None:  # review: Again relearns (if there are relearning steps), the others stay in review
        again = (False, f.relearning_steps[0]) if f.relearning_steps else in_review(stabilities[0])
        return (again, *(in_review(new) for new in stabilities[1:]))
    assert step is not None
    if len(steps) == 0:
        return tuple(in_review(new) for new in stabilities)
    again = (False, steps[0])
    if step >= len(steps):  # scheduled with more steps than there are now: Hard, Good, Easy graduate
        return (again, *(in_review(new) for new in stabilities[1:]))
    if step == 0 and len(steps) == 1:
        hard = (False, steps[0] * 1.5)
    elif step == 0 and len(steps) >= 2:
        hard = (False, (steps[0] + steps[1]) / 2.0)
    else:
        hard = (False, steps[step])
    good = in_review(stabilities[2]) if step + 1 == len(steps) else (False, steps[step + 1])
    return (again, hard, good, in_review(stabilities[3]))


def _next_stabilities(
    f: fsrs.Scheduler, stability: float | None, difficulty: float | None, days: int | None
) -> list[float]:
    """The stability after Again, Hard, Good and Easy: the initial ones for a first answer, the short-term
    ones within a day of the last review, else after a lapse (Again) or a recall."""
    p = f.parameters
    if stability is None or difficulty is None:  # (learning only) the first answer: initial stabilities
        return [max(p[rating - 1], STABILITY_MIN) for rating in _RATINGS]
    if days is not None and days < 1:  # short-term stability
        stabilities = []
        for rating in _RATINGS:
            increase = (math.e ** (p[17] * (rating - 3 + p[18]))) * (stability ** -p[19])
            if rating != AGAIN:
                increase = max(increase, 1.0)
            stabilities.append(max(stability * increase, STABILITY_MIN))
        return stabilities
    retrievability = 0 if days is None else (1 + f._FACTOR * max(0, days) / stability) ** f._DECAY
    forget = min(
        p[11]
        * (difficulty ** -p[12])
        * (((stability + 1) ** (p[13])) - 1)
        * (math.e ** ((1 - retrievability) * p[14])),
        stability / (math.e ** (p[17] * p[18])),
    )
    stabilities = [max(forget, STABILITY_MIN)]
    for rating in _RATINGS[1:]:
        hard_penalty = p[15] if rating == HARD else 1
        easy_bonus = p[16] if rating == EASY else 1
        recall = stability * (
            1
            + (math.e ** (p[8]))
            * (11 - difficulty)
            * (stability ** -p[9])
            * ((math.e ** ((1 - retrievability) * p[10])) - 1)
            * hard_penalty
            * easy_bonus
        )
        stabilities.append(max(recall, STABILITY_MIN))
    return stabilities
