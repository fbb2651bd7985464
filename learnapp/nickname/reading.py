"""Reading the name the learner typed: its Latin letters, its Chinese characters, and the script it is in.

Learners type names in every script. Latin letters are kept (accents stripped, after the letters whose
accent changes the sound are spelled out: ñ ny, ş sh, č ch); Cyrillic and Greek are romanised so Владимир
is read as Vladimir (ç is read s, as in French and Portuguese); Chinese characters are kept apart (a
typed Chinese name is offered back); Hangul is kept for its surname. HTML tags, digits and emoji are dropped.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from dataclasses import dataclass

from learnapp.chinese.syllables import hanzi_of

MAX_LETTERS = 30  # of the normalized name
MAX_INPUT = 1000  # characters read from what was typed; a 5,000-character paste is cut first

_SCRIPT_TAG = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
# Letters NFKD does not take apart, and letters whose accent changes the sound.
_SPECIAL_LETTERS = {
    "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "ł": "l",
    "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ı": "i", "ñ": "ny",
    "Ñ": "Ny", "ş": "sh", "Ş": "Sh", "ș": "sh", "Ș": "Sh", "ğ": "", "č": "ch", "Č": "Ch", "š": "sh",
    "Š": "Sh", "ž": "zh", "Ž": "Zh", "ř": "zh", "Ř": "Zh", "ç": "s", "Ç": "S",
}  # fmt: skip
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
    "ь": "", "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ђ": "dj",
    "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c", "џ": "dz", "ў": "u",
}  # fmt: skip
_GREEK = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i", "κ": "k",
    "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s", "ς": "s", "τ": "t",
    "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
}  # fmt: skip


@dataclass(frozen=True)
class TypedName:
    """What we could read of a typed name."""

    latin: str  # the Latin letters as capitalized words ("" when none): see normalize_name
    hanzi: str  # the first run of Chinese characters ("" when none)
    hangul: str  # the first word in Hangul ("" when none)
    script: str | None  # "cyrillic" or "greek" when the letters were romanised from it
    raw: str  # what was typed, tags dropped, cut to MAX_INPUT
    hyphenated: frozenset[str] = frozenset()  # words joined by a hyphen (Ji-min, Mary-Jane), lowercase


def _romanised(text: str) -> tuple[str, str | None]:
    """Cyrillic and Greek letters in Latin ones, and which of the two scripts was there."""
    out: list[str] = []
    script = None
    for char in unicodedata.normalize("NFC", text):
        lower = char.lower()
        base = unicodedata.normalize("NFD", lower)[:1]  # Greek letters lose their accents (ά -> α)
        if lower in _CYRILLIC:
            script, latin = "cyrillic", _CYRILLIC[lower]
        elif base in _GREEK:
            script, latin = "greek", _GREEK[base]
        else:
            out.append(char)
            continue
        out.append(latin.capitalize() if char != lower else latin)
    # final -ий/-ій of a Russian or Ukrainian name is one sound (Дмитрий Dmitry, Юрий Yury)
    romanised = re.sub(r"iy\b", "y", "".join(out)) if script == "cyrillic" else "".join(out)
    return romanised, script


def _latin_words(text: str) -> list[str]:
    text = "".join(_SPECIAL_LETTERS.get(char, char) for char in text)
    out = []
    for char in unicodedata.normalize("NFKD", text):
        if char.isascii() and char.isalpha():
            out.append(char)
        elif char.isspace() or unicodedata.category(char)[0] == "P":
            out.append(" ")
        # anything else (accents, digits, symbols and emoji, other scripts) is dropped
    return [word[0].upper() + word[1:].lower() for word in "".join(out).split()]


def _fit(words: list[str]) -> str:
    """Whole words while they fit in MAX_LETTERS, else the first word cut short."""
    kept: list[str] = []
    letters = 0
    for word in words:
        if letters + len(word) > MAX_LETTERS:
            break
        kept.append(word)
        letters += len(word)
    if not kept and words:
        kept = [words[0][:MAX_LETTERS]]
    return " ".join(kept)


def read_name(raw: object) -> TypedName:
    """Everything we can read of `raw`; never raises, whatever it holds."""
    if not isinstance(raw, str):
        return TypedName("", "", "", None, "")
    text = html.unescape(raw[:MAX_INPUT])
    text = _TAG.sub(" ", _SCRIPT_TAG.sub(" ", text))
    hanzi_run = re.search(r"[\u3400-\u4dbf\u4e00-\u9fff]+", text)
    hangul = re.search(r"[\uac00-\ud7a3]+", text)
    romanised, script = _romanised(text)
    pairs = re.findall(r"([^\W\d_]+)-([^\W\d_]+)", romanised)
    hyphenated = frozenset(w.lower() for pair in pairs for part in pair for w in _latin_words(part))
    return TypedName(
        latin=_fit(_latin_words(romanised)),
        hanzi="".join(hanzi_of(hanzi_run.group(0))) if hanzi_run else "",
        hangul=hangul.group(0) if hangul else "",
        script=script,
        raw=text,
        hyphenated=hyphenated,
    )


def normalize_name(raw: str) -> str:
    """The Latin letters of `raw` as capitalized words: accents stripped (José -> Jose, Zoë -> Zoe, Peña ->
    Penya), Cyrillic and Greek romanised (Владимир -> Vladimir), HTML tags dropped, hyphens, apostrophes,
    spaces and other punctuation as word breaks (Mary-Jane -> Mary Jane, O'Brien -> O Brien), digits,
    emoji and other scripts left out. At most 30 letters: whole words while they fit, else the first word
    cut short. "" when nothing readable is left."""
    return read_name(raw).latin


def written_word(normalized: str) -> str:
    """The part of the name a sound suggestion writes: the first word of two letters or more."""
    words = normalized.split()
    return next((w for w in words if len(w) >= 2), words[0])


def number(*keys: object) -> int:
    """A deterministic choice: sha256 of the keys, never hash() (which changes with PYTHONHASHSEED)."""
    digest = hashlib.sha256("\x1f".join(str(k) for k in keys).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")
