"""Stroke order in a real browser: hanzi-writer and its character data served from our own origin, built when
the section is opened, the animation of 你 played to the end, a writing quiz drawn stroke by stroke, and no
Content-Security-Policy violation on the way (the page fixture also fails on other hosts and console errors)."""

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import expect

from learnapp import assets
from tests.browser.conftest import screenshot, sign_up

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "static" / "vendor" / "hanzi-writer" / "data"
# The character data's address carries its npm version (learnapp/assets.py).
DATA_URL = "/static/vendor/hanzi-writer/data-{}/".format(
    (ROOT / "static" / "vendor" / "hanzi-writer" / "data-version.txt").read_text().strip()
)
NI_HAO = "/wiki/mandarin-first-words/ni-hao"

# Registered before any page script runs; Playwright's init scripts are not subject to the page's CSP.
CSP_LISTENER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sample || ""));
});
"""

# The strokes of one character as hanzi-writer renders them: the <g> groups after the outline are the main
# character and the highlight; each stroke is a path clipped to the stroke's shape.
MAIN_STROKES = """tile => Array.from(tile.querySelectorAll("svg > g > g:nth-of-type(2) > path"))
  .map(p => ({opacity: p.style.opacity, offset: parseFloat(p.style.strokeDashoffset || "0")}))"""


def watch(page):
    """Collect CSP violations and console messages that mention the policy, and every data request."""
    page.add_init_script(CSP_LISTENER)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    data_requests: list[str] = []
    page.on("request", lambda r: data_requests.append(r.url) if "/hanzi-writer/data-" in r.url else None)
    return console, data_requests


def assert_no_csp_violation(page, console):
    assert page.evaluate("window.__csp") == []
    assert console == []


def open_strokes(page, scope=None):
    box = (scope or page).locator(".strokes-box")
    box.locator("summary").click()
    expect(box).to_have_attribute("open", "")
    expect(box.locator(".strokes")).to_have_attribute("data-state", "ready")
    return box


def test_wiki_entry_plays_the_stroke_animation_of_ni_and_quizzes_it(app, page):
    console, data_requests = watch(page)
    page.goto(NI_HAO)
    scripts = page.eval_on_selector_all("script[src]", "els => els.map(e => new URL(e.src).pathname)")
    hashed = assets.manifest(app)  # content-hashed addresses
    assert hashed["vendor/hanzi-writer/hanzi-writer.min.js"] in scripts
    assert hashed["strokes.js"] in scripts

    box = page.locator(".strokes-box")
    expect(box.locator("summary")).to_contain_text("Stroke order")
    expect(box.locator(".stroke-char")).to_have_count(0)  # nothing built, nothing loaded until it is opened
    assert data_requests == []

    open_strokes(page)
    expect(box.locator(".stroke-char")).to_have_count(2)
    ni = box.locator('.stroke-char[data-char="你"]')
    expect(ni).to_have_attribute("data-strokes", "7")
    expect(ni.locator("svg > g > g:nth-of-type(2) > path")).to_have_count(7)

    # Play: the strokes are drawn one after the other (a stroke seen half drawn), then all of them are shown.
    ni.get_by_role("button", name="Play 你").click()
    expect(ni).to_have_attribute("data-state", "playing")
    page.wait_for_function(
        f"tile => ({MAIN_STROKES})(tile).some(s => s.opacity === '1' && s.offset > 50)",
        arg=ni.element_handle(),
    )
    expect(ni).to_have_attribute(
        "data-state", "played", timeout=20_000
    )  # set by animateCharacter's onComplete
    strokes = ni.evaluate(MAIN_STROKES)
    assert len(strokes) == 7 and all(s["opacity"] == "1" and s["offset"] < 1 for s in strokes), strokes
    expect(ni.locator(".stroke-status")).to_have_text("7 strokes")
    screenshot(page, "strokes-wiki-played")

    # The data came from our own origin, one file per character.
    assert {urlsplit(u).hostname for u in data_requests} == {"127.0.0.1"}
    assert {unquote(urlsplit(u).path) for u in data_requests} == {
        f"{DATA_URL}你.json",
        f"{DATA_URL}好.json",
    }

    # Quiz: the learner writes 你 along the stroke medians, in order, with the mouse.
    ni.get_by_role("button", name="Quiz 你").click()
    expect(ni).to_have_attribute("data-state", "quiz")
    expect(ni.locator(".stroke-status")).to_have_text("Write stroke 1 of 7")
    medians = json.loads((DATA / "你.json").read_text(encoding="utf-8"))["medians"]
    for number, median in enumerate(medians, start=1):
        points = ni.evaluate(
            """(tile, median) => {
                 const group = tile.querySelector("svg > g[transform]");
                 const matrix = group.getScreenCTM();
                 const point = group.ownerSVGElement.createSVGPoint();
                 return median.map(([x, y]) => { point.x = x; point.y = y;
                   const p = point.matrixTransform(matrix); return [p.x, p.y]; });
               }""",
            median,
        )
        page.mouse.move(*points[0])
        page.mouse.down()
        for x, y in points[1:]:
            page.mouse.move(x, y, steps=4)
        page.mouse.up()
        if number < 7:
            expect(ni.locator(".stroke-status")).to_have_text(f"Write stroke {number + 1} of 7")
    expect(ni).to_have_attribute("data-state", "quiz-done")
    expect(ni).to_have_attribute("data-mistakes", "0")
    expect(ni.locator(".stroke-status")).to_have_text("Well done! No mistakes.")
    screenshot(page, "strokes-wiki-quiz-done")

    # A wrong stroke counts as a mistake; Reset shows the character again.
    ni.get_by_role("button", name="Quiz 你").click()
    expect(ni).to_have_attribute("data-state", "quiz")
    box_ = ni.locator(".stroke-target").bounding_box()
    page.mouse.move(box_["x"] + box_["width"] * 0.9, box_["y"] + box_["height"] * 0.9)
    page.mouse.down()
    page.mouse.move(box_["x"] + box_["width"] * 0.6, box_["y"] + box_["height"] * 0.15, steps=8)
    page.mouse.up()
    expect(ni).to_have_attribute("data-mistakes", "1")
    expect(ni.locator(".stroke-status")).to_have_text("Write stroke 1 of 7 · 1 mistake")
    ni.get_by_role("button", name="Reset 你").click()
    expect(ni).to_have_attribute("data-state", "ready")

    assert_no_csp_violation(page, console)


def test_reduced_motion_means_no_autoplay_but_play_still_works(page):
    console, _ = watch(page)
    page.emulate_media(reduced_motion="reduce")
    page.goto(NI_HAO)
    box = open_strokes(page)
    ni = box.locator('.stroke-char[data-char="你"]')
    expect(ni).to_have_attribute("data-state", "ready")
    page.wait_for_timeout(300)  # autoplay would have started by now
    expect(ni).to_have_attribute("data-state", "ready")
    ni.get_by_role("button", name="Play 你").click()
    expect(ni).to_have_attribute("data-state", "played", timeout=20_000)
    assert_no_csp_violation(page, console)


def test_letters_are_skipped_with_a_note(page):
    console, data_requests = watch(page)
    page.goto("/wiki/customs-etiquette/aa-zhi")
    box = open_strokes(page)
    expect(box.locator(".stroke-char")).to_have_count(1)
    expect(box.locator('.stroke-char[data-char="制"]')).to_have_attribute(
        "data-state", re.compile("ready|play")
    )
    expect(box.locator(".strokes-note").first).to_have_text(
        "No stroke order for A (not a Chinese character)."
    )
    assert [unquote(urlsplit(u).path).rsplit("/", 1)[1] for u in data_requests] == ["制.json"]
    assert_no_csp_violation(page, console)


def test_an_emoji_entry_has_no_stroke_order_and_loads_no_scripts_for_it(page):
    page.goto("/wiki")
    page.locator("#wiki-q").fill("🙂")
    page.locator(".wiki-hit a").first.click()
    expect(page.locator(".headword").first).to_contain_text("🙂")
    expect(page.locator(".strokes-box")).to_have_count(0)
    assert page.locator('script[src*="hanzi-writer"]').count() == 0


def test_the_back_of_a_study_card_shows_stroke_order_and_the_next_card_builds_its_own(page):
    console, data_requests = watch(page)
    sign_up(page, "lin")
    page.goto("/decks")
    page.locator('[data-deck="mandarin-first-words"] button', has_text="Study this deck").click()
    expect(page.locator(".flash")).to_contain_text("You're studying")
    page.goto("/study")
    card = page.locator("#study-card")
    expect(card.locator("article")).to_have_attribute("data-side", "front")
    expect(page.locator(".strokes-box")).to_be_hidden()  # the back came with the card, hidden
    page.keyboard.press("Space")  # the back is shown in place, with no round trip
    expect(page.locator(".strokes-box")).to_be_visible()
    expect(card.locator(".strokes")).to_have_attribute("data-chars", "你好")  # the deck's first card
    box = open_strokes(page, card)
    expect(box.locator(".stroke-char")).to_have_count(2)
    hao = box.locator('.stroke-char[data-char="好"]')
    hao.get_by_role("button", name="Play 好").click()
    expect(hao).to_have_attribute("data-state", "played", timeout=20_000)
    screenshot(page, "strokes-study-back")

    # Grading still works from the keyboard, and the next card's back builds its own stroke order.
    first = card.locator("article").get_attribute("data-card-id")
    page.keyboard.press("3")
    expect(card.locator("article")).not_to_have_attribute("data-card-id", first)
    page.keyboard.press("Space")
    headword = card.locator(".strokes").get_attribute("data-chars")
    hanzi = list(dict.fromkeys(ch for ch in headword if "\u4e00" <= ch <= "\u9fff"))
    box = open_strokes(page, card)
    expect(box.locator(".stroke-char")).to_have_count(len(hanzi))  # each character once
    for ch in hanzi:
        expect(box.locator(f'.stroke-char[data-char="{ch}"]')).to_have_attribute(
            "data-state", re.compile("ready|play")
        )
    assert {urlsplit(u).hostname for u in data_requests} == {"127.0.0.1"}
    assert_no_csp_violation(page, console)
