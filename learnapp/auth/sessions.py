"""A learner's sessions, kept on the server: the one place a login starts (sign-up, log in, a new password)
and the one place it ends.

A login writes a `user_sessions` row holding the SHA-256 of a random 256-bit token; the token itself lives
only in the browser's signed session cookie. The user loader (auth/service.py `load_user`) accepts a cookie
only while its row exists, so logging out (which deletes the row) ends the session on the server: a copy of
the cookie taken before is worth nothing. A new password ends every row of the account.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from flask import Flask, Response, g, request, session
from flask_login import login_user, logout_user
from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.exc import SQLAlchemyError

from learnapp.database import transaction
from learnapp.extensions import db
from learnapp.models import User, UserSession, utcnow

log = logging.getLogger(__name__)

SESSION_TOKEN = "session_token"  # the key of the token in Flask's session  # noqa: S105 (a key, not a secret)
# last_seen is written when it is older than this (not on every request: the loader is the hot path).
LAST_SEEN_EVERY = timedelta(minutes=10)
_TOUCH = "user_session_touch"  # g: the row whose last_seen the request's end writes


UNKNOWN_DEVICE = "Unknown browser"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def current_token() -> str | None:
    """The token in this request's session cookie (None when there is none, or it is not one of ours)."""
    token = session.get(SESSION_TOKEN)
    return token if isinstance(token, str) and 0 < len(token) <= 64 else None


def start_session(user: User, now: datetime | None = None) -> None:
    """Log in on a fresh session (no fixation): clear the old one, write this device's row, remember the
    user. Joins the caller's transaction if there is one."""
    now = now or utcnow()
    session.clear()
    token = secrets.token_urlsafe(32)  # 256 bits
    with transaction():
        db.session.add(
            UserSession(
                user_id=user.id,
                token_hash=token_hash(token),
                created_at=now,
                last_seen=now,
                device=device_summary(request.headers.get("User-Agent", "")),
            )
        )
    session[SESSION_TOKEN] = token
    login_user(user)
    session.permanent = True


def end_session() -> None:
    """Log out: this device's row goes, so the cookie stops working everywhere; the cookie is cleared."""
    token = current_token()
    if token is not None:
        with transaction():
            db.session.execute(delete(UserSession).where(UserSession.token_hash == token_hash(token)))
    logout_user()
    session.clear()


def end_all_sessions(user_id: int) -> None:
    """Every session of the account ends (a new password, a deleted account); in the caller's transaction."""
    with transaction():
        db.session.execute(
            delete(UserSession).where(UserSession.user_id == user_id),
            execution_options={"synchronize_session": False},
        )


def end_other_sessions(user: User) -> int:
    """ "Log out all other devices": every row of the account but this device's; how many ended."""
    token = current_token()
    mine = token_hash(token) if token is not None else ""
    with transaction():
        result = db.session.execute(
            delete(UserSession).where(UserSession.user_id == user.id, UserSession.token_hash != mine),
            execution_options={"synchronize_session": False},
        )
        return int(cast("CursorResult[Any]", result).rowcount)


def end_device(user: User, session_id: int) -> str | None:
    """Log out one other device of the account (the sessions page's "Log out" on its row); its name, or
    None when there is no such other session of the account (already ended, this device, or not theirs):
    sending it twice ends it once."""
    token = current_token()
    mine = token_hash(token) if token is not None else ""
    with transaction():
        return db.session.scalar(
            delete(UserSession)
            .where(
                UserSession.id == session_id,
                UserSession.user_id == user.id,
                UserSession.token_hash != mine,
            )
            .returning(UserSession.device),
            execution_options={"synchronize_session": False},
        )


@dataclass(frozen=True)
class Device:
    id: int
    device: str
    created_at: datetime
    last_seen: datetime
    current: bool


def devices_of(user: User) -> list[Device]:
    """The account's sessions, most recently seen first, this device's marked."""
    token = current_token()
    mine = token_hash(token) if token is not None else None
    rows = db.session.execute(
        select(
            UserSession.id,
            UserSession.device,
            UserSession.created_at,
            UserSession.last_seen,
            UserSession.token_hash,
        )
        .where(UserSession.user_id == user.id)
        .order_by(UserSession.last_seen.desc(), UserSession.id.desc())
    )
    return [
        Device(row.id, row.device or UNKNOWN_DEVICE, row.created_at, row.last_seen, row.token_hash == mine)
        for row in rows
    ]


def seen(session_id: int, last_seen: datetime, now: datetime) -> None:
    """The loader found this row: the request's end writes last_seen if older than LAST_SEEN_EVERY."""
    if now - last_seen >= LAST_SEEN_EVERY:
        g.setdefault(_TOUCH, (session_id, now))


def _write_last_seen(response: Response) -> Response:
    """At most every LAST_SEEN_EVERY a session: its last_seen, in a short transaction of its own connection
    (after the request's own work, which has committed). A failure costs the figure, never the response."""
    touch = g.pop(_TOUCH, None)
    if touch is not None:
        session_id, now = touch
        try:
            with db.engine.begin() as connection:
                connection.execute(
                    update(UserSession.__table__)
                    .where(UserSession.__table__.c.id == session_id)
                    .values(last_seen=now)
                )
        except SQLAlchemyError:
            log.warning("user_sessions: last_seen not written", exc_info=True)
    return response


def install(app: Flask) -> None:
    app.after_request(_write_last_seen)


_BROWSERS = (
    ("Edge", re.compile(r"\bEdg(?:e|A|iOS)?/")),
    ("Opera", re.compile(r"\bOPR/")),
    ("Samsung Internet", re.compile(r"\bSamsungBrowser/")),
    ("Firefox", re.compile(r"\b(?:Firefox|FxiOS)/")),
    ("Chrome", re.compile(r"\b(?:Chrome|Chromium|CriOS)/")),
    ("Safari", re.compile(r"\bSafari/")),
)
_SYSTEMS = (
    ("Android", re.compile(r"\bAndroid\b")),
    ("iPhone", re.compile(r"\biPhone\b")),
    ("iPad", re.compile(r"\biPad\b")),
    ("Windows", re.compile(r"\bWindows\b")),
    ("macOS", re.compile(r"\bMac OS X\b|\bMacintosh\b")),
    ("ChromeOS", re.compile(r"\bCrOS\b")),
    ("Linux", re.compile(r"\bLinux\b")),
)


def device_summary(user_agent: str) -> str:
    """ "Firefox on Android" from a User-Agent header: a browser and a system we know, nothing else of it."""
    user_agent = user_agent[:512]
    browser = next((name for name, pattern in _BROWSERS if pattern.search(user_agent)), None)
    system = next((name for name, pattern in _SYSTEMS if pattern.search(user_agent)), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "Unknown browser"
