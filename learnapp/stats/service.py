"""The learner's statistics and schedule optimisation: the queries that feed the pure `compute` and
`charts` modules and `srs.optimizer`, and the one write (new FSRS parameters, or back to the defaults)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import func, select

from learnapp.errors import UserError
from learnapp.extensions import db
from learnapp.models import Card, CardState, Deck, Enrollment, ReviewLog, User
from learnapp.srs import learner_day
from learnapp.srs.optimizer import Fit, LogRow, NotEnoughReviews, learner_day_of, optimise
from learnapp.stats import compute

HISTORY_DAYS = 400  # the heatmap's year and the retention months, with room for a timezone change


def _day_of(user: User):
    return learner_day_of(user.timezone, user.day_rollover_hour)


@dataclass(frozen=True)
class Stats:
    today: date
    summary: compute.TodaySummary
    streaks: compute.Streaks
    heatmap: compute.Heatmap
    daily: list[compute.DayTotals]
    retention: compute.Retention
    counts: compute.CardCounts
    forecast: list[compute.ForecastDay]
    decks: list[compute.DeckProgress]
    total_reviews: int


def _reviews(user: User, since: date | None) -> list[compute.Review]:
    """Answers (undone ones left out) on or after the study day `since`. Rows written before study days
    were stored get theirs from the learner's current timezone."""
    day_of = _day_of(user)
    query = (
        select(
            ReviewLog.study_day,
            ReviewLog.reviewed_at,
            ReviewLog.rating,
            ReviewLog.state_before,
            ReviewLog.duration_ms,
            Card.deck_id,
        )
        .join(Card, Card.id == ReviewLog.card_id)
        .where(ReviewLog.user_id == user.id, ~ReviewLog.undone)
    )
    if since is not None:
        # Two days earlier in UTC than `since` covers every timezone; the exact cut is by study day below.
        query = query.where(ReviewLog.reviewed_at >= datetime.combine(since - timedelta(days=2), time(), UTC))
    rows = []
    for study_day, reviewed_at, rating, state_before, duration_ms, deck_id in db.session.execute(query):
        day = study_day or day_of(reviewed_at)
        if since is None or day >= since:
            rows.append(compute.Review(day, rating, state_before, duration_ms, deck_id))
    return rows


def _study_days(user: User) -> list[compute.Review]:
    """One stand-in review per day the learner studied, all time: what a streak needs."""
    mine = (ReviewLog.user_id == user.id, ~ReviewLog.undone)
    # One row a day from the database (the dashboard asks on every visit); only answers written before
    # study days were stored are read one by one.
    days = set(
        db.session.scalars(
            select(ReviewLog.study_day).where(*mine, ReviewLog.study_day.isnot(None)).distinct()
        )
    )
    day_of = _day_of(user)
    days.update(
        day_of(reviewed_at)
        for reviewed_at in db.session.scalars(
            select(ReviewLog.reviewed_at).where(*mine, ReviewLog.study_day.is_(None))
        )
    )
    return [compute.Review(day, 3, "review", None, 0) for day in sorted(days)]


def _cards(user: User) -> list[compute.CardRow]:
    return [
        compute.CardRow(deck_id, state, due, suspended, stability, active)
        for deck_id, state, due, suspended, stability, active in db.session.execute(
            select(
                CardState.deck_id,
                CardState.state,
                CardState.due,
                CardState.suspended,
                CardState.stability,
                CardState.active,
            ).where(CardState.user_id == user.id)
        )
    ]


def stats(user: User, now: datetime) -> Stats:
    day = learner_day(now, user.timezone, user.day_rollover_hour)
    today = date.fromisoformat(day.local_date)
    recent = _reviews(user, today - timedelta(days=HISTORY_DAYS))
    cards = _cards(user)
    titles = dict(
        db.session.execute(
            select(Deck.id, Deck.title)
            .join(Enrollment, Enrollment.deck_id == Deck.id)
            .where(Enrollment.user_id == user.id, Enrollment.active)
            .order_by(Deck.title)
        ).all()
    )
    return Stats(
        today=today,
        summary=compute.today_summary(recent, today),
        streaks=compute.streaks(_study_days(user), today),
        heatmap=compute.heatmap(recent, today),
        daily=compute.daily(recent, today),
        retention=compute.retention(recent, today),
        counts=compute.card_counts(cards),
        forecast=compute.forecast(cards, day.start),
        decks=compute.deck_progress(cards, titles),
        total_reviews=len(recent),
    )


@dataclass(frozen=True)
class Glance:
    """Today's numbers and the streak, for the dashboard."""

    summary: compute.TodaySummary
    streaks: compute.Streaks


def glance(user: User, now: datetime) -> Glance:
    day = learner_day(now, user.timezone, user.day_rollover_hour)
    today = date.fromisoformat(day.local_date)
    return Glance(
        summary=compute.today_summary(_reviews(user, today), today),
        streaks=compute.streaks(_study_days(user), today),
    )


# Optimisation


def min_reviews() -> int:
    return int(current_app.config.get("OPTIMISE_MIN_REVIEWS", 400))


def review_count(user: User) -> int:
    return int(
        db.session.scalar(
            select(func.count()).select_from(ReviewLog).where(ReviewLog.user_id == user.id, ~ReviewLog.undone)
        )
        or 0
    )


def fit(user: User) -> Fit:
    """Fit FSRS parameters to the learner's own review log (nothing is written)."""
    rows = [
        LogRow(card_id, reviewed_at, rating, study_day)
        for card_id, reviewed_at, rating, study_day in db.session.execute(
            select(ReviewLog.card_id, ReviewLog.reviewed_at, ReviewLog.rating, ReviewLog.study_day)
            .where(ReviewLog.user_id == user.id, ~ReviewLog.undone)
            .order_by(ReviewLog.id)
        )
    ]
    try:
        return optimise(
            rows,
            day_of=_day_of(user),
            min_reviews=min_reviews(),
            current=user.fsrs_parameters,
        )
    except NotEnoughReviews as error:
        raise UserError(str(error)) from None


def apply(user: User, parameters: tuple[float, ...] | list[float]) -> None:
    """Use these parameters from the next card on. One transaction."""
    user.fsrs_parameters = [float(value) for value in parameters]
    db.session.commit()


def reset(user: User) -> None:
    """Back to FSRS's default parameters."""
    user.fsrs_parameters = None
    db.session.commit()
