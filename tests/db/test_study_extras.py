"""Around the study queue, on a real database with a fixed clock: leeches, suspend and reset, burying
siblings, backlogged reviews by lowest retrievability, the stored study day, and custom sessions."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from learnapp.decks.service import enroll
from learnapp.errors import Conflict, NotFound, UserError
from learnapp.extensions import db
from learnapp.models import CardState, Deck, ReviewLog
from learnapp.srs import Rating, learner_day
from learnapp.srs.policy import LEECH_LAPSES, is_leech_lapse
from learnapp.study import cards, service
from learnapp.study.sessions import StudySession
from tests.factories import T0, make_deck, make_user

DAY = learner_day(T0, "Asia/Shanghai", 4)  # 1 March 04:00 to 2 March 04:00 in Shanghai (20:00 UTC)


def card_ids(user, deck_slug=None):
    """The learner's cards in the order they are introduced."""
    query = select(CardState.card_id).where(CardState.user_id == user.id)
    if deck_slug is not None:
        query = query.where(CardState.deck_id == deck_id(deck_slug))
    return list(db.session.scalars(query.order_by(CardState.new_position, CardState.card_id)))


def deck_id(slug):
    return db.session.scalar(select(Deck.id).where(Deck.slug == slug))


def state_of(user, card_id):
    state = db.session.get(CardState, (user.id, card_id))
    db.session.refresh(state)
    return state


def make_review(user, card_id, *, due, last_review, stability, lapses=0, leech=False, difficulty=5.0):
    """Put a card straight into the review state, as if it had been studied for a while."""
    state = db.session.get(CardState, (user.id, card_id))
    state.state = "review"
    state.step = None
    state.stability = stability
    state.difficulty = difficulty
    state.due = due
    state.last_review = last_review
    state.reps = lapses + 3
    state.lapses = lapses
    state.leech = leech
    db.session.commit()
    return state


def log_count(user):
    return db.session.scalar(select(func.count()).select_from(ReviewLog).where(ReviewLog.user_id == user.id))


QUEUE = StudySession()


def answer_current(user, rating, now, session=QUEUE):
    view = service.today(user, now, enable_fuzz=False, session=session)
    assert view.card is not None, "expected a card"
    return view, service.answer(
        user, view.card.id, rating, view.version, now, enable_fuzz=False, session=session
    )


@pytest.fixture
def learner(app):
    make_deck(entries=5)
    user = make_user()
    enroll(user, "test-deck", T0)
    return user


# -- leeches ------------------------------------------------------------------------------------------


def overdue_review(user, card_id, lapses, leech=False):
    return make_review(
        user,
        card_id,
        due=T0 - timedelta(hours=1),
        last_review=T0 - timedelta(days=10),
        stability=8.0,
        lapses=lapses,
        leech=leech,
    )


def test_leech_lapses_are_the_eighth_then_every_fourth():
    assert [n for n in range(30) if is_leech_lapse(n)] == [8, 12, 16, 20, 24, 28]
    assert LEECH_LAPSES == 8


def test_the_eighth_lapse_tags_the_card_a_leech_and_suspends_it(learner):
    card = card_ids(learner)[0]
    overdue_review(learner, card, lapses=LEECH_LAPSES - 1)
    view = service.today(learner, T0, enable_fuzz=False)
    assert (view.card.id, view.card_state) == (card, "review")

    after = service.answer(learner, card, Rating.AGAIN, view.version, T0, enable_fuzz=False)

    state = state_of(learner, card)
    assert (state.lapses, state.leech, state.suspended) == (8, True, True)
    assert after.notice is not None
    assert "lapsed 8 times" in after.notice
    assert "leech" in after.notice
    assert after.card.id != card  # the next card, not the leech
    # It does not come back as a relearning step either: suspended cards are out of every queue.
    later = service.today(learner, T0 + timedelta(hours=1), enable_fuzz=False)
    assert later.card.id != card
    assert later.counts.learning == 0
    assert [c.card_id for c in cards.leeches_and_suspended(learner, "leeches")] == [card]
    assert [c.card_id for c in cards.leeches_and_suspended(learner, "suspended")] == [card]
    leech = cards.leeches_and_suspended(learner, "leeches")[0]
    assert (leech.headword, leech.lapses, leech.leech, leech.deck_slug) == (
        "词1",
        8,
        True,
        "test-deck",
    )


def test_a_lapse_below_the_threshold_is_not_a_leech(learner):
    card = card_ids(learner)[0]
    overdue_review(learner, card, lapses=LEECH_LAPSES - 2)
    view = service.today(learner, T0, enable_fuzz=False)
    after = service.answer(learner, card, Rating.AGAIN, view.version, T0, enable_fuzz=False)
    state = state_of(learner, card)
    assert (state.lapses, state.leech, state.suspended, state.state) == (7, False, False, "relearning")
    assert after.notice is None
    assert cards.leeches_and_suspended(learner, "leeches") == []


def test_a_failed_relearning_step_is_not_a_lapse(learner):
    card = card_ids(learner)[0]
    overdue_review(learner, card, lapses=LEECH_LAPSES - 1)
    state = state_of(learner, card)
    state.state, state.step, state.due = "relearning", 0, T0 - timedelta(minutes=1)
    db.session.commit()
    view = service.today(learner, T0, enable_fuzz=False)
    assert view.card.id == card
    after = service.answer(learner, card, Rating.AGAIN, view.version, T0, enable_fuzz=False)
    state = state_of(learner, card)
    assert (state.lapses, state.leech, state.suspended) == (7, False, False)
    assert after.notice is None


def test_the_twelfth_lapse_suspends_an_unsuspended_leech_again(learner):
    card = card_ids(learner)[0]
    overdue_review(learner, card, lapses=11, leech=True)  # tagged at 8, brought back by the learner
    view = service.today(learner, T0, enable_fuzz=False)
    assert view.card.id == card
    after = service.answer(learner, card, Rating.AGAIN, view.version, T0, enable_fuzz=False)
    state = state_of(learner, card)
    assert (state.lapses, state.leech, state.suspended) == (12, True, True)
    assert "lapsed 12 times" in after.notice


def test_the_ninth_lapse_of_an_unsuspended_leech_leaves_it_in_the_queue(learner):
    card = card_ids(learner)[0]
    overdue_review(learner, card, lapses=8, leech=True)
    view = service.today(learner, T0, enable_fuzz=False)
    after = service.answer(learner, card, Rating.AGAIN, view.version, T0, enable_fuzz=False)
    state = state_of(learner, card)
    assert (state.lapses, state.leech, state.suspended) == (9, True, False)
    assert after.notice is None
    assert service.today(learner, T0 + timedelta(minutes=11), enable_fuzz=False).card.id == card


def test_undoing_the_answer_that_made_a_leech_removes_the_tag_and_the_suspension(learner):
    card = card_ids(learner)[0]
    overdue_review(learner, card, lapses=LEECH_LAPSES - 1)
    view = service.today(learner, T0, enable_fuzz=False)
    after = service.answer(learner, card, Rating.AGAIN, view.version, T0, enable_fuzz=False)

    undone = service.undo(learner, after.undo_log_id, T0 + timedelta(seconds=5), enable_fuzz=False)

    state = state_of(learner, card)
    assert (state.state, state.lapses, state.leech, state.suspended) == ("review", 7, False, False)
    assert state.due == T0 - timedelta(hours=1)
    assert undone.card.id == card
    assert undone.notice is None
    assert cards.leeches_and_suspended(learner, "leeches") == []
    assert cards.leeches_and_suspended(learner, "suspended") == []


def test_undoing_the_twelfth_lapse_keeps_the_leech_tag_it_had_before(learner):
    card = card_ids(learner)[0]
    overdue_review(learner, card, lapses=11, leech=True)
    view = service.today(learner, T0, enable_fuzz=False)
    after = service.answer(learner, card, Rating.AGAIN, view.version, T0, enable_fuzz=False)

    service.undo(learner, after.undo_log_id, T0 + timedelta(seconds=5), enable_fuzz=False)

    state = state_of(learner, card)
    assert (state.lapses, state.suspended) == (11, False)
    assert state.leech is True  # a leech since its 8th lapse: undoing the 12th does not cure it
    assert [c.card_id for c in cards.leeches_and_suspended(learner, "leeches")] == [card]


def test_reset_starts_a_leech_over_as_new_and_keeps_its_review_log(learner):
    card = card_ids(learner)[0]
    overdue_review(learner, card, lapses=LEECH_LAPSES - 1)
    view = service.today(learner, T0, enable_fuzz=False)
    service.answer(learner, card, Rating.AGAIN, view.version, T0, enable_fuzz=False)

    cards.reset_card(learner, card, T0 + timedelta(minutes=1))

    state = state_of(learner, card)
    assert (state.state, state.lapses, state.reps, state.leech, state.suspended) == (
        "new",
        0,
        0,
        False,
        False,
    )
    assert (state.stability, state.difficulty, state.due, state.last_review) == (None, None, None, None)
    assert log_count(learner) == 1
    assert cards.leeches_and_suspended(learner, "leeches") == []
    # Back in the queue as the first new card (it is the first of the deck).
    again = service.today(learner, T0 + timedelta(minutes=1), enable_fuzz=False)
    assert (again.card.id, again.card_state) == (card, "new")


def test_suspend_takes_a_card_out_of_the_queue_and_unsuspend_brings_it_back(learner):
    first = card_ids(learner)[0]
    before = service.today(learner, T0, enable_fuzz=False)
    assert (before.card.id, before.counts.new_available) == (first, 5)

    cards.set_suspended(learner, first, True)
    suspended = service.today(learner, T0, enable_fuzz=False)
    assert suspended.card.id != first
    assert suspended.counts.new_available == 4
    assert [c.card_id for c in cards.leeches_and_suspended(learner, "suspended")] == [first]
    assert cards.leeches_and_suspended(learner, "leeches") == []
    with pytest.raises(Conflict):
        service.answer(learner, first, Rating.GOOD, state_of(learner, first).version, T0)

    cards.set_suspended(learner, first, False)
    back = service.today(learner, T0, enable_fuzz=False)
    assert (back.card.id, back.counts.new_available) == (first, 5)
    assert cards.leeches_and_suspended(learner, "suspended") == []


def test_suspend_reset_and_lists_are_per_learner(learner):
    other = make_user("lin")
    card = card_ids(learner)[0]
    with pytest.raises(NotFound):
        cards.set_suspended(other, card, True)
    with pytest.raises(NotFound):
        cards.reset_card(other, card, T0)
    assert state_of(learner, card).suspended is False
    cards.set_suspended(learner, card, True)
    assert cards.leeches_and_suspended(other, "suspended") == []


# -- siblings -----------------------------------------------------------------------------------------


@pytest.fixture
def two_kinds(app):
    """Three entries, each with a recognize and a recall card (recognize cards come first)."""
    make_deck(entries=3, kinds='["recognize", "recall"]')

    def _learner(**settings):
        user = make_user(**settings)
        enroll(user, "test-deck", T0)
        return user

    return _learner


def cards_by_kind(user):
    from learnapp.models import Card, Entry

    rows = db.session.execute(
        select(Entry.key, Card.kind, Card.id)
        .join(Card, Card.entry_id == Entry.id)
        .join(CardState, CardState.card_id == Card.id)
        .where(CardState.user_id == user.id)
    )
    return {(key, kind): card_id for key, kind, card_id in rows}


def test_answering_a_card_buries_its_sibling_until_the_next_day(two_kinds):
    user = two_kinds()
    cards = cards_by_kind(user)
    assert service.today(user, T0, enable_fuzz=False).counts.new_available == 6

    shown, view = answer_current(user, Rating.EASY, T0)
    assert shown.card.id == cards[("e1", "recognize")]

    sibling = state_of(user, cards[("e1", "recall")])
    assert sibling.buried_until == DAY.end
    assert sibling.state == "new"
    assert view.counts.new_available == 4  # 6 - the answered card - its buried sibling
    assert state_of(user, cards[("e2", "recall")]).buried_until is None

    # Answer the rest of today's cards: the buried sibling never shows up today.
    seen = []
    now = T0
    while view.card is not None:
        now += timedelta(seconds=10)
        shown, view = answer_current(user, Rating.EASY, now)
        seen.append((shown.entry.key, shown.card.kind))
    assert seen == [("e2", "recognize"), ("e3", "recognize")]
    assert view.next_due == DAY.end

    tomorrow = service.today(user, DAY.end + timedelta(minutes=1), enable_fuzz=False)
    assert tomorrow.counts.new_available == 3
    assert (tomorrow.entry.key, tomorrow.card.kind) == ("e1", "recall")


def test_a_buried_sibling_cannot_be_answered_today(two_kinds):
    user = two_kinds()
    cards = cards_by_kind(user)
    answer_current(user, Rating.EASY, T0)
    sibling = state_of(user, cards[("e1", "recall")])
    with pytest.raises(Conflict):
        service.answer(user, sibling.card_id, Rating.GOOD, sibling.version, T0 + timedelta(seconds=5))
    assert log_count(user) == 1


def test_a_review_sibling_is_buried_too(two_kinds):
    user = two_kinds()
    cards = cards_by_kind(user)
    recall = cards[("e1", "recall")]
    make_review(user, recall, due=T0 - timedelta(hours=2), last_review=T0 - timedelta(days=5), stability=4)
    assert service.today(user, T0, enable_fuzz=False).counts.reviews_due == 1
    # The review comes first; answering it buries the new recognize card of the same word.
    shown, view = answer_current(user, Rating.GOOD, T0)
    assert shown.card.id == recall
    assert state_of(user, cards[("e1", "recognize")]).buried_until == DAY.end
    assert view.counts.new_available == 4
    assert (view.entry.key, view.card.kind) == ("e2", "recognize")


def test_siblings_are_not_buried_when_the_learner_turned_it_off(two_kinds):
    user = two_kinds(preferences={"bury_siblings": False})
    cards = cards_by_kind(user)
    _, view = answer_current(user, Rating.EASY, T0)
    assert state_of(user, cards[("e1", "recall")]).buried_until is None
    assert view.counts.new_available == 5
    seen = []
    now = T0
    while view.card is not None:
        now += timedelta(seconds=10)
        shown, view = answer_current(user, Rating.EASY, now)
        seen.append((shown.entry.key, shown.card.kind))
    assert ("e1", "recall") in seen
    assert len(seen) == 5


def test_undo_unburies_the_siblings(two_kinds):
    user = two_kinds()
    cards = cards_by_kind(user)
    _, view = answer_current(user, Rating.EASY, T0)
    undone = service.undo(user, view.undo_log_id, T0 + timedelta(seconds=5), enable_fuzz=False)
    assert state_of(user, cards[("e1", "recall")]).buried_until is None
    assert undone.counts.new_available == 6


def test_undoing_a_second_answer_of_a_card_keeps_the_siblings_buried_by_the_first(two_kinds):
    user = two_kinds()
    cards = cards_by_kind(user)
    recognize = cards[("e1", "recognize")]
    shown, _ = answer_current(user, Rating.GOOD, T0)  # new -> learning, due in 10 minutes
    assert shown.card.id == recognize
    later = T0 + timedelta(minutes=11)
    view = service.today(user, later, card_id=recognize, enable_fuzz=False)
    assert view.card.id == recognize
    second = service.answer(user, recognize, Rating.GOOD, view.version, later, enable_fuzz=False)

    service.undo(user, second.undo_log_id, later + timedelta(seconds=5), enable_fuzz=False)

    # The first answer still stands, so the sibling stays buried for today.
    assert state_of(user, cards[("e1", "recall")]).buried_until == DAY.end
    assert service.today(user, later, enable_fuzz=False).counts.new_available == 4


# -- backlog: lowest retrievability first --------------------------------------------------------------


@pytest.fixture
def reviews(app):
    """Three overdue reviews whose order by due date is the reverse of their order by retrievability."""
    make_deck(entries=4)
    user = make_user()
    enroll(user, "test-deck", T0)
    a, b, c, _new = card_ids(user)
    # elapsed / stability: A 30/100 = 0.3, C 20/10 = 2, B 10/2 = 5; due: A first, then C, then B.
    make_review(user, a, due=T0 - timedelta(days=5), last_review=T0 - timedelta(days=30), stability=100.0)
    make_review(user, b, due=T0 - timedelta(days=1), last_review=T0 - timedelta(days=10), stability=2.0)
    make_review(user, c, due=T0 - timedelta(days=3), last_review=T0 - timedelta(days=20), stability=10.0)
    return user, {"A": a, "B": b, "C": c}


def review_order(user, names, answers):
    by_id = {card_id: name for name, card_id in names.items()}
    order = []
    now = T0
    for _ in range(answers):
        shown, _ = answer_current(user, Rating.GOOD, now)
        order.append(by_id.get(shown.card.id, "new"))
        now += timedelta(seconds=10)
    return order


def test_backlogged_reviews_come_lowest_retrievability_first(reviews):
    user, names = reviews
    user.reviews_per_day = 2
    db.session.commit()
    view = service.today(user, T0, enable_fuzz=False)
    assert view.counts.reviews_due == 2
    assert view.card.id == names["B"]
    assert review_order(user, names, 3) == ["B", "C", "new"]


def test_without_a_backlog_reviews_come_earliest_due_first(reviews):
    user, names = reviews
    user.reviews_per_day = 3  # exactly what is due: no backlog
    db.session.commit()
    assert service.today(user, T0, enable_fuzz=False).counts.reviews_due == 3
    assert review_order(user, names, 4) == ["A", "C", "B", "new"]


def test_retrievability_order_uses_the_time_since_the_last_review(reviews):
    user, names = reviews
    user.reviews_per_day = 1
    db.session.commit()
    # B's last review moves to yesterday evening: 0.9 days / 2 = 0.45, now above A (0.3) but below C (2).
    state = db.session.get(CardState, (user.id, names["B"]))
    state.last_review = T0 - timedelta(hours=21, minutes=36)
    db.session.commit()
    assert service.today(user, T0, enable_fuzz=False).card.id == names["C"]
    state.last_review = T0 - timedelta(days=21)  # 10.5: lowest of all
    db.session.commit()
    assert service.today(user, T0, enable_fuzz=False).card.id == names["B"]


# -- the study day on the review log -------------------------------------------------------------------


def study_days(user):
    return list(
        db.session.scalars(
            select(ReviewLog.study_day).where(ReviewLog.user_id == user.id).order_by(ReviewLog.id)
        )
    )


def test_the_review_log_stores_the_learners_study_day(learner):
    two_am = T0.replace(hour=18)  # 02:00 on 2 March in Shanghai: before the 04:00 rollover
    half_past_four = T0.replace(hour=20, minute=30)  # 04:30 on 2 March in Shanghai
    answer_current(learner, Rating.GOOD, two_am)
    answer_current(learner, Rating.GOOD, half_past_four)
    assert study_days(learner) == [date(2026, 3, 1), date(2026, 3, 2)]


def test_the_study_day_follows_the_rollover_hour_and_timezone_at_answer_time(app):
    make_deck(entries=3)
    user = make_user(day_rollover_hour=0)
    enroll(user, "test-deck", T0)
    answer_current(user, Rating.GOOD, T0.replace(hour=18))  # 02:00 on 2 March, rollover at midnight
    user.timezone = "America/New_York"  # 13:00 on 1 March there
    db.session.commit()
    answer_current(user, Rating.GOOD, T0.replace(hour=18, minute=1))
    assert study_days(user) == [date(2026, 3, 2), date(2026, 3, 1)]


# -- custom sessions ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("", StudySession()),
        (None, StudySession()),
        ("failed", StudySession("failed")),
        ("deck:7", StudySession("deck", deck_id=7)),
        ("ahead:1", StudySession("ahead", days=1)),
        ("ahead:30", StudySession("ahead", days=30)),
    ],
)
def test_session_tokens_parse_and_round_trip(token, expected):
    session = StudySession.parse(token)
    assert session == expected
    assert StudySession.parse(session.token) == session


@pytest.mark.parametrize(
    "token", ["ahead:0", "ahead:31", "ahead:", "ahead:-1", "deck:x", "deck:", "bogus", "failed:1", "queue"]
)
def test_unknown_session_tokens_are_refused(token):
    with pytest.raises(UserError) as raised:
        StudySession.parse(token)
    assert raised.value.field == "session"


@pytest.fixture
def two_decks(app):
    make_deck("deck-a", entries=3)
    make_deck("deck-b", entries=3)
    user = make_user()
    enroll(user, "deck-a", T0)
    enroll(user, "deck-b", T0)
    return user


def test_one_deck_session_counts_and_shows_only_that_decks_cards(two_decks):
    user = two_decks
    whole = service.today(user, T0, enable_fuzz=False)
    assert whole.counts.new_available == 6
    session = StudySession.parse(f"deck:{deck_id('deck-b')}")
    view = service.today(user, T0, enable_fuzz=False, session=session)
    assert view.counts.new_available == 3
    assert view.card.deck_id == deck_id("deck-b")
    seen = []
    now = T0
    while view.card is not None:
        shown, view = answer_current(user, Rating.EASY, now, session=session)
        seen.append(shown.card.deck_id)
        now += timedelta(seconds=10)
    assert seen == [deck_id("deck-b")] * 3
    assert view.counts.total == 0
    # Deck A is untouched and still waits in the whole queue.
    assert service.today(user, now, enable_fuzz=False).counts.new_available == 3


def test_a_card_of_another_deck_is_refused_in_a_one_deck_session(two_decks):
    user = two_decks
    a_card = card_ids(user, "deck-a")[0]
    whole = service.today(user, T0, enable_fuzz=False)
    assert whole.card.id == a_card  # answerable in the whole queue
    session = StudySession("deck", deck_id=deck_id("deck-b"))
    with pytest.raises(Conflict):
        service.answer(user, a_card, Rating.GOOD, whole.version, T0, session=session)
    assert log_count(user) == 0
    # And asking for it by id in that session shows that deck's card instead.
    assert service.today(user, T0, card_id=a_card, session=session).card.deck_id == deck_id("deck-b")


def test_failed_session_holds_todays_again_cards_until_answered_right(learner):
    e1, e2, e3, _, _ = card_ids(learner)
    answer_current(learner, Rating.AGAIN, T0)  # e1
    answer_current(learner, Rating.GOOD, T0 + timedelta(seconds=10))  # e2
    answer_current(learner, Rating.AGAIN, T0 + timedelta(seconds=20))  # e3
    failed = StudySession.parse("failed")
    now = T0 + timedelta(seconds=30)

    view = service.today(learner, now, enable_fuzz=False, session=failed)
    assert view.counts.total == 2
    assert view.card.id == e1  # failed earliest first; due in a minute, but shown now
    with pytest.raises(Conflict):
        service.answer(learner, e2, Rating.GOOD, state_of(learner, e2).version, now, session=failed)

    after = service.answer(learner, e1, Rating.GOOD, view.version, now, enable_fuzz=False, session=failed)
    assert after.counts.total == 1
    assert after.card.id == e3
    after = service.answer(learner, e3, Rating.AGAIN, after.version, now, enable_fuzz=False, session=failed)
    assert (after.counts.total, after.card.id) == (1, e3)  # failed again: still in the session
    after = service.answer(learner, e3, Rating.HARD, after.version, now, enable_fuzz=False, session=failed)
    assert after.counts.total == 0
    assert after.card is None
    assert log_count(learner) == 6


def test_failed_session_leaves_out_undone_answers_and_yesterdays_failures(learner):
    answer_current(learner, Rating.AGAIN, T0)
    _, view = answer_current(learner, Rating.AGAIN, T0 + timedelta(seconds=10))
    service.undo(learner, view.undo_log_id, T0 + timedelta(seconds=20))
    failed = StudySession("failed")
    assert service.today(learner, T0 + timedelta(seconds=30), session=failed).counts.total == 1
    tomorrow = DAY.end + timedelta(hours=1)
    view = service.today(learner, tomorrow, session=failed)
    assert (view.counts.total, view.card) == (0, None)


def test_study_ahead_takes_reviews_due_in_the_next_days_and_answers_them_early(learner):
    soon, later, today_due, *_ = card_ids(learner)
    make_review(
        learner, soon, due=DAY.end + timedelta(hours=30), last_review=T0 - timedelta(days=30), stability=30
    )
    make_review(
        learner,
        later,
        due=DAY.end + timedelta(days=2, hours=1),
        last_review=T0 - timedelta(days=3),
        stability=6,
    )
    make_review(
        learner, today_due, due=T0 - timedelta(hours=1), last_review=T0 - timedelta(days=3), stability=3
    )

    assert service.today(learner, T0, session=StudySession("ahead", days=1)).counts.total == 0
    two = service.today(learner, T0, enable_fuzz=False, session=StudySession.parse("ahead:2"))
    assert (two.counts.total, two.card.id) == (1, soon)
    three = service.today(learner, T0, enable_fuzz=False, session=StudySession.parse("ahead:3"))
    assert (three.counts.total, three.card.id) == (2, soon)

    # Not due today, so the whole queue refuses it; study ahead takes it.
    with pytest.raises(Conflict):
        service.answer(learner, soon, Rating.GOOD, three.version, T0)
    before = state_of(learner, soon).due
    after = service.answer(
        learner,
        soon,
        Rating.GOOD,
        three.version,
        T0,
        enable_fuzz=False,
        session=StudySession("ahead", days=3),
    )
    state = state_of(learner, soon)
    assert state.reps == 4
    assert state.last_review == T0
    assert state.due > before
    assert after.card.id == later
    assert after.counts.total == 1
    assert db.session.scalar(select(ReviewLog.state_before).where(ReviewLog.card_id == soon)) == "review"
