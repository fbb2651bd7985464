"""Settings from environment variables, with safe defaults (SQLite in instance/)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in instance/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def from_environment(instance_path: Path) -> dict[str, Any]:
    """Build the configuration mapping for create_app()."""
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'huanying.sqlite3'}"
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgres://")
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    redis_url = os.environ.get("REDIS_URL")
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "0") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_STRATEGY": "moving-window",
        "AUTH_RATE_LIMIT": os.environ.get("AUTH_RATE_LIMIT", "10 per minute;60 per hour"),
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "DECKS_DIR": os.environ.get("DECKS_DIR"),
        "SQLITE_BUSY_TIMEOUT_MS": 5000,
        # Scheduling fuzz (Anki-style, deterministic per card and review); tests turn it off.
        "FSRS_ENABLE_FUZZ": os.environ.get("FSRS_ENABLE_FUZZ", "1") == "1",
        # Reviews a learner needs before "Optimise my schedule" (fewer fit noise).
        "OPTIMISE_MIN_REVIEWS": int(os.environ.get("OPTIMISE_MIN_REVIEWS", "400")),
    }
