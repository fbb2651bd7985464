"""Classes on a real database with a fixed clock: join codes, joining (wrong code, full class, twice),
assigned decks in every member's queue, leaving and removal keeping progress, and the dashboard's
figures: cards studied, reviews in 7 days (undone ones excluded), retention, due now, last active and the
hardest entries, for members and the class's decks only."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from learnapp.classes import service as classes
from learnapp.classes.dashboard import dashboard as class_dashboard
from learnapp.classes.service import CODE_ALPHABET, ClassFields
from learnapp.errors import Forbidden, NotFound, UserError
from learnapp.extensions import db
from learnapp.models import Card, CardState, ClassMember, Deck, Enrollment, Entry, ReviewLog
from learnapp.srs import Rating
from learnapp.study import service as study
from learnapp.teach import editor
from learnapp.teach.editor import DeckFields, EntryFields
from tests.factories import T0, make_deck
from tests.http.test_teach_support import make_account


@pytest.fixture
def teacher(app):
    return make_account("olive", "teacher")


@pytest.fixture
def deck(teacher):
    deck = editor.create_deck(
        teacher, DeckFields(title="Words", visibility="unlisted", card_kinds=("recognize",)), T0
    )
    for word, meaning in (("你好", "hello"), ("谢谢", "thanks"), ("再见", "goodbye")):
        editor.add_entry(teacher, deck.slug, EntryFields(headword=word, meaning=meaning), T0)
    return deck


@pytest.fixture
def classroom(teacher, deck):
    classroom = classes.create_class(teacher, ClassFields(name="Evening class", capacity=2), T0)
    classes.assign_deck(teacher, classroom.id, deck.slug, T0)
    return classroom


def queue_size(user):
    return study.today(user, T0, enable_fuzz=False).counts.new_available


def test_a_join_code_is_eight_unambiguous_characters(teacher):
    codes = {classes.create_class(teacher, ClassFields(name=f"C{n}"), T0).join_code for n in range(20)}
    assert len(codes) == 20
    for code in codes:
        assert re.fullmatch(f"[{CODE_ALPHABET}]{{8}}", code)
        assert not set(code) & set("0O1I")


def test_learners_cannot_create_classes(app):
    with pytest.raises(Forbidden):
        classes.create_class(make_account("lily"), ClassFields(name="Mine"), T0)


def test_joining_puts_the_classs_decks_in_the_queue(classroom):
    learner = make_account("lily")
    assert queue_size(learner) == 0
    joined, new = classes.join(
        learner, f"  {classroom.join_code.lower()[:4]}-{classroom.join_code.lower()[4:]} ", T0
    )
    assert (joined.id, new) == (classroom.id, True)
    assert queue_size(learner) == 3
    assert classes.join(learner, classroom.join_code, T0) == (classroom, False)  # twice is fine
    assert db.session.scalar(select(func.count()).select_from(ClassMember)) == 1


def test_a_wrong_code_or_a_full_class_is_a_clear_message_and_writes_nothing(classroom):
    learner = make_account("lily")
    with pytest.raises(NotFound, match="No class has the code ZZZZ2222") as raised:
        classes.join(learner, "zzzz2222", T0)
    assert raised.value.field == "code"
    with pytest.raises(NotFound):
        classes.join(learner, "", T0)
    classes.join(make_account("a1"), classroom.join_code, T0)
    classes.join(make_account("a2"), classroom.join_code, T0)
    with pytest.raises(UserError, match="This class is full") as raised:
        classes.join(learner, classroom.join_code, T0)
    assert raised.value.field == "code"
    assert db.session.get(ClassMember, (classroom.id, learner.id)) is None
    assert db.session.scalar(select(func.count()).where(Enrollment.user_id == learner.id)) == 0


def test_the_teacher_cannot_join_their_own_class(teacher, classroom):
    with pytest.raises(UserError, match="You teach this class"):
        classes.join(teacher, classroom.join_code, T0)


def test_assigning_a_deck_reaches_every_member_and_a_private_deck_is_refused(teacher, classroom):
    members = [make_account(name) for name in ("lily", "mo")]
    for member in members:
        classes.join(member, classroom.join_code, T0)
    shipped = make_deck("shipped", entries=4)
    _, _, new = classes.assign_deck(teacher, classroom.id, shipped.slug, T0)
    assert new
    assert [queue_size(m) for m in members] == [7, 7]
    assert classes.assign_deck(teacher, classroom.id, shipped.slug, T0)[2] is False
    secret = editor.create_deck(teacher, DeckFields(title="Secret", visibility="private"), T0)
    with pytest.raises(UserError, match="private") as raised:
        classes.assign_deck(teacher, classroom.id, secret.slug, T0)
    assert raised.value.field == "deck"
    other = make_account("oscar", "teacher")
    others = editor.create_deck(other, DeckFields(title="Oscar's", visibility="private"), T0)
    with pytest.raises(NotFound):  # another teacher's private deck does not exist for this teacher
        classes.assign_deck(teacher, classroom.id, others.slug, T0)


def test_leaving_and_removal_keep_decks_and_progress(teacher, classroom):
    lily, mo = make_account("lily"), make_account("mo")
    for member in (lily, mo):
        classes.join(member, classroom.join_code, T0)
    view = study.today(lily, T0, enable_fuzz=False)
    study.answer(lily, view.card.id, Rating.GOOD, view.version, T0, enable_fuzz=False)
    classes.leave(lily, classroom.id)
    classes.remove_member(teacher, classroom.id, mo.id)
    assert db.session.scalar(select(func.count()).select_from(ClassMember)) == 0
    assert db.session.scalar(select(func.count()).where(Enrollment.active)) == 2
    assert db.session.get(CardState, (lily.id, view.card.id)).reps == 1
    with pytest.raises(NotFound):
        classes.leave(lily, classroom.id)
    with pytest.raises(NotFound):
        classes.remove_member(teacher, classroom.id, mo.id)


def test_unassigning_keeps_the_deck_in_members_queues(teacher, classroom, deck):
    lily = make_account("lily")
    classes.join(lily, classroom.join_code, T0)
    classes.unassign_deck(teacher, classroom.id, deck.slug)
    assert queue_size(lily) == 3
    later = make_account("late")
    classes.join(later, classroom.join_code, T0)
    assert queue_size(later) == 0  # joined after: the deck is no longer the class's


def test_another_teacher_sees_nothing_of_the_class(classroom):
    other = make_account("oscar", "teacher")
    for action in (
        lambda: class_dashboard(other, classroom.id, T0),
        lambda: classes.new_join_code(other, classroom.id),
        lambda: classes.remove_member(other, classroom.id, 1),
    ):
        with pytest.raises(NotFound):
            action()
    admin = make_account("ada", "admin")
    assert class_dashboard(admin, classroom.id, T0).classroom.id == classroom.id


def test_a_new_join_code_replaces_the_old_one(teacher, classroom):
    old = classroom.join_code
    new = classes.new_join_code(teacher, classroom.id).join_code
    assert new != old
    with pytest.raises(NotFound):
        classes.join(make_account("lily"), old, T0)


def log(user, card_id, rating, at, state_before="review", undone=False):
    db.session.add(
        ReviewLog(
            user_id=user.id,
            card_id=card_id,
            rating=rating,
            reviewed_at=at,
            state_before=state_before,
            state_after="review",
            before={},
            after={},
            undone=undone,
        )
    )


def card_ids(deck):
    return db.session.scalars(
        select(Card.id)
        .join(Entry, Entry.id == Card.entry_id)
        .where(Card.deck_id == deck.id)
        .order_by(Entry.position)
    ).all()


def test_the_dashboard_figures(teacher, classroom, deck):
    now = T0 + timedelta(days=40)
    lily, mo = make_account("lily"), make_account("mo")
    outsider = make_account("zed")
    for member in (lily, mo):
        classes.join(member, classroom.join_code, T0)
    first, second, third = card_ids(deck)
    # lily, in the last 30 days: four reviews of learned cards (3 passed: ratings 3, 4 and 2), one more
    # that was undone (never counted), and a new card's first answer (counts as a review, not for retention).
    # Four of them in the last 7 days. One review 35 days ago is outside both windows.
    log(lily, first, 3, now - timedelta(days=1))
    log(lily, second, 1, now - timedelta(days=2))
    log(lily, third, 4, now - timedelta(days=3))
    log(lily, first, 3, now - timedelta(hours=1), undone=True)
    log(lily, first, 2, now - timedelta(days=10))
    log(lily, second, 3, now - timedelta(days=35))
    log(lily, third, 3, now - timedelta(days=5), state_before="new")  # not a review of a learned card
    # An outsider's reviews of the same deck, and lily's reviews in another deck, are not the class's.
    make_deck("elsewhere", entries=1)
    log(outsider, first, 1, now - timedelta(days=1))
    other_card = db.session.scalar(
        select(Card.id).join(Deck, Deck.id == Card.deck_id).where(Deck.slug == "elsewhere")
    )
    log(lily, other_card, 1, now - timedelta(days=1))
    db.session.execute(
        update(CardState)
        .where(CardState.user_id == lily.id, CardState.card_id.in_([first, second]))
        .values(state="review", due=now - timedelta(hours=2), lapses=2)
    )
    db.session.execute(
        update(CardState)
        .where(CardState.user_id == lily.id, CardState.card_id == third)
        .values(state="review", due=now + timedelta(days=2))
    )
    db.session.execute(
        update(CardState)
        .where(CardState.user_id == mo.id, CardState.card_id == second)
        .values(state="relearning", due=now - timedelta(minutes=5), lapses=3)
    )
    db.session.commit()

    view = class_dashboard(teacher, classroom.id, now)
    rows = {row.username: row for row in view.learners}
    assert list(rows) == ["lily", "mo"]
    assert (rows["lily"].cards_studied, rows["lily"].due_now, rows["lily"].reviews_recent) == (3, 2, 4)
    assert rows["lily"].retention == pytest.approx(3 / 4)
    assert rows["lily"].retention_reviews == 4
    assert rows["lily"].last_active == now - timedelta(days=1)
    assert (rows["mo"].cards_studied, rows["mo"].due_now, rows["mo"].reviews_recent) == (1, 1, 0)
    assert (rows["mo"].retention, rows["mo"].last_active) == (None, None)
    [assigned] = view.decks
    assert [(h.headword, h.lapses, h.learners) for h in assigned.hardest] == [("谢谢", 5, 2), ("你好", 2, 1)]


def test_the_dashboard_counts_real_answers(teacher, classroom):
    lily = make_account("lily")
    classes.join(lily, classroom.join_code, T0)
    for offset in range(2):
        view = study.today(lily, T0 + timedelta(seconds=offset), enable_fuzz=False)
        study.answer(
            lily, view.card.id, Rating.GOOD, view.version, T0 + timedelta(seconds=offset), enable_fuzz=False
        )
    [row] = class_dashboard(teacher, classroom.id, T0 + timedelta(minutes=1)).learners
    assert (row.cards_studied, row.reviews_recent, row.retention, row.last_active) == (
        2,
        2,
        None,
        T0 + timedelta(seconds=1),
    )


def test_my_classes_lists_the_learners_classes_with_their_decks(teacher, classroom, deck):
    lily = make_account("lily")
    classes.join(lily, classroom.join_code, T0)
    [mine] = classes.learner_classes(lily)
    assert (mine.classroom.name, mine.teacher_name, [d.slug for d in mine.decks]) == (
        "Evening class",
        "olive",
        [deck.slug],
    )
    preview = classes.join_preview(make_account("new"), classroom.join_code)
    assert (preview.members, preview.full, preview.deck_titles) == (1, False, ["Words"])
