"""The study loop's transactions: today's view, answer, undo.

`answer()` is one write transaction (the card's state locked, FSRS applied, the state and a review-log row
written, its siblings buried) and one read of the next view. On SQLite that read comes after the commit, so
the database's write lock is not held while the next card is found; on PostgreSQL, which locks only the
answered card's row, it comes before the commit, in the same transaction, so it costs no second transaction
(its connection ping, BEGIN and COMMIT: each a round trip). Its reads are one statement (the state with
today's tally), and on PostgreSQL its three writes are one too. It commits the DBAPI connection directly
(`sql.write_transaction`): the session keeps its transaction and connection for the next view. A form
carries the card-state version it was shown: a repeated submit (double click, retried request, a second
tab) applies nothing and just shows the next card. `undo(log_id)` restores the logged before-state of the
newest answer of today.

What a session draws from is a `StudySession` (study/sessions.py); the view read after the writes is
study/view.py; the SQL is in study/queries.py (the queue), writes.py (an answer's and an undo's statements)
and custom.py (custom sessions); the rules (leeches, burying, answer times, the queue predicate) in srs/.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from learnapp.errors import Conflict, NotFound, UserError
from learnapp.models import User
from learnapp.srs import DoneToday, QueuePlan, Rating, SchedulingState, State
from learnapp.srs.policy import LEECH_LAPSES, answer_duration_ms, became_leech
from learnapp.study import queries as q
from learnapp.study import writes as w
from learnapp.study.sessions import MAX_AHEAD_DAYS, QUEUE, StudySession
from learnapp.study.sql import Conn, connect, write_transaction
from learnapp.study.view import (
    Button,
    Outlook,
    StudyView,
    Today,
    build_view,
    in_session,
    missed_since,
    outlook,
    read_today,
    scheduler_for,
    scheduling_of,
    session_params,
    shown_today,
    today_of,
)

__all__ = [
    "LEECH_LAPSES",
    "MAX_AHEAD_DAYS",
    "Button",
    "Outlook",
    "StudyView",
    "answer",
    "missed_since",
    "outlook",
    "parse_rating",
    "scheduler_for",
    "today",
    "undo",
]


def parse_rating(value: str | None) -> Rating:
    try:
        return Rating(int(value or ""))
    except ValueError:
        raise UserError("Choose Again, Hard, Good or Easy.", field="rating") from None


def today(
    user: User,
    now: datetime,
    card_id: int | None = None,
    enable_fuzz: bool = True,
    session: StudySession = QUEUE,
    missed_after: int | None = None,
) -> StudyView:
    """The study view at `now`: the next card (or `card_id` if it is in the session) and the counts (with
    the Again answers after log `missed_after`, when given: see `build_view`)."""
    return build_view(
        user,
        read_today(user, now, connect(), session),
        card_id=card_id,
        enable_fuzz=enable_fuzz,
        session=session,
        missed_after=missed_after,
    )


# ---- answer --------------------------------------------------------------------------------------------


def _may_answer(
    state: Any, plan: QueuePlan, session: StudySession, params: dict[str, Any], conn: Conn
) -> bool:
    if session.outside_queue:
        return in_session(params, state.card_id, session, conn)
    return shown_today(state, plan, session, params, conn)


def _write_answer(
    user: User,
    state: Any,
    rating: Rating,
    now: datetime,
    today: Today,
    shown_at_ms: int | None,
    fuzz: bool,
    conn: Conn,
) -> tuple[int, SchedulingState, bool]:
    """Apply FSRS and write the state, the siblings' burial and the log row; (log id, new state, leech?).
    Returns log id 0 when another request wrote the state between our read and our write."""
    before = scheduling_of(state)
    after = scheduler_for(user, fuzz).review(before, state.card_id, rating, now)
    leech_now = became_leech(before.lapses, after.lapses)
    written = {f"new_{name}": getattr(after, name) for name in q.SCHEDULING} | {
        "b_user_id": user.id,
        "b_card_id": state.card_id,
        "seen_version": state.version,
        "new_leech": True if leech_now else state.leech,
        "new_suspended": True if leech_now else state.suspended,
    }
    bury = (user.preferences or {}).get("bury_siblings", True)
    buried = {"entry_id": state.entry_id, "b_until": today.plan.day.end}
    logged = {
        "user_id": user.id,
        "card_id": state.card_id,
        "rating": int(rating),
        "reviewed_at": now,
        "study_day": date.fromisoformat(today.plan.day.local_date),
        "duration_ms": answer_duration_ms(shown_at_ms, int(now.timestamp() * 1000)),
        "state_before": str(before.state),
        "state_after": str(after.state),
        "elapsed_days": (now - before.last_review).total_seconds() / 86400 if before.last_review else None,
        "before": before.to_dict(),
        "after": after.to_dict(),
        "undone": False,
    }
    if conn.dialect.name == "postgresql":  # the three writes in one round trip
        log_id = w.ANSWER_WRITES.returning(written | buried | logged | {"do_bury": bury}, conn)
    elif w.WRITE_STATE.run(written, conn) != 1:
        log_id = None
    else:
        if bury:
            w.BURY.run({"b_user_id": user.id, "b_card_id": state.card_id} | buried, conn)
        log_id = w.LOG.returning(logged, conn)
    if log_id is None:
        return 0, after, False
    return int(log_id), after, leech_now


def answer(
    user: User,
    card_id: int,
    rating: Rating,
    version: int,
    now: datetime,
    shown_at_ms: int | None = None,
    enable_fuzz: bool = True,
    session: StudySession = QUEUE,
    missed_after: int | None = None,
) -> StudyView:
    """Answer a card and return the next view (with the Again answers after log `missed_after`, when
    given: see `build_view`). One write transaction and one read of the next view (after the commit on
    SQLite, before it on PostgreSQL); a repeated submit applies nothing and shows what is next."""
    with write_transaction() as conn:
        day = user.study_day(now)
        state = w.STATE_AND_PLAN.first({"user_id": user.id, "card_id": card_id, "day_start": day.start}, conn)
        if state is None:
            raise NotFound("This card isn't in your decks.")
        today_ = today_of(user, now, day, state, session)
        log_id = 0
        leech_now = False
        if state.version == version:  # else: already answered (double click, retry, another tab)
            if not _may_answer(state, today_.plan, session, session_params(user, today_.plan, session), conn):
                raise Conflict("This card isn't due now, so it can't be answered. Your queue is below.")
            log_id, after, leech_now = _write_answer(
                user, state, rating, now, today_, shown_at_ms, enable_fuzz, conn
            )
        if log_id and conn.dialect.name != "sqlite":
            return _after_answer(
                user, state, after, leech_now, log_id, now, today_, enable_fuzz, session, missed_after
            )
    if not log_id:
        return build_view(
            user,
            read_today(user, now, connect(), session),
            enable_fuzz=enable_fuzz,
            session=session,
            missed_after=missed_after,
        )
    return _after_answer(
        user, state, after, leech_now, log_id, now, today_, enable_fuzz, session, missed_after
    )


def _after_answer(
    user: User,
    state: Any,
    after: SchedulingState,
    leech_now: bool,
    log_id: int,
    now: datetime,
    today_: Today,
    enable_fuzz: bool,
    session: StudySession,
    missed_after: int | None,
) -> StudyView:
    """The view after answer `log_id`: today's tally moved by this one answer (no need to count the log
    again), and the leech notice if it made the card one."""
    done = DoneToday(
        new=today_.done.new + (state.state == State.NEW),
        reviews=today_.done.reviews + (state.state == State.REVIEW),
        total=today_.done.total + 1,
    )
    plan = QueuePlan.build(
        now, today_.plan.day, user.new_per_day + session.extra_new, user.reviews_per_day, done
    )
    notice = (
        f"That card has lapsed {after.lapses} times, so it is now a leech and suspended. "
        "You can reset or unsuspend it under Leeches."
        if leech_now
        else None
    )
    after_answer = Today(plan, done, log_id, today_.ranked_for)
    return build_view(
        user, after_answer, enable_fuzz=enable_fuzz, session=session, notice=notice, missed_after=missed_after
    )


# ---- undo ----------------------------------------------------------------------------------------------


def _restore(user: User, log: Any, state: Any, today: Today, conn: Conn) -> None:
    """Put the card back as it was before answer `log`, with its siblings and the day's order."""
    # An answer that made the card a leech is taken back with its tag and suspension (a card that was a
    # leech before, at its 12th, 16th... lapse, keeps its tag).
    made_leech = became_leech(log.before["lapses"], log.after["lapses"])
    was_leech = state.leech and log.before["lapses"] >= LEECH_LAPSES
    leech, suspended = (was_leech, False) if made_leech else (state.leech, state.suspended)
    restored = SchedulingState.from_dict(log.before)
    written = w.WRITE_STATE.run(
        {f"new_{name}": getattr(restored, name) for name in q.SCHEDULING}
        | {
            "b_user_id": user.id,
            "b_card_id": log.card_id,
            "seen_version": state.version,
            "new_leech": leech,
            "new_suspended": suspended,
        },
        conn,
    )
    if written != 1:
        raise Conflict("That answer can't be undone any more.")
    other_answer = w.ENTRY_ANSWERED_TODAY.first(
        {"user_id": user.id, "log_id": log.id, "day_start": today.plan.day.start, "entry_id": state.entry_id},
        conn,
    )
    if other_answer is None:
        w.UNBURY.run(
            {
                "b_user_id": user.id,
                "entry_id": state.entry_id,
                "b_card_id": log.card_id,
                "b_now": today.plan.now,
            },
            conn,
        )
    w.MARK_UNDONE.run({"log_id": log.id}, conn)
    q.FORGET_RANKING.run({"user_id": user.id}, conn)  # the card is due again: the day's order is decided anew


def undo(
    user: User, log_id: int, now: datetime, enable_fuzz: bool = True, session: StudySession = QUEUE
) -> StudyView:
    """Restore the state before answer `log_id`, if it is still the learner's latest answer today."""
    with write_transaction() as conn:
        today_ = read_today(user, now, conn, session)
        if today_.last_log_id is None:
            raise UserError("There's nothing to undo today.")
        undone = log_id == today_.last_log_id
        if undone:
            log = w.LOG_ROW.first({"log_id": log_id}, conn)
            state = w.STATE.first({"user_id": user.id, "card_id": log.card_id}, conn) if log else None
            if log is None or log.undone or state is None or state.reps != log.after["reps"]:
                raise Conflict("That answer can't be undone any more.")
            _restore(user, log, state, today_, conn)
    if not undone:  # already undone (a repeated click) or not the latest answer: change nothing
        return build_view(user, today_, enable_fuzz=enable_fuzz, session=session)
    # Today's tally without the undone answer, and the answer before it (undo can go on).
    return build_view(
        user,
        read_today(user, now, connect(), session),
        card_id=log.card_id,
        enable_fuzz=enable_fuzz,
        session=session,
    )
