"""How a request's database work ends (learnapp/database.py, `end_reads`): on PostgreSQL a successful GET,
or a study answer, ends its reads with COMMIT so the connection keeps its prepared statements; every
other request, and every error, still ends with a ROLLBACK that keeps nothing it did not commit itself."""

import pytest
from flask import abort
from sqlalchemy import select, update

from learnapp.extensions import csrf, db
from learnapp.models import User
from tests.conftest import prepared_plans
from tests.factories import make_user


@pytest.fixture
def probes(app):
    """Two views that change a row without committing: a GET that then fails (404) and a POST that
    succeeds outside the study pages."""

    def rename(name: str) -> None:
        db.session.execute(update(User).where(User.username == "mei").values(display_name=name))

    @app.get("/_probe/fails")
    def fails():
        rename("from a failed GET")
        abort(404)

    @csrf.exempt
    @app.post("/_probe/posts")
    def posts():
        rename("from a POST")
        return "done"

    @app.get("/_probe/reads")
    def reads():
        return db.session.scalar(select(User.username).where(User.username == "mei")) or ""

    make_user()
    db.session.commit()
    return app


def display_name() -> str | None:
    db.session.rollback()
    return db.session.scalar(select(User.display_name).where(User.username == "mei"))


def test_a_failed_get_and_a_post_keep_nothing_they_did_not_commit(probes, client):
    assert client.get("/_probe/fails").status_code == 404
    assert display_name() is None
    assert client.post("/_probe/posts").status_code == 200
    assert display_name() is None


def test_on_postgresql_a_successful_get_ends_with_commit_and_keeps_its_prepared_statements(
    probes, client, auth
):
    """Signed in, each request runs the user loader's prepared statement; a GET that ended with ROLLBACK
    made the next request prepare (and plan) it again."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("psycopg's prepared statements")
    assert auth.login().status_code == 303
    db.session.remove()
    db.engine.dispose()  # the requests below share one new connection
    for _ in range(3):
        assert client.get("/_probe/reads").get_data(as_text=True) == "mei"
    assert db.engine.pool.checkedin() == 1
    loader = [generic for generic, _custom in prepared_plans("JOIN user_sessions")]
    assert loader == [3]  # prepared once, run by all three requests
