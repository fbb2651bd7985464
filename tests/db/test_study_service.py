"""The study service on a real database with a fixed clock: limits, steps, rollover, undo, double submit."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from learnapp.decks.service import enroll, leave
from learnapp.errors import Conflict, NotFound, UserError
from learnapp.extensions import db
from learnapp.models import CardState, ReviewLog
from learnapp.srs import Rating
from learnapp.study import service
from tests.factories import T0, make_deck, make_user


def answer_current(user, rating, now):
    view = service.today(user, now, enable_fuzz=False)
    assert view.card is not None, "expected a card"
    return view, service.answer(user, view.card.id, rating, view.version, now, enable_fuzz=False)


def logs(user):
    return db.session.scalars(
        select(ReviewLog).where(ReviewLog.user_id == user.id).order_by(ReviewLog.id)
    ).all()


@pytest.fixture
def learner(app):
    make_deck(entries=5)
    user = make_user(new_per_day=3)
    enroll(user, "test-deck", T0)
    return user


def test_new_cards_come_in_deck_order_within_the_daily_limit(learner):
    view = service.today(learner, T0, enable_fuzz=False)
    assert view.counts.new_available == 3
    assert view.entry.key == "e1"
    seen = []
    now = T0
    for _ in range(3):
        shown, view = answer_current(learner, Rating.EASY, now)
        seen.append(shown.entry.key)
        now += timedelta(seconds=5)
    assert seen == ["e1", "e2", "e3"]
    assert view.counts.new_available == 0
    assert view.card is None
    assert view.done_today == 3


def test_learning_steps_come_back_within_the_session(learner):
    first, view = answer_current(learner, Rating.GOOD, T0)  # e1 -> learning, due in 10 minutes
    assert view.entry.key == "e2"
    assert view.counts.learning == 1
    _, view = answer_current(learner, Rating.EASY, T0 + timedelta(seconds=10))
    _, view = answer_current(learner, Rating.EASY, T0 + timedelta(seconds=20))
    # New cards are used up for today; e1 is due in under 20 minutes, so it is shown ahead.
    assert view.card.id == first.card.id
    assert view.card_state == "learning"
    assert [b.interval for b in view.buttons][2] == "2d"


def test_again_brings_the_card_back_after_a_minute(learner):
    first, _ = answer_current(learner, Rating.AGAIN, T0)
    later = service.today(learner, T0 + timedelta(minutes=1, seconds=1), enable_fuzz=False)
    assert later.card.id == first.card.id  # learning due now comes before new cards


def test_the_new_day_starts_at_the_rollover_hour_in_the_learners_timezone(learner):
    # 03:50 in Shanghai on 2 March is still 1 March's day: three new cards and the limit is reached.
    before_rollover = T0.replace(hour=19, minute=50)
    now = before_rollover
    for _ in range(3):
        answer_current(learner, Rating.EASY, now)
        now += timedelta(seconds=1)
    assert service.today(learner, now, enable_fuzz=False).counts.new_available == 0
    after_rollover = T0.replace(hour=20, minute=1)  # 04:01 in Shanghai
    view = service.today(learner, after_rollover, enable_fuzz=False)
    assert view.counts.new_available == 2  # only two new cards are left in the deck
    assert view.done_today == 0


def test_undo_restores_the_state_and_the_counts_exactly(learner):
    before = db.session.get(CardState, (learner.id, service.today(learner, T0).card.id))
    snapshot = {
        c: getattr(before, c) for c in ("state", "step", "stability", "difficulty", "due", "reps", "lapses")
    }
    counts_before = service.today(learner, T0, enable_fuzz=False).counts
    shown, view = answer_current(learner, Rating.GOOD, T0)
    assert view.undo_log_id is not None
    undone = service.undo(learner, view.undo_log_id, T0 + timedelta(seconds=3), enable_fuzz=False)
    assert undone.card.id == shown.card.id
    assert undone.counts == counts_before
    assert undone.done_today == 0
    state = db.session.get(CardState, (learner.id, shown.card.id))
    assert {c: getattr(state, c) for c in snapshot} == snapshot
    assert [log.undone for log in logs(learner)] == [True]


def test_a_repeated_undo_undoes_only_once(learner):
    _, view = answer_current(learner, Rating.GOOD, T0)
    _, view = answer_current(learner, Rating.GOOD, T0 + timedelta(seconds=5))
    log_id = view.undo_log_id
    service.undo(learner, log_id, T0 + timedelta(seconds=6))
    service.undo(learner, log_id, T0 + timedelta(seconds=7))
    assert [log.undone for log in logs(learner)] == [False, True]


def test_double_submit_applies_once(learner):
    view = service.today(learner, T0, enable_fuzz=False)
    service.answer(learner, view.card.id, Rating.GOOD, view.version, T0, enable_fuzz=False)
    again = service.answer(learner, view.card.id, Rating.GOOD, view.version, T0 + timedelta(seconds=1))
    assert len(logs(learner)) == 1
    assert again.card.id != view.card.id
    assert db.session.get(CardState, (learner.id, view.card.id)).reps == 1


def test_review_log_holds_the_state_before_and_after(learner):
    view, _ = answer_current(learner, Rating.HARD, T0)
    (log,) = logs(learner)
    assert (log.card_id, log.rating, log.state_before, log.state_after) == (
        view.card.id,
        2,
        "new",
        "learning",
    )
    assert log.before["reps"] == 0
    assert log.after["reps"] == 1
    assert log.after["due"] == (T0 + timedelta(minutes=5, seconds=30)).isoformat()  # (1m + 10m) / 2


def test_answering_a_card_that_is_not_yours_changes_nothing(learner, app):
    other = make_user("lin")
    view = service.today(learner, T0)
    with pytest.raises(NotFound):
        service.answer(other, view.card.id, Rating.GOOD, view.version, T0)
    assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 0


def test_answering_a_card_not_shown_yet_is_refused(learner):
    hidden = db.session.scalars(
        select(CardState).where(CardState.user_id == learner.id).order_by(CardState.new_position.desc())
    ).first()
    with pytest.raises(Conflict):
        service.answer(learner, hidden.card_id, Rating.GOOD, hidden.version, T0)
    assert logs(learner) == []
    assert db.session.get(CardState, (learner.id, hidden.card_id)).state == "new"


def test_a_rating_that_does_not_exist_is_refused():
    for value in ("0", "5", "easy", "", None, "1e3"):
        with pytest.raises(UserError):
            service.parse_rating(value)


def test_empty_queue_says_when_the_next_card_is_due(learner):
    now = T0
    for _ in range(3):
        answer_current(learner, Rating.EASY, now)
        now += timedelta(seconds=1)
    view = service.today(learner, now, enable_fuzz=False)
    assert view.card is None
    # Two new cards remain but today's limit is used: the next is at the start of tomorrow (04:00 Shanghai).
    assert view.next_due == T0.replace(hour=20, minute=0)


def test_reviews_due_today_are_shown_before_new_cards(learner):
    first, _ = answer_current(learner, Rating.EASY, T0)  # graduates with a multi-day interval
    due = db.session.get(CardState, (learner.id, first.card.id)).due
    view = service.today(learner, due, enable_fuzz=False)
    assert view.card.id == first.card.id
    assert view.card_state == "review"
    assert view.counts.reviews_due == 1


def test_leaving_a_deck_removes_its_cards_from_the_queue_and_keeps_progress(learner):
    answer_current(learner, Rating.GOOD, T0)
    leave(learner, "test-deck")
    assert service.today(learner, T0).card is None
    enroll(learner, "test-deck", T0)
    assert db.session.scalar(select(func.count()).select_from(CardState).where(CardState.reps > 0)) == 1
