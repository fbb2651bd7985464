"""Deck pinyin checked against CC-CEDICT's readings. Pure: no Flask, no database.

The rule (issue 15): a deck entry whose pinyin contradicts every reading CC-CEDICT has for its headword
fails `decks validate` with the file and line, unless the entry states why in `reading_note`. Curated
slang has readings no dictionary lists yet (干饭 gàn fàn, "to eat"); the note is where a reviewer sees why.

What is compared, for each run of hanzi in the headword (芭比Q了 has two: 芭比 and 了):
- the run as a word when CC-CEDICT has it: the entry's syllables must equal one of its readings;
- else each character on its own: its syllable must be one of the character's readings.

Two syllables agree when their letters agree (an erhua r written on one side only aside: 点儿 diǎnr
against 点 diǎn) and their tones agree, except that
- a light (neutral) syllable agrees with a full tone after the first syllable of a word: dictionaries
  differ on 知道 zhī dao / zhī dào; but 马 written ma is a mistake;
- a full tone where the dictionary has a light one does not agree: 谢谢 xiè xiè is pypinyin's mistake;
- 一 and 不 agree in any of their sandhi tones.

Every reading CC-CEDICT has counts, names and variants included (蚌埠 Bèngbù), so only a reading no
entry supports is reported.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Any

from learnapp.chinese import cedict
from learnapp.chinese.syllables import NEUTRAL, Syllable, align, hanzi_of, parse_syllable, split_pinyin
from learnapp.content.deckfile import Problem

NOTE_KEY = "reading_note"
_HANZI_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]+")
_LATIN_WORD = re.compile(r"[A-Za-z0-9]+")
# 一 and 不 change tone by their neighbours; a deck may write the spoken tone.
_SANDHI_TONES = {"一": {1, 2, 4, NEUTRAL}, "不": {4, 2, NEUTRAL}}


@dataclass(frozen=True)
class Contradiction:
    """Part of a headword whose pinyin matches none of CC-CEDICT's readings."""

    hanzi: str  # the word or character looked up
    written: str  # what the deck file says for it
    readings: tuple[str, ...]  # what CC-CEDICT has

    def __str__(self) -> str:
        return f"{self.hanzi} is written {self.written!r}, CC-CEDICT reads it {' / '.join(self.readings)}"


def _syllables_for_hanzi(headword: str, pinyin: str) -> list[tuple[str, Syllable]] | None:
    """(characters, syllable) for each hanzi syllable of the entry, in order; Latin words of the headword
    (CP, i, Q) are skipped. None when the pinyin does not parse or line up (deckfile reports that)."""
    latin = {word.lower() for word in _LATIN_WORD.findall(headword)}
    syllables: list[Syllable] = []
    for token in split_pinyin(pinyin):
        if token.lower() in latin:
            continue
        syllable = parse_syllable(token)
        if syllable is None:
            return None
        syllables.append(syllable)
    units = align(headword, syllables)
    if units is None:
        return None
    return list(zip(units, syllables, strict=True))


def _agrees(hanzi: str, written: Syllable, reading: Syllable, first: bool) -> bool:
    """Does the deck's syllable for `hanzi` agree with one dictionary syllable? `first`: it begins its
    word, where a neutral tone cannot stand in for a full one."""
    written_base, reading_base = written.base, reading.base
    if written.erhua != reading.erhua:  # 点儿 diǎnr against 点 diǎn
        written_base = written_base.removesuffix("r") if written.erhua else written_base
        reading_base = reading_base.removesuffix("r") if reading.erhua else reading_base
    if written_base != reading_base:
        return False
    if written.tone == reading.tone:
        return True
    if hanzi in _SANDHI_TONES:
        return written.tone in _SANDHI_TONES[hanzi]
    # A light syllable the dictionary gives a full tone (知道 zhī dao) is a usual variation; a full tone
    # where the dictionary has a light one (谢谢 xiè xiè) is the mistake pypinyin makes.
    return written.tone == NEUTRAL and not first


def _parsed(reading: str) -> list[Syllable] | None:
    syllables = [parse_syllable(token) for token in reading.split()]
    return None if any(s is None for s in syllables) else syllables  # type: ignore[return-value]


def _dictionary_readings(word: str) -> tuple[str, ...]:
    """Every reading CC-CEDICT gives `word`, names and variants included (the widest net)."""
    seen: list[str] = []
    for entry in cedict.lookup(word):
        if entry.pinyin.lower() not in seen:
            seen.append(entry.pinyin.lower())
    return tuple(seen)


def _matches(units: list[tuple[str, Syllable]], reading: str) -> bool:
    syllables = _parsed(reading)
    if syllables is None or len(syllables) != len(units):
        return False
    return all(
        _agrees(unit, written, dictionary, first=index == 0)
        for index, ((unit, written), dictionary) in enumerate(zip(units, syllables, strict=True))
    )


def contradictions(headword: str, pinyin: str) -> list[Contradiction]:
    """The parts of `headword` whose `pinyin` contradicts CC-CEDICT; [] when they agree, when the
    dictionary has none of them, or when the pinyin cannot be lined up with the characters."""
    pairs = _syllables_for_hanzi(headword, pinyin)
    if not pairs or not pinyin:
        return []
    found: list[Contradiction] = []
    index = 0
    for run in _HANZI_RUN.findall(headword):
        units: list[tuple[str, Syllable]] = []
        taken = 0
        while index < len(pairs) and taken < len(run):
            units.append(pairs[index])
            taken += len(pairs[index][0])
            index += 1
        word_readings = _dictionary_readings(run) if len(hanzi_of(run)) > 1 else ()
        if word_readings:
            if not any(_matches(units, reading) for reading in word_readings):
                written = " ".join(s.marked for _, s in units)
                found.append(Contradiction(run, written, word_readings))
            continue
        for position, (unit, syllable) in enumerate(units):
            char = unit[0]  # an erhua unit 点儿 is looked up as 点
            char_readings = _dictionary_readings(char)
            if not char_readings:
                continue
            candidates = [_parsed(r) for r in char_readings]
            if not any(
                c and len(c) == 1 and _agrees(unit, syllable, c[0], first=position == 0) for c in candidates
            ):
                found.append(Contradiction(char, syllable.marked, char_readings))
    return found


def _key_lines(lines: list[str], start: int, end: int) -> dict[str, int]:
    """Key -> line number for the top-level keys of one [[entries]] table (lines start..end-1)."""
    found: dict[str, int] = {}
    for number in range(start, end):
        stripped = lines[number - 1].strip()
        if stripped.startswith("[") and number != start:
            break  # [entries.example] and the like: their keys are not the entry's
        match = re.match(r"^([A-Za-z_]+)\s*=", stripped)
        if match:
            found.setdefault(match.group(1), number)
    return found


def entry_tables(text: str) -> list[tuple[dict[str, Any], int, dict[str, int]]]:
    """Each [[entries]] table of a deck file's text with its header line and the lines of its keys.
    Only for text that parses (deckfile has checked it)."""
    data = tomllib.loads(text)
    lines = text.split("\n")
    headers = [i + 1 for i, line in enumerate(lines) if re.match(r"^\s*\[\[entries\]\]", line)]
    tables = data.get("entries", [])
    out = []
    for index, table in enumerate(tables):
        start = headers[index] if index < len(headers) else 1
        end = headers[index + 1] if index + 1 < len(headers) else len(lines) + 1
        out.append((table, start, _key_lines(lines, start, end)))
    return out


def reading_problems(text: str, path: str) -> list[Problem]:
    """Entries of a deck file whose pinyin contradicts CC-CEDICT and that give no `reading_note`, as
    `path:line: pinyin: ...` problems (the line of the entry's pinyin)."""
    problems: list[Problem] = []
    for table, start, keys in entry_tables(text):
        headword = str(table.get("headword", "")).strip()
        pinyin = " ".join(str(table.get("pinyin", "")).split())
        note = table.get(NOTE_KEY)
        if note is not None and (not isinstance(note, str) or not note.strip()):
            problems.append(
                Problem(path, keys.get(NOTE_KEY, start), NOTE_KEY, "must be a sentence saying why")
            )
            continue
        if note or not pinyin:
            continue
        found = contradictions(headword, pinyin)
        if found:
            entry_id = table.get("id", "?")
            detail = "; ".join(str(c) for c in found)
            problems.append(
                Problem(
                    path,
                    keys.get("pinyin", start),
                    "pinyin",
                    f'{entry_id}: {detail}. Fix the pinyin, or say why in {NOTE_KEY} = "..."',
                )
            )
    return problems
