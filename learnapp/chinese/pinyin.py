"""Citation pinyin for a headword.

The order of trust: pinyin written in the deck file (the caller uses it when present), then pypinyin with
our own override phrases. pypinyin alone gets neutral tones wrong (谢谢 -> xiè xiè); the overrides fix
the words we know it misreads.
"""

from __future__ import annotations

import re
from functools import cache

_HANZI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]")

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
}


def has_hanzi(text: str) -> bool:
    return bool(_HANZI.search(text))


@cache
def _converter():
    from pypinyin import Style, load_phrases_dict, pinyin

    load_phrases_dict(
        {word: [[syllable] for syllable in value.split()] for word, value in OVERRIDE_PHRASES.items()}
    )
    return pinyin, Style


def pinyin_for(text: str) -> str:
    """Citation pinyin with tone marks, one space between syllables; non-hanzi characters are skipped."""
    if not has_hanzi(text):
        return ""
    pinyin, style = _converter()
    syllables = []
    for item in pinyin(
        text, style=style.TONE, heteronym=False, errors="ignore", neutral_tone_with_five=False
    ):
        syllables.extend(part for part in item[0].split() if part)
    return " ".join(syllables)
