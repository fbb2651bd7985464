"""Proving and recovering an account by email: verification links, password resets, a change of address.

Each function is one transaction; the mails it causes are written into the outbox inside it and leave
after it commits (learnapp/mail/). Nothing here tells a caller whether an address has an account.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Response, current_app
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from learnapp.auth.service import PASSWORD_METHOD, confirm_password, register
from learnapp.auth.sessions import end_all_sessions
from learnapp.database import transaction
from learnapp.errors import Conflict, UserError
from learnapp.extensions import db
from learnapp.mail import public_url, queue
from learnapp.mail.tokens import (
    RESET_MAX_AGE,
    VERIFY_MAX_AGE,
    LinkProblem,
    password_digest,
    read,
    same_digest,
    sign,
)
from learnapp.models import OutboxMail, User
from learnapp.ratelimit import LoginFailures

ADDRESS_TAKEN = "That address can't be used for this account. Choose another."
WRONG_PASSWORD = "That isn't your password."  # noqa: S105 (a message)


def normalize_address(address: str) -> str:
    return address.strip().lower()


def send_verification(user: User, now: datetime) -> OutboxMail:
    """A link that proves `user.email` is theirs (it verifies that address only), in the caller's
    transaction."""
    token = sign("verify", {"u": user.id, "e": user.email}, now)
    return queue(
        user,
        "verify",
        "Confirm your email address · Huanying",
        "verify",
        now=now,
        url=public_url("auth.verify_email", token=token),
        days=VERIFY_MAX_AGE.days,
    )


def sign_up(username: str, email: str, password: str, timezone: str | None, now: datetime) -> User:
    """Create the account and send its verification link. Studying works before verifying."""
    with transaction():
        user = register(username, email, password, timezone, now)
        send_verification(user, now)
    return user


def resend_verification(user: User, now: datetime) -> None:
    """A new link, while the address is unverified or its mails were refused (opening it resumes them)."""
    if user.email_verified_at is not None and user.mail_failures == 0:
        raise Conflict("Your address is already verified.")
    with transaction():
        send_verification(user, now)


@dataclass(frozen=True)
class Verified:
    user: User
    already: bool  # the address was verified before this click


def _user_of(payload: dict[str, Any]) -> User:
    user_id = payload.get("u")
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None:  # the account was deleted since
        raise LinkProblem("invalid")
    return user


def verify_email(token: str, now: datetime) -> Verified:
    """Mark the address in the link verified, if it is still the account's address (and forget its
    refused mails: the link reached it)."""
    payload = read("verify", token, VERIFY_MAX_AGE, now)
    user = _user_of(payload)
    if payload.get("e") != user.email:
        raise LinkProblem("changed")
    with transaction():
        # Only the first of two clicks at once writes; the other finds it done.
        done = db.session.execute(
            update(User)
            .where(
                User.id == user.id,
                User.email == payload["e"],
                or_(User.email_verified_at.is_(None), User.mail_failures > 0),
            )
            .values(email_verified_at=func.coalesce(User.email_verified_at, now), mail_failures=0),
            execution_options={"synchronize_session": False},
        ).rowcount  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult
    db.session.refresh(user)
    return Verified(user=user, already=done == 0)


# ---- password reset -------------------------------------------------------------------------------


class Later:
    """Work that must not show in the time of the answer it belongs to. `after(response, ...)` runs it once
    the server has sent the response and closed it (`Response.call_on_close`; gunicorn does that at once),
    or after `patience` seconds if the server keeps it open longer (werkzeug's development server can, until
    the browser drops the connection). One thread in each process runs the pieces in turn, each in its own
    app context (the request's is gone by then). A failure is logged, never raised."""

    def __init__(self, patience: float = 1.0) -> None:
        self.patience = patience
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="after-answer")
        self._futures: set[Future[None]] = set()
        self._lock = threading.Lock()

    def after(self, response: Response, work: Callable[..., None], *args: Any) -> None:
        sent = threading.Event()
        response.call_on_close(sent.set)
        self.submit(work, *args, once=sent)

    def submit(self, work: Callable[..., None], *args: Any, once: threading.Event | None = None) -> None:
        app = current_app._get_current_object()  # type: ignore[attr-defined]  # the app, not the proxy

        def run() -> None:
            if once is not None:
                once.wait(self.patience)
            with app.app_context():
                try:
                    work(*args)
                except Exception:
                    app.logger.exception("work after an answer failed: %s", work.__name__)
                    db.session.rollback()

        future = self._pool.submit(run)
        with self._lock:
            self._futures.add(future)
        future.add_done_callback(self._forget)

    def _forget(self, future: Future[None]) -> None:
        with self._lock:
            self._futures.discard(future)

    def wait(self) -> None:
        """Until everything submitted so far has run (tests, and a clean shutdown)."""
        with self._lock:
            pending = list(self._futures)
        wait_for(pending)


later = Later()


def request_reset(address: str, now: datetime) -> None:
    """Send a reset link if an account uses `address`; do the same nothing visible otherwise. The view
    hands this to `later`, so the answer takes the same time for a known and an unknown address."""
    user = db.session.scalar(select(User).where(User.email == normalize_address(address)))
    if user is None:
        return
    token = sign("reset", {"u": user.id, "p": password_digest(user.password_hash)}, now)
    with transaction():
        queue(
            user,
            "reset",
            "Reset your password · Huanying",
            "reset",
            now=now,
            url=public_url("auth.reset_password", token=token),
            minutes=int(RESET_MAX_AGE.total_seconds() // 60),
        )


def check_reset(token: str, now: datetime) -> User:
    """The account a reset link is for, while the link is fresh and its password unchanged."""
    payload = read("reset", token, RESET_MAX_AGE, now)
    user = _user_of(payload)
    if not same_digest(payload.get("p"), user.password_hash):
        raise LinkProblem("used")
    return user


def reset_password(token: str, new_password: str, now: datetime) -> User:
    """Set a new password through a reset link: the link dies with the old password, every session of
    the account ends, and the address is proved (the link reached it). One transaction."""
    user = check_reset(token, now)
    old_hash = user.password_hash
    with transaction():
        # Conditional on the hash read above: of two submits at once, the second changes nothing.
        changed = db.session.execute(
            update(User)
            .where(User.id == user.id, User.password_hash == old_hash)
            .values(
                password_hash=generate_password_hash(new_password, method=PASSWORD_METHOD),
                session_version=User.session_version + 1,
                email_verified_at=func.coalesce(User.email_verified_at, now),
                mail_failures=0,
            ),
            execution_options={"synchronize_session": False},
        ).rowcount  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult
        if changed != 1:
            raise LinkProblem("used")
        end_all_sessions(user.id)  # the caller starts this device's session again
    db.session.refresh(user)
    return user


# ---- change of address ----------------------------------------------------------------------------


def mask(address: str) -> str:
    """m***@example.com: enough for the owner to recognise, not to read off."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"


def change_email(user: User, new_address: str, password: str, now: datetime, failures: LoginFailures) -> None:
    """Move the account to a new address after the password (a wrong one counts as a failed login): the new
    one gets a verification link and reminders wait for it; the old one is told. One transaction."""
    confirm_password(user, password, failures, field="password", wrong=WRONG_PASSWORD)
    new = normalize_address(new_address)
    old = user.email
    if new == old:
        raise UserError("That is already your address.", field="email")
    if db.session.scalar(select(User.id).where(User.email == new)):
        raise UserError(ADDRESS_TAKEN, field="email")
    try:
        with transaction():
            user.email, user.email_verified_at, user.mail_failures = new, None, 0
            db.session.flush()  # the unique constraint speaks here (a race with another account)
            send_verification(user, now)
            queue(
                user,
                "email_changed",
                "Your Huanying email address was changed",
                "email_changed",
                to=old,
                now=now,
                new_address=mask(new),
                old_address=old,
                login_url=public_url("auth.login"),
            )
    except IntegrityError:
        raise UserError(ADDRESS_TAKEN, field="email") from None
