"""The queue's predicate has two forms, Python (`srs.queue.todays_bucket`, which decides whether a shown card
may be answered) and SQL (`study.queries.IN_TODAYS_QUEUE`, which the counts and heads are built from). On a
real database, over every kind of card and every state of the day's allowances, they agree."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from learnapp.decks.service import enroll
from learnapp.extensions import db
from learnapp.models import CardState
from learnapp.srs import DoneToday, QueuePlan, todays_bucket
from learnapp.study.queries import IN_TODAYS_QUEUE
from learnapp.study.sql import Prepared
from tests.factories import T0, make_deck, make_user

STATES = ("new", "learning", "relearning", "review")
# Due times around the moments that matter: now, the learn-ahead cutoff (20 minutes), the day's end.
DUES = (
    None,
    timedelta(hours=-30),
    timedelta(0),
    timedelta(seconds=1),
    timedelta(minutes=20),
    timedelta(minutes=21),
    timedelta(hours=7, minutes=59),  # the learner's day (Shanghai, 04:00) ends 8 hours after T0 (12:00 UTC)
    timedelta(hours=8),
    timedelta(days=3),
)
BURIED = (None, timedelta(hours=-1), timedelta(0), timedelta(hours=1))
ROWS = list(itertools.product(STATES, DUES, (True, False), (False, True), BURIED))

IN_QUEUE = Prepared(select(CardState.card_id).where(IN_TODAYS_QUEUE))


@pytest.fixture
def cards(app):
    make_deck(entries=len(ROWS))
    user = make_user()
    enroll(user, "test-deck", T0)
    ids = list(
        db.session.scalars(
            select(CardState.card_id).where(CardState.user_id == user.id).order_by(CardState.card_id)
        )
    )
    for card_id, (state, due, active, suspended, buried) in zip(ids, ROWS, strict=True):
        db.session.execute(
            update(CardState)
            .where(CardState.user_id == user.id, CardState.card_id == card_id)
            .values(
                state=state,
                due=None if due is None else T0 + due,
                active=active,
                suspended=suspended,
                buried_until=None if buried is None else T0 + buried,
            )
        )
    db.session.commit()
    return user


@pytest.mark.parametrize(("new_left", "reviews_left"), [(0, 0), (5, 0), (0, 5), (5, 5)])
def test_python_and_sql_agree_on_every_kind_of_card(cards, new_left, reviews_left):
    user = cards
    day = user.study_day(T0)
    plan = QueuePlan.build(T0, day, new_left, reviews_left, DoneToday())
    rows = db.session.scalars(select(CardState).where(CardState.user_id == user.id)).all()
    assert len(rows) == len(ROWS)
    in_python = {row.card_id for row in rows if todays_bucket(row, plan) is not None}
    in_sql = set(
        IN_QUEUE.scalars(
            {
                "user_id": user.id,
                "now": plan.now,
                "cutoff": plan.learn_ahead_cutoff,
                "day_end": plan.day.end,
                "new_left": plan.new_left,
                "reviews_left": plan.reviews_left,
            }
        )
    )
    assert in_python == in_sql
    # And the table is not trivial: some cards are in, most are out.
    assert 0 < len(in_python) < len(ROWS) / 2 or (new_left, reviews_left) == (0, 0)
