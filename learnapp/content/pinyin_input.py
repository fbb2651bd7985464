"""Pinyin as people write it, made into the form we store, and what is still wrong with it. Pure.

We store citation pinyin in tone marks, lowercase, one space between syllables, the neutral tone unmarked
and erhua attached (yī diǎnr); docs/deck-format.md. People also write tone numbers (ni3 hao3, ni3hao3,
xi1'an1, lv4, dian3r, CC-CEDICT's yi1 dian3 r5) and capitals (Nǐ hǎo): `normalize_pinyin` turns those
into our form, and `pinyin_problems` names what is left that is not pinyin. Latin words of the headword
are kept as they are (kē CP).
"""

from __future__ import annotations

import re

from learnapp.chinese.syllables import (
    align,
    from_numbered,
    hanzi_of,
    has_hanzi,
    parse_syllable,
    split_pinyin,
    toneless,
)

_LATIN_WORD = re.compile(r"[A-Za-z0-9]+")
_NUMBERED_PIECE = re.compile(r"([a-zü:v]+)([0-5])")
_HAS_TONE_NUMBER = re.compile(r"[a-zü:v][0-5]", re.IGNORECASE)
_EDGE_PUNCTUATION = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)
_APOSTROPHES = re.compile(r"['’]")
_PUNCTUATION = "\"'“”‘’«»()[]{}<>,.!?;:…—–-~·、，。！？；：（）【】《》「」『』"


def latin_words(text: str) -> set[str]:
    """The runs of Latin letters and digits in `text`, lowercased: "kē CP" keeps "CP" as it is."""
    return {word.lower() for word in _LATIN_WORD.findall(text)}


def has_tone_numbers(text: str) -> bool:
    return bool(_HAS_TONE_NUMBER.search(text))


def _numbered_token(token: str) -> str | None:
    """ "ni3" -> "nǐ", "ni3hao3" -> "nǐ hǎo", "xi1'an1" -> "xī ān", "lv4"/"lu:4" -> "lǜ", "dian3r" ->
    "diǎnr", "ma5" -> "ma"; None when the token is not tone-numbered pinyin."""
    if _APOSTROPHES.search(token):
        parts = [_numbered_token(part) for part in _APOSTROPHES.split(token) if part]
        if not parts or any(part is None for part in parts):
            return None
        return " ".join(part for part in parts if part is not None)
    lowered = token.lower()
    erhua = len(lowered) > 2 and lowered.endswith("r") and lowered[-2].isdigit()
    if erhua:
        lowered = lowered[:-1]
    pieces: list[str] = []
    position = 0
    for match in _NUMBERED_PIECE.finditer(lowered):
        if match.start() != position:
            return None
        pieces.append(match.group(1) + match.group(2))
        position = match.end()
    if not pieces or position != len(lowered):
        return None
    if erhua:
        pieces[-1] = pieces[-1][:-1] + "r" + pieces[-1][-1]
    marked: list[str] = []
    for piece in pieces:
        syllable = from_numbered(piece)
        if syllable is None:
            return None
        marked.append(syllable.marked)
    return " ".join(marked)


def normalize_pinyin(text: str, headword: str = "") -> str:
    """Headword pinyin as we store it: tone numbers turned into tone marks, capitalised syllables
    lowercased (not Latin words of the headword: kē CP), one space between syllables. Tokens that are not
    pinyin are left for `pinyin_problems` to report."""
    if not text:
        return ""
    latin = latin_words(headword)
    out: list[str] = []
    for token in text.split():
        if token.lower() in latin:
            out.append(token)
            continue
        if token.lower() in ("r", "r5") and out and parse_syllable(out[-1] + "r") is not None:
            out[-1] += "r"  # CC-CEDICT writes erhua as a syllable of its own: yi1 dian3 r5
            continue
        if _HAS_TONE_NUMBER.search(token):
            converted = _numbered_token(token)
            if converted is not None:
                out.append(converted)
                continue
        if token != token.lower() and parse_syllable(token.lower()) is not None:
            token = token.lower()
        out.append(token)
    return " ".join(out)


def normalize_example_pinyin(text: str) -> str:
    """An example's pinyin with tone-numbered words turned into tone marks, punctuation kept."""
    if not _HAS_TONE_NUMBER.search(text):
        return " ".join(text.split())
    out: list[str] = []
    for token in text.split():
        match = _EDGE_PUNCTUATION.match(token)
        before, core, after = match.groups() if match else ("", token, "")
        converted = _numbered_token(core) if _HAS_TONE_NUMBER.search(core) else None
        out.append(f"{before}{converted}{after}" if converted is not None else token)
    return " ".join(out)


def pinyin_problems(headword: str, pinyin: str, spoken: str) -> list[tuple[str, str]]:
    """What is wrong with an entry's citation and spoken pinyin, as (field, message) pairs."""
    if not pinyin and not spoken:
        return []
    found: list[tuple[str, str]] = []
    latin = latin_words(headword)
    tokens = split_pinyin(pinyin)
    bad = [t for t in tokens if parse_syllable(t) is None and t.lower() not in latin]
    if bad:
        found.append(
            ("pinyin", f"not valid pinyin (tone marks, one space between syllables): {' '.join(bad)}")
        )
    elif pinyin and has_hanzi(headword):
        # A Latin word of the headword is not a syllable even when it spells one (the e of e人).
        syllables = [s for t in tokens if t.lower() not in latin and (s := parse_syllable(t)) is not None]
        if align(headword, syllables) is None:
            count = len(hanzi_of(headword))
            found.append(("pinyin", f"{len(syllables)} syllables for {count} characters"))
    if spoken and not pinyin:
        found.append(("spoken", "needs the pinyin filled in too"))
    elif spoken:
        spoken_tokens = split_pinyin(spoken)
        bad = [t for t in spoken_tokens if parse_syllable(t) is None and t.lower() not in latin]
        if bad:
            found.append(("spoken", f"not valid pinyin: {' '.join(bad)}"))
        elif [toneless(t) for t in spoken_tokens] != [toneless(t) for t in tokens]:
            found.append(("spoken", "must be the same syllables as pinyin, only the tones changed"))
    return found


def example_pinyin_problems(zh: str, pinyin: str) -> list[str]:
    """Tokens of an example's pinyin that are neither syllables nor words written in Latin in the example."""
    if not pinyin:
        return []
    latin = latin_words(zh)
    bad = []
    for raw in pinyin.split():
        token = raw.strip(_PUNCTUATION)
        if not token or token.lower() in latin or parse_syllable(token.lower()) is not None:
            continue
        if all(
            parse_syllable(part.lower()) is not None or part.lower() in latin for part in token.split("-")
        ):
            continue
        bad.append(raw)
    return [f"not valid pinyin: {' '.join(bad)}"] if bad else []
