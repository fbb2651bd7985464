"""The reader's segmenter (learnapp.chinese.segment) and its helpers (learnapp.chinese.reading).

The posts and their hand cuts live in segment_posts.py. Their curated entries are those of our deck files
(as the web feature builds them), 绝绝子 among them (decks/internet-slang.toml). Property tests
(Hypothesis) check that any text, control characters, emoji and very long inputs included, comes back whole.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnapp.chinese.lexicon import lexicon
from learnapp.chinese.reading import Reading, readings, sentence_around
from learnapp.chinese.sandhi import words_of
from learnapp.chinese.segment import Kind, Segmenter, Token, leaves, plain_segmenter
from learnapp.content.deckfile import parse_deck_file
from tests.unit.segment_posts import HARD, POSTS, cuts, text

DECKS = Path(__file__).resolve().parents[2] / "decks"


def deck_headwords() -> dict[str, str]:
    curated: dict[str, str] = {}
    for path in sorted(DECKS.glob("*.toml")):
        if not path.name.startswith("hsk-"):
            deck = parse_deck_file(path)
            for entry in deck.entries:
                curated.setdefault(entry.headword, f"{deck.slug}:{entry.key}")
    return curated


@pytest.fixture(scope="module")
def decks() -> Segmenter[str]:
    curated = deck_headwords()
    assert "绝绝子" in curated  # the posts' 绝绝子 is one of ours, as in the reader
    return Segmenter(curated)


SLANG = {
    "yyds": "yyds",
    "hhh": "hhh",
    "233": "233",
    "666": "666",
    "520": "520",
    "1314": "1314",
    "88": "88",
    "emo": "emo",
    "i人": "i-ren",
    "磕CP": "ke-cp",
    "打call": "da-call",
    "种草": "zhongcao",
    "[doge]": "doge",
    "[666]": "code-666",
    "[笑哭R]": "xiaoku",
    "🐶": "goutou",
    "👍": "thumbs",
    "❤️": "heart",
    "🐮🍺": "niubi",
    "很好": "henhao",
    "上头": "shangtou",
}


@pytest.fixture(scope="module")
def slang() -> Segmenter[str]:
    return Segmenter(SLANG)


def pieces(tokens: list[Token[str]]) -> list[tuple[str, str, str | None]]:
    return [(token.text, token.kind.value, token.entry) for token in tokens]


# -- the hand-cut posts --------------------------------------------------------------------------------


def test_there_are_enough_posts():
    assert len(POSTS) + len(HARD) >= 60
    assert len(POSTS) >= 60


@pytest.mark.parametrize("post", POSTS, ids=[text(post)[:24] for post in POSTS])
def test_posts_are_cut_as_a_reader_cuts_them(decks, post):
    assert [token.text for token in decks.segment(text(post))] == cuts(post)


@pytest.mark.parametrize(
    "post",
    [pytest.param(post, marks=pytest.mark.xfail(reason=reason, strict=True)) for post, reason in HARD],
    ids=[text(post)[:24] for post, _ in HARD],
)
def test_hard_cases_left(decks, post):
    assert [token.text for token in decks.segment(text(post))] == cuts(post)


def test_posts_carry_their_curated_entries(decks):
    tokens = decks.segment("i人社恐发作了，谁懂啊🥲 YYDS[笑哭R]")
    curated = {token.text: token.entry for token in tokens if token.kind is Kind.CURATED}
    assert curated == {
        "i人": "internet-slang:i-ren",
        "社恐": "internet-slang:shekong",
        "谁懂啊": "internet-slang:shei-dong-a",
        "🥲": "emoji-decoded:smiling-tear",
        "YYDS": "internet-slang:yyds",
        "[笑哭R]": "emoji-decoded:xhs-xiaoku",
    }


# -- dictionary words ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("研究生命", ["研究", "生命"]),  # forward maximum matching: 研究生 命
        ("结婚的和尚未结婚的", ["结婚", "的", "和", "尚未", "结婚", "的"]),  # FMM: 和尚 未
        ("我今天完成了", ["我", "今天", "完成", "了"]),  # not 完 成了
        ("很好吃", ["很", "好吃"]),  # not 很好 吃
        ("十一点", ["十一", "点"]),  # not 十 一点
        ("万一下雨", ["万一", "下雨"]),
        ("十分钟", ["十", "分钟"]),
        ("今晚不想说话", ["今晚", "不", "想", "说话"]),  # CC-CEDICT's 不想 is "unexpectedly"
        ("我到了", ["我", "到", "了"]),  # CC-CEDICT's 到了 is "at last"
        ("冲冲冲", ["冲", "冲", "冲"]),
        ("对对对我也是", ["对", "对", "对", "我", "也", "是"]),
    ],
)
def test_dictionary_words(phrase, expected):
    assert [token.text for token in plain_segmenter().segment(phrase)] == expected


def test_words_and_characters_point_at_their_headwords():
    tokens = plain_segmenter().segment("我们學習中文")
    assert [(t.text, t.kind, t.headword) for t in tokens] == [
        ("我们", Kind.WORD, "我们"),
        ("學習", Kind.WORD, "学习"),
        ("中文", Kind.WORD, "中文"),
    ]
    assert [(t.kind, t.headword) for t in plain_segmenter().segment("這")] == [(Kind.CHAR, "这")]


def test_traditional_spelling_of_a_curated_word_is_the_curated_entry(slang):
    assert pieces(slang.segment("種草了")) == [("種草", "curated", "zhongcao"), ("了", "char", None)]


def test_the_traditional_index():
    index = lexicon()
    assert index.headword("學習") == "学习"
    assert index.headword("学习") == "学习"
    assert index.headword("學") == "学"
    assert index.headword("不存在的词") is None


def test_numerals_and_laughs():
    tokens = plain_segmenter().segment("三千五百块，第三十五名，哈哈哈哈哈")
    assert [(t.text, t.kind.value, t.headword) for t in tokens] == [
        ("三千五百", "number", None),
        ("块", "char", "块"),
        ("，", "punctuation", None),
        ("第三十五", "number", None),
        ("名", "char", "名"),
        ("，", "punctuation", None),
        ("哈哈哈哈哈", "word", "哈哈"),
    ]


def test_words_of_is_the_segmenter():
    assert words_of("研究生命") == ("研究", "生命")
    assert words_of("星期一去") == ("星期一", "去")


# -- curated entries -----------------------------------------------------------------------------------


def test_curated_headwords_in_any_writing(slang):
    tokens = slang.segment("YYDS！ｙｙｄｓ i人磕cp 给他打CALL[doge][666]🐶🐮🍺")
    assert [(t.text, t.entry) for t in tokens if t.kind is Kind.CURATED] == [
        ("YYDS", "yyds"),
        ("ｙｙｄｓ", "yyds"),
        ("i人", "i-ren"),
        ("磕cp", "ke-cp"),
        ("打CALL", "da-call"),
        ("[doge]", "doge"),
        ("[666]", "code-666"),
        ("🐶", "goutou"),
        ("🐮🍺", "niubi"),
    ]


def test_curated_headwords_only_match_whole_pieces(slang):
    assert pieces(slang.segment("demo emoji")) == [
        ("demo", "latin", None),
        (" ", "space", None),
        ("emoji", "latin", None),
    ]
    assert pieces(slang.segment("Hi人")) == [("Hi", "latin", None), ("人", "char", None)]
    assert pieces(slang.segment("15201")) == [("15201", "number", None)]


def test_curated_numbers_and_amounts(slang):
    assert pieces(slang.segment("520")) == [("520", "curated", "520")]
    assert pieces(slang.segment("5201314")) == [("520", "curated", "520"), ("1314", "curated", "1314")]
    assert pieces(slang.segment("88元")) == [("88", "number", None), ("元", "char", None)]
    assert pieces(slang.segment("第520")) == [("第", "char", None), ("520", "number", None)]
    assert pieces(slang.segment("5.20")) == [("5.20", "number", None)]
    assert pieces(slang.segment("88啦")) == [("88", "curated", "88"), ("啦", "char", None)]


def test_stretched_slang_is_the_slang(slang):
    assert pieces(slang.segment("hhhhhh 2333333 66666 HHHH")) == [
        ("hhhhhh", "curated", "hhh"),
        (" ", "space", None),
        ("2333333", "curated", "233"),
        (" ", "space", None),
        ("66666", "curated", "666"),
        (" ", "space", None),
        ("HHHH", "curated", "hhh"),
    ]
    assert pieces(slang.segment("hh 23")) == [
        ("hh", "latin", None),
        (" ", "space", None),
        ("23", "number", None),
    ]


def test_emoji_with_a_skin_tone_or_without_its_selector_is_the_base_entry(slang):
    assert pieces(slang.segment("👍🏽❤❤️👍🏿")) == [
        ("👍🏽", "curated", "thumbs"),
        ("❤", "curated", "heart"),
        ("❤️", "curated", "heart"),
        ("👍🏿", "curated", "thumbs"),
    ]


def test_a_curated_word_does_not_change_how_ordinary_text_is_cut(slang):
    # 很好 is curated, but 很好吃 is 很 好吃.
    assert [t.text for t in slang.segment("很好吃")] == ["很", "好吃"]
    assert pieces(slang.segment("很好")) == [("很好", "curated", "henhao")]
    # ... and wins over a dictionary word of the same span.
    assert pieces(slang.segment("上头了")) == [("上头", "curated", "shangtou"), ("了", "char", None)]


def test_curated_lookup(slang):
    assert slang.curated("YyDs") == "yyds"
    assert slang.curated("🐶") == "goutou"
    assert slang.curated("nothing") is None


# -- everything that is not a word ---------------------------------------------------------------------


def test_emoji_sequences_stay_whole(slang):
    tokens = slang.segment("🙋‍♀️👨‍👩‍👧🇨🇳1️⃣👍🏻✨")
    assert [(t.text, t.kind.value) for t in tokens] == [
        ("🙋\u200d♀️", "emoji"),
        ("👨\u200d👩\u200d👧", "emoji"),
        ("🇨🇳", "emoji"),
        ("1️⃣", "emoji"),
        ("👍🏻", "curated"),
        ("✨", "emoji"),
    ]


def test_numbers():
    tokens = plain_segmenter().segment("12.5 3w+ 10k 99% １２３ 10:30 2,000 3.8折 ©")
    assert [(t.text, t.kind.value) for t in tokens if not t.text.isspace()] == [
        ("12.5", "number"),
        ("3w+", "number"),
        ("10k", "number"),
        ("99%", "number"),
        ("１２３", "number"),
        ("10:30", "number"),
        ("2,000", "number"),
        ("3.8", "number"),
        ("折", "char"),
        ("©", "punctuation"),
    ]


def test_urls_mentions_and_email():
    tokens = plain_segmenter().segment(
        "@小红薯 看 http://xhslink.com/a/AbCd，或 www.example.com/x?a=1。写信 me@example.com (t.cn/Ab1)"
    )
    assert [(t.text, t.kind.value) for t in tokens if t.kind.value in ("url", "mention")] == [
        ("@小红薯", "mention"),
        ("http://xhslink.com/a/AbCd", "url"),
        ("www.example.com/x?a=1", "url"),
        ("me@example.com", "url"),
        ("t.cn/Ab1", "url"),
    ]


def test_hashtags_keep_their_words(slang):
    tokens = slang.segment("#打工人的日常# #种草[话题]# #ootd #a #b")
    tags = [t for t in tokens if t.kind is Kind.HASHTAG]
    assert [t.text for t in tags] == ["#打工人的日常#", "#种草[话题]#", "#ootd", "#a", "#b"]
    assert [(p.text, p.kind.value) for p in tags[0].parts] == [
        ("#", "punctuation"),
        ("打工人", "word"),
        ("的", "char"),
        ("日常", "word"),
        ("#", "punctuation"),
    ]
    assert [(p.text, p.kind.value, p.entry) for p in tags[1].parts] == [
        ("#", "punctuation", None),
        ("种草", "curated", "zhongcao"),
        ("[话题]", "bracket_code", None),
        ("#", "punctuation", None),
    ]
    assert [p.text for p in tags[2].parts] == ["#", "ootd"]
    for tag in tags:
        assert "".join(p.text for p in tag.parts) == tag.text
        assert [p.start for p in tag.parts] == [
            tag.start + len("".join(q.text for q in tag.parts[:n])) for n in range(len(tag.parts))
        ]
    assert "种草" in [t.text for t in leaves(tokens)]


def test_punctuation_runs_space_and_other_scripts():
    tokens = plain_segmenter().segment("好！！！……\n\n我の日常 [未知]")
    assert [(t.text, t.kind.value) for t in tokens] == [
        ("好", "char"),
        ("！！！", "punctuation"),
        ("……", "punctuation"),
        ("\n\n", "space"),
        ("我", "char"),
        ("の", "other"),
        ("日常", "word"),
        (" ", "space"),
        ("[未知]", "bracket_code"),
    ]


def test_a_variation_selector_stays_with_its_character():
    tokens = plain_segmenter().segment("葛\U000e0100城")
    assert [t.text for t in tokens] == ["葛\U000e0100", "城"]


def test_empty_text():
    assert plain_segmenter().segment("") == []


# -- pinyin and sentences ------------------------------------------------------------------------------


def test_readings_apply_sandhi_across_words():
    tokens = plain_segmenter().segment("你好，我不是学生。一个一个来！統一")
    got = readings(tokens)
    said = {t.text: got[t.start] for t in tokens if t.start in got}
    assert said["你好"] == Reading("nǐ hǎo", "ní hǎo")
    assert said["我"] == Reading("wǒ", "wǒ")
    assert said["不是"] == Reading("bù shì", "bú shì")
    assert said["統一"] == Reading("tǒng yī", "tǒng yī")
    ones = [got[t.start] for t in tokens if t.text == "一"]
    assert ones == [Reading("yī", "yí"), Reading("yī", "yí")]
    assert "，" not in said and all(t.start not in got for t in tokens if t.kind is Kind.PUNCTUATION)


@pytest.mark.parametrize(
    ("phrase", "char", "citation"),
    [
        ("博主讲得好清楚", "得", "de"),
        ("他跑得很快", "得", "de"),
        ("我得走了", "得", "děi"),
        ("你还得等", "得", "děi"),
        ("慢慢地走", "地", "de"),
        ("地很滑", "地", "dì"),
        ("头发很长", "长", "cháng"),
    ],
)
def test_a_lone_character_is_read_by_its_neighbours(phrase, char, citation):
    tokens = plain_segmenter().segment(phrase)
    got = readings(tokens)
    (token,) = [t for t in tokens if t.text == char]
    assert got[token.start].citation == citation


def test_readings_take_curated_pinyin_and_skip_latin(slang):
    tokens = slang.segment("yyds很好")
    got = readings(tokens, {"henhao": "hěn hǎo"})
    assert [(t.text, got.get(t.start)) for t in tokens] == [
        ("yyds", None),
        ("很好", Reading("hěn hǎo", "hén hǎo")),
    ]


def test_readings_of_hashtag_words(slang):
    tokens = slang.segment("#你好#")
    got = readings(tokens)
    assert got == {1: Reading("nǐ hǎo", "ní hǎo")}


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("今天好开心！明天去吃火锅。", "火锅", "明天去吃火锅。"),
        ("今天好开心！明天去吃火锅。", "开心", "今天好开心！"),
        ("他说：“我才不信呢！”然后走了。", "不信", "他说：“我才不信呢！”"),
        ("他说：“我才不信呢！”然后走了。", "走", "然后走了。"),
        ("第一行\n  第二行有字  \n第三行", "有字", "第二行有字"),
        ("真的吗？？？好吧……我信了", "我信", "我信了"),
        ("no end at all", "end", "no end at all"),
    ],
)
def test_sentence_around(text, word, expected):
    offset = text.index(word)
    sentence = sentence_around(text, offset, len(word))
    assert sentence.text == expected
    assert text[sentence.start : sentence.end] == expected


def test_a_long_sentence_is_narrowed_around_the_word_at_a_comma():
    text = "今天天气很好，" * 20 + "我们去公园玩吧，" + "明天也去，" * 20 + "好吗？"
    offset = text.index("公园")
    sentence = sentence_around(text, offset, 2, limit=40)
    assert len(sentence.text) <= 40
    assert "公园" in sentence.text
    assert sentence.text.startswith(("今天", "我们")) and sentence.text.endswith("，")


def test_sentence_around_the_edges():
    assert sentence_around("", 0).text == ""
    assert sentence_around("你好。", 99).text == "你好。"


# -- properties ----------------------------------------------------------------------------------------

EMOJI = ["🙋‍♀️", "👨‍👩‍👧", "👍🏻", "🇨🇳", "1️⃣", "❤️", "🐮🍺", "🫡"]
PIECES = [
    "研究生命",
    "结婚的和尚未结婚的",
    "yyds",
    "YYDS",
    "i人",
    "[doge]",
    "[",
    "]",
    "#",
    "＃",
    "@",
    "[话题]",
    "5201314",
    "12.5",
    "３w",
    "http://t.cn/x",
    ".",
    "。",
    "！！",
    "\n",
    " ",
    "\u200d",
    "\ufe0f",
    "\U000e0100",
    "\x00",
    "\u200b",
    "哈哈哈",
    "三千五百",
    "學習",
    *EMOJI,
]
texts = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=200),
    st.lists(st.sampled_from(PIECES), max_size=60).map("".join),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=60).map("".join),
)


def check_whole(text: str, tokens: list[Token[str]]) -> None:
    assert "".join(token.text for token in tokens) == text
    at = 0
    for token in tokens:
        assert token.text, "empty token"
        assert token.start == at
        assert text[token.start : token.end] == token.text
        if token.parts:
            check_whole(token.text, [Token(p.text, p.kind, p.start - token.start) for p in token.parts])
        at = token.end


@settings(max_examples=400, deadline=None, derandomize=True)
@given(texts)
def test_any_text_comes_back_whole(slang, text):
    check_whole(text, slang.segment(text))


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from([*PIECES, "你好", "abc", "1"]), max_size=40), st.sampled_from(EMOJI))
def test_an_emoji_between_spaces_is_one_token(slang, before, emoji):
    text = "".join(before) + " " + emoji + " "
    tokens = slang.segment(text)
    assert emoji in [token.text for token in tokens]


@settings(max_examples=100, deadline=None, derandomize=True)
@given(texts, st.integers(min_value=0, max_value=300))
def test_readings_and_sentences_for_any_text(slang, text, offset):
    tokens = slang.segment(text)
    starts = {token.start for token in leaves(tokens)}
    assert set(readings(tokens)) <= starts
    sentence = sentence_around(text, offset)
    assert text[sentence.start : sentence.end] == sentence.text


def test_very_long_text(decks):
    long = "".join(text(post) for post in POSTS) * 50
    check_whole(long, decks.segment(long))
    assert len(long) > 50_000
