"""A deck made private by its author after learners enrolled: the teacher's content leaves every page of
those learners (deck page, deck list, dashboard, sessions, custom study, stats, leeches, classes, offline
pack); their enrollment, card states and review log stay theirs, and the deck made visible again brings
their progress back. Its author and admins keep it. A class's unlisted deck stays visible to its members."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from learnapp.classes import service as classes
from learnapp.classes.service import ClassFields
from learnapp.extensions import db
from learnapp.models import Card, CardState, Enrollment, ReviewLog
from learnapp.study import cards as study_cards
from learnapp.teach import editor
from learnapp.teach.editor import DeckFields, EntryFields
from tests.conftest import csrf_from
from tests.factories import T0
from tests.http.test_teach_support import client_for, make_account, token

TITLE = "Hidden words of Olive"
HEADWORDS = ("秘密", "悄悄")


@pytest.fixture
def teacher(app):
    return make_account("olive", "teacher")


@pytest.fixture
def deck(teacher):
    deck = editor.create_deck(teacher, DeckFields(title=TITLE, visibility="public"), T0)
    for headword in HEADWORDS:
        editor.add_entry(teacher, deck.slug, EntryFields(headword=headword, meaning="secret"), T0)
    return deck


@pytest.fixture
def learner(app):
    return make_account("lily")


@pytest.fixture
def studying(app, deck, learner):
    """The learner enrolled, answered a card, and suspended another one; then the deck was made private."""
    client = client_for(app, learner)
    assert client.post(f"/decks/{deck.slug}/enroll", data={"csrf_token": token(client)}).status_code == 303
    back = client.get("/study?side=back").get_data(as_text=True)
    assert any(headword in back for headword in HEADWORDS)
    card = int(back.split('data-card-id="')[1].split('"')[0])
    version = back.split('name="version" value="')[1].split('"')[0]
    form = {
        "csrf_token": csrf_from(back),
        "card_id": card,
        "version": version,
        "rating": "3",
        "shown_at": "0",
    }
    assert client.post("/study/answer", data=form).status_code == 303
    sibling = db.session.scalar(  # the answered entry's other card (buried until tomorrow anyway)
        select(Card.id).where(
            Card.entry_id == select(Card.entry_id).where(Card.id == card).scalar_subquery(), Card.id != card
        )
    )
    study_cards.set_suspended(learner, sibling, True)
    return client


def make(teacher, deck, visibility: str) -> None:
    editor.update_deck(teacher, deck.slug, DeckFields(title=TITLE, visibility=visibility), T0)
    db.session.commit()


def shows_the_deck(html: str) -> bool:
    return TITLE in html or any(headword in html for headword in HEADWORDS)


PAGES = [
    "/",
    "/decks",
    "/study",
    "/study/custom",
    "/stats",
    "/study/leeches?show=suspended",
]


@pytest.mark.parametrize("path", PAGES)
def test_a_deck_made_private_leaves_the_learner_s_pages(teacher, deck, studying, path):
    before = studying.get(path)
    assert before.status_code == 200
    assert shows_the_deck(before.get_data(as_text=True))
    make(teacher, deck, "private")
    after = studying.get(path)
    assert after.status_code == 200
    assert not shows_the_deck(after.get_data(as_text=True))


def test_its_page_deck_session_and_offline_pack_are_gone_too(teacher, deck, studying):
    assert shows_the_deck(studying.get(f"/study?session=deck:{deck.id}").get_data(as_text=True))
    make(teacher, deck, "private")
    assert studying.get(f"/decks/{deck.slug}").status_code == 404
    assert not shows_the_deck(studying.get(f"/study?session=deck:{deck.id}").get_data(as_text=True))
    pack = studying.get("/study/pack.json")
    assert pack.status_code == 200 and not shows_the_deck(pack.get_data(as_text=True))
    leave = studying.post(f"/decks/{deck.slug}/enroll", data={"csrf_token": token(studying)})
    assert leave.status_code == 404  # nor can it be enrolled in again


def test_the_learner_keeps_their_history_and_gets_it_back_when_the_deck_is_visible_again(
    teacher, deck, learner, studying
):
    def rows():
        db.session.expire_all()
        return (
            db.session.scalar(select(Enrollment.active).where(Enrollment.user_id == learner.id)),
            db.session.scalar(select(func.count()).where(CardState.user_id == learner.id)),
            db.session.scalar(select(func.count()).where(CardState.user_id == learner.id, CardState.active)),
            db.session.scalar(
                select(func.count()).where(CardState.user_id == learner.id, CardState.reps > 0)
            ),
            db.session.scalar(select(func.count()).where(ReviewLog.user_id == learner.id)),
        )

    assert rows() == (True, 4, 4, 1, 1)
    make(teacher, deck, "private")
    assert rows() == (True, 4, 0, 1, 1)
    make(teacher, deck, "unlisted")
    assert rows() == (True, 4, 4, 1, 1)
    assert shows_the_deck(studying.get("/study").get_data(as_text=True))
    assert studying.get(f"/decks/{deck.slug}").status_code == 200


def test_its_author_and_admins_keep_studying_it(app, teacher, deck, studying):
    admin = make_account("ada", "admin")
    for user in (teacher, admin):
        client = client_for(app, user)
        client.post(f"/decks/{deck.slug}/enroll", data={"csrf_token": token(client)})
    make(teacher, deck, "private")
    for user in (teacher, admin):
        client = client_for(app, user)
        assert client.get(f"/decks/{deck.slug}").status_code == 200
        for path in ("/decks", "/study", "/stats"):
            assert shows_the_deck(client.get(path).get_data(as_text=True)), (user.username, path)


def test_a_class_s_unlisted_deck_stays_visible_to_its_members(app, teacher, deck, learner):
    make(teacher, deck, "unlisted")
    classroom = classes.create_class(teacher, ClassFields(name="Evening class"), T0)
    classes.assign_deck(teacher, classroom.id, deck.slug, T0)
    classes.join(learner, classroom.join_code, T0)
    db.session.commit()
    client = client_for(app, learner)
    for path in ("/", "/decks", "/classes", "/study", "/stats", f"/decks/{deck.slug}"):
        response = client.get(path)
        assert response.status_code == 200 and shows_the_deck(response.get_data(as_text=True)), path


def test_the_learner_s_export_keeps_their_answers_without_the_hidden_deck_s_content(teacher, deck, studying):
    def exported():
        data = studying.get("/account/data/export.json").get_json()
        csv_text = studying.get("/account/data/reviews.csv").get_data(as_text=True)
        return data, csv_text

    data, csv_text = exported()
    assert data["reviews"][0]["deck"] == deck.slug and data["reviews"][0]["headword"] in HEADWORDS
    make(teacher, deck, "private")
    data, csv_text = exported()
    assert len(data["reviews"]) == 1 and data["reviews"][0]["rating_name"] == "Good"
    assert len(data["card_states"]) == 4 and {state["reps"] for state in data["card_states"]} == {0, 1}
    assert data["enrollments"][0]["active"] is True
    for rows in (data["reviews"], data["card_states"], data["enrollments"]):
        assert all(row.get("headword") is None and row["deck"] is None for row in rows)
    assert not shows_the_deck(str(data)) and deck.slug not in str(data)
    assert len(csv_text.strip().splitlines()) == 2
    assert not shows_the_deck(csv_text) and deck.slug not in csv_text
