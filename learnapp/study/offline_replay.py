"""The replay of the answers a device gave offline (`replay()`): applied in the order they were given, each
in its own transaction through the study service with its own time as `now`, so the learner's day, the
daily limits, the queue predicate and FSRS all see the moment of the answer. Every answer gets a
`Result` (see `learnapp.study.offline`): applied, already sent, kept but not applied (changed elsewhere,
not due), or refused with nothing written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import insert, select

from learnapp.database import transaction
from learnapp.errors import Conflict, NotFound
from learnapp.extensions import db
from learnapp.models import ReviewLog, User
from learnapp.srs import Rating
from learnapp.srs.policy import answer_duration_ms
from learnapp.study import service
from learnapp.study import writes as w
from learnapp.study.sessions import QUEUE
from learnapp.study.sql import begin_write
from learnapp.study.view import (
    scheduling_of,
)

MAX_BATCH = 200  # answers one sync may carry
CLOCK_SKEW = timedelta(minutes=5)  # how far in the future a device's clock may run
MAX_AGE = timedelta(days=7)  # answers older than this are refused
LOGS = ReviewLog.__table__


class Result(StrEnum):
    APPLIED = "applied"
    ALREADY_SENT = "already_sent"
    CHANGED_ELSEWHERE = "changed_elsewhere"
    NOT_DUE = "not_due"
    NOT_YOURS = "not_yours"
    BAD_TIME = "bad_time"
    OUT_OF_ORDER = "out_of_order"
    INVALID = "invalid"


KEPT_NOT_APPLIED = (Result.CHANGED_ELSEWHERE, Result.NOT_DUE)


@dataclass(frozen=True, slots=True)
class OfflineAnswer:
    """One answer a device kept: which card, the state version it was shown, the grade, when (the device's
    clock), and when the card was shown (for the answer's duration). `id` is the device's own name for it."""

    id: str
    card_id: int
    version: int
    rating: Rating
    answered_at: datetime
    shown_at_ms: int | None = None


@dataclass(frozen=True, slots=True)
class Replayed:
    id: str
    card_id: int | None
    result: Result
    message: str
    log_id: int | None = None


def _int(value: Any, low: int, high: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return None
    return value


MAX_ID = 2**31 - 1
MAX_MS = 253_402_300_799_000  # the end of the year 9999


def parse_answer(item: Any) -> OfflineAnswer | Replayed:
    """An answer from a sync's JSON, or a `Replayed` saying what is wrong with it."""
    if not isinstance(item, dict):
        return Replayed("", None, Result.INVALID, "This answer could not be read.")
    raw_id = item.get("id")
    answer_id = raw_id if isinstance(raw_id, str) and 0 < len(raw_id) <= 64 else ""
    card_id = _int(item.get("card_id"), 1, MAX_ID)
    version = _int(item.get("version"), 0, MAX_ID)
    rating = _int(item.get("rating"), 1, 4)
    answered_ms = _int(item.get("answered_at"), 0, MAX_MS)
    shown_raw = item.get("shown_at")
    shown_ms = _int(shown_raw, 0, MAX_MS)
    if not answer_id or card_id is None or version is None or rating is None or answered_ms is None:
        return Replayed(
            answer_id, card_id, Result.INVALID, "This answer was missing its card, grade or time."
        )
    if shown_raw is not None and shown_ms is None:
        return Replayed(answer_id, card_id, Result.INVALID, "This answer's time shown could not be read.")
    return OfflineAnswer(
        id=answer_id,
        card_id=card_id,
        version=version,
        rating=Rating(rating),
        answered_at=datetime.fromtimestamp(answered_ms / 1000, UTC),
        shown_at_ms=shown_ms,
    )


MESSAGES = {
    Result.APPLIED: "Sent.",
    Result.ALREADY_SENT: "Already sent before: counted once.",
    Result.CHANGED_ELSEWHERE: "This card had changed on another device, so your answer was not applied. "
    "It is kept in your history.",
    Result.NOT_DUE: "This card was no longer in your queue at that time (a daily limit, a deck you left, "
    "or a suspended card), so your answer was not applied. It is kept in your history.",
    Result.NOT_YOURS: "This card isn't in your decks, so nothing was changed.",
    Result.OUT_OF_ORDER: "This answer is older than the card's last review, so nothing was changed.",
}


def _already_sent(user: User, answer: OfflineAnswer) -> int | None:
    return db.session.scalar(
        select(LOGS.c.id)
        .where(
            LOGS.c.user_id == user.id,
            LOGS.c.reviewed_at == answer.answered_at,
            LOGS.c.card_id == answer.card_id,
        )
        .limit(1)
    )


def _keep_not_applied(user: User, answer: OfflineAnswer, state: Any, reason: Result) -> int:
    """The learner's answer in the log, changing nothing: undone, with why it was not applied; before and
    after are the card's state as it stands."""
    current = scheduling_of(state).to_dict()
    last = state.last_review
    return int(
        db.session.execute(
            insert(LOGS)
            .values(
                user_id=user.id,
                card_id=answer.card_id,
                rating=int(answer.rating),
                reviewed_at=answer.answered_at,
                study_day=date.fromisoformat(user.study_day(answer.answered_at).local_date),
                duration_ms=answer_duration_ms(
                    answer.shown_at_ms, int(answer.answered_at.timestamp() * 1000)
                ),
                state_before=state.state,
                state_after=state.state,
                elapsed_days=(answer.answered_at - last).total_seconds() / 86400
                if last and last < answer.answered_at
                else None,
                before=current,
                after=current,
                undone=True,
                not_applied=str(reason),
            )
            .returning(LOGS.c.id)
        ).scalar_one()
    )


def _replay_one(user: User, answer: OfflineAnswer, now: datetime, enable_fuzz: bool) -> Replayed:
    def done(result: Result, message: str | None = None, log_id: int | None = None) -> Replayed:
        return Replayed(answer.id, answer.card_id, result, message or MESSAGES[result], log_id)

    if answer.answered_at > now + CLOCK_SKEW:
        return done(Result.BAD_TIME, "This answer's time is in the future: check this device's clock.")
    if answer.answered_at < now - MAX_AGE:
        return done(
            Result.BAD_TIME, f"This answer is more than {MAX_AGE.days} days old, so nothing was changed."
        )
    with transaction():
        # The write lock first (SQLite), the card's row locked (PostgreSQL): nothing changes between these
        # checks and the answer, which joins this transaction.
        conn = begin_write()
        state = w.STATE.first({"user_id": user.id, "card_id": answer.card_id}, conn)
        if state is None:
            return done(Result.NOT_YOURS)
        if (log_id := _already_sent(user, answer)) is not None:
            return done(Result.ALREADY_SENT, log_id=log_id)
        if state.version != answer.version:
            return done(
                Result.CHANGED_ELSEWHERE,
                log_id=_keep_not_applied(user, answer, state, Result.CHANGED_ELSEWHERE),
            )
        if state.last_review is not None and answer.answered_at <= state.last_review:
            return done(Result.OUT_OF_ORDER)
        try:
            view = service.answer(
                user,
                answer.card_id,
                answer.rating,
                answer.version,
                answer.answered_at,
                shown_at_ms=answer.shown_at_ms,
                enable_fuzz=enable_fuzz,
                session=QUEUE,
            )
        except Conflict:
            return done(Result.NOT_DUE, log_id=_keep_not_applied(user, answer, state, Result.NOT_DUE))
        except NotFound:
            return done(Result.NOT_YOURS)
        return done(Result.APPLIED, view.notice, view.undo_log_id)


def replay(
    user: User, answers: Sequence[OfflineAnswer], now: datetime, enable_fuzz: bool = True
) -> list[Replayed]:
    """Apply a device's answers in the order they were given (the device's times, then the order sent),
    each in its own transaction; what became of each, in that order."""
    ordered = sorted(enumerate(answers), key=lambda pair: (pair[1].answered_at, pair[0]))
    return [_replay_one(user, answer, now, enable_fuzz) for _, answer in ordered]


def summary(results: Sequence[Replayed]) -> str:
    """One line for the learner: "3 answers sent. 1 card had changed on another device." """
    counts: dict[Result, int] = {}
    for item in results:
        counts[item.result] = counts.get(item.result, 0) + 1

    def n(count: int, one: str, many: str) -> str:
        return f"{count} {one if count == 1 else many}"

    applied = counts.get(Result.APPLIED, 0)
    parts = [f"{n(applied, 'answer', 'answers')} sent."]
    if counts.get(Result.ALREADY_SENT):
        parts.append(f"{n(counts[Result.ALREADY_SENT], 'answer was', 'answers were')} already sent before.")
    if counts.get(Result.CHANGED_ELSEWHERE):
        parts.append(f"{n(counts[Result.CHANGED_ELSEWHERE], 'card', 'cards')} had changed on another device.")
    if counts.get(Result.NOT_DUE):
        parts.append(f"{n(counts[Result.NOT_DUE], 'card was', 'cards were')} no longer in your queue.")
    refused = sum(
        counts.get(r, 0) for r in (Result.NOT_YOURS, Result.BAD_TIME, Result.OUT_OF_ORDER, Result.INVALID)
    )
    if refused:
        parts.append(f"{n(refused, 'answer', 'answers')} could not be used.")
    return " ".join(parts)
