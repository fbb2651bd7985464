"""A Chinese name the learner typed (李雷), offered back first with its pinyin, if it is safe to show.

Heritage learners often have a Chinese name already; the best nickname is their own. The surname is read
with its surname reading from our table (曾 Zēng, 单 Shàn, 朴 Piáo, compound ones such as 欧阳 Ōuyáng); the
given name with the reading our given-name table has, else pypinyin's. The name still passes the safety
rules (a famous or political name, a rude homophone or a blocklisted given character is not offered back,
and the note says why); the blocklist spares the surname, which is theirs.
"""

from __future__ import annotations

from dataclasses import dataclass

from learnapp.chinese.syllables import parse_syllable
from learnapp.nickname import tables
from learnapp.nickname.model import NameChar, Suggestion
from learnapp.nickname.safety import problems
from learnapp.nickname.sound import spelled


@dataclass(frozen=True)
class OwnName:
    surname: str  # "" when the name does not start with a surname we know
    suggestion: Suggestion | None  # None when it is not safe to offer
    note: str | None  # for the learner: why it is not offered, or how it was read


def split_surname(hanzi: str) -> str:
    """The surname `hanzi` starts with (a compound one first: 欧阳娜娜 -> 欧阳), or ""."""
    known = tables.surnames()
    for length in (2, 1):
        if len(hanzi) > length and hanzi[:length] in known:
            return hanzi[:length]
    return ""


def _reading(char: str) -> str | None:
    given = tables.given_chars().get(char)
    if given:
        return given.pinyin
    from pypinyin import Style, pinyin  # loaded only for typed Chinese names: it takes a while

    found = pinyin(char, style=Style.TONE, heteronym=False, errors="ignore")
    syllable = found[0][0] if found and found[0] else ""
    return syllable if parse_syllable(syllable) else None


def _meaning(char: str) -> str:
    if char in tables.given_chars():
        return tables.given_chars()[char].meaning
    if char in tables.sound_chars():
        return tables.sound_chars()[char][1]
    return "part of your given name"


def own_name(hanzi: str) -> OwnName:
    """The typed name `hanzi` (Chinese characters only) as a suggestion, when it is a name we can read."""
    surname = split_surname(hanzi)
    if not surname or len(hanzi) > len(surname) + 2:
        return OwnName("", None, None)
    entry = tables.surnames()[surname]
    chars = [
        NameChar(char, syllable, "your surname")
        for char, syllable in zip(surname, entry.pinyin.split(), strict=True)
    ]
    for char in hanzi[len(surname) :]:
        reading = _reading(char)
        if reading is None:
            return OwnName(surname, None, None)
        chars.append(NameChar(char, reading, _meaning(char)))
    pinyin = " ".join(c.pinyin for c in chars)
    written = spelled([c.pinyin for c in chars], given_from=len(surname))
    suggestion = Suggestion(
        hanzi=hanzi,
        pinyin=pinyin,
        kind="own",
        chars=tuple(chars),
        why=f"{hanzi} ({written}) is the Chinese name you typed: {surname} is the surname, read "
        f"{spelled(entry.pinyin.split())} as a surname.",
        story=f"{hanzi} ({written}) is a real Chinese name, and it is theirs: {surname} is the surname "
        f"and {hanzi[len(surname) :]} the given name.",
    )
    found = problems(suggestion, own_surname=surname)
    if found:
        reason = found[0].replace(
            "the name of a famous person", "it reads as the name of a well-known person"
        )
        return OwnName(surname, None, f"We did not offer {hanzi} back: {reason}. Here are other names.")
    return OwnName(surname, suggestion, None)
