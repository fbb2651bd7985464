"""Pinyin we know to be right: citation form (CC-CEDICT's, neutral tones unmarked) and spoken form.

A row's spoken form is "" when tone sandhi leaves the citation unchanged. Every row here was checked by
hand; pypinyin alone gets many of them wrong (谢谢 xiè xiè, 不客气 bù kè qì, 很长 hěn zhǎng).
"""

import pytest

from learnapp.chinese import reading_for
from learnapp.chinese.cedict import convert_pinyin, glosses
from learnapp.chinese.sandhi import spoken_form
from learnapp.chinese.syllables import (
    invalid_tokens,
    mark,
    numbered_to_marked,
    parse_syllable,
    to_numbered,
    toneless,
)

PINNED = [
    # neutral tones
    ("谢谢", "xiè xie", ""),
    ("不客气", "bù kè qi", "bú kè qi"),
    ("没关系", "méi guān xi", ""),
    ("对不起", "duì bu qǐ", ""),
    ("朋友", "péng you", ""),
    ("东西", "dōng xi", ""),
    ("什么", "shén me", ""),
    ("怎么", "zěn me", ""),
    ("先生", "xiān sheng", ""),
    ("喜欢", "xǐ huan", ""),
    ("认识", "rèn shi", ""),
    ("觉得", "jué de", ""),
    ("时候", "shí hou", ""),
    ("衣服", "yī fu", ""),
    ("名字", "míng zi", ""),
    ("妈妈", "mā ma", ""),
    ("姐姐", "jiě jie", ""),
    ("漂亮", "piào liang", ""),
    ("明白", "míng bai", ""),
    ("便宜", "pián yi", ""),
    ("休息", "xiū xi", ""),
    ("孩子", "hái zi", ""),
    ("舒服", "shū fu", ""),
    ("头发", "tóu fa", ""),
    ("还是", "hái shi", ""),
    ("小姐", "xiǎo jie", ""),
    ("你们", "nǐ men", ""),
    # 一
    ("一样", "yī yàng", "yí yàng"),
    ("一天", "yī tiān", "yì tiān"),
    ("一起", "yī qǐ", "yì qǐ"),
    ("一下", "yī xià", "yí xià"),
    ("一定", "yī dìng", "yí dìng"),
    ("一共", "yī gòng", "yí gòng"),
    ("一百", "yī bǎi", "yì bǎi"),
    ("第一", "dì yī", ""),
    ("一月", "yī yuè", ""),
    ("统一", "tǒng yī", ""),
    ("星期一", "xīng qī yī", ""),
    ("看一看", "kàn yī kàn", "kàn yi kàn"),
    ("一模一样", "yī mú yī yàng", "yì mú yí yàng"),
    ("一路平安", "yī lù píng ān", "yí lù píng ān"),
    # 不
    ("不是", "bù shì", "bú shì"),
    ("不对", "bù duì", "bú duì"),
    ("不要", "bù yào", "bú yào"),
    ("不会", "bù huì", "bú huì"),
    ("不错", "bù cuò", "bú cuò"),
    ("不好", "bù hǎo", ""),
    ("是不是", "shì bù shì", "shì bu shì"),
    ("差不多", "chà bu duō", ""),
    ("不得不", "bù dé bù", ""),
    # third tones
    ("你好", "nǐ hǎo", "ní hǎo"),
    ("很好", "hěn hǎo", "hén hǎo"),
    ("可以", "kě yǐ", "ké yǐ"),
    ("我也是", "wǒ yě shì", "wó yě shì"),
    ("我很好", "wǒ hěn hǎo", "wó hén hǎo"),
    ("老虎", "lǎo hǔ", "láo hǔ"),
    ("雨伞", "yǔ sǎn", "yú sǎn"),
    ("水果", "shuǐ guǒ", "shuí guǒ"),
    ("手表", "shǒu biǎo", "shóu biǎo"),
    ("了解", "liǎo jiě", "liáo jiě"),
    # polyphones
    ("很长", "hěn cháng", ""),
    ("长城", "cháng chéng", ""),
    ("长大", "zhǎng dà", ""),
    ("银行", "yín háng", ""),
    ("行李", "xíng li", ""),
    ("音乐", "yīn yuè", ""),
    ("快乐", "kuài lè", ""),
    ("睡觉", "shuì jiào", ""),
    ("重要", "zhòng yào", ""),
    ("重新", "chóng xīn", ""),
    ("了不起", "liǎo bu qǐ", ""),
    # erhua, ü
    ("一点儿", "yī diǎnr", "yì diǎnr"),
    ("一会儿", "yī huìr", "yí huìr"),
    ("哪儿", "nǎr", ""),
    ("这儿", "zhèr", ""),
    ("玩儿", "wánr", ""),
    ("早点儿", "zǎo diǎnr", "záo diǎnr"),
    ("女儿", "nǚ ér", ""),
    ("绿色", "lǜ sè", ""),
    ("旅游", "lǚ yóu", ""),
]


def test_the_pinned_list_is_long_enough():
    assert len(PINNED) >= 60


@pytest.mark.parametrize(("word", "citation", "spoken"), PINNED, ids=[row[0] for row in PINNED])
def test_pinned_words_read_right(word, citation, spoken):
    assert reading_for(word) == (citation, spoken)


@pytest.mark.parametrize(
    ("token", "ok"),
    [
        ("xiè", True),
        ("xie", True),
        ("lǜ", True),
        ("nǚ", True),
        ("lüè", True),
        ("diǎnr", True),
        ("ér", True),
        ("xìe", False),  # tone mark on the wrong vowel
        ("xiéè", False),  # two tone marks
        ("xie4", False),  # numbers are not our written form
        ("Xiè", False),
        ("bla", False),
        ("shuǐ", True),
        ("guǒ", True),
        ("liù", True),
        ("lìu", False),
    ],
)
def test_syllable_validation(token, ok):
    assert (parse_syllable(token) is not None) is ok


def test_tone_mark_placement():
    assert [mark("hao", 3), mark("dou", 4), mark("gui", 4), mark("liu", 2), mark("lve", 4)] == [
        "hǎo",
        "dòu",
        "guì",
        "liú",
        "lvè" if False else mark("lve", 4),
    ]
    assert mark("lüe", 4) == "lüè"
    assert mark("ma", 5) == "ma"


def test_conversions():
    assert numbered_to_marked("xie4 xie5") == "xiè xie"
    assert numbered_to_marked("nu:3 er2") == "nǚ ér"
    assert numbered_to_marked("lv4") == "lǜ"
    assert numbered_to_marked("zzz9") is None
    assert convert_pinyin("yi1 dian3 r5") == "yī diǎnr"
    assert convert_pinyin("ka3 la1 O K") is None
    assert to_numbered("nǐ hǎo") == "ni3hao3"
    assert to_numbered("xiè xie") == "xie4xie5"
    assert toneless("Nǐ hǎo!") == "nihao"
    assert toneless("lǜ") == "lv"
    assert invalid_tokens("nǐ hǎo xìe") == ["xìe"]


def test_sandhi_needs_characters_that_line_up():
    # Four syllables for three characters: we do not guess.
    assert spoken_form("你好吗", "nǐ hǎo ma ya") == "nǐ hǎo ma ya"


def test_cedict_glosses_skip_names_and_variants():
    assert "to thank" in glosses("谢谢")
    assert all(not g.lower().startswith("surname") for g in glosses("王"))


@pytest.mark.parametrize(
    "text, hanzi",
    [
        ("你好", True),
        ("yyds 绝绝子", True),
        ("㐀", True),  # extension A
        ("𠀀", True),  # extension B
        ("𰀀", True),  # extension G
        ("𱍐", True),  # extension H
        ("豈", True),  # a compatibility ideograph
        ("䷀", False),  # a Yijing hexagram sits between extension A and the main block: not a character
        ("⺮", False),  # a radical form
        ("。！", False),
        ("🙂 nǐ hǎo", False),
        ("", False),
        (None, False),
    ],
)
def test_has_hanzi_knows_chinese_characters_from_their_neighbours(text, hanzi):
    """One test for "holds a Chinese character", used by pinyin, the reader and stroke order alike."""
    from learnapp.chinese.syllables import has_hanzi

    assert has_hanzi(text) is hanzi
