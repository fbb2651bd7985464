"""A database that can't be reached gives a real 503 page (a fragment for htmx) with Retry-After, and
nothing half-written: a PostgreSQL address with nothing listening, and a SQLite database whose write lock
another connection holds past the busy timeout."""

import re
import socket
import sqlite3

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from learnapp import create_app
from learnapp.extensions import db, limiter
from learnapp.models import CardState, ReviewLog
from tests.conftest import RequestIsolatedClient, base_config, csrf_from

HTMX = {"HX-Request": "true"}


def closed_port() -> int:
    """A port on 127.0.0.1 with nothing listening (the kernel's pick, released at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def unreachable_app(tmp_path):
    """The app pointed at PostgreSQL on a closed port: every query fails to connect."""
    pytest.importorskip("psycopg")
    url = f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/huanying"
    app = create_app(base_config(url, tmp_path) | {"WARM_DICTIONARIES": False})
    app.test_client_class = RequestIsolatedClient
    limiter.reset()
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def assert_unavailable_page(response, fragment: bool) -> str:
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    # 5 s; on the rate-limited forms Flask-Limiter may push it to the end of its window
    assert int(response.headers["Retry-After"]) >= 5
    assert response.headers["Cache-Control"] == "no-store"
    assert "HX-Request" in response.headers["Vary"]
    assert 'id="error-503"' in html
    assert "Back in a moment" in html
    assert "nothing was saved" in html
    assert ("<html" in html) is not fragment
    return html


def test_a_page_that_needs_the_database_answers_503_with_a_page_and_a_fragment(unreachable_app):
    client = unreachable_app.test_client()
    response = client.get("/wiki?q=tea")
    page = assert_unavailable_page(response, fragment=False)
    assert response.headers["Retry-After"] == "5"
    assert 'href="/wiki?q=tea">Try again</a>' in page
    assert "Log in" not in page  # drawn without the account menu, which would ask the database again
    assert_unavailable_page(client.get("/wiki?q=tea", headers=HTMX), fragment=True)


def test_signing_up_while_the_database_is_down_is_a_503_not_a_500(unreachable_app):
    client = unreachable_app.test_client()
    form = client.get("/signup")
    assert form.status_code == 200  # the form itself needs no database
    response = client.post(
        "/signup",
        data={
            "username": "mei",
            "email": "mei@example.com",
            "password": "correct horse",
            "timezone": "UTC",
            "csrf_token": csrf_from(form.get_data(as_text=True)),
        },
        headers={"Referer": "http://localhost/signup"},
    )
    page = assert_unavailable_page(response, fragment=False)
    assert 'href="/signup">Try again</a>' in page


def test_a_logged_in_learner_whose_user_cannot_be_loaded_gets_the_503_page(
    unreachable_app, client, auth, load_decks
):
    """Log in on a working database, then bring the same session cookie to an app whose database is gone
    (same SECRET_KEY): loading the user fails, and the page still comes out."""
    load_decks()
    assert auth.signup().status_code == 303
    token = auth.token("/decks")
    broken = unreachable_app.test_client()
    broken.set_cookie("session", client.get_cookie("session").value)
    assert_unavailable_page(broken.get("/study"), fragment=False)
    answer = {"card_id": "1", "version": "0", "rating": "3", "csrf_token": token}
    html = assert_unavailable_page(
        broken.post(
            "/study/answer", data=answer, headers=HTMX | {"HX-Current-URL": "http://localhost/study"}
        ),
        fragment=True,
    )
    assert 'href="/study">Try again</a>' in html
    # Even a 400 (no CSRF token) needs the database for its account menu: it comes out as the 503 page.
    assert_unavailable_page(broken.post("/study/answer", data={"card_id": "1"}), fragment=False)


def test_the_503_page_comes_out_when_the_learner_was_loaded_before_the_database_went(unreachable_app):
    """The database goes away mid-request, after the learner was loaded: the rollback expires them, and
    the page must not read them again (their menu, their display preferences) to draw itself."""
    from flask_login import login_user
    from sqlalchemy.orm import make_transient_to_detached

    from learnapp.errors import database_unavailable
    from learnapp.models import User

    with unreachable_app.test_request_context("/study/answer", method="POST", headers=HTMX):
        learner = User(
            id=7,
            username="mei",
            username_key="mei",
            email="mei@example.com",
            password_hash="x",
            session_version=1,
        )
        make_transient_to_detached(learner)
        db.session.add(learner)
        login_user(learner)
        db.session.expire(learner)  # what the failed transaction's rollback does
        with pytest.raises(OperationalError) as failure:
            _ = learner.preferences  # reading them asks the database, which is gone
        response = database_unavailable(failure.value)
        assert_unavailable_page(response, fragment=True)


@pytest.fixture
def impatient_app(database_url, tmp_path):
    """The app on the test's SQLite file, giving up on a held write lock after 50 ms."""
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's write lock")
    app = create_app(base_config(database_url, tmp_path) | {"SQLITE_BUSY_TIMEOUT_MS": 50})
    app.test_client_class = RequestIsolatedClient
    limiter.reset()
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def test_an_answer_while_the_database_is_locked_is_a_503_and_writes_nothing(
    impatient_app, database_url, load_decks
):
    from tests.conftest import AuthActions

    load_decks()
    client = impatient_app.test_client()
    auth = AuthActions(client)
    assert auth.signup().status_code == 303
    token = auth.token("/decks")
    assert client.post("/decks/mandarin-first-words/enroll", data={"csrf_token": token}).status_code == 303
    page = client.get("/study").get_data(as_text=True)
    card_id = int(re.search(r'data-card-id="(\d+)"', page).group(1))
    version = db.session.scalar(select(CardState.version).where(CardState.card_id == card_id))
    form = {"csrf_token": csrf_from(page), "card_id": card_id, "version": version, "rating": "3"}

    holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        for headers in ({}, HTMX):
            assert_unavailable_page(
                client.post("/study/answer", data=form, headers=headers), fragment=bool(headers)
            )
    finally:
        holder.rollback()
        holder.close()
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 0
    assert db.session.scalar(select(CardState.version).where(CardState.card_id == card_id)) == version

    # The learner tries again once the lock is gone: the answer counts once.
    for _ in range(2):
        assert client.post("/study/answer", data=form, headers=HTMX).status_code == 200
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 1


def test_a_connection_dropped_after_the_response_does_not_make_it_a_500(app):
    """PostgreSQL restarts between the response and the request's teardown: closing the session (a
    rollback of the read transaction) fails, and the request must still end cleanly."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("a server-side disconnect: PostgreSQL (TEST_DATABASE_URL)")
    from sqlalchemy import create_engine, text

    backend = db.session.execute(text("SELECT pg_backend_pid()")).scalar()  # a transaction is open
    killer = create_engine(db.engine.url)
    with killer.connect() as connection:
        connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
    killer.dispose()
    app.do_teardown_appcontext()  # what Flask runs once the response is made: no exception
    assert db.session.execute(text("SELECT 1")).scalar() == 1  # the next request gets a new connection
