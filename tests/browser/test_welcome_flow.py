"""The welcome in a real browser: sign up, get Chinese names suggested (htmx), pick one and see it in the
header, choose what to learn and land on a first card; then the name's share page opened by someone who is
not logged in, on a desktop and on a 390 px phone."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from learnapp.extensions import db
from learnapp.models import Nickname, User
from learnapp.nickname import suggest
from learnapp.welcome.service import NameRequest
from learnapp.welcome.service import pick as pick_nickname
from tests.browser.conftest import ARTIFACTS, screenshot, sign_up
from tests.factories import T0, make_user

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def no_sideways_scroll(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"


def snap(page, name: str) -> None:
    """The conftest screenshot, then undo its trace: Playwright hides the caret by setting a style on
    every input and leaves `style=""` behind; htmx's settle would copy that onto the swapped-in inputs
    with the same id, which the CSP (style-src 'self') refuses, with a console error."""
    screenshot(page, name)
    page.evaluate("document.querySelectorAll('[style=\"\"]').forEach(e => e.removeAttribute('style'))")


def guarded_context(browser, base_url: str, viewport: dict):
    """A fresh browser context (no cookies: a stranger) with the same guard as the `page` fixture: no
    request may leave 127.0.0.1 and the console must stay free of errors."""
    context = browser.new_context(base_url=base_url, locale="en-US", viewport=viewport)
    page = context.new_page()
    problems: list[str] = []

    def guard(route):
        if urlsplit(route.request.url).hostname == "127.0.0.1" or route.request.url.startswith("data:"):
            route.continue_()
        else:
            problems.append(f"foreign request {route.request.url}")
            route.abort()

    page.route("**/*", guard)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.set_default_timeout(10_000)
    return context, page, problems


def test_sign_up_pick_a_chinese_name_see_it_in_the_header_and_share_it(page, browser, live_server):
    page.set_viewport_size(DESKTOP)
    sign_up(page, "mei")
    expect(page).to_have_url(re.compile(r"/welcome/nickname$"))
    expect(page.locator("h1")).to_contain_text("Let's find your Chinese name")
    expect(page.locator(".display-name")).to_have_text("mei")

    # Ask for names: htmx swaps the suggestions in without loading a new page.
    page.evaluate("window.__stillTheSamePage = true")
    page.fill("#name", "Emily")
    page.get_by_label("feminine").check()
    page.get_by_role("button", name="Suggest names").click()
    want = suggest("Emily", "feminine", None, 0).items
    cards = page.locator("article.suggestion")
    expect(cards).to_have_count(len(want))
    assert page.evaluate("window.__stillTheSamePage === true"), "the suggestions loaded a whole new page"
    expect(page).to_have_url(re.compile(r"/welcome/nickname\?name=Emily&feel=feminine"))
    buttons = page.locator("article.suggestion button[name=pick]")
    assert buttons.all_inner_texts() == [f"Be {s.hanzi}" for s in want]
    first = want[0]
    assert first.hanzi == "艾米莉"
    expect(cards.first.locator(".suggestion-why")).to_have_text(first.why)
    expect(cards.first.locator(".suggestion-chars li")).to_have_count(len(first.chars))
    expect(cards.first.locator(".suggestion-chars")).to_contain_text("jasmine")
    expect(page.locator("#name")).to_have_value("Emily")
    expect(page.get_by_label("feminine")).to_be_checked()
    snap(page, "onboarding-suggestions-desktop")

    page.set_viewport_size(PHONE)
    expect(cards.first).to_be_visible()
    no_sideways_scroll(page)
    snap(page, "onboarding-suggestions-phone")
    page.set_viewport_size(DESKTOP)

    # "Show me others" swaps in another batch; the first card is still the name written the standard way.
    page.get_by_role("link", name="Show me others").click()
    others = suggest("Emily", "feminine", None, 1).items
    # Waits for the whole batch (one button's text can be the same in both batches).
    expect(buttons).to_have_text([f"Be {s.hanzi}" for s in others])
    assert [s.hanzi for s in others] != [s.hanzi for s in want]
    expect(page).to_have_url(re.compile(r"more=1"))

    # Pick the first one: it is the learner's name here now, in the header.
    buttons.first.click()
    expect(page).to_have_url(re.compile(r"/welcome/goals$"))
    expect(page.locator(".display-name")).to_have_text(first.hanzi)
    expect(page.locator(".flash-success")).to_contain_text(
        f"You are {first.hanzi} ({first.pinyin}) here now."
    )
    expect(page.locator("h1")).to_have_text(f"{first.hanzi}, what would you like to learn?")

    # What to learn and how much: straight into the first session.
    page.get_by_label("Light: about 5 minutes a day").check()
    page.get_by_role("button", name="Start my first session").click()
    expect(page).to_have_url(re.compile(r"/study$"))
    expect(page.locator("#study-card article")).to_be_visible()
    expect(page.locator('#study-counts [data-count="new"]')).to_have_text("5")
    expect(page.locator(".display-name")).to_have_text(first.hanzi)

    # The share link, as the learner finds it under their nicknames.
    page.goto("/settings/nicknames")
    link = page.locator(".share-link a").first.inner_text()
    token = db.session.scalar(select(Nickname.share_token))
    assert link == f"{live_server}/n/{token}"
    assert db.session.scalar(select(User.display_name)) == first.hanzi

    # A stranger opens it: no login, nothing about the account, the name large with its meanings.
    for viewport, suffix in ((DESKTOP, "desktop"), (PHONE, "phone")):
        context, stranger, problems = guarded_context(browser, live_server, viewport)
        try:
            stranger.goto(link)
            heading = stranger.locator("h1.nickname-hanzi")
            expect(heading).to_be_visible()
            assert "".join(heading.locator("ruby").evaluate_all("rs => rs.map(r => r.firstChild.data)")) == (
                first.hanzi
            )
            size = float(heading.evaluate("h => getComputedStyle(h).fontSize").removesuffix("px"))
            assert size >= 48, f"the name is only {size}px tall"
            expect(stranger.locator(".nickname-pinyin")).to_have_text(first.pinyin)
            expect(stranger.locator(".nickname-speaker [data-speak]").first).to_be_visible()
            meanings = stranger.locator(".nickname-chars .char-meaning")
            assert meanings.all_inner_texts() == [c.meaning for c in first.chars]
            expect(stranger.locator(".nickname-story")).to_have_text(first.story)
            expect(stranger.get_by_role("button", name="Copy link")).to_be_visible()
            expect(stranger.locator(".display-name")).to_have_count(0)
            expect(stranger.get_by_role("link", name="Log in")).to_be_visible()
            body = stranger.locator("body").inner_text()
            assert "mei@example.com" not in body and not re.search(r"\bmei\b", body, re.IGNORECASE)
            no_sideways_scroll(stranger)
            screenshot(stranger, f"onboarding-share-{suffix}")
            if suffix == "desktop":
                stranger.goto(f"{link}.svg")
                ARTIFACTS.mkdir(exist_ok=True)  # an SVG document has no full-page size to measure
                stranger.screenshot(path=str(ARTIFACTS / "onboarding-share-card.png"))
        finally:
            context.close()
        assert problems == [], f"the share page misbehaved: {problems}"


@pytest.mark.parametrize("name", ["Emily", "Christopher", "Maximiliana"])
def test_the_share_card_keeps_every_line_inside_its_frame(page, name):
    """The link-preview image: the name, its pinyin and each character's meaning all inside the white card
    (1120 px wide from x=40), also for a name of five or six characters with long meanings."""
    learner = make_user("mei")
    nickname = pick_nickname(learner, NameRequest.parse(name, "feminine", None, 0), 0, T0)
    page.set_viewport_size({"width": 1200, "height": 630})
    page.goto(f"/n/{nickname.share_token}.svg")
    boxes = page.evaluate(
        "[...document.querySelectorAll('text')].map(t => { const b = t.getBBox(); "
        "return {text: t.textContent, left: b.x, right: b.x + b.width}; })"
    )
    assert [box["text"] for box in boxes][1:3] == [nickname.hanzi, nickname.pinyin]
    for box in boxes:
        assert box["left"] >= 60 and box["right"] <= 1140, f"{box['text']!r} spills out of the card: {box}"
    if name == "Christopher":
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "onboarding-share-card-long.png"))
