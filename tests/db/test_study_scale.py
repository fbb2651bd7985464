"""The study loop's work stays bounded: the backlog's order is decided once per learner-day and kept in an
index (answering unranks a card; undo, unsuspending and rejoining decide it again), and decks a class
assigns to many learners are made on each learner's next visit instead of in the teacher's request."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from learnapp.classes import service as classes
from learnapp.classes.service import ClassFields
from learnapp.decks.service import enroll
from learnapp.extensions import db
from learnapp.models import CardState, Enrollment, User
from learnapp.srs import Rating
from learnapp.study import cards, service
from tests.factories import T0, make_deck, make_user


def backlog_orders(user) -> dict[int, float | None]:
    db.session.expire_all()
    return dict(
        db.session.execute(
            select(CardState.card_id, CardState.backlog_order).where(CardState.user_id == user.id)
        ).all()
    )


def ranked_for(user):
    db.session.expire_all()
    return db.session.scalar(select(User.backlog_ranked_for).where(User.id == user.id))


@pytest.fixture
def backlog(app):
    """Four overdue reviews for a learner who may do two reviews a day: a backlog."""
    make_deck(entries=4)
    user = make_user(reviews_per_day=2)
    enroll(user, "test-deck", T0)
    ids = sorted(backlog_orders(user))
    for number, card_id in enumerate(ids):
        state = db.session.get(CardState, (user.id, card_id))
        state.state, state.step, state.difficulty, state.reps = "review", None, 5.0, 3
        state.stability = 2.0 + 10 * number  # the first card is the least stable: most at risk
        state.last_review = T0 - timedelta(days=10)
        state.due = T0 - timedelta(days=1)
    db.session.commit()
    return user, ids


def test_the_days_order_is_decided_once_and_an_answer_unranks_its_card(backlog):
    user, ids = backlog
    view = service.today(user, T0, enable_fuzz=False)
    assert view.card.id == ids[0]
    day_start = user.study_day(T0).start
    assert ranked_for(user) == day_start
    orders = backlog_orders(user)
    assert all(orders[card_id] is not None for card_id in ids)
    assert sorted(ids, key=lambda card_id: orders[card_id]) == ids  # lowest retrievability first
    view = service.answer(user, view.card.id, Rating.GOOD, view.version, T0, enable_fuzz=False)
    orders = backlog_orders(user)
    assert orders[ids[0]] is None and all(orders[card_id] is not None for card_id in ids[1:])
    assert ranked_for(user) == day_start  # not decided again
    assert view.card.id == ids[1]


def test_undo_and_unsuspend_decide_the_order_again(backlog):
    user, ids = backlog
    view = service.today(user, T0, enable_fuzz=False)
    after = service.answer(user, view.card.id, Rating.GOOD, view.version, T0, enable_fuzz=False)
    service.undo(user, after.undo_log_id, T0 + timedelta(seconds=5), enable_fuzz=False)
    assert ranked_for(user) is None
    assert service.today(user, T0 + timedelta(seconds=6), enable_fuzz=False).card.id == ids[0]
    assert ranked_for(user) is not None
    cards.set_suspended(user, ids[0], True)
    cards.set_suspended(user, ids[0], False)
    assert ranked_for(user) is None


def test_the_next_day_decides_a_new_order(backlog):
    user, _ = backlog
    service.today(user, T0, enable_fuzz=False)
    tomorrow = T0 + timedelta(days=1)
    service.today(user, tomorrow, enable_fuzz=False)
    assert ranked_for(user) == user.study_day(tomorrow).start


@pytest.fixture
def big_class(app):
    app.config["EAGER_CARD_STATES"] = 10  # a "big" deck for this class: 2 learners x 8 cards
    teacher = make_user("teacher", role="teacher")
    classroom = classes.create_class(teacher, ClassFields(name="Monday"), T0)
    members = [make_user(name) for name in ("lily", "mo")]
    for member in members:
        classes.join(member, classroom.join_code, T0)
    make_deck("big", entries=8)
    return teacher, classroom, members


def test_a_big_assignment_makes_each_learners_cards_on_their_next_visit(big_class):
    teacher, classroom, (lily, _) = big_class
    classes.assign_deck(teacher, classroom.id, "big", T0)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(CardState)) == 0
    assert db.session.scalars(select(Enrollment.pending)).all() == [True, True]
    assert db.session.scalars(select(User.decks_pending).where(User.role == "learner")).all() == [True, True]
    # Lily comes back: her cards are made, Mo's are not yet.
    assert service.today(lily, T0, enable_fuzz=False).counts.new_available == 8
    db.session.expire_all()
    per_user = dict(
        db.session.execute(select(CardState.user_id, func.count()).group_by(CardState.user_id)).all()
    )
    assert per_user == {lily.id: 8}
    assert db.session.get(User, lily.id).decks_pending is False
    assert (
        db.session.get(Enrollment, (lily.id, db.session.scalar(select(Enrollment.deck_id)))).pending is False
    )


def test_a_small_assignment_is_made_at_once(big_class, app):
    teacher, classroom, _ = big_class
    app.config["EAGER_CARD_STATES"] = 1_000
    classes.assign_deck(teacher, classroom.id, "big", T0)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(CardState)) == 16
    assert not any(db.session.scalars(select(Enrollment.pending)))


def test_a_big_deck_reloaded_for_a_class_is_brought_up_to_date_on_each_visit(big_class):
    teacher, classroom, (lily, mo) = big_class
    classes.assign_deck(teacher, classroom.id, "big", T0)  # 16 card states: more than 10, made lazily
    service.today(lily, T0, enable_fuzz=False)
    service.today(mo, T0, enable_fuzz=False)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(CardState)) == 16
    make_deck("big", entries=10)  # the deck file grows: 20 cards for 2 learners, too many for one request
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(CardState)) == 16
    assert db.session.scalars(select(User.decks_pending).where(User.role == "learner")).all() == [True, True]
    assert service.today(mo, T0, enable_fuzz=False).counts.new_available == 10
    db.session.expire_all()
    per_user = dict(
        db.session.execute(select(CardState.user_id, func.count()).group_by(CardState.user_id)).all()
    )
    assert per_user == {lily.id: 8, mo.id: 10}
