"""The study loop's queries and transactions.

`answer()` and `undo()` are each one transaction: lock the learner's card state, apply FSRS (or restore the
logged before-state), write the state and the log row, build the next view, commit. A form carries the
card-state version it was shown, so a repeated submit (double click, retried request, a second tab)
applies nothing and just shows the next card.
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, and_, bindparam, case, func, insert, literal, select, union_all, update
from sqlalchemy.engine import Connection, Row

from learnapp.errors import Conflict, NotFound, UserError
from learnapp.extensions import db
from learnapp.models import Card, CardState, Entry, ReviewLog, User
from learnapp.srs import (
    Bucket,
    Day,
    QueueCounts,
    QueuePlan,
    Rating,
    Scheduler,
    SchedulingState,
    format_interval,
    learner_day,
    pick_bucket,
)
from learnapp.srs.queue import DoneToday, bucket_of

MAX_ANSWER_MS = 60_000  # as Anki: a card left open longer counts as one minute
LEARNING_STATES = ("learning", "relearning")
COUNT_CAP = 10_000  # no count on the page needs to be exact beyond this


@dataclass(frozen=True, slots=True)
class Button:
    rating: int
    label: str
    interval: str


@dataclass(frozen=True, slots=True)
class StudyCard:
    id: int
    kind: str
    deck_id: int


# An entry's columns by name (headword, pinyin, meaning, extra...), read without the ORM.
EntryFace = namedtuple("EntryFace", [column.name for column in Entry.__table__.c])


@dataclass(frozen=True)
class StudyView:
    """Everything the study page shows, computed in one place for the page and the htmx fragment."""

    day: Day
    counts: QueueCounts
    done_today: int
    card: StudyCard | None
    entry: EntryFace | None
    card_state: str | None
    version: int | None
    buttons: tuple[Button, ...]
    undo_log_id: int | None
    next_due: datetime | None
    shown_at_ms: int

    @property
    def remaining(self) -> int:
        return self.counts.total

    @property
    def session_total(self) -> int:
        return self.done_today + self.counts.total


def scheduler_for(user: User, enable_fuzz: bool = True) -> Scheduler:
    return Scheduler(user.desired_retention, user.fsrs_parameters, enable_fuzz=enable_fuzz)


# The hot path ("answer this card, show the next") runs a handful of Core statements built once here, so
# each answer pays for neither statement construction nor the ORM's unit of work (benchmarks/study_loop.py).
_cs = CardState.__table__
_logs = ReviewLog.__table__
_cards = Card.__table__
_entries = Entry.__table__

_SCHEDULING = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses")
_STUDYABLE = and_(_cs.c.user_id == bindparam("user_id"), _cs.c.active, ~_cs.c.suspended)
_LEARNING = _cs.c.state.in_(LEARNING_STATES)
_BUCKET_WHERE = {
    Bucket.LEARNING: and_(_LEARNING, _cs.c.due <= bindparam("now")),
    Bucket.LEARN_AHEAD: and_(_LEARNING, _cs.c.due <= bindparam("cutoff")),
    Bucket.REVIEW: and_(_cs.c.state == "review", _cs.c.due < bindparam("day_end")),
    Bucket.NEW: _cs.c.state == "new",
}
_BUCKET_ORDER = {
    Bucket.LEARNING: (_cs.c.due, _cs.c.card_id),
    Bucket.LEARN_AHEAD: (_cs.c.due, _cs.c.card_id),
    Bucket.REVIEW: (_cs.c.due, _cs.c.card_id),
    Bucket.NEW: (_cs.c.new_position, _cs.c.card_id),
}


def _capped_count(key: int, cap: str, *conditions) -> Any:
    # Selecting a constant keeps the inner scan inside the covering index (card_id is not in it).
    limited = (
        select(literal(1).label("one"))
        .where(_STUDYABLE, *conditions)
        .limit(bindparam(cap, type_=Integer))
        .subquery()
    )
    return select(literal(key).label("k"), func.count().label("n")).select_from(limited)


# The four counts in one round trip: learning due now, learning due ahead, reviews due today, new.
_COUNTS = union_all(
    _capped_count(0, "cap", _LEARNING, _cs.c.due <= bindparam("now")),
    _capped_count(1, "cap", _LEARNING, _cs.c.due > bindparam("now"), _cs.c.due <= bindparam("cutoff")),
    _capped_count(2, "reviews_cap", _BUCKET_WHERE[Bucket.REVIEW]),
    _capped_count(3, "new_cap", _BUCKET_WHERE[Bucket.NEW]),
)
_DONE_TODAY = select(
    func.sum(case((_logs.c.state_before == "new", 1), else_=0)),
    func.sum(case((_logs.c.state_before == "review", 1), else_=0)),
    func.count(),
    func.max(_logs.c.id),
).where(
    _logs.c.user_id == bindparam("user_id"), _logs.c.reviewed_at >= bindparam("day_start"), ~_logs.c.undone
)
_STATE = (
    select(_cs)
    .where(_cs.c.user_id == bindparam("user_id"), _cs.c.card_id == bindparam("card_id"))
    .with_for_update()
)
# The card to show, with its entry, in one statement: the head of a bucket, or one card by id.
_FACE_COLUMNS = (_cs, _cards.c.kind, *(c.label(f"entry_{c.name}") for c in _entries.c))
_FACE_FROM = _cs.join(_cards, _cards.c.id == _cs.c.card_id).join(_entries, _entries.c.id == _cards.c.entry_id)
_HEAD = {
    bucket: select(*_FACE_COLUMNS)
    .select_from(_FACE_FROM)
    .where(_STUDYABLE, where)
    .order_by(*_BUCKET_ORDER[bucket])
    .limit(1)
    for bucket, where in _BUCKET_WHERE.items()
}
_FACE = (
    select(*_FACE_COLUMNS)
    .select_from(_FACE_FROM)
    .where(_cs.c.user_id == bindparam("user_id"), _cs.c.card_id == bindparam("card_id"))
)
_NEW_HEAD = (
    select(_cs.c.card_id)
    .where(_STUDYABLE, _BUCKET_WHERE[Bucket.NEW])
    .order_by(*_BUCKET_ORDER[Bucket.NEW])
    .limit(1)
)
# Applied only if the state is still the version the learner saw: a repeated submit changes nothing.
_WRITE_STATE = (
    update(_cs)
    .where(
        _cs.c.user_id == bindparam("b_user_id"),
        _cs.c.card_id == bindparam("b_card_id"),
        _cs.c.version == bindparam("seen_version"),
    )
    .values({name: bindparam(f"new_{name}") for name in _SCHEDULING} | {"version": _cs.c.version + 1})
)
_LOG = insert(_logs)
_NEXT_DUE = select(func.min(_cs.c.due)).where(_STUDYABLE, _cs.c.state != "new")


def _conn() -> Connection:
    return db.session.connection()


def _scheduling(row: Any) -> SchedulingState:
    return SchedulingState(**{name: getattr(row, name) for name in _SCHEDULING})


def _write_state(
    conn: Connection, user_id: int, card_id: int, seen_version: int, new: SchedulingState
) -> bool:
    params = {f"new_{name}": getattr(new, name) for name in _SCHEDULING}
    result = conn.execute(
        _WRITE_STATE, {"b_user_id": user_id, "b_card_id": card_id, "seen_version": seen_version, **params}
    )
    return result.rowcount == 1


def _done_today(conn: Connection, user: User, day: Day) -> tuple[DoneToday, int | None]:
    """Answers so far today (for the limits and the progress bar) and the newest one (for undo)."""
    row = conn.execute(_DONE_TODAY, {"user_id": user.id, "day_start": day.start}).one()
    return DoneToday(new=int(row[0] or 0), reviews=int(row[1] or 0), total=int(row[2])), row[3]


def _plan(conn: Connection, user: User, now: datetime) -> tuple[QueuePlan, DoneToday, int | None]:
    day = learner_day(now, user.timezone, user.day_rollover_hour)
    done, last_log_id = _done_today(conn, user, day)
    return QueuePlan.build(now, day, user.new_per_day, user.reviews_per_day, done), done, last_log_id


def _queue_params(user: User, plan: QueuePlan) -> dict[str, Any]:
    return {
        "user_id": user.id,
        "now": plan.now,
        "cutoff": plan.learn_ahead_cutoff,
        "day_end": plan.day.end,
    }


def _counts(conn: Connection, params: dict[str, Any], plan: QueuePlan) -> QueueCounts:
    rows = conn.execute(
        _COUNTS,
        params | {"cap": COUNT_CAP, "reviews_cap": plan.reviews_left, "new_cap": plan.new_left},
    )
    n = {key: count for key, count in rows}
    return QueueCounts(
        learning_due=int(n[0]), learning_ahead=int(n[1]), reviews_due=int(n[2]), new_available=int(n[3])
    ).clipped(plan)


def _next_due(conn: Connection, params: dict[str, Any], plan: QueuePlan) -> datetime | None:
    """When the next card becomes due, for the empty-queue page."""
    due = conn.execute(_NEXT_DUE, params).scalar()
    has_new = conn.execute(_NEW_HEAD, params).scalar()
    if has_new is not None and plan.new_left == 0:
        due = min(due, plan.day.end) if due else plan.day.end
    if due is not None and due <= plan.now:
        # Due now but held back by a daily limit: tomorrow.
        due = plan.day.end
    return due


def _split_face(row: Row[Any]) -> tuple[StudyCard, EntryFace]:
    """The card and its entry from one joined row (entry columns come prefixed with "entry_")."""
    mapping = row._mapping
    entry = EntryFace._make(mapping[f"entry_{name}"] for name in EntryFace._fields)
    return StudyCard(id=row.card_id, kind=row.kind, deck_id=row.deck_id), entry


def _view(
    conn: Connection,
    user: User,
    now: datetime,
    plan: QueuePlan,
    done: DoneToday,
    last_log_id: int | None,
    card_id: int | None = None,
    enable_fuzz: bool = True,
) -> StudyView:
    params = _queue_params(user, plan)
    counts = _counts(conn, params, plan)
    face: Row[Any] | None = None
    if card_id is not None:
        candidate = conn.execute(_FACE, {"user_id": user.id, "card_id": card_id}).first()
        if candidate is not None and _shown_today(conn, user, candidate, plan):
            face = candidate
    if face is None:
        bucket = pick_bucket(counts)
        if bucket is not None:
            face = conn.execute(_HEAD[bucket], params).first()
    card = entry = None
    buttons: tuple[Button, ...] = ()
    if face is not None:
        card, entry = _split_face(face)
        previews = scheduler_for(user, enable_fuzz).preview(_scheduling(face), face.card_id, now)
        buttons = tuple(Button(int(r), r.label, format_interval(previews[r])) for r in previews)
    return StudyView(
        day=plan.day,
        counts=counts,
        done_today=done.total,
        card=card,
        entry=entry,
        card_state=face.state if face is not None else None,
        version=face.version if face is not None else None,
        buttons=buttons,
        undo_log_id=last_log_id,
        next_due=_next_due(conn, params, plan) if face is None else None,
        shown_at_ms=int(now.timestamp() * 1000),
    )


def _shown_today(conn: Connection, user: User, state: Any, plan: QueuePlan) -> bool:
    """Is this card in the learner's queue right now (so it may be shown and answered)?"""
    if not state.active or state.suspended:
        return False
    bucket = bucket_of(state.state, state.due, plan)
    if bucket is not Bucket.NEW:
        return bucket is not None
    # A new card is shown only once the ones before it are introduced.
    head = conn.execute(_NEW_HEAD, {"user_id": user.id}).scalar()
    return head == state.card_id


def today(user: User, now: datetime, card_id: int | None = None, enable_fuzz: bool = True) -> StudyView:
    """The study view at `now`: the next card (or `card_id` if it is in today's queue) and the counts."""
    conn = _conn()
    plan, done, last_log_id = _plan(conn, user, now)
    return _view(conn, user, now, plan, done, last_log_id, card_id, enable_fuzz)


def parse_rating(value: str | None) -> Rating:
    try:
        return Rating(int(value or ""))
    except ValueError:
        raise UserError("Choose Again, Hard, Good or Easy.", field="rating") from None


def answer(
    user: User,
    card_id: int,
    rating: Rating,
    version: int,
    now: datetime,
    shown_at_ms: int | None = None,
    enable_fuzz: bool = True,
) -> StudyView:
    """Answer a card and return the next view. One transaction; a repeated submit applies nothing."""
    conn = _conn()
    state = conn.execute(_STATE, {"user_id": user.id, "card_id": card_id}).first()
    if state is None:
        db.session.rollback()
        raise NotFound("This card isn't in your decks.")
    plan, done, last_log_id = _plan(conn, user, now)
    if state.version != version:
        # Already answered (double click, retry, another tab): apply nothing, show what's next.
        view = _view(conn, user, now, plan, done, last_log_id, enable_fuzz=enable_fuzz)
        db.session.rollback()
        return view
    if not _shown_today(conn, user, state, plan):
        db.session.rollback()
        raise Conflict("This card isn't due now, so it can't be answered. Your queue is below.")
    before = _scheduling(state)
    after = scheduler_for(user, enable_fuzz).review(before, card_id, rating, now)
    if not _write_state(conn, user.id, card_id, version, after):
        # Another request answered it between our read and our write (no row lock on SQLite).
        view = _view(conn, user, now, plan, done, last_log_id, enable_fuzz=enable_fuzz)
        db.session.rollback()
        return view
    duration = None
    if shown_at_ms is not None:
        duration = max(0, min(MAX_ANSWER_MS, int(now.timestamp() * 1000) - shown_at_ms))
    elapsed = (now - before.last_review).total_seconds() / 86400 if before.last_review else None
    log_id = conn.execute(
        _LOG,
        {
            "user_id": user.id,
            "card_id": card_id,
            "rating": int(rating),
            "reviewed_at": now,
            "duration_ms": duration,
            "state_before": before.state,
            "state_after": after.state,
            "elapsed_days": elapsed,
            "before": before.to_dict(),
            "after": after.to_dict(),
            "undone": False,
        },
    ).inserted_primary_key[0]
    # Today's tally moves by this one answer; no need to count the log again.
    done = DoneToday(
        new=done.new + (before.state == "new"),
        reviews=done.reviews + (before.state == "review"),
        total=done.total + 1,
    )
    plan = QueuePlan.build(now, plan.day, user.new_per_day, user.reviews_per_day, done)
    view = _view(conn, user, now, plan, done, log_id, enable_fuzz=enable_fuzz)
    db.session.commit()
    return view


_LOG_ROW = select(_logs).where(_logs.c.id == bindparam("log_id")).with_for_update()
_MARK_UNDONE = update(_logs).where(_logs.c.id == bindparam("b_log_id")).values(undone=True)


def undo(user: User, log_id: int, now: datetime, enable_fuzz: bool = True) -> StudyView:
    """Restore the state before answer `log_id`, if it is still the learner's latest answer today."""
    conn = _conn()
    plan, done, last_log_id = _plan(conn, user, now)
    if last_log_id is None:
        db.session.rollback()
        raise UserError("There's nothing to undo today.")
    if log_id != last_log_id:
        # Already undone (a repeated click) or not the latest answer: change nothing.
        view = _view(conn, user, now, plan, done, last_log_id, enable_fuzz=enable_fuzz)
        db.session.rollback()
        return view
    log = conn.execute(_LOG_ROW, {"log_id": log_id}).first()
    state = conn.execute(_STATE, {"user_id": user.id, "card_id": log.card_id}).first() if log else None
    if log is None or log.undone or state is None or state.reps != log.after["reps"]:
        db.session.rollback()
        raise Conflict("That answer can't be undone any more.")
    if not _write_state(conn, user.id, log.card_id, state.version, SchedulingState.from_dict(log.before)):
        db.session.rollback()
        raise Conflict("That answer can't be undone any more.")
    conn.execute(_MARK_UNDONE, {"b_log_id": log_id})
    # Today's tally without the undone answer, and the answer before it (undo can go on): one query.
    plan, done, previous = _plan(conn, user, now)
    view = _view(conn, user, now, plan, done, previous, card_id=log.card_id, enable_fuzz=enable_fuzz)
    db.session.commit()
    return view


__all__ = [
    "Button",
    "StudyView",
    "answer",
    "parse_rating",
    "scheduler_for",
    "today",
    "undo",
]
