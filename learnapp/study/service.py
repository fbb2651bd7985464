"""The study loop's queries and transactions.

`answer()` and `undo()` are each one transaction: lock the learner's card state, apply FSRS (or restore the
logged before-state), write the state and the log row, build the next view, commit. A form carries the
card-state version it was shown, so a repeated submit (double click, retried request, a second tab)
applies nothing and just shows the next card.

What a session draws from is a `Session`: the whole queue (the default), one deck's queue, today's failed
cards (those whose latest answer today was Again), or reviews due in the next few days (study ahead).
Around the queue: a card that lapses LEECH_LAPSES times is tagged a leech and suspended; answering a card
buries its siblings (the other cards of the same entry) until the learner's next day; and when reviews are
backlogged beyond the daily limit, they come lowest retrievability first, as FSRS-aware Anki does.
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Float,
    Integer,
    and_,
    bindparam,
    case,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.engine import Connection, Row
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from learnapp.errors import Conflict, NotFound, UserError
from learnapp.extensions import db
from learnapp.models import Card, CardState, Entry, ReviewLog, User, UTCDateTime
from learnapp.numbers import small_int
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
LEECH_LAPSES = 8  # as Anki: tagged and suspended at 8 lapses, and again every LEECH_AGAIN lapses after
LEECH_AGAIN = 4
MAX_AHEAD_DAYS = 30


def is_leech_lapse(lapses: int) -> bool:
    """Does reaching `lapses` make a card a leech (8, then 12, 16...)?"""
    return lapses >= LEECH_LAPSES and (lapses - LEECH_LAPSES) % LEECH_AGAIN == 0


@dataclass(frozen=True, slots=True)
class Session:
    """What a study session draws from. `token` is its form in URLs and forms ("" for the queue)."""

    kind: str = "queue"  # queue | deck | failed | ahead
    deck_id: int | None = None
    days: int = 0

    @property
    def token(self) -> str:
        if self.kind == "deck":
            return f"deck:{self.deck_id}"
        if self.kind == "ahead":
            return f"ahead:{self.days}"
        return "" if self.kind == "queue" else self.kind

    @property
    def is_custom(self) -> bool:
        return self.kind != "queue"

    @classmethod
    def parse(cls, value: str | None) -> Session:
        value = (value or "").strip()
        if not value:
            return cls()
        kind, _, argument = value.partition(":")
        if kind == "failed" and not argument:
            return cls("failed")
        number = small_int(argument)
        if kind == "deck" and number is not None:
            return cls("deck", deck_id=number)
        if kind == "ahead" and number is not None and 1 <= number <= MAX_AHEAD_DAYS:
            return cls("ahead", days=number)
        raise UserError(
            f"That study session isn't one we know. Study ahead takes 1 to {MAX_AHEAD_DAYS} days.",
            field="session",
        )


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
    session: Session = Session()
    notice: str | None = None

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
_NOW = bindparam("now", type_=UTCDateTime())
_STUDYABLE = and_(
    _cs.c.user_id == bindparam("user_id"),
    _cs.c.active,
    ~_cs.c.suspended,
    or_(_cs.c.buried_until.is_(None), _cs.c.buried_until <= _NOW),
)
_LEARNING = _cs.c.state.in_(LEARNING_STATES)
_BUCKET_WHERE = {
    Bucket.LEARNING: and_(_LEARNING, _cs.c.due <= _NOW),
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


class _ElapsedDays(FunctionElement):
    """Days from a timestamp column to `now`, given as days since the Unix epoch (bound `now_days`), so the
    database converts only the column, once a row, in its own date arithmetic."""

    type = Float()
    inherit_cache = True


@compiles(_ElapsedDays, "sqlite")
def _elapsed_days_sqlite(element, compiler, **kw):
    column, now_days = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"({now_days} - (julianday({column}) - 2440587.5))"


@compiles(_ElapsedDays)
def _elapsed_days_default(element, compiler, **kw):
    column, now_days = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"({now_days} - EXTRACT(EPOCH FROM {column}) / 86400.0)"


# FSRS's retrievability falls as elapsed/stability grows (for any decay), so ordering by that ratio,
# largest first, is ordering by retrievability, lowest first: the reviews most at risk come first.
_LOWEST_RETRIEVABILITY = (
    _ElapsedDays(_cs.c.last_review, bindparam("now_days", type_=Float())) / _cs.c.stability
).desc()


def _capped_count(key: int, cap: str, *conditions) -> Any:
    # Selecting a constant keeps the inner scan inside the covering index (card_id is not in it).
    limited = (
        select(literal(1).label("one"))
        .where(_STUDYABLE, *conditions)
        .limit(bindparam(cap, type_=Integer))
        .subquery()
    )
    return select(literal(key).label("k"), func.count().label("n")).select_from(limited)


# The card to show, with its entry, in one statement: the head of a bucket, or one card by id.
_FACE_COLUMNS = (_cs, _cards.c.kind, *(c.label(f"entry_{c.name}") for c in _entries.c))
_FACE_FROM = _cs.join(_cards, _cards.c.id == _cs.c.card_id).join(_entries, _entries.c.id == _cards.c.entry_id)


class _Queue:
    """The statements of one queue, built once: the whole queue, or one deck's (`deck_id` bound)."""

    def __init__(self, *scope) -> None:
        where = and_(_STUDYABLE, *scope)
        # The four counts in one round trip: learning due now, learning due ahead, reviews due today
        # (one past the allowance, to tell a backlog), new.
        self.counts = union_all(
            _capped_count(0, "cap", *scope, _LEARNING, _cs.c.due <= _NOW),
            _capped_count(1, "cap", *scope, _LEARNING, _cs.c.due > _NOW, _cs.c.due <= bindparam("cutoff")),
            _capped_count(2, "reviews_cap", *scope, _BUCKET_WHERE[Bucket.REVIEW]),
            _capped_count(3, "new_cap", *scope, _BUCKET_WHERE[Bucket.NEW]),
        )
        self.heads = {
            bucket: select(*_FACE_COLUMNS)
            .select_from(_FACE_FROM)
            .where(where, condition)
            .order_by(*_BUCKET_ORDER[bucket])
            .limit(1)
            for bucket, condition in _BUCKET_WHERE.items()
        }
        # The most at-risk review is found in card_states alone; only that one row is joined.
        at_risk = (
            select(_cs.c.card_id)
            .where(where, _BUCKET_WHERE[Bucket.REVIEW])
            .order_by(_LOWEST_RETRIEVABILITY, _cs.c.card_id)
            .limit(1)
            .scalar_subquery()
        )
        self.backlog_head = (
            select(*_FACE_COLUMNS)
            .select_from(_FACE_FROM)
            .where(_cs.c.user_id == bindparam("user_id"), _cs.c.card_id == at_risk)
        )
        self.new_head = (
            select(_cs.c.card_id)
            .where(where, _BUCKET_WHERE[Bucket.NEW])
            .order_by(*_BUCKET_ORDER[Bucket.NEW])
            .limit(1)
        )
        self.next_due = select(func.min(_cs.c.due)).where(where, _cs.c.state != "new")
        # Siblings buried until the learner's next day come back then.
        self.unburied_at = select(func.min(_cs.c.buried_until)).where(
            _cs.c.user_id == bindparam("user_id"),
            _cs.c.active,
            ~_cs.c.suspended,
            _cs.c.buried_until > _NOW,
            *scope,
        )


_QUEUE = _Queue()
_DECK_QUEUE = _Queue(_cs.c.deck_id == bindparam("deck_id"))

# Custom sessions outside the day's queue: today's failed cards and reviews due ahead.
_latest = _logs.alias("latest")
_FAILED_TODAY = _cs.c.card_id.in_(
    select(_logs.c.card_id).where(
        _logs.c.user_id == bindparam("user_id"),
        _logs.c.reviewed_at >= bindparam("day_start"),
        ~_logs.c.undone,
        _logs.c.rating == 1,
        _logs.c.id
        == select(func.max(_latest.c.id))
        .where(_latest.c.user_id == _logs.c.user_id, _latest.c.card_id == _logs.c.card_id, ~_latest.c.undone)
        .scalar_subquery(),
    )
)
_AHEAD = and_(_cs.c.state == "review", _cs.c.due >= bindparam("day_end"), _cs.c.due < bindparam("ahead_end"))
_CUSTOM_WHERE = {"failed": _FAILED_TODAY, "ahead": _AHEAD}
_CUSTOM_ORDER = {"failed": (_cs.c.last_review, _cs.c.card_id), "ahead": (_cs.c.due, _cs.c.card_id)}
_CUSTOM_ACTIVE = and_(_cs.c.user_id == bindparam("user_id"), _cs.c.active, ~_cs.c.suspended)
_CUSTOM_COUNT = {
    kind: select(func.count()).select_from(
        select(literal(1)).where(_CUSTOM_ACTIVE, where).limit(COUNT_CAP).subquery()
    )
    for kind, where in _CUSTOM_WHERE.items()
}
_CUSTOM_HEAD = {
    kind: select(*_FACE_COLUMNS)
    .select_from(_FACE_FROM)
    .where(_CUSTOM_ACTIVE, where)
    .order_by(*_CUSTOM_ORDER[kind])
    .limit(1)
    for kind, where in _CUSTOM_WHERE.items()
}
_IN_CUSTOM = {
    kind: select(_cs.c.card_id).where(_CUSTOM_ACTIVE, where, _cs.c.card_id == bindparam("card_id"))
    for kind, where in _CUSTOM_WHERE.items()
}

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
_FACE = (
    select(*_FACE_COLUMNS)
    .select_from(_FACE_FROM)
    .where(_cs.c.user_id == bindparam("user_id"), _cs.c.card_id == bindparam("card_id"))
)
# Applied only if the state is still the version the learner saw: a repeated submit changes nothing.
_WRITE_STATE = (
    update(_cs)
    .where(
        _cs.c.user_id == bindparam("b_user_id"),
        _cs.c.card_id == bindparam("b_card_id"),
        _cs.c.version == bindparam("seen_version"),
    )
    .values(
        {name: bindparam(f"new_{name}") for name in _SCHEDULING}
        | {
            "leech": bindparam("new_leech"),
            "suspended": bindparam("new_suspended"),
            "version": _cs.c.version + 1,
        }
    )
)
# The other cards of the answered card's entry (new or in review) wait until the learner's next day.
_answered = _cards.alias("answered")
# The other cards of an entry, by one card's id: a few rows through the (entry_id, kind) index.
_SIBLINGS = select(_cards.c.id).where(
    _cards.c.entry_id
    == select(_answered.c.entry_id).where(_answered.c.id == bindparam("b_card_id")).scalar_subquery(),
    _cards.c.id != bindparam("b_card_id"),
)
# Then by primary key: the new and review ones wait until the learner's next day.
_BURY_SIBLINGS = (
    update(_cs)
    .where(
        _cs.c.user_id == bindparam("b_user_id"),
        _cs.c.card_id.in_(bindparam("b_siblings", expanding=True)),
        _cs.c.state.in_(("new", "review")),
    )
    .values(buried_until=bindparam("b_until"))
)
_UNBURY_SIBLINGS = (
    update(_cs)
    .where(
        _cs.c.user_id == bindparam("b_user_id"),
        _cs.c.card_id.in_(bindparam("b_siblings", expanding=True)),
        _cs.c.buried_until == bindparam("b_until"),
    )
    .values(buried_until=None)
)
# Another answer today to a card of the same entry (not `b_log_id`): its burial of the siblings stands.
_ENTRY_ANSWERED_TODAY = (
    select(_logs.c.id)
    .where(
        _logs.c.user_id == bindparam("b_user_id"),
        _logs.c.reviewed_at >= bindparam("b_day_start"),
        ~_logs.c.undone,
        _logs.c.id != bindparam("b_log_id"),
        _logs.c.card_id.in_(
            select(_cards.c.id).where(
                _cards.c.entry_id
                == select(_answered.c.entry_id)
                .where(_answered.c.id == bindparam("b_card_id"))
                .scalar_subquery()
            )
        ),
    )
    .limit(1)
)
_LOG = insert(_logs)


def _conn() -> Connection:
    return db.session.connection()


def _scheduling(row: Any) -> SchedulingState:
    return SchedulingState(**{name: getattr(row, name) for name in _SCHEDULING})


def _write_state(
    conn: Connection,
    user_id: int,
    card_id: int,
    seen_version: int,
    new: SchedulingState,
    leech: bool,
    suspended: bool,
) -> bool:
    params = {f"new_{name}": getattr(new, name) for name in _SCHEDULING}
    result = conn.execute(
        _WRITE_STATE,
        {
            "b_user_id": user_id,
            "b_card_id": card_id,
            "seen_version": seen_version,
            "new_leech": leech,
            "new_suspended": suspended,
            **params,
        },
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


def _queue_params(user: User, plan: QueuePlan, session: Session) -> dict[str, Any]:
    params = {
        "user_id": user.id,
        "now": plan.now,
        "now_days": plan.now.timestamp() / 86400,
        "cutoff": plan.learn_ahead_cutoff,
        "day_start": plan.day.start,
        "day_end": plan.day.end,
    }
    if session.kind == "deck":
        params["deck_id"] = session.deck_id
    elif session.kind == "ahead":
        params["ahead_end"] = plan.day.end + timedelta(days=session.days)
    return params


def _queue(session: Session) -> _Queue:
    return _DECK_QUEUE if session.kind == "deck" else _QUEUE


def _counts(
    conn: Connection, params: dict[str, Any], plan: QueuePlan, queue: _Queue
) -> tuple[QueueCounts, bool]:
    """The clipped counts, and whether reviews are backlogged beyond today's allowance."""
    rows = conn.execute(
        queue.counts,
        params | {"cap": COUNT_CAP, "reviews_cap": plan.reviews_left + 1, "new_cap": plan.new_left},
    )
    n = {key: count for key, count in rows}
    counts = QueueCounts(
        learning_due=int(n[0]), learning_ahead=int(n[1]), reviews_due=int(n[2]), new_available=int(n[3])
    )
    return counts.clipped(plan), counts.reviews_due > plan.reviews_left


def _next_due(conn: Connection, params: dict[str, Any], plan: QueuePlan, queue: _Queue) -> datetime | None:
    """When the next card becomes due, for the empty-queue page."""
    due = conn.execute(queue.next_due, params).scalar()
    has_new = conn.execute(queue.new_head, params).scalar()
    if has_new is not None and plan.new_left == 0:
        due = min(due, plan.day.end) if due else plan.day.end
    buried = conn.execute(queue.unburied_at, params).scalar()
    if buried is not None:
        due = min(due, buried) if due else buried
    if due is not None and due <= plan.now:
        # Due now but held back by a daily limit (or buried until tomorrow): tomorrow.
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
    session: Session = Session(),
    notice: str | None = None,
) -> StudyView:
    params = _queue_params(user, plan, session)
    queue = _queue(session)
    face: Row[Any] | None = None
    if session.kind in _CUSTOM_WHERE:
        total = conn.execute(_CUSTOM_COUNT[session.kind], params).scalar() or 0
        counts = QueueCounts(reviews_due=int(total))
        if card_id is not None and _in_session(conn, user, card_id, plan, session):
            face = conn.execute(_FACE, {"user_id": user.id, "card_id": card_id}).first()
        if face is None and total:
            face = conn.execute(_CUSTOM_HEAD[session.kind], params).first()
    else:
        counts, backlog = _counts(conn, params, plan, queue)
        if card_id is not None:
            candidate = conn.execute(_FACE, {"user_id": user.id, "card_id": card_id}).first()
            if candidate is not None and _shown_today(conn, user, candidate, plan, session):
                face = candidate
        if face is None:
            bucket = pick_bucket(counts)
            if bucket is not None:
                head = queue.backlog_head if bucket is Bucket.REVIEW and backlog else queue.heads[bucket]
                face = conn.execute(head, params).first()
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
        next_due=(
            _next_due(conn, params, plan, queue)
            if face is None and session.kind not in _CUSTOM_WHERE
            else None
        ),
        shown_at_ms=int(now.timestamp() * 1000),
        session=session,
        notice=notice,
    )


def _shown_today(conn: Connection, user: User, state: Any, plan: QueuePlan, session: Session) -> bool:
    """Is this card in the learner's queue right now (so it may be shown and answered)?"""
    if not state.active or state.suspended:
        return False
    if state.buried_until is not None and state.buried_until > plan.now:
        return False
    if session.kind == "deck" and state.deck_id != session.deck_id:
        return False
    bucket = bucket_of(state.state, state.due, plan)
    if bucket is not Bucket.NEW:
        return bucket is not None
    # A new card is shown only once the ones before it are introduced.
    params = _queue_params(user, plan, session)
    head = conn.execute(_queue(session).new_head, params).scalar()
    return head == state.card_id


def _in_session(conn: Connection, user: User, card_id: int, plan: QueuePlan, session: Session) -> bool:
    params = _queue_params(user, plan, session) | {"card_id": card_id}
    return conn.execute(_IN_CUSTOM[session.kind], params).first() is not None


def _may_answer(conn: Connection, user: User, state: Any, plan: QueuePlan, session: Session) -> bool:
    if session.kind in _CUSTOM_WHERE:
        return _in_session(conn, user, state.card_id, plan, session)
    return _shown_today(conn, user, state, plan, session)


def today(
    user: User,
    now: datetime,
    card_id: int | None = None,
    enable_fuzz: bool = True,
    session: Session = Session(),
) -> StudyView:
    """The study view at `now`: the next card (or `card_id` if it is in the session) and the counts."""
    conn = _conn()
    plan, done, last_log_id = _plan(conn, user, now)
    return _view(conn, user, now, plan, done, last_log_id, card_id, enable_fuzz, session)


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
    session: Session = Session(),
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
        view = _view(conn, user, now, plan, done, last_log_id, enable_fuzz=enable_fuzz, session=session)
        db.session.rollback()
        return view
    if not _may_answer(conn, user, state, plan, session):
        db.session.rollback()
        raise Conflict("This card isn't due now, so it can't be answered. Your queue is below.")
    before = _scheduling(state)
    after = scheduler_for(user, enable_fuzz).review(before, card_id, rating, now)
    became_leech = after.lapses > before.lapses and is_leech_lapse(after.lapses)
    leech, suspended = (True, True) if became_leech else (state.leech, state.suspended)
    if not _write_state(conn, user.id, card_id, version, after, leech, suspended):
        # Another request answered it between our read and our write (no row lock on SQLite).
        view = _view(conn, user, now, plan, done, last_log_id, enable_fuzz=enable_fuzz, session=session)
        db.session.rollback()
        return view
    if user.preferences.get("bury_siblings", True):
        siblings = conn.execute(_SIBLINGS, {"b_card_id": card_id}).scalars().all()
        if siblings:
            conn.execute(
                _BURY_SIBLINGS, {"b_user_id": user.id, "b_siblings": siblings, "b_until": plan.day.end}
            )
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
            "study_day": date.fromisoformat(plan.day.local_date),
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
    notice = (
        f"That card has lapsed {after.lapses} times, so it is now a leech and suspended. "
        "You can reset or unsuspend it under Leeches."
        if became_leech
        else None
    )
    view = _view(conn, user, now, plan, done, log_id, enable_fuzz=enable_fuzz, session=session, notice=notice)
    db.session.commit()
    return view


_LOG_ROW = select(_logs).where(_logs.c.id == bindparam("log_id")).with_for_update()
_MARK_UNDONE = update(_logs).where(_logs.c.id == bindparam("b_log_id")).values(undone=True)


def undo(
    user: User, log_id: int, now: datetime, enable_fuzz: bool = True, session: Session = Session()
) -> StudyView:
    """Restore the state before answer `log_id`, if it is still the learner's latest answer today."""
    conn = _conn()
    plan, done, last_log_id = _plan(conn, user, now)
    if last_log_id is None:
        db.session.rollback()
        raise UserError("There's nothing to undo today.")
    if log_id != last_log_id:
        # Already undone (a repeated click) or not the latest answer: change nothing.
        view = _view(conn, user, now, plan, done, last_log_id, enable_fuzz=enable_fuzz, session=session)
        db.session.rollback()
        return view
    log = conn.execute(_LOG_ROW, {"log_id": log_id}).first()
    state = conn.execute(_STATE, {"user_id": user.id, "card_id": log.card_id}).first() if log else None
    if log is None or log.undone or state is None or state.reps != log.after["reps"]:
        db.session.rollback()
        raise Conflict("That answer can't be undone any more.")
    # An answer that made the card a leech is taken back with its tag and suspension.
    made_leech = log.after["lapses"] > log.before["lapses"] and is_leech_lapse(log.after["lapses"])
    # (A card that was a leech before, at its 12th, 16th... lapse, keeps its tag.)
    was_leech = state.leech and log.before["lapses"] >= LEECH_LAPSES
    leech, suspended = (was_leech, False) if made_leech else (state.leech, state.suspended)
    restored = SchedulingState.from_dict(log.before)
    if not _write_state(conn, user.id, log.card_id, state.version, restored, leech, suspended):
        db.session.rollback()
        raise Conflict("That answer can't be undone any more.")
    siblings = {"b_user_id": user.id, "b_card_id": log.card_id}
    other_answer = conn.execute(
        _ENTRY_ANSWERED_TODAY, siblings | {"b_log_id": log_id, "b_day_start": plan.day.start}
    ).first()
    if other_answer is None:
        sibling_ids = conn.execute(_SIBLINGS, {"b_card_id": log.card_id}).scalars().all()
        if sibling_ids:
            conn.execute(
                _UNBURY_SIBLINGS,
                {"b_user_id": user.id, "b_siblings": sibling_ids, "b_until": plan.day.end},
            )
    conn.execute(_MARK_UNDONE, {"b_log_id": log_id})
    # Today's tally without the undone answer, and the answer before it (undo can go on): one query.
    plan, done, previous = _plan(conn, user, now)
    view = _view(
        conn, user, now, plan, done, previous, card_id=log.card_id, enable_fuzz=enable_fuzz, session=session
    )
    db.session.commit()
    return view


# Card management: suspend and unsuspend, leeches. Not on the hot path, so through the ORM.


def _own_state(user: User, card_id: int) -> CardState:
    state = db.session.get(CardState, (user.id, card_id))
    if state is None:
        raise NotFound("This card isn't in your decks.")
    return state


def set_suspended(user: User, card_id: int, suspended: bool) -> CardState:
    """Suspend a card (out of every queue, progress kept) or bring it back. One transaction."""
    state = _own_state(user, card_id)
    state.suspended = suspended
    state.version += 1
    db.session.commit()
    return state


def reset_card(user: User, card_id: int, now: datetime) -> CardState:
    """Start a card over as new (for a leech): lapses cleared, tag removed, back in the queue. Its review
    log stays, as history."""
    state = _own_state(user, card_id)
    for name, value in SchedulingState().to_dict().items():
        setattr(state, name, value)
    state.leech = False
    state.suspended = False
    state.buried_until = None
    state.version += 1
    db.session.commit()
    return state


@dataclass(frozen=True)
class ManagedCard:
    card_id: int
    kind: str
    deck_id: int
    deck_slug: str
    deck_title: str
    entry_key: str
    headword: str
    pinyin: str
    meaning: str
    lapses: int
    leech: bool
    suspended: bool
    editable: bool  # the learner may edit its entry (their own deck, or any teacher deck for an admin)


def flagged_cards(user: User, which: str = "leeches") -> list[ManagedCard]:
    """The learner's leeches (tagged), or every suspended card, newest trouble first."""
    from learnapp.models import Deck
    from learnapp.teach.access import can_edit

    condition = CardState.leech if which == "leeches" else CardState.suspended
    rows = db.session.execute(
        select(CardState, Card.kind, Entry, Deck)
        .join(Card, Card.id == CardState.card_id)
        .join(Entry, Entry.id == Card.entry_id)
        .join(Deck, Deck.id == CardState.deck_id)
        .where(CardState.user_id == user.id, CardState.active, condition)
        .order_by(CardState.lapses.desc(), Entry.headword, CardState.card_id)
        .limit(500)
    ).all()
    return [
        ManagedCard(
            card_id=state.card_id,
            kind=kind,
            deck_id=deck.id,
            deck_slug=deck.slug,
            deck_title=deck.title,
            entry_key=entry.key,
            headword=entry.headword,
            pinyin=entry.pinyin,
            meaning=entry.meaning,
            lapses=state.lapses,
            leech=state.leech,
            suspended=state.suspended,
            editable=can_edit(user, deck),
        )
        for state, kind, entry, deck in rows
    ]


__all__ = [
    "LEECH_LAPSES",
    "Button",
    "ManagedCard",
    "Session",
    "StudyView",
    "answer",
    "flagged_cards",
    "is_leech_lapse",
    "parse_rating",
    "reset_card",
    "scheduler_for",
    "set_suspended",
    "today",
    "undo",
]
