"""Journeys walked as a newcomer would, on a phone and a desktop, with the keyboard, from every entry point:
a class join link opened before having an account (and signing up in a second tab), a nickname share page
with and without a share sheet, a teacher copying a class's join link, the wiki's search and an entry, the
nickname step, a locked deck, ruby pinyin."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.walk import Walker, build_world


def walker(browser, live_server, device="phone", scheme="light", **options) -> Walker:
    return Walker(browser, live_server, device, scheme, **options)


def press(page, locator) -> None:
    """Activate a control from the keyboard: focus it, then Enter."""
    locator.focus()
    page.keyboard.press("Enter")


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_a_class_invitation_survives_sign_up_in_a_second_tab_and_the_welcome(browser, live_server, device):
    world = build_world()
    w = walker(browser, live_server, device)
    try:
        link = w.page
        link.goto(f"/join/{world.join_code}")
        expect(link.locator("h1")).to_have_text("Evening class")
        expect(link.locator(".join-confirm")).to_contain_text("Evening greetings")
        screenshot(link, f"journey-join-link-{device}")
        # A second tab: the visitor signs up from the site's own sign-up page, not from the link.
        page = w.context.new_page()
        page.goto("/signup")
        expect(page.locator(".invite-banner")).to_contain_text("You'll join Evening class")
        page.locator("#username").focus()
        page.keyboard.type("newbie")
        page.keyboard.press("Tab")
        page.keyboard.type("newbie@example.com")
        page.keyboard.press("Tab")
        page.keyboard.type("short")  # too short: the form comes back with the error beside the field
        page.keyboard.press("Enter")
        expect(page.locator("#password-error")).to_have_text("Between 8 and 128 characters.")
        expect(page.locator("#username")).to_have_value("newbie")
        expect(page.locator(".invite-banner")).to_contain_text("Evening class")
        page.locator("#password").fill("")
        page.locator("#password").focus()
        page.keyboard.type("correct horse")
        page.keyboard.press("Enter")
        page.wait_for_url("**/welcome/nickname")
        expect(page.locator(".flash")).to_contain_text("You've joined Evening class")
        press(page, page.locator("button", has_text="Skip the name for now"))
        page.wait_for_url("**/welcome/goals")
        expect(page.locator(".class-note")).to_contain_text("Evening greetings is in your queue already")
        screenshot(page, f"journey-join-goals-{device}")
        press(page, page.locator("button", has_text="Start my first session"))
        page.wait_for_url("**/study")
        expect(page.locator(".flash").first).to_contain_text("You're in Evening class")
        expect(page.locator(".headword")).to_contain_text("你好")  # the class's deck, first card
        page.goto("/")
        expect(page.locator(".deck-list")).to_contain_text("Evening greetings")
        expect(page.locator(".deck-list .tag-class")).to_have_text("Evening class")
    finally:
        w.close()


def test_a_renewed_join_link_says_so_and_offers_the_way_on(browser, live_server):
    build_world()
    w = walker(browser, live_server)
    try:
        response = w.page.goto("/join/QQQQ2222")
        assert response.status == 404
        w.errors.clear()  # the browser logs the 404 of the page itself
        expect(w.page.locator("h1")).to_have_text("This join link doesn't work any more")
        expect(w.page.locator("#main").get_by_role("link", name="Sign up")).to_be_visible()
    finally:
        w.close()


SHARE_SHEET = """
window.__shared = null;
Object.defineProperty(navigator, "share", {
  configurable: true,
  value: function (data) { window.__shared = data; return Promise.resolve(); },
});
"""
NO_CLIPBOARD = 'Object.defineProperty(navigator, "clipboard", {configurable: true, value: undefined});'


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_share_shows_only_with_a_share_sheet_and_copy_link_says_the_same_everywhere(
    browser, live_server, device
):
    world = build_world()
    share_url = f"{live_server}/n/{world.share_token}"
    # No share sheet (a desktop browser): no Share button; Copy link copies.
    w = walker(browser, live_server, device, permissions=["clipboard-read", "clipboard-write"])
    try:
        page = w.page
        page.goto(f"/n/{world.share_token}")
        expect(page.locator("[data-share]")).to_be_hidden()
        press(page, page.get_by_role("button", name="Copy link"))
        expect(page.locator(".copy-note")).to_have_text("Link copied.")
        assert page.evaluate("navigator.clipboard.readText()") == share_url
        w.log_in("lily")
        page.goto("/settings/nicknames")
        press(page, page.get_by_role("button", name="Copy link"))
        expect(page.locator(".copy-note")).to_have_text("Link copied.")  # the same feedback
    finally:
        w.close()
    # A share sheet (a phone browser): Share… shows and hands the page to it.
    w = walker(browser, live_server, device)
    try:
        page = w.page
        page.add_init_script(SHARE_SHEET)
        page.goto(f"/n/{world.share_token}")
        share = page.get_by_role("button", name="Share…")
        expect(share).to_be_visible()
        screenshot(page, f"journey-share-sheet-{device}")
        press(page, share)
        page.wait_for_function("window.__shared !== null")
        assert page.evaluate("window.__shared.url") == share_url
    finally:
        w.close()
    # No clipboard at all: the link to copy by hand, in the same place.
    w = walker(browser, live_server, device)
    try:
        page = w.page
        page.add_init_script(NO_CLIPBOARD)
        page.goto(f"/n/{world.share_token}")
        page.get_by_role("button", name="Copy link").click()
        expect(page.locator(".copy-note")).to_have_text(f"Copy this link: {share_url}")
    finally:
        w.close()


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_a_teacher_copies_the_class_join_link_from_the_keyboard(browser, live_server, device):
    world = build_world()
    join_url = f"{live_server}/join/{world.join_code}"
    w = walker(browser, live_server, device, permissions=["clipboard-read", "clipboard-write"])
    try:
        page = w.page
        w.log_in("olive")
        page.goto(f"/teach/classes/{world.class_id}")
        expect(page.get_by_label("Join link")).to_have_value(join_url)
        copy = page.locator(".join-panel").get_by_role("button", name="Copy link")
        expect(copy).to_be_visible()
        box = copy.bounding_box()
        width = page.viewport_size["width"]
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, "the button fits the screen"
        press(page, copy)
        expect(page.locator(".join-panel .copy-note")).to_have_text("Link copied.")  # the same feedback
        assert page.evaluate("navigator.clipboard.readText()") == join_url
        screenshot(page, f"journey-class-copy-link-{device}")
    finally:
        w.close()


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_wiki_search(browser, live_server, device):
    build_world()
    w = walker(browser, live_server, device)
    try:
        page = w.page
        page.goto("/wiki")
        page.locator("#wiki-q").focus()
        page.keyboard.type("grass")
        expect(page.locator(".wiki-hit").first).to_contain_text("草")  # HSK 3's 草 means "grass"
        zhongcao = page.locator(
            ".wiki-hit", has=page.locator(".hit-headword", has_text=re.compile(r"^种草$"))
        )
        expect(zhongcao).to_contain_text("literally “plant grass”")  # found by its literal meaning
        expect(page).to_have_url(re.compile(r"/wiki\?q=grass$"))
        results = page.locator("#wiki-results").bounding_box()
        facets = page.locator(".facets").bounding_box()
        if device == "phone":
            assert results["y"] < facets["y"], "on a phone the results come before the filters"
        else:
            assert results["y"] < page.viewport_size["height"], "on a desktop the results show at once"
            expect(page.locator(".facets")).to_be_visible()
        screenshot(page, f"journey-wiki-grass-{device}")
        page.locator("#wiki-q").fill("")
        page.locator("#wiki-q").focus()
        page.keyboard.type("xiexie")
        expect(page).to_have_url(re.compile(r"/wiki\?q=xiexie$"))
        first = page.locator(".wiki-hit").first
        expect(first.locator(".hit-headword")).to_have_text("谢谢")
        expect(first.locator(".hit-also")).to_contain_text("also in")
        assert page.locator(".hit-headword", has_text=re.compile(r"^谢谢$")).count() == 1
        # Back and reload keep the search (the address was kept in step).
        page.reload()
        expect(page.locator("#wiki-q")).to_have_value("xiexie")
        # The entry page, opened from the keyboard.
        press(page, page.locator(".wiki-hit").first.locator("a").first)
        page.wait_for_url("**/wiki/mandarin-first-words/xiexie")
        expect(page.locator(".entry-head .headword")).to_contain_text("谢")
        assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
        screenshot(page, f"journey-wiki-entry-{device}")
    finally:
        w.close()


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_name_suggestions_scroll_into_view_below_the_sticky_header(browser, live_server, device):
    from tests.browser.conftest import sign_up

    w = walker(browser, live_server, device)
    try:
        page = w.page
        sign_up(page, f"anna{device}")
        page.wait_for_url("**/welcome/nickname")
        page.locator("#name").focus()
        page.keyboard.type("Anna")
        page.keyboard.press("Enter")
        page.locator(".suggestion").first.wait_for()
        page.wait_for_function(
            "() => { const s = document.getElementById('suggestions').getBoundingClientRect();"
            " const h = document.querySelector('.site-header').getBoundingClientRect();"
            " return s.top >= h.bottom - 1 && s.top <= h.bottom + 40; }"
        )
        assert page.evaluate("document.activeElement.id") == "suggestions"  # the keyboard carries on there
        screenshot(page, f"journey-suggestions-{device}")
    finally:
        w.close()


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_a_locked_deck_says_why_and_asks_before_studying_it(browser, live_server, device):
    build_world()
    w = walker(browser, live_server, device)
    try:
        page = w.page
        w.log_in("lily")
        page.goto("/decks")
        tile = page.locator('[data-deck="rednote-platform"]')
        expect(tile.locator(".lock-note")).to_contain_text("Locked. It builds on RedNote starter")
        screenshot(page, f"journey-locked-{device}")
        press(page, tile.get_by_role("button", name="Study it anyway…"))
        expect(page.locator("h1")).to_contain_text("before it opens?")
        press(page, page.get_by_role("button", name="Yes, study it anyway"))
        page.wait_for_url("**/decks/rednote-platform")
        expect(page.get_by_role("button", name="Leave deck")).to_be_visible()
    finally:
        w.close()


def test_ruby_pinyin_is_readable_on_a_phone_and_not_repeated(browser, live_server):
    from sqlalchemy import select

    from learnapp.extensions import db
    from learnapp.models import User

    build_world()
    lily = db.session.scalar(select(User).where(User.username == "lily"))
    lily.preferences = {**(lily.preferences or {}), "ruby": True}
    db.session.commit()
    w = walker(browser, live_server)
    try:
        page = w.page
        w.log_in("lily")
        page.goto("/wiki/mandarin-first-words/xiexie")
        rt = page.locator(".entry-head .headword rt").first
        expect(rt).to_be_visible()
        sizes = page.evaluate(
            "[...document.querySelectorAll('rt')].map(rt => parseFloat(getComputedStyle(rt).fontSize))"
        )
        assert sizes and min(sizes) >= 11, sizes
        expect(page.locator(".entry-head .pinyin-citation")).to_be_hidden()  # not twice
        example = page.locator(".example")
        if example.count():
            expect(example.locator(".example-pinyin")).to_be_hidden()
        screenshot(page, "journey-ruby-phone")
    finally:
        w.close()
