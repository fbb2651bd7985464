"""Signed links in mails (itsdangerous, one salt per purpose), read back with the time passed in.

A reset link carries a digest of the password hash it was made for: once the password changes (by this
link or any other way) the digest no longer matches, so the link is used up. A verification link carries
the address it verifies: after a change of address it verifies nothing.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

RESET_MAX_AGE = timedelta(hours=1)
VERIFY_MAX_AGE = timedelta(days=3)
MAX_TOKEN_LENGTH = 1000  # longer is not ours: refuse before any decoding


class LinkProblem(Exception):
    """A link that cannot be used: `reason` is "expired", "used" or "invalid" (tampered, mistyped)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _serializer(purpose: str, now: datetime) -> URLSafeTimedSerializer:
    """A serializer whose signatures carry `now` instead of the clock's time (tests use fixed clocks)."""

    class Signer(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(now.timestamp())

    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"huanying-{purpose}", signer=Signer)


def sign(purpose: str, payload: dict[str, Any], now: datetime) -> str:
    return _serializer(purpose, now).dumps(payload)


def read(purpose: str, token: str, max_age: timedelta | None, now: datetime) -> dict[str, Any]:
    """The payload of a token signed for `purpose`, younger than `max_age` at `now`; else LinkProblem."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise LinkProblem("invalid")
    serializer = _serializer(purpose, now)
    try:
        payload, signed_at = serializer.loads(token, return_timestamp=True)
    except SignatureExpired:  # not raised without max_age; kept for safety
        raise LinkProblem("expired") from None
    except (BadSignature, UnicodeError, ValueError):
        raise LinkProblem("invalid") from None
    if not isinstance(payload, dict):
        raise LinkProblem("invalid")
    if max_age is not None and now - signed_at > max_age:
        raise LinkProblem("expired")
    return payload


def password_digest(password_hash: str) -> str:
    """A short digest of the password hash: binds a reset link to the password it replaces."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:20]


def same_digest(given: Any, password_hash: str) -> bool:
    return isinstance(given, str) and hmac.compare_digest(given, password_digest(password_hash))
