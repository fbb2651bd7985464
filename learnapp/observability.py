"""Structured logs: one JSON line per request (its id, the user, the route, the status and the time it
took) and an audit line for what changes who may do what (roles, invites, imports, account deletions).

Every line is a JSON object on stderr (`LOG_LEVEL`, default INFO), so a log collector can read it as it is;
the request id comes from the proxy's `X-Request-ID` when it sends a sensible one, and goes back in the
response so a learner's report can be matched with the server's lines.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, has_app_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from learnapp.database import in_transaction
from learnapp.extensions import db

log = logging.getLogger("learnapp.request")
audit_log = logging.getLogger("learnapp.audit")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
QUIET_ENDPOINTS = frozenset({"static"})
_PENDING_AUDIT = "audit_lines"


class JsonFormatter(logging.Formatter):
    """A log record as one JSON line: time, level, logger, message and the record's `fields`."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def audit(event: str, **fields: Any) -> None:
    """Record who changed what (an admin's role change, an invite, an import, a deleted account). Inside a
    transaction the line is written once it commits (a change rolled back was never made)."""
    actor = getattr(g, "_login_user", None) if has_app_context() else None
    line = {"event": event, "request_id": g.get("request_id") if has_app_context() else None} | fields
    if actor is not None and getattr(actor, "is_authenticated", False):
        line.setdefault("actor_id", actor.id)
    if in_transaction():
        db.session.info.setdefault(_PENDING_AUDIT, []).append(line)
    else:
        audit_log.info(event, extra={"fields": line})


@event.listens_for(Session, "after_commit")
def _write_audit(session: Session) -> None:
    for line in session.info.pop(_PENDING_AUDIT, ()):
        audit_log.info(line["event"], extra={"fields": line})


@event.listens_for(Session, "after_rollback")
def _drop_audit(session: Session) -> None:
    session.info.pop(_PENDING_AUDIT, None)


def _request_id() -> str:
    given = request.headers.get("X-Request-ID", "")
    return given if _REQUEST_ID.match(given) else uuid.uuid4().hex


def install(app: Flask) -> None:
    """Log each request as one line, and send logs of `learnapp.*` to stderr as JSON unless something
    else (gunicorn's --log-config, a test's capture) already set logging up."""
    package = logging.getLogger("learnapp")
    if not package.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        package.addHandler(handler)
    if package.level == logging.NOTSET:
        package.setLevel(app.config.get("LOG_LEVEL", "INFO"))

    @app.before_request
    def _start() -> None:
        g.request_started = time.perf_counter()
        g.request_id = _request_id()

    @app.after_request
    def _log(response: Response) -> Response:
        request_id = g.get("request_id")
        if request_id is None:  # a response made before the request started (a routing error)
            return response
        response.headers["X-Request-ID"] = request_id
        if request.endpoint in QUIET_ENDPOINTS or not log.isEnabledFor(logging.INFO):
            return response
        user = getattr(g, "_login_user", None)  # only if this request loaded it: logging loads nothing
        log.info(
            "request",
            extra={
                "fields": {
                    "request_id": request_id,
                    "user_id": user.id if user is not None and user.is_authenticated else None,
                    "method": request.method,
                    "route": request.url_rule.rule if request.url_rule else None,
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - g.request_started) * 1000, 2),
                }
            },
        )
        return response
