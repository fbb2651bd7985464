"""Studying offline in Debian's Chromium: the first visit makes the device offline-ready (service worker
active, app shell and the next cards stored), then five cards are studied with the network cut (Playwright's
offline mode), an answer is undone on the device, the page is reloaded offline (the worker serves the
offline study page), and back online the five answers reach the review log with the times they were given
and the states a connected session gives (a twin learner answers the same cards at the same times through
the study service).

The page is watched, not routed: Playwright's routing does not see what a service worker serves, and
Chromium's cache is part of what is tested; a request to any host but 127.0.0.1 still fails the test. While
offline, nothing may reach the server at all (a WSGI wrapper counts what does). The figures (what the worker
and the device keep, and how long the first visit takes to be offline-ready) are printed with `-s`:
`.venv/bin/python -m pytest tests/browser/test_study_offline.py -s`."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from learnapp.decks.service import enroll
from learnapp.extensions import db
from learnapp.models import CardState, ReviewLog, User
from learnapp.srs import Rating
from learnapp.study import service
from tests.browser.conftest import screenshot, sign_up
from tests.factories import make_user

pytestmark = pytest.mark.browser
DECK = "mandarin-first-words"
STATE_COLUMNS = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses")
# Chromium reports a fetch that fails while offline in the console; the page handles it.
OFFLINE_NOISE = ("ERR_INTERNET_DISCONNECTED", "Failed to fetch")

STORED = """async () => {
  const figures = {};
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    let bytes = 0, files = 0;
    for (const request of await cache.keys()) {
      bytes += (await (await cache.match(request)).blob()).size;
      files += 1;
    }
    figures[name] = {bytes, files};
  }
  const db = await new Promise((ok, no) => { const r = indexedDB.open("huanying-offline"); r.onsuccess = () => ok(r.result); r.onerror = no; });
  const read = (store, how) => new Promise((ok, no) => {
    const r = how(db.transaction(store).objectStore(store)); r.onsuccess = () => ok(r.result); r.onerror = no; });
  const pack = await read("pack", s => s.get("current"));
  figures.pack = {bytes: new Blob([JSON.stringify(pack)]).size, cards: pack ? pack.cards.length : 0};
  figures.answers = await read("answers", s => s.getAll());
  const fetched = performance.getEntriesByType("resource").filter(e => e.name.endsWith("/study/pack.json"));
  figures.pack_wire = fetched.length ? fetched[fetched.length - 1].transferSize : null;
  db.close();
  return figures;
}"""

FORGET = """async () => {
  for (const registration of await navigator.serviceWorker.getRegistrations()) await registration.unregister();
  for (const name of await caches.keys()) await caches.delete(name);
  await new Promise((ok) => { const r = indexedDB.deleteDatabase("huanying-offline"); r.onsuccess = r.onerror = r.onblocked = ok; });
}"""


class ServerLog:
    """The paths that really reached the app."""

    def __init__(self, app):
        self.paths: list[str] = []
        inner = app.wsgi_app

        def recording(environ, start_response):
            self.paths.append(environ.get("PATH_INFO", ""))
            return inner(environ, start_response)

        app.wsgi_app = recording


@pytest.fixture
def watched_page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="en-US", timezone_id="Europe/Berlin")
    page = context.new_page()
    foreign: list[str] = []
    errors: list[str] = []

    def watch(request):
        if urlsplit(request.url).hostname != "127.0.0.1" and not request.url.startswith(("data:", "blob:")):
            foreign.append(request.url)

    context.on("request", watch)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and not any(noise in message.text for noise in OFFLINE_NOISE)
            else None
        ),
    )
    page.set_default_timeout(10_000)
    yield page
    context.close()
    assert foreign == [], f"the page asked for hosts other than 127.0.0.1: {foreign}"
    assert errors == [], f"errors in the browser console: {errors}"


def card_id(page) -> int:
    return int(page.locator("#study-card article").get_attribute("data-card-id"))


def answer(page, key: str) -> int:
    """Show the answer with space, grade with a key; the card answered."""
    shown = card_id(page)
    page.keyboard.press("Space")
    expect(page.locator("#study-card .grades")).to_be_visible()
    page.keyboard.press(key)
    return shown


def test_five_cards_studied_offline_reach_the_review_log_with_their_times_and_connected_states(
    app, watched_page
):
    page = watched_page
    sign_up(page, "mei")
    expect(page).to_have_url(re.compile(r"/welcome/nickname$"))
    page.get_by_role("button", name="Skip the whole welcome").click()
    page.goto("/decks")
    page.locator(f'[data-deck="{DECK}"] button', has_text="Study this deck").click()
    expect(page.locator(".flash")).to_contain_text("You're studying")
    mei = db.session.scalar(select(User).where(User.username == "mei"))
    mei.new_per_day = 50  # more than the deck's 21 entries: the whole deck is today's (and the figures')
    db.session.commit()
    # The whole day, not a first slice: each entry's first card, and its other cards (buried for the day
    # once a sibling is answered) kept for after a rollover.
    whole_day = len(db.session.scalars(select(CardState.card_id).where(CardState.user_id == mei.id)).all())
    assert whole_day > 50
    # A device that has never seen the app: no worker, no caches, no stored cards, an empty HTTP cache
    # (the sign-up pages registered the worker: start again from nothing).
    page.evaluate(FORGET)
    page.context.new_cdp_session(page).send("Network.clearBrowserCache")
    server = ServerLog(app)

    # The first visit of the study page: offline-ready once the worker is active (the app shell
    # precached), the offline study page cached and the pack stored.
    started = time.perf_counter()
    page.goto("/study")
    expect(page.locator("html")).to_have_attribute("data-offline", "ready", timeout=30_000)
    ready_seconds = time.perf_counter() - started
    expect(page.locator("#offline-ready")).to_contain_text(f"Ready to study offline: {whole_day} cards saved")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    figures = page.evaluate(STORED)
    shell = next(value for name, value in figures.items() if name.startswith("huanying-shell-"))
    print(
        f"\nfirst visit to offline-ready: {ready_seconds * 1000:.0f} ms"
        f"\napp shell precached by the worker: {shell['bytes']:,} bytes in {shell['files']} files"
        f"\noffline study page: {figures['huanying-pages']['bytes']:,} bytes"
        f"\npack of {figures['pack']['cards']} cards in IndexedDB: {figures['pack']['bytes']:,} bytes"
        f" ({figures['pack_wire']:,} bytes on the wire, compressed)"
    )
    assert figures["pack"]["cards"] == whole_day
    assert "/sw.js" in server.paths and "/study/pack.json" in server.paths

    # The network goes.
    # Chromium's offline emulation keeps navigator.onLine true and, around a reload, can let a page's
    # fetch through: the requests the page makes of the server fail as in a dead network, as they would.
    dead_network = ["**/study/sync", "**/study/pack.json"]
    for pattern in dead_network:
        page.route(pattern, lambda route: route.abort("internetdisconnected"))
    page.context.set_offline(True)
    server.paths.clear()
    status = page.locator("#offline-status")
    expect(status).to_contain_text("Offline: your answers are kept on this device (0 waiting)")
    given = [answer(page, "3")]
    expect(status).to_contain_text("(1 waiting)")
    given.append(answer(page, "4"))
    expect(status).to_contain_text("(2 waiting)")
    third = answer(page, "1")
    expect(status).to_contain_text("(3 waiting)")
    assert card_id(page) != third
    screenshot(page, "study-offline")

    # Undo on the device: the answer leaves the queue and the card comes back.
    page.keyboard.press("u")
    expect(status).to_contain_text("(2 waiting)")
    expect(page.locator("#study-card article")).to_have_attribute("data-card-id", str(third))
    given.append(answer(page, "2"))
    expect(status).to_contain_text("(3 waiting)")

    # A reload with no network: the worker serves the offline study page, which goes on from the pack.
    page.reload()
    expect(page.locator("[data-offline-shell]")).to_be_attached()
    expect(status).to_contain_text("(3 waiting)")
    expect(page.locator('#study-counts [data-count="done"]')).to_have_text("3")
    given.append(answer(page, "3"))
    expect(status).to_contain_text("(4 waiting)")
    given.append(answer(page, "4"))
    expect(status).to_contain_text("(5 waiting)")
    assert len(set(given)) == 5
    assert server.paths == [], f"requests reached the server while offline: {server.paths}"
    kept = sorted(page.evaluate(STORED)["answers"], key=lambda item: item["answered_at"])
    assert [item["card_id"] for item in kept] == given
    assert db.session.scalar(select(ReviewLog.id).limit(1)) is None

    # The network comes back: the answers are sent, the server's next card shows.
    for pattern in dead_network:
        page.unroute(pattern)
    page.context.set_offline(False)
    expect(status).to_contain_text("5 answers sent.", timeout=15_000)
    expect(page.locator("#study-card article")).to_be_visible()
    expect(page.locator('#study-counts [data-count="done"]')).to_have_text("5")
    screenshot(page, "study-back-online")

    db.session.expire_all()
    logs = db.session.scalars(
        select(ReviewLog).where(ReviewLog.user_id == mei.id).order_by(ReviewLog.id)
    ).all()
    assert [(log.card_id, log.rating, int(log.reviewed_at.timestamp() * 1000)) for log in logs] == [
        (item["card_id"], item["rating"], item["answered_at"]) for item in kept
    ]
    assert [log.rating for log in logs] == [3, 4, 2, 3, 4]
    assert not any(log.undone for log in logs)

    # A twin learner studying connected, at the same moments, sees the same cards and ends in the same states.
    lin = make_user(
        "lin",
        timezone=mei.timezone,
        new_per_day=mei.new_per_day,
        reviews_per_day=mei.reviews_per_day,
        desired_retention=mei.desired_retention,
    )
    enroll(lin, DECK, datetime.fromtimestamp(kept[0]["answered_at"] / 1000 - 60, UTC))
    for item in kept:
        at = datetime.fromtimestamp(item["answered_at"] / 1000, UTC)
        view = service.today(lin, at, enable_fuzz=False)
        assert view.card.id == item["card_id"]
        service.answer(lin, view.card.id, Rating(item["rating"]), view.version, at, enable_fuzz=False)

    def states(user):
        rows = db.session.scalars(
            select(CardState).where(CardState.user_id == user.id, CardState.card_id.in_(given))
        ).all()
        return {row.card_id: tuple(getattr(row, c) for c in STATE_COLUMNS) for row in rows}

    db.session.expire_all()
    assert states(mei) == states(lin)
