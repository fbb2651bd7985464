"""Classes over HTTP: create one, join with the code or the link, the dashboard, assign, remove, leave;
the clear messages for a wrong code and a full class; names shown escaped."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from learnapp.classes import service as classes
from learnapp.classes.service import ClassFields
from learnapp.extensions import db
from learnapp.models import ClassDeck, ClassMember, Classroom, Enrollment, User
from learnapp.teach import editor
from learnapp.teach.editor import DeckFields, EntryFields
from tests.conftest import AuthActions, csrf_from
from tests.factories import T0
from tests.http.test_teach_support import client_for, make_account, token


@pytest.fixture
def teacher(app):
    return make_account("olive", "teacher")


@pytest.fixture
def deck(teacher):
    deck = editor.create_deck(teacher, DeckFields(title="Greetings", visibility="unlisted"), T0)
    editor.add_entry(teacher, deck.slug, EntryFields(headword="你好", meaning="hello"), T0)
    return deck


@pytest.fixture
def classroom(teacher, deck):
    classroom = classes.create_class(teacher, ClassFields(name="Evening class", capacity=1), T0)
    classes.assign_deck(teacher, classroom.id, deck.slug, T0)
    return classroom


def test_create_a_class_and_see_its_code_and_link(app, teacher):
    client = client_for(app, teacher)
    response = client.post(
        "/teach/classes/new", data={"name": "Monday group", "capacity": "25", "csrf_token": token(client)}
    )
    classroom = db.session.scalar(select(Classroom))
    assert response.status_code == 303
    assert response.headers["Location"] == f"/teach/classes/{classroom.id}"
    assert (classroom.name, classroom.capacity, classroom.teacher_id) == ("Monday group", 25, teacher.id)
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"data-join-code>{classroom.join_code}<" in html
    assert f"/join/{classroom.join_code}" in html
    assert "0 of 25 places" in html and "Nobody has joined yet" in html


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "Give the class a name."),
        ({"capacity": "0"}, "Room for 1 to 1000"),
        ({"capacity": "x"}, ""),
    ],
)
def test_a_bad_class_form_is_refused(app, teacher, fields, message):
    client = client_for(app, teacher)
    data = {"name": "A", "capacity": "10"} | fields | {"csrf_token": token(client)}
    response = client.post("/teach/classes/new", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(Classroom)) is None


def test_a_learner_joins_with_the_code_and_studies_the_decks(app, classroom):
    learner = make_account("lily")
    client = client_for(app, learner)
    response = client.post("/join", data={"code": classroom.join_code.lower(), "csrf_token": token(client)})
    assert response.status_code == 303 and response.headers["Location"] == "/classes"
    page = client.get("/classes").get_data(as_text=True)
    assert "Evening class" in page and "Greetings" in page and "You&#39;ve joined Evening class" in page
    assert (
        db.session.scalar(select(func.count()).where(Enrollment.user_id == learner.id, Enrollment.active))
        == 1
    )
    assert "你好" in client.get("/study").get_data(as_text=True)


def test_the_join_link_shows_the_class_and_joins_on_a_click(app, classroom):
    client = client_for(app, make_account("lily"))
    page = client.get(f"/join/{classroom.join_code.lower()}").get_data(as_text=True)
    assert "Evening class" in page and "Teacher: <strong>olive</strong>" in page and "Greetings" in page
    assert "Your teacher will see your progress" in page
    response = client.post(f"/join/{classroom.join_code}", data={"csrf_token": token(client)})
    assert response.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(ClassMember)) == 1


def signup_form(client, username="lily", **changes):
    page = client.get("/signup")
    data = {
        "username": username,
        "email": f"{username}@example.com",
        "password": "correct horse",
        "timezone": "Europe/Berlin",
        "csrf_token": csrf_from(page.get_data(as_text=True)),
    }
    data.update(changes)
    return page, client.post("/signup", data=data)


def test_a_visitor_with_the_link_sees_the_class_and_is_offered_to_sign_up(app, classroom):
    client = app.test_client()
    response = client.get(f"/join/{classroom.join_code.lower()}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Evening class" in html and "Greetings" in html and "Your teacher will see your progress" in html
    assert 'href="/signup">Sign up to join</a>' in html
    assert f'href="/login?next=/join/{classroom.join_code}">Log in to join</a>' in html
    assert '<form method="post" action="/join/' not in html  # a visitor cannot join without an account
    response = client.post(f"/join/{classroom.join_code}", data={"csrf_token": token(client, False)})
    assert response.status_code == 303 and response.headers["Location"].startswith("/login")
    assert db.session.scalar(select(func.count()).select_from(ClassMember)) == 0


def test_the_invitation_survives_a_failed_sign_up_and_joins_with_the_account(app, classroom):
    client = app.test_client()
    client.get(f"/join/{classroom.join_code}")
    page, response = signup_form(client, password="short")
    assert "You'll join <strong>Evening class</strong>" in page.get_data(as_text=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert (
        'value="lily"' in html and 'id="password-error"' in html
    )  # what was typed stays, the error beside it
    assert "You'll join <strong>Evening class</strong>" in html  # the invitation is still there
    _, response = signup_form(client)
    assert (response.status_code, response.headers["Location"]) == (303, "/welcome")
    user = db.session.scalar(select(User).where(User.username == "lily"))
    assert db.session.get(ClassMember, (classroom.id, user.id)) is not None
    assert db.session.scalar(
        select(Enrollment.active).where(
            Enrollment.user_id == user.id, Enrollment.deck_id == classroom_deck(classroom)
        )
    )
    welcome = client.get("/welcome/nickname").get_data(as_text=True)
    assert "You&#39;ve joined Evening class. Its decks are in your study queue." in welcome


def classroom_deck(classroom) -> int:
    return db.session.scalar(select(ClassDeck.deck_id).where(ClassDeck.class_id == classroom.id))


def test_not_now_signs_up_without_joining(app, classroom):
    client = app.test_client()
    client.get(f"/join/{classroom.join_code}")
    response = client.post("/join/not-now", data={"csrf_token": token(client, False)})
    assert (response.status_code, response.headers["Location"]) == (303, "/signup")
    page, response = signup_form(client)
    assert "You'll join" not in page.get_data(as_text=True)
    assert response.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(ClassMember)) == 0


def test_a_visitor_who_logs_in_comes_back_to_confirm(app, classroom):
    make_account("lily")
    client = app.test_client()
    client.get(f"/join/{classroom.join_code}")
    # Log in from the menu (no next): the pending link brings them back to the class to confirm.
    response = AuthActions(client).login("lily")
    assert (response.status_code, response.headers["Location"]) == (303, f"/join/{classroom.join_code}")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Join Evening class</button>" in html
    assert db.session.scalar(select(func.count()).select_from(ClassMember)) == 0


def test_a_link_that_stopped_working_at_sign_up_still_makes_the_account(app, teacher, classroom):
    client = app.test_client()
    client.get(f"/join/{classroom.join_code}")
    classes.new_join_code(teacher, classroom.id)
    _, response = signup_form(client)
    assert response.status_code == 303
    welcome = client.get("/welcome/nickname").get_data(as_text=True)
    assert "Your account is ready, but we couldn&#39;t add you to the class" in welcome
    assert db.session.scalar(select(func.count()).select_from(ClassMember)) == 0


@pytest.mark.parametrize("logged_in", [True, False])
def test_a_renewed_code_says_so_and_offers_the_way_forward(app, teacher, classroom, logged_in):
    old = classroom.join_code
    classes.new_join_code(teacher, classroom.id)
    client = client_for(app, make_account("lily")) if logged_in else app.test_client()
    response = client.get(f"/join/{old}")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "This join link doesn't work any more" in html and old in html
    assert "Ask your teacher for the class's new link or code." in html
    if logged_in:
        assert 'action="/join"' in html and 'name="code"' in html
    else:
        assert 'href="/signup"' in html


def test_a_full_class_link_says_so_to_a_visitor_without_an_invitation(app, classroom):
    classes.join(make_account("mo"), classroom.join_code, T0)
    client = app.test_client()
    html = client.get(f"/join/{classroom.join_code}").get_data(as_text=True)
    assert "This class is full" in html and "Sign up to join" not in html
    assert "Sign up without a class" in html
    assert "You'll join" not in client.get("/signup").get_data(as_text=True)


def test_a_wrong_code_and_a_full_class_are_clear_messages(app, classroom):
    client = client_for(app, make_account("lily"))
    response = client.post("/join", data={"code": "QQQQ2222", "csrf_token": token(client)})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="code-error"' in html and "No class has the code QQQQ2222" in html
    assert 'value="QQQQ2222"' in html and 'aria-invalid="true"' in html  # what was typed stays, marked
    assert client.get("/join/QQQQ2222").status_code == 404
    classes.join(make_account("mo"), classroom.join_code, T0)  # the one place is taken
    response = client.post("/join", data={"code": classroom.join_code, "csrf_token": token(client)})
    assert response.status_code == 422 and "This class is full" in response.get_data(as_text=True)
    page = client.get(f"/join/{classroom.join_code}").get_data(as_text=True)
    assert "This class is full" in page and "Join Evening class</button>" not in page
    response = client.post(f"/join/{classroom.join_code}", data={"csrf_token": token(client)})
    assert response.status_code == 422 and "This class is full" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ClassMember)) == 1


def test_the_dashboard_lists_learners_and_a_teacher_removes_one(app, teacher, classroom):
    learner = make_account("lily")
    classes.join(learner, classroom.join_code, T0)
    client = client_for(app, teacher)
    html = client.get(f"/teach/classes/{classroom.id}").get_data(as_text=True)
    row = re.search(r'<tr data-learner="lily">.*?</tr>', html, re.S).group(0)
    assert 'data-stat="studied">0<' in row and 'data-stat="reviews">0<' in row and "not yet" in row
    assert "1 of 1 places taken: <strong>the class is full</strong>" in html
    assert "No lapses yet" in html
    response = client.post(
        f"/teach/classes/{classroom.id}/members/{learner.id}/remove", data={"csrf_token": token(client)}
    )
    assert response.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(ClassMember)) == 0
    assert "lily has left the class" in client.get(f"/teach/classes/{classroom.id}").get_data(as_text=True)


def test_remove_asks_first_with_htmx_and_redirects(app, teacher, classroom):
    learner = make_account("lily")
    classes.join(learner, classroom.join_code, T0)
    client = client_for(app, teacher)
    html = client.get(f"/teach/classes/{classroom.id}").get_data(as_text=True)
    assert 'hx-confirm="Remove lily from the class? They keep their decks and progress."' in html
    response = client.post(
        f"/teach/classes/{classroom.id}/members/{learner.id}/remove",
        headers={"HX-Request": "true", "X-CSRFToken": token(client)},
    )
    assert response.status_code == 204 and response.headers["HX-Redirect"] == f"/teach/classes/{classroom.id}"


def test_assign_a_deck_from_the_list_and_a_private_one_is_refused(app, teacher, classroom):
    client = client_for(app, teacher)
    secret = editor.create_deck(teacher, DeckFields(title="Secret", visibility="private"), T0)
    html = client.get(f"/teach/classes/{classroom.id}").get_data(as_text=True)
    assert f'<option value="{secret.slug}">Secret (private: make it unlisted first)</option>' in html
    response = client.post(
        f"/teach/classes/{classroom.id}/decks", data={"deck": secret.slug, "csrf_token": token(client)}
    )
    assert response.status_code == 422
    assert 'id="assign-deck-error"' in response.get_data(as_text=True)
    response = client.post(
        f"/teach/classes/{classroom.id}/decks", data={"deck": "nope", "csrf_token": token(client)}
    )
    assert response.status_code == 422 and "Pick a deck from the list." in response.get_data(as_text=True)
    editor.update_deck(teacher, secret.slug, DeckFields(title="Secret", visibility="unlisted"), T0)
    response = client.post(
        f"/teach/classes/{classroom.id}/decks", data={"deck": secret.slug, "csrf_token": token(client)}
    )
    assert response.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(ClassDeck)) == 2


def test_a_refused_assignment_keeps_the_chosen_deck_in_the_list(app, teacher, classroom):
    client = client_for(app, teacher)
    editor.create_deck(teacher, DeckFields(title="Animals", visibility="unlisted"), T0)  # the first option
    secret = editor.create_deck(teacher, DeckFields(title="Secret", visibility="private"), T0)
    response = client.post(
        f"/teach/classes/{classroom.id}/decks", data={"deck": secret.slug, "csrf_token": token(client)}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "is private, so your learners could not open it" in html
    chosen = re.findall(r'<option value="([^"]+)" selected>', html)
    assert chosen == [secret.slug]  # not the first deck of the list, which a browser would show instead
    page = client.get(f"/teach/classes/{classroom.id}").get_data(as_text=True)
    assert " selected>" not in page  # a fresh dashboard chooses nothing


def test_a_learner_leaves_and_keeps_their_decks(app, classroom):
    learner = make_account("lily")
    classes.join(learner, classroom.join_code, T0)
    client = client_for(app, learner)
    response = client.post(f"/classes/{classroom.id}/leave", data={"csrf_token": token(client)})
    assert response.status_code == 303
    page = client.get("/classes").get_data(as_text=True)
    assert "Its decks stay in your queue with your progress" in page
    assert db.session.scalar(select(func.count()).where(Enrollment.active)) == 1


def test_class_names_and_learner_names_are_escaped(app, teacher, deck):
    xss = "<script>alert(1)</script>"
    classroom = classes.create_class(teacher, ClassFields(name=xss, description=xss), T0)
    learner = make_account("lily")
    learner.display_name = xss
    db.session.commit()
    classes.join(learner, classroom.join_code, T0)
    for client, path in (
        (client_for(app, teacher), f"/teach/classes/{classroom.id}"),
        (client_for(app, teacher), "/teach"),
        (client_for(app, learner), "/classes"),
        (client_for(app, make_account("mo")), f"/join/{classroom.join_code}"),
    ):
        html = client.get(path).get_data(as_text=True)
        assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_nav_offers_teach_to_teachers_and_join_to_everyone(app, teacher):
    teacher_page = client_for(app, teacher).get("/classes").get_data(as_text=True)
    learner_page = client_for(app, make_account("lily")).get("/classes").get_data(as_text=True)
    assert 'href="/teach">Teach</a>' in teacher_page and 'href="/teach">Teach</a>' not in learner_page
    assert 'href="/join">Join a class</a>' in learner_page


def test_the_welcome_flow_keeps_the_class_and_ends_in_its_decks(app, classroom):
    client = app.test_client()
    client.get(f"/join/{classroom.join_code}")
    signup_form(client)
    client.post("/welcome/skip", data={"to": "goals", "csrf_token": token(client)})
    page = client.get("/welcome/goals")
    html = page.get_data(as_text=True)
    assert "You're in <strong>Evening class</strong>: Greetings is in your queue already." in html
    assert 'name="topics" value="slang" checked' not in html  # the class's decks are enough to start
    response = client.post("/welcome/goals", data={"goal": "light", "csrf_token": csrf_from(html)})
    assert (response.status_code, response.headers["Location"]) == (303, "/study")
    study = client.get("/study").get_data(as_text=True)
    assert "You&#39;re in Evening class: its decks are in your queue. Here is your first card!" in study
    assert "你好" in study
    home = client.get("/").get_data(as_text=True)
    assert 'href="/decks/' in home and "Greetings" in home  # the unlisted class deck, on the dashboard
