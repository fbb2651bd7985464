"""Tone sandhi on phrases and sentences: spoken_phrase.

Each row is (characters, citation pinyin, spoken pinyin), the spoken form being standard Mandarin at normal
speed; "" means the citation is said as written. Every row was checked by hand.
"""

import pytest

from learnapp.chinese.sandhi import spoken_form, spoken_phrase, words_of

PHRASES = [
    # the examples of the issue
    ("你好", "nǐ hǎo", "ní hǎo"),
    ("很好", "hěn hǎo", "hén hǎo"),
    ("一样", "yī yàng", "yí yàng"),
    ("一天", "yī tiān", "yì tiān"),
    ("不客气", "bù kè qi", "bú kè qi"),
    ("看一看", "kàn yī kàn", "kàn yi kàn"),
    ("是不是", "shì bù shì", "shì bu shì"),
    # 一 before each tone
    ("一生", "yī shēng", "yì shēng"),
    ("一年", "yī nián", "yì nián"),
    ("一起", "yī qǐ", "yì qǐ"),
    ("一定", "yī dìng", "yí dìng"),
    ("一个", "yī ge", "yí ge"),
    ("一百", "yī bǎi", "yì bǎi"),
    # 不 before each tone
    ("不吃", "bù chī", ""),
    ("不来", "bù lái", ""),
    ("不好", "bù hǎo", ""),
    ("不去", "bù qù", "bú qù"),
    ("不是", "bù shì", "bú shì"),
    ("我不！", "Wǒ bù!", ""),
    # third-tone runs of 2, 3 and 4 syllables; a neutral tone breaks a run
    ("可以", "kě yǐ", "ké yǐ"),
    ("展览馆", "zhǎn lǎn guǎn", "zhán lán guǎn"),
    ("我很好", "wǒ hěn hǎo", "wó hén hǎo"),
    ("我也很好", "wǒ yě hěn hǎo", "wó yé hén hǎo"),
    ("我也是", "wǒ yě shì", "wó yě shì"),
    ("小姐", "xiǎo jie", ""),
    ("你们好", "nǐ men hǎo", ""),
    ("我有一个朋友", "wǒ yǒu yī gè péng you", "wó yǒu yí gè péng you"),
    # 一 stays yī: ordinals, dates, numbers, the end of a word
    ("第一", "dì yī", ""),
    ("第一次", "dì yī cì", ""),
    ("一月", "yī yuè", ""),
    ("一号", "yī hào", ""),
    ("一月一号", "yī yuè yī hào", ""),
    ("十一", "shí yī", ""),
    ("一一", "yī yī", ""),
    ("统一", "tǒng yī", ""),
    ("统一中国", "tǒng yī zhōng guó", ""),
    ("星期一去", "xīng qī yī qù", ""),
    ("周一见", "zhōu yī jiàn", ""),
    ("原因之一是", "yuán yīn zhī yī shì", ""),
    ("万一下雨", "wàn yī xià yǔ", ""),
    ("一，二，三", "yī, èr, sān", ""),
    # 一 and 不 across words
    ("这一天", "zhè yī tiān", "zhè yì tiān"),
    ("另一个", "lìng yī gè", "lìng yí gè"),
    ("这周一起去", "zhè zhōu yī qǐ qù", "zhè zhōu yì qǐ qù"),
    ("一个一个", "yī gè yī gè", "yí gè yí gè"),
    ("一天一天", "yī tiān yī tiān", "yì tiān yì tiān"),
    ("一模一样", "yī mú yī yàng", "yì mú yí yàng"),
    ("一路平安", "yī lù píng ān", "yí lù píng ān"),
    ("想一想", "xiǎng yī xiǎng", "xiǎng yi xiǎng"),
    ("好不好", "hǎo bù hǎo", "hǎo bu hǎo"),
    ("你去不去", "nǐ qù bù qù", "nǐ qù bu qù"),
    ("我不是", "wǒ bù shì", "wǒ bú shì"),
    ("我不会说", "wǒ bù huì shuō", "wǒ bú huì shuō"),
    ("不一样", "bù yī yàng", "bù yí yàng"),
    # erhua
    ("一点儿", "yī diǎnr", "yì diǎnr"),
    ("一会儿", "yī huìr", "yí huìr"),
    ("有点儿", "yǒu diǎnr", "yóu diǎnr"),
    ("早点儿", "zǎo diǎnr", "záo diǎnr"),
    ("好玩儿", "hǎo wánr", ""),
    # punctuation ends a prosodic group; capitals and spacing are kept
    ("你好，我很好。", "Nǐ hǎo, wǒ hěn hǎo.", "Ní hǎo, wó hén hǎo."),
    ("你好！我也很好。", "Nǐ hǎo! Wǒ yě hěn hǎo.", "Ní hǎo! Wó yé hén hǎo."),
    ("好，你好", "hǎo, nǐ hǎo", "hǎo, ní hǎo"),
    ("我买了，你买", "wǒ mǎi le, nǐ mǎi", "wó mǎi le, ní mǎi"),
    ("你好", "Nǐhǎo", "Níhǎo"),
    ("yyds你好", "yyds nǐ hǎo", "yyds ní hǎo"),
]


def test_there_are_enough_phrases():
    assert len(PHRASES) >= 45


@pytest.mark.parametrize(("hanzi", "citation", "spoken"), PHRASES, ids=[row[0] for row in PHRASES])
def test_spoken_phrase(hanzi, citation, spoken):
    assert spoken_phrase(hanzi, citation) == (spoken or citation)


@pytest.mark.parametrize(
    ("hanzi", "citation"),
    [
        ("你好吗", "nǐ hǎo ma ya"),  # four syllables for three characters
        ("你好", "nǐ"),
        ("一点儿", "yī diǎn"),  # 儿 without its erhua syllable
        ("", "nǐ hǎo"),
        ("你好", ""),
        ("hello", "hello"),
    ],
)
def test_nothing_changes_when_the_syllables_do_not_line_up(hanzi, citation):
    assert spoken_phrase(hanzi, citation) == citation


@pytest.mark.parametrize(
    ("hanzi", "citation", "spoken"),
    [
        ("你好", "nǐ hǎo", "ní hǎo"),
        ("统一", "tǒng yī", "tǒng yī"),
        ("一样", "yī yàng", "yí yàng"),
        ("是不是", "shì bù shì", "shì bu shì"),
        ("一点儿", "yī diǎnr", "yì diǎnr"),
    ],
)
def test_headwords_read_the_same_either_way(hanzi, citation, spoken):
    assert spoken_form(hanzi, citation) == spoken
    assert spoken_phrase(hanzi, citation) == spoken


def test_words_are_the_fewest_dictionary_words():
    assert words_of("星期一去") == ("星期一", "去")
    assert words_of("这周一起去") == ("这", "周", "一起", "去")
    assert words_of("统一中国") == ("统一", "中国")
