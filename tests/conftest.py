"""Shared fixtures: a migrated database per test (SQLite file, or PostgreSQL via TEST_DATABASE_URL),
the app, a test client, and an `auth` helper that fills in the real forms (CSRF included)."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import g
from flask.testing import FlaskClient
from flask_migrate import upgrade
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, event, text

from learnapp import create_app
from learnapp.extensions import db, limiter

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
# Hypothesis profiles, chosen by HYPOTHESIS_PROFILE: "ci" (the default, short enough for `make test`) and
# "soak" (long runs by hand: `HYPOTHESIS_PROFILE=soak pytest tests/db/test_study_stateful.py`). A test that
# sets its own @settings keeps them; the profile gives the rest. No deadline: a database step's time varies.
settings.register_profile(
    "ci",
    max_examples=25,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "soak",
    max_examples=1000,
    stateful_step_count=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def base_config(database_url: str, instance: Path) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "FSRS_ENABLE_FUZZ": False,
        "DECKS_DIR": str(ROOT / "decks"),
        "RATELIMIT_STORAGE_URI": "memory://",
        "SHARE_IMAGE_DIR": str(instance / "share-images"),  # never the checkout's instance/
    }


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory) -> str:
    """Run the real migrations once; tests start from a copy (SQLite) or truncated tables (PostgreSQL)."""
    if POSTGRES_URL:
        _reset_postgres(POSTGRES_URL)
        url = POSTGRES_URL
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('template') / 'template.sqlite3'}"
    app = create_app(base_config(url, tmp_path_factory.mktemp("instance")))
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        db.engine.dispose()
    return url


@pytest.fixture
def database_url(migrated_database, tmp_path) -> str:
    if POSTGRES_URL:
        engine = create_engine(POSTGRES_URL)
        with engine.begin() as connection:
            tables = [
                row[0]
                for row in connection.execute(
                    text(
                        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
                    )
                )
            ]
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        engine.dispose()
        return POSTGRES_URL
    source = Path(migrated_database.removeprefix("sqlite:///"))
    target = tmp_path / "test.sqlite3"
    shutil.copy(source, target)
    return f"sqlite:///{target}"


class RequestIsolatedClient(FlaskClient):
    """Each request gets a fresh `g` and database session, as under a real server.

    The tests keep one app context open (to query the database between requests), and Flask reuses an
    open app context for test requests; without this, `g` (Flask-WTF's CSRF token, Flask-Login's user)
    would leak from one request into the next.
    """

    def open(self, *args, **kwargs):
        db.session.remove()
        g.__dict__.clear()
        try:
            return super().open(*args, **kwargs)
        finally:
            g.__dict__.clear()
            db.session.remove()


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app(base_config(database_url, tmp_path))
    app.test_client_class = RequestIsolatedClient
    app.config["SERVER_NAME"] = None
    limiter.reset()
    with app.app_context():
        yield app
        _drain_jobs(app)  # background jobs (mails since sign-up sends one) end before the database goes
        db.session.remove()
        db.engine.dispose()


def _drain_jobs(app) -> None:
    from learnapp.jobs.runner import ThreadRunner, runner_of

    runner = runner_of(app)
    if isinstance(runner, ThreadRunner):
        runner.drain()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def prepared_plans(containing: str) -> list[tuple[int, int]]:
    """(generic plans, custom plans) of each statement the session's PostgreSQL connection has prepared
    whose text holds `containing`: how often a prepared statement ran, and whether it was planned anew."""
    from learnapp.study.sql import connect

    rows = connect().raw.execute("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements")
    return [(generic, custom) for statement, generic, custom in rows.fetchall() if containing in statement]


@contextmanager
def statements_sent() -> Iterator[list[str]]:
    """The statements every connection opened during the block sends to the database, as the database
    sees them: SQLite's trace of the statements it runs (COMMIT included), libpq's trace of the messages
    psycopg sends on PostgreSQL (its simple queries, such as BEGIN and COMMIT, and the text of each statement
    it prepares; a prepared statement's later runs name it only). The pool is emptied first, so every
    connection a request takes is a new one, traced from its start; the list is filled when the block ends."""
    sent: list[str] = []
    traces: list[tuple[Any, Any]] = []
    with ExitStack() as files:

        def traced(dbapi_connection, _record) -> None:
            if db.engine.dialect.name == "sqlite":
                dbapi_connection.set_trace_callback(sent.append)
                return
            from psycopg import pq

            trace = files.enter_context(tempfile.TemporaryFile())
            dbapi_connection.pgconn.trace(trace.fileno())
            dbapi_connection.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
            traces.append((dbapi_connection, trace))

        db.session.remove()
        db.engine.dispose()
        event.listen(db.engine, "connect", traced)
        try:
            yield sent
        finally:
            event.remove(db.engine, "connect", traced)
            for dbapi_connection, trace in traces:
                if not dbapi_connection.closed:
                    dbapi_connection.pgconn.untrace()
                trace.seek(0)
                for message in _PG_MESSAGE.split(trace.read().decode()):
                    if match := _PG_SENT.match(message):
                        sent.append(match.group(1))


_PG_MESSAGE = re.compile(r"\n(?=[FB]\t\d+\t)")  # libpq's trace: a message a line, its strings unescaped
_PG_SENT = re.compile(r'F\t\d+\t(?:Query|Parse)\t (?:"[^"]*" )?"(.*)"(?: [\dN]+)*\s*$', re.S)


def csrf_from(html: str) -> str:
    match = CSRF_INPUT.search(html)
    assert match, "page has no CSRF token"
    return match.group(1) or match.group(2)


class AuthActions:
    """Fills in the real sign-up and login forms, the way a user would."""

    def __init__(self, client) -> None:
        self.client = client

    def token(self, path: str = "/login") -> str:
        return csrf_from(self.client.get(path).get_data(as_text=True))

    def signup(
        self, username="mei", email="mei@example.com", password="correct horse", timezone="Asia/Shanghai"
    ):
        token = self.token("/signup")
        return self.client.post(
            "/signup",
            data={
                "username": username,
                "email": email,
                "password": password,
                "timezone": timezone,
                "csrf_token": token,
            },
        )

    def login(self, login="mei", password="correct horse", next_path=None):
        token = self.token("/login")
        url = "/login" + (f"?next={next_path}" if next_path else "")
        return self.client.post(url, data={"login": login, "password": password, "csrf_token": token})

    def logout(self):
        token = self.token("/decks")
        return self.client.post("/logout", data={"csrf_token": token})


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture(scope="session")
def warm_dictionaries():
    """CC-CEDICT and the segmenter's index, loaded once for the test run (seconds), as a production server
    loads them before it forks (learnapp/wsgi.py), so no page a test opens waits for them."""
    from learnapp.chinese.sandhi import words_of

    words_of("你好")


@pytest.fixture
def load_decks(app):
    """Load the real deck files from decks/."""
    from learnapp.decks.loader import load_directory

    def _load():
        return load_directory(ROOT / "decks", datetime(2026, 1, 1, tzinfo=UTC))

    return _load


@pytest.fixture
def mailbox(app):
    """A real SMTP server (aiosmtpd) on a free port, and the app sending to it. Mails leave after their
    transaction commits, from the job runner's thread: `deliveries()` waits for the runner, then reads."""
    from learnapp.jobs.runner import runner_of
    from tests.mailbox import Mailbox

    box = Mailbox()
    app.config["MAIL_URL"] = box.start()
    box.deliveries = lambda: (runner_of(app).drain(), list(box.messages))[1]
    yield box
    _drain_jobs(app)
    box.stop()
