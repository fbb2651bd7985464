"""Accounts over HTTP: the real forms, redirects, rows in the database, messages beside fields."""

import pytest
from sqlalchemy import func, select

from learnapp.extensions import db
from learnapp.models import User
from tests.conftest import csrf_from


def user_count():
    return db.session.scalar(select(func.count()).select_from(User))


def test_signup_creates_a_learner_and_logs_them_in(client, auth):
    response = auth.signup()
    assert response.status_code == 303
    assert response.headers["Location"] == "/welcome"
    user = db.session.scalar(select(User))
    assert (user.username, user.email, user.timezone, user.role) == (
        "mei",
        "mei@example.com",
        "Asia/Shanghai",
        "learner",
    )
    assert user.password_hash.startswith("scrypt:")
    assert "mei" in client.get("/").get_data(as_text=True)


def test_signup_with_an_unknown_timezone_falls_back_to_utc(auth):
    auth.signup(timezone="Mars/Olympus_Mons")
    assert db.session.scalar(select(User.timezone)) == "UTC"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"username": ""}, "username", "Choose a username."),
        ({"username": "ab"}, "username", "Between 3 and 30 characters."),
        ({"username": "x" * 31}, "username", "Between 3 and 30 characters."),
        ({"username": "mei mei"}, "username", "Use letters, digits"),
        ({"email": "not-an-email"}, "email", "doesn&#39;t look like an email"),
        ({"email": ""}, "email", "Enter your email address."),
        ({"password": "short"}, "password", "Between 8 and 128 characters."),
        ({"password": "p" * 129}, "password", "Between 8 and 128 characters."),
    ],
)
def test_bad_signup_fields_get_a_message_beside_the_field(client, auth, fields, field, message):
    data = {"username": "mei", "email": "mei@example.com", "password": "correct horse"} | fields
    response = auth.signup(**data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    assert message in html
    assert user_count() == 0


def test_a_taken_username_or_email_is_refused_and_nothing_is_written(client, auth):
    auth.signup()
    auth.logout()
    response = auth.signup(username="MEI", email="other@example.com")
    assert response.status_code == 422
    assert "That username is taken" in response.get_data(as_text=True)
    response = auth.signup(username="other", email="Mei@Example.com")
    assert response.status_code == 422
    assert 'id="email-error"' in response.get_data(as_text=True)
    assert user_count() == 1


def test_signup_without_csrf_token_is_refused(client):
    response = client.post(
        "/signup", data={"username": "mei", "email": "m@example.com", "password": "correct horse"}
    )
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    assert user_count() == 0


def test_login_with_username_or_email(client, auth):
    auth.signup()
    auth.logout()
    assert auth.login("MEI").headers["Location"] == "/"
    auth.logout()
    assert auth.login("mei@example.com").status_code == 303


def test_wrong_password_and_unknown_user_get_the_same_message(client, auth):
    auth.signup()
    auth.logout()
    wrong = auth.login(password="wrong password")
    unknown = auth.login(login="nobody")
    assert wrong.status_code == unknown.status_code == 422
    for response in (wrong, unknown):
        assert "Wrong username, email or password." in response.get_data(as_text=True)
    assert client.get("/study").status_code == 302


@pytest.mark.parametrize(
    ("next_path", "expected"),
    [
        ("/decks", "/decks"),
        ("//evil.example/x", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
    ],
)
def test_next_only_leads_to_local_paths(client, auth, next_path, expected):
    auth.signup()
    auth.logout()
    assert auth.login(next_path=next_path).headers["Location"] == expected


def test_login_renews_the_session(client, auth):
    auth.signup()
    auth.logout()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    auth.login()
    with client.session_transaction() as session:
        assert "planted" not in session


def test_logout_needs_a_post_with_csrf(client, auth):
    auth.signup()
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert auth.logout().headers["Location"] == "/"
    assert client.get("/study").status_code == 302


def test_change_password(client, auth):
    auth.signup()
    token = csrf_from(client.get("/account/password").get_data(as_text=True))

    def change(current):
        form = {
            "current_password": current,
            "new_password": "new password",
            "confirm_password": "new password",
        }
        return client.post("/account/password", data=form | {"csrf_token": token})

    bad = change("nope nope")
    assert bad.status_code == 422
    assert "That isn&#39;t your current password." in bad.get_data(as_text=True)
    good = change("correct horse")
    assert good.status_code == 303
    auth.logout()
    assert auth.login(password="correct horse").status_code == 422
    assert auth.login(password="new password").status_code == 303


def test_login_is_rate_limited(client, auth, app):
    app.config["AUTH_RATE_LIMIT"] = "3 per minute"
    token = auth.token()
    statuses = [
        client.post("/login", data={"login": "x", "password": "y", "csrf_token": token}).status_code
        for _ in range(4)
    ]
    assert statuses == [422, 422, 422, 429]
    assert "Too many attempts" in client.post("/login", data={"csrf_token": token}).get_data(as_text=True)


def test_pages_send_a_strict_content_security_policy(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
