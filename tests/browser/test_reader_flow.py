"""The reader in a real browser: paste a comment, open a word (with the mouse and with the keyboard), add it
to My words with an English line, study it and find the sentence on the card's back; the bookmarklet's
text arrives in the box; the pinyin switch starts as the learner's ruby setting; Older texts; phone and
desktop screenshots of a real post."""

import hashlib
import re
from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from learnapp.extensions import db
from learnapp.models import Deck, Entry, MyWord, ReaderText, User
from learnapp.reader.texts import LIST_SIZE
from learnapp.settings.service import DEFAULT_PREFERENCES
from tests.browser.conftest import screenshot, sign_up

COMMENT = "这家店的老板人超好，咖啡也好喝！下次还来[doge]"
POST = (
    "姐妹们！周末去了一家新开的咖啡店☕️，真的绝绝子，拍照超出片📸\n"
    "老板人超好，还送了我们小蛋糕🍰 yyds[doge]\n"
    "人均50左右，排队半小时也值得。已经种草了下次还要来！\n"
    "#探店# #咖啡# @小红薯"
)


def start(page, username: str) -> None:
    sign_up(page, username)
    page.get_by_role("button", name="Skip the whole welcome").click()
    expect(page).not_to_have_url(re.compile(r"/welcome/"))


def paste(page, text: str) -> None:
    page.goto("/read")
    page.fill("#text", text)
    page.get_by_role("button", name="Read it").click()
    expect(page).to_have_url(re.compile(r"/read/\d+$"))
    # A word tapped before app.js runs opens its own page (the plain way); the tests want the popover.
    page.wait_for_load_state("load")


def test_paste_open_a_word_add_it_study_it_and_see_the_sentence(page):
    start(page, "mei")
    paste(page, COMMENT)
    boss = page.locator('#reader-text a.w[data-key="老板"]')
    expect(boss).to_have_class(re.compile(r"\bw-new\b"))
    boss.click()
    card = page.locator("#word-card")
    expect(card).to_have_class(re.compile(r"\bopen\b"))
    expect(card.locator(".word-popover")).to_have_attribute("data-word", "老板")
    expect(card.locator(".glosses")).to_contain_text("boss")
    expect(card.locator(".word-sentence mark")).to_have_text("老板")
    expect(page.locator("#word-title")).to_be_focused()
    card.get_by_label("The sentence in English (optional)").fill("The owner is super nice.")
    card.get_by_role("button", name="Add to my words").click()
    expect(card.locator(".flash-success")).to_contain_text("Added to My words")
    expect(boss).to_have_class(re.compile(r"\bw-learning\b"))  # recoloured without a reload
    expect(page.locator('[data-count="learning"]')).to_have_text("1 learning")
    page.keyboard.press("Escape")
    expect(card).not_to_have_class(re.compile(r"\bopen\b"))
    expect(boss).to_be_focused()  # the focus comes back to the word
    # 老板 is an HSK word: kept as that entry (no copy), with the sentence she met it in.
    kept, entry = db.session.execute(select(MyWord, Entry).join(Entry, Entry.id == MyWord.entry_id)).one()
    assert (entry.headword, kept.sentence_zh, kept.sentence_en) == (
        "老板",
        "这家店的老板人超好，咖啡也好喝！",
        "The owner is super nice.",
    )
    assert db.session.get(Deck, entry.deck_id).category == "hsk"

    # Study it: the word on the front, the sentence (pinyin and English) on the back.
    page.goto("/study")
    expect(page.locator(".headword")).to_have_text("老板")
    page.keyboard.press("Space")
    back = page.locator(".card-back")
    expect(back.locator(".example-zh")).to_contain_text("这家店的老板人超好")
    expect(back.locator(".example-pinyin")).to_contain_text("zhè jiā diàn de lǎo bǎn")
    expect(back.locator(".example-en")).to_have_text("The owner is super nice.")
    screenshot(page, "reader-my-word-back")


def test_words_open_from_the_keyboard_and_the_reader_works_on_a_phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    errors: list[str] = []
    # The refused paste below is answered 422 on purpose; the browser logs that status, nothing else may.
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and "status of 422" not in message.text
            else None
        ),
    )
    try:
        start(page, "lily")
        page.goto("/read")
        page.get_by_role("button", name="Read it").click()
        expect(page.locator("#text-error")).to_contain_text("Paste a post")
        screenshot(page, "reader-phone-paste-error")
        paste(page, POST)
        expect(page.locator('#reader-text a.w[data-key="绝绝子"]')).to_have_class(re.compile(r"\bw-ours\b"))
        screenshot(page, "reader-phone")
        page.locator('#reader-text a.w[data-key="种草"]').tap()
        card = page.locator("#word-card.open")
        expect(card.locator(".meaning")).to_contain_text("recommending")
        expect(card.get_by_role("link", name="Its wiki page")).to_be_visible()
        screenshot(page, "reader-phone-word")
        page.get_by_role("button", name="Close the word card").tap()
        expect(page.locator("#word-card")).not_to_have_class(re.compile(r"\bopen\b"))
        # The keyboard: Tab reaches the words, Enter opens one.
        page.locator('#reader-text a.w[data-key="老板"]').focus()
        page.keyboard.press("Enter")
        expect(page.locator("#word-card.open .word-popover")).to_have_attribute("data-word", "老板")
        page.keyboard.press("Escape")
        # A new learner's "Pinyin above the characters" is off: the switch starts off, and turns the pinyin
        # on and off again without JavaScript's help (a checkbox and CSS).
        assert DEFAULT_PREFERENCES["ruby"] is False
        switch = page.get_by_role("checkbox", name="Pinyin over the words")
        ruby = page.locator("#reader-text rt").first
        expect(switch).not_to_be_checked()
        expect(ruby).to_be_hidden()
        switch.check()
        expect(ruby).to_be_visible()
        switch.uncheck()
        expect(ruby).to_be_hidden()
    finally:
        context.close()
    assert errors == []


def test_the_bookmarklets_text_lands_in_the_box(page):
    start(page, "wang")
    page.goto(
        "/read/share#text=%E4%BD%A0%E5%A5%BD%EF%BC%8C%E4%B8%96%E7%95%8C&title=Hi&url=https%3A%2F%2Fexample.org%2Fp"
    )
    expect(page.locator("#text")).to_have_value("你好，世界")
    expect(page.locator("#title")).to_have_value("Hi")
    expect(page.locator("#source_url")).to_have_value("https://example.org/p")
    assert "#" not in page.url  # the fragment is cleared


def test_desktop_screenshot_of_a_real_post(page):
    """A learner with ruby on in Settings reads with the pinyin over the words from the start."""
    page.set_viewport_size({"width": 1280, "height": 900})
    start(page, "ada")
    page.goto("/settings")
    page.get_by_label("Pinyin above the characters").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("body")).to_have_class(re.compile(r"\bruby-on\b"))
    paste(page, POST)
    expect(page.get_by_role("checkbox", name="Pinyin over the words")).to_be_checked()
    expect(page.locator("#reader-text rt").first).to_be_visible()
    page.locator('#reader-text a.w[data-key="yyds"]').click()
    expect(page.locator("#word-card.open .meaning")).to_be_visible()
    screenshot(page, "reader-desktop")
    page.emulate_media(color_scheme="dark")
    screenshot(page, "reader-desktop-dark")


def test_older_texts_come_into_the_list_with_htmx(page):
    start(page, "zoe")
    user = db.session.scalar(select(User).where(User.username == "zoe"))
    db.session.add_all(
        ReaderText(
            user_id=user.id,
            title=f"帖子 {number:02d}",
            body=f"第{number}个帖子",
            digest=hashlib.sha256(str(number).encode()).hexdigest(),
            created_at=datetime(2026, 3, 1, tzinfo=UTC),
            opened_at=datetime(2026, 3, 1, tzinfo=UTC) + timedelta(minutes=number),
        )
        for number in range(LIST_SIZE + 1)
    )
    db.session.commit()
    page.goto("/read/texts")
    expect(page.locator(".saved-texts li")).to_have_count(LIST_SIZE)
    page.get_by_role("link", name="Older texts").click()
    expect(page).to_have_url(re.compile(r"/read/texts\?page=2$"))
    expect(page.locator(".saved-texts li")).to_have_count(1)
    expect(page.locator(".saved-texts li a").first).to_have_text("帖子 00")
    expect(page.locator("#text-list-place")).to_be_focused()  # keyboard users carry on from the new list
    expect(page.locator("h1")).to_have_text("Your texts")  # swapped into the page, not a page of its own
    page.get_by_role("link", name="Newer texts").click()
    expect(page).to_have_url(re.compile(r"/read/texts$"))
    expect(page.locator(".saved-texts li")).to_have_count(LIST_SIZE)
