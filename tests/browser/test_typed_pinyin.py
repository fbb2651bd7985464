"""Typing pinyin in a real browser: the answer box, Enter to check, the proposed grade focused, grading with
the keyboard, undo, and a wrong tone marked on its syllable; on a desktop and a phone-size screen."""

import re

from playwright.sync_api import expect
from sqlalchemy import func, select

from learnapp.extensions import db
from learnapp.models import Card, CardState, Deck, Entry, ReviewLog, User
from tests.browser.conftest import screenshot, sign_up

PHONE = {"width": 390, "height": 844}
# The first card back a server process renders loads CC-CEDICT for the example's tone sandhi (seconds).
FIRST_BACK_MS = 40_000


def bring_to_front(username: str, key: str, kind: str) -> str:
    """Put the learner's card at the head of the new queue, straight in the database the live server uses."""
    user_id = db.session.scalar(select(User.id).where(User.username == username))
    card_id = db.session.scalar(
        select(Card.id)
        .join(Card.entry)
        .join(Entry.deck)
        .where(Deck.slug == "mandarin-first-words", Entry.key == key, Card.kind == kind)
    )
    state = db.session.get(CardState, (user_id, card_id))
    state.new_position = -1
    db.session.commit()
    return str(card_id)


def live_logs() -> list[tuple[int, int, bool]]:
    db.session.expire_all()
    return [
        (log.card_id, log.rating, log.undone)
        for log in db.session.scalars(select(ReviewLog).order_by(ReviewLog.id))
    ]


def no_sideways_scroll(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"


def test_type_pinyin_check_with_enter_grade_undo_and_see_a_wrong_tone(page):
    sign_up(page, "mei")
    expect(page).not_to_have_url(re.compile(r"/signup"))  # wherever sign-up leads, we go on from here
    page.goto("/decks")
    page.locator('[data-deck="mandarin-first-words"] button', has_text="Study this deck").click()
    expect(page.locator(".flash")).to_contain_text("You're studying")
    card = bring_to_front("mei", "xiexie", "typed")

    page.goto("/study")
    article = page.locator("#study-card article")
    expect(article).to_have_attribute("data-card-id", card)
    expect(page.locator(".card-kind")).to_contain_text("Type the pinyin")
    expect(page.locator(".headword")).to_have_text("谢谢")
    box = page.locator("#typed-answer")
    expect(box).to_be_focused()  # ready to type, no click needed
    expect(box).to_have_attribute("autocomplete", "off")
    assert "xie" not in (box.get_attribute("placeholder") or "")  # the example is not this card's answer

    # Right: typed with tone numbers, checked with Enter.
    box.type("xie4xie5")
    box.press("Enter")
    feedback = page.locator(".feedback")
    expect(feedback.locator(".feedback-verdict")).to_have_text("✓ Right", timeout=FIRST_BACK_MS)
    expect(feedback).to_contain_text("Proposed grade: Good")
    good = page.locator(".grades .grade-3")
    expect(good).to_have_class(re.compile(r"\bproposed\b"))
    expect(page.locator(".grade.proposed")).to_have_count(1)
    expect(good).to_be_focused()
    expect(page.locator(".pinyin .tone4")).to_have_text("xiè")
    assert live_logs() == []  # checking wrote nothing
    screenshot(page, "typed-right")

    # Enter on the focused proposal grades Good: the next card comes, one answer logged.
    page.keyboard.press("Enter")
    expect(article).not_to_have_attribute("data-card-id", card)
    expect(page.locator('#study-counts [data-count="done"]')).to_have_text("1")
    assert live_logs() == [(int(card), 3, False)]

    # Undo brings the typed card back, answer box focused again.
    page.keyboard.press("u")
    expect(article).to_have_attribute("data-card-id", card)
    expect(page.locator('#study-counts [data-count="done"]')).to_have_text("0")
    box = page.locator("#typed-answer")
    expect(box).to_be_focused()

    # A wrong tone on the first syllable, checked with the button.
    box.type("xie3xie")
    page.get_by_role("button", name="Check").click()
    expect(page.locator(".feedback-verdict")).to_have_text("≈ Tones not right")
    first, second = page.locator(".syllable-mark").nth(0), page.locator(".syllable-mark").nth(1)
    expect(first).to_have_class(re.compile(r"\bmark-tone\b"))
    expect(first.locator(".expected")).to_have_text("xiè")
    expect(first.locator(".typed")).to_have_text("xiě")
    expect(first.locator(".mark-status")).to_have_text("wrong tone")
    expect(second).to_have_class(re.compile(r"\bmark-right\b"))
    expect(page.locator(".feedback-message")).to_contain_text("The first syllable is xiè with the 4th tone")
    again = page.locator(".grades .grade-1")
    expect(again).to_have_class(re.compile(r"\bproposed\b"))
    expect(again).to_be_focused()
    assert live_logs() == [(int(card), 3, True)]
    screenshot(page, "typed-wrong-tone")

    # The same feedback on a phone: nothing scrolls sideways, the marks and the grades fit.
    page.set_viewport_size(PHONE)
    no_sideways_scroll(page)
    for locator in (first, second, again, page.locator(".grades .grade-4")):
        box_ = locator.bounding_box()
        assert box_ is not None and box_["x"] >= 0 and box_["x"] + box_["width"] <= PHONE["width"]
    screenshot(page, "typed-wrong-tone-phone")

    # Grading Again with the keyboard counts, once.
    page.keyboard.press("1")
    expect(page.locator('#study-counts [data-count="done"]')).to_have_text("1")
    assert db.session.scalar(select(func.count()).select_from(ReviewLog).where(~ReviewLog.undone)) == 1
    assert live_logs()[-1] == (int(card), 1, False)


def test_typed_card_front_on_a_phone(page):
    page.set_viewport_size(PHONE)
    sign_up(page, "lin")
    expect(page).not_to_have_url(re.compile(r"/signup"))
    page.goto("/decks")
    page.locator('[data-deck="mandarin-first-words"] button', has_text="Study this deck").click()
    expect(page.locator(".flash")).to_contain_text("You're studying")
    card = bring_to_front("lin", "ni-hao", "typed")
    page.goto("/study")
    expect(page.locator("#study-card article")).to_have_attribute("data-card-id", card)
    box = page.locator("#typed-answer")
    expect(box).to_be_visible()
    width = box.bounding_box()["width"]
    assert width > PHONE["width"] * 0.6, f"the answer box is only {width}px wide"
    no_sideways_scroll(page)
    screenshot(page, "typed-front-phone")
    box.type("ni2hao3")
    box.press("Enter")
    expect(page.locator(".feedback-verdict")).to_have_text("✓ Right", timeout=FIRST_BACK_MS)
    expect(page.locator(".feedback-message")).to_contain_text("as it is said")
    no_sideways_scroll(page)
    screenshot(page, "typed-right-sandhi-phone")
