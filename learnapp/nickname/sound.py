"""The "sound" suggestion: the learner's name written in Chinese characters by how it sounds.

A name with an established standard form is written that way (Emily 艾米莉, João 若昂, Siobhan by how it
is said); any other is sounded out by the pronunciation rules of its language. Women's-name characters
(莉 娜 丽 ...) only when the feel is feminine; otherwise the plain ones (艾米利), as Xinhua writes
men's names.

A Korean or Vietnamese given name (Seo-yeon, Hyun-woo, Thảo, Linh) is not sounded out: it is written with
Chinese characters of its own (hanja, chữ Hán), chosen for their meaning, which its spelling cannot tell
(Seo-yeon can be 瑞妍, 书妍 or 舒妍). `own_characters_note` says so to the learner instead.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

from learnapp.nickname import tables
from learnapp.nickname.model import NameChar, Suggestion
from learnapp.nickname.phonetics import guess_language, phonemes
from learnapp.nickname.reading import TypedName, normalize_name, written_word
from learnapp.nickname.safety import problems
from learnapp.nickname.sounding import feminine, near_chars, plain, syllable_chars

MAX_SOUND_CHARS = 6  # a sounded-out name longer than this is cut to its first six syllables
_SEX_FOR_FEEL = {"feminine": "f", "masculine": "m"}
_UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue"}
_LANGUAGE_NAMES = {
    "irish": "Irish", "spanish": "Spanish", "portuguese": "Portuguese", "italian": "Italian",
    "french": "French", "german": "German", "nordic": "Nordic", "slavic": "Slavic", "greek": "Greek",
    "turkish": "Turkish", "arabic": "Arabic", "persian": "Persian", "southasian": "South Asian",
    "vietnamese": "Vietnamese", "korean": "Korean", "welsh": "Welsh",
}  # fmt: skip
_OWN_CHARACTERS = {
    "vietnamese": "Vietnamese names usually have Chinese characters of their own (chữ Hán); your family "
    "may know yours.",
    "korean": "Korean names usually have Chinese characters of their own (hanja); your family may know "
    "yours.",
}

_OWN_CHARACTERS_NOTE = {
    "korean": "{name} is a Korean name, and Korean given names are written with Chinese characters of their "
    "own (hanja), chosen for their meaning: the spelling cannot tell which (Seo-yeon can be 瑞妍, 书妍 or "
    "舒妍), so we do not sound it out. If you know your name in Chinese characters, type it, surname first "
    "(for example 金瑞妍), and we will offer it back. Here are Chinese-style names meanwhile.",
    "vietnamese": "{name} is a Vietnamese name, and Vietnamese given names are written with Chinese "
    "characters of their own (chữ Hán), chosen for their meaning: the spelling cannot tell which (Linh can "
    "be 玲 or 灵), so we do not sound it out. If you know your name in Chinese characters, type it, surname "
    "first (for example 阮氏香 for Nguyễn Thị Hương), and we will offer it back. Here are Chinese-style "
    "names meanwhile.",
}
# A sign that a Korean given name written as one word is not from another language (see own_characters.toml).
_KOREAN_SPELLING = re.compile(r"eo|eu|ae|oo|wo|hy|gy|ky|hw|.hee$")


def _korean_word(word: str, beside_korean_surname: bool) -> bool:
    """`word` (lowercase) is two syllables of a Korean given name written as one word (Jimin, Seoyeon)."""
    known = tables.own_characters()
    if word in known.korean_names:
        return True
    for cut in range(1, len(word)):
        first, second = word[:cut], word[cut:]
        if (
            first in known.korean_syllables
            and second in known.korean_syllables
            and (beside_korean_surname or _KOREAN_SPELLING.search(word) or second[-1] not in "aeiou")
        ):
            return True
    return False


def _own_characters_language(typed: TypedName) -> tuple[str, str] | None:
    """("korean" or "vietnamese", the given name as one lowercase word, or "" for the whole name) when the
    given name the learner typed is Korean or Vietnamese; else None."""
    words = typed.latin.lower().split()
    known = tables.own_characters()
    heritage = tables.heritage_surnames()
    origins = {w: heritage[w].origin for w in words if w in heritage}
    for a, b in itertools.pairwise(words):  # Seo-yeon, Min-jun Kim, Park Ji-min
        if {a, b} <= typed.hyphenated and {a, b} <= known.korean_syllables:
            return "korean", a + b
    given = _word_to_write(typed.latin, typed.hyphenated)
    if given is None:  # Nguyen Van Anh, Park Jimin: a Korean or Vietnamese surname first
        if any(w in tables.foreign_names() for w in words[1:]):
            return None  # Kang Daniel: a given name with a standard form
        origin = origins.get(words[0], "")
        for language in ("korean", "vietnamese"):
            if language.capitalize() in origin:
                return language, ""
        return None
    given = given.lower()
    if given in tables.foreign_names() or given in tables.pronunciations():
        return None  # a standard form: Anna Nguyen, Kim
    beside = " ".join(origin for word, origin in origins.items() if word != given)
    if known.vietnamese_letters & set(unicodedata.normalize("NFC", typed.raw.lower())):
        return "vietnamese", given
    if given in known.vietnamese_names or (
        given in known.vietnamese_beside_surname and "Vietnamese" in beside
    ):
        return "vietnamese", given
    if _korean_word(given, "Korean" in beside):
        return "korean", given
    return None


def own_characters_note(typed: TypedName) -> str | None:
    """For a Korean or Vietnamese given name, which is written with characters of its own and so is not
    sounded out, the note that says so; else None. A name with a standard form (Anna Nguyen, Kim) is not
    one; a name in Korean or Vietnamese order (Nguyen Van Anh, Park Ji-min) is."""
    found = _own_characters_language(typed) if typed.latin else None
    if found is None:
        return None
    language, given = found
    typed_words = re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", typed.raw)
    if not given:  # the whole name, as typed: Nguyễn Thị Hương
        shown = " ".join(w for w in typed_words if normalize_name(w)) or typed.latin
    else:  # the given name, as typed: Seo-yeon, Thảo
        same = (w for w in typed_words if normalize_name(w).lower().replace(" ", "") == given)
        shown = next(same, given.capitalize())
    return _OWN_CHARACTERS_NOTE[language].replace("{name}", shown)


@dataclass(frozen=True)
class _Form:
    hanzi: str
    which: str  # "table", "other", "plain", "said" (a listed pronunciation) or "sounded"
    detail: str  # the standard form (for "other" and "plain"), the name it is said like, or "shortened"
    language: str


def _table_form(key: str, feel: str, more: int) -> _Form | None:
    entries = tables.foreign_names().get(key)
    if not entries:
        return None
    wanted = _SEX_FOR_FEEL.get(feel)
    entry = next((e for e in entries if e.sex == wanted), entries[0])
    index = more % len(entry.forms)
    form = entry.forms[index]
    language = entry.languages[0]
    feminine_chars = tables.transliteration().feminine_to_plain
    if feel != "feminine" and (
        form in tables.transliteration().plain_overrides or any(c in feminine_chars for c in form)
    ):
        return _Form(plain(form), "plain", form, language)
    if index:
        return _Form(form, "other", entry.forms[0], language)
    return _Form(form, "table", "", language)


def _sounded_form(key: str, typed: TypedName, feel: str, more: int) -> _Form | None:
    said = tables.pronunciations().get(key)
    if said and said[1] in tables.foreign_names():  # Eoin is said like Owen: 欧文
        found = _table_form(said[1], feel, more)
        return _Form(found.hanzi, "said", said[1].capitalize(), said[0]) if found else None
    language = guess_language(key, typed.raw, typed.script)
    chars = syllable_chars(phonemes(key, language))
    if not chars:
        return None
    detail = "shortened" if len(chars) > MAX_SOUND_CHARS else ""
    chars = chars[:MAX_SOUND_CHARS]
    if feel == "feminine":
        chars = feminine(chars)
    return _Form("".join(chars), "sounded", detail, language)


def _candidate(hanzi: str) -> Suggestion | None:
    sound_chars = tables.sound_chars()
    if not all(char in sound_chars for char in hanzi):
        return None
    chars = tuple(NameChar(char, sound_chars[char][0], sound_chars[char][1]) for char in hanzi)
    return Suggestion(hanzi, " ".join(c.pinyin for c in chars), "sound", chars, "", "")


def _repaired(hanzi: str) -> str | None:
    """`hanzi`, or the nearest variant with one character changed, that passes problems()."""
    candidate = _candidate(hanzi)
    if candidate and not problems(candidate):
        return hanzi
    for index, char in enumerate(hanzi):
        for other in near_chars().get(char, ()):
            variant = hanzi[:index] + other + hanzi[index + 1 :]
            found = _candidate(variant)
            if found and not problems(found):
                return variant
    return None


def spelled(pinyin: list[str], given_from: int = 0) -> str:
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
            first = unicodedata.normalize("NFD", syllable)[0]
            word += ("'" if first in "aoe" else "") + syllable
        words.append(word[:1].upper() + word[1:])
    return " ".join(words)


def _explained(form: _Form, word: str, named: str, spelled_out: str) -> tuple[str, str]:
    """The one-line why and the share-page story for a sound suggestion."""
    hanzi = form.hanzi
    if form.which == "table":
        return (
            f"{hanzi} is the standard way to write {named} in Chinese",
            f"{word} is written {hanzi} ({spelled_out}) in Chinese, the standard way.",
        )
    if form.which == "other":
        return (
            f"{hanzi} is another common way to write {named} in Chinese, besides {form.detail}",
            f"{word} can be written {hanzi} ({spelled_out}) in Chinese, a common form besides {form.detail}.",
        )
    if form.which == "plain":
        return (
            f"{hanzi} writes {named} with the standard plain characters; the feminine form is {form.detail}",
            f"{word} is written {hanzi} ({spelled_out}) in Chinese, with the standard plain characters "
            f"(the feminine form is {form.detail}).",
        )
    if form.which == "said":
        return (
            f"{hanzi} writes {named} by its sound: it is said like {form.detail}, written {hanzi}",
            f"{word} is said like {form.detail}, so it is written {hanzi} ({spelled_out}) in Chinese.",
        )
    how = _LANGUAGE_NAMES.get(form.language)
    said = f" as it is said in {how}" if how else ""
    why = f"{hanzi} sounds out {named}{said}, syllable by syllable, with the standard characters for names"
    if form.detail:
        why += f", cut to its first {MAX_SOUND_CHARS} syllables"
    story = f"{word} sounds out as {hanzi} ({spelled_out}), in the standard characters for foreign names."
    if form.language in _OWN_CHARACTERS:
        story += " " + _OWN_CHARACTERS[form.language]
    return why, story


def _word_to_write(latin: str, typed_hyphenated: frozenset[str]) -> str | None:
    """The part of the name to write by sound; None for a name in Chinese, Korean or Vietnamese order
    (Wong Kar Wai, Nguyen Van Anh), whose surname the Chinese-style names already use and whose given
    name has characters of its own. A Korean given name split in two (Min-jun Kim) is written whole."""
    words = latin.split()
    heritage = tables.heritage_surnames()
    first = words[0].lower()
    if (
        len(words) > 1
        and first in heritage
        and first not in typed_hyphenated
        and first not in tables.foreign_names()
    ):
        return None
    korean = any("Korean" in heritage[w.lower()].origin for w in words if w.lower() in heritage)
    if korean and len(words) >= 2 and first in typed_hyphenated and words[1].lower() in typed_hyphenated:
        return words[0] + words[1].lower()  # Ji-min Park: Jimin
    return written_word(latin)


def _umlaut_key(key: str, raw: str) -> str | None:
    """`key` with the German ä ö ü it was typed with written ae oe ue (Günter -> guenter), where the table
    has a form that follows the umlaut (京特; Gunter is sounded out); None when typed without them."""
    for word in re.findall(r"[^\W\d_]+", unicodedata.normalize("NFC", raw.lower())):
        if set(word) & set(_UMLAUTS) and normalize_name(word).lower() == key:
            return normalize_name("".join(_UMLAUTS.get(char, char) for char in word)).lower()
    return None


def sound_suggestion(typed: TypedName, feel: str, more: int) -> Suggestion | None:
    """The learner's name by sound, or None when it cannot be written (or only badly)."""
    word = _word_to_write(typed.latin, typed.hyphenated)
    if word is None:
        return None
    key = word.lower()
    umlauts = _umlaut_key(key, typed.raw)
    form = (
        (_table_form(umlauts, feel, more) if umlauts else None)
        or _table_form(key, feel, more)
        or _sounded_form(key, typed, feel, more)
    )
    if form is None:
        return None
    if form.which == "sounded":
        repaired = _repaired(form.hanzi)
        if repaired is None:
            return None
        form = _Form(repaired, form.which, form.detail, form.language)
    candidate = _candidate(form.hanzi)
    if candidate is None:
        return None
    chars = candidate.chars
    named = word if word == typed.latin else f"{word} (the first part of your name)"
    why, story = _explained(form, word, named, spelled([c.pinyin for c in chars]))
    gloss = tables.transliteration().feminine_gloss
    feminine_char = next((char for char in gloss if char in form.hanzi), None)
    if feminine_char and feel == "feminine":
        why += f"; {feminine_char} ({gloss[feminine_char]}) makes it feminine"
        story += f" {feminine_char} ({gloss[feminine_char]}) makes it feminine."
    story += f" Each character is there for its sound: {', '.join(f'{c.char} {c.pinyin}' for c in chars)}."
    return Suggestion(form.hanzi, candidate.pinyin, "sound", chars, why + ".", story)
