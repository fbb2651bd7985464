"""Pinyin syllables: parse, validate, and convert between tone marks and tone numbers.

Our written form (deck files, the database) is tone marks, lowercase, one space between syllables, the
neutral tone unmarked (xiè xie) and erhua attached to its syllable (yī diǎnr). Tones are numbered 1-4 and
5 for the neutral tone. The set of valid syllables comes from pypinyin's character dictionary (425
toneless syllables, interjections such as hm and ng included), so it is data, not a hand-typed list.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

NEUTRAL = 5
_MARKS = {
    "a": "āáǎà",
    "e": "ēéěè",
    "i": "īíǐì",
    "o": "ōóǒò",
    "u": "ūúǔù",
    "ü": "ǖǘǚǜ",
}
_UNMARK = {marked: (vowel, tone + 1) for vowel, row in _MARKS.items() for tone, marked in enumerate(row)}
_VOWELS = "aeiouü"
_SEPARATORS = re.compile(r"[\s'’]+")


@cache
def valid_syllables() -> frozenset[str]:
    """Every toneless syllable (ü written ü) that some character is read as."""
    from pypinyin.pinyin_dict import pinyin_dict

    found = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            base, _ = _strip_tone(reading)
            if base:
                found.add(base)
    return frozenset(found)


def _strip_tone(token: str) -> tuple[str, int]:
    """("xiè" -> "xie", 4); a token with two tone marks gives ("", 0)."""
    tone = NEUTRAL
    letters = []
    for char in unicodedata.normalize("NFC", token):
        if char in _UNMARK:
            if tone != NEUTRAL:
                return "", 0
            vowel, tone = _UNMARK[char]
            letters.append(vowel)
        else:
            letters.append(char)
    return "".join(letters), tone


def mark(base: str, tone: int) -> str:
    """Write toneless `base` with `tone` (1-5) as a tone mark in the standard place: a or e, else o of ou,
    else the last vowel. Erhua bases (dianr) keep the mark on the syllable before the r."""
    if tone == NEUTRAL or tone not in (1, 2, 3, 4):
        return base
    if base.endswith("r") and base != "er" and base[:-1] in valid_syllables():
        return mark(base[:-1], tone) + "r"
    if "a" in base:
        index = base.index("a")
    elif "e" in base:
        index = base.index("e")
    elif "ou" in base:
        index = base.index("o")
    else:
        positions = [i for i, char in enumerate(base) if char in _VOWELS]
        if not positions:
            # Syllabic nasals (m, n, ng) carry no vowel; we write them unmarked.
            return base
        index = positions[-1]
    return base[:index] + _MARKS[base[index]][tone - 1] + base[index + 1 :]


@dataclass(frozen=True, slots=True)
class Syllable:
    base: str  # toneless, ü as ü, erhua r included (dianr)
    tone: int  # 1-4, 5 = neutral
    erhua: bool = False

    @property
    def marked(self) -> str:
        return mark(self.base, self.tone)

    @property
    def numbered(self) -> str:
        return f"{self.base.replace('ü', 'v')}{self.tone}"


def parse_syllable(token: str) -> Syllable | None:
    """One syllable in tone marks (xiè, lǜ, diǎnr, xie); None when it is not valid pinyin or the tone mark
    is misplaced (xìe)."""
    if not token or token != token.lower():
        return None
    base, tone = _strip_tone(token)
    if not base:
        return None
    syllables = valid_syllables()
    erhua = False
    if base not in syllables:
        if base.endswith("r") and base[:-1] in syllables:
            erhua = True
        else:
            return None
    syllable = Syllable(base, tone, erhua)
    if syllable.marked != unicodedata.normalize("NFC", token):
        return None
    return syllable


def split_pinyin(text: str) -> list[str]:
    return [token for token in _SEPARATORS.split(text.strip()) if token]


def parse_pinyin(text: str) -> list[Syllable] | None:
    """Space-separated syllables in tone marks; None if any token is not a valid syllable."""
    result = []
    for token in split_pinyin(text):
        syllable = parse_syllable(token)
        if syllable is None:
            return None
        result.append(syllable)
    return result


def invalid_tokens(text: str) -> list[str]:
    """The tokens of `text` that are not valid syllables in tone marks (for validation messages)."""
    return [token for token in split_pinyin(text) if parse_syllable(token) is None]


_NUMBERED = re.compile(r"^([a-zü:]+?)([0-5]?)$")


def from_numbered(token: str) -> Syllable | None:
    """A CC-CEDICT style syllable (xie4, nu:3, lv4, ma5, ma) to a Syllable; None when not valid."""
    match = _NUMBERED.match(token.lower().replace("u:", "ü").replace("v", "ü"))
    if not match:
        return None
    base, digit = match.groups()
    tone = int(digit) if digit and digit != "0" else NEUTRAL
    syllables = valid_syllables()
    if base in syllables:
        return Syllable(base, tone)
    if base.endswith("r") and base[:-1] in syllables:
        return Syllable(base, tone, erhua=True)
    return None


def numbered_to_marked(text: str) -> str | None:
    syllables = [from_numbered(token) for token in split_pinyin(text)]
    if not syllables or any(s is None for s in syllables):
        return None
    return " ".join(s.marked for s in syllables)  # type: ignore[union-attr]


def to_numbered(text: str) -> str:
    """ "nǐ hǎo" -> "ni3hao3" (neutral as 5): the form search compares. Invalid tokens are kept toneless."""
    out = []
    for token in split_pinyin(text.lower()):
        syllable = parse_syllable(token)
        out.append(syllable.numbered if syllable else toneless(token))
    return "".join(out)


def toneless(text: str) -> str:
    """ "nǐ hǎo" -> "nihao": letters only, ü as v, tones and spaces gone."""
    letters = []
    for char in unicodedata.normalize("NFC", text.lower()):
        if char in _UNMARK:
            letters.append(_UNMARK[char][0])
        elif char.isalpha():
            letters.append(char)
    return "".join(letters).replace("ü", "v")


# Chinese characters: the CJK Unified Ideographs (U+4E00-9FFF) and their extensions A (U+3400-4DBF, which
# stops before the Yijing hexagram symbols), B to F and I (U+20000-2EE5F), G and H (U+30000-323AF), and the
# compatibility ideographs (U+F900-FAFF, U+2F800-2FA1F).
_HANZI = re.compile(
    r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    r"\U00020000-\U0002ee5f\U0002f800-\U0002fa1f\U00030000-\U000323af]"
)


def has_hanzi(text: str | None) -> bool:
    """Does `text` hold a Chinese character (see _HANZI; not the hexagrams, radicals or punctuation)?"""
    return bool(text and _HANZI.search(text))


def hanzi_of(text: str) -> list[str]:
    """The Chinese characters of `text`, in order (letters, digits, emoji and punctuation left out)."""
    return _HANZI.findall(text)


def align(hanzi: str, syllables: list[Syllable]) -> list[str] | None:
    """The characters of `hanzi` that go with each syllable (儿 folded into an erhua syllable such as
    diǎnr); None when they do not line up one to one. Characters other than hanzi are skipped."""
    chars = hanzi_of(hanzi)
    units: list[str] = []
    index = 0
    for syllable in syllables:
        if index >= len(chars):
            return None
        unit = chars[index]
        index += 1
        if syllable.erhua:
            if index < len(chars) and chars[index] == "儿":
                unit += "儿"
                index += 1
            elif unit != "儿":
                return None
        units.append(unit)
    return units if index == len(chars) else None


def segment(letters: str) -> list[str] | None:
    """Split toneless letters into syllables ("xiexie" -> ["xie", "xie"], "nihao" -> ["ni", "hao"]),
    the fewest syllables that cover them; None when they cannot be split. ü is written v."""
    syllables = {s.replace("ü", "v") for s in valid_syllables()}
    best: list[list[str] | None] = [None] * (len(letters) + 1)
    best[0] = []
    for end in range(1, len(letters) + 1):
        for start in range(max(0, end - 6), end):
            head = best[start]
            piece = letters[start:end]
            if head is not None and piece in syllables:
                candidate = [*head, piece]
                if best[end] is None or len(candidate) < len(best[end]):  # type: ignore[arg-type]
                    best[end] = candidate
    return best[len(letters)]


def typed_syllables(text: str) -> list[tuple[str, int | None]]:
    """What someone typed as pinyin, in any mix of tone marks, tone numbers or none ("nǐhǎo", "ni3 hao3",
    "xie4xie", "lv4", "nü3"), as (toneless syllable with ü as v, tone or None). Letters that are not
    pinyin are kept as one piece with no tone, so a search can still match them as a prefix."""
    runs: list[tuple[list[tuple[str, int | None]], int | None]] = []
    current: list[tuple[str, int | None]] = []
    for char in unicodedata.normalize("NFC", text.lower().replace("u:", "ü")):
        if char in _UNMARK:
            vowel, tone = _UNMARK[char]
            current.append(("v" if vowel == "ü" else vowel, tone))
        elif char in ("ü", "v"):
            current.append(("v", None))
        elif "a" <= char <= "z":
            current.append((char, None))
        else:
            if current or char in "12345":
                digit = int(char) if char in "12345" else None
                if current:
                    runs.append((current, digit))
                current = []
    if current:
        runs.append((current, None))
    out: list[tuple[str, int | None]] = []
    for run, digit in runs:
        letters = "".join(letter for letter, _ in run)
        pieces = segment(letters) or [letters]
        index = 0
        for number, piece in enumerate(pieces):
            marks = [tone for _, tone in run[index : index + len(piece)] if tone is not None]
            index += len(piece)
            found: int | None = marks[0] if marks else (digit if number == len(pieces) - 1 else None)
            out.append((piece, found))
    return out
