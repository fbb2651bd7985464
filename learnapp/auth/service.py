"""Accounts: creation, authentication and password changes. Each function is one transaction."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import available_timezones

from sqlalchemy import Integer, String, bindparam, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import make_transient_to_detached
from werkzeug.security import check_password_hash, generate_password_hash

from learnapp.auth.sessions import current_token, end_all_sessions, seen, token_hash
from learnapp.database import REPEAT_WINDOW, transaction
from learnapp.errors import UserError
from learnapp.extensions import db
from learnapp.models import User, UserSession, utcnow
from learnapp.ratelimit import LoginFailures, failure_key
from learnapp.study.sql import Prepared

PASSWORD_METHOD = "scrypt"  # noqa: S105 (a hashing method, not a password)
# Checked against when the account does not exist, so a wrong username costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a real password", method=PASSWORD_METHOD)
_TIMEZONES = frozenset(available_timezones())

EMAIL_TAKEN = "We couldn't create an account with this email. If you already have one, log in instead."


def valid_timezone(name: str | None) -> str:
    return name if name in _TIMEZONES else "UTC"


def register(username: str, email: str, password: str, timezone: str | None, now: datetime) -> User:
    """Create a learner account. Raises UserError on a taken username or email. One transaction."""
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
    try:
        with transaction():
            db.session.add(user)
            db.session.flush()  # the unique constraints speak here, even inside a caller's transaction
    except IntegrityError:  # a race with another sign-up of the same name
        raise UserError("That username is taken. Try another.", field="username") from None
    return user


def repeated_sign_up(username: str, email: str, password: str, now: datetime) -> User | None:
    """The account this same sign-up form made a moment ago (a double click, a resent form): the same
    username, email and password, created within the repeat window. Its second copy then logs in like the
    first instead of saying the name is taken. Anyone who knows all three owns the account anyway."""
    user = db.session.scalar(
        select(User).where(User.username_key == username.strip().lower(), User.email == email.strip().lower())
    )
    if user is None or user.created_at < now - REPEAT_WINDOW:
        return None
    return user if check_password_hash(user.password_hash, password) else None


def authenticate(login: str, password: str) -> User | None:
    """The user with this username or email and password, or None (same cost either way)."""
    return _check(_account(login), password)


def log_in(login: str, password: str, failures: LoginFailures) -> User | None:
    """`authenticate`, counting wrong passwords per account (a name without one is counted the same way).
    Raises TooManyFailures, without trying the password, when the account has no attempt left."""
    user = _account(login)
    key = failure_key(user.id if user is not None else None, login)
    failures.check(key)
    if (found := _check(user, password)) is None:
        failures.record(key)
    return found


def _account(login: str) -> User | None:
    login = login.strip().lower()
    return db.session.scalar(select(User).where(or_(User.username_key == login, User.email == login)))


def _check(user: User | None, password: str) -> User | None:
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def confirm_password(user: User, password: str, failures: LoginFailures, *, field: str, wrong: str) -> None:
    """Check the signed-in user's password before a sensitive change, as a login would: a wrong one counts
    as a failed login of the account (so these forms can't be used to guess it past the limit) and raises
    UserError(`wrong`, field=`field`); TooManyFailures, without trying it, when no attempt is left."""
    key = failure_key(user.id, user.username)
    failures.check(key)
    if not password or not check_password_hash(user.password_hash, password):
        failures.record(key)
        raise UserError(wrong, field=field)


def change_password(user: User, current: str, new: str, failures: LoginFailures) -> None:
    """Replace the password after checking the current one (`confirm_password`); every session of the
    account ends (the caller starts this device's again). One transaction."""
    confirm_password(
        user, current, failures, field="current_password", wrong="That isn't your current password."
    )
    with transaction():
        user.password_hash = generate_password_hash(new, method=PASSWORD_METHOD)
        user.session_version += 1
        end_all_sessions(user.id)


# The signed-in user's row, read on every request together with the session's row (the cookie's token must
# still have one: logging out deletes it): one statement through the DBAPI (study/sql.py), the ORM object
# then built from it without a second query (the ORM's own load costs several times more).
_USERS = User.__table__
_SESSIONS = UserSession.__table__
_USER_COLUMNS = tuple(column.key for column in _USERS.columns)
_SIGNED_IN = Prepared(
    select(_USERS, _SESSIONS.c.id.label("session_id"), _SESSIONS.c.last_seen.label("session_last_seen"))
    .join(_SESSIONS, _SESSIONS.c.user_id == _USERS.c.id)
    .where(
        _SESSIONS.c.token_hash == bindparam("token_hash", type_=String()),
        _USERS.c.id == bindparam("user_id", type_=Integer()),
    )
)


def _signed_in(user_id: int, token: str, now: datetime) -> User | None:
    row = _SIGNED_IN.first({"user_id": user_id, "token_hash": token_hash(token)})
    if row is None:
        return None
    seen(row.session_id, row.session_last_seen, now)
    known = db.session.identity_map.get(db.session.identity_key(User, user_id))
    if known is not None:
        return known  # type: ignore[no-any-return]
    # Filled in as the ORM fills a loaded object (straight into its dict: no change events, no history),
    # then marked as loaded, so it is clean and later changes to it are written as usual.
    user: User = User.__mapper__.class_manager.new_instance()
    user.__dict__.update(zip(_USER_COLUMNS, row, strict=False))
    make_transient_to_detached(user)
    db.session.add(user)
    return user


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: "<id>:<session_version>" and the session's token, whose row must exist (so
    logging out, a password change or "log out all other devices" ends a session on the server)."""
    identifier, _, version = user_id.partition(":")
    if not identifier.isdigit() or not version.isdigit() or len(identifier) > 9:
        return None
    token = current_token()
    if token is None:
        return None
    user = _signed_in(int(identifier), token, utcnow())
    if user is None or user.session_version != int(version):
        return None
    return user
