"""Sounds -> Chinese characters: one character per syllable from the Xinhua transliteration tables.

A syllable is an onset consonant and a vowel; a vowel closed by n or m takes the one character for the
closed syllable where the table has one (Dan 丹, Lin 林), and a consonant with no vowel of its own takes
its bare character (the d of Fred 德, the s of James 斯). This is how the standard forms are built, so a
name that is not in the table still reads like a real transliteration.
"""

from __future__ import annotations

from functools import cache

from learnapp.nickname import tables
from learnapp.nickname.phonetics import VOWEL_SOUNDS

# For a sounded-out name that happens to sound like a bad word (伍德 wǔ dé ~ 无德 "without virtue"): the
# characters for the same consonant with the nearest other vowel, to try one at a time.
_NEAR_VOWELS = {
    "u": ("o", "e"),
    "o": ("u", "e"),
    "e": ("i", "a"),
    "i": ("e", "a"),
    "a": ("e", "o"),
    "ei": ("e", "i"),
    "ai": ("a", "e"),
    "er": ("e",),
}


def _vowel_char(onset: str, vowel: str) -> str:
    grid = tables.transliteration().syllables
    row = grid.get(onset, grid[""])
    return row.get(vowel) or row.get("e") or grid[""][vowel]


def _closed(onset: str, vowel: str, consonant: str, ending: bool, first: bool) -> list[str]:
    """A vowel closed by n or m: Dan 丹, Ben 本, Tom 汤姆."""
    nasals = tables.transliteration().nasals
    if consonant == "n":
        column = "en" if (ending and not first and vowel in ("a", "e", "o", "u")) else vowel + "n"
        nasal = nasals.get(onset, {}).get("en" if vowel == "u" else column)
        return [nasal] if nasal else [_vowel_char(onset, vowel), "恩"]
    return [_vowel_char(onset, vowel), "姆"]


def syllable_chars(sounds: list[str]) -> list[str]:
    """Write `sounds` (from phonetics) with the standard transliteration characters, one per syllable."""
    trans = tables.transliteration()
    bare = trans.bare
    chars: list[str] = []
    i, n = 0, len(sounds)
    previous_vowel: str | None = None
    while i < n:
        cluster = []
        while i < n and sounds[i] not in VOWEL_SOUNDS:
            cluster.append(sounds[i])
            i += 1
        chars.extend(bare[c] for c in (cluster if i == n else cluster[:-1]) if c in bare)
        if i == n:  # consonants at the end
            break
        vowel = sounds[i]
        i += 1
        onset = cluster[-1] if cluster else ""
        if not cluster and previous_vowel is not None:
            # two vowels side by side: Mia 米亚, Leo 利奥, Daniel 丹尼尔 (the e of -iel is not sounded)
            if previous_vowel == vowel or (previous_vowel == "i" and vowel == "e"):
                previous_vowel = vowel
                continue
            if previous_vowel == "i" and vowel in ("a", "u", "o"):
                onset = "y"
        if onset not in trans.syllables:
            onset = ""
        if vowel == "ang":  # Portuguese -ão: João 若昂, Simão 西芒
            chars.append(trans.nasals.get(onset, {}).get("ang") or "昂")
            previous_vowel = None
            continue
        following = []
        j = i
        while j < n and sounds[j] not in VOWEL_SOUNDS:
            following.append(sounds[j])
            j += 1
        at_end = j == n
        closes = bool(following) and (len(following) >= 2 or at_end)
        if closes and following == ["r"] and vowel == "e" and at_end and chars:
            chars.append(trans.syllables[onset].get("er") or trans.syllables[onset].get("e", "尔"))
            i += 1
            previous_vowel = None
            continue
        if closes and following[0] in ("n", "m") and vowel in ("a", "e", "i", "o", "u"):
            i += 1
            if following[:2] == ["n", "g"] and (len(following) > 2 or at_end):
                i += 1  # Irving: the g of a final ng is not written (but Angus 安格斯)
            chars.extend(_closed(onset, vowel, following[0], at_end, not chars))
            previous_vowel = None
            continue
        if closes and following[0] == "r" and len(following) >= 2 and following[1] != "l":
            i += 1  # Mark 马克, Gordon 戈登: an r before a consonant is not written (but Carl 卡尔)
        chars.append(_vowel_char(onset, vowel))
        previous_vowel = vowel
    deduped: list[str] = []
    for char in chars:
        if not (deduped and deduped[-1] == char == "尔"):  # Carl 卡尔: r and l make one 尔
            deduped.append(char)
    return deduped


@cache
def near_chars() -> dict[str, tuple[str, ...]]:
    """Each syllable character -> the characters of the same onset with the nearest other vowels."""
    near: dict[str, list[str]] = {}
    for row in tables.transliteration().syllables.values():
        for column, char in row.items():
            options = near.setdefault(char, [])
            for other in _NEAR_VOWELS[column]:
                if row.get(other) and row[other] != char and row[other] not in options:
                    options.append(row[other])
    return {char: tuple(options) for char, options in near.items()}


def feminine(chars: list[str]) -> list[str]:
    """A sounded-out name with the feminine characters (莉 for 利, 娜 for 纳), the first one kept."""
    to_feminine = tables.transliteration().plain_to_feminine
    out = [chars[0]] + [to_feminine.get(char, char) for char in chars[1:]]
    if len(out) > 1 and out[-1] == "斯":
        out[-1] = "丝"
    return out


def plain(form: str) -> str:
    """A feminine standard form written with the plain characters, for a masculine or neutral feel."""
    trans = tables.transliteration()
    if form in trans.plain_overrides:
        return trans.plain_overrides[form]
    return "".join(trans.feminine_to_plain.get(char, char) for char in form)
