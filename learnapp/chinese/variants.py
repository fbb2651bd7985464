"""How curated headwords are written in the wild when not written as the headword, for the segmenter.

- Stretched slang: hhhhhh is hhh, 2333333 is 233, 66666 is 666, 55555 is 555 (the longer, the louder).
- Emoji: 👍🏻 (any skin tone) is the entry for 👍, and ❤ the entry for ❤️ (the variation selector aside).
- Curated numbers run together: 5201314 is 520 and 1314.
- A curated number is slang only when it is not an amount: 88元, 233楼, 第520, ¥666 and 3.88 are numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

import regex

from learnapp.chinese import scan

Ref = TypeVar("Ref")

UNITS = frozenset("元块毛角分岁个只次天年月日号点秒斤克米度楼层页条张本件位名倍周万千百亿十%％")
STRETCHED = (  # a stretched spelling -> the curated headword it stretches
    (regex.compile(r"h{3,}"), "hhh"),
    (regex.compile(r"23{3,}"), "233"),
    (regex.compile(r"6{4,}"), "666"),
    (regex.compile(r"5{4,}"), "555"),
)
_EMOJI_MODIFIERS = regex.compile(r"[\uFE0F\U0001F3FB-\U0001F3FF]")
_EMOJI_START = regex.compile(r"\p{Extended_Pictographic}|\p{Regional_Indicator}")


def forms(headword: str) -> set[str]:
    """The spellings a curated headword is looked up by: itself, and an emoji without its variation
    selector or skin tone."""
    found = {headword}
    if _EMOJI_START.match(headword):
        found.add(_EMOJI_MODIFIERS.sub("", headword))
    return {form for form in found if form}


def is_amount(text: str, start: int, end: int, key: str) -> bool:
    """True when text[start:end], a curated number `key`, is an amount: a unit after it (88元, 233楼),
    or 第, a currency sign or a decimal point before it."""
    if not key.isdigit():
        return False
    after = text[end : end + 1]
    before = text[start - 1 : start] if start else ""
    return (after != "" and after in UNITS) or before in ("第", "¥", "￥", "$", ".", "．")


def pieces(
    curated: Mapping[str, Ref | None], text: str, start: int, end: int, kind: str
) -> list[tuple[int, int, Ref]] | None:
    """The curated pieces of text[start:end], a Latin word, number or emoji that is not written as a
    headword (`curated`: folded headword or prefix -> entry, None for a prefix); None when there are
    none."""
    piece = scan.fold(text[start:end])
    if curated.get(piece) is not None:
        return None  # written as a headword: the segmenter's walk finds it
    if kind == scan.EMOJI:
        entry = curated.get(_EMOJI_MODIFIERS.sub("", piece))
        return None if entry is None else [(start, end, entry)]
    if is_amount(text, start, end, piece):
        return None
    for pattern, headword in STRETCHED:
        entry = curated.get(headword)
        if entry is not None and pattern.fullmatch(piece):
            return [(start, end, entry)]
    return _run_together(curated, piece, start) if piece.isdigit() else None


def _run_together(
    curated: Mapping[str, Ref | None], digits: str, start: int
) -> list[tuple[int, int, Ref]] | None:
    """5201314 -> 520 and 1314, when every piece is a curated number of two digits or more."""
    size = len(digits)
    best: list[list[tuple[int, int, Ref]] | None] = [None] * (size + 1)
    best[0] = []
    for i in range(size):
        head = best[i]
        if head is None:
            continue
        for j in range(i + 2, size + 1):
            entry = curated.get(digits[i:j])
            known = best[j]
            if entry is not None and (known is None or len(head) + 1 < len(known)):
                best[j] = [*head, (start + i, start + j, entry)]
    found = best[size]
    return found if found is not None and len(found) > 1 else None
