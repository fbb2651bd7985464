"""Studying offline at the service level, on a fixed clock: the pack a device keeps, and the replay of its
answers (in order, out of order, twice, across a learner-day rollover, after an undo made offline, for a
card changed elsewhere, not in the learner's decks, at impossible times). A twin learner studying the same
cards connected, at the same times, is what a replay must equal."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from learnapp.decks.service import enroll
from learnapp.extensions import db
from learnapp.models import Card, CardState, Deck, ReviewLog
from learnapp.srs import Rating
from learnapp.study import offline, service
from learnapp.study.offline import OfflineAnswer, Result
from learnapp.study.view import todays_counts
from tests.factories import T0, make_deck, make_user

STATE_COLUMNS = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses")
# T0 is 20:00 in Shanghai, where these learners live: their day starts at 04:00 there (20:00 UTC), so a
# morning in UTC is the middle of their evening and the day rolls over at 20:00 UTC.
EVENING = T0.replace(hour=19, minute=0)
ROLLOVER = T0.replace(hour=20, minute=0)
SYNC = EVENING + timedelta(minutes=50)  # back online, the same learner-day


@pytest.fixture
def learners(app):
    make_deck(entries=6)
    make_deck("other-deck", entries=2)
    twins = [make_user("mei", new_per_day=3), make_user("lin", new_per_day=3)]
    for user in twins:
        enroll(user, "test-deck", T0 - timedelta(days=1))
    return twins


def cards_of(user):
    """The learner's card ids in the order new cards come."""
    return db.session.scalars(
        select(CardState.card_id).where(CardState.user_id == user.id).order_by(CardState.new_position)
    ).all()


def states(user):
    db.session.expire_all()
    rows = db.session.scalars(select(CardState).where(CardState.user_id == user.id)).all()
    return {row.card_id: tuple(getattr(row, c) for c in STATE_COLUMNS) for row in rows}


def logs(user, counted=True):
    query = (
        select(ReviewLog).where(ReviewLog.user_id == user.id).order_by(ReviewLog.reviewed_at, ReviewLog.id)
    )
    if counted:
        query = query.where(~ReviewLog.undone)
    return db.session.scalars(query).all()


def kept(card_id, version, rating, at, name=None):
    return OfflineAnswer(
        id=name or f"{card_id}-{version}-{at.timestamp()}",
        card_id=card_id,
        version=version,
        rating=Rating(rating),
        answered_at=at,
        shown_at_ms=int(at.timestamp() * 1000) - 4000,
    )


def connected(user, rating, at):
    """The connected study loop: the card the page shows at `at`, answered at `at`."""
    view = service.today(user, at, enable_fuzz=False)
    assert view.card is not None
    service.answer(
        user,
        view.card.id,
        rating,
        view.version,
        at,
        shown_at_ms=int(at.timestamp() * 1000) - 4000,
        enable_fuzz=False,
    )
    return view.card.id


def test_the_pack_holds_the_days_queue_with_each_cards_answer_and_four_outcomes(learners):
    mei, _ = learners
    pack = offline.pack(mei, EVENING, enable_fuzz=False)
    first_three = cards_of(mei)[:3]
    assert [card.view.card.id for card in pack.cards] == first_three  # the new-card limit is 3
    assert [card.bucket for card in pack.cards] == ["new"] * 3
    assert pack.new_left == 3 and pack.done_today == 0
    assert pack.day.end == ROLLOVER and pack.day_ends[1] == ROLLOVER + timedelta(days=1)
    head = pack.cards[0]
    view = service.today(mei, EVENING, enable_fuzz=False)
    assert head.view.version == view.version == 0
    assert [(b.rating, b.label, b.interval) for b in head.view.buttons] == [
        (b.rating, b.label, b.interval) for b in view.buttons
    ]
    assert [(o.state, o.due - EVENING) for o in head.outcomes] == [
        ("learning", timedelta(minutes=1)),
        ("learning", timedelta(minutes=5, seconds=30)),
        ("learning", timedelta(minutes=10)),
        ("review", o_easy := head.outcomes[3].due - EVENING),
    ]
    assert o_easy >= timedelta(days=1)
    assert head.view.entry.headword == "词1"


def test_the_pack_keeps_learning_cards_and_reviews_before_new_cards(learners):
    mei, _ = learners
    first = connected(mei, Rating.AGAIN, EVENING)  # learning, due in a minute
    pack = offline.pack(mei, EVENING + timedelta(seconds=5), enable_fuzz=False)
    assert (pack.cards[0].view.card.id, pack.cards[0].bucket) == (first, "learning")
    assert [c.bucket for c in pack.cards] == ["learning", "new", "new"]  # one new card of three answered
    assert pack.cards[0].due == EVENING + timedelta(minutes=1)


def whole_day_learners(reviews_due, reviews_per_day, new_per_day, entries):
    """Twins with `reviews_due` reviews due this evening (the first card due first but the most stable, so
    a backlog's order, lowest retrievability first, is the reverse of the due order) and new cards left."""
    make_deck("big-deck", entries=entries)
    twins = []
    for name in ("ana", "bo"):
        user = make_user(name, new_per_day=new_per_day, reviews_per_day=reviews_per_day)
        enroll(user, "big-deck", T0 - timedelta(days=30))
        for k, card_id in enumerate(cards_of(user)[:reviews_due]):
            db.session.execute(
                update(CardState)
                .where(CardState.user_id == user.id, CardState.card_id == card_id)
                .values(
                    state="review",
                    due=EVENING - timedelta(hours=reviews_due - k),
                    stability=float(reviews_due + 5 - k),
                    difficulty=5.0,
                    reps=3,
                    last_review=EVENING - timedelta(days=30),
                )
            )
        db.session.commit()
        twins.append(user)
    return twins


def connected_day(user, start):
    """The cards the connected study page shows, one after another, each answered Easy (so none comes
    back the same day), until today is done."""
    shown, at = [], start
    while (view := service.today(user, at, enable_fuzz=False)).card is not None:
        service.answer(user, view.card.id, Rating.EASY, view.version, at, enable_fuzz=False)
        shown.append(view.card.id)
        at += timedelta(seconds=10)
        assert len(shown) <= 500
    return shown


def test_the_pack_carries_the_whole_day_the_study_page_counts(app):
    """55 reviews and 25 new cards today: all 80, not a first slice of them."""
    ana, bo = whole_day_learners(reviews_due=55, reviews_per_day=100, new_per_day=30, entries=80)
    counts = todays_counts(ana, EVENING)
    assert (counts.reviews_due, counts.new_available) == (55, 25)
    pack = offline.pack(ana, EVENING, enable_fuzz=False)
    assert len(pack.cards) == counts.reviews_due + counts.new_available == 80
    assert [card.bucket for card in pack.cards] == ["review"] * 55 + ["new"] * 25
    assert [card.view.card.id for card in pack.cards] == connected_day(bo, EVENING)


def test_the_pack_holds_the_reviews_of_a_backlog_the_page_shows_in_its_order(app):
    """8 reviews due, 5 allowed: the page shows the 5 least likely to be remembered; so does the pack."""
    ana, bo = whole_day_learners(reviews_due=8, reviews_per_day=5, new_per_day=2, entries=12)
    pack = offline.pack(ana, EVENING, enable_fuzz=False)
    reviews = cards_of(ana)[:8]
    assert [card.view.card.id for card in pack.cards if card.bucket == "review"] == reviews[::-1][:5]
    assert [card.view.card.id for card in pack.cards] == connected_day(bo, EVENING)
    assert len(pack.cards) == 5 + 2


def test_a_replay_in_order_gives_the_states_a_connected_session_gives(learners):
    mei, lin = learners
    times = [EVENING + timedelta(seconds=20 * n) for n in range(3)]
    ratings = [Rating.GOOD, Rating.EASY, Rating.AGAIN]
    answered = [connected(lin, rating, at) for rating, at in zip(ratings, times, strict=True)]
    pack = offline.pack(mei, EVENING - timedelta(minutes=5), enable_fuzz=False)
    device = [
        kept(card.view.card.id, card.view.version, r, at)
        for card, r, at in zip(pack.cards, ratings, times, strict=True)
    ]
    assert [a.card_id for a in device] == answered  # the device showed what the connected page showed

    results = offline.replay(mei, device, SYNC, enable_fuzz=False)

    assert [r.result for r in results] == [Result.APPLIED] * 3
    assert states(mei) == states(lin)
    mine, theirs = logs(mei), logs(lin)
    assert [(log.card_id, log.rating, log.reviewed_at, log.study_day, log.duration_ms) for log in mine] == [
        (log.card_id, log.rating, log.reviewed_at, log.study_day, log.duration_ms) for log in theirs
    ]
    assert [log.reviewed_at for log in mine] == times  # the original times, not the sync's
    assert [r.log_id for r in results] == [log.id for log in mine]


def test_answers_sent_out_of_order_are_applied_in_the_order_they_were_given(learners):
    mei, lin = learners
    times = [EVENING + timedelta(seconds=20 * n) for n in range(3)]
    for at in times:
        connected(lin, Rating.GOOD, at)
    ids = cards_of(mei)[:3]
    device = [kept(card, 0, Rating.GOOD, at) for card, at in zip(ids, times, strict=True)]

    results = offline.replay(mei, list(reversed(device)), SYNC, enable_fuzz=False)

    assert [r.card_id for r in results] == ids
    assert [r.result for r in results] == [Result.APPLIED] * 3
    assert states(mei) == states(lin)


def test_answers_sent_twice_are_applied_once_and_reported(learners):
    mei, _ = learners
    ids = cards_of(mei)[:2]
    device = [
        kept(ids[0], 0, Rating.GOOD, EVENING),
        kept(ids[1], 0, Rating.HARD, EVENING + timedelta(seconds=9)),
    ]
    later = SYNC
    first = offline.replay(mei, device, later, enable_fuzz=False)
    after_first = states(mei)

    again = offline.replay(mei, [*device, device[0]], later + timedelta(minutes=1), enable_fuzz=False)

    assert [r.result for r in first] == [Result.APPLIED, Result.APPLIED]
    assert [r.result for r in again] == [Result.ALREADY_SENT] * 3
    assert [r.log_id for r in again] == [first[0].log_id, first[0].log_id, first[1].log_id]
    assert states(mei) == after_first
    assert len(logs(mei, counted=False)) == 2
    assert "2 answers were already sent before" in offline.summary(again[1:])


def test_a_learner_day_rollover_while_offline_counts_each_answer_in_its_own_day(learners):
    mei, lin = learners
    ids = cards_of(mei)
    # Day one's three new cards before the rollover, then two more after it: the next day's allowance.
    times = [ROLLOVER - timedelta(minutes=3 - n) for n in range(3)] + [
        ROLLOVER + timedelta(minutes=1),
        ROLLOVER + timedelta(minutes=2),
    ]
    for at in times:
        connected(lin, Rating.EASY, at)
    device = [kept(card, 0, Rating.EASY, at) for card, at in zip(ids[:5], times, strict=True)]

    results = offline.replay(mei, device, ROLLOVER + timedelta(hours=2), enable_fuzz=False)

    assert [r.result for r in results] == [Result.APPLIED] * 5
    assert [log.study_day for log in logs(mei)] == [date(2026, 3, 1)] * 3 + [date(2026, 3, 2)] * 2
    assert states(mei) == states(lin)
    assert service.today(mei, ROLLOVER + timedelta(hours=2), enable_fuzz=False).done_today == 2


def test_a_new_card_beyond_that_days_limit_is_not_applied_but_kept_and_reported(learners):
    mei, _ = learners
    ids = cards_of(mei)
    device = [
        kept(card, 0, Rating.EASY, EVENING + timedelta(seconds=10 * n)) for n, card in enumerate(ids[:4])
    ]

    results = offline.replay(mei, device, SYNC, enable_fuzz=False)

    assert [r.result for r in results] == [Result.APPLIED] * 3 + [Result.NOT_DUE]
    assert "no longer in your queue" in results[3].message
    fourth = db.session.get(CardState, (mei.id, ids[3]))
    assert (fourth.state, fourth.reps, fourth.version) == ("new", 0, 0)
    (row,) = [log for log in logs(mei, counted=False) if log.card_id == ids[3]]
    assert (row.undone, row.not_applied, row.rating, row.reviewed_at) == (
        True,
        "not_due",
        int(Rating.EASY),
        EVENING + timedelta(seconds=30),
    )
    assert row.before == row.after and row.state_before == row.state_after == "new"
    assert service.today(mei, SYNC, enable_fuzz=False).done_today == 3
    assert offline.summary(results) == "3 answers sent. 1 card was no longer in your queue."


def test_an_undo_made_offline_leaves_what_a_connected_undo_leaves(learners):
    mei, lin = learners
    ids = cards_of(mei)
    t1, t2, t3, t4 = (EVENING + timedelta(seconds=15 * n) for n in range(4))
    # Connected: A Good, B Good, undo B, B Easy, C Hard.
    connected(lin, Rating.GOOD, t1)
    connected(lin, Rating.GOOD, t2)
    service.undo(lin, service.today(lin, t2 + timedelta(seconds=5)).undo_log_id, t2 + timedelta(seconds=5))
    connected(lin, Rating.EASY, t3)
    connected(lin, Rating.HARD, t4)
    # Offline, the device dropped B's first answer from its queue when the learner undid it: never sent.
    device = [
        kept(ids[0], 0, Rating.GOOD, t1),
        kept(ids[1], 0, Rating.EASY, t3),
        kept(ids[2], 0, Rating.HARD, t4),
    ]

    results = offline.replay(mei, device, SYNC, enable_fuzz=False)

    assert [r.result for r in results] == [Result.APPLIED] * 3
    assert states(mei) == states(lin)
    assert [(log.card_id, log.rating, log.reviewed_at) for log in logs(mei)] == [
        (log.card_id, log.rating, log.reviewed_at) for log in logs(lin)
    ]


def test_a_card_changed_on_another_device_keeps_that_state_and_the_answer_in_the_log(learners):
    mei, _ = learners
    pack = offline.pack(mei, EVENING, enable_fuzz=False)
    card = pack.cards[0].view
    # Another device answers the card online first; this one answered it offline a minute later.
    service.answer(
        mei, card.card.id, Rating.AGAIN, card.version, EVENING + timedelta(seconds=30), enable_fuzz=False
    )
    elsewhere = states(mei)[card.card.id]
    device = [kept(card.card.id, card.version, Rating.EASY, EVENING + timedelta(minutes=1))]

    (result,) = offline.replay(mei, device, SYNC, enable_fuzz=False)

    assert result.result is Result.CHANGED_ELSEWHERE
    assert "changed on another device" in result.message
    assert states(mei)[card.card.id] == elsewhere
    rows = logs(mei, counted=False)
    assert [(r.rating, r.undone, r.not_applied) for r in rows] == [
        (int(Rating.AGAIN), False, None),
        (int(Rating.EASY), True, "changed_elsewhere"),
    ]
    assert rows[1].id == result.log_id and rows[1].state_before == rows[1].state_after == "learning"
    assert service.today(mei, SYNC, enable_fuzz=False).done_today == 1
    # Sent again: already sent, no second row.
    (again,) = offline.replay(mei, device, SYNC + timedelta(minutes=5), enable_fuzz=False)
    assert again.result is Result.ALREADY_SENT
    assert len(logs(mei, counted=False)) == 2


def test_a_card_not_in_the_learners_decks_changes_nothing(learners):
    mei, _ = learners
    other = db.session.scalar(select(Card.id).join(Deck).where(Deck.slug == "other-deck").limit(1))
    device = [kept(other, 0, Rating.GOOD, EVENING), kept(10**9, 0, Rating.GOOD, EVENING)]

    results = offline.replay(mei, device, SYNC, enable_fuzz=False)

    assert [r.result for r in results] == [Result.NOT_YOURS] * 2
    assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 0
    assert offline.summary(results) == "0 answers sent. 2 answers could not be used."


def test_answers_at_impossible_times_change_nothing(learners):
    mei, _ = learners
    ids = cards_of(mei)
    now = SYNC
    connected(mei, Rating.EASY, EVENING)  # card 1 reviewed at EVENING (version 1 now)
    device = [
        kept(ids[1], 0, Rating.GOOD, now + timedelta(minutes=6)),  # beyond the clock-skew tolerance
        kept(ids[1], 0, Rating.GOOD, now - timedelta(days=8)),  # older than a week
        kept(ids[0], 1, Rating.GOOD, EVENING - timedelta(minutes=1)),  # before the card's last review
    ]

    results = offline.replay(mei, device, now, enable_fuzz=False)

    assert [r.result for r in results] == [Result.BAD_TIME, Result.OUT_OF_ORDER, Result.BAD_TIME]
    assert "check this device's clock" in results[2].message
    assert "more than 7 days old" in results[0].message
    assert len(logs(mei, counted=False)) == 1
    # Within the tolerance, a device clock a little ahead is fine.
    (fine,) = offline.replay(
        mei, [kept(ids[1], 0, Rating.GOOD, now + timedelta(minutes=4))], now, enable_fuzz=False
    )
    assert fine.result is Result.APPLIED


@pytest.mark.parametrize(
    "item",
    [
        None,
        {"id": "a", "card_id": "1", "version": 0, "rating": 3, "answered_at": 1},
        {"id": "a", "card_id": 1, "version": 0, "rating": 5, "answered_at": 1},
        {"id": "a", "card_id": 1, "version": -1, "rating": 3, "answered_at": 1},
        {"id": "", "card_id": 1, "version": 0, "rating": 3, "answered_at": 1},
        {"id": "a", "card_id": 1, "version": 0, "rating": True, "answered_at": 1},
        {"id": "a", "card_id": 1, "version": 0, "rating": 3, "answered_at": 1.5},
        {"id": "a", "card_id": 1, "version": 0, "rating": 3, "answered_at": 1, "shown_at": "x"},
    ],
)
def test_malformed_answers_are_refused_with_a_message(item):
    result = offline.parse_answer(item)
    assert isinstance(result, offline.Replayed)
    assert result.result is Result.INVALID and result.message


def test_a_well_formed_answer_is_read_with_its_time_in_utc():
    answer = offline.parse_answer(
        {
            "id": "x1",
            "card_id": 7,
            "version": 2,
            "rating": 4,
            "answered_at": 1_772_366_400_123,
            "shown_at": None,
        }
    )
    assert answer == OfflineAnswer(
        "x1", 7, 2, Rating.EASY, datetime(2026, 3, 1, 12, 0, 0, 123000, tzinfo=UTC), None
    )
