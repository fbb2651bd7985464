"""A teacher and a learner in a real browser: the teacher writes a deck of three entries (the pinyin fills
in while they type, a dictionary gloss goes into the meaning with a tap), creates a class and assigns the
deck; a learner joins with the code, finds the deck in their queue and studies; the teacher sees the
reviews on the class dashboard. Screenshots of the editor and the dashboard, on a desktop and a phone."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import func, select

from learnapp.chinese import cedict
from learnapp.extensions import db
from learnapp.models import ClassMember, Deck, Entry, ReviewLog
from tests.browser.conftest import ARTIFACTS, screenshot, sign_up
from tests.http.test_teach_support import PASSWORD, make_account

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1200, "height": 900}


def shot(page, name, viewport):
    page.set_viewport_size(viewport)
    page.evaluate("window.scrollTo(0, 0)")  # the sticky header stays at the top of a full-page shot
    screenshot(page, name)


def log_in(page, username):
    page.goto("/login")
    page.fill("#login", username)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/login"))


def add_entry(page, headword, pinyin, gloss=None, meaning=None):
    count = page.locator("#entries .editor-entry").count()
    page.locator("#new-headword").press_sequentially(headword, delay=60)
    # The preview fills in from the dictionary, and so does the (untouched) pinyin field.
    expect(page.locator("#new-preview [data-suggested-pinyin]")).to_have_text(pinyin)
    expect(page.locator("#new-pinyin")).to_have_value(pinyin)
    if gloss:
        page.locator("#new-preview .gloss", has_text=gloss).first.click()
        expect(page.locator("#new-meaning")).to_have_value(gloss)
    if meaning:
        page.fill("#new-meaning", meaning)
    page.click("#new-entry button[type=submit]")
    expect(page.locator("#entries .editor-entry")).to_have_count(count + 1)
    expect(page.locator("#entries .editor-entry").last.locator(".hw")).to_have_text(headword)
    expect(page.locator("#new-headword")).to_have_value("")
    expect(page.locator("#new-headword")).to_be_focused()


def test_teacher_writes_a_deck_runs_a_class_and_sees_a_learner_study(page, app):
    cedict.glosses("谢谢")  # the dictionary loads once per process (gunicorn --preload shares it): not here
    make_account("olive", "teacher")
    page.set_viewport_size(DESKTOP)
    log_in(page, "olive")

    # A deck, unlisted so the class can open it.
    page.goto("/teach")
    page.click("text=New deck")
    page.fill("#title", "First words")
    page.fill("#description", "Hello, thanks and goodbye.")
    page.check("input[name=visibility][value=unlisted]")
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_contain_text("First words")
    deck = db.session.scalar(select(Deck).where(Deck.title == "First words", Deck.author_id.is_not(None)))
    slug = deck.slug

    add_entry(page, "谢谢", "xiè xie", gloss="to thank")
    add_entry(page, "你好", "nǐ hǎo", gloss="hello")
    # The teacher overrides nothing here but types the meaning; the spoken form shows for 3rd-tone pairs.
    page.locator("#new-headword").press_sequentially("不客气", delay=60)
    expect(page.locator("#new-preview .spoken")).to_have_text("said bú kè qi")
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#new-entry").screenshot(path=str(ARTIFACTS / "teach-editor-preview.png"))
    page.locator("#new-headword").fill("")
    add_entry(page, "再见", "zài jiàn", meaning="goodbye")
    ours = select(Entry).where(Entry.deck_id == deck.id).order_by(Entry.position)
    assert [e.pinyin for e in db.session.scalars(ours)] == [
        "xiè xie",
        "nǐ hǎo",
        "zài jiàn",
    ]
    assert [e.meaning for e in db.session.scalars(ours)] == [
        "to thank",
        "hello",
        "goodbye",
    ]

    # Reorder in place: 再见 up one.
    page.locator("#entries .editor-entry").last.get_by_role("button", name="Move 再见 up").click()
    expect(page.locator("#entries .editor-entry .hw")).to_have_text(["谢谢", "再见", "你好"])
    # Edit in place.
    page.get_by_role("link", name="Edit 你好").click()
    edit = page.locator("#entries .editor-entry.editing")
    expect(edit).to_be_visible()
    edit.locator("input[name$='-meaning']").fill("hello (the everyday greeting)")
    edit.get_by_role("button", name="Save").click()
    expect(page.locator("#entries .editor-entry").last).to_contain_text("the everyday greeting")
    shot(page, "teach-editor", DESKTOP)
    shot(page, "teach-editor-phone", PHONE)
    page.set_viewport_size(DESKTOP)

    # A class, and the deck assigned to it.
    page.goto("/teach/classes/new")
    page.fill("#name", "Evening class")
    page.click("main button[type=submit]")
    code = page.locator("[data-join-code]").inner_text()
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{8}", code)
    page.select_option("#assign-deck", slug)
    page.click(".assign-form button[type=submit]")
    expect(page.locator(f'[data-assigned="{slug}"]')).to_be_visible()

    # A learner signs up, joins with the code (typed in lower case) and studies.
    page.context.clear_cookies()
    sign_up(page, "lily")
    expect(page).not_to_have_url(re.compile(r"/signup"))
    page.goto("/join")
    page.fill("#code", code.lower())
    page.click("main button[type=submit]")
    expect(page.locator(".flash")).to_contain_text("You've joined Evening class")
    assert db.session.scalar(select(func.count()).select_from(ClassMember)) == 1
    page.goto("/study")
    expect(page.locator("#study-card .headword").first).to_have_text("谢谢")
    for _ in range(3):
        before = page.locator("#study-card article").get_attribute("data-card-id")
        page.keyboard.press("Space")
        expect(page.locator(".grades")).to_be_visible()
        page.keyboard.press("3")
        expect(page.locator("#study-card article")).not_to_have_attribute("data-card-id", before)
    assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 3

    # The teacher sees the reviews.
    page.context.clear_cookies()
    log_in(page, "olive")
    page.goto("/teach")
    page.click("text=Evening class")
    row = page.locator('tr[data-learner="lily"]')
    expect(row.locator('[data-stat="reviews"]')).to_have_text("3")
    expect(row.locator('[data-stat="studied"]')).to_have_text("3")
    expect(row.locator('[data-stat="last-active"]')).not_to_have_text("not yet")
    shot(page, "teach-dashboard", DESKTOP)
    shot(page, "teach-dashboard-phone", PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], (
        "the page scrolls sideways"
    )
