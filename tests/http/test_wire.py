"""Light on the wire over HTTP: Brotli or gzip as the client's Accept-Encoding asks (pages, htmx fragments,
CSS, JavaScript, JSON, SVG; never PNG), and static files under content-hashed addresses served as
immutable for a year, with the plain names still answering briefly. The manifest is also built from a
temporary static folder, to see a changed file get a new address."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import brotli
import pytest
from flask import Flask, url_for

from learnapp import assets
from learnapp.assets import Manifest, hashed_name
from learnapp.decks.loader import load_directory
from tests.conftest import ROOT
from tests.factories import T0

STATIC = ROOT / "static"
YEAR = "public, max-age=31536000, immutable"
SHORT = "public, max-age=600"
OURS = {
    "app.css": "text/css",
    "app.js": "text/javascript",
    "strokes.js": "text/javascript",
    "icon.svg": "image/svg+xml",
    "vendor/htmx.min.js": "text/javascript",
    "vendor/hanzi-writer/hanzi-writer.min.js": "text/javascript",
}
DATA_VERSION = json.loads((ROOT / "package.json").read_text())["dependencies"]["hanzi-writer-data"]


def decoded(response) -> bytes:
    body = response.get_data()
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(body)
    if encoding == "gzip":
        return gzip.decompress(body)
    assert encoding is None, encoding
    return body


@pytest.fixture
def mandarin_deck(app):
    report = load_directory(ROOT / "decks", T0, paths=[ROOT / "decks" / "mandarin-first-words.toml"])
    assert not report.failed


# --- compression -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        ("gzip", "gzip"),
        ("br", "br"),
        ("gzip, deflate, br, zstd", "br"),  # what Chromium sends: Brotli preferred
        ("br;q=0.5, gzip", "gzip"),
        ("identity", None),
        ("", None),
    ],
)
def test_pages_are_compressed_as_the_client_accepts(client, accept, chosen):
    response = client.get("/signup", headers={"Accept-Encoding": accept})
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == chosen
    assert "Accept-Encoding" in response.headers["Vary"]
    page = decoded(response).decode()
    assert "<form" in page and 'name="csrf_token"' in page
    if chosen:
        assert len(response.get_data()) < len(page.encode()) / 2


@pytest.mark.parametrize("htmx", [False, True])
def test_htmx_fragments_are_compressed_too(client, mandarin_deck, htmx):
    headers = {"Accept-Encoding": "br"} | ({"HX-Request": "true"} if htmx else {})
    response = client.get("/wiki?q=ni", headers=headers)
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "br"
    assert {"HX-Request", "Accept-Encoding"} <= {v.strip() for v in response.headers["Vary"].split(",")}
    html = decoded(response).decode()
    assert "你好" in html
    assert ("<html" in html) is not htmx  # the fragment alone, or the whole page


@pytest.mark.parametrize("name", ["app.css", "vendor/htmx.min.js"])
@pytest.mark.parametrize("accept", ["gzip", "br"])
def test_static_files_are_compressed_and_decode_to_the_file(client, name, accept):
    with client.application.test_request_context():
        url = url_for("static", filename=name)
    response = client.get(url, headers={"Accept-Encoding": accept})
    assert response.headers["Content-Encoding"] == accept
    assert decoded(response) == (STATIC / name).read_bytes()
    assert len(response.get_data()) < (STATIC / name).stat().st_size / 2


def test_tiny_responses_are_not_compressed(client):
    response = client.get("/healthz", headers={"Accept-Encoding": "br"})
    assert response.headers.get("Content-Encoding") is None
    assert response.get_json() == {"ok": True}


# --- content-hashed static addresses -----------------------------------------------------------------


def test_templates_ask_for_hashed_addresses_only(client):
    page = client.get("/signup").get_data(as_text=True)
    addresses = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    listed = assets.manifest(client.application)
    assert {listed[n] for n in ("app.css", "app.js", "vendor/htmx.min.js", "icon.svg")} <= set(addresses)
    assert set(addresses) <= set(listed.values())


@pytest.mark.parametrize(("name", "mimetype"), OURS.items())
def test_hashed_addresses_are_immutable_for_a_year_with_the_right_type(client, name, mimetype):
    url = assets.manifest(client.application)[name]
    digest = assets.hashed_name(name, "x").split(".x")  # the name around the hash
    assert re.fullmatch(rf"/static/{re.escape(digest[0])}\.[0-9a-f]{{10}}{re.escape(digest[1])}", url)
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert response.headers["Cache-Control"] == YEAR
    assert response.get_data() == (STATIC / name).read_bytes()
    assert "Set-Cookie" not in response.headers and "Cookie" not in response.headers.get("Vary", "")
    again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_the_plain_name_still_answers_with_a_short_cache(client):
    response = client.get("/static/app.css")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == SHORT
    assert response.get_data() == (STATIC / "app.css").read_bytes()


def test_static_files_carry_no_session_even_for_a_logged_in_learner(client, auth):
    assert auth.signup().status_code == 303
    page = client.get("/decks")
    assert page.headers["Cache-Control"] == "no-store"  # pages of a logged-in learner stay uncached
    response = client.get(assets.manifest(client.application)["app.js"])
    assert response.headers["Cache-Control"] == YEAR
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers["Vary"]


def test_unknown_static_files_are_not_found(client):
    assert client.get("/static/nothing.0123456789.css").status_code == 404
    assert client.get("/static/nothing.css").status_code == 404
    assert client.get("/static/../pyproject.toml").status_code == 404


def test_stroke_data_is_addressed_by_its_npm_version_and_kept_a_year(client, mandarin_deck):
    assert (STATIC / "vendor/hanzi-writer/data-version.txt").read_text().strip() == DATA_VERSION
    page = client.get("/wiki/mandarin-first-words/ni-hao").get_data(as_text=True)
    base = f"/static/vendor/hanzi-writer/data-{DATA_VERSION}/"
    assert f'data-src="{base}"' in page
    response = client.get(base + "你.json", headers={"Accept-Encoding": "br"})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == YEAR
    assert json.loads(decoded(response))["strokes"]
    # The unversioned folder still answers, briefly; another version is not ours to promise.
    assert client.get("/static/vendor/hanzi-writer/data/你.json").headers["Cache-Control"] == SHORT
    assert client.get("/static/vendor/hanzi-writer/data-0.0.1/你.json").status_code == 404


# --- the manifest, built from a temporary static folder ----------------------------------------------


def make_app(static: Path, debug: bool = False) -> Flask:
    app = Flask(__name__, static_folder=str(static))
    app.debug = debug
    app.config["STATIC_PLAIN_MAX_AGE"] = 600
    assets.install(app)
    return app


def address(app: Flask, name: str) -> str:
    with app.test_request_context():
        return url_for("static", filename=name)


def test_a_changed_file_gets_a_new_address_and_the_old_one_no_longer_promises_a_year(tmp_path):
    static = tmp_path / "static"
    (static / "vendor").mkdir(parents=True)
    (static / "site.css").write_text("body { color: red; }")
    (static / "vendor" / "lib.min.js").write_text("var a = 1;")
    (static / ".stamp").write_text("")
    before = make_app(static)
    old = address(before, "site.css")
    assert re.fullmatch(r"/static/site\.[0-9a-f]{10}\.css", old)
    assert re.fullmatch(r"/static/vendor/lib\.min\.[0-9a-f]{10}\.js", address(before, "vendor/lib.min.js"))
    assert set(assets.manifest(before)) == {"site.css", "vendor/lib.min.js"}  # hidden files left out
    assert before.test_client().get(old).headers["Cache-Control"] == YEAR

    (static / "site.css").write_text("body { color: blue; }")
    after = make_app(static)  # the next start-up
    new = address(after, "site.css")
    assert new != old
    assert address(after, "vendor/lib.min.js") == address(before, "vendor/lib.min.js")  # unchanged file
    client = after.test_client()
    fresh = client.get(new)
    assert (fresh.headers["Cache-Control"], fresh.get_data()) == (YEAR, b"body { color: blue; }")
    stale = client.get(old)  # a page from before the change: the current file, not for a year
    assert (stale.status_code, stale.headers["Cache-Control"]) == (200, SHORT)
    assert stale.get_data() == b"body { color: blue; }"


def test_in_debug_mode_an_edited_file_gets_a_new_address_without_a_restart(tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (static / "site.css").write_text("a { color: red; }")
    app = make_app(static, debug=True)
    old = address(app, "site.css")
    (static / "site.css").write_text("a { color: darkred; }")
    new = address(app, "site.css")
    assert new != old
    assert app.test_client().get(new).headers["Cache-Control"] == YEAR
    assert app.test_client().get(old).headers["Cache-Control"] == SHORT


def test_a_versioned_folder_without_its_version_file_keeps_plain_addresses(tmp_path):
    static = tmp_path / "static"
    data = static / "vendor" / "hanzi-writer" / "data"
    data.mkdir(parents=True)
    (data / "你.json").write_text("{}")
    manifest = Manifest(static)
    assert manifest.url_name("vendor/hanzi-writer/data/") == "vendor/hanzi-writer/data/"
    assert manifest.resolve("vendor/hanzi-writer/data/你.json") == ("vendor/hanzi-writer/data/你.json", False)
    assert "vendor/hanzi-writer/data/你.json" not in manifest.urls()  # too many to hash: never listed
    (static / "vendor" / "hanzi-writer" / "data-version.txt").write_text("2.0.1\n")
    versioned = Manifest(static)
    assert versioned.url_name("vendor/hanzi-writer/data/") == "vendor/hanzi-writer/data-2.0.1/"
    assert versioned.resolve("vendor/hanzi-writer/data-2.0.1/你.json") == (
        "vendor/hanzi-writer/data/你.json",
        True,
    )


def test_hashed_names_keep_the_extension():
    assert hashed_name("app.css", "0123456789") == "app.0123456789.css"
    assert hashed_name("vendor/htmx.min.js", "0123456789") == "vendor/htmx.min.0123456789.js"
    assert hashed_name("vendor/LICENSE", "0123456789") == "vendor/LICENSE.0123456789"
