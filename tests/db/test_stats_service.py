"""The stats service on a real database (SQLite, or PostgreSQL with TEST_DATABASE_URL): the figures the
database counts (answers per study day, cards per deck and state, cards due per day) are exactly the ones
the pure figures compute from the same rows read one by one, as the page did before it counted in SQL.

A seeded log of 1,200 answers over 500 days through the real tables: every rating and state, answers
without a duration, undone answers, answers from before study days were stored (study_day NULL) and a
review dated after today (a move westwards); another learner's answers that must not count."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import insert, select, update

from learnapp.decks.service import enroll
from learnapp.errors import Conflict, NotFound, UserError
from learnapp.extensions import db
from learnapp.jobs.runner import runner_of
from learnapp.models import CardState, Deck, Enrollment, Job, ReviewLog
from learnapp.srs.optimizer import learner_day_of
from learnapp.srs.queue import learner_day
from learnapp.stats import figures, optimise, service
from learnapp.stats.figures import CardRow, Review
from tests.factories import T0, make_deck, make_user

NOW = datetime(2026, 11, 4, 6, 0, tzinfo=UTC)  # 14:00 in Shanghai: study day Nov 4
TODAY = date(2026, 11, 4)
STATES = ("new", "learning", "review", "relearning")


def _log(user, rng: random.Random, answers: int, card_ids: list[int]) -> None:
    """`answers` answers over the 500 days before NOW, in bulk through the real table."""
    rows = []
    for number in range(answers):
        at = NOW - timedelta(minutes=rng.randrange(500 * 24 * 60))
        rows.append(
            {
                "user_id": user.id,
                "card_id": card_ids[number % len(card_ids)],
                "rating": rng.randint(1, 4),
                "reviewed_at": at,
                # One answer in ten from before study days were stored; the rest carry the day they had.
                "study_day": None
                if number % 10 == 0
                else date.fromisoformat(learner_day(at, user.timezone, 4).local_date),
                "duration_ms": None if number % 7 == 0 else rng.randrange(1_000, 60_000),
                "state_before": rng.choice(STATES),
                "state_after": "review",
                "before": {},
                "after": {},
                "undone": number % 13 == 0,
            }
        )
    db.session.execute(insert(ReviewLog), rows)


@pytest.fixture
def learner(app):
    make_deck("first", entries=30)
    make_deck("second", entries=20)
    make_deck("left", entries=5)
    user = make_user("mei", onboarding_step="done")
    for slug in ("first", "second", "left"):
        enroll(user, slug, T0)
    db.session.execute(update(Enrollment).where(Enrollment.deck_id == _deck("left")).values(active=False))
    rng = random.Random(12)
    card_ids = list(db.session.scalars(select(CardState.card_id).where(CardState.user_id == user.id)))
    for card_id in card_ids:
        state = rng.choice(STATES)
        db.session.execute(
            update(CardState)
            .where(CardState.user_id == user.id, CardState.card_id == card_id)
            .values(
                state=state,
                stability=None if state == "new" else rng.choice([None, 1.0, 20.99, 21.0, 60.0]),
                due=None if state == "new" else NOW + timedelta(hours=rng.uniform(-100, 24 * 35)),
                suspended=rng.random() < 0.1,
                active=rng.random() < 0.9,
            )
        )
    _log(user, rng, 1_200, card_ids)
    # A review on Nov 5 (written in New York's Nov 5, before the learner moved back to Shanghai).
    _log_one(user, card_ids[0], date(2026, 11, 5))
    other = make_user("lei")
    enroll(other, "first", T0)
    other_cards = list(db.session.scalars(select(CardState.card_id).where(CardState.user_id == other.id)))
    _log(other, random.Random(3), 300, other_cards)
    db.session.commit()
    return user


def _deck(slug: str) -> int:
    return db.session.scalar(select(Deck.id).where(Deck.slug == slug))


def _log_one(user, card_id: int, day: date) -> None:
    db.session.execute(
        insert(ReviewLog),
        [
            {
                "user_id": user.id,
                "card_id": card_id,
                "rating": 3,
                "reviewed_at": NOW - timedelta(hours=1),
                "study_day": day,
                "duration_ms": 5_000,
                "state_before": "review",
                "state_after": "review",
                "before": {},
                "after": {},
                "undone": False,
            }
        ],
    )


def _rows(user) -> list[tuple[date | None, Review]]:
    """Every answer of the learner with its stored study day, read row by row as the page used to."""
    day_of = learner_day_of(user.timezone, user.day_rollover_hour)
    return [
        (study_day, Review(study_day or day_of(reviewed_at), rating, state_before, duration_ms))
        for study_day, reviewed_at, rating, state_before, duration_ms in db.session.execute(
            select(
                ReviewLog.study_day,
                ReviewLog.reviewed_at,
                ReviewLog.rating,
                ReviewLog.state_before,
                ReviewLog.duration_ms,
            ).where(ReviewLog.user_id == user.id, ~ReviewLog.undone)
        )
    ]


def _reviews_one_by_one(user) -> list[Review]:
    """The reference: every answer as a `Review`, those without a stored day given the current one's."""
    return [review for _, review in _rows(user)]


def _cards_one_by_one(user) -> list[CardRow]:
    return [
        CardRow(*row)
        for row in db.session.execute(
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


def test_the_page_figures_equal_those_of_the_rows_read_one_by_one(learner):
    reviews = _reviews_one_by_one(learner)
    cards = _cards_one_by_one(learner)
    assert any(review.day > TODAY for review in reviews)  # the move westwards is in the log
    result = service.stats(learner, NOW)
    assert result.today == TODAY
    assert result.summary == figures.today_summary(reviews, TODAY)
    assert result.streaks == figures.streaks(reviews, TODAY)
    assert result.heatmap == figures.heatmap(reviews, TODAY)
    assert result.daily == figures.daily(reviews, TODAY)
    assert result.retention == figures.retention(reviews, TODAY)
    assert result.counts == figures.card_counts(cards)
    day_start = learner_day(NOW, learner.timezone, 4).start
    assert result.forecast == figures.forecast(cards, day_start)
    titles = {_deck("first"): "Test deck first", _deck("second"): "Test deck second"}  # by title; "left" left
    assert result.decks == figures.deck_progress(cards, titles)
    since = figures.history_start(TODAY)
    assert result.total_reviews == sum(since <= review.day for review in reviews)
    # The figures are not empty, so the comparison means something.
    assert result.heatmap.total > 500 and result.summary.reviews > 0 and result.streaks.longest > 3
    assert sum(day.count for day in result.forecast) > 0 and result.counts.suspended > 0
    assert any(deck.mastered for deck in result.decks)


def test_the_glance_equals_the_page(learner):
    page = service.stats(learner, NOW)
    glance = service.glance(learner, NOW)
    assert glance.summary == page.summary
    assert glance.streaks == figures.CurrentStreak.of(page.streaks)
    later = NOW + timedelta(days=3)  # nothing studied for two days: the streak is gone
    assert service.glance(learner, later).streaks == figures.CurrentStreak(0, False, None)


@pytest.mark.parametrize("length", [1, 31, 32, 33, 150, 600])
def test_the_glance_finds_a_streak_of_any_length(learner, length):
    """The dashboard reads a window of days that grows until the current run starts inside it."""
    card_id = db.session.scalar(select(CardState.card_id).where(CardState.user_id == learner.id))
    db.session.execute(update(ReviewLog).where(ReviewLog.user_id == learner.id).values(undone=True))
    for back in range(1, length + 1):  # a run that ends yesterday: today not studied yet
        _log_one(learner, card_id, TODAY - timedelta(days=back))
    _log_one(learner, card_id, TODAY - timedelta(days=length + 2))  # a gap of one day before it
    db.session.commit()
    glance = service.glance(learner, NOW)
    assert (glance.streaks.current, glance.streaks.studied_today) == (length, False)
    page = service.stats(learner, NOW).streaks
    assert (page.current, page.longest) == (length, length)
    assert service.current_streak(learner, TODAY, set()).current_start == TODAY - timedelta(days=length)


def test_the_database_counts_per_day_as_python_does(learner):
    since = TODAY - timedelta(days=60)
    counted = service.day_tallies(learner, since)
    dated = [review for study_day, review in _rows(learner) if study_day is not None and study_day >= since]
    assert {tally.day: tally for tally in counted} == figures.tally(dated)
    assert len(counted) > 40 and all(tally.reviews for tally in counted)


def test_study_days_are_every_distinct_day_and_nothing_else(learner):
    rows = _rows(learner)
    assert service.study_days(learner) == {study_day for study_day, _ in rows if study_day is not None}
    undated = [review for study_day, review in rows if study_day is None]
    assert len(undated) > 0
    assert sorted(service.undated_answers(learner), key=repr) == sorted(undated, key=repr)
    lei = make_user("wen")
    assert service.study_days(lei) == set() and service.undated_answers(lei) == []


def test_cards_are_counted_alike_and_due_per_day(learner):
    cards = _cards_one_by_one(learner)
    tallies = service.card_tallies(learner)
    assert sum(tally.count for tally in tallies) == len(cards)
    assert figures.card_counts(tallies) == figures.card_counts(cards)
    day_start = learner_day(NOW, learner.timezone, 4).start
    due = service.due_per_day(learner, day_start)
    assert figures.forecast_days(due) == figures.forecast(cards, day_start)
    assert set(due) <= set(range(-1, 30))


# -- optimisation at the service level --------------------------------------------------------------------


def test_optimising_needs_enough_reviews_before_any_job(app, learner):
    app.config["OPTIMISE_MIN_REVIEWS"] = 5_000
    with pytest.raises(UserError, match="Optimisation needs at least 5000 reviews; you have"):
        optimise.start(learner, NOW)
    assert db.session.scalars(select(Job)).all() == []


def test_a_fit_is_kept_in_the_job_and_applied_only_by_its_learner(app, learner):
    app.config["OPTIMISE_MIN_REVIEWS"] = 100
    job = optimise.start(learner, NOW)
    runner_of(app).drain()
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert job.status == "done", job.message
    fit = optimise.result_of(job)
    assert fit is not None and len(fit.parameters) == 21 and fit.reviews == len(_reviews_one_by_one(learner))
    assert not fit.against_own
    other = make_user("wen")
    with pytest.raises(NotFound):
        optimise.apply(other, job.id)
    assert other.fsrs_parameters is None
    assert optimise.apply(learner, job.id) == fit
    assert learner.fsrs_parameters == list(fit.parameters)
    optimise.reset(learner)
    assert learner.fsrs_parameters is None


def test_a_running_or_failed_job_has_nothing_to_apply(learner):
    for status in ("queued", "running", "failed"):
        job = Job(user_id=learner.id, kind="optimise", status=status, created_at=NOW, updated_at=NOW)
        db.session.add(job)
        db.session.commit()
        with pytest.raises(Conflict):
            optimise.apply(learner, job.id)
    with pytest.raises(UserError, match="no fitted schedule"):
        optimise.apply(learner, None)
    assert learner.fsrs_parameters is None
