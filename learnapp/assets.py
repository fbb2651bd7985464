"""Static files under content-hashed names, so that a browser keeps them for a year and never asks again.

At start-up every file under static/ is hashed (SHA-256, its first 10 hex digits) into a manifest held in
memory: `app.css` -> `app.3f2a1b9c0d.css`, `vendor/htmx.min.js` -> `vendor/htmx.min.<hash>.js`. One
`url_defaults` hook makes `url_for('static', filename='app.css')` give the hashed address everywhere, and
the static view serves hashed addresses with `Cache-Control: public, max-age=31536000, immutable`. A
changed file gets a new address, so a stale copy is never used. The plain name still answers (and so does
an old hash of a file that has changed since), with a short max-age, so nothing that knows it breaks.

Folders too big to hash at start-up (hanzi-writer's 9,574 character files, fetched by static/strokes.js
from the address the page gives it) are versioned by their npm package instead: the Makefile writes the
version next to them, and it goes into the path (`vendor/hanzi-writer/data-2.0.1/你.json`). A package is
immutable once published under a version, so a year's max-age is safe, and a new version gets new
addresses. Without the version file the folder keeps its plain address and the short max-age.

`manifest()` lists every hashed address (name -> URL), for a service worker to precache.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, current_app, request, send_from_directory
from flask.sessions import SecureCookieSessionInterface

HASH_LENGTH = 10
IMMUTABLE_MAX_AGE = 365 * 24 * 3600


@dataclass(frozen=True)
class VersionedFolder:
    """A folder addressed by a version read from a file instead of by the hashes of its files."""

    folder: str  # relative to static/, without slashes at either end
    version_file: str  # relative to static/: one line, the version


VERSIONED_FOLDERS = (VersionedFolder("vendor/hanzi-writer/data", "vendor/hanzi-writer/data-version.txt"),)
_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+_-]{0,39}")
# The base name of a hashed address: stem, hash, extension ("htmx.min", "0123456789", ".js").
_HASHED = re.compile(rf"(?P<stem>.+)\.(?P<hash>[0-9a-f]{{{HASH_LENGTH}}})(?P<ext>\.[^.]+)?")


@dataclass
class _File:
    digest: str
    mtime_ns: int
    size: int


def hashed_name(name: str, digest: str) -> str:
    """`dir/htmx.min.js` with `digest` -> `dir/htmx.min.<digest>.js` (the hash goes before the last
    extension, so the address keeps its type; a name without one gets the hash at the end)."""
    folder, slash, base = name.rpartition("/")
    stem, dot, ext = base.rpartition(".")
    base = f"{stem}.{digest}.{ext}" if dot and stem else f"{base}.{digest}"
    return f"{folder}{slash}{base}"


class Manifest:
    """The hashed name of every file under `root` (in memory, built once), and the way back.

    With `watch` (debug mode) a file is hashed again when its size or modification time changes, so that
    an edited stylesheet gets a new address without restarting the server."""

    def __init__(
        self, root: Path, versioned: tuple[VersionedFolder, ...] = VERSIONED_FOLDERS, watch: bool = False
    ):
        self.root = Path(root)
        self.watch = watch
        self._files: dict[str, _File] = {}
        self._by_hashed: dict[str, str] = {}
        self._folders: dict[str, str] = {}  # folder -> its versioned address ("...data" -> "...data-2.0.1")
        for entry in versioned:
            version = self._read_version(entry.version_file)
            if version:
                self._folders[entry.folder] = f"{entry.folder}-{version}"
        self._scan(skip={entry.folder for entry in versioned})

    def _read_version(self, version_file: str) -> str | None:
        try:
            version = (self.root / version_file).read_text(encoding="utf-8").strip()
        except OSError:
            return None
        return version if _VERSION.fullmatch(version) else None

    def _scan(self, skip: set[str]) -> None:
        if not self.root.is_dir():
            return
        for folder, dirs, files in os.walk(self.root):
            relative = Path(folder).relative_to(self.root).as_posix()
            prefix = "" if relative == "." else f"{relative}/"
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and f"{prefix}{d}" not in skip)
            for file in sorted(files):
                if not file.startswith("."):
                    self._add(f"{prefix}{file}")

    def _add(self, name: str) -> _File | None:
        path = self.root / name
        try:
            stat = path.stat()
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LENGTH]
        except OSError:
            return None
        old = self._files.get(name)
        if old is not None:
            self._by_hashed.pop(hashed_name(name, old.digest), None)
        entry = _File(digest, stat.st_mtime_ns, stat.st_size)
        self._files[name] = entry
        self._by_hashed[hashed_name(name, digest)] = name
        return entry

    def _current(self, name: str) -> _File | None:
        entry = self._files.get(name)
        if entry is None or not self.watch:
            return entry
        try:
            stat = (self.root / name).stat()
        except OSError:
            return entry
        if (stat.st_mtime_ns, stat.st_size) != (entry.mtime_ns, entry.size):
            entry = self._add(name) or entry
        return entry

    def url_name(self, name: str) -> str:
        """The address to give for the static file `name`: hashed, versioned, or `name` itself."""
        entry = self._current(name)
        if entry is not None:
            return hashed_name(name, entry.digest)
        for folder, versioned in self._folders.items():
            if name == folder or name.startswith(f"{folder}/"):
                return versioned + name[len(folder) :]
        return name

    def resolve(self, address: str) -> tuple[str, bool]:
        """The file an address names under static/, and whether it may be cached as immutable."""
        name = self._by_hashed.get(address)
        if name is not None:
            entry = self._current(name)
            return name, entry is not None and hashed_name(name, entry.digest) == address
        for folder, versioned in self._folders.items():
            if address.startswith(f"{versioned}/"):
                return folder + address[len(versioned) :], True
        folder, slash, base = address.rpartition("/")
        match = _HASHED.fullmatch(base)
        if match and address not in self._files:  # an old hash of a file that has changed since
            plain = f"{folder}{slash}{match['stem']}{match['ext'] or ''}"
            if plain in self._files:
                return plain, False
        return address, False

    def urls(self, prefix: str = "/static") -> dict[str, str]:
        """name -> hashed URL of every hashed file (the versioned folders are not listed)."""
        return {name: f"{prefix}/{self.url_name(name)}" for name in sorted(self._files)}


def manifest(app: Flask | None = None) -> dict[str, str]:
    """The current app's hashed static URLs, name -> URL (for a service worker to precache)."""
    app = app or current_app
    return app.extensions["assets"].urls(app.static_url_path)


def serve(filename: str) -> Response:
    """The static view: hashed and versioned addresses for a year (immutable), plain ones briefly."""
    name, immutable = current_app.extensions["assets"].resolve(filename)
    max_age = IMMUTABLE_MAX_AGE if immutable else current_app.config["STATIC_PLAIN_MAX_AGE"]
    response = send_from_directory(current_app.static_folder or "", name, max_age=max_age)
    response.cache_control.public = True
    if immutable:
        response.cache_control.immutable = True
    return response


class SessionlessInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions, except that the responses of SESSIONLESS_ENDPOINTS (static files, share
    images) never carry the session: no `Set-Cookie` and no `Vary: Cookie`, unless a view really changed
    the session. Flask-Login looks at the session after every request, which would otherwise mark every
    response as varying by cookie, and a browser keeps such a file only until the session cookie changes
    (a flash message changes it); shared caches will not keep a response that sets a cookie at all."""

    def save_session(self, app, session, response) -> None:  # type: ignore[no-untyped-def]
        if request.endpoint in app.config["SESSIONLESS_ENDPOINTS"] and not session.modified:
            return
        super().save_session(app, session, response)


def install(app: Flask) -> None:
    """Build the manifest of app.static_folder, route every static URL through it, and keep the session
    cookie off static responses."""
    assets = Manifest(Path(app.static_folder or ""), watch=app.debug or app.config.get("ASSETS_WATCH", False))
    app.extensions["assets"] = assets

    @app.url_defaults
    def _hashed_static(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = assets.url_name(values["filename"])

    app.view_functions["static"] = serve
    app.config.setdefault("SESSIONLESS_ENDPOINTS", ("static",))
    app.session_interface = SessionlessInterface()
