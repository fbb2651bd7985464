"""The wiki in a real browser: search as you type in pinyin, open the entry, enroll in its deck."""

import re

from playwright.sync_api import expect
from sqlalchemy import select

from learnapp.extensions import db
from learnapp.models import Deck, Enrollment
from tests.browser.conftest import screenshot, sign_up


def test_search_xie_xie_open_it_and_enroll_in_its_deck(page):
    sign_up(page, "sam")
    expect(page).to_have_url(re.compile(r"/welcome/nickname$"))

    page.goto("/wiki")
    screenshot(page, "wiki-index")
    page.locator("#wiki-q").press_sequentially("xie xie", delay=30)
    first = page.locator(".wiki-hit").first
    expect(first.locator(".hit-headword")).to_have_text("谢谢")  # results as you type, no submit
    expect(page).to_have_url(re.compile(r"q=xie(\+|%20)xie"))  # the search is in the address bar
    screenshot(page, "wiki-search")

    first.locator("a").first.click()  # the headword (the deck names after it link to the same word elsewhere)
    expect(page.locator("h1, .headword").first).to_have_text("谢谢")
    expect(page.locator(".pinyin")).to_contain_text("xiè xie")
    expect(page.locator("[data-speak]").first).to_have_attribute("data-speak", "谢谢")
    slug = re.search(r"/wiki/([^/]+)/", page.url).group(1)
    screenshot(page, "wiki-entry")

    page.locator(".entry-decks button", has_text="Study this deck").click()
    expect(page.locator(".flash")).to_contain_text("You're studying")
    deck_id = db.session.scalar(select(Deck.id).where(Deck.slug == slug))
    assert db.session.scalar(select(Enrollment.active).where(Enrollment.deck_id == deck_id)) is True
