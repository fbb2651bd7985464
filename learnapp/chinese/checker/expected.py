"""The expected answer: a word's pinyin as syllables, each allowing its citation and spoken tone; and
typing examples that never spell the answer."""

from __future__ import annotations

import re

from learnapp.chinese.checker.model import Expected
from learnapp.chinese.display import pinyin_pieces
from learnapp.chinese.syllables import NEUTRAL

Form = tuple[list[Expected], str | None]  # the syllables, and "citation" | "spoken" when checked apart

_TYPING_EXAMPLES = (
    (("xie", "xie"), "xie4xie", "xièxie"),
    (("ni", "hao"), "ni3hao3", "nǐhǎo"),
    (("zai", "jian"), "zai4jian4", "zàijiàn"),
    (("ma", "ma"), "ma1ma", "māma"),
)


def expected_items(pinyin: str) -> list[Expected]:
    items: list[Expected] = []
    for piece in pinyin_pieces(pinyin):
        if piece.syllable is not None:
            s = piece.syllable
            items.append(Expected(s.base, s.tone, frozenset({s.tone}), erhua=s.erhua))
        else:
            for word in re.findall(r"[A-Za-z]+", piece.text):
                items.append(Expected(word.lower(), NEUTRAL, frozenset({NEUTRAL}), literal=True, shown=word))
    return items


def forms(citation: str, spoken: str) -> list[Form]:
    """The expected syllables, each allowing its citation and spoken tone; when the spoken form does not
    line up with the citation syllable for syllable, the two forms separately."""
    cited = expected_items(citation)
    if not spoken or spoken == citation:
        return [(cited, None)]
    said = expected_items(spoken)
    if [e.base for e in said] == [e.base for e in cited]:
        both = [
            Expected(c.base, c.citation, c.allowed | s.allowed, c.erhua, c.literal, c.shown)
            for c, s in zip(cited, said, strict=True)
        ]
        return [(both, None)]
    return [(cited, "citation"), (said, "spoken")]


def example(expected: list[Expected]) -> str:
    """A typing example that does not give the answer away."""
    if [e.base for e in expected] == ["xie", "xie"]:
        return "ni3hao3 or nǐhǎo"
    return "xie4xie or xièxie"


def typing_examples(pinyin: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """Two examples of typed pinyin, each as (tone numbers, tone marks), for the answer box of a word read
    `pinyin`: ones that share no syllable with it where possible, so the box never spells its own answer."""
    bases = {e.base for e in expected_items(pinyin or "")}
    ranked = sorted(_TYPING_EXAMPLES, key=lambda example: bool(bases & set(example[0])))
    return (ranked[0][1], ranked[0][2]), (ranked[1][1], ranked[1][2])
