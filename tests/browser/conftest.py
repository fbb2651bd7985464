"""Browser fixtures: the app served on 127.0.0.1 from a thread, Debian's Chromium driven by Playwright.

Every request the page makes is checked: a request to any host but 127.0.0.1 fails the test.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def live_server(app, load_decks, warm_dictionaries):
    load_decks()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make test installs it with apt when it can)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


OFFLINE_JSON = {"/study/pack.json", "/study/sync"}


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="en-US", timezone_id="Europe/Berlin")
    page = context.new_page()
    foreign: list[str] = []

    def guard(route):
        host = urlsplit(route.request.url).hostname
        if host == "127.0.0.1" or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    def console(message) -> None:
        if message.type != "error":
            return
        # The offline endpoints answer a device whose session ended (logged out, password reset in another
        # tab) with 401 by design, and offline.js keeps its pack; Chromium still logs the status. Nothing else
        # is forgiven.
        where = urlsplit((message.location or {}).get("url", "")).path
        if "status of 401" in message.text and (where in OFFLINE_JSON or where.startswith("/study")):
            return
        errors.append(f"{message.text} ({where or 'no location'})")

    page.on("console", console)
    page.set_default_timeout(10_000)
    yield page
    context.close()
    assert foreign == [], f"the page asked for hosts other than 127.0.0.1: {foreign}"
    assert errors == [], f"errors in the browser console: {errors}"


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_up(page, username: str) -> None:
    """Sign up through the form, as a learner would; lands on the welcome flow (the nickname step)."""
    page.goto("/signup")
    page.fill("#username", username)
    page.fill("#email", f"{username}@example.com")
    page.fill("#password", "correct horse")
    page.click("button[type=submit]")
