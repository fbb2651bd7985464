"""Structured logs: one JSON line per request with its id, user, route, status and time; the request id
comes back in the response; audit lines for role changes, invites, imports and deleted accounts, written only once
their transaction commits."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import select

from learnapp.extensions import db
from learnapp.models import User
from learnapp.observability import JsonFormatter
from tests.conftest import csrf_from
from tests.http.test_teach_support import make_account


def lines(caplog, logger: str) -> list[dict]:
    return [json.loads(JsonFormatter().format(record)) for record in caplog.records if record.name == logger]


def test_each_request_is_one_line_with_its_id_user_route_status_and_time(client, auth, caplog):
    auth.signup()
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="learnapp.request"):
        response = client.get("/decks", headers={"X-Request-ID": "abc-123"})
        missing = client.get("/decks/no-such-deck")
    assert response.headers["X-Request-ID"] == "abc-123"
    first, second = lines(caplog, "learnapp.request")
    user_id = db.session.scalar(select(User.id))
    assert first | {"ts": None, "ms": None} == {
        "ts": None,
        "level": "info",
        "logger": "learnapp.request",
        "msg": "request",
        "request_id": "abc-123",
        "user_id": user_id,
        "method": "GET",
        "route": "/decks",
        "status": 200,
        "ms": None,
    }
    assert first["ms"] >= 0
    assert (second["route"], second["status"]) == ("/decks/<slug>", 404)
    assert len(second["request_id"]) == 32 and second["request_id"] == missing.headers["X-Request-ID"]


@pytest.mark.parametrize("given", ["", "a" * 65, "bad id", "x\u202ey", "<script>"])
def test_a_request_id_that_is_not_sensible_is_replaced(client, given):
    response = client.get("/healthz", headers={"X-Request-ID": given})
    assert response.headers["X-Request-ID"] != given and len(response.headers["X-Request-ID"]) == 32


def test_static_files_are_not_logged(client, caplog):
    with caplog.at_level(logging.INFO, logger="learnapp.request"):
        assert client.get("/static/app.css").status_code == 200
        client.get("/healthz")
    [health] = lines(caplog, "learnapp.request")
    assert (health["route"], health["status"], health["user_id"]) == ("/healthz", 200, None)


def test_role_changes_are_audited_once_committed(client, auth, caplog):
    auth.signup("boss", "boss@example.com")
    db.session.scalar(select(User).where(User.username == "boss")).role = "admin"
    db.session.commit()
    auth.logout()
    auth.signup("mei", "mei@example.com")
    mei = db.session.scalar(select(User.id).where(User.username == "mei"))
    auth.logout()
    auth.login("boss")
    token = csrf_from(client.get("/admin/users").get_data(as_text=True))
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="learnapp.audit"):
        client.post(f"/admin/users/{mei}/role", data={"role": "teacher", "csrf_token": token})
        client.post(f"/admin/users/{mei}/role", data={"role": "wizard", "csrf_token": token})  # refused
    [line] = lines(caplog, "learnapp.audit")
    boss = db.session.scalar(select(User.id).where(User.username == "boss"))
    assert {k: line[k] for k in ("event", "user_id", "old_role", "new_role", "actor_id")} == {
        "event": "role_changed",
        "user_id": mei,
        "old_role": "learner",
        "new_role": "teacher",
        "actor_id": boss,
    }


def test_role_changes_from_the_command_line_are_audited_too(app, runner, caplog):
    make_account("lily", "teacher", can_invite=True)
    lily = db.session.scalar(select(User.id).where(User.username == "lily"))
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="learnapp.audit"):
        assert runner.invoke(args=["users", "promote", "lily", "--role", "king"]).exit_code != 0  # refused
        result = runner.invoke(args=["users", "promote", "lily", "--role", "learner"])
        assert result.exit_code == 0, result.output
        for name, role in (("ada", "admin"), ("sam", "learner")):
            args = ["users", "create", name, f"{name}@example.com", "--role", role]
            result = runner.invoke(args=[*args, "--password", "correct horse battery"])
            assert result.exit_code == 0, result.output
    ada = db.session.scalar(select(User.id).where(User.username == "ada"))
    fields = ("event", "user_id", "old_role", "new_role", "via")
    # sam is created a learner, as every account is: no role changed, no line
    assert [tuple(line[k] for k in fields) for line in lines(caplog, "learnapp.audit")] == [
        ("role_changed", lily, "teacher", "learner", "cli"),
        ("role_changed", ada, "learner", "admin", "cli"),
    ]
    assert all("actor_id" not in line for line in lines(caplog, "learnapp.audit"))
    db.session.expire_all()
    assert db.session.get(User, lily).can_invite is False  # as when an admin makes a teacher a learner


def test_a_deleted_account_is_audited(client, auth, caplog):
    auth.signup()
    token = csrf_from(client.get("/account/delete").get_data(as_text=True))
    with caplog.at_level(logging.INFO, logger="learnapp.audit"):
        client.post("/account/delete", data={"password": "wrong one", "csrf_token": token})
        assert lines(caplog, "learnapp.audit") == []  # refused: nothing deleted, nothing written
        client.post("/account/delete", data={"password": "correct horse", "csrf_token": token})
    [line] = lines(caplog, "learnapp.audit")
    assert (line["event"], line["decks"], line["classes"]) == ("account_deleted", 0, 0)
