"""Over HTTPS (issue 14): Strict-Transport-Security on every response and the Secure flag on every cookie.
HTTPS is the request's own scheme, or X-Forwarded-Proto from a proxy declared trusted (TRUSTED_PROXIES);
without one, a forwarded header is not believed. And a nickname made private stops being served by shared
caches: its share image never revalidates as 304, its image and page are a 404 that no cache stores."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from learnapp import create_app
from learnapp.extensions import db, limiter
from learnapp.models import Nickname
from learnapp.security import _secure
from tests.conftest import RequestIsolatedClient, base_config, csrf_from
from tests.http.test_teach_support import PASSWORD, make_account
from tests.http.test_welcome import EMAIL, USERNAME, pick, post

HSTS = "max-age=31536000; includeSubDomains"
FORWARDED_HTTPS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}


@pytest.fixture
def make_client(database_url, tmp_path):
    contexts = []

    def _make(proxies: int = 0, **config):
        app = create_app(base_config(database_url, tmp_path) | {"TRUSTED_PROXIES": proxies} | config)
        app.test_client_class = RequestIsolatedClient
        limiter.reset()
        context = app.app_context()
        context.push()
        contexts.append(context)
        return app.test_client()

    yield _make
    for context in reversed(contexts):
        db.session.remove()
        db.engine.dispose()
        context.pop()


def log_in(client, headers=None, **request):
    """The real login form; returns the response of the POST. Over HTTPS, Flask-WTF also wants the
    page's own address as the Referer (a browser sends it: Referrer-Policy same-origin)."""
    make_account("lin")
    page = client.get("/login", headers=headers, **request)
    token = csrf_from(page.get_data(as_text=True))
    headers = (headers or {}) | {"Referer": "https://localhost/login"}
    data = {"login": "lin", "password": PASSWORD, "csrf_token": token}
    return client.post("/login", data=data, headers=headers, **request)


def cookies(response) -> list[str]:
    return response.headers.getlist("Set-Cookie")


def test_plain_http_has_no_hsts_and_no_secure_cookie(make_client):
    client = make_client()
    response = log_in(client)
    assert response.status_code == 303
    assert "Strict-Transport-Security" not in response.headers
    assert cookies(response) and not any("Secure" in cookie for cookie in cookies(response))


def test_https_itself_gets_hsts_and_secure_cookies(make_client):
    client = make_client()
    response = log_in(client, base_url="https://localhost")
    assert response.status_code == 303
    assert response.headers["Strict-Transport-Security"] == HSTS
    session = [cookie for cookie in cookies(response) if cookie.startswith("session=")]
    assert session and all("; Secure" in cookie for cookie in session)
    page = client.get("/", base_url="https://localhost")
    assert page.headers["Strict-Transport-Security"] == HSTS
    static = client.get("/static/app.css", base_url="https://localhost")
    assert static.headers["Strict-Transport-Security"] == HSTS


def test_behind_a_trusted_proxy_its_forwarded_https_counts(make_client):
    client = make_client(proxies=1)
    response = log_in(client, headers=FORWARDED_HTTPS)
    assert response.status_code == 303
    assert response.headers["Strict-Transport-Security"] == HSTS
    assert all("; Secure" in cookie for cookie in cookies(response))
    plain = client.get("/login", headers={"X-Forwarded-Proto": "http", "X-Forwarded-For": "203.0.113.9"})
    assert "Strict-Transport-Security" not in plain.headers


def test_without_a_trusted_proxy_a_forwarded_https_is_ignored(make_client):
    client = make_client(proxies=0)
    response = log_in(client, headers=FORWARDED_HTTPS)
    assert response.status_code == 303
    assert "Strict-Transport-Security" not in response.headers
    assert not any("Secure" in cookie for cookie in cookies(response))


def test_hsts_can_be_turned_off(make_client):
    client = make_client(HSTS="")
    assert "Strict-Transport-Security" not in client.get("/login", base_url="https://localhost").headers


def test_the_secure_flag_is_added_once():
    assert _secure("session=x; HttpOnly; Path=/") == "session=x; HttpOnly; Path=/; Secure"
    assert _secure("session=x; Secure; HttpOnly") == "session=x; Secure; HttpOnly"
    assert _secure("secure=1; Path=/") == "secure=1; Path=/; Secure"  # a cookie named "secure" is not it


# --- a nickname made private, and shared caches ------------------------------------------------------


@pytest.fixture
def shared(client, auth) -> Nickname:
    assert auth.signup(username=USERNAME, email=EMAIL).status_code == 303
    assert pick(client, "0").status_code == 303
    nickname = db.session.scalar(select(Nickname))
    return nickname


def test_a_private_names_image_is_never_revalidated_as_304(app, client, auth, shared):
    fetcher = app.test_client()  # a shared cache: no cookies
    url = f"/n/{shared.share_token}.png"
    first = fetcher.get(url)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert "public" in first.headers["Cache-Control"] and "must-revalidate" in first.headers["Cache-Control"]
    assert fetcher.get(url, headers={"If-None-Match": etag}).status_code == 304  # while public
    assert post(client, f"/settings/nicknames/{shared.id}/visibility", public="0").status_code == 303
    again = fetcher.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 404
    assert again.headers["Cache-Control"] == "no-store"


def test_the_share_page_is_kept_by_no_shared_cache_and_its_404_by_none(app, client, auth, shared):
    visitor = app.test_client()
    page = visitor.get(f"/n/{shared.share_token}")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "private, no-cache"
    assert post(client, f"/settings/nicknames/{shared.id}/visibility", public="0").status_code == 303
    gone = visitor.get(f"/n/{shared.share_token}")
    assert gone.status_code == 404
    assert gone.headers["Cache-Control"] == "no-store"
    unknown = visitor.get("/n/AAAAAAAAAAAA")
    assert (unknown.status_code, unknown.headers["Cache-Control"]) == (404, "no-store")
