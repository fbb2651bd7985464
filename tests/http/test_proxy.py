"""Behind a reverse proxy (TRUSTED_PROXIES=1), the client's address is the one the proxy saw: each
client gets its own login rate limit. Without it, X-Forwarded-For is not believed (anyone can send it)."""

import pytest

from learnapp import create_app
from learnapp.extensions import db, limiter
from tests.conftest import RequestIsolatedClient, base_config, csrf_from


@pytest.fixture
def make_client(database_url, tmp_path):
    apps = []

    def _make(proxies: int):
        config = base_config(database_url, tmp_path) | {
            "AUTH_RATE_LIMIT": "2 per minute",
            "TRUSTED_PROXIES": proxies,
        }
        app = create_app(config)
        app.test_client_class = RequestIsolatedClient
        limiter.reset()
        context = app.app_context()
        context.push()
        apps.append(context)
        return app.test_client()

    yield _make
    for context in apps:
        db.session.remove()
        db.engine.dispose()
        context.pop()


def log_in(client, address: str) -> int:
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login",
        data={"login": "nobody", "password": "wrong password", "csrf_token": token},
        headers={"X-Forwarded-For": address},
    )
    return response.status_code


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(make_client):
    client = make_client(1)
    assert [log_in(client, "203.0.113.7") for _ in range(3)] == [422, 422, 429]
    assert log_in(client, "203.0.113.8") == 422  # another learner behind the same proxy


def test_without_a_trusted_proxy_the_forwarded_address_is_ignored(make_client):
    client = make_client(0)
    assert [log_in(client, "203.0.113.7") for _ in range(2)] == [422, 422]
    assert log_in(client, "203.0.113.8") == 429  # a made-up header does not buy more attempts
