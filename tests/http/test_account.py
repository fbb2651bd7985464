"""My data over HTTP: the page, the JSON and CSV downloads, and deleting the account (with and without
htmx), every route behind the login, CSRF and the rate limit on the delete."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from sqlalchemy import func, select, update

from learnapp.account.views import DELETED
from learnapp.extensions import db
from learnapp.models import CardState, Classroom, ReviewLog, User
from tests.conftest import csrf_from
from tests.db.test_account_service import build_world, orphans, rows_referencing_user

HTMX = {"HX-Request": "true"}
GET_ROUTES = ["/account/data", "/account/data/export.json", "/account/data/reviews.csv", "/account/delete"]


def user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


@pytest.fixture
def world(app, client, auth):
    """Mei with every kind of row, logged in."""
    world = build_world()
    assert auth.login("mei").status_code == 303
    return world


def delete_form_token(client) -> str:
    return csrf_from(client.get("/account/delete").get_data(as_text=True))


def post_delete(client, password, headers=None, token=None):
    token = token or delete_form_token(client)
    return client.post(
        "/account/delete", data={"password": password, "csrf_token": token}, headers=headers or {}
    )


@pytest.mark.parametrize("path", GET_ROUTES)
def test_every_route_needs_a_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    assert path in response.headers["Location"].replace("%2F", "/")


@pytest.mark.parametrize("path", GET_ROUTES)
def test_htmx_requests_get_hx_redirect_to_the_login(client, path):
    response = client.get(path, headers=HTMX)
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login")
    assert response.get_data() == b""


def test_an_anonymous_delete_post_goes_to_the_login(client, auth):
    token = auth.token("/login")
    response = client.post("/account/delete", data={"password": "x", "csrf_token": token})
    assert response.status_code == 303
    assert response.headers["Location"] == "/login"
    htmx = client.post("/account/delete", data={"password": "x", "csrf_token": token}, headers=HTMX)
    assert htmx.status_code == 401
    assert htmx.headers["HX-Redirect"] == "/login"


def test_the_my_data_page_says_what_we_keep_and_links_everything(client, world):
    response = client.get("/account/data")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1>My data</h1>" in html
    assert '<td data-kept="reviews">5 reviews' in html
    assert '<td data-kept="card_states">16 card states' in html
    assert "Test deck mei-deck" in html
    assert 'href="/account/data/export.json"' in html
    assert 'href="/account/data/reviews.csv"' in html
    assert 'href="/account/delete"' in html
    assert response.headers["Cache-Control"] == "no-store"
    # The account menu links here on every page.
    assert 'href="/account/data">My data</a>' in client.get("/").get_data(as_text=True)


def test_the_page_escapes_what_users_wrote(client, world):
    db.session.execute(update(User).where(User.id == world.mei.id).values(display_name="<script>x</script>"))
    db.session.execute(
        update(Classroom).where(Classroom.teacher_id == world.mei.id).values(name="<b>class</b>")
    )
    db.session.commit()
    html = client.get("/account/delete").get_data(as_text=True)
    assert "<script>x" not in html and "&lt;script&gt;x" in html and "<b>class</b>" not in html
    assert "&lt;b&gt;class&lt;/b&gt;" in html


def test_the_json_export_is_a_private_download_of_everything_about_me(client, world):
    response = client.get("/account/data/export.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(r"attachment; filename=huanying-mei-\d{4}-\d\d-\d\d\.json", disposition)
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert set(data) >= {
        "profile",
        "nicknames",
        "enrollments",
        "card_states",
        "reviews",
        "classes",
        "decks_authored",
    }
    assert data["profile"]["username"] == "mei"
    assert data["profile"]["email"] == "mei@example.com"
    assert len(data["reviews"]) == 5
    assert len(data["card_states"]) == 16
    assert data["nicknames"][0]["hanzi"] == "美美"
    assert data["nicknames"][0]["share_url"] == "http://localhost/n/mei-share-token"
    assert client.get("/n/mei-share-token").status_code == 200
    assert data["classes"]["teaching"][0]["members"] == 1
    assert [d["slug"] for d in data["decks_authored"]] == ["mei-deck"]
    body = response.get_data(as_text=True)
    assert "美美" in body  # UTF-8, not \u escapes
    for other in ("li@example.com", "wang@example.com", "小李", "WANG-UNUSED"):
        assert other not in body


def test_another_learner_exports_only_their_own_data(client, auth, world):
    auth.logout()
    assert auth.login("li").status_code == 303
    data = client.get("/account/data/export.json").get_json()
    assert data["profile"]["username"] == "li"
    assert "mei" not in json.dumps(data).replace("mei-deck", "")
    assert len(data["reviews"]) == db.session.scalar(
        select(func.count()).select_from(ReviewLog).where(ReviewLog.user_id == world.li.id)
    )


def test_the_csv_export_is_the_review_log(client, world):
    response = client.get("/account/data/reviews.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert re.fullmatch(
        r"attachment; filename=huanying-mei-\d{4}-\d\d-\d\d\.csv", response.headers["Content-Disposition"]
    )
    assert response.headers["Cache-Control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 5
    assert list(rows[0]) == [
        "reviewed_at",
        "study_day",
        "deck",
        "entry_key",
        "headword",
        "kind",
        "rating",
        "rating_name",
        "state_before",
        "state_after",
        "duration_ms",
        "undone",
    ]
    assert rows[0]["rating_name"] == "Good"
    assert rows[0]["deck"] == "shared-deck"
    assert rows[0]["reviewed_at"].startswith("2026-03-01T12:00:00")
    assert [row["undone"] for row in rows].count("true") == 1


def test_the_delete_page_lists_what_goes_including_my_decks(client, world):
    response = client.get("/account/delete")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Decks you made are deleted too" in html
    assert "Test deck mei-deck" in html and "studied by 1 other learner" in html
    assert "Mei&#39;s evening class" in html
    assert 'name="password"' in html and 'type="password"' in html


@pytest.mark.parametrize(
    ("password", "message"),
    [("wrong password", "That isn&#39;t your password. Nothing was deleted."), ("", "Enter your password")],
)
def test_a_wrong_or_empty_password_changes_nothing(client, world, password, message):
    before = rows_referencing_user(world.mei.id)
    response = post_delete(client, password)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="password-error"' in html and message in html
    assert "<html" in html
    db.session.expire_all()
    assert rows_referencing_user(world.mei.id) == before
    assert user_count() == 3
    assert client.get("/account/data").status_code == 200  # still logged in


def test_htmx_gets_the_form_back_with_the_message(client, world):
    token = delete_form_token(client)
    response = post_delete(client, "wrong password", headers=HTMX | {"X-CSRFToken": token}, token=token)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert 'id="delete-account-form"' in html and 'id="password-error"' in html
    assert user_count() == 3


def test_a_delete_without_csrf_is_refused(client, world):
    response = client.post("/account/delete", data={"password": "correct horse"})
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    assert user_count() == 3


def test_the_delete_is_rate_limited(client, world, app):
    app.config["AUTH_RATE_LIMIT"] = "3 per minute"
    token = delete_form_token(client)
    statuses = [post_delete(client, "wrong password", token=token).status_code for _ in range(4)]
    assert statuses == [422, 422, 422, 429]
    assert "Too many attempts" in post_delete(client, "correct horse", token=token).get_data(as_text=True)
    assert user_count() == 3


def test_deleting_my_account_deletes_everything_about_me(client, auth, world):
    mei_id, li_id = world.mei.id, world.li.id
    li_states = db.session.scalar(
        select(func.count()).select_from(CardState).where(CardState.user_id == li_id)
    )
    response = post_delete(client, "correct horse")
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    home = client.get("/").get_data(as_text=True)
    assert DELETED in home
    assert "Start learning" in home  # logged out: the landing page
    assert client.get("/account/data").status_code == 302

    db.session.expire_all()
    assert rows_referencing_user(mei_id) == {}
    assert orphans() == {}
    assert db.session.get(User, mei_id) is None
    assert db.session.get(User, li_id) is not None
    # Li keeps her progress on the shared deck; her cards of Mei's deck went with the deck.
    assert (
        db.session.scalar(select(func.count()).select_from(CardState).where(CardState.user_id == li_id))
        == li_states - 4
    )
    assert auth.login("mei").status_code == 422
    assert auth.login("mei@example.com").status_code == 422


def test_an_htmx_delete_navigates_home(client, world):
    token = delete_form_token(client)
    response = post_delete(client, "correct horse", headers=HTMX | {"X-CSRFToken": token}, token=token)
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/"
    assert DELETED in client.get("/").get_data(as_text=True)
    assert user_count() == 2


def test_an_old_session_of_a_deleted_account_is_logged_out(app, world, client):
    other = app.test_client()
    other.post(
        "/login",
        data={"login": "mei", "password": "correct horse", "csrf_token": csrf_from(other.get("/login").text)},
    )
    assert other.get("/account/data").status_code == 200
    assert post_delete(client, "correct horse").status_code == 303
    assert other.get("/account/data").status_code == 302
