"""The reader's service on a real database (SQLite, or PostgreSQL with TEST_DATABASE_URL): the same action
sent twice at once (two threads, two sessions) does it once; the curated mapping follows the decks; the
knowledge query; the sentence's pinyin as the decks write it."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from learnapp.content.deckfile import parse_deck_text
from learnapp.decks.loader import load_deck
from learnapp.extensions import db
from learnapp.models import CardState, Deck, Enrollment, Entry, MyWord, ReaderText, User
from learnapp.reader import service
from learnapp.reader.service import TextFields
from tests.factories import T0
from tests.http.test_teach_support import make_account

BOSS_DECK = """
[deck]
slug = "office-words"
title = "Office words"
category = "mandarin"
card_kinds = ["recognize", "recall"]

[[entries]]
id = "laoban"
headword = "老板"
pinyin = "lǎo bǎn"
meaning = "boss; shop owner"
"""


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _at_once(app, work, times: int = 2) -> tuple[list, list]:
    """Run `work(user)` in `times` threads released together, each with its own app context and session."""
    barrier = threading.Barrier(times)
    results: list = []
    errors: list = []
    user_id = db.session.scalar(select(User.id).where(User.username == "mei"))
    db.session.commit()

    def run() -> None:
        with app.app_context():
            try:
                user = db.session.get(User, user_id)
                barrier.wait(timeout=10)
                results.append(work(user))
            except Exception as error:  # reported by the test
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    db.session.expire_all()
    return results, errors


@pytest.mark.parametrize("ours", [False, True], ids=["a word of CC-CEDICT", "one of our entries"])
def test_the_same_word_added_twice_at_once_is_added_once(app, ours):
    if ours:
        load_deck(parse_deck_text(BOSS_DECK, "office-words.toml"), T0)
        db.session.commit()
    mei = make_account("mei")
    text, _ = service.save_text(mei, TextFields("我们老板人超好！"), T0)
    text_id = text.id

    def add(user):
        found = service.readable(user, text_id)
        return service.add_word(user, found, 2, 2, "", T0 + timedelta(minutes=1))

    results, errors = _at_once(app, add)
    assert errors == []
    assert sorted(result.new for result in results) == [False, True]
    assert _count(MyWord) == 1
    assert _count(Entry, Entry.headword == "老板") == 1
    states = _count(CardState, CardState.user_id == mei.id, CardState.active)
    if ours:
        assert results[0].linked and states == 2  # the entry's recognize and recall cards
        assert _count(Deck, Deck.author_id == mei.id) == 0
    else:
        assert states == 1  # My words makes a recognize card
        assert _count(Deck, Deck.author_id == mei.id) == 1
        assert _count(Enrollment, Enrollment.user_id == mei.id) == 1


def test_the_same_text_read_twice_at_once_is_kept_once(app):
    make_account("mei")
    results, errors = _at_once(app, lambda user: service.save_text(user, TextFields("这家火锅yyds"), T0))
    assert errors == []
    assert sorted(new for _, new in results) == [False, True]
    assert _count(ReaderText) == 1


def test_the_curated_mapping_follows_the_decks(app):
    mei = make_account("mei")
    tokens = service.segmenter().segment("老板好")
    assert [t.kind.value for t in tokens][:1] == ["word"]
    load_deck(parse_deck_text(BOSS_DECK, "office-words.toml"), T0 + timedelta(hours=1))
    db.session.commit()
    token = service.segmenter().segment("老板好")[0]
    assert (
        token.kind.value == "curated" and token.entry.headword == "老板" and token.entry.pinyin == "lǎo bǎn"
    )
    # A private deck (a learner's My words, a teacher's draft) is not ours to put first.
    text, _ = service.save_text(mei, TextFields("同事都很好"), T0)
    service.add_word(mei, service.readable(mei, text.id), 0, 2, "", T0)
    assert service.segmenter().segment("同事")[0].kind.value == "word"


def test_knowledge_is_one_query_over_every_deck_of_the_learner(app):
    load_deck(parse_deck_text(BOSS_DECK, "office-words.toml"), T0)
    db.session.commit()
    mei = make_account("mei")
    text, _ = service.save_text(mei, TextFields("老板说同事们都很好"), T0)
    found = service.readable(mei, text.id)
    assert service.knowledge(mei.id, ["老板", "同事", "好"]) == {}
    service.add_word(mei, found, 0, 2, "", T0)
    service.add_word(mei, found, 3, 2, "", T0)
    assert service.knowledge(mei.id, ["老板", "同事", "好"]) == {"老板": "learning", "同事": "learning"}
    db.session.execute(
        CardState.__table__.update().where(CardState.user_id == mei.id).values(state="review", stability=30.0)
    )
    db.session.commit()
    assert service.knowledge(mei.id, ["老板", "同事"]) == {"老板": "known", "同事": "known"}
    view = service.reading(mei, found.text)
    assert (view.counts.known, view.counts.new) == (2, view.counts.words - 2)


def test_a_removed_word_of_my_words_is_out_of_the_queue_and_comes_back_whole(app):
    mei = make_account("mei")
    text, _ = service.save_text(mei, TextFields("同事都很好"), T0)
    found = service.readable(mei, text.id)
    added = service.add_word(mei, found, 0, 2, "Colleagues are all nice.", T0)
    service.remove_word(mei, added.entry.id, T0)
    db.session.expire_all()
    assert db.session.get(Entry, added.entry.id).retired
    assert _count(CardState, CardState.user_id == mei.id, CardState.active) == 0
    again = service.add_word(mei, found, 0, 2, "", T0)
    assert again.new and again.entry.id == added.entry.id
    assert _count(CardState, CardState.user_id == mei.id, CardState.active) == 1
    with pytest.raises(service.NotFound):
        service.remove_word(make_account("li"), added.entry.id, T0)


def test_a_text_deleted_twice_at_once_is_deleted_once_and_the_second_is_told_so(app):
    mei = make_account("mei")
    text, _ = service.save_text(mei, TextFields("这家火锅yyds"), T0)
    text_id = text.id

    def delete(user):
        try:
            return service.delete_text(user, text_id).id
        except service.NotFound:
            return "not found"

    results, errors = _at_once(app, delete)
    assert errors == [] and sorted(map(str, results)) == sorted([str(text_id), "not found"])
    assert _count(ReaderText) == 0


def test_a_reading_published_and_opened_twice_at_once_counts_once(app):
    from learnapp.classes import service as classes
    from learnapp.classes.service import ClassFields
    from learnapp.models import ClassReading, ReadingOpen

    olive = make_account("olive", "teacher")
    student = make_account("mei")
    classroom = classes.create_class(olive, ClassFields(name="Evening class"), T0)
    classes.join(student, classroom.join_code, T0)
    text, _ = service.save_text(olive, TextFields("这家火锅yyds"), T0)
    text_id, class_id, olive_id = text.id, classroom.id, olive.id

    def publish(_user):
        teacher = db.session.get(User, olive_id)
        return service.publish(teacher, text_id, class_id, T0)[1]

    results, errors = _at_once(app, publish)
    assert errors == [] and sorted(results) == [False, True] and _count(ClassReading) == 1

    def open_it(user):
        found = service.readable(user, text_id)
        service.opened(user, found, T0)
        return found.reading.id

    results, errors = _at_once(app, open_it)
    assert errors == [] and _count(ReadingOpen) == 1
    assert [figure.opened for figure in service.class_reading_figures(class_id)] == [1]


@pytest.mark.parametrize(
    ("state", "stability", "shown"),
    [
        ("review", 21.0, "known"),  # the threshold itself: stable for three weeks
        ("review", 400.0, "known"),
        ("review", 20.9, "learning"),  # in review, not yet stable enough to count as known
        ("review", 2.5, "learning"),
        ("review", None, "learning"),
        ("relearning", 60.0, "learning"),  # forgotten lately: relearning, whatever its stability
        ("learning", 30.0, "learning"),
    ],
)
def test_known_means_in_review_and_stable_for_21_days(app, state, stability, shown):
    assert service.KNOWN_STABILITY_DAYS == 21.0
    mei = make_account("mei")
    text, _ = service.save_text(mei, TextFields("同事都很好"), T0)
    found = service.readable(mei, text.id)
    service.add_word(mei, found, 0, 2, "", T0)
    db.session.execute(
        CardState.__table__.update()
        .where(CardState.user_id == mei.id)
        .values(state=state, stability=stability)
    )
    db.session.commit()
    assert service.knowledge(mei.id, ["同事"]) == {"同事": shown}
    view = service.reading(mei, found.text)
    assert [piece.state for piece in view.pieces if piece.key == "同事"] == [shown]
    assert view.counts.known == (1 if shown == "known" else 0)


HSK_DECK = """
[deck]
slug = "hsk-test"
title = "HSK test words"
category = "hsk"
level = 1
card_kinds = ["recognize", "recall"]

[[entries]]
id = "tongshi"
headword = "同事"
pinyin = "tóng shì"
meaning = "colleague; co-worker"
"""


def test_an_hsk_word_kept_from_the_reader_is_linked_to_our_entry_with_its_sentence(app):
    load_deck(parse_deck_text(HSK_DECK, "hsk-test.toml"), T0)
    db.session.commit()
    hsk = db.session.scalar(select(Entry).where(Entry.key == "tongshi"))
    mei = make_account("mei")
    text, _ = service.save_text(mei, TextFields("老板说同事们都很好。"), T0)
    found = service.readable(mei, text.id)
    added = service.add_word(mei, found, 3, 2, "The boss says the colleagues are all nice.", T0)
    assert added.new and added.linked and added.entry.id == hsk.id
    # No copy: her own deck holds no entry of it (not made at all), and her cards are the HSK entry's.
    assert _count(Entry, Entry.headword == "同事") == 1
    assert _count(Deck, Deck.source_file == "reader:my-words") == 0
    kept = db.session.get(MyWord, (mei.id, hsk.id))
    assert kept.sentence_zh == "老板说同事们都很好。"
    assert kept.sentence_en == "The boss says the colleagues are all nice."
    states = db.session.scalars(select(CardState).where(CardState.user_id == mei.id)).all()
    assert len(states) == 2 and all(state.active for state in states)
    assert {state.deck_id for state in states} == {hsk.deck_id}
    # My words lists it as ours; the card says it is kept; a second add changes nothing.
    assert [(word.entry.id, word.linked) for word in service.my_words(mei)] == [(hsk.id, True)]
    assert service.word_card(mei, found, 3, 2).kept
    again = service.add_word(mei, found, 3, 2, "", T0)
    assert not again.new and again.entry.id == hsk.id
    assert _count(MyWord) == 1 and _count(CardState, CardState.user_id == mei.id) == 2
    # Taken out: the HSK entry stays for everyone else, her cards leave the queue.
    service.remove_word(mei, hsk.id, T0)
    db.session.expire_all()
    assert not db.session.get(Entry, hsk.id).retired
    assert _count(CardState, CardState.user_id == mei.id, CardState.active) == 0


def test_a_word_in_no_word_list_still_becomes_an_entry_of_my_words(app):
    load_deck(parse_deck_text(HSK_DECK, "hsk-test.toml"), T0)
    db.session.commit()
    mei = make_account("mei")
    text, _ = service.save_text(mei, TextFields("咖啡店的老板"), T0)
    added = service.add_word(mei, service.readable(mei, text.id), 0, 3, "", T0)
    assert added.new and not added.linked and added.entry.headword == "咖啡店"
    assert db.session.get(Deck, added.entry.deck_id).source_file == "reader:my-words"
