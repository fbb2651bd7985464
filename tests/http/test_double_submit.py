"""A learner's form sent twice at once (a double click, a flaky connection resending, two tabs): two real
requests in two threads, each with its own connection, released together, for a few rounds. On SQLite and,
with TEST_DATABASE_URL, on PostgreSQL. Each action applies exactly once (the rows say so) and both copies get
the page the learner expected, never a 500: enrolling, joining a class, picking a nickname, answering a
card. (Adding an entry and confirming an import: tests/http/test_teach_double_submit.py.)"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from learnapp.classes import service as classes
from learnapp.classes.service import ClassFields
from learnapp.extensions import db
from learnapp.models import (
    Card,
    CardState,
    ClassDeck,
    ClassMember,
    Classroom,
    Deck,
    Enrollment,
    Entry,
    Nickname,
    ReviewLog,
    User,
)
from learnapp.nickname import suggest
from learnapp.teach import editor
from learnapp.teach.editor import DeckFields, EntryFields
from tests.concurrency import ROUNDS, at_once, rounds
from tests.conftest import csrf_from
from tests.factories import T0
from tests.http.test_teach_support import client_for, make_account, token

HTMX = {"HX-Request": "true"}


@pytest.fixture
def teacher(app):
    return make_account("olive", "teacher")


@pytest.fixture
def deck(teacher):
    deck = editor.create_deck(teacher, DeckFields(title="Words", visibility="public"), T0)
    for headword, meaning in (("你好", "hello"), ("谢谢", "thanks"), ("再见", "bye")):
        editor.add_entry(teacher, deck.slug, EntryFields(headword=headword, meaning=meaning), T0)
    return deck


def cards_of(deck) -> int:
    return db.session.scalar(select(func.count()).select_from(Card).where(Card.deck_id == deck.id))


def states_of(user, deck) -> int:
    return db.session.scalar(
        select(func.count()).where(CardState.user_id == user.id, CardState.deck_id == deck.id)
    )


def twice(app, client, url: str, form: dict, headers: dict | None = None) -> list:
    """The same form, from the same logged-in browser, sent twice at once."""
    return at_once(app, *(lambda: client.post(url, data=form, headers=headers or {}) for _ in range(2)))


def test_enrolling_twice_at_once_enrolls_once(app, deck):
    for round_ in rounds():
        learner = make_account(f"lily{round_}")
        client = client_for(app, learner)
        responses = twice(app, client, f"/decks/{deck.slug}/enroll", {"csrf_token": token(client)})
        assert [(r.status_code, r.headers.get("Location")) for r in responses] == [
            (303, f"/decks/{deck.slug}")
        ] * 2
        rows = db.session.scalars(select(Enrollment.active).where(Enrollment.user_id == learner.id)).all()
        assert rows == [True]
        assert states_of(learner, deck) == cards_of(deck) == 6


def test_joining_a_class_twice_at_once_joins_once(app, teacher, deck):
    classroom = classes.create_class(teacher, ClassFields(name="Monday"), T0)
    classes.assign_deck(teacher, classroom.id, deck.slug, T0)
    for round_ in rounds():
        learner = make_account(f"lily{round_}")
        client = client_for(app, learner)
        form = {"code": classroom.join_code, "csrf_token": token(client)}
        responses = twice(app, client, "/join", form)
        assert [(r.status_code, r.headers.get("Location")) for r in responses] == [(303, "/classes")] * 2
        members = db.session.scalar(select(func.count()).where(ClassMember.user_id == learner.id))
        assert members == 1
        assert db.session.scalar(select(func.count()).where(Enrollment.user_id == learner.id)) == 1
        assert states_of(learner, deck) == cards_of(deck)
        page = client.get("/classes").get_data(as_text=True)
        assert "Monday" in page


def test_joining_by_the_link_twice_at_once_joins_once(app, teacher, deck):
    classroom = classes.create_class(teacher, ClassFields(name="Tuesday"), T0)
    classes.assign_deck(teacher, classroom.id, deck.slug, T0)
    for round_ in rounds():
        learner = make_account(f"lily{round_}")
        client = client_for(app, learner)
        responses = twice(app, client, f"/join/{classroom.join_code}", {"csrf_token": token(client)})
        assert [(r.status_code, r.headers.get("Location")) for r in responses] == [(303, "/classes")] * 2
        assert db.session.scalar(select(func.count()).where(ClassMember.user_id == learner.id)) == 1
        assert states_of(learner, deck) == cards_of(deck)


def test_picking_a_nickname_twice_at_once_picks_it_once(app):
    names = ["Emily", "Oliver", "Sophia", "Lucas"]
    for round_ in rounds():
        learner = make_account(f"lily{round_}")
        client = client_for(app, learner)
        name = names[round_ % len(names)]
        form = {"name": name, "feel": "neutral", "vibe": "", "more": "0", "pick": "0"}
        form["csrf_token"] = token(client)
        responses = twice(app, client, "/welcome/nickname", form)
        assert [(r.status_code, r.headers.get("Location")) for r in responses] == [
            (303, "/settings/nicknames")
        ] * 2
        want = suggest(name, "neutral", None, 0).items[0]
        rows = db.session.execute(
            select(Nickname.hanzi, Nickname.current).where(Nickname.user_id == learner.id)
        ).all()
        assert rows == [(want.hanzi, True)]
        assert db.session.get(User, learner.id).display_name == want.hanzi


def test_picking_another_nickname_later_leaves_one_current(app):
    learner = make_account("lily")
    client = client_for(app, learner)
    for name in ("Emily", "Oliver"):
        form = {"name": name, "feel": "neutral", "pick": "0", "csrf_token": token(client)}
        assert client.post("/welcome/nickname", data=form).status_code == 303
    db.session.expire_all()
    rows = db.session.execute(
        select(Nickname.hanzi, Nickname.current).where(Nickname.user_id == learner.id).order_by(Nickname.id)
    ).all()
    assert rows == [
        (suggest("Emily", "neutral", None, 0).items[0].hanzi, False),
        (suggest("Oliver", "neutral", None, 0).items[0].hanzi, True),
    ]


SHOWN_CARD = re.compile(r'data-card-id="(\d+)"')
SHOWN_VERSION = re.compile(r'name="version" value="(\d+)"')


def shown(html: str) -> tuple[int | None, int | None]:
    card, version = SHOWN_CARD.search(html), SHOWN_VERSION.search(html)
    return (int(card.group(1)) if card else None, int(version.group(1)) if version else None)


@pytest.mark.parametrize(
    ("headers", "in_deck"), [(HTMX, False), ({}, False), (HTMX, True)], ids=["htmx", "plain", "deck-session"]
)
def test_answering_a_card_twice_at_once_answers_it_once_and_both_see_the_next_card(
    app, deck, headers, in_deck
):
    learner = make_account("lily")
    client = client_for(app, learner)
    assert client.post(f"/decks/{deck.slug}/enroll", data={"csrf_token": token(client)}).status_code == 303
    session = f"deck:{deck.id}" if in_deck else ""
    for round_ in rounds():
        back = client.get(f"/study?side=back&session={session}").get_data(as_text=True)
        card_id, version = shown(back)
        assert card_id is not None, f"round {round_}: no card to answer"
        form = {
            "csrf_token": csrf_from(back),
            "card_id": str(card_id),
            "version": str(version),
            "rating": "1",  # Again: the card stays in today's queue, so every round has a card
            "shown_at": "0",
            "session": session,
        }
        before = logs_of(learner)
        responses = twice(app, client, "/study/answer", form, headers)
        assert logs_of(learner) == before + 1
        if headers:
            pages = [r.get_data(as_text=True) for r in responses]
            assert [r.status_code for r in responses] == [200, 200]
            assert not any("isn't due now" in page for page in pages)
            assert shown(pages[0])[0] == shown(pages[1])[0] != card_id
        else:
            assert [(r.status_code, r.headers.get("Location")) for r in responses] == [
                (303, f"/study?session={session.replace(':', '%3A')}" if session else "/study")
            ] * 2
    assert logs_of(learner) == ROUNDS


def logs_of(user) -> int:
    return db.session.scalar(select(func.count()).where(ReviewLog.user_id == user.id))


def test_the_database_refuses_a_second_current_nickname(app):
    learner = make_account("lily")
    for hanzi in ("甲", "乙"):
        db.session.add(
            Nickname(user_id=learner.id, hanzi=hanzi, pinyin="jiǎ", kind="own", details={}, share_token=hanzi)
        )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_signing_up_twice_at_once_makes_one_account_and_both_copies_land_on_the_welcome(app):
    for round_ in rounds():
        client = app.test_client()
        form = {
            "username": f"newbie{round_}",
            "email": f"newbie{round_}@example.com",
            "password": "correct horse battery",
            "confirm": "correct horse battery",
            "timezone": "Europe/Berlin",
            "csrf_token": csrf_from(client.get("/signup").get_data(as_text=True)),
        }
        responses = twice(app, client, "/signup", form)
        assert [(r.status_code, r.headers.get("Location")) for r in responses] == [(303, "/welcome")] * 2
        assert db.session.scalar(select(func.count()).where(User.username == f"newbie{round_}")) == 1
        assert client.get("/welcome/nickname").status_code == 200  # logged in


def test_a_taken_name_with_another_password_is_still_taken(app, client, auth):
    auth.signup("mei", "mei@example.com")
    auth.logout()
    page = client.post(
        "/signup",
        data={
            "username": "mei",
            "email": "mei@example.com",
            "password": "another long password",
            "confirm": "another long password",
            "timezone": "UTC",
            "csrf_token": csrf_from(client.get("/signup").get_data(as_text=True)),
        },
    )
    assert page.status_code == 422 and "That username is taken" in page.get_data(as_text=True)


def test_creating_a_class_or_a_deck_twice_at_once_makes_one(app, teacher):
    client = client_for(app, teacher)
    for round_ in rounds():
        form = {"name": f"Monday {round_}", "capacity": "30", "csrf_token": token(client)}
        responses = twice(app, client, "/teach/classes/new", form)
        assert responses[0].status_code == responses[1].status_code == 303
        assert responses[0].headers["Location"] == responses[1].headers["Location"]
        deck = {"title": f"Words {round_}", "visibility": "public", "category": "mandarin", "level": "1"}
        deck |= {"card_kinds": ["recognize"], "csrf_token": token(client)}
        responses = twice(app, client, "/teach/decks/new", deck)
        assert responses[0].status_code == responses[1].status_code == 303
        assert responses[0].headers["Location"] == responses[1].headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Classroom)) == ROUNDS
    assert db.session.scalar(select(func.count()).where(Deck.author_id == teacher.id)) == ROUNDS


def test_the_same_name_a_minute_later_is_a_new_class(teacher):
    first = classes.create_class(teacher, ClassFields(name="Monday"), T0)
    again = classes.create_class(teacher, ClassFields(name="Monday"), T0 + timedelta(seconds=30))
    later = classes.create_class(teacher, ClassFields(name="Monday"), T0 + timedelta(minutes=2))
    assert again.id == first.id != later.id


def test_moving_an_entry_up_twice_at_once_moves_it_one_place(app, teacher, deck):
    client = client_for(app, teacher)
    order = lambda: list(  # noqa: E731
        db.session.scalars(select(Entry.headword).where(Entry.deck_id == deck.id).order_by(Entry.position))
    )
    assert order() == ["你好", "谢谢", "再见"]
    page = client.get(f"/teach/decks/{deck.slug}").get_data(as_text=True)
    form = {"direction": "up", "at": str(position_of(deck, "再见")), "csrf_token": csrf_from(page)}
    key = db.session.scalar(select(Entry.key).where(Entry.deck_id == deck.id, Entry.headword == "再见"))
    responses = twice(app, client, f"/teach/decks/{deck.slug}/entries/{key}/move", form, HTMX)
    assert [r.status_code for r in responses] == [200, 200]
    assert order() == ["你好", "再见", "谢谢"]  # one place up, not two
    assert f'name="at" value="{form["at"]}"' in page  # the editor's buttons carry the position shown


def position_of(deck, headword: str) -> int:
    return db.session.scalar(
        select(Entry.position).where(Entry.deck_id == deck.id, Entry.headword == headword)
    )


def test_assigning_a_deck_twice_at_once_assigns_it_once(app, teacher, deck):
    classroom = classes.create_class(teacher, ClassFields(name="Monday"), T0)
    client = client_for(app, teacher)
    form = {"deck": deck.slug, "csrf_token": token(client)}
    responses = twice(app, client, f"/teach/classes/{classroom.id}/decks", form)
    assert [r.status_code for r in responses] == [303, 303]
    assert db.session.scalar(select(func.count()).where(ClassDeck.class_id == classroom.id)) == 1
