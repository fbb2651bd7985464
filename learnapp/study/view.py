"""The study view: what the study page shows at a moment of the learner's day (the counts, the card to
show with its entry and the four grade buttons), read after any write, and what comes after the last card.

`read_today` reads the learner's day, today's tally and the backlog's ranking day in one round trip (making
the cards of decks a class assigned meanwhile); `build_view` reads the counts and the head of the right
bucket (the backlog in the order decided for the day); `shown_today` is the check that a shown card may be
answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from learnapp.database import transaction
from learnapp.decks.card_states import make_pending_cards
from learnapp.extensions import db
from learnapp.models import User
from learnapp.srs import (
    Bucket,
    Day,
    DoneToday,
    QueueCounts,
    QueuePlan,
    Scheduler,
    SchedulingState,
    format_interval,
    pick_bucket,
    todays_bucket,
)
from learnapp.study import custom as c
from learnapp.study import queries as q
from learnapp.study.sessions import QUEUE, StudySession
from learnapp.study.sql import Conn, connect


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


@dataclass(frozen=True)
class EntryFace:
    """The entry of the card shown, read straight from its row (headword, pinyin, meaning, extra...)."""

    values: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None


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
    session: StudySession = QUEUE
    notice: str | None = None
    # (log id, the Again answers today after it), when the caller asked with `missed_after` (the progress
    # bar's plan keeps that id: study/views.py Progress).
    missed: tuple[int, int] | None = None

    @property
    def remaining(self) -> int:
        return self.counts.total

    @property
    def session_total(self) -> int:
        return self.done_today + self.counts.total


def scheduler_for(user: User, enable_fuzz: bool = True) -> Scheduler:
    return Scheduler(user.desired_retention, user.fsrs_parameters, enable_fuzz=enable_fuzz)


# ---- the plan: the learner's day and what is left of it ------------------------------------------------


@dataclass(frozen=True, slots=True)
class Today:
    plan: QueuePlan
    done: DoneToday
    last_log_id: int | None
    ranked_for: datetime | None


def read_today(user: User, now: datetime, conn: Conn, session: StudySession = QUEUE) -> Today:
    """The learner's day, today's tally and the backlog's ranking day: one round trip."""
    day = user.study_day(now)
    return today_of(user, now, day, q.PLAN.first({"user_id": user.id, "day_start": day.start}, conn), session)


def today_of(user: User, now: datetime, day: Day, row: Any, session: StudySession = QUEUE) -> Today:
    """`read_today` from a row with queries.PLAN's columns for learner day `day` (an answer reads them with
    the card's state: writes.STATE_AND_PLAN)."""
    if row.decks_pending:  # a class assigned decks while the learner was away: make their cards now
        with transaction():
            make_pending_cards(user.id)
    done = DoneToday(new=int(row.new or 0), reviews=int(row.reviews or 0), total=int(row.total or 0))
    plan = QueuePlan.build(now, day, user.new_per_day + session.extra_new, user.reviews_per_day, done)
    return Today(plan, done, row.last_log_id, row.backlog_ranked_for)


def session_params(user: User, plan: QueuePlan, session: StudySession) -> dict[str, Any]:
    params: dict[str, Any] = {
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


def queue_of(session: StudySession) -> q.Queue:
    return q.DECK_QUEUE if session.kind == "deck" else q.QUEUE


# ---- the view: counts and the card to show -------------------------------------------------------------


def _counts(params: dict[str, Any], plan: QueuePlan, queue: q.Queue, conn: Conn) -> tuple[QueueCounts, bool]:
    """The clipped counts, and whether reviews are backlogged beyond today's allowance."""
    counts, backlog, _missed = _counts_and_missed(params, plan, queue, conn, None)
    return counts, backlog


def _counts_and_missed(
    params: dict[str, Any], plan: QueuePlan, queue: q.Queue, conn: Conn, missed_after: int | None
) -> tuple[QueueCounts, bool, tuple[int, int] | None]:
    """`_counts`, and with `missed_after` (that log id, the Again answers today after it), same statement."""
    caps = {"cap": q.COUNT_CAP, "reviews_cap": plan.reviews_left + 1, "new_cap": plan.new_left}
    if missed_after is None:
        rows = queue.counts.all(params | caps, conn)
    else:
        rows = queue.counts_missed.all(params | caps | {"since_log_id": missed_after}, conn)
    n = {key: count for key, count in rows}
    counts = QueueCounts(
        learning_due=int(n[0]), learning_ahead=int(n[1]), reviews_due=int(n[2]), new_available=int(n[3])
    )
    missed = None if missed_after is None else (missed_after, int(n[q.MISSED_KEY]))
    return counts.clipped(plan), counts.reviews_due > plan.reviews_left, missed


def todays_counts(user: User, now: datetime) -> QueueCounts:
    """The counts the study page shows at `now` (the whole queue, the daily limits applied), without
    choosing a card: for what a reminder mail promises."""
    today = read_today(user, now, connect())
    counts, _backlog = _counts(session_params(user, today.plan, QUEUE), today.plan, q.QUEUE, connect())
    return counts


def todays_reviews(user: User, today: Today, limit: int) -> list[Any]:
    """The reviews the study page shows today, in its order, at most `limit` and never more than the day's
    review allowance (the capped queue): by due time, or, when more are due than the day allows, in the
    day's backlog order (deciding that order first if it is not today's, as the page would)."""
    plan = today.plan
    limit = min(limit, plan.reviews_left)
    if limit <= 0:
        return []
    params = session_params(user, plan, QUEUE)
    _counted, backlog = _counts(params, plan, q.QUEUE, connect())
    if backlog and today.ranked_for != plan.day.start:
        _rank_backlog(user, params, plan)
    query = q.RANKED_REVIEWS if backlog else q.DUE_REVIEWS
    return list(db.session.execute(query.limit(limit), params).all())


def todays_first_due(user: User, now: datetime) -> Any | None:
    """The card (a face row) the study page shows first among the cards it counts as due (learning due
    now, reviews within the day's allowance, learning due within the learn-ahead window): new cards are
    not due. None when nothing is due."""
    today = read_today(user, now, connect())
    params = session_params(user, today.plan, QUEUE)
    counts, _backlog = _counts(params, today.plan, q.QUEUE, connect())
    if counts.learning_due:
        return q.QUEUE.heads[Bucket.LEARNING].first(params, connect())
    if counts.reviews_due:
        reviews = todays_reviews(user, today, 1)
        return reviews[0] if reviews else None
    if counts.learning_ahead:
        return q.QUEUE.heads[Bucket.LEARN_AHEAD].first(params, connect())
    return None


def _rank_backlog(user: User, params: dict[str, Any], plan: QueuePlan) -> None:
    """Decide today's order of the backlog (lowest retrievability first), once per learner-day."""
    with transaction():
        q.CLEAR_BACKLOG.run({"user_id": user.id})
        q.RANK_BACKLOG.run(params)
        q.MARK_RANKED.run({"user_id": user.id, "day_start": plan.day.start})


def _backlog_head(user: User, today: Today, params: dict[str, Any], queue: q.Queue, conn: Conn) -> Any:
    """The next backlogged review in the day's order (deciding the order first if it is not today's)."""
    if today.ranked_for != today.plan.day.start:
        _rank_backlog(user, params, today.plan)
        return queue.backlog_head.first(params)
    head = queue.backlog_head.first(params, conn)
    if head is None or todays_bucket(head, today.plan) is not Bucket.REVIEW:
        # Reviews came back after the order was decided (a deck rejoined), or a ranked card changed
        # outside the answer path: decide the order again.
        _rank_backlog(user, params, today.plan)
        head = queue.backlog_head.first(params)
    return head


def _next_due(params: dict[str, Any], plan: QueuePlan, queue: q.Queue, conn: Conn) -> datetime | None:
    """When the next card becomes due, for the empty-queue page."""
    due = queue.next_due.scalar(params, conn)
    has_new = queue.new_head.scalar(params, conn)
    if has_new is not None and plan.new_left == 0:
        due = min(due, plan.day.end) if due else plan.day.end
    buried = queue.unburied_at.scalar(params, conn)
    if buried is not None:
        due = min(due, buried) if due else buried
    if due is not None and due <= plan.now:
        # Due now but held back by a daily limit (or buried until tomorrow): tomorrow.
        due = plan.day.end
    return due if isinstance(due, datetime) else None


def shown_today(
    state: Any, plan: QueuePlan, session: StudySession, params: dict[str, Any], conn: Conn
) -> bool:
    """Is this card in the learner's queue right now (so it may be shown and answered)?"""
    if session.kind == "deck" and state.deck_id != session.deck_id:
        return False
    bucket = todays_bucket(state, plan)
    if bucket is not Bucket.NEW:
        return bucket is not None
    # A new card is shown only once the ones before it are introduced.
    return bool(queue_of(session).new_head.scalar(params, conn) == state.card_id)


def in_session(params: dict[str, Any], card_id: int, session: StudySession, conn: Conn) -> bool:
    return c.IN_CUSTOM[session.kind].first(params | {"card_id": card_id}, conn) is not None


def face_of(row: Any) -> tuple[StudyCard, EntryFace]:
    """The card and its entry from one joined row (entry columns come prefixed with "entry_")."""
    values = row._asdict()
    entry = EntryFace(
        {name[6:]: value for name, value in values.items() if name.startswith("entry_")}
        | {name: values[name] or "" for name in ("met_zh", "met_pinyin", "met_en")}
    )
    return StudyCard(id=row.card_id, kind=row.kind, deck_id=row.deck_id), entry


def scheduling_of(row: Any) -> SchedulingState:
    return SchedulingState(**{name: getattr(row, name) for name in q.SCHEDULING})


def _custom_face(
    user: User, params: dict[str, Any], card_id: int | None, session: StudySession, conn: Conn
) -> tuple[QueueCounts, Any]:
    """A session outside the queue (failed cards, study ahead): its count, and `card_id` if it is in the
    session, else its first card."""
    total = c.CUSTOM_COUNT[session.kind].scalar(params, conn) or 0
    face = None
    if card_id is not None and in_session(params, card_id, session, conn):
        face = q.FACE.first({"user_id": user.id, "card_id": card_id}, conn)
    if face is None and total:
        face = c.CUSTOM_HEAD[session.kind].first(params, conn)
    return QueueCounts(reviews_due=int(total)), face


def _buttons(user: User, face: Any, now: datetime, enable_fuzz: bool) -> tuple[Button, ...]:
    """The four grade buttons, each with the interval it would give."""
    previews = scheduler_for(user, enable_fuzz).preview(scheduling_of(face), face.card_id, now)
    return tuple(Button(int(r), r.label, format_interval(previews[r])) for r in previews)


def build_view(
    user: User,
    today: Today,
    *,
    card_id: int | None = None,
    enable_fuzz: bool = True,
    session: StudySession = QUEUE,
    notice: str | None = None,
    missed_after: int | None = None,
) -> StudyView:
    """The view at `today`: the counts and the card to show (`card_id` if it may be shown now, else the
    head of the right bucket), with its grade buttons; with `missed_after`, also the Again answers today
    after that log id (counted in the counts' statement; a session outside the queue has no plan to grow)."""
    plan = today.plan
    params = session_params(user, plan, session)
    conn = connect()
    face: Any = None
    next_due = None
    missed = None
    if session.outside_queue:
        counts, face = _custom_face(user, params, card_id, session, conn)
    else:
        queue = queue_of(session)
        counts, backlog, missed = _counts_and_missed(params, plan, queue, conn, missed_after)
        if card_id is not None:
            candidate = q.FACE.first({"user_id": user.id, "card_id": card_id}, conn)
            if candidate is not None and shown_today(candidate, plan, session, params, conn):
                face = candidate
        if face is None:
            bucket = pick_bucket(counts)
            if bucket is Bucket.REVIEW and backlog:
                face = _backlog_head(user, today, params, queue, conn)
                conn = connect()  # deciding the order may have committed
            elif bucket is not None:
                face = queue.heads[bucket].first(params, conn)
        if face is None:
            next_due = _next_due(params, plan, queue, conn)
    card = entry = None
    buttons: tuple[Button, ...] = ()
    if face is not None:
        card, entry = face_of(face)
        buttons = _buttons(user, face, plan.now, enable_fuzz)
    return StudyView(
        day=plan.day,
        counts=counts,
        done_today=today.done.total,
        card=card,
        entry=entry,
        card_state=face.state if face is not None else None,
        version=face.version if face is not None else None,
        buttons=buttons,
        undo_log_id=today.last_log_id,
        next_due=next_due,
        shown_at_ms=int(plan.now.timestamp() * 1000),
        session=session,
        notice=notice,
        missed=missed,
    )


def missed_since(user: User, day: Day, since_log_id: int) -> int:
    """How many answers this learner day, after answer `since_log_id`, were Again (undone ones left out):
    each brings its card back once more."""
    params = {"user_id": user.id, "day_start": day.start, "since_log_id": since_log_id}
    return int(q.MISSED.scalar(params, connect()) or 0)


# ---- the end of a session ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outlook:
    """What comes next once today's queue is done: cards due by the end of tomorrow, and new cards left
    beyond today's goal (offered as "more")."""

    due_tomorrow: int
    new_waiting: int


def outlook(user: User, now: datetime) -> Outlook:
    day = user.study_day(now)
    params = {"user_id": user.id, "now": now, "tomorrow_end": day.end + timedelta(days=1)}
    conn = connect()
    return Outlook(
        due_tomorrow=int(q.DUE_BY.scalar(params, conn) or 0),
        new_waiting=int(q.NEW_WAITING.scalar(params, conn) or 0),
    )
