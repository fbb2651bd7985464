"""Accounts: creation, authentication and password changes. Each function is one transaction."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import available_timezones

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from learnapp.errors import UserError
from learnapp.extensions import db
from learnapp.models import User

PASSWORD_METHOD = "scrypt"  # noqa: S105 (a hashing method, not a password)
# Checked against when the account does not exist, so a wrong username costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a real password", method=PASSWORD_METHOD)
_TIMEZONES = frozenset(available_timezones())

EMAIL_TAKEN = "We couldn't create an account with this email. If you already have one, log in instead."


def valid_timezone(name: str | None) -> str:
    return name if name in _TIMEZONES else "UTC"


def register(username: str, email: str, password: str, timezone: str | None, now: datetime) -> User:
    """Create a learner account. Raises UserError on a taken username or email; commits."""
    username = username.strip()
    email = email.strip().lower()
    if db.session.scalar(select(User.id).where(User.username_key == username.lower())):
        raise UserError("That username is taken. Try another.", field="username")
    if db.session.scalar(select(User.id).where(User.email == email)):
        raise UserError(EMAIL_TAKEN, field="email")
    user = User(
        username=username,
        username_key=username.lower(),
        email=email,
        password_hash=generate_password_hash(password, method=PASSWORD_METHOD),
        timezone=valid_timezone(timezone),
        created_at=now,
        preferences={},
    )
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:  # a race with another sign-up of the same name
        db.session.rollback()
        raise UserError("That username is taken. Try another.", field="username") from None
    return user


def authenticate(login: str, password: str) -> User | None:
    """The user with this username or email and password, or None (same cost either way)."""
    login = login.strip().lower()
    user = db.session.scalar(select(User).where(or_(User.username_key == login, User.email == login)))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def change_password(user: User, current: str, new: str) -> None:
    """Replace the password after checking the current one; other sessions are signed out. Commits."""
    if not check_password_hash(user.password_hash, current):
        raise UserError("That isn't your current password.", field="current_password")
    user.password_hash = generate_password_hash(new, method=PASSWORD_METHOD)
    user.session_version += 1
    db.session.commit()


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: "<id>:<session_version>", so a password change ends old sessions."""
    identifier, _, version = user_id.partition(":")
    if not identifier.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(identifier))
    if user is None or user.session_version != int(version):
        return None
    return user
