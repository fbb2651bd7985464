"""The wiki over HTTP: search by hanzi, pinyin (any tone style) or English, ranking, htmx fragments,
odd input, browsing by category, level and tag, and the entry page."""

import re

import pytest
from sqlalchemy import func, select

from learnapp.content.deckfile import parse_deck_text
from learnapp.decks.loader import load_deck
from learnapp.extensions import db
from learnapp.models import Deck, Entry
from tests.factories import T0

XIEXIE = """
[[entries]]
id = "xiexie"
headword = "谢谢"
pinyin = "xiè xie"
meaning = "to thank"
notes = "Said to shop staff and friends alike."
tags = ["polite"]
example = { zh = "谢谢你的帮助。", pinyin = "Xiè xie nǐ de bāng zhù.", en = "Thanks for your help." }
"""

NIHAO = """
[[entries]]
id = "nihao"
headword = "你好"
pinyin = "nǐ hǎo"
meaning = "hello"
tags = ["greeting"]
"""

XIE = """
[[entries]]
id = "xie"
headword = "写"
pinyin = "xiě"
meaning = "to write"
"""

XIEXIENI = """
[[entries]]
id = "xiexieni"
headword = "谢谢你"
pinyin = "xiè xie nǐ"
meaning = "thank you"
"""

MANDARIN_HEAD = """
[deck]
slug = "wiki-mandarin"
title = "Wiki Mandarin"
category = "mandarin"
level = 1
card_kinds = ["recognize"]
"""

SLANG_HEAD = """
[deck]
slug = "wiki-slang"
title = "Wiki Slang"
category = "slang"
level = 2
card_kinds = ["recognize"]
"""

SLANG_XIEXIE = """
[[entries]]
id = "xiexie"
headword = "谢谢"
pinyin = "xiè xie"
meaning = "thanks, online too"
tags = ["polite"]
"""

NIU = """
[[entries]]
id = "niu"
headword = "牛"
pinyin = "niú"
meaning = "awesome"
tags = ["praise"]
"""

HIT = re.compile(
    r'<li class="wiki-hit">.*?<span class="hit-headword" lang="zh-CN">([^<]*)</span>'
    r'.*?<span class="hit-deck">([^<]*)</span>',
    re.DOTALL,
)
HTMX = {"HX-Request": "true"}


def load(text: str) -> None:
    load_deck(parse_deck_text(text, "deck.toml"), T0)
    db.session.commit()


@pytest.fixture
def decks(app):
    load(MANDARIN_HEAD + XIEXIE + NIHAO + XIE + XIEXIENI)
    load(SLANG_HEAD + SLANG_XIEXIE + NIU)


def hits(client, **params) -> list[tuple[str, str]]:
    """(headword, deck title) of each result, in the order shown."""
    response = client.get("/wiki", query_string=params, headers=HTMX)
    assert response.status_code == 200
    return HIT.findall(response.get_data(as_text=True))


def headwords(client, **params) -> list[str]:
    return [headword for headword, _ in hits(client, **params)]


# Search


@pytest.mark.parametrize(
    "typed", ["谢谢", "xie xie", "xiexie", "xiè xie", "xie4xie5", "xie4 xie", "XIE XIE", "xiè  xie "]
)
def test_search_finds_xiexie_first_however_it_is_typed(client, decks, typed):
    found = headwords(client, q=typed)
    assert found[0] == "谢谢"
    assert "写" not in found
    assert "你好" not in found


@pytest.mark.parametrize("typed", ["nihao", "ni3hao3", "nǐ hǎo", "nǐhǎo", "NiHao"])
def test_search_finds_nihao_however_it_is_typed(client, decks, typed):
    assert headwords(client, q=typed) == ["你好"]


def test_search_in_english(client, decks):
    found = headwords(client, q="thank")
    assert "谢谢" in found
    assert "写" not in found
    assert "你好" not in found
    assert headwords(client, q="hello") == ["你好"]


def test_tones_typed_are_tones_required(client, decks):
    assert headwords(client, q="xie3") == ["写"]
    assert "写" not in headwords(client, q="xie4")


def test_full_page_search_shows_the_results_too(client, decks):
    html = client.get("/wiki?q=xie+xie").get_data(as_text=True)
    assert HIT.findall(html)[0] == ("谢谢", "Wiki Mandarin")
    assert 'value="xie xie"' in html


# Ranking


def test_exact_pinyin_comes_before_a_pinyin_prefix(client, decks):
    found = headwords(client, q="xie")
    assert found[0] == "写"
    assert found.index("写") < found.index("谢谢") < found.index("谢谢你")


def test_exact_headword_comes_before_a_longer_headword(client, decks):
    found = hits(client, q="谢谢")
    assert [headword for headword, _ in found] == ["谢谢", "谢谢你"]
    # The same word in two decks is one result: the lower level's entry, the other deck named after it.
    assert found[0] == ("谢谢", "Wiki Mandarin")


def test_the_same_headword_in_several_decks_is_one_result(client, decks):
    html = client.get("/wiki", query_string={"q": "xiexie"}, headers=HTMX).get_data(as_text=True)
    assert html.count('<span class="hit-headword" lang="zh-CN">谢谢</span>') == 1
    assert ', also in <a href="/wiki/wiki-slang/xiexie">Wiki Slang</a>' in html


def test_english_is_found_in_literal_meanings_and_notes_too(client, decks):
    load(
        """
[deck]
slug = "wiki-rednote"
title = "Wiki RedNote"
category = "platform"
level = 1
card_kinds = ["recognize"]

[[entries]]
id = "zhongcao"
headword = "种草"
pinyin = "zhòng cǎo"
literal = "plant grass"
meaning = "to make someone want to buy something by recommending it"

[[entries]]
id = "bacao"
headword = "拔草"
pinyin = "bá cǎo"
literal = "pull up grass"
meaning = "to get rid of a want"
notes = "The opposite of 种草, and a shopping word."
"""
    )
    assert headwords(client, q="grass") == ["种草", "拔草"]  # literal meanings, shorter... then by deck order
    html = client.get("/wiki", query_string={"q": "grass"}, headers=HTMX).get_data(as_text=True)
    assert "literally “plant grass”" in html
    assert headwords(client, q="shopping") == ["拔草"]
    assert "(found in its notes)" in client.get("/wiki?q=shopping", headers=HTMX).get_data(as_text=True)
    assert headwords(client, q="staff") == ["谢谢"]  # "Said to shop staff..." in 谢谢's notes
    # The meaning still comes first: "buy" is in 种草's meaning.
    assert headwords(client, q="buy") == ["种草"]


def test_typing_updates_the_address_bar_and_results_come_before_the_filters(client, decks):
    html = client.get("/wiki?q=xiexie").get_data(as_text=True)
    assert 'hx-replace-url="true"' in html
    assert html.index('id="wiki-results"') < html.index('class="facets"')


def test_meaning_that_starts_with_the_words_comes_before_one_that_contains_them(client, decks):
    found = headwords(client, q="thank")
    assert found.index("谢谢你") < found.index("谢谢")  # "thank you" before "to thank"


# htmx


def test_htmx_search_gets_only_the_results_fragment(client, decks):
    response = client.get("/wiki?q=xiexie", headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert "<nav" not in html
    assert 'class="wiki-hit"' in html
    assert "HX-Request" in response.headers.get("Vary", "")


def test_plain_search_gets_the_whole_page(client, decks):
    response = client.get("/wiki?q=xiexie")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" in html
    assert "<nav" in html
    assert 'id="wiki-results"' in html
    assert 'class="wiki-hit"' in html
    assert "HX-Request" in response.headers.get("Vary", "")


# Odd input


def test_empty_query_shows_the_hint(client, decks):
    response = client.get("/wiki?q=")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Type to search" in html
    assert 'class="wiki-hit"' not in html


def test_a_very_long_query_is_cut_to_100_characters(client, decks):
    response = client.get("/wiki", query_string={"q": "b" * 10_000})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'value="{"b" * 100}"' in html
    assert "b" * 101 not in html


def test_sql_in_the_query_is_only_text(client, decks):
    count = select(func.count()).select_from(Entry)
    before = db.session.scalar(count)
    response = client.get("/wiki", query_string={"q": "'; DROP TABLE entries; --"})
    assert response.status_code == 200
    assert "Nothing found" in response.get_data(as_text=True)
    db.session.remove()
    assert before == 6
    assert db.session.scalar(count) == before
    assert headwords(client, q="xiexie")[0] == "谢谢"


def test_markup_in_the_query_is_escaped(client, decks):
    for headers in ({}, HTMX):
        response = client.get("/wiki", query_string={"q": "<script>alert(1)</script>"}, headers=headers)
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("wildcard", ["%", "_", "%%", "谢%", "谢_", "%谢", "_谢"])
def test_like_wildcards_match_only_themselves(client, decks, wildcard):
    response = client.get("/wiki", query_string={"q": wildcard}, headers=HTMX)
    assert response.status_code == 200
    assert HIT.findall(response.get_data(as_text=True)) == []
    assert "Nothing found" in response.get_data(as_text=True)


def test_punctuation_around_pinyin_is_ignored_not_a_wildcard(client, decks):
    assert headwords(client, q="ni%hao") == ["你好"]
    assert headwords(client, q="x_e") == []  # not "xie" with any letter in the middle


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "0"},
        {"page": "-1"},
        {"page": "²"},
        {"page": "9" * 5000},
        {"level": "99"},
        {"level": "²"},
        {"level": "-3"},
        {"category": "nonsense"},
        {"tag": "x" * 500},
        {"q": "谢谢", "page": "abc"},
        {"q": "1234"},
    ],
    ids=lambda params: "&".join(f"{k}={v[:12]}" for k, v in params.items()),
)
def test_odd_parameters_never_fail(client, decks, params):
    for headers in ({}, HTMX):
        assert client.get("/wiki", query_string=params, headers=headers).status_code == 200


def test_a_nul_in_the_search_is_refused_where_requests_enter(client, decks):
    """Not the wiki's to clean: learnapp/inputs.py refuses it for every route (test_input_hygiene.py)."""
    for headers in ({}, HTMX):
        assert client.get("/wiki", query_string={"q": "\x00"}, headers=headers).status_code == 400


def test_odd_filters_are_dropped_not_applied(client, decks):
    # A level or category that does not exist is ignored: the search still finds its words.
    assert headwords(client, q="niu", level="99", category="nonsense") == ["牛"]
    assert headwords(client, q="xie4xie5", page="abc")[0] == "谢谢"


def test_a_page_past_the_end_is_empty(client, decks):
    assert headwords(client, q="xie", page="2") == []


# Browse


def test_browse_by_category(client, decks):
    found = hits(client, category="mandarin")
    assert sorted(headword for headword, _ in found) == sorted(["谢谢", "你好", "写", "谢谢你"])
    assert {title for _, title in found} == {"Wiki Mandarin"}
    assert headwords(client, category="slang") == ["牛", "谢谢"]  # shorter words first
    assert headwords(client, category="emoji") == []


def test_browse_by_tag(client, decks):
    found = hits(client, tag="polite")
    assert found == [("谢谢", "Wiki Mandarin")]  # in both decks: one result
    assert headwords(client, tag="greeting") == ["你好"]
    assert headwords(client, tag="POLITE") == ["谢谢"]
    assert headwords(client, tag="polit") == []  # a whole tag, not part of one


def test_browse_by_level(client, decks):
    found = hits(client, level="2")
    assert found == [("牛", "Wiki Slang"), ("谢谢", "Wiki Slang")]
    assert sorted(headwords(client, level="1")) == sorted(["谢谢", "你好", "写", "谢谢你"])


def test_filters_combine_with_search(client, decks):
    assert hits(client, q="xiexie", category="slang") == [("谢谢", "Wiki Slang")]
    assert headwords(client, q="niu", category="mandarin") == []


def test_browse_page_shows_the_facets(client, decks):
    html = client.get("/wiki").get_data(as_text=True)
    assert 'href="/wiki?category=mandarin"' in html
    assert 'href="/wiki?category=slang"' in html
    assert 'href="/wiki?tag=polite"' in html
    assert 'href="/wiki?level=2"' in html
    assert 'href="/wiki?category=emoji"' not in html  # no public entries in that category


# The entry page


def test_entry_page_shows_everything_about_the_word(client, decks):
    response = client.get("/wiki/wiki-mandarin/xiexie")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<p class="headword headword-large" lang="zh-CN">谢谢</p>' in html
    # Each syllable carries its tone for the colours: xiè is 4th, xie neutral.
    assert '<span class="tone4">xiè</span> <span class="tone5">xie</span>' in html
    assert '<dd class="meaning">to thank</dd>' in html
    assert "Said to shop staff and friends alike." in html
    assert "谢谢你的帮助。" in html
    assert (
        '<span class="tone4">Xiè</span> <span class="tone5">xie</span> <span class="tone3">nǐ</span>'
        ' <span class="tone5">de</span> <span class="tone1">bāng</span> <span class="tone4">zhù</span>.'
    ) in html
    assert "Thanks for your help." in html
    assert 'data-speak="谢谢"' in html
    assert "Wiki Mandarin" in html
    assert 'href="/wiki?tag=polite"' in html


def test_entry_page_links_the_same_word_in_other_public_decks(client, decks):
    html = client.get("/wiki/wiki-mandarin/xiexie").get_data(as_text=True)
    assert "Also in" in html
    assert 'href="/wiki/wiki-slang/xiexie">Wiki Slang</a>: thanks, online too' in html
    back = client.get("/wiki/wiki-slang/xiexie").get_data(as_text=True)
    assert 'href="/wiki/wiki-mandarin/xiexie">Wiki Mandarin</a>: to thank' in back


def test_entry_page_without_other_decks_has_no_also_in(client, decks):
    html = client.get("/wiki/wiki-mandarin/xie").get_data(as_text=True)
    assert "写" in html
    assert "Also in" not in html


@pytest.mark.parametrize(
    "path", ["/wiki/nope/xiexie", "/wiki/wiki-mandarin/nope", "/wiki/wiki-mandarin", "/wiki/%25/%25"]
)
def test_unknown_entry_is_a_404(client, decks, path):
    response = client.get(path)
    assert response.status_code == 404


def test_unknown_entry_explains_itself(client, decks):
    response = client.get("/wiki/wiki-mandarin/nope")
    assert "There is no wiki page at this address." in response.get_data(as_text=True)


def test_private_deck_is_not_in_the_wiki(client, decks):
    deck = db.session.scalar(select(Deck).where(Deck.slug == "wiki-slang"))
    deck.visibility = "private"
    db.session.commit()
    assert client.get("/wiki/wiki-slang/niu").status_code == 404
    assert client.get("/wiki/wiki-slang/xiexie").status_code == 404
    assert headwords(client, q="niu") == []
    assert headwords(client, category="slang") == []
    assert hits(client, q="谢谢") == [("谢谢", "Wiki Mandarin"), ("谢谢你", "Wiki Mandarin")]
    html = client.get("/wiki/wiki-mandarin/xiexie").get_data(as_text=True)
    assert "Also in" not in html
    assert "Wiki Slang" not in html
    assert 'href="/wiki?category=slang"' not in client.get("/wiki").get_data(as_text=True)


def test_retired_entry_is_not_in_the_wiki(client, decks):
    assert client.get("/wiki/wiki-mandarin/xie").status_code == 200
    load(MANDARIN_HEAD + XIEXIE + NIHAO + XIEXIENI)  # 写 left the deck file: retired
    assert client.get("/wiki/wiki-mandarin/xie").status_code == 404
    assert headwords(client, q="xie3") == []
    assert "写" not in headwords(client, category="mandarin")


def test_a_retired_twin_is_not_also_in(client, decks):
    assert "Also in" in client.get("/wiki/wiki-mandarin/xiexie").get_data(as_text=True)
    load(SLANG_HEAD + NIU)  # 谢谢 left the slang deck
    html = client.get("/wiki/wiki-mandarin/xiexie").get_data(as_text=True)
    assert "Also in" not in html


# Enroll from the entry page


def test_anonymous_visitor_is_asked_to_sign_up(client, decks):
    html = client.get("/wiki/wiki-mandarin/xiexie").get_data(as_text=True)
    assert "Sign up to study" in html
    assert 'action="/decks/wiki-mandarin/enroll"' not in html


def test_learner_can_study_the_deck_from_the_entry_page(client, auth, decks):
    auth.signup()
    html = client.get("/wiki/wiki-mandarin/xiexie").get_data(as_text=True)
    assert 'action="/decks/wiki-mandarin/enroll"' in html
    assert "Study this deck" in html
    assert "Sign up to study" not in html

    client.post("/decks/wiki-mandarin/enroll", data={"csrf_token": auth.token("/decks")})
    html = client.get("/wiki/wiki-mandarin/xiexie").get_data(as_text=True)
    assert 'action="/decks/wiki-mandarin/leave"' in html
    assert "Study this deck" not in html
    # Enrolled in one deck, not the other.
    other = client.get("/wiki/wiki-slang/xiexie").get_data(as_text=True)
    assert 'action="/decks/wiki-slang/enroll"' in other


# The shipped decks


def test_shipped_decks_find_the_everyday_words(client, load_decks):
    load_decks()
    assert headwords(client, q="xie xie")[0] == "谢谢"
    assert headwords(client, q="ni3hao3")[0] == "你好"
    assert "谢谢" in headwords(client, q="thank")
