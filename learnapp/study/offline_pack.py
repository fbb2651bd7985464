"""The pack a device keeps for studying offline (`pack()`): the learner's whole day as the study page's capped
queue shows it (learning cards due today, the reviews the page shows today within the day's review
allowance and in its order, then new cards in deck order up to what is left of the day's new-card
allowance), so studying offline gives the same day as studying online. Each card is as the study page
shows it, with its state version and the four buttons (interval and the state and due time each answer
gives), so a device can show them, pick the next one by the queue's rules and keep the learner's answers
while it is offline. The server stays the only scheduler: the answers come back through `offline_replay`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from learnapp.extensions import db
from learnapp.models import User
from learnapp.srs import LEARNING_STATES, RATINGS, Bucket, Day, QueueCounts, Rating, format_interval
from learnapp.srs.policy import BURIED_STATES
from learnapp.srs.queue import LEARN_AHEAD
from learnapp.study import queries as q
from learnapp.study.sql import connect
from learnapp.study.view import (
    Button,
    StudyView,
    face_of,
    read_today,
    scheduler_for,
    scheduling_of,
    todays_reviews,
)

MAX_LEARNING = 1000  # learning cards a device keeps (far beyond any day's; a bound, not a rule)
NEW_BATCH = 100  # new cards read at a time while the day's allowance is filled
DAY_ENDS = 8  # the ends of the learner's next days, for a device studying across a rollover


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one answer would make of a card: for the button's label and the device's queue."""

    rating: int
    interval: str
    state: str
    due: datetime


@dataclass(frozen=True)
class PackCard:
    view: StudyView  # the card as the study page shows it (rendered by the view with the page's template)
    bucket: str  # learning | review | new
    due: datetime | None
    entry_id: int
    outcomes: tuple[Outcome, ...]


@dataclass(frozen=True)
class Pack:
    generated_at: datetime
    day: Day
    day_ends: tuple[datetime, ...]  # today's end and the ends of the days after it
    done_today: int
    new_left: int
    reviews_left: int
    new_per_day: int
    reviews_per_day: int
    bury_siblings: bool
    full: bool  # more learning cards wait than a pack holds (the device fetches a new one sooner)
    cards: tuple[PackCard, ...]


_FACE = select(*q.FACE_COLUMNS).select_from(q.FACE_FROM)
_LEARNING = q.state_is(*LEARNING_STATES)
# Learning cards due before the day ends (the device shows each when it is due); new cards in deck order.
_LEARNING_TODAY = _FACE.where(q.STUDYABLE, _LEARNING, q.CS.c.due < q.DAY_END).order_by(
    q.CS.c.due, q.CS.c.card_id
)
_NEW_IN_ORDER = _FACE.where(q.STUDYABLE, q.BUCKET_WHERE[Bucket.NEW]).order_by(
    q.CS.c.new_position, q.CS.c.card_id
)


def _day_ends(user: User, day: Day) -> tuple[datetime, ...]:
    ends = [day.end]
    while len(ends) < DAY_ENDS:
        ends.append(user.study_day(ends[-1] + timedelta(seconds=1)).end)
    return tuple(ends)


def _pack_card(user: User, row: Any, bucket: str, now: datetime, day: Day, fuzz: bool) -> PackCard:
    card, entry = face_of(row)
    # A learning card is shown when it is due: its buttons are worked out for then.
    shown = max(now, row.due) if bucket == "learning" and row.due else now
    before = scheduling_of(row)
    scheduler = scheduler_for(user, fuzz)
    outcomes = []
    for rating in RATINGS:
        after = scheduler.review(before, row.card_id, rating, shown)
        assert after.due is not None
        outcomes.append(Outcome(int(rating), format_interval(after.due - shown), after.state, after.due))
    view = StudyView(
        day=day,
        counts=QueueCounts(),
        done_today=0,
        card=card,
        entry=entry,
        card_state=row.state,
        version=row.version,
        buttons=tuple(Button(o.rating, Rating(o.rating).label, o.interval) for o in outcomes),
        undo_log_id=None,
        next_due=None,
        shown_at_ms=int(shown.timestamp() * 1000),
    )
    return PackCard(view, bucket, row.due, row.entry_id, tuple(outcomes))


def pack(user: User, now: datetime, enable_fuzz: bool = True) -> Pack:
    """The learner's whole day for a device to keep, as the study page's capped queue has it: learning
    cards due today, the reviews the page shows today (the day's review allowance, in the page's order,
    backlog included), then new cards in deck order until what is left of the day's new-card allowance is
    covered. New cards that answering an earlier card of the pack would bury (an entry's other cards wait
    until the next day) do not count against the allowance; they are kept for after a rollover."""
    today = read_today(user, now, connect())
    plan = today.plan
    params = {"user_id": user.id, "now": now, "day_end": plan.day.end}
    learning = db.session.execute(_LEARNING_TODAY.limit(MAX_LEARNING), params).all()
    rows: list[tuple[str, Any]] = [("learning", row) for row in learning]
    rows.extend(("review", row) for row in todays_reviews(user, today, plan.reviews_left))
    bury = (user.preferences or {}).get("bury_siblings", True)
    chosen: list[tuple[str, Any]] = list(rows)
    # Entries whose new and review cards an earlier pack card buries.
    burying: set[int] = {row.entry_id for bucket, row in rows if bucket == "review"}
    new_counted = 0
    offset, more = 0, plan.new_left > 0
    while more:  # new cards a page at a time, until the allowance is covered or none are left
        page = db.session.execute(_NEW_IN_ORDER.limit(NEW_BATCH).offset(offset), params).all()
        offset, more = offset + NEW_BATCH, len(page) == NEW_BATCH
        for row in page:
            sibling = bury and row.entry_id in burying
            if not sibling:
                if new_counted >= plan.new_left:
                    more = False
                    break
                new_counted += 1
            chosen.append(("new", row))
            burying.add(row.entry_id)
    return Pack(
        generated_at=now,
        day=plan.day,
        day_ends=_day_ends(user, plan.day),
        done_today=today.done.total,
        new_left=plan.new_left,
        reviews_left=plan.reviews_left,
        new_per_day=user.new_per_day,
        reviews_per_day=user.reviews_per_day,
        bury_siblings=bool(bury),
        full=len(learning) >= MAX_LEARNING,
        cards=tuple(_pack_card(user, row, bucket, now, plan.day, enable_fuzz) for bucket, row in chosen),
    )


LEARN_AHEAD_MS = int(LEARN_AHEAD.total_seconds() * 1000)
BURIED_STATE_NAMES = tuple(str(state) for state in BURIED_STATES)
