"""Chinese nicknames for a learner's English name: pure functions, no Flask, no database.

`suggest(name, feel, vibe, more)` gives 3 to 5 suggestions of two kinds:

- "sound": the name written in Chinese characters the standard way (Emily 艾米莉, David 大卫), from the
  table in `names`, or sounded out syllable by syllable with the standard transliteration characters
  when the name is not there. Women's-name characters (莉 娜 丽 娅 妮 ...) only when the feel is
  feminine; otherwise the plain ones (艾米利).
- "chinese": an authentic-style name: a surname for the sound or meaning of the learner's surname (Smith
  史, King 王), else a common surname that starts like their name, and a one- or two-character given
  name from the table in `data` matching the feel and vibe.

Which name is written: the first part of the name with at least two letters (Mary-Jane -> Mary, O'Brien ->
Brien); the surname is looked up from the last part backwards (Emily Smith -> 史).

Every suggestion passes `problems()`: no blocklisted character, no unfortunate homophone, not a famous
person's name, valid pinyin with one syllable per character, and for Chinese-style names three tone
rules: not all three syllables on one tone, no given name of two third tones (the first turns into a
second tone and the name blurs), and no syllable twice (林琳, 欣昕).

Choices are deterministic: sha256 of the normalized name, feel, vibe and `more`, never hash() or an
unseeded random. Nothing here loads CC-CEDICT; the tables' readings are checked against it by the tests.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Any

from learnapp.chinese.syllables import Syllable, has_hanzi, parse_pinyin, parse_syllable
from learnapp.nickname.data import (
    BAD_SOUNDS,
    BLOCKLIST,
    FAMOUS,
    FEELS,
    GIVEN_CHARS,
    SURNAMES,
    SURNAMES_BY_SOUND,
    VIBES,
    GivenChar,
)
from learnapp.nickname.names import (
    BARE_CONSONANTS,
    ENGLISH_NAMES,
    ENGLISH_SURNAMES,
    FEMININE_CHARS,
    FEMININE_GLOSS,
    FEMININE_TO_NEUTRAL,
    NASAL_CHARS,
    NEUTRAL_OVERRIDES,
    NEUTRAL_TO_FEMININE,
    SOUND_CHARS,
    SYLLABLE_CHARS,
)

__all__ = [
    "FEELS",
    "KINDS",
    "NON_LATIN_NOTE",
    "VIBES",
    "NameChar",
    "NicknameInputError",
    "Suggestion",
    "Suggestions",
    "normalize_name",
    "problems",
    "suggest",
]

KINDS = ("sound", "chinese")
MAX_LETTERS = 30  # of the normalized name
MAX_SOUND_CHARS = 6  # a sounded-out name longer than this is cut to its first six syllables
NON_LATIN_NOTE = "We could not read that name as Latin letters, so these names are chosen by meaning."
# The 30 most common surnames, for a name we cannot read.
COMMON_SURNAMES = tuple("王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹")


class NicknameInputError(ValueError):
    """The input cannot give suggestions; the message is meant for the learner."""


@dataclass(frozen=True)
class NameChar:
    char: str
    pinyin: str
    meaning: str

    def to_dict(self) -> dict[str, str]:
        return {"char": self.char, "pinyin": self.pinyin, "meaning": self.meaning}


@dataclass(frozen=True)
class Suggestion:
    hanzi: str
    pinyin: str  # tone marks, lowercase, one syllable per character: "ài mǐ lì"
    kind: str  # "sound" or "chinese"
    chars: tuple[NameChar, ...]
    why: str  # one line
    story: str  # two or three sentences for a share page

    def to_dict(self) -> dict[str, Any]:
        return {
            "hanzi": self.hanzi,
            "pinyin": self.pinyin,
            "kind": self.kind,
            "chars": [c.to_dict() for c in self.chars],
            "why": self.why,
            "story": self.story,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Suggestion:
        """The inverse of to_dict; ValueError when `data` is not a stored suggestion."""
        if not isinstance(data, dict):
            raise ValueError("a suggestion is a JSON object")
        fields = ("hanzi", "pinyin", "kind", "why", "story")
        if not all(isinstance(data.get(f), str) for f in fields) or not isinstance(data.get("chars"), list):
            raise ValueError("a suggestion needs hanzi, pinyin, kind, why, story (text) and chars (a list)")
        chars = []
        for item in data["chars"]:
            if not isinstance(item, dict) or not all(
                isinstance(item.get(f), str) for f in ("char", "pinyin", "meaning")
            ):
                raise ValueError("each of chars needs char, pinyin and meaning (text)")
            chars.append(NameChar(item["char"], item["pinyin"], item["meaning"]))
        if data["kind"] not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}")
        return cls(
            hanzi=data["hanzi"],
            pinyin=data["pinyin"],
            kind=data["kind"],
            chars=tuple(chars),
            why=data["why"],
            story=data["story"],
        )


@dataclass(frozen=True)
class Suggestions:
    items: tuple[Suggestion, ...]
    note: str | None  # for the learner, e.g. NON_LATIN_NOTE

    def to_dict(self) -> dict[str, Any]:
        return {"items": [s.to_dict() for s in self.items], "note": self.note}


# --- the name the learner typed ---------------------------------------------------------------------

_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
# Letters NFKD does not take apart.
_SPECIAL_LETTERS = {
    "ß": "ss",
    "ẞ": "SS",
    "æ": "ae",
    "Æ": "AE",
    "œ": "oe",
    "Œ": "OE",
    "ø": "o",
    "Ø": "O",
    "ł": "l",
    "Ł": "L",
    "đ": "d",
    "Đ": "D",
    "ð": "d",
    "Ð": "D",
    "þ": "th",
    "Þ": "Th",
    "ı": "i",
}


def normalize_name(raw: str) -> str:
    """The Latin letters of `raw` as capitalized words: accents stripped (José -> Jose, Zoë -> Zoe), HTML
    tags dropped, hyphens, apostrophes, spaces and other punctuation as word breaks (Mary-Jane -> Mary
    Jane, O'Brien -> O Brien), digits, emoji and other scripts left out. At most 30 letters: whole words
    while they fit, else the first word cut short. "" when nothing readable is left."""
    if not isinstance(raw, str):
        return ""
    text = html.unescape(raw[:1000])
    text = _TAG.sub(" ", _SCRIPT.sub(" ", text))
    text = "".join(_SPECIAL_LETTERS.get(char, char) for char in text)
    out = []
    for char in unicodedata.normalize("NFKD", text):
        if char.isascii() and char.isalpha():
            out.append(char)
        elif char.isspace() or unicodedata.category(char)[0] == "P":
            out.append(" ")
        # anything else (accents, digits, symbols and emoji, other scripts) is dropped
    words = [word[0].upper() + word[1:].lower() for word in "".join(out).split()]
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


def _written_word(normalized: str) -> str:
    """The part of the name a sound suggestion writes: the first word of two letters or more."""
    words = normalized.split()
    return next((w for w in words if len(w) >= 2), words[0])


# --- deterministic choices --------------------------------------------------------------------------


def _number(*keys: object) -> int:
    digest = hashlib.sha256("\x1f".join(str(k) for k in keys).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


# --- checks -----------------------------------------------------------------------------------------


_BadSound = tuple[tuple[str, ...], tuple[int, ...], str, str]


@cache
def _bad_sounds() -> dict[str, tuple[_BadSound, ...]]:
    """The bad words by their first toneless syllable: (toneless syllables, tones, hanzi, English)."""
    found: dict[str, list[_BadSound]] = {}
    for hanzi, pinyin, english in BAD_SOUNDS:
        syllables = parse_pinyin(pinyin)
        assert syllables, pinyin
        bases = tuple(s.base for s in syllables)
        found.setdefault(bases[0], []).append((bases, tuple(s.tone for s in syllables), hanzi, english))
    return {first: tuple(entries) for first, entries in found.items()}


_syllable = lru_cache(maxsize=4096)(parse_syllable)


def _parse_written(pinyin: str) -> list[Syllable] | None:
    """Pinyin in our written form (lowercase tone marks, one space between syllables), else None."""
    syllables = [_syllable(token) for token in pinyin.split(" ")]
    if not pinyin or not all(syllables):
        return None
    return syllables  # type: ignore[return-value]


def _famous(hanzi: str, chinese: bool) -> bool:
    """A famous name, one of three characters or more inside a longer name, or (for a Chinese-style
    name) a famous name as the given name."""
    if hanzi in FAMOUS or (chinese and hanzi[1:] in FAMOUS):
        return True
    return any(
        hanzi[start:end] in FAMOUS for start in range(len(hanzi)) for end in range(start + 3, len(hanzi) + 1)
    )


def problems(s: Suggestion) -> list[str]:
    """Every rule `s` breaks, in words; [] for a suggestion we may show."""
    found: list[str] = []
    if s.kind not in KINDS:
        found.append(f"unknown kind {s.kind!r}")
    if not s.hanzi:
        return [*found, "no characters"]
    if not all(has_hanzi(char) for char in s.hanzi):
        found.append("not all Chinese characters")
    if "".join(c.char for c in s.chars) != s.hanzi:
        found.append("the characters do not spell the name")
    if " ".join(c.pinyin for c in s.chars) != s.pinyin:
        found.append("the characters' pinyin does not make the name's pinyin")
    blocked = sorted({char for char in s.hanzi if char in BLOCKLIST})
    if blocked:
        found.append(f"unlucky or rude character: {' '.join(blocked)}")
    if _famous(s.hanzi, s.kind == "chinese"):
        found.append(f"the name of a famous person: {s.hanzi}")
    syllables = _parse_written(s.pinyin)
    if not syllables:
        found.append(f"invalid pinyin: {s.pinyin!r}")
        return found
    if len(syllables) != len(s.hanzi):
        found.append(f"{len(s.hanzi)} characters but {len(syllables)} syllables")
        return found
    bases = tuple(x.base for x in syllables)
    tones = tuple(x.tone for x in syllables)
    bad_sounds = _bad_sounds()
    flagged: set[str] = set()
    for start, base in enumerate(bases):
        for bad_bases, bad_tones, bad_hanzi, english in bad_sounds.get(base, ()):
            end = start + len(bad_bases)
            if bases[start:end] == bad_bases and bad_hanzi not in flagged:
                flagged.add(bad_hanzi)
                exact = "exactly " if tones[start:end] == bad_tones else ""
                found.append(f"sounds {exact}like {bad_hanzi} ({english})")
    if s.kind == "chinese":
        if not 2 <= len(s.hanzi) <= 3:
            found.append("a Chinese-style name has a surname and one or two given characters")
        if len(tones) == 3 and len(set(tones)) == 1:
            found.append("all three syllables have the same tone")
        if len(tones) == 3 and tones[1] == tones[2] == 3:
            found.append("a given name of two third tones")
        if len(set(bases)) != len(bases):
            found.append("a syllable is repeated")
    return found


# --- sound suggestions ------------------------------------------------------------------------------


def _neutral_form(form: str) -> str:
    if form in NEUTRAL_OVERRIDES:
        return NEUTRAL_OVERRIDES[form]
    return "".join(FEMININE_TO_NEUTRAL.get(char, char) for char in form)


_VOWEL_GROUPS = (
    ("ai", ["ei"]),
    ("ay", ["ei"]),
    ("ei", ["ei"]),
    ("ey", ["ei"]),
    ("ee", ["i"]),
    ("ea", ["i"]),
    ("ie", ["i"]),
    ("oo", ["u"]),
    ("ou", ["u"]),
    ("ue", ["u"]),
    ("ew", ["u"]),
    ("eu", ["u"]),
    ("oa", ["o"]),
    ("oe", ["o"]),
    ("ow", ["o"]),
    ("au", ["o"]),
    ("aw", ["o"]),
    ("oi", ["o", "i"]),
    ("oy", ["o", "i"]),
    ("eo", ["i", "o"]),
)
_LONG_VOWEL = {"a": "ei", "e": "i", "i": "ai", "y": "ai", "o": "o", "u": "u"}
_CONSONANT_LETTERS = set("bcdfghjklmnpqrstvwxz")


def _respell(word: str) -> str:
    """English spelling -> a plainer spelling of its sounds (ph -> f, ck -> k, soft c -> s, ...)."""
    w = word.lower()
    for old, new in (("wr", "r"), ("kn", "n"), ("ps", "s"), ("gn", "n")):
        if w.startswith(old):
            w = new + w[2:]
    if w.startswith("x"):
        w = "z" + w[1:]
    if w.startswith(("chr", "chl")):
        w = "k" + w[2:]
    if w.startswith("mc"):
        w = "mak" + w[2:]
    for old, new in (("tch", "ch"), ("sch", "sh"), ("ph", "f"), ("ck", "k"), ("qu", "kw"), ("wh", "w")):
        w = w.replace(old, new)
    w = w[:1] + w[1:].replace("gh", "")
    w = w[:1] + re.sub(r"(?<=[aeiouy])h", "", w[1:])  # Sarah, John, Hannah: an h after a vowel is silent
    w = w.replace("dg", "j").replace("x", "ks").replace("q", "k")
    out = []
    for i, char in enumerate(w):
        after = w[i + 1 : i + 2]
        if char == "c" and after != "h":
            out.append("s" if after in ("e", "i", "y") else "k")
        elif char == "g" and after in ("e", "i", "y") and i + 1 < len(w):
            out.append("j")
        else:
            out.append(char)
    w = "".join(out)
    collapsed = [w[0]] if w else []
    for char in w[1:]:
        if not (char == collapsed[-1] and char in _CONSONANT_LETTERS):
            collapsed.append(char)
    return "".join(collapsed)


def _phonemes(word: str) -> list[str]:
    """Consonants (b, ch, th, ...) and vowel sounds (a e i o u, ei as in Kate, ai as in Mike) of a
    word, in order."""
    w = _respell(word)
    long_at = -1
    # A silent final e makes the vowel before a single consonant long: Kate, Mike, Kyle, Jude.
    if (
        len(w) >= 4
        and w.endswith("e")
        and w[-2] in _CONSONANT_LETTERS
        and w[-3] in "aeiouy"
        and w[-4] not in "aeiouy"
    ):
        long_at = len(w) - 3
        w = w[:-1]
    elif len(w) >= 3 and w.endswith("e") and w[-2] in _CONSONANT_LETTERS and w[-2] != "l":
        w = w[:-1]
    out: list[str] = []
    i = 0
    while i < len(w):
        char = w[i]
        pair = w[i : i + 2]
        if pair in ("ch", "sh", "th"):
            out.append(pair)
            i += 2
            continue
        if char == "y":
            before_vowel = i + 1 < len(w) and w[i + 1] in "aeiou"
            if i == 0 and before_vowel:
                out.append("y")
            else:
                out.append("ai" if i == long_at else "i")
            i += 1
            continue
        if char in "aeiou":
            if i == long_at:
                out.append(_LONG_VOWEL[char])
                i += 1
                continue
            if pair == "ey" and i + 2 == len(w):
                out.append("i")
                i += 2
                continue
            group = next((sounds for letters, sounds in _VOWEL_GROUPS if letters == pair), None)
            if group:
                out.extend(group)
                i += 2
                continue
            out.append(char)
            i += 1
            continue
        out.append(char)
        i += 1
    return out


_VOWEL_SOUNDS = {"a", "e", "i", "o", "u", "ei", "ai"}


def _syllable_chars(word: str) -> list[str]:
    """Sound out `word` with the standard transliteration characters, one per syllable."""
    sounds = _phonemes(word)
    chars: list[str] = []
    i = 0
    n = len(sounds)
    previous_vowel: str | None = None
    while i < n:
        cluster = []
        while i < n and sounds[i] not in _VOWEL_SOUNDS:
            cluster.append(sounds[i])
            i += 1
        if i == n:  # consonants at the end
            for consonant in cluster:
                if consonant in BARE_CONSONANTS:
                    chars.append(BARE_CONSONANTS[consonant])
            break
        vowel = sounds[i]
        i += 1
        onset = cluster[-1] if cluster else ""
        for consonant in cluster[:-1]:
            if consonant in BARE_CONSONANTS:
                chars.append(BARE_CONSONANTS[consonant])
        if not cluster and previous_vowel is not None:
            # two vowels side by side: Mia 米亚, Leo 利奥, Daniel 丹尼尔 (the e of -iel is not sounded)
            if previous_vowel == vowel or (previous_vowel == "i" and vowel == "e"):
                previous_vowel = vowel
                continue
            if previous_vowel == "i" and vowel in ("a", "u"):
                onset = "y"
        if onset not in SYLLABLE_CHARS:
            onset = ""
        following = []
        j = i
        while j < n and sounds[j] not in _VOWEL_SOUNDS:
            following.append(sounds[j])
            j += 1
        at_end = j == n
        closes = bool(following) and (len(following) >= 2 or at_end)
        if closes and following[0] == "r" and vowel == "e" and at_end and len(following) == 1 and chars:
            chars.append(SYLLABLE_CHARS[onset].get("er") or SYLLABLE_CHARS[onset].get("e", "尔"))
            i += 1
            previous_vowel = None
            continue
        if closes and following[0] in ("n", "m") and vowel in ("a", "e", "i", "o", "u"):
            i += 1
            if following[:2] == ["n", "g"] and (len(following) > 2 or at_end):
                i += 1  # Irving: the g of a final ng is not written (but Angus 安格斯)
            if following[0] == "n":
                column = "en" if (at_end and chars and vowel in ("a", "e", "o", "u")) else vowel + "n"
                nasal = NASAL_CHARS.get(onset, {}).get("en" if vowel == "u" else column)
                if nasal:
                    chars.append(nasal)
                else:
                    chars.append(SYLLABLE_CHARS[onset].get(vowel, SYLLABLE_CHARS[""][vowel]))
                    chars.append("恩")
            else:
                chars.append(SYLLABLE_CHARS[onset].get(vowel, SYLLABLE_CHARS[""][vowel]))
                chars.append("姆")
            previous_vowel = None
            continue
        if closes and following[0] == "r" and len(following) >= 2 and following[1] != "l":
            i += 1  # Mark 马克, Gordon 戈登: an r before a consonant is not written (but Carl 卡尔)
        row = SYLLABLE_CHARS[onset]
        chars.append(row.get(vowel) or row.get("e") or SYLLABLE_CHARS[""][vowel])
        previous_vowel = vowel
    deduped: list[str] = []
    for char in chars:
        if not (deduped and deduped[-1] == char == "尔"):  # Carl 卡尔: r and l make one 尔
            deduped.append(char)
    return deduped


def _sound_form(word: str, feel: str, more: int) -> tuple[str, str, str] | None:
    """(hanzi, which, detail): which is "table", "plain", "other" or "sounded"."""
    key = word.lower()
    forms = ENGLISH_NAMES.get(key)
    if forms:
        index = more % len(forms)
        form = forms[index]
        if feel != "feminine" and (form in NEUTRAL_OVERRIDES or any(char in FEMININE_CHARS for char in form)):
            return _neutral_form(form), "plain", form
        if index:
            return form, "other", forms[0]
        return form, "table", ""
    chars = _syllable_chars(key)
    if not chars:
        return None
    detail = "shortened" if len(chars) > MAX_SOUND_CHARS else ""
    chars = chars[:MAX_SOUND_CHARS]
    if feel == "feminine":
        chars = [chars[0]] + [NEUTRAL_TO_FEMININE.get(char, char) for char in chars[1:]]
        if len(chars) > 1 and chars[-1] == "斯":
            chars[-1] = "丝"
    return "".join(chars), "sounded", detail


# For a sounded-out name that happens to sound like a bad word (伍德 wǔ dé ~ 无德 "without virtue"):
# the characters for the same consonant with the nearest other vowel, to try one at a time.
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


@cache
def _near_chars() -> dict[str, tuple[str, ...]]:
    near: dict[str, list[str]] = {}
    for row in SYLLABLE_CHARS.values():
        for column, char in row.items():
            options = near.setdefault(char, [])
            for other in _NEAR_VOWELS[column]:
                if row.get(other) and row[other] != char and row[other] not in options:
                    options.append(row[other])
    return {char: tuple(options) for char, options in near.items()}


def _sound_candidate(hanzi: str) -> Suggestion:
    chars = tuple(NameChar(char, SOUND_CHARS[char][0], SOUND_CHARS[char][1]) for char in hanzi)
    return Suggestion(hanzi, " ".join(c.pinyin for c in chars), "sound", chars, "", "")


def _repaired(hanzi: str) -> str | None:
    """`hanzi`, or the nearest variant with one character changed, that passes problems()."""
    if not problems(_sound_candidate(hanzi)):
        return hanzi
    near = _near_chars()
    for index, char in enumerate(hanzi):
        for other in near.get(char, ()):
            variant = hanzi[:index] + other + hanzi[index + 1 :]
            if not problems(_sound_candidate(variant)):
                return variant
    return None


def _spelled(pinyin: list[str], given_from: int = 0) -> str:
    """Pinyin as a name is written: capitalized, syllables run together, an apostrophe before a, o, e
    (Àimǐlì, Shǐ Xiǎoqíng, Lǐ Xī'ān)."""
    parts: list[list[str]] = [[]]
    for index, syllable in enumerate(pinyin):
        if index == given_from and index:
            parts.append([])
        parts[-1].append(syllable)
    words = []
    for syllables in parts:
        word = syllables[0]
        for syllable in syllables[1:]:
            plain = unicodedata.normalize("NFD", syllable)[0]
            word += ("'" if plain in "aoe" else "") + syllable
        words.append(word[:1].upper() + word[1:])
    return " ".join(words)


def _sound_suggestion(normalized: str, feel: str, more: int) -> Suggestion | None:
    word = _written_word(normalized)
    found = _sound_form(word, feel, more)
    if not found:
        return None
    hanzi, which, detail = found
    if which == "sounded":
        repaired = _repaired(hanzi)
        if repaired is None:
            return None
        hanzi = repaired
    chars = _sound_candidate(hanzi).chars
    spelled = _spelled([c.pinyin for c in chars])
    named = word if word == normalized else f"{word} (the first part of your name)"
    if which == "table":
        why = f"{hanzi} is the standard way to write {named} in Chinese"
        story = f"{word} is written {hanzi} ({spelled}) in Chinese, the standard way."
    elif which == "other":
        why = f"{hanzi} is another common way to write {named} in Chinese, besides {detail}"
        story = f"{word} can be written {hanzi} ({spelled}) in Chinese, a common form besides {detail}."
    elif which == "plain":
        why = f"{hanzi} writes {named} with the standard plain characters; the feminine form is {detail}"
        story = (
            f"{word} is written {hanzi} ({spelled}) in Chinese, with the standard plain characters "
            f"(the feminine form is {detail})."
        )
    else:
        why = (
            f"{hanzi} sounds out {named} syllable by syllable with the standard characters for foreign names"
        )
        story = f"{word} sounds out as {hanzi} ({spelled}), in the standard characters for foreign names."
        if detail:
            why += f", cut to its first {MAX_SOUND_CHARS} syllables"
    feminine = next((char for char in FEMININE_GLOSS if char in hanzi), None)
    if feminine and feel == "feminine":
        why += f"; {feminine} ({FEMININE_GLOSS[feminine]}) makes it feminine"
        story += f" {feminine} ({FEMININE_GLOSS[feminine]}) makes it feminine."
    why += "."
    story += f" Each character is there for its sound: {', '.join(f'{c.char} {c.pinyin}' for c in chars)}."
    return Suggestion(
        hanzi=hanzi,
        pinyin=" ".join(c.pinyin for c in chars),
        kind="sound",
        chars=chars,
        why=why,
        story=story,
    )


# --- Chinese-style suggestions ----------------------------------------------------------------------


def _first_sound(word: str) -> str:
    w = word.lower()
    for prefix, sound in (
        ("chr", "k"),
        ("chl", "k"),
        ("ch", "ch"),
        ("sh", "sh"),
        ("th", "th"),
        ("ph", "f"),
        ("wh", "w"),
        ("wr", "r"),
        ("kn", "n"),
        ("qu", "k"),
    ):
        if w.startswith(prefix):
            return sound
    first, after = w[:1], w[1:2]
    if first == "c":
        return "s" if after in ("e", "i", "y") else "k"
    if first == "g" and after in ("e", "i", "y"):
        return "j"
    if first == "y":
        return "y" if after in ("a", "e", "i", "o", "u") else "i"
    return first


@dataclass(frozen=True)
class _SurnameChoice:
    chars: tuple[str, ...]
    reason: str  # "sound", "meaning", "first" or "common"
    word: str  # the part of the learner's name it was chosen for


def _surname_choice(normalized: str) -> _SurnameChoice:
    if not normalized:
        return _SurnameChoice(COMMON_SURNAMES, "common", "")
    words = normalized.split()
    for word in reversed(words):
        if word.lower() in ENGLISH_SURNAMES:
            char, how = ENGLISH_SURNAMES[word.lower()]
            return _SurnameChoice((char,), how, word)
    word = words[-1] if len(words) > 1 and len(words[-1]) >= 2 else _written_word(normalized)
    pool = SURNAMES_BY_SOUND.get(_first_sound(word))
    if not pool:
        return _SurnameChoice(COMMON_SURNAMES, "common", "")
    return _SurnameChoice(pool, "first", word)


_ALLOWED_FEELS = {
    "neutral": ("neutral",),
    "feminine": ("feminine", "neutral"),
    "masculine": ("masculine", "neutral"),
}


@cache
def _given_names(
    feel: str, vibe: str
) -> tuple[tuple[tuple[GivenChar, ...], ...], tuple[tuple[GivenChar, ...], ...]]:
    """Every one- and two-character given name from the table for this feel and vibe: singles from
    characters of the feel itself, pairs with at least one character of the feel, positions respected."""
    allowed = _ALLOWED_FEELS[feel]
    pool = [g for g in GIVEN_CHARS if g.feel in allowed and vibe in g.vibes]
    own = [g for g in pool if g.feel == feel]
    singles = [(g,) for g in own if g.position != "first"]
    pairs: list[tuple[GivenChar, ...]] = []
    for a in pool:
        if a.position == "last":
            continue
        for b in pool:
            if b.position == "first" or a.char == b.char:
                continue
            if feel != "neutral" and a.feel != feel and b.feel != feel:
                continue
            pairs.append((a, b))
    return tuple(singles), tuple(pairs)


def _quote(meaning: str) -> str:
    return f"'{meaning}'"


def _chinese_candidate(surname: str, given: tuple[GivenChar, ...]) -> Suggestion:
    """The name without its explanations, for checking with problems() before writing them."""
    s_pinyin, s_meaning = SURNAMES[surname]
    chars = (
        NameChar(surname, s_pinyin, f"a surname; {s_meaning}" if s_meaning else "a surname"),
        *(NameChar(g.char, g.pinyin, g.meaning) for g in given),
    )
    return Suggestion(
        hanzi=surname + "".join(g.char for g in given),
        pinyin=" ".join(c.pinyin for c in chars),
        kind="chinese",
        chars=chars,
        why="",
        story="",
    )


def _explained(
    candidate: Suggestion,
    given: tuple[GivenChar, ...],
    choice: _SurnameChoice,
    feel: str,
    vibe: str,
    name: str,
) -> Suggestion:
    surname, hanzi, chars = candidate.hanzi[0], candidate.hanzi, candidate.chars
    s_pinyin, s_meaning = SURNAMES[surname]
    capital = s_pinyin[:1].upper() + s_pinyin[1:]
    if choice.reason == "sound":
        surname_why = f"{surname} {capital}, a common surname, for the sound of {choice.word}"
        surname_story = f"{surname} is a common surname, chosen for the sound of {choice.word}."
    elif choice.reason == "meaning":
        surname_why = f"{surname} {capital}, a surname that means {_quote(s_meaning)}, like {choice.word}"
        surname_story = f"{surname} is a surname that means {_quote(s_meaning)}, like {choice.word}."
    elif choice.reason == "first":
        surname_why = f"{surname} {capital}, a surname that starts like {choice.word}"
        surname_story = f"{surname} is a surname that starts like {choice.word}."
    else:
        surname_why = f"{surname} {capital}, one of the most common surnames"
        surname_story = f"{surname} is one of the most common Chinese surnames."
    described = " and ".join(f"{g.char} {_quote(g.meaning)}" for g in given)
    purpose = f"for a {vibe}, {feel} name" if feel != "neutral" else f"for a {vibe} vibe"
    why = f"{surname_why}; {described} {purpose}."
    spelled = _spelled([c.pinyin for c in chars], given_from=1)
    if len(given) == 1:
        given_story = f"{given[0].char} means {_quote(given[0].meaning)}."
    else:
        first, second = given
        given_story = (
            f"{first.char} means {_quote(first.meaning)} and {second.char} {_quote(second.meaning)}."
        )
    opening = f"{name}'s Chinese name could be" if name else "A Chinese name chosen by meaning:"
    story = f"{opening} {hanzi} ({spelled}). {surname_story} {given_story}"
    return replace(candidate, why=why, story=story)


def _chinese_suggestions(
    normalized: str, feel: str, vibe: str | None, more: int, count: int, taken: set[str]
) -> list[Suggestion]:
    choice = _surname_choice(normalized)
    seed = (normalized.lower(), feel, vibe or "", more)
    shapes = ["pair", "pair", "single", "pair", "pair"][:count]
    out: list[Suggestion] = []
    used_given: set[str] = set()
    rotation = _number(*seed[:3], "surname")
    for slot, shape in enumerate(shapes):
        # With no vibe asked for, each name takes one (so its two characters go together).
        slot_vibe = vibe or VIBES[_number(*seed, slot, "vibe") % len(VIBES)]
        singles, pairs = _given_names(feel, slot_vibe)
        options = singles if shape == "single" and singles else pairs
        surname = choice.chars[(rotation + more * count + slot) % len(choice.chars)]
        for attempt in range(60):
            if attempt == 30 and len(choice.chars) > 1:
                surname = choice.chars[(rotation + more * count + slot + 1) % len(choice.chars)]
            given = options[_number(*seed, slot, attempt) % len(options)]
            given_hanzi = "".join(g.char for g in given)
            if given_hanzi in used_given or surname + given_hanzi in taken:
                continue
            candidate = _chinese_candidate(surname, given)
            if problems(candidate):
                continue
            suggestion = _explained(candidate, given, choice, feel, slot_vibe, normalized)
            out.append(suggestion)
            used_given.add(given_hanzi)
            taken.add(suggestion.hanzi)
            break
    return out


# --- the entry point --------------------------------------------------------------------------------


def _check_choice(value: str | None, allowed: tuple[str, ...], what: str) -> str | None:
    """`value` as one of `allowed` (case and spaces forgiven); None for None or blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str) or value.strip().lower() not in allowed:
        raise NicknameInputError(f"Unknown {what} {value!r}: choose one of {', '.join(allowed)}.")
    return value.strip().lower()


def suggest(name: str, feel: str = "neutral", vibe: str | None = None, more: int = 0) -> Suggestions:
    """3 to 5 suggestions for `name`: one "sound" suggestion when the name has Latin letters (none when it
    has not, with a note saying so), and Chinese-style ones. `more` (0, 1, 2, ...) asks for another
    batch. A feel of None is neutral; a vibe of None lets each name take its own. NicknameInputError for
    an empty name, an unknown feel or vibe, or a negative `more`."""
    if not isinstance(name, str) or not name.strip():
        raise NicknameInputError("Type your name, for example Emily.")
    checked_feel = _check_choice(feel, FEELS, "feel") or "neutral"
    checked_vibe = _check_choice(vibe, VIBES, "vibe")
    if isinstance(more, bool) or not isinstance(more, int) or more < 0:
        raise NicknameInputError("Ask for more with 0, 1, 2, ...")
    normalized = normalize_name(name)
    items: list[Suggestion] = []
    note = None
    if normalized:
        sound = _sound_suggestion(normalized, checked_feel, more)
        if sound is not None and not problems(sound):
            items.append(sound)
    else:
        note = NON_LATIN_NOTE
    count = 3 if items else 4
    items += _chinese_suggestions(
        normalized, checked_feel, checked_vibe, more, count, {s.hanzi for s in items}
    )
    return Suggestions(items=tuple(items), note=note)
