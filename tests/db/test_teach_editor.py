"""The deck editor's service on a real database: entries get the loader's pinyin and search columns and a
card per kind, editing keeps learners' progress, deleting retires, reordering moves new cards, settings
add and retire cards, and bad input is refused beside its field with nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from learnapp.classes import service as classes
from learnapp.classes.service import ClassFields
from learnapp.content.entry import EntryData
from learnapp.decks.loader import entry_values
from learnapp.decks.service import enroll
from learnapp.errors import Forbidden, UserError
from learnapp.extensions import db
from learnapp.models import Card, CardState, Deck, Entry, ReviewLog
from learnapp.srs import Rating
from learnapp.study import service as study
from learnapp.teach import editor
from learnapp.teach.editor import DeckFields, EntryFields
from learnapp.teach.preview import pinyin_preview, suggested_pinyin
from tests.factories import T0
from tests.http.test_teach_support import make_account


@pytest.fixture
def teacher(app):
    return make_account("olive", "teacher")


@pytest.fixture
def deck(teacher):
    return editor.create_deck(teacher, DeckFields(title="Café words!", visibility="public"), T0)


def add(teacher, deck, headword, meaning="m", **fields):
    return editor.add_entry(teacher, deck.slug, EntryFields(headword=headword, meaning=meaning, **fields), T0)


def live(deck):
    return db.session.scalars(
        select(Entry).where(Entry.deck_id == deck.id, ~Entry.retired).order_by(Entry.position)
    ).all()


def test_a_new_deck_is_the_teachers_with_a_slug_from_its_title(teacher, deck):
    assert deck.author_id == teacher.id
    assert deck.slug.startswith("cafe-words-") and len(deck.slug) == len("cafe-words-") + 6
    assert (deck.visibility, deck.card_kinds, deck.category, deck.level) == (
        "public",
        ["recognize", "recall"],
        "mandarin",
        1,
    )
    chinese = editor.create_deck(teacher, DeckFields(title="你好"), T0)
    assert chinese.slug.startswith("deck-") and chinese.visibility == "private"


def test_learners_cannot_create_decks(app):
    learner = make_account("lily")
    with pytest.raises(Forbidden):
        editor.create_deck(learner, DeckFields(title="Mine"), T0)
    assert db.session.scalar(select(func.count()).select_from(Deck)) == 0


def test_an_entry_is_filled_in_like_the_loader_does_with_a_card_per_kind(teacher, deck):
    entry = add(teacher, deck, "不客气", "you're welcome")
    assert len(entry.key) == 8 and entry.key.isalnum()
    expected = entry_values(
        EntryData(entry.key, 1, "不客气", "", "", "", "you're welcome", "", "", "", "", ())
    )
    assert {name: getattr(entry, name) for name in expected} == expected
    assert (entry.pinyin, entry.pinyin_spoken, entry.search_pinyin, entry.search_numbered) == (
        "bù kè qi",
        "bú kè qi",
        "bukeqi",
        "bu4ke4qi5",
    )
    kinds = db.session.scalars(select(Card.kind).where(Card.entry_id == entry.id).order_by(Card.kind)).all()
    assert kinds == ["recall", "recognize"]


def test_the_teachers_pinyin_wins_and_tone_numbers_become_marks(teacher, deck):
    assert add(teacher, deck, "行", pinyin="háng").pinyin == "háng"
    assert add(teacher, deck, "谢谢", pinyin="xie4 xie5").pinyin == "xiè xie"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"headword": "  "}, "headword", "Enter the word"),
        ({"meaning": ""}, "meaning", "Enter what it means"),
        ({"pinyin": "xie xie xie"}, "pinyin", "3 syllables for 2 characters"),
        ({"pinyin": "qqq"}, "pinyin", "not valid pinyin"),
        ({"headword": "词" * 121}, "headword", "longer than 120"),
        ({"tags": ", ".join(f"t{n}" for n in range(21))}, "tags", "At most 20 tags"),
        ({"notes": "x" * 2001}, "notes", "longer than 2000"),
    ],
)
def test_bad_entries_are_refused_beside_their_field(teacher, deck, fields, field, message):
    values = {"headword": "谢谢", "meaning": "thanks"} | fields
    with pytest.raises(UserError) as raised:
        editor.add_entry(teacher, deck.slug, EntryFields(**values), T0)
    assert raised.value.field == field
    assert message in raised.value.message
    assert live(deck) == []


def test_a_duplicate_headword_is_refused(teacher, deck):
    add(teacher, deck, "谢谢")
    with pytest.raises(UserError, match="already has 谢谢") as raised:
        add(teacher, deck, "谢谢")
    assert raised.value.field == "headword"
    assert len(live(deck)) == 1


def test_control_characters_are_refused_and_html_is_kept_as_text(teacher, deck):
    # Since 2026-12 a control character is refused beside its field, as an upload refuses it (the editor
    # dropped it silently, and with it the joiners emoji need).
    with pytest.raises(UserError, match=r"contains a NUL byte \(U\+0000\)") as raised:
        add(teacher, deck, "<b>坏</b>\x00", "<script>alert(1)</script>")
    assert raised.value.field == "headword" and live(deck) == []
    entry = add(teacher, deck, "<b>坏</b>", "<script>alert(1)</script>", tags="<i>x</i>, Verb, verb")
    assert entry.headword == "<b>坏</b>"
    assert entry.meaning == "<script>alert(1)</script>"
    assert entry.tags == ["<i>x</i>", "verb"]
    assert add(teacher, deck, "👩\u200d💻", "coder").headword == "👩\u200d💻"


def test_an_entry_added_to_a_deck_learners_study_reaches_their_queue(teacher, deck):
    add(teacher, deck, "你好")
    learner = make_account("lily")
    enroll(learner, deck.slug, T0)
    entry = add(teacher, deck, "再见")
    states = db.session.scalars(
        select(CardState).join(Card, Card.id == CardState.card_id).where(Card.entry_id == entry.id)
    ).all()
    assert [(s.user_id, s.state, s.active) for s in states] == [(learner.id, "new", True)] * 2


def study_first_card(learner):
    view = study.today(learner, T0, enable_fuzz=False)
    study.answer(learner, view.card.id, Rating.GOOD, view.version, T0, enable_fuzz=False)
    return view


def test_editing_an_entry_keeps_learners_progress(teacher, deck):
    entry = add(teacher, deck, "你好", "hello")
    learner = make_account("lily")
    enroll(learner, deck.slug, T0)
    view = study_first_card(learner)
    before = db.session.get(CardState, (learner.id, view.card.id))
    snapshot = (before.state, before.reps, before.due, before.stability)
    edited = editor.update_entry(
        teacher, deck.slug, entry.key, EntryFields(headword="你好", meaning="hi; hello", notes="casual"), T0
    )
    assert (edited.id, edited.key, edited.meaning, edited.notes) == (
        entry.id,
        entry.key,
        "hi; hello",
        "casual",
    )
    db.session.expire_all()
    after = db.session.get(CardState, (learner.id, view.card.id))
    assert (after.state, after.reps, after.due, after.stability) == snapshot
    assert after.active


def test_editing_the_headword_refills_the_pinyin_unless_the_teacher_wrote_it(teacher, deck):
    entry = add(teacher, deck, "你好")
    edited = editor.update_entry(teacher, deck.slug, entry.key, EntryFields(headword="谢谢", meaning="m"), T0)
    assert edited.pinyin == "xiè xie"
    assert suggested_pinyin("谢谢") == "xiè xie"


def test_deleting_an_entry_retires_it_and_keeps_history(teacher, deck):
    entry = add(teacher, deck, "你好")
    add(teacher, deck, "再见")
    learner = make_account("lily")
    enroll(learner, deck.slug, T0)
    study_first_card(learner)
    editor.retire_entry(teacher, deck.slug, entry.key, T0)
    db.session.expire_all()
    assert db.session.get(Entry, entry.id).retired
    assert all(card.retired for card in db.session.scalars(select(Card).where(Card.entry_id == entry.id)))
    states = db.session.scalars(
        select(CardState).join(Card, Card.id == CardState.card_id).where(Card.entry_id == entry.id)
    ).all()
    assert states and not any(s.active for s in states)
    assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 1
    assert [e.headword for e in live(deck)] == ["再见"]
    # A new entry with the deleted one's headword is fine: the old one is retired.
    add(teacher, deck, "你好")


def test_moving_entries_reorders_them_and_the_new_cards(teacher, deck):
    a, b, c = (add(teacher, deck, word) for word in ("一", "二", "三"))
    learner = make_account("lily")
    enroll(learner, deck.slug, T0)
    editor.move_entry(teacher, deck.slug, c.key, "up", T0)
    assert [e.headword for e in live(deck)] == ["一", "三", "二"]
    editor.move_entry(teacher, deck.slug, a.key, "up", T0)  # already first: nothing happens
    editor.move_entry(teacher, deck.slug, a.key, "down", T0)
    assert [e.headword for e in live(deck)] == ["三", "一", "二"]
    first = study.today(learner, T0, enable_fuzz=False)
    assert first.entry.headword == "三"
    with pytest.raises(UserError):
        editor.move_entry(teacher, deck.slug, b.key, "sideways", T0)


def test_moving_past_a_deleted_entry_skips_it(teacher, deck):
    _, b, c = (add(teacher, deck, word) for word in ("一", "二", "三"))
    editor.retire_entry(teacher, deck.slug, b.key, T0)
    editor.move_entry(teacher, deck.slug, c.key, "up", T0)
    assert [e.headword for e in live(deck)] == ["三", "一"]


def test_new_card_kinds_reach_learners_and_dropped_ones_retire(teacher, deck):
    entry = add(teacher, deck, "你好")
    learner = make_account("lily")
    enroll(learner, deck.slug, T0)
    editor.update_deck(
        teacher, deck.slug, DeckFields(title="T", visibility="public", card_kinds=("recognize",)), T0
    )
    active = db.session.scalars(
        select(Card.kind).join(CardState, CardState.card_id == Card.id).where(CardState.active)
    ).all()
    assert active == ["recognize"]
    with pytest.raises(UserError, match="1 entry has no example") as raised:
        editor.update_deck(
            teacher,
            deck.slug,
            DeckFields(title="T", visibility="public", card_kinds=("recognize", "context")),
            T0,
        )
    assert raised.value.field == "card_kinds"
    editor.update_entry(teacher, deck.slug, entry.key, EntryFields("你好", "hello", example_zh="你好！"), T0)
    editor.update_deck(
        teacher,
        deck.slug,
        DeckFields(title="T", visibility="public", card_kinds=("recognize", "context")),
        T0,
    )
    db.session.expire_all()
    active = db.session.scalars(
        select(Card.kind)
        .join(CardState, CardState.card_id == Card.id)
        .where(CardState.active)
        .order_by(Card.kind)
    ).all()
    assert active == ["context", "recognize"]
    with pytest.raises(UserError, match="example sentence") as raised:
        add(teacher, deck, "再见")
    assert raised.value.field == "example_zh"


def test_an_assigned_deck_cannot_be_made_private(teacher, deck):
    classroom = classes.create_class(teacher, ClassFields(name="A"), T0)
    classes.assign_deck(teacher, classroom.id, deck.slug, T0)
    with pytest.raises(UserError, match="assigned to a class") as raised:
        editor.update_deck(teacher, deck.slug, DeckFields(title="T", visibility="private"), T0)
    assert raised.value.field == "visibility"
    db.session.expire_all()
    assert db.session.get(Deck, deck.id).visibility == "public"


def test_another_teacher_cannot_touch_the_deck_but_an_admin_can(teacher, deck):
    entry = add(teacher, deck, "你好")
    other = make_account("oscar", "teacher")
    with pytest.raises(Forbidden):
        editor.retire_entry(other, deck.slug, entry.key, T0)
    admin = make_account("ada", "admin")
    editor.update_entry(admin, deck.slug, entry.key, EntryFields("你好", "hello there"), T0)
    assert live(deck)[0].meaning == "hello there"


def test_a_demoted_author_can_no_longer_edit(teacher, deck):
    teacher.role = "learner"
    db.session.commit()
    with pytest.raises(Forbidden):
        add(teacher, deck, "你好")


def test_the_pinyin_preview_suggests_pinyin_sandhi_and_glosses(teacher):
    preview = pinyin_preview(teacher, " 不客气 ")
    assert (preview.citation, preview.spoken) == ("bù kè qi", "bú kè qi")
    assert "you're welcome" in preview.glosses
    assert pinyin_preview(teacher, "行").other_readings == ("háng",)
    assert pinyin_preview(teacher, "yyds").citation == ""


def test_the_editor_pages_through_large_decks(teacher, deck):
    for number in range(1, 106):
        db.session.add(
            Entry(deck_id=deck.id, key=f"k{number}", position=number, headword=f"w{number}", meaning="m")
        )
    db.session.commit()
    first = editor.editor_page(teacher, deck.slug)
    last = editor.last_page(teacher, deck.slug)
    assert (first.total, first.pages, len(first.entries), first.has_next) == (105, 2, 100, True)
    assert (last.page, len(last.entries), last.first_position, last.entries[0].headword) == (
        2,
        5,
        101,
        "w101",
    )
    assert editor.editor_page(teacher, deck.slug, page=-3).page == 1


def test_timestamps_come_from_the_caller(teacher, deck):
    later = T0 + timedelta(days=3)
    entry = editor.add_entry(teacher, deck.slug, EntryFields("你好", "hello"), later)
    assert entry.updated_at == later
