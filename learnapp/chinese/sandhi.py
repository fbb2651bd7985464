"""Tone sandhi: the spoken form of a word from its citation pinyin.

Rules, applied within one word or set phrase (the unit a headword is):
- 不 bù before a fourth tone is said bú (不是 bú shì, 不客气 bú kè qi); between a repeated verb or
  adjective it is neutral (是不是 shì bu shì).
- 一 yī before a fourth tone is said yí (一样 yí yàng), before any other tone yì (一天 yì tiān); between
  a repeated verb it is neutral (看一看 kàn yi kàn). It stays yī when counted or ordinal: at the end of a
  word (统一), after 第, 十, 初, 万, 唯, 统, or before a digit or a date/rank word (一月, 一号, 一楼).
- A third tone before a third tone is said as a second tone (你好 ní hǎo); in a run of third tones all
  but the last rise (我也很好 wó yé hén hǎo), the usual reading at normal speed. A neutral tone breaks a
  run: its underlying tone is not written, so we change nothing rather than guess (小姐 stays xiǎo jie).

Where the syllables cannot be lined up with the characters, nothing is changed.
"""

from __future__ import annotations

from learnapp.chinese.syllables import NEUTRAL, Syllable, align, parse_pinyin

_YI_STAYS_AFTER = set("第十初万唯统")
_YI_STAYS_BEFORE = set("一二三四五六七八九十〇零月号楼等级层流线")


def spoken_syllables(hanzi: str, syllables: list[Syllable]) -> list[Syllable]:
    units = align(hanzi, syllables)
    if units is None:
        return list(syllables)
    tones = [s.tone for s in syllables]
    count = len(syllables)
    for i, unit in enumerate(units):
        before = units[i - 1] if i > 0 else None
        after = units[i + 1] if i + 1 < count else None
        reduplicated = before is not None and before == after
        if unit == "不" and syllables[i].base == "bu" and tones[i] == 4:
            if reduplicated:
                tones[i] = NEUTRAL
            elif after is not None and tones[i + 1] == 4:
                tones[i] = 2
        elif unit == "一" and syllables[i].base == "yi" and tones[i] == 1:
            if reduplicated:
                tones[i] = NEUTRAL
            elif after is None or (before and before[-1] in _YI_STAYS_AFTER) or after[0] in _YI_STAYS_BEFORE:
                continue
            else:
                tones[i] = 2 if tones[i + 1] in (4, NEUTRAL) else 4
    # Third-tone runs: every third tone written before another third tone rises.
    for i in range(count - 1):
        if syllables[i].tone == 3 and syllables[i + 1].tone == 3:
            tones[i] = 2
    return [Syllable(s.base, tone, s.erhua) for s, tone in zip(syllables, tones, strict=True)]


def spoken_form(hanzi: str, citation: str) -> str:
    """The spoken pinyin of `hanzi` read `citation`; equal to `citation` when no sandhi applies."""
    syllables = parse_pinyin(citation)
    if not syllables:
        return citation
    return " ".join(s.marked for s in spoken_syllables(hanzi, syllables))
