"""A study session in a real browser, as a newcomer has it: the answer is shown without asking the server,
the first-card message goes with the first answer, the progress bar keeps its total, grows it by one for a
missed card and says so (an undo takes it back), study time is counted, tone drills work from the keyboard
(p plays the word), and the end of the session sums up the day and offers more."""

import re

from playwright.sync_api import expect
from sqlalchemy import select

from learnapp.extensions import db
from learnapp.models import ReviewLog, User
from tests.browser.conftest import screenshot, sign_up
from tests.browser.test_typed_pinyin import FIRST_BACK_MS, PHONE, bring_to_front

# A stand-in for the browser's speech engine with one Chinese voice (headless Chromium has none): it records
# what the page asks it to say instead of saying it.
SPEECH_RECORDER = """
(() => {
  const voice = {name: "Test Chinese", lang: "zh-CN", voiceURI: "test-zh-CN", localService: true, default: true};
  window.__spoken = [];
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
  const engine = window.speechSynthesis;
  if (!engine) return;
  engine.getVoices = () => [voice];
  engine.cancel = () => {};
  engine.speak = (utterance) => {
    window.__spoken.push({text: utterance.text, lang: utterance.lang, rate: utterance.rate});
  };
})();
"""

# The study loop's own requests; the offline pack and page (static/offline.js) load in the background.
STUDY_PAGE_REQUESTS = re.compile(r"/study(\?|/(?!pack\.json|offline$)|$)")


def welcome_to_first_card(page, username: str) -> None:
    """Sign up, skip the nickname, pick Mandarin at the lightest goal: the first card, with its message."""
    sign_up(page, username)
    page.get_by_role("button", name="Skip the name for now").click()
    expect(page).to_have_url(re.compile(r"/welcome/goals$"))
    for box in page.locator('input[name="topics"]').all():
        if box.get_attribute("value") != "mandarin":
            box.uncheck()
    page.locator('input[name="goal"][value="light"]').check()
    page.get_by_role("button", name="Start my first session").click()
    expect(page).to_have_url(re.compile(r"/study$"))
    page.wait_for_load_state("load")  # its scripts run before the first key (a person is not that fast)


def test_the_answer_needs_no_request_and_the_first_card_message_goes_with_the_first_answer(page):
    welcome_to_first_card(page, "mei")
    expect(page.locator("#flashes .flash")).to_contain_text("Here is your first card")
    expect(page.locator("#card-answer")).to_be_hidden()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(f"{request.method} {request.url}"))
    page.keyboard.press("Space")
    expect(page.locator("#card-answer")).to_be_visible(timeout=FIRST_BACK_MS)
    expect(page.locator(".grade-3")).to_be_focused()
    assert [r for r in requests if STUDY_PAGE_REQUESTS.search(r)] == []  # shown from the page itself
    screenshot(page, "study-answer-shown")
    page.keyboard.press("3")
    expect(page.locator("#study-counts [data-count='done']")).to_have_text("1")
    study_requests = [r for r in requests if STUDY_PAGE_REQUESTS.search(r)]
    assert (
        len(study_requests) == 1
        and study_requests[0].startswith("POST ")
        and "/study/answer" in study_requests[0]
    )
    expect(page.locator("#flashes .flash")).to_have_count(0)
    expect(page.locator("#card-answer")).to_be_hidden()  # the next card, front first


def test_progress_keeps_its_total_and_says_when_a_card_comes_back_and_time_is_counted(page):
    welcome_to_first_card(page, "lei")
    total = page.locator("progress.session-progress").get_attribute("max")
    assert total == "5"  # the lightest goal: five new cards
    page.keyboard.press("Space")
    expect(page.locator("#card-answer")).to_be_visible(timeout=FIRST_BACK_MS)
    page.keyboard.press("4")  # Easy: straight to review, nothing comes back
    expect(page.locator("#study-counts [data-count='done']")).to_have_text("1")
    assert page.locator("progress.session-progress").get_attribute("max") == "5"
    expect(page.locator(".came-back")).to_have_count(0)
    page.keyboard.press("Space")
    expect(page.locator("#card-answer")).to_be_visible()
    page.keyboard.press("1")  # Again: the card comes back in a minute
    expect(page.locator("#study-counts [data-count='done']")).to_have_text("2")
    assert page.locator("progress.session-progress").get_attribute("max") == "6"
    expect(page.locator(".came-back")).to_have_text("· +1: a card you missed comes back")
    durations = db.session.scalars(select(ReviewLog.duration_ms).order_by(ReviewLog.id)).all()
    assert len(durations) == 2 and all(duration is not None and duration > 0 for duration in durations)
    page.keyboard.press("u")  # undo the Again: the card is unanswered again, and the total goes back
    expect(page.locator("#study-counts [data-count='done']")).to_have_text("1")
    assert page.locator("progress.session-progress").get_attribute("max") == "5"
    expect(page.locator(".came-back")).to_have_count(0)


def test_a_tone_drill_from_the_keyboard_on_a_phone(page):
    page.set_viewport_size(PHONE)
    page.add_init_script(SPEECH_RECORDER)
    sign_up(page, "ming")
    page.get_by_role("button", name="Skip the whole welcome").click()
    page.goto("/decks/mandarin-first-words")
    page.get_by_role("button", name=re.compile("Study this deck")).click()
    expect(page.locator(".flash")).to_contain_text("You're studying")
    card = bring_to_front("ming", "ni-hao", "tones")
    page.goto("/study")
    expect(page.locator("#study-card article")).to_have_attribute("data-card-id", card)
    expect(page.locator(".answer-tones fieldset.tone-choice").first).to_have_class(re.compile("current"))
    expect(page.locator(".answer-tones .answer-input")).to_be_focused()
    page.keyboard.press("p")  # plays the word (within the key's own handler), and picks no tone
    assert page.evaluate("window.__spoken") == [{"text": "你好", "lang": "zh-CN", "rate": 0.9}]
    expect(page.locator("#study-card .speak-note")).to_be_hidden()
    expect(page.locator(".answer-tones fieldset.tone-choice").first).to_have_class(re.compile("current"))
    expect(page.locator(".answer-tones input:checked")).to_have_count(0)
    page.keyboard.press("3")
    expect(page.locator(".answer-tones fieldset.tone-choice").nth(1)).to_have_class(re.compile("current"))
    page.keyboard.press("3")
    assert page.locator('input[name="tone1"][value="3"]').is_checked()
    assert page.locator('input[name="tone2"][value="3"]').is_checked()
    page.keyboard.press("Enter")
    expect(page.locator(".feedback")).to_contain_text("Right", timeout=FIRST_BACK_MS)
    expect(page.locator(".grade.proposed")).to_be_focused()
    screenshot(page, "tone-drill-keyboard-phone")
    page.keyboard.press("3")
    expect(page.locator("#study-counts [data-count='done']")).to_have_text("1")
    user_id = db.session.scalar(select(User.id).where(User.username == "ming"))
    assert db.session.scalar(select(ReviewLog.card_id).where(ReviewLog.user_id == user_id)) == int(card)


def test_the_end_of_a_session_sums_up_and_offers_more_new_cards(page):
    welcome_to_first_card(page, "fang")
    for done in range(1, 6):
        page.keyboard.press("Space")
        expect(page.locator("#card-answer")).to_be_visible(timeout=FIRST_BACK_MS)
        page.keyboard.press("4")
        expect(page.locator("#study-counts [data-count='done']")).to_have_text(str(done))
    summary = page.locator(".session-summary")
    expect(summary).to_contain_text("Cards")
    expect(summary.locator("div", has_text="Cards").locator("dd")).to_have_text("5")
    expect(summary.locator("div", has_text="Streak").locator("dd")).to_have_text("1 day")
    screenshot(page, "study-session-end")
    page.get_by_role("link", name=re.compile(r"Learn 10 more new cards")).click()
    expect(page).to_have_url(re.compile(r"/study\?session=more(%3A|:)10$"))
    expect(page.locator(".session-banner")).to_contain_text("10 more new cards today")
    expect(page.locator("#study-counts [data-count='new']")).to_have_text("10")
