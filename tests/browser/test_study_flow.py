"""A learner's first session in a real browser: sign up, enroll, study with the keyboard, undo, reload."""

import re

from playwright.sync_api import expect
from sqlalchemy import select

from learnapp.extensions import db
from learnapp.models import ReviewLog, User
from tests.browser.conftest import screenshot, sign_up


def counts(page):
    return {
        name: page.locator(f'#study-counts [data-count="{name}"]').inner_text()
        for name in ("new", "learning", "review", "done")
    }


def card_id(page):
    return page.locator("#study-card article").get_attribute("data-card-id")


def test_sign_up_enroll_study_three_cards_with_the_keyboard_undo_and_reload(page):
    sign_up(page, "mei")
    expect(page).to_have_url(re.compile(r"/welcome/nickname$"))
    page.get_by_role("button", name="Skip the whole welcome").click()
    page.goto("/decks")
    assert db.session.scalar(select(User.timezone)) == "Europe/Berlin"  # taken from the browser

    page.locator('[data-deck="mandarin-first-words"] button', has_text="Study this deck").click()
    expect(page.locator(".flash")).to_contain_text("You're studying")
    page.goto("/study")
    expect(page.locator(".headword")).to_have_text("你好")
    assert counts(page) == {"new": "20", "learning": "0", "review": "0", "done": "0"}
    screenshot(page, "study-front")

    # Three cards, keyboard only: Again, Good, Easy.
    for key in ("1", "3", "4"):
        before = card_id(page)
        page.keyboard.press("Space")
        expect(page.locator(".grades")).to_be_visible()
        if key == "1":
            expect(page.locator(".grade-3 .interval")).to_have_text("10m")
            screenshot(page, "study-back")
        page.keyboard.press(key)
        expect(page.locator("#study-card article")).not_to_have_attribute("data-card-id", before)
    assert counts(page) == {"new": "17", "learning": "2", "review": "0", "done": "3"}
    assert page.evaluate("document.querySelector('progress.session-progress').value") == 3
    assert db.session.scalar(select(ReviewLog.id).order_by(ReviewLog.id.desc()).limit(1)) == 3

    page.keyboard.press("u")
    expect(page.locator('#study-counts [data-count="done"]')).to_have_text("2")
    after_undo = counts(page)
    assert after_undo == {"new": "18", "learning": "2", "review": "0", "done": "2"}
    undone_card = card_id(page)

    page.reload()
    expect(page.locator("#study-card article")).to_be_visible()
    assert counts(page) == after_undo
    assert card_id(page) == undone_card
    assert page.url.endswith("/study")
    screenshot(page, "study-after-reload")
