"""Light on the wire, measured in Debian's Chromium: the study page's first visit (empty cache) transfers
under 80 KB, and a second visit under 10 KB, with no request for CSS or JavaScript (content-hashed
static addresses, cached for a year as immutable).

Bytes are what Chromium counts on the wire (DevTools protocol: `Network.loadingFinished`'s
encodedDataLength, headers included, compressed bodies as sent). The page is watched, not routed:
Playwright turns the HTTP cache off for a page whose requests it routes, and the cache is what this test
is about; a request to any host but 127.0.0.1 still fails it. The figures are printed (`-s`) for the
notes: `.venv/bin/python -m pytest tests/browser/test_wire.py -s`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_up

pytestmark = pytest.mark.browser

FIRST_VISIT_BUDGET = 80_000
REPEAT_VISIT_BUDGET = 10_000


@dataclass
class Visit:
    """The requests Chromium made for one navigation, with their bytes on the wire."""

    urls: dict[str, str] = field(default_factory=dict)  # request id -> URL
    encodings: dict[str, str] = field(default_factory=dict)  # request id -> Content-Encoding
    bytes: dict[str, int] = field(default_factory=dict)  # request id -> encodedDataLength
    from_cache: set[str] = field(default_factory=set)

    @property
    def total(self) -> int:
        return sum(self.bytes.values())

    def table(self) -> str:
        rows = []
        for request_id, url in self.urls.items():
            where = "cache" if request_id in self.from_cache else self.encodings.get(request_id) or "identity"
            rows.append(f"  {self.bytes.get(request_id, 0):>7,} B  {where:<8} {urlsplit(url).path}")
        return "\n".join(rows)


class Recorder:
    """Listens to Chromium's network events through a DevTools session of its own."""

    def __init__(self, page):
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.visit = Visit()
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.cdp.on("Network.requestServedFromCache", self._cached)
        self.cdp.on("Network.responseReceived", self._received)
        self.cdp.on("Network.loadingFinished", self._finished)

    def start(self) -> Visit:
        self.visit = Visit()
        return self.visit

    def _sent(self, event):
        self.visit.urls[event["requestId"]] = event["request"]["url"]

    def _cached(self, event):
        self.visit.from_cache.add(event["requestId"])

    def _received(self, event):
        response = event["response"]
        if response.get("fromDiskCache") or response.get("fromPrefetchCache"):
            self.visit.from_cache.add(event["requestId"])
        headers = {name.lower(): value for name, value in response.get("headers", {}).items()}
        self.visit.encodings[event["requestId"]] = headers.get("content-encoding", "")

    def _finished(self, event):
        self.visit.bytes[event["requestId"]] = int(event["encodedDataLength"])


class ServerLog:
    """The paths the app itself was asked for (what really reached the server)."""

    def __init__(self, app):
        self.paths: list[str] = []
        inner = app.wsgi_app

        def recording(environ, start_response):
            self.paths.append(environ.get("PATH_INFO", ""))
            return inner(environ, start_response)

        app.wsgi_app = recording


@pytest.fixture
def watched_page(browser, live_server):
    """A page like conftest's, but watched instead of routed, so that its HTTP cache works. Without the
    service worker: this test weighs the page and Chromium's HTTP cache (a worker would serve the files from
    its own cache, out of the page's sight); the worker and what it keeps are measured by
    tests/browser/test_study_offline.py."""
    context = browser.new_context(
        base_url=live_server, locale="en-US", timezone_id="Europe/Berlin", service_workers="block"
    )
    page = context.new_page()
    foreign: list[str] = []
    errors: list[str] = []

    def watch(request):
        if urlsplit(request.url).hostname != "127.0.0.1" and not request.url.startswith(("data:", "blob:")):
            foreign.append(request.url)

    page.on("request", watch)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.set_default_timeout(10_000)
    yield page
    context.close()
    assert foreign == [], f"the page asked for hosts other than 127.0.0.1: {foreign}"
    assert errors == [], f"errors in the browser console: {errors}"


def test_the_study_page_is_light_on_the_first_visit_and_almost_free_on_the_next(app, watched_page):
    page = watched_page
    sign_up(page, "wirewren")
    expect(page).to_have_url(re.compile(r"/welcome/nickname$"))
    page.goto("/welcome/goals")
    page.get_by_role("button", name="Start my first session").click()
    expect(page).to_have_url(re.compile(r"/study$"))
    expect(page.locator("#study-card article")).to_be_visible()

    recorder = Recorder(page)
    recorder.cdp.send("Network.clearBrowserCache")
    server = ServerLog(app)

    first = recorder.start()
    page.goto("/study", wait_until="networkidle")
    expect(page.locator("#study-card article")).to_be_visible()
    first_paths = list(server.paths)

    server.paths.clear()
    repeat = recorder.start()
    page.goto("/study", wait_until="networkidle")
    expect(page.locator("#study-card article")).to_be_visible()
    repeat_paths = list(server.paths)

    print(f"\nstudy page, first visit (empty cache): {first.total:,} bytes on the wire\n{first.table()}")
    print(f"study page, repeat visit: {repeat.total:,} bytes on the wire\n{repeat.table()}")

    # The first visit fetched the page, its stylesheet and scripts (under hashed addresses), compressed.
    assets = [path for path in first_paths if path.endswith((".css", ".js"))]
    assert any(path.endswith(".css") for path in assets) and any(path.endswith(".js") for path in assets)
    assert all(re.search(r"\.[0-9a-f]{10}\.(css|js)$", path) for path in assets), assets
    compressed = {first.encodings.get(i) for i, url in first.urls.items() if re.search(r"\.(css|js)$", url)}
    assert compressed <= {"br", "gzip"}, compressed
    assert first.total < FIRST_VISIT_BUDGET, first.table()

    # The repeat visit asked the server for the page alone: CSS and JavaScript came from the cache.
    assert repeat_paths == ["/study"], repeat_paths
    fetched = [url for i, url in repeat.urls.items() if i not in repeat.from_cache]
    assert not [url for url in fetched if url.endswith((".css", ".js"))], fetched
    assert repeat.total < REPEAT_VISIT_BUDGET, repeat.table()


# Forget what the sign-up pages left: the worker, its caches and the device's stored cards.
FORGET = """async () => {
  for (const registration of await navigator.serviceWorker.getRegistrations()) await registration.unregister();
  for (const name of await caches.keys()) await caches.delete(name);
  await new Promise((ok) => { const r = indexedDB.deleteDatabase("huanying-offline"); r.onsuccess = r.onerror = r.onblocked = ok; });
}"""


class BodySizes:
    """The bytes of each response body the app sent, as sent (compressed), by path."""

    def __init__(self, app):
        self.sizes: dict[str, int] = {}
        self.paths: list[str] = []
        inner = app.wsgi_app

        def recording(environ, start_response):
            body = b"".join(inner(environ, start_response))
            self.sizes[environ.get("PATH_INFO", "")] = len(body)
            self.paths.append(environ.get("PATH_INFO", ""))
            return [body]

        app.wsgi_app = recording


def test_the_first_visit_with_the_service_worker_counts_what_it_precaches(app, browser, live_server):
    """The first visit as a learner's browser makes it: the page, and what the service worker fetches to
    make the device offline-ready (its script, the app shell it precaches, the offline study page, the
    pack of cards). Playwright reports the worker's requests with the page's; Chromium's figures: a
    response from the HTTP cache (the worker precaching a file the page has just fetched) reports no body
    and costs nothing on the wire. Chromium reports the worker script's body as a few bytes: its size is
    taken from what the app sent (compressed) instead."""
    context = browser.new_context(base_url=live_server, locale="en-US", timezone_id="Europe/Berlin")
    page = context.new_page()
    foreign: list[str] = []
    context.on(
        "request", lambda r: foreign.append(r.url) if urlsplit(r.url).hostname != "127.0.0.1" else None
    )
    sign_up(page, "swwren")
    expect(page).to_have_url(re.compile(r"/welcome/nickname$"))
    page.goto("/welcome/goals")
    page.get_by_role("button", name="Start my first session").click()
    expect(page).to_have_url(re.compile(r"/study$"))
    # That page makes the device offline-ready too: let it finish, or its last requests (the pack, the
    # offline page) land in the measured visit below and count twice.
    expect(page.locator("html")).to_have_attribute("data-offline", "ready", timeout=30_000)
    page.wait_for_load_state("networkidle")
    page.evaluate(FORGET)
    page.context.new_cdp_session(page).send("Network.clearBrowserCache")

    sent = BodySizes(app)
    finished = []
    context.on("requestfinished", lambda request: finished.append(request))
    page.goto("/study")
    expect(page.locator("html")).to_have_attribute("data-offline", "ready", timeout=30_000)
    page.wait_for_load_state("networkidle")
    rows, total, by_worker = [], 0, 0
    for request in finished:
        response = request.response()
        if response is not None and response.from_service_worker:
            # Answered by the worker: what it fetched for it is a request of its own, counted there.
            rows.append(f"  {0:>7,} B  {'page':<6} {urlsplit(request.url).path} (from the worker)")
            continue
        sizes = request.sizes()
        body = sizes["responseBodySize"]
        if urlsplit(request.url).path == "/sw.js":
            body = sent.sizes["/sw.js"]
        wire = body + sizes["responseHeadersSize"] if body >= 0 else 0  # below 0: from the HTTP cache
        total += wire
        who = "worker" if request.service_worker else "page"
        by_worker += wire if request.service_worker else 0
        rows.append(f"  {wire:>7,} B  {who:<6} {urlsplit(request.url).path}")
    context.close()
    print(
        f"\nstudy page, first visit with the service worker: {total:,} bytes on the wire"
        f" ({by_worker:,} fetched by the worker)\n" + "\n".join(rows)
    )
    print(f"what reached the app: {sorted(sent.paths)}")
    paths = [urlsplit(request.url).path for request in finished]
    assert "/sw.js" in paths and "/study/pack.json" in paths and "/study/offline" in paths
    assert foreign == []
    assert total < FIRST_VISIT_BUDGET, "\n".join(rows)
