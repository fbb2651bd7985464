"""Labels in a real browser: the chip on a wiki entry and on the back of a card, its explanation shown on
keyboard focus and on hover, in light and dark mode."""

import re

from playwright.sync_api import expect

from learnapp.content.deckfile import parse_deck_text
from learnapp.content.labels import LABELS
from learnapp.decks.loader import load_deck
from learnapp.extensions import db
from tests.browser.conftest import screenshot, sign_up
from tests.factories import T0

ONE_CARD = """
[deck]
slug = "label-check"
title = "Label check"
category = "slang"
card_kinds = ["recognize"]

[[entries]]
id = "awsl"
headword = "awsl"
literal = "啊我死了 ā wǒ sǐ le, 'ah, I'm dead'"
meaning = "I can't, this is too cute"
tags = ["reaction", "dated"]
"""


def tip_is_shown(page, label) -> bool:
    box = label.locator(".label-tip").bounding_box()
    return box is not None and box["width"] > 40 and box["height"] > 10


def test_wiki_label_opens_its_explanation_on_focus_and_hover(page):
    page.goto("/wiki/internet-slang/niubi")
    label = page.locator(".entry-label.label-vulgar")
    expect(label).to_have_count(1)
    expect(label.locator(".label-name")).to_have_text("vulgar")
    assert not tip_is_shown(page, label)
    screenshot(page, "label-wiki")

    label.focus()
    assert tip_is_shown(page, label)
    expect(label.locator(".label-tip")).to_contain_text(LABELS["vulgar"])
    screenshot(page, "label-wiki-focus")

    page.locator("h1, .headword").first.click()  # focus moves away: the tip closes
    assert not tip_is_shown(page, label)
    label.hover()
    assert tip_is_shown(page, label)

    page.emulate_media(color_scheme="dark")
    label.focus()
    screenshot(page, "label-wiki-dark")


def test_the_back_of_a_card_shows_the_label(page):
    load_deck(parse_deck_text(ONE_CARD, "label-check.toml"), T0)
    db.session.commit()
    sign_up(page, "lin")
    expect(page).to_have_url(re.compile(r"/welcome/nickname$"))
    page.get_by_role("button", name="Skip the whole welcome").click()
    page.goto("/decks/label-check")
    page.locator("button", has_text="Study this deck").first.click()
    page.goto("/study")
    expect(page.locator(".headword")).to_have_text("awsl")
    expect(
        page.locator(".entry-label")
    ).to_be_hidden()  # not shown on the front (it comes with the card, hidden)

    page.keyboard.press("Space")
    label = page.locator(".card-back .entry-label.label-dated")
    expect(label).to_be_visible()
    label.focus()
    assert tip_is_shown(page, label)
    screenshot(page, "label-card-back")
