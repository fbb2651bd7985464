"""The queries behind the stats page and the dashboard's glance.

The database counts, Python draws: answers are counted per study day with one GROUP BY inside the
covering index (user_id, study_day, undone, state_before, rating, duration_ms), cards per deck and state
with another, and the forecast per day offset with a third; the pure `figures` then work on a few hundred
tallies instead of every review. The days studied (streaks) come from a loose scan of the same index, one
lookup per day; the dashboard reads only as many recent days as its current streak needs. Answers written
before study days were stored (study_day NULL) are read one by one and given their day from the learner's
current timezone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, case, func, select

from learnapp.access import visible_to
from learnapp.extensions import db
from learnapp.models import CardState, Deck, Enrollment, ReviewLog, User
from learnapp.srs.optimizer import learner_day_of
from learnapp.srs.scheduler import LEARNING_STATES, State
from learnapp.stats import figures
from learnapp.stats.figures import (
    FORECAST_DAYS,
    MASTERED_STABILITY_DAYS,
    PASS_RATING,
    CardTally,
    DayTally,
    Review,
)


@dataclass(frozen=True)
class Stats:
    today: date
    summary: figures.TodaySummary
    streaks: figures.Streaks
    heatmap: figures.Heatmap
    daily: list[figures.DayTotals]
    retention: figures.Retention
    counts: figures.CardCounts
    forecast: list[figures.ForecastDay]
    decks: list[figures.DeckProgress]
    total_reviews: int  # answers since figures.history_start(today)


@dataclass(frozen=True)
class Glance:
    """Today's numbers and the current streak, for the dashboard (the longest streak is the stats page's)."""

    summary: figures.TodaySummary
    streaks: figures.CurrentStreak


def stats(user: User, now: datetime) -> Stats:
    """Everything the stats page shows, as of `now`."""
    day = user.study_day(now)
    today = date.fromisoformat(day.local_date)
    undated = undated_answers(user)
    since = figures.history_start(today)
    answers = list(
        figures.tally([*day_tallies(user, since), *(a for a in undated if a.day >= since)]).values()
    )
    cards = card_tallies(user)
    return Stats(
        today=today,
        summary=figures.today_summary(answers, today),
        streaks=figures.day_streaks(study_days(user) | {answer.day for answer in undated}, today),
        heatmap=figures.heatmap(answers, today),
        daily=figures.daily(answers, today),
        retention=figures.retention(answers, today),
        counts=figures.card_counts(cards),
        forecast=figures.forecast_days(due_per_day(user, day.start), FORECAST_DAYS),
        decks=figures.deck_progress(cards, _deck_titles(user)),
        total_reviews=sum(tallied.reviews for tallied in answers),
    )


def glance(user: User, now: datetime) -> Glance:
    """Today's answers and the current streak: a few index lookups, whatever the size of the log."""
    today = date.fromisoformat(user.study_day(now).local_date)
    undated = undated_answers(user)
    return Glance(
        summary=figures.today_summary([*day_tallies(user, today), *undated], today),
        streaks=current_streak(user, today, {answer.day for answer in undated}),
    )


def current_streak(
    user: User, today: date, undated_days: set[date], window: int = 32
) -> figures.CurrentStreak:
    """The streak that runs up to today (or yesterday), read from the study days of a window that grows
    until the run starts inside it: a short streak costs a few dozen index lookups, not one per day ever
    studied."""
    while True:
        since = today - timedelta(days=window)
        days = study_days(user, since) | {day for day in undated_days if day >= since}
        streaks = figures.day_streaks(days, today)
        if streaks.current_start is None or streaks.current_start > since:
            return figures.CurrentStreak.of(streaks)
        window *= 4


# -- the review log -------------------------------------------------------------------------------------


def _mine(user: User) -> tuple[ColumnElement[bool], ...]:
    return (ReviewLog.user_id == user.id, ~ReviewLog.undone)


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0))


def day_tallies(user: User, since: date) -> list[DayTally]:
    """The learner's answers (undone ones left out) with a study day on or after `since`, counted per day
    inside the covering index."""
    of_review_card = ReviewLog.state_before == str(State.REVIEW)
    passed = ReviewLog.rating >= PASS_RATING
    counted = select(
        ReviewLog.study_day,
        func.count(),  # reviews
        _count(~passed),  # again
        _count(ReviewLog.state_before == str(State.NEW)),  # new
        func.coalesce(func.sum(ReviewLog.duration_ms), 0),  # duration_ms
        _count(of_review_card),  # review_cards
        _count(and_(of_review_card, passed)),  # review_passed
    ).where(*_mine(user), ReviewLog.study_day >= since)
    tallies = []
    for day, *counts in db.session.execute(counted.group_by(ReviewLog.study_day)):
        assert day is not None  # the WHERE leaves out the answers without a study day
        tallies.append(DayTally(day, *(int(count or 0) for count in counts)))
    return tallies


def undated_answers(user: User) -> list[Review]:
    """Answers written before study days were stored (study_day NULL), one by one, each given its day from
    the learner's current timezone and rollover hour. Found through the study-day index, so a log without
    any costs one index lookup."""
    day_of = learner_day_of(user.timezone, user.day_rollover_hour)
    query = select(
        ReviewLog.reviewed_at, ReviewLog.rating, ReviewLog.state_before, ReviewLog.duration_ms
    ).where(*_mine(user), ReviewLog.study_day.is_(None))
    return [
        Review(day_of(reviewed_at), rating, state_before, duration_ms)
        for reviewed_at, rating, state_before, duration_ms in db.session.execute(query)
    ]


def study_days(user: User, since: date | None = None) -> set[date]:
    """Every study day the learner answered a card on (on or after `since`, if given): what a streak
    needs. A loose index scan: a recursive query that jumps from each day to the next one in the
    study-day index, so it costs one index lookup per study day, not one per answer. Answers without a
    stored study day are `undated_answers`."""
    lowest = ReviewLog.study_day.isnot(None) if since is None else ReviewLog.study_day >= since
    first = (
        select(func.min(ReviewLog.study_day).label("day"))
        .where(*_mine(user), lowest)
        .cte("days", recursive=True)
    )
    following = (
        select(func.min(ReviewLog.study_day))
        .where(*_mine(user), ReviewLog.study_day > first.c.day)
        .scalar_subquery()
    )
    days = first.union_all(select(following).where(first.c.day.isnot(None)))
    return {day for day in db.session.scalars(select(days.c.day).where(days.c.day.isnot(None))) if day}


# -- cards ----------------------------------------------------------------------------------------------


def card_tallies(user: User) -> list[CardTally]:
    """The learner's cards counted per deck, state, suspended, active and mastered."""
    mastered = and_(
        CardState.state == str(State.REVIEW),
        func.coalesce(CardState.stability, 0.0) >= MASTERED_STABILITY_DAYS,
    )
    cards = select(
        CardState.deck_id,
        CardState.state,
        CardState.suspended,
        CardState.active,
        case((mastered, 1), else_=0).label("mastered"),
    ).where(CardState.user_id == user.id)
    alike = cards.subquery()  # grouped outside, so the comparison's parameter is not repeated in GROUP BY
    columns = (alike.c.deck_id, alike.c.state, alike.c.suspended, alike.c.active, alike.c.mastered)
    return [
        CardTally(deck_id, state, bool(suspended), bool(active), bool(is_mastered), int(count))
        for deck_id, state, suspended, active, is_mastered, count in db.session.execute(
            select(*columns, func.count()).group_by(*columns)
        )
    ]


def due_per_day(user: User, day_start: datetime, days: int = FORECAST_DAYS) -> dict[int, int]:
    """Scheduled cards (active, unsuspended, past new) due before day `days`, counted per day offset from
    `day_start` (-1 for every overdue card), inside the (user_id, state, due, ...) index."""
    bounds = [day_start + timedelta(days=offset) for offset in range(days + 1)]
    offset = case(
        (CardState.due < bounds[0], -1),
        *((CardState.due < bounds[number + 1], number) for number in range(days)),
    )
    scheduled = (
        select(offset.label("offset"))
        .where(
            CardState.user_id == user.id,
            CardState.state.in_([str(state) for state in (*LEARNING_STATES, State.REVIEW)]),
            CardState.due < bounds[-1],
            CardState.active,
            ~CardState.suspended,
        )
        .subquery()
    )
    rows = db.session.execute(select(scheduled.c.offset, func.count()).group_by(scheduled.c.offset))
    return {int(number): int(count) for number, count in rows}


def _deck_titles(user: User) -> dict[int, str]:
    """The decks the learner studies and may see, by title (one made private by its author is not named)."""
    return {
        deck_id: title
        for deck_id, title in db.session.execute(
            select(Deck.id, Deck.title)
            .join(Enrollment, Enrollment.deck_id == Deck.id)
            .where(Enrollment.user_id == user.id, Enrollment.active, visible_to(user))
            .order_by(Deck.title)
        )
    }
