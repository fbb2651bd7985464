"""The study loop's queries and transactions.

`answer()` and `undo()` are each one transaction: lock the learner's card state, apply FSRS (or restore the
logged before-state), write the state and the log row, build the next view, commit. A form carries the
card-state version it was shown, so a repeated submit (double click, retried request, a second tab)
applies nothing and just shows the next card.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select

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


@dataclass(frozen=True)
class Button:
    rating: int
    label: str
    interval: str


@dataclass(frozen=True)
class StudyView:
    """Everything the study page shows, computed in one place for the page and the htmx fragment."""

    day: Day
    counts: QueueCounts
    done_today: int
    card: Card | None
    entry: Entry | None
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


def _to_scheduling(state: CardState) -> SchedulingState:
    return SchedulingState(
        state=state.state,
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=state.due,
        last_review=state.last_review,
        reps=state.reps,
        lapses=state.lapses,
    )


def _apply(row: CardState, new: SchedulingState) -> None:
    row.state = new.state
    row.step = new.step
    row.stability = new.stability
    row.difficulty = new.difficulty
    row.due = new.due
    row.last_review = new.last_review
    row.reps = new.reps
    row.lapses = new.lapses
    row.version += 1


def _studyable(user_id: int):
    return (CardState.user_id == user_id, CardState.active, ~CardState.suspended)


def _done_today(user: User, day: Day) -> tuple[DoneToday, int | None]:
    """Answers so far today (for the limits and the progress bar) and the newest one (for undo)."""
    row = db.session.execute(
        select(
            func.sum(case((ReviewLog.state_before == "new", 1), else_=0)),
            func.sum(case((ReviewLog.state_before == "review", 1), else_=0)),
            func.count(),
            func.max(ReviewLog.id),
        ).where(ReviewLog.user_id == user.id, ReviewLog.reviewed_at >= day.start, ~ReviewLog.undone)
    ).one()
    return DoneToday(new=int(row[0] or 0), reviews=int(row[1] or 0), total=int(row[2])), row[3]


def _plan(user: User, now: datetime) -> tuple[QueuePlan, DoneToday, int | None]:
    day = learner_day(now, user.timezone, user.day_rollover_hour)
    done, last_log_id = _done_today(user, day)
    return QueuePlan.build(now, day, user.new_per_day, user.reviews_per_day, done), done, last_log_id


def _count(user: User, cap: int, *conditions) -> int:
    """How many studyable cards match, counting no further than `cap` (the learner's allowance)."""
    if cap <= 0:
        return 0
    limited = select(CardState.card_id).where(*_studyable(user.id), *conditions).limit(cap)
    return int(db.session.scalar(select(func.count()).select_from(limited.subquery())) or 0)


def _counts(user: User, plan: QueuePlan) -> QueueCounts:
    learning = CardState.state.in_(LEARNING_STATES)
    return QueueCounts(
        learning_due=_count(user, COUNT_CAP, learning, CardState.due <= plan.now),
        learning_ahead=_count(
            user, COUNT_CAP, learning, CardState.due > plan.now, CardState.due <= plan.learn_ahead_cutoff
        ),
        reviews_due=_count(
            user, plan.reviews_left, CardState.state == "review", CardState.due < plan.day.end
        ),
        new_available=_count(user, plan.new_left, CardState.state == "new"),
    ).clipped(plan)


def _bucket_query(user: User, plan: QueuePlan, bucket: Bucket):
    query = select(CardState.card_id).where(*_studyable(user.id)).limit(1)
    if bucket is Bucket.LEARNING:
        return query.where(CardState.state.in_(LEARNING_STATES), CardState.due <= plan.now).order_by(
            CardState.due
        )
    if bucket is Bucket.LEARN_AHEAD:
        return query.where(
            CardState.state.in_(LEARNING_STATES), CardState.due <= plan.learn_ahead_cutoff
        ).order_by(CardState.due)
    if bucket is Bucket.REVIEW:
        return query.where(CardState.state == "review", CardState.due < plan.day.end).order_by(
            CardState.due, CardState.card_id
        )
    return query.where(CardState.state == "new").order_by(CardState.new_position, CardState.card_id)


def _next_due(user: User, plan: QueuePlan) -> datetime | None:
    """When the next card becomes due, for the empty-queue page."""
    due = db.session.scalar(
        select(func.min(CardState.due)).where(*_studyable(user.id), CardState.state != "new")
    )
    has_new = db.session.scalar(
        select(CardState.card_id).where(*_studyable(user.id), CardState.state == "new").limit(1)
    )
    if has_new is not None and plan.new_left == 0:
        due = min(due, plan.day.end) if due else plan.day.end
    if due is not None and due <= plan.now:
        # Due now but held back by a daily limit: tomorrow.
        due = plan.day.end
    return due


def _view(
    user: User,
    now: datetime,
    plan: QueuePlan,
    done: DoneToday,
    last_log_id: int | None,
    card_id: int | None = None,
    enable_fuzz: bool = True,
) -> StudyView:
    counts = _counts(user, plan)
    state: CardState | None = None
    if card_id is not None:
        candidate = db.session.get(CardState, (user.id, card_id))
        if candidate is not None and _shown_today(user, candidate, plan):
            state = candidate
    if state is None:
        bucket = pick_bucket(counts)
        if bucket is not None:
            head = db.session.scalar(_bucket_query(user, plan, bucket))
            state = db.session.get(CardState, (user.id, head)) if head is not None else None
    card = entry = None
    buttons: tuple[Button, ...] = ()
    if state is not None:
        card = db.session.get(Card, state.card_id)
        entry = card.entry
        previews = scheduler_for(user, enable_fuzz).preview(_to_scheduling(state), state.card_id, now)
        buttons = tuple(Button(int(r), r.label, format_interval(previews[r])) for r in previews)
    return StudyView(
        day=plan.day,
        counts=counts,
        done_today=done.total,
        card=card,
        entry=entry,
        card_state=state.state if state else None,
        version=state.version if state else None,
        buttons=buttons,
        undo_log_id=last_log_id,
        next_due=_next_due(user, plan) if state is None else None,
        shown_at_ms=int(now.timestamp() * 1000),
    )


def _shown_today(user: User, state: CardState, plan: QueuePlan) -> bool:
    """Is this card in the learner's queue right now (so it may be shown and answered)?"""
    if not state.active or state.suspended:
        return False
    bucket = bucket_of(state.state, state.due, plan)
    if bucket is not Bucket.NEW:
        return bucket is not None
    # A new card is shown only once the ones before it are introduced.
    head = db.session.scalar(_bucket_query(user, plan, Bucket.NEW))
    return head == state.card_id


def today(user: User, now: datetime, card_id: int | None = None, enable_fuzz: bool = True) -> StudyView:
    """The study view at `now`: the next card (or `card_id` if it is in today's queue) and the counts."""
    plan, done, last_log_id = _plan(user, now)
    return _view(user, now, plan, done, last_log_id, card_id, enable_fuzz)


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
    state = db.session.get(CardState, (user.id, card_id), with_for_update=True)
    if state is None:
        db.session.rollback()
        raise NotFound("This card isn't in your decks.")
    plan, done, last_log_id = _plan(user, now)
    if state.version != version:
        # Already answered (double click, retry, another tab): apply nothing, show what's next.
        view = _view(user, now, plan, done, last_log_id, enable_fuzz=enable_fuzz)
        db.session.rollback()
        return view
    if not _shown_today(user, state, plan):
        db.session.rollback()
        raise Conflict("This card isn't due now, so it can't be answered. Your queue is below.")
    before = _to_scheduling(state)
    after = scheduler_for(user, enable_fuzz).review(before, card_id, rating, now)
    duration = None
    if shown_at_ms is not None:
        duration = max(0, min(MAX_ANSWER_MS, int(now.timestamp() * 1000) - shown_at_ms))
    elapsed = (now - before.last_review).total_seconds() / 86400 if before.last_review else None
    _apply(state, after)
    log = ReviewLog(
        user_id=user.id,
        card_id=card_id,
        rating=int(rating),
        reviewed_at=now,
        duration_ms=duration,
        state_before=before.state,
        state_after=after.state,
        elapsed_days=elapsed,
        before=before.to_dict(),
        after=after.to_dict(),
    )
    db.session.add(log)
    db.session.flush()
    done = DoneToday(
        new=done.new + (before.state == "new"),
        reviews=done.reviews + (before.state == "review"),
        total=done.total + 1,
    )
    plan = QueuePlan.build(now, plan.day, user.new_per_day, user.reviews_per_day, done)
    view = _view(user, now, plan, done, log.id, enable_fuzz=enable_fuzz)
    db.session.commit()
    return view


def undo(user: User, log_id: int, now: datetime, enable_fuzz: bool = True) -> StudyView:
    """Restore the state before answer `log_id`, if it is still the learner's latest answer today."""
    plan, done, last_log_id = _plan(user, now)
    if last_log_id is None:
        db.session.rollback()
        raise UserError("There's nothing to undo today.")
    if log_id != last_log_id:
        # Already undone (a repeated click) or not the latest answer: change nothing.
        view = _view(user, now, plan, done, last_log_id, enable_fuzz=enable_fuzz)
        db.session.rollback()
        return view
    log = db.session.get(ReviewLog, log_id, with_for_update=True)
    state = db.session.get(CardState, (user.id, log.card_id), with_for_update=True)
    if log is None or log.undone or state is None or state.reps != log.after["reps"]:
        db.session.rollback()
        raise Conflict("That answer can't be undone any more.")
    _apply(state, SchedulingState.from_dict(log.before))
    log.undone = True
    db.session.flush()
    plan, done, last_log_id = _plan(user, now)
    view = _view(user, now, plan, done, last_log_id, card_id=log.card_id, enable_fuzz=enable_fuzz)
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
