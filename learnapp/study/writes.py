"""The statements of an answer and of its undo: the card's state read and locked, the new state written
only over the version the learner saw (a repeated submit changes nothing), the siblings buried (or
unburied by an undo), the review-log row appended (or marked undone). Run by study/service.py."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Integer,
    and_,
    bindparam,
    case,
    cast,
    exists,
    func,
    insert,
    literal_column,
    null,
    select,
    true,
    update,
)

from learnapp.models import UTCDateTime
from learnapp.srs.policy import BURIED_STATES
from learnapp.study.queries import (
    CARDS,
    CS,
    DAY_START,
    LOGS,
    PLAN_COLUMNS,
    SCHEDULING,
    TALLY,
    USER,
    USERS,
    state_is,
)
from learnapp.study.sql import Prepared

# ---- an answer's writes --------------------------------------------------------------------------------

# The state to answer, with its entry (for the siblings), locked on PostgreSQL until the answer commits.
_STATE = (
    select(CS, CARDS.c.entry_id)
    .select_from(CS.join(CARDS, CARDS.c.id == CS.c.card_id))
    .where(CS.c.user_id == USER, CS.c.card_id == bindparam("card_id", type_=Integer()))
    .with_for_update(of=CS)
)
STATE = Prepared(_STATE, "state")
# The same, and today's tally (queries.PLAN's columns, for `view.read_today`): an answer's reads in one
# round trip. No row if the card isn't the learner's.
STATE_AND_PLAN = Prepared(
    _STATE.add_columns(*PLAN_COLUMNS).join(USERS, USERS.c.id == CS.c.user_id).join(TALLY, true()),
    "state_and_plan",
)
# Applied only if the state is still the version the learner saw: a repeated submit changes nothing. An
# answered card leaves the day's backlog order.
_WRITE_STATE = (
    update(CS)
    .where(
        CS.c.user_id == bindparam("b_user_id", type_=Integer()),
        CS.c.card_id == bindparam("b_card_id", type_=Integer()),
        CS.c.version == bindparam("seen_version", type_=Integer()),
    )
    .values(
        {name: bindparam(f"new_{name}", type_=CS.c[name].type) for name in SCHEDULING}
        | {
            "leech": bindparam("new_leech", type_=Boolean()),
            "suspended": bindparam("new_suspended", type_=Boolean()),
            "version": CS.c.version + 1,
            "backlog_order": null(),
        }
    )
)
WRITE_STATE = Prepared(_WRITE_STATE, "write_state")
# The other cards of the answered card's entry: a few rows through the cards' (entry_id, kind) index, each
# then found by its state's primary key (user, card).
_SIBLINGS = and_(
    CS.c.user_id == bindparam("b_user_id", type_=Integer()),
    CS.c.card_id.in_(
        select(CARDS.c.id).where(
            CARDS.c.entry_id == bindparam("entry_id", type_=Integer()),
            CARDS.c.id != bindparam("b_card_id", type_=Integer()),
        )
    ),
)
# A sibling that is new or in review waits until the learner's next day: one statement for them all. (The
# state is tested in the SET, not the WHERE: there SQLite would rather walk the learner's (user, state)
# index over every new and review card than look the two or three siblings up by primary key.)
_BURIED_UNTIL = case(
    (state_is(*BURIED_STATES), bindparam("b_until", type_=UTCDateTime())), else_=CS.c.buried_until
)
BURY = Prepared(update(CS).where(_SIBLINGS).values(buried_until=_BURIED_UNTIL), "bury")
# Undo: a sibling's burial still in force ends (its until is the end of the learner's day when the answer
# was given, which a change of timezone or rollover hour since then has moved from today's end).
UNBURY = Prepared(
    update(CS)
    .where(_SIBLINGS, CS.c.buried_until > bindparam("b_now", type_=UTCDateTime()))
    .values(buried_until=null()),
    "unbury",
)
_LOGGED = (
    "user_id",
    "card_id",
    "rating",
    "reviewed_at",
    "study_day",
    "duration_ms",
    "state_before",
    "state_after",
    "elapsed_days",
    "before",
    "after",
    "undone",
)
LOG = Prepared(
    insert(LOGS)
    .values({name: bindparam(name, type_=LOGS.c[name].type) for name in _LOGGED})
    .returning(LOGS.c.id),
    "log",
)


# An answer's transaction commits without waiting for its WAL to reach the disk (PostgreSQL's
# synchronous_commit off, for this transaction only: set_config(..., true) is SET LOCAL). A crash of the
# database server's machine can lose the last fraction of a second of answers (never corrupt anything):
# the promise SQLite's WAL makes at synchronous=NORMAL, the embedded default. Everything else (sign-ups,
# settings, decks, an undo) keeps waiting for the flush. Evaluated on the written row, in the same round trip.
_ASYNC_COMMIT = func.set_config(
    literal_column("'synchronous_commit'"), literal_column("'off'"), true()
).is_not(None)


def _answer_writes() -> Prepared:
    """PostgreSQL: WRITE_STATE, BURY (when `do_bury`) and LOG in one statement, one round trip instead of
    three. Data-modifying CTEs: the siblings are buried and the log row written only if the state was
    (the version the learner saw); the log id comes back, or no row when a repeated submit changed nothing.
    The transaction then commits asynchronously (`_ASYNC_COMMIT`).
    (SQLite has no writes in a WITH: it runs the three, in the same order and on the same conditions.)"""
    written = _WRITE_STATE.returning(CS.c.card_id).cte("written")
    buried = (
        update(CS)
        .where(_SIBLINGS, bindparam("do_bury", type_=Boolean()), exists(select(written.c.card_id)))
        .values(buried_until=_BURIED_UNTIL)
        .returning(CS.c.card_id)
        .cte("buried")
    )
    # Each value cast to its column's type: an untyped NULL (a first answer's elapsed days) would be text.
    row = (
        select(*(cast(bindparam(name, type_=LOGS.c[name].type), LOGS.c[name].type) for name in _LOGGED))
        .select_from(written)
        .where(_ASYNC_COMMIT)
    )
    return Prepared(
        insert(LOGS).from_select(_LOGGED, row).returning(LOGS.c.id).add_cte(written, buried), "answer_writes"
    )


ANSWER_WRITES = _answer_writes()

# ---- undo ----------------------------------------------------------------------------------------------

LOG_ROW = Prepared(
    select(LOGS).where(LOGS.c.id == bindparam("log_id", type_=Integer())).with_for_update(), "log_row"
)
MARK_UNDONE = Prepared(
    update(LOGS).where(LOGS.c.id == bindparam("log_id", type_=Integer())).values(undone=True), "mark_undone"
)
# Another answer today to a card of the same entry (not `log_id`): its burial of the siblings stands.
ENTRY_ANSWERED_TODAY = Prepared(
    select(LOGS.c.id)
    .where(
        LOGS.c.user_id == USER,
        LOGS.c.reviewed_at >= DAY_START,
        ~LOGS.c.undone,
        LOGS.c.id != bindparam("log_id", type_=Integer()),
        LOGS.c.card_id.in_(
            select(CARDS.c.id).where(CARDS.c.entry_id == bindparam("entry_id", type_=Integer()))
        ),
    )
    .limit(1),
    "entry_answered_today",
)
ENTRY_OF = Prepared(
    select(CARDS.c.entry_id).where(CARDS.c.id == bindparam("card_id", type_=Integer())), "entry_of"
)
