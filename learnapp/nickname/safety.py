"""The rules every suggestion passes before a learner sees it: `problems(s)` lists the rules it breaks.

A name is worn in public, and a bad one (a rude homophone, a dictator's name, the character for death)
embarrasses the learner in front of every Chinese speaker who reads it. The rules:

- no blocklisted character (death, illness, crime, insults, 钟 for 送钟), except a learner's own surname;
- not a famous person's name, none inside a longer name; for a Chinese-style or typed name, not starting
  with the first two characters of one of three or more (周杰 of 周杰伦: a transliteration such as 努尔 for
  Noor is spared, it is the standard form), and for a Chinese-style name not a famous given name (张成龙);
- no syllables that sound like a rude or unlucky word, in any tones (杜子腾 ~ 肚子疼);
- pinyin in our written form, one syllable per character;
- for Chinese-style names: not all three syllables on one tone, no given name of two third tones (the
  first becomes a second tone and the name blurs), no syllable twice (林琳).
"""

from __future__ import annotations

from functools import cache, lru_cache

from learnapp.chinese.syllables import Syllable, has_hanzi, parse_pinyin, parse_syllable
from learnapp.nickname import tables
from learnapp.nickname.model import KINDS, Suggestion

_BadSound = tuple[tuple[str, ...], tuple[int, ...], str, str]


@cache
def _bad_sounds() -> dict[str, tuple[_BadSound, ...]]:
    """The bad words by their first toneless syllable: (toneless syllables, tones, hanzi, English)."""
    found: dict[str, list[_BadSound]] = {}
    for hanzi, pinyin, english in tables.bad_sounds():
        syllables = parse_pinyin(pinyin)
        if not syllables:
            raise tables.TableError(f"bad_sounds.tsv: invalid pinyin {pinyin!r}")
        bases = tuple(s.base for s in syllables)
        found.setdefault(bases[0], []).append((bases, tuple(s.tone for s in syllables), hanzi, english))
    return {first: tuple(entries) for first, entries in found.items()}


_syllable = lru_cache(maxsize=4096)(parse_syllable)


def _parse_written(pinyin: str) -> list[Syllable] | None:
    """Pinyin in our written form (lowercase tone marks, one space between syllables), else None."""
    syllables = [_syllable(token) for token in pinyin.split(" ")]
    parsed = [s for s in syllables if s is not None]
    if not pinyin or len(parsed) != len(syllables):
        return None
    return parsed


@cache
def _famous_starts() -> frozenset[str]:
    return frozenset(name[:2] for name in tables.famous() if len(name) >= 3)


def famous_match(hanzi: str, kind: str) -> str | None:
    """Why `hanzi` reads as a famous name, or None."""
    famous = tables.famous()
    for start in range(len(hanzi)):
        for end in range(len(hanzi), start + 1, -1):
            if hanzi[start:end] in famous:
                return hanzi[start:end]
    if kind != "sound" and hanzi[:2] in _famous_starts():
        return next(name for name in sorted(famous) if name.startswith(hanzi[:2]) and len(name) >= 3)
    if kind == "chinese" and hanzi[1:] in famous:
        return hanzi[1:]
    return None


def _sounds_like(bases: tuple[str, ...], tones: tuple[int, ...]) -> list[str]:
    found = []
    flagged: set[str] = set()
    bad_sounds = _bad_sounds()
    for start, base in enumerate(bases):
        for bad_bases, bad_tones, bad_hanzi, english in bad_sounds.get(base, ()):
            end = start + len(bad_bases)
            if bases[start:end] == bad_bases and bad_hanzi not in flagged:
                flagged.add(bad_hanzi)
                exact = "exactly " if tones[start:end] == bad_tones else ""
                found.append(f"sounds {exact}like {bad_hanzi} ({english})")
    return found


def _tone_rules(bases: tuple[str, ...], tones: tuple[int, ...], length: int) -> list[str]:
    found = []
    if not 2 <= length <= 4:
        found.append("a Chinese-style name has a surname and a one- or two-character given name")
    if len(tones) == 3 and len(set(tones)) == 1:
        found.append("all three syllables have the same tone")
    if len(tones) == 3 and tones[1] == tones[2] == 3:
        found.append("a given name of two third tones")
    if len(set(bases)) != len(bases):
        found.append("a syllable is repeated")
    return found


def problems(s: Suggestion, own_surname: str = "") -> list[str]:
    """Every rule `s` breaks, in words; [] for a suggestion we may show. `own_surname`: the surname of a
    Chinese name the learner typed, which the blocklist spares (钟 is their name)."""
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
    checked = s.hanzi[len(own_surname) :] if own_surname and s.hanzi.startswith(own_surname) else s.hanzi
    blocked = sorted({char for char in checked if char in tables.blocklist()})
    if blocked:
        found.append(f"unlucky or rude character: {' '.join(blocked)}")
    famous = famous_match(s.hanzi, s.kind)
    if famous:
        found.append(f"the name of a famous person: {famous}")
    syllables = _parse_written(s.pinyin)
    if not syllables:
        return [*found, f"invalid pinyin: {s.pinyin!r}"]
    if len(syllables) != len(s.hanzi):
        return [*found, f"{len(s.hanzi)} characters but {len(syllables)} syllables"]
    bases = tuple(x.base for x in syllables)
    tones = tuple(x.tone for x in syllables)
    found += _sounds_like(bases, tones)
    if s.kind == "chinese":
        found += _tone_rules(bases, tones, len(s.hanzi))
    return found
