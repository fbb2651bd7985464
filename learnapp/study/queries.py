"""The study loop's SQL: today's tally, the queue's counts and heads, the card shown, and the writes of an
answer. Each statement is built once in SQLAlchemy Core and run through `Prepared` (study/sql.py).

The queue is Anki's: learning cards due now, reviews due today, new cards, then learning cards within the
learn-ahead window. Two covering indexes serve it: (user, state, due, ...) for learning and reviews and
(user, state, new_position, ...) for new cards, so counts and heads are index scans that stop at their
limit. When more reviews are due than the day allows (a backlog), they come lowest retrievability first:
that order is decided once per learner-day (`RANK_BACKLOG` writes card_states.backlog_order) and kept in
the partial index (user, backlog_order), so no answer sorts the backlog.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Float,
    Integer,
    String,
    and_,
    bindparam,
    case,
    false,
    func,
    literal_column,
    null,
    or_,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement, Select
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from learnapp.models import Card, CardState, Entry, MyWord, ReviewLog, User, UTCDateTime
from learnapp.srs import LEARNING_STATES, Bucket, Rating, State
from learnapp.study.sql import Prepared

COUNT_CAP = 10_000  # no count on the page needs to be exact beyond this

CS = CardState.__table__
LOGS = ReviewLog.__table__
CARDS = Card.__table__
ENTRIES = Entry.__table__
USERS = User.__table__
MY_WORDS = MyWord.__table__

SCHEDULING = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses")
NOW = bindparam("now", type_=UTCDateTime())
DAY_END = bindparam("day_end", type_=UTCDateTime())
DAY_START = bindparam("day_start", type_=UTCDateTime())
CUTOFF = bindparam("cutoff", type_=UTCDateTime())
USER = bindparam("user_id", type_=Integer())

# ---- the queue predicate -------------------------------------------------------------------------------

# A card the learner may study now: a deck they study, not suspended, not buried past now.
STUDYABLE = and_(
    CS.c.user_id == USER,
    CS.c.active,
    ~CS.c.suspended,
    or_(CS.c.buried_until.is_(None), CS.c.buried_until <= NOW),
)


def constant(value: str | int) -> ColumnElement[Any]:
    """A constant written into the SQL itself, not bound: the planner then knows it even in the generic
    plan PostgreSQL keeps for a prepared statement (with `state = $1 OR state = $2` it cannot tell the rare
    learning states from the common ones and plans a scan of the whole table)."""
    if isinstance(value, int):
        return literal_column(str(value), Integer())
    if not value.isidentifier():  # enum values only: nothing here is ever quoted for the SQL
        raise ValueError(f"not a constant: {value!r}")
    return literal_column(f"'{value}'", String())


def state_is(*states: State) -> ColumnElement[bool]:
    """state = a OR state = b: constant comparisons, not an IN list (Prepared takes no expanding lists)."""
    return or_(*(CS.c.state == constant(state) for state in states))


_LEARNING = state_is(*LEARNING_STATES)
BUCKET_WHERE = {
    Bucket.LEARNING: and_(_LEARNING, CS.c.due <= NOW),
    Bucket.LEARN_AHEAD: and_(_LEARNING, CS.c.due <= CUTOFF),
    Bucket.REVIEW: and_(CS.c.state == constant(State.REVIEW), CS.c.due < DAY_END),
    Bucket.NEW: CS.c.state == constant(State.NEW),
}
# The SQL form of srs.queue.todays_bucket(): in today's queue at all (its bucket is the first that holds).
IN_TODAYS_QUEUE = and_(
    STUDYABLE,
    or_(
        BUCKET_WHERE[Bucket.LEARNING],
        BUCKET_WHERE[Bucket.LEARN_AHEAD],
        and_(BUCKET_WHERE[Bucket.REVIEW], bindparam("reviews_left", type_=Integer()) > 0),
        and_(BUCKET_WHERE[Bucket.NEW], bindparam("new_left", type_=Integer()) > 0),
    ),
)
_BUCKET_ORDER = {
    Bucket.LEARNING: (CS.c.due, CS.c.card_id),
    Bucket.LEARN_AHEAD: (CS.c.due, CS.c.card_id),
    Bucket.REVIEW: (CS.c.due, CS.c.card_id),
    Bucket.NEW: (CS.c.new_position, CS.c.card_id),
}


class _ElapsedDays(FunctionElement[float]):
    """Days from a timestamp column to `now`, given as days since the Unix epoch (bound `now_days`), so the
    database converts only the column, once a row, in its own date arithmetic."""

    type = Float()
    inherit_cache = True


@compiles(_ElapsedDays, "sqlite")
def _elapsed_days_sqlite(element: _ElapsedDays, compiler: SQLCompiler, **kw: Any) -> str:
    column, now_days = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"({now_days} - (julianday({column}) - 2440587.5))"


@compiles(_ElapsedDays)
def _elapsed_days_default(element: _ElapsedDays, compiler: SQLCompiler, **kw: Any) -> str:
    column, now_days = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"({now_days} - EXTRACT(EPOCH FROM {column}) / 86400.0)"


# FSRS's retrievability falls as elapsed/stability grows (for any decay), so ordering by -elapsed/stability
# ascending is ordering by retrievability, lowest first: the reviews most at risk come first.
_BACKLOG_KEY = -(_ElapsedDays(CS.c.last_review, bindparam("now_days", type_=Float())) / CS.c.stability)

# ---- the card as shown: its state, its kind and its entry, in one row ----------------------------------

# With the sentence the learner met the word in, when they kept it from the reader (My words): its card's
# back shows it beside our example (one primary-key lookup, (user, entry)).
FACE_COLUMNS = (
    CS,
    CARDS.c.kind,
    *(c.label(f"entry_{c.name}") for c in ENTRIES.c),
    MY_WORDS.c.sentence_zh.label("met_zh"),
    MY_WORDS.c.sentence_pinyin.label("met_pinyin"),
    MY_WORDS.c.sentence_en.label("met_en"),
)
FACE_FROM = (
    CS.join(CARDS, CARDS.c.id == CS.c.card_id)
    .join(ENTRIES, ENTRIES.c.id == CARDS.c.entry_id)
    .outerjoin(MY_WORDS, and_(MY_WORDS.c.user_id == CS.c.user_id, MY_WORDS.c.entry_id == CARDS.c.entry_id))
)
FACE = Prepared(
    select(*FACE_COLUMNS)
    .select_from(FACE_FROM)
    .where(CS.c.user_id == USER, CS.c.card_id == bindparam("card_id", type_=Integer())),
    "face",
)


def _capped_count(key: int, cap: str, *conditions: ColumnElement[bool]) -> Select[int, int]:
    # Selecting a constant keeps the inner scan inside the covering index (card_id is not in it).
    limited = (
        select(constant(1).label("one"))
        .where(STUDYABLE, *conditions)
        .limit(bindparam(cap, type_=Integer))
        .subquery()
    )
    return select(constant(key).label("k"), func.count().label("n")).select_from(limited)


# The Again answers today after a given one (undone answers left out): each brings its card back once more,
# so each grows the session's planned total by one. A further learning step after Hard or Good is not one.
_MISSED_WHERE = (
    LOGS.c.user_id == USER,
    LOGS.c.reviewed_at >= DAY_START,
    LOGS.c.undone == false(),
    LOGS.c.rating == constant(int(Rating.AGAIN)),
    LOGS.c.id > bindparam("since_log_id", type_=Integer()),
)
MISSED_KEY = 4  # its row in a queue's `counts_missed`


class Queue:
    """The statements of one queue, built once: the whole queue, or one deck's (`deck_id` bound)."""

    def __init__(self, name: str, *scope: ColumnElement[bool]) -> None:
        where = and_(STUDYABLE, *scope)
        # The four counts in one round trip: learning due now, learning due ahead, reviews due today
        # (one past the allowance, to tell a backlog), new.
        counts = (
            _capped_count(0, "cap", *scope, _LEARNING, CS.c.due <= NOW),
            _capped_count(1, "cap", *scope, _LEARNING, CS.c.due > NOW, CS.c.due <= CUTOFF),
            _capped_count(2, "reviews_cap", *scope, BUCKET_WHERE[Bucket.REVIEW]),
            _capped_count(3, "new_cap", *scope, BUCKET_WHERE[Bucket.NEW]),
        )
        self.counts = Prepared(union_all(*counts), f"{name}.counts")
        # The same, and the Again answers today after `since_log_id` (the progress bar's): after an answer.
        missed = select(constant(MISSED_KEY).label("k"), func.count().label("n")).where(*_MISSED_WHERE)
        self.counts_missed = Prepared(union_all(*counts, missed), f"{name}.counts_missed")
        self.heads = {
            bucket: Prepared(
                select(*FACE_COLUMNS)
                .select_from(FACE_FROM)
                .where(where, condition)
                .order_by(*_BUCKET_ORDER[bucket])
                .limit(1),
                f"{name}.head.{bucket.value}",
            )
            for bucket, condition in BUCKET_WHERE.items()
        }
        # The backlog in the day's order: the first ranked card, through the partial index on (user,
        # backlog_order). Only due reviews are ranked, and an answer unranks its card, so the state and due
        # time need no condition here (one would steer the planner to the (user, state, due) index and a
        # sort); the service checks the card it gets.
        self.backlog_head = Prepared(
            select(*FACE_COLUMNS)
            .select_from(FACE_FROM)
            .where(where, CS.c.backlog_order.is_not(None))
            .order_by(CS.c.backlog_order, CS.c.card_id)
            .limit(1),
            f"{name}.backlog_head",
        )
        self.new_head = Prepared(
            select(CS.c.card_id)
            .where(where, BUCKET_WHERE[Bucket.NEW])
            .order_by(*_BUCKET_ORDER[Bucket.NEW])
            .limit(1),
            f"{name}.new_head",
        )
        self.next_due = Prepared(
            select(func.min(CS.c.due)).where(where, CS.c.state != constant(State.NEW)), f"{name}.next_due"
        )
        # Siblings buried until the learner's next day come back then.
        self.unburied_at = Prepared(
            select(func.min(CS.c.buried_until)).where(
                CS.c.user_id == USER, CS.c.active, ~CS.c.suspended, CS.c.buried_until > NOW, *scope
            ),
            f"{name}.unburied_at",
        )


QUEUE = Queue("queue")
DECK_QUEUE = Queue("deck", CS.c.deck_id == bindparam("deck_id", type_=Integer()))

# ---- the backlog's order, decided once per learner-day -------------------------------------------------

CLEAR_BACKLOG = Prepared(
    update(CS).where(CS.c.user_id == USER, CS.c.backlog_order.is_not(None)).values(backlog_order=null()),
    "clear_backlog",
)
RANK_BACKLOG = Prepared(
    update(CS)
    .where(
        CS.c.user_id == USER,
        CS.c.state == constant(State.REVIEW),
        CS.c.due < DAY_END,
        CS.c.active,
        CS.c.stability > 0,
    )
    .values(backlog_order=_BACKLOG_KEY),
    "rank_backlog",
)
MARK_RANKED = Prepared(
    update(USERS).where(USERS.c.id == USER).values(backlog_ranked_for=DAY_START), "mark_ranked"
)
FORGET_RANKING = Prepared(
    update(USERS).where(USERS.c.id == USER).values(backlog_ranked_for=null()), "forget_ranking"
)

# The day's reviews for a whole-day read (the offline pack, a reminder's teaser; `limit()` added by the
# caller): by due time, or in the backlog's order once one is ranked.
DUE_REVIEWS = (
    select(*FACE_COLUMNS)
    .select_from(FACE_FROM)
    .where(STUDYABLE, BUCKET_WHERE[Bucket.REVIEW])
    .order_by(*_BUCKET_ORDER[Bucket.REVIEW])
)
RANKED_REVIEWS = (
    select(*FACE_COLUMNS)
    .select_from(FACE_FROM)
    .where(STUDYABLE, BUCKET_WHERE[Bucket.REVIEW], CS.c.backlog_order.is_not(None))
    .order_by(CS.c.backlog_order, CS.c.card_id)
)

# ---- today's tally -------------------------------------------------------------------------------------

# Answers today (new cards, reviews, all, the newest one) from the (user, reviewed_at, undone, state_before,
# id) index alone, with the learner's backlog ranking day and whether decks wait to be made: one round trip.
TALLY = (
    select(
        func.sum(case((LOGS.c.state_before == constant(State.NEW), 1), else_=0)).label("new"),
        func.sum(case((LOGS.c.state_before == constant(State.REVIEW), 1), else_=0)).label("reviews"),
        func.count().label("total"),
        func.max(LOGS.c.id).label("last_log_id"),
    )
    .where(LOGS.c.user_id == USER, LOGS.c.reviewed_at >= DAY_START, LOGS.c.undone == false())
    .subquery("tally")
)
# What `view.read_today` reads: from USERS joined to TALLY (on true).
PLAN_COLUMNS = (
    USERS.c.backlog_ranked_for,
    USERS.c.decks_pending,
    TALLY.c.new,
    TALLY.c.reviews,
    TALLY.c.total,
    TALLY.c.last_log_id,
)
PLAN = Prepared(
    select(*PLAN_COLUMNS).select_from(USERS.join(TALLY, true())).where(USERS.c.id == USER),
    "plan",
)

# The Again answers today after a given one, alone (see _MISSED_WHERE).
MISSED = Prepared(select(func.count()).where(*_MISSED_WHERE), "missed")

# ---- what comes next ---------------------------------------------------------------------------------------

# Cards (not new) due by the end of the learner's next day: tomorrow's load.
DUE_BY = Prepared(
    select(func.count()).select_from(
        select(constant(1))
        .where(
            STUDYABLE,
            CS.c.state != constant(State.NEW),
            CS.c.due < bindparam("tomorrow_end", type_=UTCDateTime()),
        )
        .limit(COUNT_CAP)
        .subquery()
    ),
    "due_by",
)
# New cards left to introduce (up to the most a "more" session could take).
NEW_WAITING = Prepared(
    select(func.count()).select_from(
        select(constant(1)).where(STUDYABLE, BUCKET_WHERE[Bucket.NEW]).limit(1000).subquery()
    ),
    "new_waiting",
)
