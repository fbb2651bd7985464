"""A class invitation kept through sign-up and log in.

A visitor who opens a join link sees the class and is offered to sign up (or log in) to join it; the code
waits in their signed session cookie, so it survives the sign-up form failing, a second tab, and the
welcome flow. Sign-up joins the class right after the account is made (the visitor saw what joining means
on the link's page, and the sign-up page says so again, with a way to decline); log in leads back to the
link's page, which asks to confirm. A code that stopped working meanwhile (renewed, or the class full) is
said plainly, and the account is made all the same.
"""

from __future__ import annotations

from datetime import datetime

from flask import flash, session

from learnapp.classes import service
from learnapp.classes.service import JoinPreview, normalize_code
from learnapp.errors import UserError
from learnapp.models import User

CODE_KEY = "join_code"


def remember(code: str) -> None:
    session[CODE_KEY] = normalize_code(code)


def pending() -> str | None:
    code = session.get(CODE_KEY)
    return code if isinstance(code, str) and code else None


def forget() -> None:
    session.pop(CODE_KEY, None)


def pending_preview() -> JoinPreview | None:
    """The class a visitor is about to join, or None (nothing pending, or the code no longer works)."""
    code = pending()
    if code is None:
        return None
    try:
        return service.join_preview(None, code)
    except UserError:
        return None


def accept(user: User, code: str, now: datetime) -> None:
    """Join the class of `code` for a user who just signed up, and say how it went."""
    try:
        classroom, _ = service.join(user, code, now)
    except UserError as error:
        flash(f"Your account is ready, but we couldn't add you to the class: {error.message}", "warning")
        return
    flash(f"You've joined {classroom.name}. Its decks are in your study queue.", "success")
