"""Wrong passwords are limited per account, from any address (OWASP ASVS 2.2.1): 10 in 15 minutes, then
the account's passwords are not checked for a while; a name without an account is treated the same way, so a
refusal says nothing about whether the account exists. Wrong current passwords on /account/password count
too, and that form has its own rate limit per account."""

import pytest
from sqlalchemy import select

from learnapp.extensions import db
from learnapp.models import User
from tests.conftest import AuthActions, csrf_from

LOCKED = "Too many wrong passwords for this account"


@pytest.fixture
def limits(app):
    app.config["AUTH_RATE_LIMIT"] = "1000 per minute"  # the per-address limit out of the way
    app.config["LOGIN_FAILURE_LIMIT"] = "10 per 15 minutes"


def attempt(app, login: str, password: str, address: str):
    """A login from its own browser at `address`: (status, page)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    response = AuthActions(client).login(login=login, password=password)
    return response.status_code, response.get_data(as_text=True)


def test_ten_wrong_passwords_from_many_addresses_pause_the_account(app, auth, limits):
    auth.signup()
    auth.logout()
    statuses = [attempt(app, "mei", "wrong guess", f"198.51.100.{n}")[0] for n in range(10)]
    assert statuses == [422] * 10
    status, page = attempt(app, "mei", "correct horse", "203.0.113.9")  # even the right password
    assert status == 429
    assert LOCKED in page
    assert "for the next 15 minutes" in page
    assert 'href="/password/forgot"' in page
    # Another account is not touched.
    other = app.test_client()
    AuthActions(other).signup(username="lan", email="lan@example.com")
    AuthActions(other).logout()
    assert attempt(app, "lan", "correct horse", "198.51.100.1")[0] == 303


def test_the_username_and_the_email_count_for_the_same_account(app, auth, limits):
    auth.signup()
    auth.logout()
    for n in range(5):
        attempt(app, "mei", "wrong", f"198.51.100.{n}")
        attempt(app, "MEI@example.com", "wrong", f"198.51.100.{n}")
    assert attempt(app, "mei@example.com", "correct horse", "203.0.113.9")[0] == 429


def test_a_name_without_an_account_is_refused_the_same_way(app, auth, limits):
    auth.signup()
    auth.logout()

    def story(login: str):
        pages = [attempt(app, login, "wrong guess", f"198.51.100.{n}") for n in range(11)]
        return [status for status, _ in pages], pages[-1][1]

    known_statuses, known_page = story("mei")
    unknown_statuses, unknown_page = story("nobody-here")
    assert known_statuses == unknown_statuses == [422] * 10 + [429]
    assert LOCKED in known_page and LOCKED in unknown_page


def test_successful_logins_below_the_limit_still_work(app, auth, limits):
    auth.signup()
    auth.logout()
    for n in range(9):
        attempt(app, "mei", "wrong", f"198.51.100.{n}")
    assert attempt(app, "mei", "correct horse", "203.0.113.9")[0] == 303


def change_password(client, current: str):
    token = csrf_from(client.get("/account/password").get_data(as_text=True))
    return client.post(
        "/account/password",
        data={
            "current_password": current,
            "new_password": "a brand new one",
            "confirm_password": "a brand new one",
            "csrf_token": token,
        },
    )


def test_wrong_current_passwords_count_as_failed_logins(app, client, auth, limits):
    auth.signup()
    old_hash = db.session.scalar(select(User.password_hash))
    for n in range(6):
        assert attempt(app, "mei", "wrong", f"198.51.100.{n}")[0] == 422
    for _ in range(4):
        assert change_password(client, "still wrong").status_code == 422
    refused = change_password(client, "correct horse")
    assert refused.status_code == 429
    html = refused.get_data(as_text=True)
    assert 'id="current_password-error"' in html
    assert LOCKED in html
    db.session.expire_all()
    assert db.session.scalar(select(User.password_hash)) == old_hash
    assert attempt(app, "mei", "correct horse", "203.0.113.9")[0] == 429


def test_the_password_form_is_rate_limited_per_account(app, client, auth):
    auth.signup()
    app.config["AUTH_RATE_LIMIT"] = "3 per minute"
    statuses = []
    for n in range(4):
        client.environ_base["REMOTE_ADDR"] = f"198.51.100.{n}"  # a new address does not buy more
        statuses.append(change_password(client, "not it").status_code)
    assert statuses == [422, 422, 422, 429]


def post_from(client, page: str, data: dict):
    token = csrf_from(client.get(page).get_data(as_text=True))
    return client.post(page, data=data | {"csrf_token": token})


@pytest.mark.parametrize(
    ("page", "data"),
    [
        ("/account/delete", {}),
        ("/settings/email", {"email": "new@example.com"}),
    ],
)
def test_wrong_passwords_on_delete_and_email_change_count_as_failed_logins(
    app, client, auth, limits, page, data
):
    """Neither form can be used to go on guessing once the account is paused, and a guess on them brings
    the pause nearer for the login form too."""
    auth.signup()
    for n in range(6):
        assert attempt(app, "mei", "wrong", f"198.51.100.{n}")[0] == 422
    for _ in range(4):
        assert post_from(client, page, data | {"password": "still wrong"}).status_code == 422
    refused = post_from(client, page, data | {"password": "correct horse"})
    assert refused.status_code == 429
    html = refused.get_data(as_text=True)
    assert 'id="password-error"' in html
    assert LOCKED in html
    db.session.expire_all()
    user = db.session.scalar(select(User))
    assert user is not None  # not deleted
    assert user.email == "mei@example.com"  # not moved
    assert attempt(app, "mei", "correct horse", "203.0.113.9")[0] == 429
