"""Settings from environment variables, with safe defaults (SQLite in instance/)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# Responses worth compressing: text of every kind and SVG. PNG, JPEG and the like are compressed already.
COMPRESSED_TYPES = [
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/manifest+json",
    "image/svg+xml",
    "text/plain",
    "text/csv",
    "text/xml",
    "application/xml",
]


# The rate limits' storage when neither RATELIMIT_STORAGE_URI nor REDIS_URL is set: the app's own database
# (learnapp/ratelimit.py registers the scheme).
DATABASE_RATELIMIT_URI = "database://"


def storage_uri(environ: Mapping[str, str]) -> str:
    """Where the counts live: RATELIMIT_STORAGE_URI, else Redis (REDIS_URL), else the app's database."""
    return environ.get("RATELIMIT_STORAGE_URI") or environ.get("REDIS_URL") or DATABASE_RATELIMIT_URI


def several_workers_problem(workers: int, uri: str) -> str | None:
    """Why `workers` processes must not start with storage `uri` (None when they may)."""
    if workers > 1 and uri.startswith("memory://"):
        return (
            f"Refusing to start {workers} workers with RATELIMIT_STORAGE_URI={uri}: each worker would keep "
            f"its own rate-limit counts, so every limit (logins, sign-ups) would be {workers} times what it "
            "says. Unset RATELIMIT_STORAGE_URI (the counts then go to the app's database), or set REDIS_URL, "
            "or run one worker."
        )
    return None


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
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO").upper(),
        **_database(instance_path),
        **_sessions(),
        **_jobs_and_limits(),
        **_web_security(),
        **_content(instance_path),
        **_mail(),
    }


def _database_url(instance_path: Path) -> str:
    """DATABASE_URL (postgres:// and postgresql:// read as psycopg 3), else SQLite in the instance folder."""
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'huanying.sqlite3'}"
    if database_url.startswith("postgres://"):
        return "postgresql+psycopg://" + database_url.removeprefix("postgres://")
    if database_url.startswith("postgresql://"):
        return "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    return database_url


def _database(instance_path: Path) -> dict[str, Any]:
    """The database and its engine."""
    return {
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {},  # pinging and driver options by database: database.engine_options
        "SQLITE_BUSY_TIMEOUT_MS": 5000,
    }


def _sessions() -> dict[str, Any]:
    """The session and remember-me cookies, and the CSRF token's lifetime."""
    return {
        "SESSION_COOKIE_HTTPONLY": True,
        # The session cookie is sent again only when the session changes, not with every response (a
        # login lasts PERMANENT_SESSION_LIFETIME from its last change; every response re-signing it cost
        # more than an answer's database work).
        "SESSION_REFRESH_EACH_REQUEST": False,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "0") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
    }


def _jobs_and_limits() -> dict[str, Any]:
    """Background jobs, and the rate limits' storage and limits."""
    redis_url = os.environ.get("REDIS_URL")
    return {
        "REDIS_URL": redis_url,
        # Background jobs: RQ on Redis when REDIS_URL is set (run `flask jobs worker`), else threads here.
        "JOBS_BACKEND": os.environ.get("JOBS_BACKEND") or ("rq" if redis_url else "thread"),
        "JOBS_THREADS": int(os.environ.get("JOBS_THREADS", "1")),
        # Counts every process shares: Redis with REDIS_URL, else the app's own database (ratelimit.py);
        # `memory://` is per process, for one process only (gunicorn.conf.py refuses several workers with it).
        "RATELIMIT_STORAGE_URI": storage_uri(os.environ),
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_STRATEGY": "moving-window",
        "AUTH_RATE_LIMIT": os.environ.get("AUTH_RATE_LIMIT", "10 per minute;60 per hour"),
        # Wrong passwords per account, from any address (logins and password changes; OWASP ASVS 2.2.1).
        "LOGIN_FAILURE_LIMIT": os.environ.get("LOGIN_FAILURE_LIMIT", "10 per 15 minutes"),
    }


def _web_security() -> dict[str, Any]:
    """Proxies, HSTS, the security contact and the largest request."""
    return {
        # Reverse proxies in front of the app (nginx, HAProxy) whose X-Forwarded-For/-Proto to believe: the
        # client's address (rate limits) and scheme come from them. 0: none, the app faces clients itself.
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        # Sent on every response over HTTPS (learnapp/security.py): browsers then use HTTPS only, for a
        # year, subdomains too (OWASP ASVS 14.4.5). HSTS= (empty) sends none.
        "HSTS": os.environ.get("HSTS", "max-age=31536000; includeSubDomains"),
        # Where to report a vulnerability in this instance (an address or an https:// page, several separated
        # by commas), served as /.well-known/security.txt (RFC 9116); unset, that file is a 404.
        "SECURITY_CONTACT": os.environ.get("SECURITY_CONTACT", ""),
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    }


def _content(instance_path: Path) -> dict[str, Any]:
    """Decks, scheduling, compression, static files and share images."""
    return {
        "DECKS_DIR": os.environ.get("DECKS_DIR"),
        # Card states one request makes for a deck's learners at once; beyond, on each learner's next visit.
        "EAGER_CARD_STATES": int(os.environ.get("EAGER_CARD_STATES", "20000")),
        # Scheduling fuzz (Anki-style, deterministic per card and review); tests turn it off.
        "FSRS_ENABLE_FUZZ": os.environ.get("FSRS_ENABLE_FUZZ", "1") == "1",
        # Reviews a learner needs before "Optimise my schedule" (fewer fit noise).
        "OPTIMISE_MIN_REVIEWS": int(os.environ.get("OPTIMISE_MIN_REVIEWS", "400")),
        # Compression (flask-compress): Brotli when the client takes it, else gzip; HTML pages and htmx
        # fragments, CSS, JavaScript, JSON and SVG, from 500 bytes up. Static files are sent as streams and
        # compressed as they go (Brotli or gzip as well). Pages carry CSRF tokens next to text from the
        # query string; why compressing them is safe enough (BREACH) is in docs/wire.md.
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "COMPRESS_ALGORITHM_STREAMING": ["br", "gzip"],
        "COMPRESS_MIMETYPES": COMPRESSED_TYPES,
        "COMPRESS_BR_LEVEL": 5,
        "COMPRESS_LEVEL": 6,
        "COMPRESS_MIN_SIZE": 500,
        # Static files: content-hashed addresses are immutable for a year (learnapp/assets.py); the plain
        # names still answer, cached this many seconds.
        "STATIC_PLAIN_MAX_AGE": 600,
        # Responses that never carry the session cookie (nor Vary: Cookie), so caches can keep them.
        "SESSIONLESS_ENDPOINTS": ("static", "share.card_svg", "share.card_png"),
        # Nickname share images (PNG): rendered once into this folder; shared caches may keep one this many
        # seconds (then must ask again), so a name made private stops being served within that time.
        "SHARE_IMAGE_DIR": os.environ.get("SHARE_IMAGE_DIR") or str(instance_path / "share-images"),
        "SHARE_IMAGE_MAX_AGE": 300,
    }


def _mail() -> dict[str, Any]:
    """Sending mail, and the links in mails."""
    return {
        # Mail (learnapp/mail/): SMTP from MAIL_URL or MAIL_HOST..., else the log and the admin outbox.
        "MAIL_URL": os.environ.get("MAIL_URL"),
        "MAIL_HOST": os.environ.get("MAIL_HOST"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "0")) or None,
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_TLS": os.environ.get("MAIL_TLS", "starttls"),
        "MAIL_TIMEOUT_S": float(os.environ.get("MAIL_TIMEOUT_S", "10")),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Huanying <huanying@localhost>"),
        # Links in mails start with this (never with the request's Host header, which a client chooses).
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000"),
        # Per address (reset links) and per account (verification links), besides AUTH_RATE_LIMIT per client.
        "MAIL_ADDRESS_RATE_LIMIT": os.environ.get("MAIL_ADDRESS_RATE_LIMIT", "3 per hour;10 per day"),
    }
