"""Sessions end on the server: logging out, a new password, "Log out all other devices" and deleting the
account each delete the session's row, and a cookie whose row is gone (a copy taken before) opens nothing."""

from datetime import timedelta

from sqlalchemy import func, select, update

from learnapp.extensions import db
from learnapp.models import User, UserSession, utcnow
from tests.conftest import AuthActions, csrf_from

ANDROID_FIREFOX = "Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0"
WINDOWS_CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


def rows() -> int:
    return db.session.scalar(select(func.count()).select_from(UserSession))


def logged_in(client) -> bool:
    """Does the client reach a page behind the login (rather than being sent to log in)?"""
    response = client.get("/account/password")
    return response.status_code == 200


def second_device(app, user_agent: str = WINDOWS_CHROME):
    """Another browser logged in to mei's account."""
    other = app.test_client()
    other.environ_base["HTTP_USER_AGENT"] = user_agent
    assert AuthActions(other).login().status_code == 303
    return other


def test_a_cookie_copied_before_logout_no_longer_works(app, client, auth):
    auth.signup()
    copied = client.get_cookie("session").value
    assert logged_in(client) and rows() == 1
    assert auth.logout().status_code == 303
    assert rows() == 0
    thief = app.test_client()
    thief.set_cookie("session", copied)
    response = thief.get("/account/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_a_session_from_before_the_upgrade_has_no_row_and_logs_in_again(app, client, auth):
    auth.signup()
    db.session.execute(UserSession.__table__.delete())  # as after the migration: a signed cookie, but no row
    db.session.commit()
    assert not logged_in(client)
    assert auth.login().status_code == 303
    assert logged_in(client)


def test_logging_out_ends_only_that_device(app, client, auth):
    auth.signup()
    other = second_device(app)
    assert rows() == 2
    auth.logout()
    assert rows() == 1
    assert logged_in(other)


def test_a_new_password_ends_every_other_session_and_keeps_this_one(app, client, auth):
    auth.signup()
    other = second_device(app)
    token = csrf_from(client.get("/account/password").get_data(as_text=True))
    response = client.post(
        "/account/password",
        data={
            "current_password": "correct horse",
            "new_password": "a new password",
            "confirm_password": "a new password",
            "csrf_token": token,
        },
    )
    assert response.status_code == 303
    assert rows() == 1
    assert logged_in(client)
    assert not logged_in(other)


def test_the_sessions_page_lists_devices_and_logs_out_the_others(app, client, auth):
    client.environ_base["HTTP_USER_AGENT"] = WINDOWS_CHROME
    auth.signup()
    phone = second_device(app, ANDROID_FIREFOX)
    page = client.get("/account/sessions")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Firefox on Android" in html
    assert "Chrome on Windows <strong>(this device)</strong>" in html
    assert ANDROID_FIREFOX not in html  # a summary, never the header
    response = client.post("/account/sessions/others", data={"csrf_token": csrf_from(html)})
    assert response.status_code == 303
    assert response.headers["Location"] == "/account/sessions"
    after = client.get("/account/sessions").get_data(as_text=True)
    assert "Logged out 1 other device." in after
    assert "Firefox on Android" not in after
    assert "No other device is logged in." in after
    assert not logged_in(phone)
    assert logged_in(client)
    assert rows() == 1


def test_log_out_others_needs_the_csrf_token(app, client, auth):
    auth.signup()
    second_device(app)
    response = client.post("/account/sessions/others")
    assert response.status_code == 400
    assert rows() == 2


def test_the_sessions_page_needs_a_login(client):
    response = client.get("/account/sessions")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_the_menu_links_to_the_sessions_page(client, auth):
    auth.signup()
    assert 'href="/account/sessions"' in client.get("/decks").get_data(as_text=True)


def test_deleting_the_account_ends_its_sessions(app, client, auth):
    auth.signup()
    other = second_device(app)
    token = csrf_from(client.get("/account/delete").get_data(as_text=True))
    response = client.post("/account/delete", data={"password": "correct horse", "csrf_token": token})
    assert response.status_code == 303
    assert rows() == 0
    assert not logged_in(other)


def test_last_seen_is_written_at_most_every_ten_minutes(client, auth):
    auth.signup()
    row_id = db.session.scalar(select(UserSession.id))

    def set_last_seen(minutes_ago: int):
        value = utcnow() - timedelta(minutes=minutes_ago)
        db.session.execute(update(UserSession).where(UserSession.id == row_id).values(last_seen=value))
        db.session.commit()
        return value

    recent = set_last_seen(5)
    client.get("/decks")
    db.session.expire_all()
    assert db.session.get(UserSession, row_id).last_seen == recent
    old = set_last_seen(11)
    client.get("/decks")
    db.session.expire_all()
    assert db.session.get(UserSession, row_id).last_seen > old + timedelta(minutes=10)


def test_the_row_keeps_a_hash_of_the_token_not_the_token(client, auth):
    auth.signup()
    with client.session_transaction() as session:
        token = session["session_token"]
    stored = db.session.scalar(select(UserSession.token_hash))
    assert len(token) >= 43  # 256 bits, base64
    assert stored != token and len(stored) == 64
    user = db.session.scalar(select(User))
    assert db.session.scalar(select(UserSession.user_id)) == user.id


def test_my_data_lists_and_exports_the_devices(client, auth):
    client.environ_base["HTTP_USER_AGENT"] = ANDROID_FIREFOX
    auth.signup()
    assert 'href="/account/sessions"' in client.get("/account/data").get_data(as_text=True)
    exported = client.get("/account/data/export.json").get_json()
    [device] = exported["sessions"]
    assert device["device"] == "Firefox on Android"
    assert device["logged_in_at"] and device["last_seen"]
    assert "token" not in str(exported["sessions"])


def test_the_session_cookie_is_httponly_and_samesite_lax(client, auth):
    response = auth.signup()
    cookie = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_one_other_device_is_logged_out_from_its_row(app, client, auth):
    client.environ_base["HTTP_USER_AGENT"] = WINDOWS_CHROME
    auth.signup()
    phone = second_device(app, ANDROID_FIREFOX)
    laptop = second_device(app, WINDOWS_CHROME)
    html = client.get("/account/sessions").get_data(as_text=True)
    phone_id = db.session.scalar(select(UserSession.id).where(UserSession.device == "Firefox on Android"))
    action = f'action="/account/sessions/{phone_id}/end"'
    assert action in html
    assert html.count('/end"') == 2  # a button on each other device's row, none on this device's
    token = csrf_from(html)
    first = client.post(f"/account/sessions/{phone_id}/end", data={"csrf_token": token})
    assert first.status_code == 303
    assert first.headers["Location"] == "/account/sessions"
    assert "Logged out Firefox on Android." in client.get("/account/sessions").get_data(as_text=True)
    assert not logged_in(phone)
    assert logged_in(laptop)
    assert logged_in(client)
    # Sent again (a double click, a second tab): nothing more ends, and the page says why.
    again = client.post(f"/account/sessions/{phone_id}/end", data={"csrf_token": token})
    assert again.status_code == 303
    assert "That device is no longer logged in." in client.get("/account/sessions").get_data(as_text=True)
    assert rows() == 2


def test_a_device_of_another_account_or_this_one_is_not_ended_from_here(app, client, auth):
    auth.signup()
    own_id = db.session.scalar(select(UserSession.id))
    other = app.test_client()
    AuthActions(other).signup(username="lan", email="lan@example.com")
    token = csrf_from(client.get("/account/sessions").get_data(as_text=True))
    for session_id in (own_id, own_id + 1):  # this device (logging out does that), lan's
        response = client.post(f"/account/sessions/{session_id}/end", data={"csrf_token": token})
        assert response.status_code == 303
    assert rows() == 2
    assert logged_in(client)
    assert logged_in(other)
