"""The reader over HTTP: paste and read, the word cards (htmx fragment and plain page), Add to my words (our
entries linked, other words in the learner's My words deck), the colours from the learner's card states,
saved texts (list, search, delete), My words, the share target and the manifest, class readings, and every
kind of bad input answered beside the box with nothing saved. Each route with and without HX-Request."""

from __future__ import annotations

import hashlib
import html as htmllib
import json
import re
from datetime import timedelta
from io import BytesIO
from pathlib import Path
from urllib.parse import urlencode

import pytest
from PIL import Image
from sqlalchemy import func, select, update

from learnapp.classes import service as classes
from learnapp.classes.service import ClassFields
from learnapp.content.deckfile import parse_deck_text
from learnapp.decks.loader import load_deck, load_directory
from learnapp.extensions import db
from learnapp.models import (
    Card,
    CardState,
    ClassReading,
    Deck,
    Enrollment,
    Entry,
    MyWord,
    ReaderText,
    ReadingOpen,
    User,
)
from learnapp.reader.texts import LIST_SIZE, MAX_TITLE, MAX_URL
from learnapp.settings.service import DEFAULT_PREFERENCES
from tests.factories import T0
from tests.http.test_teach_support import client_for, htmx, make_account

ROOT = Path(__file__).resolve().parents[2]
CURATED_FILES = ("rednote-starter.toml", "internet-slang.toml", "sticker-codes.toml", "emoji-decoded.toml")
POST = "姐妹们！今天去了一家咖啡店，真的绝绝子，yyds[doge]\n老板人超好，推荐大家去种草～ #探店# 😂"


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


@pytest.fixture
def curated(app):
    """Three of the real curated decks (slang, stickers, platform words), loaded by the real loader."""
    report = load_directory(ROOT / "decks", T0, paths=[ROOT / "decks" / name for name in CURATED_FILES])
    assert not report.failed
    return report


@pytest.fixture
def mei(app, curated):
    return make_account("mei")


@pytest.fixture
def client(app, mei):
    return client_for(app, mei)


def token_of(client, path: str = "/read") -> str:
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def read(client, text: str = POST, **fields):
    return client.post("/read", data={"text": text, "csrf_token": token_of(client), **fields})


def saved(client, text: str = POST) -> int:
    response = read(client, text)
    assert response.status_code == 303, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def word_link(page: str, key: str) -> tuple[int, int]:
    """(at, n) of the first word of the page whose headword is `key`."""
    match = re.search(rf'href="/read/\d+/word\?at=(\d+)&amp;n=(\d+)" data-key="{re.escape(key)}"', page)
    assert match, f"{key} is not a word on the page"
    return int(match.group(1)), int(match.group(2))


def word_class(page: str, key: str) -> str:
    match = re.search(rf'<a class="([^"]+)" id="w\d+" href="[^"]+" data-key="{re.escape(key)}"', page)
    assert match, f"{key} is not a word on the page"
    return match.group(1)


def add(client, text_id: int, at: int, n: int, english: str = "", headers=None):
    page = client.get(f"/read/{text_id}/word?at={at}&n={n}").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return client.post(
        f"/read/{text_id}/words",
        data={"at": at, "n": n, "english": english, "csrf_token": csrf},
        headers=headers or {},
    )


# ---- paste and read ---------------------------------------------------------------------------------------


def test_the_reader_needs_a_login_and_htmx_is_told_where_to_go(app, curated):
    visitor = app.test_client()
    page = visitor.get("/read")
    assert page.status_code == 302 and page.headers["Location"].startswith("/login?next=/read")
    fragment = visitor.get("/read/texts", headers=htmx())
    assert fragment.status_code == 401 and fragment.headers["HX-Redirect"].startswith("/login")


def test_the_paste_page_has_the_box_the_share_help_and_the_bookmarklet(client):
    response = client.get("/read")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<textarea" in page and 'name="text"' in page
    assert "Share</strong>, then <strong>Huanying</strong>" in page
    bookmarklet = htmllib.unescape(
        re.search(r'class="button small bookmarklet" href="([^"]+)"', page).group(1)
    )
    assert bookmarklet.startswith("javascript:") and "/read/share#text='+encodeURIComponent(s)" in bookmarklet
    assert '<a href="/read">Read</a>' in page  # in the main navigation


def test_reading_a_post_keeps_it_and_shows_every_word_with_its_pinyin(client, mei):
    response = read(client)
    text = db.session.scalar(select(ReaderText))
    assert response.status_code == 303 and response.headers["Location"] == f"/read/{text.id}"
    assert (text.user_id, text.body, text.title) == (
        mei.id,
        POST,
        "姐妹们！今天去了一家咖啡店，真的绝绝子，yyds[doge]",
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    # Our entries are one word each, with our mark; CC-CEDICT's words and characters are words too.
    for key in ("种草", "绝绝子", "yyds", "[doge]", "咖啡店", "老板"):
        word_link(page, key)
    assert "w-ours" in word_class(page, "种草") and "w-ours" not in word_class(page, "咖啡店")
    # Pinyin over each character, as said (一家 yì jiā), tone classes on the pinyin only.
    assert '<ruby>种<rp>(</rp><rt class="tone4">zhòng</rt><rp>)</rp></ruby>' in page
    assert '<rt class="tone4">yì</rt>' in page
    # The hashtag's word is a word; the emoji and punctuation are text.
    word_link(page, "探店") if "探店" in page else None
    assert "😂" in page and "#探店#" not in page.split('id="reader-text"')[0]
    # Nothing known yet: every word is new to her, and the counts say so.
    assert "w-new" in word_class(page, "老板")
    counts = re.search(r"<strong>(\d+)</strong> different words", page)
    assert counts and f'data-count="new">{counts.group(1)} new to you' in page
    assert 'data-count="known">0 known' in page


def test_the_pinyin_switch_starts_as_the_learners_ruby_setting(client, mei):
    """Pinyin over the words follows "Pinyin above the characters" (off for a new learner, as everywhere
    else); the switch then turns it on or off for the page, with CSS alone."""
    text_id = saved(client)

    def switch() -> str:
        page = client.get(f"/read/{text_id}").get_data(as_text=True)
        found = re.search(r'<input type="checkbox" id="reader-pinyin"[^>]*>', page)
        assert found and "<rt" in page  # the pinyin is in the page either way, for the switch to show it
        return found.group(0)

    assert DEFAULT_PREFERENCES["ruby"] is False and " checked" not in switch()
    db.session.execute(update(User).where(User.id == mei.id).values(preferences={"ruby": True}))
    db.session.commit()
    assert " checked" in switch() and 'aria-describedby="reader-pinyin-hint"' in switch()


def test_every_page_answers_htmx_and_plain_requests_alike(client):
    text_id = saved(client)
    at, n = word_link(client.get(f"/read/{text_id}").get_data(as_text=True), "老板")
    for path in ("/read", "/read/share?text=你好", f"/read/{text_id}", "/read/texts", "/read/words"):
        for headers in ({}, htmx()):
            response = client.get(path, headers=headers)
            assert response.status_code == 200, (path, headers)
            assert "HX-Request" in response.headers["Vary"]
    # Only the word card and the list of texts have fragments; the rest are whole pages either way.
    assert "<html" not in client.get(f"/read/{text_id}/word?at={at}&n={n}", headers=htmx()).get_data(
        as_text=True
    )
    assert "<html" in client.get("/read", headers=htmx()).get_data(as_text=True)
    response = client.post("/read", data={"text": "新的帖子", "csrf_token": token_of(client)}, headers=htmx())
    new_id = db.session.scalar(select(ReaderText.id).where(ReaderText.body == "新的帖子"))
    assert response.status_code == 204 and response.headers["HX-Redirect"] == f"/read/{new_id}"
    refused = client.post("/read", data={"text": "", "csrf_token": token_of(client)}, headers=htmx())
    assert refused.status_code == 422 and 'id="text-error"' in refused.get_data(as_text=True)


def test_an_admin_cannot_read_a_learners_texts(app, client):
    text_id = saved(client)
    admin = client_for(app, make_account("ada", "admin"))
    assert admin.get(f"/read/{text_id}").status_code == 404


def test_pasting_the_same_text_again_reopens_it(client):
    first, second = saved(client), saved(client)
    assert first == second and _count(ReaderText) == 1
    response = read(client, POST, title="Coffee shop", source_url="https://www.xiaohongshu.com/explore/1")
    text = db.session.get(ReaderText, first)
    assert response.headers["Location"] == f"/read/{first}"
    assert (text.title, text.source_url) == ("Coffee shop", "https://www.xiaohongshu.com/explore/1")
    page = client.get(f"/read/{first}").get_data(as_text=True)
    assert 'href="https://www.xiaohongshu.com/explore/1" rel="noopener noreferrer nofollow"' in page


@pytest.mark.parametrize(
    ("text", "fields", "field", "message"),
    [
        ("", {}, "text", "Paste a post, a comment or a caption in Chinese"),
        ("   \n  ", {}, "text", "Paste a post, a comment or a caption in Chinese"),
        ("好" * 5_001, {}, "text", "That&#39;s 5,001 characters: the reader takes up to 5,000"),
        ("好" * 50_000, {}, "text", "That&#39;s 50,000 characters"),
        ("Hello, how are you today? 12345 :)", {}, "text", "There&#39;s no Chinese in this text"),
        ("<script>alert(1)</script>你好", {}, "text", "web page code (HTML tags)"),
        ('<img src=x onerror="alert(1)">好看', {}, "text", "web page code (HTML tags)"),
        ("老板说\x00你好", {}, "text", "The text has a NUL byte (U+0000) in it, an invisible character"),
        (
            "\x1b[31m咖啡店\x1b[0m",
            {},
            "text",
            "(U+001B) in it, an invisible character the reader cannot show",
        ),
        ("好看\u202e你好", {}, "text", "a right-to-left override (U+202E) in it"),
        ("\u2067咖啡\u2069店", {}, "text", "a right-to-left isolate (U+2067) in it"),
        ("好\x85看", {}, "text", "(U+0085) in it, an invisible character"),
        (POST, {"title": "标" * 121}, "title", "Keep the title to 120 characters."),
        (POST, {"source_url": "javascript:alert(1)"}, "source_url", "starting with https://"),
        (POST, {"source_url": "not a link"}, "source_url", "starting with https://"),
    ],
)
def test_bad_input_gets_a_message_beside_its_field_and_nothing_is_saved(client, text, fields, field, message):
    response = read(client, text, **fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(rf'<p class="error" id="{field}-error">[^<]*{re.escape(message)}', page), page[:3000]
    assert 'aria-invalid="true"' in page
    assert _count(ReaderText) == 0


def test_control_characters_in_the_box_get_a_message_beside_it_with_htmx_too(client):
    # The request-level check (learnapp/inputs.py) leaves the reader's box to the reader's own message;
    # the same character anywhere else (the title here) is still refused before the view, with a 400.
    for headers in ({}, htmx()):
        response = client.post(
            "/read", data={"text": "老板说\x00你好", "csrf_token": token_of(client)}, headers=headers
        )
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert 'id="text-error">The text has a NUL byte (U+0000) in it' in page
        assert "老板说" in page and "\x00" not in page  # what was pasted stays in the box, without it
    titled = read(client, POST, title="咖啡\x00")
    assert titled.status_code == 400 and "contains a NUL byte (U+0000)" in titled.get_data(as_text=True)
    assert _count(ReaderText) == 0


def test_invisible_direction_marks_are_dropped_from_a_saved_text(client):
    text_id = saved(client, "\u200f老板说\u200e咖啡店的咖啡很好喝\u061c")
    assert db.session.get(ReaderText, text_id).body == "老板说咖啡店的咖啡很好喝"


def test_a_personal_name_is_shown_as_one_name_without_a_made_up_meaning(client):
    text_id = saved(client, "王小明说这家咖啡店yyds")
    page = client.get(f"/read/{text_id}").get_data(as_text=True)
    name = re.search(r'<span class="w-name" title="A name \(no meaning to look up\)">(.*?)</span>', page)
    assert name is not None and re.sub(r"<rt.*?</rt>|<rp>.*?</rp>|<[^>]+>", "", name.group(1)) == "王小明"
    assert 'data-key="王"' not in page and 'data-key="小"' not in page and 'data-key="明"' not in page
    assert 'data-key="咖啡店"' in page  # the words around it are words as before
    # No link, so no card: nothing to add to My words and no "king"/"small"/"bright" for it.
    assert client.get(f"/read/{text_id}/word?at=0&n=3").status_code == 404


def test_text_that_looks_like_markup_but_is_not_is_read_and_shown_escaped(client):
    text_id = saved(client, "我爱你 <3 & 你 > 我")
    page = client.get(f"/read/{text_id}").get_data(as_text=True)
    assert "&lt;3 &amp; " in page and "<3" not in page


def test_a_post_without_a_token_is_refused(client):
    response = client.post("/read", data={"text": POST})
    assert response.status_code == 400 and _count(ReaderText) == 0


def test_another_learners_text_is_a_404_everywhere(app, client, mei):
    text_id = saved(client)
    other = client_for(app, make_account("li"))
    csrf = token_of(other)
    assert other.get(f"/read/{text_id}").status_code == 404
    assert other.get(f"/read/{text_id}/word?at=0&n=3").status_code == 404
    assert other.get(f"/read/{text_id}/word?at=0&n=3", headers=htmx()).status_code == 404
    data = {"at": 0, "n": 3, "csrf_token": csrf}
    assert other.post(f"/read/{text_id}/words", data=data).status_code == 404
    assert other.post(f"/read/{text_id}/delete", data={"csrf_token": csrf}).status_code == 404
    assert other.post(f"/read/{text_id}/publish", data={"csrf_token": csrf, "class_id": 1}).status_code == 404
    assert other.get("/read/999999").status_code == 404
    assert _count(ReaderText) == 1 and _count(MyWord) == 0


# ---- the word card ----------------------------------------------------------------------------------------


def test_a_word_card_is_a_fragment_for_htmx_and_a_page_without(client):
    text_id = saved(client)
    page = client.get(f"/read/{text_id}").get_data(as_text=True)
    at, n = word_link(page, "种草")
    fragment = client.get(f"/read/{text_id}/word?at={at}&n={n}", headers=htmx())
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "HX-Request" in fragment.headers["Vary"]
    assert "<html" not in body and 'class="word-popover" data-word="种草"' in body
    assert "recommending it" in body  # our meaning
    assert "Usage</dt>" in body and 'href="/wiki/rednote-starter/zhongcao"' in body
    assert '<span class="tone4">zhòng</span> <span class="tone3">cǎo</span>' in body
    assert 'data-speak="种草"' in body
    assert "推荐大家去<mark>种草</mark>～" in body  # the sentence it is in
    assert "Add to my words" in body and f'hx-post="/read/{text_id}/words"' in body
    full = client.get(f"/read/{text_id}/word?at={at}&n={n}")
    html = full.get_data(as_text=True)
    assert full.status_code == 200 and "<html" in html and "Back to" in html
    assert f'href="/read/{text_id}#w{at}"' in html and "recommending it" in html


def test_a_word_we_have_no_entry_for_shows_cc_cedict_glosses(client):
    text_id = saved(client)
    at, n = word_link(client.get(f"/read/{text_id}").get_data(as_text=True), "咖啡店")
    body = client.get(f"/read/{text_id}/word?at={at}&n={n}", headers=htmx()).get_data(as_text=True)
    assert "Dictionary meanings" in body and "<li>café</li>" in body
    assert "From CC-CEDICT (CC BY-SA 4.0)" in body and "wiki" not in body.lower()


def test_a_word_of_an_hsk_deck_links_to_its_page_there_and_is_kept_as_that_entry(client, mei):
    hsk = '[deck]\nslug = "hsk-test"\ntitle = "HSK test"\ncategory = "hsk"\n\n[[entries]]\nid = "laoban"\n'
    load_deck(parse_deck_text(hsk + 'headword = "老板"\nmeaning = "boss"\n', "hsk-test.toml"), T0)
    db.session.commit()
    text_id = saved(client)
    at, n = word_link(client.get(f"/read/{text_id}").get_data(as_text=True), "老板")
    body = client.get(f"/read/{text_id}/word?at={at}&n={n}", headers=htmx()).get_data(as_text=True)
    assert 'In our decks: <a href="/wiki/hsk-test/laoban">HSK test</a>.' in body
    add(client, text_id, at, n)
    # Linked to the HSK entry (her cards of it), not copied into a deck of her own; the sentence she met
    # it in is kept with it and shown in My words.
    kept = db.session.scalar(select(MyWord).where(MyWord.user_id == mei.id))
    entry = db.session.get(Entry, kept.entry_id)
    assert entry.key == "laoban" and db.session.get(Deck, entry.deck_id).slug == "hsk-test"
    assert kept.sentence_zh.startswith("老板人超好")
    assert _count(Entry, Entry.headword == "老板") == 1
    assert _count(Deck, Deck.source_file == "reader:my-words") == 0
    words = client.get("/read/words").get_data(as_text=True)
    assert "老板人超好" in words
    body = client.get(f"/read/{text_id}/word?at={at}&n={n}", headers=htmx()).get_data(as_text=True)
    assert 'In <a href="/read/words">My words</a>.' in body  # kept: said, not offered again


def test_dictionary_senses_are_cleaned_as_the_hsk_decks_clean_them(client):
    text_id = saved(client, "这只鸡很好吃")
    at, n = word_link(client.get(f"/read/{text_id}").get_data(as_text=True), "鸡")
    body = client.get(f"/read/{text_id}/word?at={at}&n={n}", headers=htmx()).get_data(as_text=True)
    assert "<li>chicken</li>" in body and "prostitute" not in body


@pytest.mark.parametrize(
    "query", ["", "?at=0", "?at=0&n=0", "?at=0&n=99", "?at=999999&n=1", "?at=x&n=1", "?at=-1&n=2"]
)
def test_a_word_card_for_no_word_is_a_404(client, query):
    text_id = saved(client)
    assert client.get(f"/read/{text_id}/word{query}").status_code == 404
    assert client.get(f"/read/{text_id}/word{query}", headers=htmx()).status_code == 404


def test_punctuation_is_not_a_word(client):
    text_id = saved(client)
    assert client.get(f"/read/{text_id}/word?at=3&n=1").status_code == 404  # ！


# ---- Add to my words -----------------------------------------------------------------------------------


def test_add_a_word_with_htmx_makes_my_words_with_the_sentence_as_the_example(client, mei):
    text_id = saved(client)
    at, n = word_link(client.get(f"/read/{text_id}").get_data(as_text=True), "老板")
    response = add(client, text_id, at, n, english="The owner is super nice.", headers=htmx())
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and 'Added to <a href="/read/words">My words</a>' in body
    assert json.loads(response.headers["HX-Trigger"]) == {"reader-word-added": {"key": "老板"}}
    deck = db.session.scalar(select(Deck).where(Deck.author_id == mei.id))
    assert (deck.title, deck.visibility, deck.card_kinds) == ("My words", "private", ["recognize"])
    assert db.session.get(Enrollment, (mei.id, deck.id)).active
    entry = db.session.scalar(select(Entry).where(Entry.deck_id == deck.id))
    assert (entry.headword, entry.pinyin) == ("老板", "lǎo bǎn")
    assert "boss" in entry.meaning
    # The sentence runs to the line's end (～ does not end a sentence), hashtag and emoji included.
    assert entry.example_zh == "老板人超好，推荐大家去种草～ #探店# 😂"
    assert entry.example_pinyin == "lǎo bǎn rén chāo hǎo, tuī jiàn dà jiā qù zhòng cǎo~ #tàn diàn# 😂"
    assert entry.example_en == "The owner is super nice."
    states = db.session.execute(
        select(CardState.state, CardState.active).where(CardState.user_id == mei.id)
    ).all()
    assert states == [("new", True)]  # one recognize card, in her queue
    word = db.session.get(MyWord, (mei.id, entry.id))
    assert (word.sentence_zh, word.text_id) == (entry.example_zh, text_id)
    # The page now colours it as learning.
    assert "w-learning" in word_class(client.get(f"/read/{text_id}").get_data(as_text=True), "老板")


def test_adding_twice_does_nothing_the_second_time(client, mei):
    text_id = saved(client)
    at, n = word_link(client.get(f"/read/{text_id}").get_data(as_text=True), "老板")
    first = add(client, text_id, at, n)
    assert first.status_code == 303 and first.headers["Location"] == f"/read/{text_id}/word?at={at}&n={n}"
    again = client.post(
        f"/read/{text_id}/words", data={"at": at, "n": n, "csrf_token": token_of(client)}, headers=htmx()
    )
    assert again.status_code == 200 and "It was in My words already." in again.get_data(as_text=True)
    assert "HX-Trigger" not in again.headers
    assert _count(MyWord) == 1 and _count(Entry, Entry.headword == "老板") == 1
    assert _count(CardState, CardState.user_id == mei.id) == 1
    page = client.get(f"/read/{text_id}/word?at={at}&n={n}").get_data(as_text=True)
    assert 'In <a href="/read/words">My words</a>' in page and "Add to my words</button>" not in page


def test_adding_one_of_our_entries_gives_its_cards_without_a_copy_or_the_whole_deck(app, client, mei):
    text_id = saved(client)
    at, n = word_link(client.get(f"/read/{text_id}").get_data(as_text=True), "种草")
    response = add(client, text_id, at, n)
    assert response.status_code == 303
    entry = db.session.scalar(select(Entry).where(Entry.key == "zhongcao"))
    deck = db.session.get(Deck, entry.deck_id)
    assert db.session.get(MyWord, (mei.id, entry.id)) is not None
    assert _count(Entry, Entry.headword == "种草") == 1  # no copy
    assert _count(Deck, Deck.author_id == mei.id) == 0  # no My words deck needed
    assert db.session.get(Enrollment, (mei.id, deck.id)) is None  # not the whole deck
    cards = set(db.session.scalars(select(Card.id).where(Card.entry_id == entry.id, ~Card.retired)))
    states = dict(
        db.session.execute(
            select(CardState.card_id, CardState.active).where(CardState.user_id == mei.id)
        ).all()
    )
    assert set(states) == cards and all(states.values()) and len(cards) >= 2
    # Reloading the deck (a deck-wide sync of its learners' cards) keeps them in her queue.
    load_directory(ROOT / "decks", T0, paths=[ROOT / "decks" / "rednote-starter.toml"])
    db.session.expire_all()
    assert all(db.session.scalars(select(CardState.active).where(CardState.user_id == mei.id)))
    # Removing it takes them out of her queue (history kept).
    remove = client.post(f"/read/words/{entry.id}/remove", data={"csrf_token": token_of(client)})
    assert remove.status_code == 303 and remove.headers["Location"] == "/read/words"
    db.session.expire_all()
    assert not any(db.session.scalars(select(CardState.active).where(CardState.user_id == mei.id)))
    assert _count(CardState, CardState.user_id == mei.id) == len(cards)
    assert not db.session.get(Entry, entry.id).retired  # still ours, for everyone else


def test_english_that_is_too_long_is_refused_beside_its_field(client):
    text_id = saved(client)
    at, n = word_link(client.get(f"/read/{text_id}").get_data(as_text=True), "老板")
    for headers in ({}, htmx()):
        response = add(client, text_id, at, n, english="x" * 301, headers=headers)
        body = response.get_data(as_text=True)
        assert response.status_code == 422
        assert 'id="english-error">Keep the English to 300 characters.' in body
    assert _count(MyWord) == 0 and _count(Deck, Deck.source_file == "reader:my-words") == 0


def test_colours_follow_the_learners_card_states(client, mei):
    text_id = saved(client)
    page = client.get(f"/read/{text_id}").get_data(as_text=True)
    at, n = word_link(page, "老板")
    add(client, text_id, at, n)
    # Just graduated to review (stable for 2 days): still learning, not known.
    db.session.execute(
        update(CardState).where(CardState.user_id == mei.id).values(state="review", stability=2.0)
    )
    db.session.commit()
    page = client.get(f"/read/{text_id}").get_data(as_text=True)
    assert "w-learning" in word_class(page, "老板")
    assert 'data-count="known">0 known' in page
    # Stable for 21 days: known, as the legend says.
    db.session.execute(
        update(CardState).where(CardState.user_id == mei.id).values(state="review", stability=21.0)
    )
    db.session.commit()
    page = client.get(f"/read/{text_id}").get_data(as_text=True)
    assert "w-known" in word_class(page, "老板") and "w-new" in word_class(page, "咖啡店")
    assert 'data-count="known">1 known' in page
    assert "in review in your decks and stable for 21 days or more" in page


# ---- saved texts and My words -----------------------------------------------------------------------------


def test_saved_texts_are_listed_searched_and_deleted(app, client, mei):
    coffee = saved(client)
    hotpot = saved(client, "这家火锅yyds！排队两个小时也值得")
    other = client_for(app, make_account("li"))
    saved(other, "别人的火锅帖子")
    listing = client.get("/read/texts")
    page = listing.get_data(as_text=True)
    assert listing.status_code == 200 and "<html" in page
    assert f'data-text="{coffee}"' in page and f'data-text="{hotpot}"' in page and "别人" not in page
    found = client.get("/read/texts?q=火锅", headers=htmx())
    body = found.get_data(as_text=True)
    assert found.status_code == 200 and "<html" not in body and "HX-Request" in found.headers["Vary"]
    assert f'data-text="{hotpot}"' in body and f'data-text="{coffee}"' not in body
    assert "None of your texts has “100%_” in it." in client.get("/read/texts?q=100%25_").get_data(
        as_text=True
    )
    # Delete: the text goes, a word kept from it stays.
    at, n = word_link(client.get(f"/read/{hotpot}").get_data(as_text=True), "火锅")
    add(client, hotpot, at, n)
    response = client.post(f"/read/{hotpot}/delete", data={"csrf_token": token_of(client)})
    assert response.status_code == 303 and response.headers["Location"] == "/read/texts"
    assert db.session.get(ReaderText, hotpot) is None and _count(MyWord, MyWord.user_id == mei.id) == 1
    assert client.get(f"/read/{hotpot}").status_code == 404
    deleted = client.post(f"/read/{hotpot}/delete", data={"csrf_token": token_of(client)}, headers=htmx())
    assert deleted.status_code == 404


def _many_texts(user, count: int) -> list[int]:
    """`count` saved texts, text 0 opened first and the last one most recently; their ids in that order."""
    rows = [
        ReaderText(
            user_id=user.id,
            title=f"帖子 {number:02d}",
            body=f"第{number}个帖子",
            digest=hashlib.sha256(str(number).encode()).hexdigest(),
            created_at=T0,
            opened_at=T0 + timedelta(minutes=number),
        )
        for number in range(count)
    ]
    db.session.add_all(rows)
    db.session.commit()
    return [row.id for row in rows]


def _listed(page: str) -> list[int]:
    return [int(found) for found in re.findall(r'<li data-text="(\d+)"', page)]


def test_saved_texts_come_a_page_at_a_time_with_older_texts(client, mei):
    ids = _many_texts(mei, LIST_SIZE + 3)
    newest_first = ids[::-1]
    first = client.get("/read/texts").get_data(as_text=True)
    assert _listed(first) == newest_first[:LIST_SIZE]
    assert '<a href="/read/texts?page=2"' in first and "Older texts" in first and "Newer texts" not in first
    # Without JavaScript: a whole page with the older texts and a way back.
    second = client.get("/read/texts?page=2")
    page = second.get_data(as_text=True)
    assert second.status_code == 200 and "<html" in page and "HX-Request" in second.headers["Vary"]
    assert _listed(page) == newest_first[LIST_SIZE:]
    assert f"Older texts: {LIST_SIZE + 1} to {LIST_SIZE + 3}" in page
    assert '<a href="/read/texts" hx-get="/read/texts"' in page and "Older texts ›" not in page
    # With htmx: the list alone, swapped into the page (and the address updated).
    fragment = client.get("/read/texts?page=2", headers=htmx()).get_data(as_text=True)
    assert "<html" not in fragment and _listed(fragment) == newest_first[LIST_SIZE:]
    assert 'hx-target="#text-list"' in fragment and 'hx-push-url="true"' in fragment
    # Past the end, and pages that are not numbers, are answered kindly.
    beyond = client.get("/read/texts?page=3").get_data(as_text=True)
    assert _listed(beyond) == [] and "There are no older texts." in beyond
    for odd in ("0", "-1", "x", "²", "9" * 30):
        response = client.get("/read/texts", query_string={"page": odd})
        assert response.status_code == 200 and _listed(response.get_data(as_text=True))[:1] == [ids[-1]], odd


def test_a_search_pages_too_and_keeps_its_words(client, mei):
    ids = _many_texts(mei, LIST_SIZE + 1)
    saved(client, "这家火锅yyds！排队两个小时也值得")
    older = "/read/texts?" + urlencode({"q": "帖子", "page": 2})
    first = client.get("/read/texts?q=帖子", headers=htmx()).get_data(as_text=True)
    assert len(_listed(first)) == LIST_SIZE and f'hx-get="{htmllib.escape(older)}"' in first
    second = client.get(older).get_data(as_text=True)
    assert _listed(second) == [ids[0]]
    assert f'href="{htmllib.escape("/read/texts?" + urlencode({"q": "帖子"}))}"' in second


def test_the_search_ignores_the_case_of_latin_letters(client):
    """SQLite's LIKE ignores ASCII case by default; PostgreSQL's does not (`make test-postgres` is where a
    plain LIKE fails this)."""
    hotpot = saved(client, "这家火锅yyds！排队两个小时也值得")
    response = read(client, "今天的咖啡真好喝", title="Coffee Notes")
    coffee = int(response.headers["Location"].rsplit("/", 1)[1])
    for query, found in (("YYDS", hotpot), ("Yyds", hotpot), ("coffee", coffee), ("COFFEE NOTES", coffee)):
        page = client.get("/read/texts", query_string={"q": query}, headers=htmx()).get_data(as_text=True)
        assert _listed(page) == [found], query


def test_delete_with_htmx_redirects_the_page(client):
    text_id = saved(client)
    response = client.post(f"/read/{text_id}/delete", data={"csrf_token": token_of(client)}, headers=htmx())
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/read/texts"
    assert _count(ReaderText) == 0


def test_my_words_lists_the_words_with_their_sentences_and_removes_them(app, client, mei):
    text_id = saved(client)
    page = client.get(f"/read/{text_id}").get_data(as_text=True)
    add(client, text_id, *word_link(page, "老板"), english="The owner is super nice.")
    add(client, text_id, *word_link(page, "绝绝子"))
    listing = client.get("/read/words").get_data(as_text=True)
    assert "老板人超好，推荐大家去种草～" in listing and "The owner is super nice." in listing
    assert "绝绝子" in listing and "(ours: " in listing
    own = db.session.scalar(select(Entry).where(Entry.headword == "老板"))
    other = client_for(app, make_account("li"))
    refused = other.post(f"/read/words/{own.id}/remove", data={"csrf_token": token_of(other)})
    assert refused.status_code == 404
    for headers in ({"HX-Request": "true"},):
        response = client.post(
            f"/read/words/{own.id}/remove", data={"csrf_token": token_of(client)}, headers=headers
        )
        assert response.status_code == 204 and response.headers["HX-Redirect"] == "/read/words"
    db.session.expire_all()
    assert db.session.get(MyWord, (mei.id, own.id)) is None
    assert db.session.get(Entry, own.id).retired
    assert not any(db.session.scalars(select(CardState.active).join(Card).where(Card.entry_id == own.id)))
    assert "老板人超好" not in client.get("/read/words").get_data(as_text=True)
    # Adding it again brings the same entry and its card back.
    add(client, text_id, *word_link(page, "老板"))
    db.session.expire_all()
    assert not db.session.get(Entry, own.id).retired and _count(Entry, Entry.headword == "老板") == 1
    assert all(db.session.scalars(select(CardState.active).join(Card).where(Card.entry_id == own.id)))


# ---- from the phone: the share target and the manifest ----------------------------------------------------


def test_the_share_target_opens_the_reader_with_the_shared_text(client):
    response = client.get(
        "/read/share",
        query_string={
            "title": "好物分享",
            "text": "这个面霜真的yyds https://xhslink.com/a/abc",
            "url": "https://xhslink.com/a/abc",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'<textarea[^>]*name="text"[^>]*>\s*这个面霜真的yyds</textarea>', page)
    assert 'value="好物分享"' in page and 'value="https://xhslink.com/a/abc"' in page
    assert _count(ReaderText) == 0  # nothing saved until the learner presses Read
    # Pressing Read keeps it, with the shared title and link.
    response = read(client, "这个面霜真的yyds", title="好物分享", source_url="https://xhslink.com/a/abc")
    assert response.status_code == 303
    text = db.session.scalar(select(ReaderText))
    assert (text.title, text.source_url) == ("好物分享", "https://xhslink.com/a/abc")


def test_a_long_shared_title_and_link_are_cut_to_what_the_reader_keeps(client):
    title, url = "好" * 300, "https://example.org/p?" + "a" * 678
    assert len(url) == 700
    page = client.get("/read/share", query_string={"title": title, "text": "你好", "url": url}).get_data(
        as_text=True
    )

    def value(name: str) -> str:
        match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
        assert match, f"no {name} box"
        return htmllib.unescape(match.group(1))

    assert (value("title"), value("source_url")) == (title[:MAX_TITLE], url[:MAX_URL])
    # The box as it was filled is kept as it is ("Read it" gives no "Keep the title to ..." error).
    response = read(client, "你好", title=value("title"), source_url=value("source_url"))
    assert response.status_code == 303, response.get_data(as_text=True)
    text = db.session.scalar(select(ReaderText))
    assert (text.title, text.source_url) == (title[:MAX_TITLE], url[:MAX_URL])


def test_a_shared_control_character_is_left_out_of_the_box_and_named_beside_it(client):
    """Another app's share may bring an invisible control or a direction override: the box gets the text
    without it and says which one was left out (not the 400 page); nothing is saved."""
    response = client.get(
        "/read/share", query_string={"text": "这个\u202e面霜\x00真的yyds", "title": "好物\u2066分享"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'<textarea[^>]*name="text"[^>]*>\s*这个面霜真的yyds</textarea>', page)
    assert 'value="好物分享"' in page
    assert "had a right-to-left override (U+202E) in it" in page
    assert "had a left-to-right isolate (U+2066) in it" in page
    assert page.count("it is left out here") == 2
    assert "\u202e" not in page and "\x00" not in page
    assert _count(ReaderText) == 0
    # Elsewhere the same character still gets the 400 page, and on the share page too in another parameter.
    assert (
        client.get("/read/share", query_string={"text": "你好", "url": "https://a.b/\u202e"}).status_code
        == 400
    )


def test_sharing_while_logged_out_comes_back_to_the_shared_text_after_login(app, mei):
    visitor = app.test_client()
    response = visitor.get("/read/share?text=%E4%BD%A0%E5%A5%BD")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/read/share?text%3D%25E4%25BD%25A0%25E5%25A5%25BD"


def test_the_manifest_makes_an_installable_app_with_a_share_target(client):
    page = client.get("/read").get_data(as_text=True)
    href = re.search(r'<link rel="manifest" href="([^"]+)"', page).group(1)
    response = client.get(href)
    assert response.status_code == 200 and response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data(as_text=True))
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
    assert manifest["theme_color"] == "#e5484d" and manifest["background_color"]
    assert manifest["share_target"] == {
        "action": "/read/share",
        "method": "GET",
        "params": {"title": "title", "text": "text", "url": "url"},
    }
    sizes = {}
    for icon in manifest["icons"]:
        got = client.get(icon["src"])
        assert got.status_code == 200, icon["src"]
        if icon["type"] == "image/png":
            image = Image.open(BytesIO(got.data))
            sizes[icon["src"]] = (image.size, icon["purpose"])
            assert icon["sizes"] == f"{image.size[0]}x{image.size[1]}"
    assert {size for size, _ in sizes.values()} == {(192, 192), (512, 512)}
    assert "maskable" in {purpose for _, purpose in sizes.values()}


# ---- class readings ---------------------------------------------------------------------------------------


def test_a_teacher_publishes_a_reading_and_sees_who_opened_it(app, curated):
    olive = make_account("olive", "teacher")
    student, outsider = make_account("sam"), make_account("oz")
    classroom = classes.create_class(olive, ClassFields(name="Evening class"), T0)
    classes.join(student, classroom.join_code, T0)
    teacher = client_for(app, olive)
    text_id = saved(teacher)
    page = teacher.get(f"/read/{text_id}").get_data(as_text=True)
    assert "Publish as a reading" in page and f'<option value="{classroom.id}">Evening class</option>' in page
    response = teacher.post(
        f"/read/{text_id}/publish", data={"class_id": classroom.id, "csrf_token": token_of(teacher)}
    )
    assert response.status_code == 303 and response.headers["Location"] == f"/read/{text_id}"
    again = teacher.post(
        f"/read/{text_id}/publish",
        data={"class_id": classroom.id, "csrf_token": token_of(teacher)},
        headers=htmx(),
    )
    assert again.status_code == 204 and _count(ClassReading) == 1
    dashboard = teacher.get(f"/teach/classes/{classroom.id}").get_data(as_text=True)
    assert 'opened by <strong data-stat="opened">0</strong> of 1 learners' in dashboard

    # The student finds it, reads it with their own colours, and is counted once.
    sam = client_for(app, student)
    assert "From your classes" in sam.get("/read").get_data(as_text=True)
    assert f'href="/read/{text_id}"' in sam.get("/read/texts").get_data(as_text=True)
    at, n = word_link(sam.get(f"/read/{text_id}").get_data(as_text=True), "老板")
    add(sam, text_id, at, n)
    student_page = sam.get(f"/read/{text_id}").get_data(as_text=True)
    assert "w-learning" in word_class(student_page, "老板")
    assert "Publish as a reading" not in student_page and "Delete this text" not in student_page
    assert "w-new" in word_class(teacher.get(f"/read/{text_id}").get_data(as_text=True), "老板")
    assert _count(ReadingOpen) == 1
    dashboard = teacher.get(f"/teach/classes/{classroom.id}").get_data(as_text=True)
    assert 'opened by <strong data-stat="opened">1</strong> of 1 learners' in dashboard
    # Not in the class: a 404, as for any text that is not yours.
    assert client_for(app, outsider).get(f"/read/{text_id}").status_code == 404


def test_only_a_teacher_may_publish_and_only_to_their_own_classes(app, curated):
    olive, oscar = make_account("olive", "teacher"), make_account("oscar", "teacher")
    theirs = classes.create_class(oscar, ClassFields(name="Oscar's class"), T0)
    teacher = client_for(app, olive)
    text_id = saved(teacher)
    response = teacher.post(
        f"/read/{text_id}/publish", data={"class_id": theirs.id, "csrf_token": token_of(teacher)}
    )
    assert response.status_code == 400 and "Pick one of your classes." in response.get_data(as_text=True)
    learner = client_for(app, make_account("lea"))
    own = saved(learner)
    assert "Publish as a reading" not in learner.get(f"/read/{own}").get_data(as_text=True)
    refused = learner.post(
        f"/read/{own}/publish", data={"class_id": theirs.id, "csrf_token": token_of(learner)}
    )
    assert refused.status_code == 400 and _count(ClassReading) == 0


def test_a_kept_entry_of_ours_shows_where_the_learner_met_it_on_the_back(client, mei):
    """One of our entries kept from the reader keeps our example, and its card's back adds the sentence
    the learner met it in (with its pinyin and their English)."""
    text_id = saved(client)
    at, n = word_link(client.get(f"/read/{text_id}").get_data(as_text=True), "种草")
    add(client, text_id, at, n, english="Recommending it to everyone.")
    entry = db.session.scalar(select(Entry).where(Entry.headword == "种草"))
    card_id = db.session.scalar(
        select(CardState.card_id)
        .join(Card, Card.id == CardState.card_id)
        .where(CardState.user_id == mei.id, Card.entry_id == entry.id, Card.kind == "recognize")
    )
    db.session.execute(
        update(CardState)
        .where(CardState.user_id == mei.id)
        .values(new_position=CardState.new_position + 1000)
    )
    db.session.execute(
        update(CardState)
        .where(CardState.user_id == mei.id, CardState.card_id == card_id)
        .values(new_position=-1)
    )
    db.session.commit()
    back = client.get(f"/study?card={card_id}&side=back").get_data(as_text=True)
    assert f'data-card-id="{card_id}"' in back
    met = re.search(r'<div class="met-sentence">(.*?)</div>', back, re.S)
    assert met, "the back shows where the learner met the word"
    text = htmllib.unescape(re.sub(r"<rt>.*?</rt>|<[^>]+>", "", met.group(1)))
    assert "Where you met it" in text and "老板人超好，推荐大家去种草" in text
    assert "Recommending it to everyone." in text
    assert entry.example_zh and entry.example_zh in back  # our example stays too
