"""The typed-pinyin checker, the tone drill, and the display helpers (ruby units, pinyin units, schemes)."""

import pytest

from learnapp.chinese.checker import AGAIN, GOOD, check, check_tones, tone_pair
from learnapp.chinese.display import (
    SCHEMES,
    Unit,
    pinyin_units,
    ruby_units,
    scheme_css,
    tone_class,
)

XIEXIE = ("xiè xie", "")
NIHAO = ("nǐ hǎo", "ní hǎo")
YIYANG = ("yī yàng", "yí yàng")
YIDIANR = ("yī diǎnr", "yì diǎnr")
NV = ("nǚ", "")
BUKEQI = ("bù kè qi", "bú kè qi")
KANYIKAN = ("kàn yī kàn", "kàn yi kàn")
XIAN = ("xī ān", "")
ZHANLANGUAN = ("zhǎn lǎn guǎn", "zhán lán guǎn")

# (typed, (citation, spoken), verdict, statuses of the expected syllables, matched form)
CASES = [
    # every way of typing 谢谢
    ("xie4xie5", XIEXIE, "right", "right right", "citation"),
    ("xie4xie", XIEXIE, "right", "right right", "citation"),
    ("xie4xie0", XIEXIE, "right", "right right", "citation"),
    ("xièxie", XIEXIE, "right", "right right", "citation"),
    ("xiè xie", XIEXIE, "right", "right right", "citation"),
    ("xiè xie5", XIEXIE, "right", "right right", "citation"),
    ("XIE4 XIE5", XIEXIE, "right", "right right", "citation"),
    ("Xie4xie", XIEXIE, "right", "right right", "citation"),
    ("XIÈXIE", XIEXIE, "right", "right right", "citation"),
    ("xie4'xie", XIEXIE, "right", "right right", "citation"),
    ("xie4’xie", XIEXIE, "right", "right right", "citation"),
    ("xie4-xie", XIEXIE, "right", "right right", "citation"),
    ("  xie4 xie  ", XIEXIE, "right", "right right", "citation"),
    ("xie 4 xie", XIEXIE, "right", "right right", "citation"),
    ("xie4xie.", XIEXIE, "right", "right right", "citation"),
    ("xie\u0300xie", XIEXIE, "right", "right right", "citation"),  # combining grave accent
    # wrong tones
    ("xie3xie", XIEXIE, "wrong_tone", "tone right", None),
    ("xie4xie4", XIEXIE, "wrong_tone", "right tone", None),
    ("xie4xie1", XIEXIE, "wrong_tone", "right tone", None),
    ("xiexie", XIEXIE, "wrong_tone", "tone right", None),
    ("xie xie5", XIEXIE, "wrong_tone", "tone right", None),
    ("xiéxie", XIEXIE, "wrong_tone", "tone right", None),
    ("xie2xie3", XIEXIE, "wrong_tone", "tone tone", None),
    # wrong, missing and extra syllables
    ("shi4shi", XIEXIE, "wrong", "syllable syllable", None),
    ("xie4shi", XIEXIE, "wrong", "right syllable", None),
    ("xia4xie", XIEXIE, "wrong", "syllable right", None),
    ("xie4", XIEXIE, "wrong", "right missing", None),
    ("xie4xie5xie5", XIEXIE, "wrong", "right right", None),
    ("xie4xie ni3", XIEXIE, "wrong", "right right", None),
    ("hao3", NIHAO, "wrong", "missing right", None),
    ("ni3", NIHAO, "wrong", "right missing", None),
    ("ni3 hao3 ma", NIHAO, "wrong", "right right", None),
    ("wo3 ni3 hao3", NIHAO, "wrong", "right right", None),
    ("zhan3guan3", ZHANLANGUAN, "wrong", "right missing right", None),
    ("zhan3lan3guan3", ZHANLANGUAN, "right", "right right right", "citation"),
    ("zhan2lan2guan3", ZHANLANGUAN, "right", "right right right", "spoken"),
    ("zhan3lan2guan3", ZHANLANGUAN, "right", "right right right", "spoken"),
    ("zhan4lan3guan3", ZHANLANGUAN, "wrong_tone", "tone right right", None),
    # 女: ü as ü, v, u: and a tone mark; u alone is another syllable (nǔ)
    ("nü3", NV, "right", "right", "citation"),
    ("nv3", NV, "right", "right", "citation"),
    ("nu:3", NV, "right", "right", "citation"),
    ("NU:3", NV, "right", "right", "citation"),
    ("nǚ", NV, "right", "right", "citation"),
    ("NV3", NV, "right", "right", "citation"),
    ("nu3", NV, "wrong", "syllable", None),
    ("nü4", NV, "wrong_tone", "tone", None),
    ("lve4", ("lüè", ""), "right", "right", "citation"),
    ("lue4", ("lüè", ""), "right", "right", "citation"),
    ("xu3", ("xǔ", ""), "right", "right", "citation"),
    ("xv3", ("xǔ", ""), "right", "right", "citation"),
    # citation or spoken form
    ("ni3hao3", NIHAO, "right", "right right", "citation"),
    ("ni2hao3", NIHAO, "right", "right right", "spoken"),
    ("níhǎo", NIHAO, "right", "right right", "spoken"),
    ("ni4hao3", NIHAO, "wrong_tone", "tone right", None),
    ("ni3hao2", NIHAO, "wrong_tone", "right tone", None),
    ("nihao", NIHAO, "wrong_tone", "tone tone", None),
    ("yi1yang4", YIYANG, "right", "right right", "citation"),
    ("yi2yang4", YIYANG, "right", "right right", "spoken"),
    ("yi4yang4", YIYANG, "wrong_tone", "tone right", None),
    ("bu4ke4qi", BUKEQI, "right", "right right right", "citation"),
    ("bu2ke4qi5", BUKEQI, "right", "right right right", "spoken"),
    ("bu2ke4qi4", BUKEQI, "wrong_tone", "right right tone", None),
    ("kan4yi1kan4", KANYIKAN, "right", "right right right", "citation"),
    ("kan4yikan4", KANYIKAN, "right", "right right right", "spoken"),
    ("kan4yi4kan4", KANYIKAN, "wrong_tone", "right tone right", None),
    # erhua
    ("yi1dian3r", YIDIANR, "right", "right right", "citation"),
    ("yìdiǎnr", YIDIANR, "right", "right right", "spoken"),
    ("yi4dianr3", YIDIANR, "right", "right right", "spoken"),
    ("yi4 dian3 r", YIDIANR, "right", "right right", "spoken"),
    ("yi4dian3er", YIDIANR, "right", "right right", "spoken"),
    ("yidianr", YIDIANR, "wrong_tone", "tone tone", None),
    ("yi4dian3", YIDIANR, "wrong", "right syllable", None),
    ("nar3", ("nǎr", ""), "right", "right", "citation"),
    # syllables that could be cut two ways: the expected word decides
    ("xi1an1", XIAN, "right", "right right", "citation"),
    ("xī'ān", XIAN, "right", "right right", "citation"),
    ("xiān", XIAN, "wrong_tone", "tone right", None),  # read as xi + ān, the syllables of the word
    ("fang1an4", ("fāng àn", ""), "right", "right right", "citation"),
    # fullwidth letters and invisible characters
    ("ＸＩＥ４ＸＩＥ", XIEXIE, "right", "right right", "citation"),
    ("ｘｉｅ４ ｘｉｅ５", XIEXIE, "right", "right right", "citation"),
    ("xie\u200b4xie", XIEXIE, "right", "right right", "citation"),
    ("\u202exie4xie\u202c", XIEXIE, "right", "right right", "citation"),
    ("\ufeffxie4\u200dxie\x00", XIEXIE, "right", "right right", "citation"),
    ("xie4\txie\n", XIEXIE, "right", "right right", "citation"),
    # bad input: graded wrong, never an exception
    ("", XIEXIE, "wrong", "missing missing", None),
    ("   ", XIEXIE, "wrong", "missing missing", None),
    ("\u200b\u200b", XIEXIE, "wrong", "missing missing", None),
    ("1234", XIEXIE, "wrong", "missing missing", None),
    ("谢谢", XIEXIE, "wrong", "missing missing", None),
    ("😀", XIEXIE, "wrong", "missing missing", None),
    ("<b>xie4xie</b>", XIEXIE, "wrong", "missing missing", None),
    ("<script>alert(1)</script>", XIEXIE, "wrong", "missing missing", None),
    ("xie4xie&amp;", XIEXIE, "wrong", "missing missing", None),
    ("x" * 5000, XIEXIE, "wrong", "missing missing", None),
    ("xie4xie" * 800, XIEXIE, "wrong", "missing missing", None),
    ("xie4xie😀", XIEXIE, "wrong", "right right", None),
    ("xie4谢", XIEXIE, "wrong", "right syllable", None),
    ("xie7xie", XIEXIE, "wrong", "tone right", None),
    ("4xie xie", XIEXIE, "wrong", "tone right", None),
    ("zzz", XIEXIE, "wrong", "syllable missing", None),
    # a Latin word in the answer (嗑CP)
    ("ke4 CP", ("kè CP", ""), "right", "right right", "citation"),
    ("ke4", ("kè CP", ""), "wrong", "right missing", None),
]


def test_there_are_enough_cases():
    assert len(CASES) >= 70


@pytest.mark.parametrize(
    ("typed", "word", "verdict", "statuses", "form"),
    CASES,
    ids=[f"{i}:{row[0][:20]}" for i, row in enumerate(CASES)],
)
def test_check(typed, word, verdict, statuses, form):
    citation, spoken = word
    result = check(typed, citation, spoken)
    assert result.verdict == verdict, result.message
    assert " ".join(mark.status for mark in result.marks) == statuses, result.message
    assert result.matched_form == form
    assert result.message
    assert result.proposed_rating == (GOOD if verdict == "right" else AGAIN)
    assert [mark.expected for mark in result.marks] == citation.split()


def test_marks_show_what_was_typed():
    result = check("xie3 shi4 ma", "xiè xie")
    assert [(m.expected, m.typed, m.status) for m in result.marks] == [
        ("xiè", "xiě", "tone"),
        ("xie", "shì", "syllable"),
    ]
    assert result.extra == ("ma",)
    missing = check("xie4", "xiè xie")
    assert missing.marks[1].typed == ""
    assert check("nv3", "nǚ").marks[0].typed == "nǚ"
    assert check("yi4dian3r", "yī diǎnr", "yì diǎnr").marks[1].typed == "diǎnr"


@pytest.mark.parametrize(
    ("typed", "word", "fragment"),
    [
        ("xie3xie", XIEXIE, "The first syllable is xiè with the 4th tone: you typed xiě (3rd tone)."),
        ("xie4xie3", XIEXIE, "The second syllable is xie with the neutral tone: you typed xiě (3rd tone)."),
        ("xie4xie4", XIEXIE, "you typed xiè (4th tone)"),
        ("xiexie", XIEXIE, "Add the tones"),
        ("xiexie", XIEXIE, "xie4xie or xièxie"),
        ("xi1an", XIAN, "you typed an with no tone"),
        ("nihao", NIHAO, "Add the tones"),
        ("ni4hao3", NIHAO, "said ní"),
        ("ni2hao3", NIHAO, "Right"),
        ("ni3hao3", NIHAO, "In speech it is said ní hǎo"),
        ("xie4", XIEXIE, "The second syllable is missing"),
        ("xie4xie ma", XIEXIE, "extra syllable ma"),
        ("nu3", NV, "v or u:"),
        ("yi4dian3", YIDIANR, "erhua"),
        ("shi4shi", XIEXIE, "The answer is xiè xie"),
        ("", XIEXIE, "Type the pinyin, for example"),
        ("", NIHAO, "Type the pinyin, for example xie4xie or xièxie."),
        ("1234", XIEXIE, "letters"),
        ("谢谢", XIEXIE, "not the characters"),
        ("xie4谢", XIEXIE, "not the characters"),
        ("😀", XIEXIE, "Latin letters"),
        ("xie4xie😀", XIEXIE, "Leave out 😀"),
        ("<b>xie4xie</b>", XIEXIE, "HTML"),
        ("x" * 5000, XIEXIE, "too long"),
        ("xie7xie", XIEXIE, "Tone numbers are 1 to 4"),
        ("xie9", XIEXIE, "Tone numbers are 1 to 4"),
    ],
)
def test_messages_say_what_is_wrong(typed, word, fragment):
    assert fragment in check(typed, *word).message


def test_bad_input_never_gives_the_answer_away():
    for typed in ("", "1234", "谢谢", "😀", "<i>x</i>", "x" * 5000):
        assert "xièxie" not in check(typed, "xiè xie").message
        assert "xie4xie" not in check(typed, "xiè xie").message


def test_long_input_is_graded_not_refused():
    """A 5,000-character answer is checked like any other (its cost is measured, not asserted here)."""
    for typed in ("x" * 5000, "xie4" * 1250, "谢" * 5000, "😀" * 5000, "\u200b" * 5000, "zhuang" * 800):
        assert check(typed, "xiè xie").verdict != "right"


def test_awkward_arguments_do_not_raise():
    assert check(None, "xiè xie").verdict == "wrong"  # type: ignore[arg-type]
    assert check("xie4", "").verdict == "wrong"
    assert check("xie4", "Xiè xie").verdict == "wrong"
    assert check("xie4xie", "Xiè xie").verdict == "right"  # capitals in the expected pinyin


@pytest.mark.parametrize(
    ("citation", "pair"),
    [
        ("nǐ hǎo", (3, 3)),
        ("xiè xie", (4, 5)),
        ("yī diǎnr", (1, 3)),
        ("nǚ", None),
        ("bù kè qi", None),
        ("", None),
    ],
)
def test_tone_pair(citation, pair):
    assert tone_pair(citation) == pair


@pytest.mark.parametrize(
    ("chosen", "word", "verdict", "form"),
    [
        ((3, 3), NIHAO, "right", "citation"),
        ((2, 3), NIHAO, "right", "spoken"),
        ((4, 3), NIHAO, "wrong_tone", None),
        ((4, 5), XIEXIE, "right", "citation"),
        ((4, 4), XIEXIE, "wrong_tone", None),
        ((1, 4), YIYANG, "right", "citation"),
        ((2, 4), YIYANG, "right", "spoken"),
        ((9, 4), YIYANG, "wrong", None),
        ((1,), YIYANG, "wrong", None),
        ((1, 4), ("bù kè qi", ""), "wrong", None),
    ],
)
def test_check_tones(chosen, word, verdict, form):
    result = check_tones(chosen, *word)
    assert result.verdict == verdict
    assert result.matched_form == form
    assert result.proposed_rating == (GOOD if verdict == "right" else AGAIN)
    assert result.message


# ---------------------------------------------------------------------------------------------------
# display


def test_ruby_units_pair_characters_with_syllables():
    units = ruby_units("你好，我是李明。", "Nǐ hǎo, wǒ shì Lǐ Míng.")
    assert units.aligned
    assert units == [
        Unit("你", "Nǐ", 3),
        Unit("好", "hǎo", 3),
        Unit("，", "", None),
        Unit("我", "wǒ", 3),
        Unit("是", "shì", 4),
        Unit("李", "Lǐ", 3),
        Unit("明", "Míng", 2),
        Unit("。", "", None),
    ]


@pytest.mark.parametrize(
    ("hanzi", "pinyin", "expected"),
    [
        ("一点儿", "yī diǎnr", [("一", "yī", 1), ("点儿", "diǎnr", 3)]),
        ("哪儿", "nǎr", [("哪儿", "nǎr", 3)]),
        ("女儿", "nǚ ér", [("女", "nǚ", 3), ("儿", "ér", 2)]),
        ("谢谢", "xiè xie", [("谢", "xiè", 4), ("谢", "xie", 5)]),
        (
            "yyds永远的神",
            "yyds yǒng yuǎn de shén",
            [("yyds", "", None), ("永", "yǒng", 3), ("远", "yuǎn", 3), ("的", "de", 5), ("神", "shén", 2)],
        ),
        ("嗑CP", "kè CP", [("嗑", "kè", 4), ("CP", "", None)]),
        ("我叫Lina", "wǒ jiào Lina", [("我", "wǒ", 3), ("叫", "jiào", 4), ("Lina", "", None)]),
        ("😀你好", "nǐhǎo", [("😀", "", None), ("你", "nǐ", 3), ("好", "hǎo", 3)]),
        ("", "", []),
    ],
)
def test_ruby_units(hanzi, pinyin, expected):
    units = ruby_units(hanzi, pinyin)
    assert units.aligned
    assert [(u.text, u.syllable, u.tone) for u in units] == expected


@pytest.mark.parametrize(
    ("hanzi", "pinyin"),
    [("你好", "nǐ"), ("你好", "nǐ hǎo ma"), ("一点儿", "yī diǎn"), ("你好", ""), ("你好吗", "nǐ hǎo")],
)
def test_ruby_units_flag_what_does_not_line_up(hanzi, pinyin):
    units = ruby_units(hanzi, pinyin)
    assert not units.aligned
    assert [u.text for u in units] == list(hanzi) or "".join(u.text for u in units) == hanzi
    assert all(u.syllable == "" and u.tone is None for u in units)


@pytest.mark.parametrize(
    ("pinyin", "expected"),
    [
        (
            "Nǐ hǎo, wǒ shì Lǐ Míng.",
            [
                ("Nǐ", 3),
                (" ", None),
                ("hǎo", 3),
                (", ", None),
                ("wǒ", 3),
                (" ", None),
                ("shì", 4),
                (" ", None),
                ("Lǐ", 3),
                (" ", None),
                ("Míng", 2),
                (".", None),
            ],
        ),
        ("xiè xie", [("xiè", 4), (" ", None), ("xie", 5)]),
        ("Nǐhǎo!", [("Nǐ", 3), ("hǎo", 3), ("!", None)]),
        ("Xī'ān", [("Xī", 1), ("'", None), ("ān", 1)]),
        ("Běijīng", [("Běi", 3), ("jīng", 1)]),
        ("yī diǎnr", [("yī", 1), (" ", None), ("diǎnr", 3)]),
        ("NǏ HǍO", [("NǏ", 3), (" ", None), ("HǍO", 3)]),
        ("lǜ sè", [("lǜ", 4), (" ", None), ("sè", 4)]),
        ("yyds", [("yyds", None)]),
        ("", []),
    ],
)
def test_pinyin_units(pinyin, expected):
    assert pinyin_units(pinyin) == expected
    assert "".join(text for text, _ in pinyin_units(pinyin)) == pinyin


def test_schemes():
    assert SCHEMES["pleco"] == {1: "red", 2: "green", 3: "blue", 4: "purple", 5: "grey"}
    assert SCHEMES["dummitt"] == {1: "red", 2: "orange", 3: "green", 4: "blue", 5: "grey"}
    assert SCHEMES["off"] is None
    for name, colours in SCHEMES.items():
        if colours is not None:
            assert sorted(colours) == [1, 2, 3, 4, 5], name
            assert len(set(colours.values())) == 5, name
    assert "body.tones-dummitt .tone2" in scheme_css("dummitt")
    assert scheme_css("off") == scheme_css("nonsense") == ""
    assert [tone_class(t) for t in (1, 5, None)] == ["tone1", "tone5", ""]


# ---------------------------------------------------------------------------------------------------
# plain reasons: no answer, not pinyin, unknown syllables, extra text


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "empty"),
        ("  \u200b ", "empty"),
        ("谢谢", "not_pinyin"),
        ("1234", "not_pinyin"),
        ("<b>xie4xie</b>", "not_pinyin"),
        ("zzz", "unknown"),
        ("xie4 qqq", "unknown"),
        ("xie4xie ma", "extra"),
        ("xie4xie😀", "extra"),
        ("xie3xie", ""),
        ("shi4shi", ""),
        ("xie4xie", ""),
    ],
)
def test_each_wrong_answer_has_one_plain_reason(typed, reason):
    result = check(typed, "xiè xie")
    assert result.reason == reason
    assert result.answered == (reason != "empty")


def test_no_answer_is_not_called_wrong():
    message = check("", "xiè xie").message
    assert message.startswith("Nothing typed")
    assert "wrong" not in message.lower()


def test_unknown_syllables_are_named():
    assert check("zzz", "xiè xie").message.startswith("“zzz” is not a pinyin syllable.")
    assert "Add the tones" not in check("zzz", "xiè xie").message  # one thing at a time


def test_extra_text_says_the_word_itself_was_right():
    message = check("xie4xie ni3", "xiè xie").message
    assert message.startswith("Every syllable of the word is there, but you typed more than the word has")
    assert "the extra syllable nǐ" in message
    emoji = check("xie4xie😀", "xiè xie").message
    assert "Leave out 😀" in emoji and "extra syllable 😀" not in emoji  # said once
