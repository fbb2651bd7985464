"""The stats page in a real browser: a learner studies a few cards, finds Stats in the main navigation and
today lit on the heatmap; the page is drawn on a 1280 px desktop and on a 390 px phone, light and dark,
without spilling sideways, with every chart's title, the weekday labels by today and a deck at 0% drawn
as an empty bar."""

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from learnapp.chinese import cedict
from learnapp.extensions import db
from learnapp.models import ReviewLog, User
from learnapp.srs import learner_day
from tests.browser.conftest import screenshot, sign_up

pytestmark = pytest.mark.browser


def study_today(page, answers: int) -> None:
    """Enroll in the first-words deck and answer `answers` cards with the keyboard (Good)."""
    # Sign-up may land on a welcome flow; go straight to the catalogue.
    page.goto("/decks")
    page.locator('[data-deck="mandarin-first-words"] button', has_text="Study this deck").click()
    expect(page.locator(".flash")).to_contain_text("You're studying")
    page.goto("/study")
    for _ in range(answers):
        card = page.locator("#study-card article").get_attribute("data-card-id")
        page.keyboard.press("Space")
        expect(page.locator(".grades")).to_be_visible()
        page.keyboard.press("3")
        expect(page.locator("#study-card article")).not_to_have_attribute("data-card-id", card)
    expect(page.locator('#study-counts [data-count="done"]')).to_have_text(str(answers))


def test_heatmap_shows_today_after_studying_on_desktop_and_phone(page):
    # The back of a card reads CC-CEDICT, which takes seconds to load the first time in a process: load it
    # now, as a server that has shown one card already has, so the first answer fits the expect timeout.
    cedict.dictionary()
    sign_up(page, "mei")
    page.wait_for_load_state()
    study_today(page, 3)
    user = db.session.scalar(select(User).where(User.username == "mei"))
    assert db.session.scalars(select(ReviewLog.id).where(ReviewLog.user_id == user.id)).all() != []
    today = learner_day(datetime.now(UTC), user.timezone, user.day_rollover_hour).local_date

    page.goto("/")
    page.locator("nav[aria-label=Main]").get_by_role("link", name="Stats", exact=True).click()
    expect(page).to_have_url(re.compile(r"/stats$"))
    expect(page.locator("h1")).to_have_text("Your progress")
    heatmap = page.locator("svg.chart-heatmap")
    expect(heatmap).to_be_visible()
    today_cell = heatmap.locator("rect", has=page.locator(f"title >> text=/ on {today}$/"))
    expect(today_cell).to_have_count(1)
    assert re.fullmatch(r"heat-[1-4]", today_cell.get_attribute("class"))
    assert today_cell.locator("title").text_content() == f"3 reviews on {today}"
    # The square is really painted in the heat colour (the stylesheet, not a default black fill).
    fill = today_cell.evaluate("el => getComputedStyle(el).fill")
    empty_fill = heatmap.locator("rect.heat-0").first.evaluate("el => getComputedStyle(el).fill")
    assert fill not in ("rgb(0, 0, 0)", empty_fill)
    for title in (
        "Study calendar, last 365 days",
        "Reviews per day, last 30 days",
        "Study minutes per day, last 30 days",
        "True retention per week",
        "True retention per month",
        "Cards by state",
        "Cards due, next 30 days",
        "Progress per deck",
    ):
        expect(page.locator("svg text.chart-title", has_text=title)).to_be_visible()
    # The deck is at 0% mastered: its bar is drawn empty, outlined in the page's muted colour.
    track = page.locator("svg.chart-deck-progress g rect.track")
    expect(track).to_have_count(1)
    assert page.locator("svg.chart-deck-progress g rect.bar-mastered").count() == 0
    assert track.evaluate("el => getComputedStyle(el).stroke") not in ("none", "")
    # Chart text is about the size of the page's small text (13 units drawn about 1:1).
    label_px = page.locator("svg.chart-reviews text.label").first.evaluate(
        "el => el.getBoundingClientRect().height"
    )
    assert 11 <= label_px <= 19
    tiles = page.locator(".stat-tile")
    expect(tiles.filter(has_text="reviews today").locator(".stat-number")).to_have_text("3")
    expect(tiles.filter(has_text="day streak").first.locator(".stat-number")).to_have_text("1")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "stats-desktop")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(heatmap).to_be_visible()
    # Only the heatmap's own box scrolls sideways; the page itself fits the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = page.locator(".chart-scroll").first
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
    # The latest weeks (today) are at the right end: scroll there as a learner would.
    box.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    expect(today_cell).to_be_in_viewport()
    # There, the weekday labels and the calendar's title are in view too.
    right_monday = heatmap.locator("text.label", has_text="Mon").last
    expect(right_monday).to_be_in_viewport()
    box_right = box.evaluate("el => el.getBoundingClientRect().right")
    assert right_monday.evaluate("el => el.getBoundingClientRect().right") <= box_right
    expect(heatmap.locator("text.chart-title")).to_be_in_viewport()
    assert heatmap.locator("text.chart-title").evaluate("el => el.getBoundingClientRect().left") >= 0
    screenshot(page, "stats-phone")

    page.emulate_media(color_scheme="dark")
    light_fill = fill
    expect(today_cell).to_be_visible()
    assert today_cell.evaluate("el => getComputedStyle(el).fill") != light_fill  # the dark palette
    screenshot(page, "stats-phone-dark")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    expect(heatmap).to_be_visible()
    # A desktop shows the whole year without scrolling: the weekday labels on the left are in view.
    assert box.evaluate("el => el.scrollWidth <= el.clientWidth")
    expect(heatmap.locator("text.label", has_text="Mon").first).to_be_in_viewport()
    screenshot(page, "stats-desktop-dark")
