"""Citation pinyin for a headword, and its spoken form.

The order of trust: pinyin written in the deck file (the caller uses it when present), then CC-CEDICT
(the word's common reading; of several, the one pypinyin would choose), then pypinyin with our own
override phrases. pypinyin alone gets neutral tones wrong (谢谢 -> xiè xiè); CC-CEDICT and the overrides
fix them.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from learnapp.chinese import cedict
from learnapp.chinese.sandhi import spoken_form
from learnapp.chinese.syllables import hanzi_of, has_hanzi

# Citation pinyin, one syllable a list item, for words pypinyin reads wrongly.
OVERRIDE_PHRASES: dict[str, str] = {
    "谢谢": "xiè xie",
    "不客气": "bù kè qi",
    "没关系": "méi guān xi",
    "东西": "dōng xi",
    "朋友": "péng you",
    "什么": "shén me",
    "怎么": "zěn me",
    "这么": "zhè me",
    "那么": "nà me",
    "先生": "xiān sheng",
    "喜欢": "xǐ huan",
    "认识": "rèn shi",
    "觉得": "jué de",
    "知道": "zhī dao",
    "时候": "shí hou",
    "衣服": "yī fu",
    "名字": "míng zi",
    "妈妈": "mā ma",
    "爸爸": "bà ba",
    "哥哥": "gē ge",
    "姐姐": "jiě jie",
    "弟弟": "dì di",
    "妹妹": "mèi mei",
    "宝子": "bǎo zi",
    "漂亮": "piào liang",
    "明白": "míng bai",
    "很长": "hěn cháng",
    "妻子": "qī zi",
    "多少": "duō shao",
    "起来": "qǐ lai",
}


# The everyday reading of characters with several, for a headword that stands alone (HSK lists give no
# pinyin). Other readings are shown as "also read".
PRIMARY_READINGS: dict[str, str] = {
    "长": "cháng",
    "行": "xíng",
    "得": "dé",
    "了": "le",
    "还": "hái",
    "的": "de",
    "地": "dì",
    "都": "dōu",
    "重": "zhòng",
    "觉": "jué",
    "为": "wèi",
    "和": "hé",
    "没": "méi",
    "好": "hǎo",
    "少": "shǎo",
    "只": "zhǐ",
    "教": "jiāo",
    "乐": "lè",
    "发": "fā",
    "干": "gàn",
    "当": "dāng",
    "空": "kōng",
    "便": "biàn",
    "种": "zhǒng",
    "数": "shù",
    "差": "chà",
    "场": "chǎng",
    "要": "yào",
    "难": "nán",
    "相": "xiāng",
    "正": "zhèng",
    "中": "zhōng",
    "大": "dà",
    "着": "zhe",
    "过": "guò",
    "会": "huì",
    "分": "fēn",
    "看": "kàn",
    "哪": "nǎ",
    "那": "nà",
    "一": "yī",
    "不": "bù",
}


@cache
def _converter() -> tuple[Any, Any]:
    from pypinyin import Style, load_phrases_dict, pinyin

    load_phrases_dict(
        {word: [[syllable] for syllable in value.split()] for word, value in OVERRIDE_PHRASES.items()}
    )
    return pinyin, Style


def pinyin_for(text: str) -> str:
    """Citation pinyin with tone marks, one space between syllables; non-hanzi characters are skipped."""
    if not has_hanzi(text):
        return ""
    if text in OVERRIDE_PHRASES:
        return OVERRIDE_PHRASES[text]
    readings = cedict.readings(text)
    if len(readings) == 1:
        return readings[0]
    if text in PRIMARY_READINGS:
        return PRIMARY_READINGS[text]
    guess = _pypinyin(text)
    if not readings:
        return guess
    # Several readings (告诉 gào su "to tell" / gào sù "to press charges"): the one with the most senses,
    # then the one closest to pypinyin's choice (不是 bù shì over bú shi), then the dictionary's order.
    wanted = guess.split()

    def score(reading: str) -> tuple[int, int]:
        senses = sum(len(g.split(";")) for g in cedict.glosses(text, reading, limit=100))
        return senses, sum(a == b for a, b in zip(reading.split(), wanted, strict=False))

    return max(readings, key=score)


def reading_for(text: str, citation: str | None = None) -> tuple[str, str]:
    """(citation, spoken) for `text`; spoken is "" when tone sandhi leaves the citation unchanged."""
    citation = citation if citation is not None else pinyin_for(text)
    spoken = spoken_form(text, citation) if citation else ""
    return citation, ("" if spoken == citation else spoken)


def pypinyin_reading(text: str) -> str:
    """pypinyin's usual reading of `text` (with the phrases above), in citation form; no CC-CEDICT."""
    return _pypinyin(text)


def _pypinyin(text: str) -> str:
    pinyin, style = _converter()
    syllables: list[str] = []
    for item in pinyin(
        text, style=style.TONE, heteronym=False, errors="ignore", neutral_tone_with_five=False
    ):
        syllables.extend(part for part in item[0].split() if part)
    return _citation(text, syllables)


def _citation(text: str, syllables: list[str]) -> str:
    """pypinyin writes some phrases with 一/不 sandhi and erhua as ér; put them back in citation form."""
    hanzi = hanzi_of(text)
    if len(hanzi) == len(syllables):
        fixed: list[str] = []
        for char, syllable in zip(hanzi, syllables, strict=True):
            if char == "不" and syllable == "bú":
                syllable = "bù"
            elif char == "一" and syllable in ("yí", "yì"):
                syllable = "yī"
            elif char == "儿" and syllable in ("ér", "er") and fixed:
                fixed[-1] += "r"
                continue
            fixed.append(syllable)
        syllables = fixed
    return " ".join(syllables)
