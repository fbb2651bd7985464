"""The [[entries]] tables of a deck file, read through the cleaning rules. Pure.

This module checks what is particular to the file: the shape of each table (keys we know, strings where
strings go, the example and send sub-tables), ids, and what a curated deck must have. Everything about
the values themselves (characters, lengths, pinyin, tags, send verdicts, duplicate headwords) is
learnapp.content.cleaning's, the same rules the editor and the importer apply.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from learnapp.chinese.syllables import has_hanzi
from learnapp.content.cleaning import EntryInput, Headwords, check_entry, kind_problems
from learnapp.content.entry import MAX_TEXT, SEND_FIELDS, EntryData
from learnapp.content.text import FieldProblem, clean_text
from learnapp.content.toml_lines import TomlLines

# reading_note: why the pinyin differs from CC-CEDICT; content/readings.py reads it (decks validate).
ENTRY_KEYS = {
    *("id", "headword", "pinyin", "spoken", "literal", "meaning", "notes", "example", "tags", "send"),
    "reading_note",
}
EXAMPLE_KEYS = ("zh", "pinyin", "en")
# What a curated deck's entries must all have (`decks validate --complete`); dictionary decks (hsk) and
# teachers' decks may leave them out.
COMPLETE_FIELDS = ("literal", "notes")
# An entry's field (learnapp.content.entry) -> its key in the file.
TOML_NAMES = {
    "key": "id",
    "example_zh": "example.zh",
    "example_pinyin": "example.pinyin",
    "example_en": "example.en",
    "send_situation": "send.situation",
    "send_verdict": "send.verdict",
    "send_why": "send.why",
}
_TEXT_KEYS = ("id", "headword", "meaning", "pinyin", "spoken", "literal", "notes")
_REQUIRED_KEYS = ("id", "headword", "meaning")
_NEEDS_SEND = "needs situation, verdict and why"

Located = tuple[int | None, str, str]  # (line, field as the file names it, message)


@dataclass
class EntryTables:
    """Every [[entries]] table read: the entries, the line of each, and what is wrong."""

    entries: list[EntryData] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    problems: list[Located] = field(default_factory=list)
    tone_numbers: int = 0  # entries whose tone numbers became tone marks


class _Entry:
    """Reads one [[entries]] table; `problems` gathers what is wrong with it, located."""

    def __init__(self, raw: dict[str, Any], index: int, lines: TomlLines) -> None:
        self.raw = raw
        self.index = index
        self.lines = lines
        self.where = f"entries[{index + 1}]"
        self.problems: list[Located] = []
        self.reported: set[str] = set()  # file keys with a problem of shape already

    def add(self, key: str | None, name: str, message: str) -> None:
        self.problems.append((self.lines.entry(self.index, key), f"{self.where}.{name}", message))

    def shape(self, name: str, message: str, at: str | None = None) -> None:
        self.reported.add(name)
        self.add(at if at is not None else name, name, message)

    def text(self, key: str) -> str:
        value = self.raw.get(key)
        if value is None:
            if key in _REQUIRED_KEYS:
                self.reported.add(key)
                self.add(None, key, "required")
            return ""
        if not isinstance(value, str):
            self.shape(key, "must be a string")
            return ""
        return value

    def table(self, key: str, names: Sequence[str]) -> dict[str, str] | None:
        """The example or send sub-table as strings; None (and a problem) when it has the wrong shape."""
        value = self.raw.get(key)
        if value is None:
            return None
        example = key == "example"
        if not isinstance(value, dict):
            self.shape(key, "must be a table with zh, pinyin, en" if example else _NEEDS_SEND)
            return None
        for extra in sorted(set(value) - set(names)):
            self.add(key, f"{key}.{extra}", "unknown key")
        if not all(isinstance(value.get(name, ""), str) for name in names):
            self.shape(key, "zh, pinyin and en must be strings" if example else _NEEDS_SEND)
            return None
        return {name: str(value.get(name, "")) for name in names}

    def tags(self) -> list[str]:
        tags = self.raw.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
            self.shape("tags", "must be a list of words")
            return []
        return tags

    def located(self, problem: FieldProblem) -> Located:
        name = TOML_NAMES.get(problem.field, problem.field)
        return self.lines.entry(self.index, name), f"{self.where}.{name}", problem.message


def read_entries(
    raw_entries: list[Any], lines: TomlLines, card_kinds: Sequence[str], *, complete: bool
) -> EntryTables:
    """Read every [[entries]] table (`raw_entries`, as tomllib gave them) in file order."""
    result = EntryTables()
    ids: dict[str, int] = {}
    headwords = Headwords(line_of=lambda index: lines.entry(index, "headword") or index + 1)
    for index, raw in enumerate(raw_entries):
        reader = _Entry(raw if isinstance(raw, dict) else {}, index, lines)
        if not isinstance(raw, dict):
            result.problems.append((lines.entry(index), reader.where, "must be a table"))
            continue
        for key in sorted(set(raw) - ENTRY_KEYS):
            reader.add(key, key, "unknown key")
        texts = {key: reader.text(key) for key in _TEXT_KEYS}
        example = reader.table("example", EXAMPLE_KEYS) or {}
        send = reader.table("send", SEND_FIELDS)
        if send is not None and not all(send[name].strip() for name in SEND_FIELDS):
            reader.shape("send", _NEEDS_SEND)
            send = None
        tags = reader.tags()
        _check_note(reader, reader.text("reading_note"))
        checked = check_entry(
            EntryInput(
                key=texts["id"],
                headword=texts["headword"],
                meaning=texts["meaning"],
                pinyin=texts["pinyin"],
                spoken=texts["spoken"],
                literal=texts["literal"],
                notes=texts["notes"],
                example_zh=example.get("zh", ""),
                example_pinyin=example.get("pinyin", ""),
                example_en=example.get("en", ""),
                tags=tags,
                send_situation=(send or {}).get("situation", ""),
                send_verdict=(send or {}).get("verdict", ""),
                send_why=(send or {}).get("why", ""),
            ),
            position=index + 1,
        )
        entry = checked.entry
        found = checked.problems + kind_problems(entry, card_kinds)
        for problem in found:
            if TOML_NAMES.get(problem.field, problem.field).split(".")[0] not in reader.reported:
                reader.problems.append(reader.located(problem))
        _check_id(reader, entry.key, ids)
        duplicate = headwords.check(entry.headword, index)
        if duplicate is not None:
            reader.problems.append(reader.located(duplicate))
        if complete:
            _check_complete(reader, entry)
        result.entries.append(entry)
        result.lines.append(lines.entry(index) or 1)
        result.problems.extend(reader.problems)
        result.tone_numbers += checked.tone_numbers
    return result


def _check_note(reader: _Entry, note: str) -> None:
    """A reading note is text like any other (it is not stored: decks validate reads it)."""
    if note:
        _, trouble = clean_text(note, "reading_note", limit=MAX_TEXT)
        if trouble:
            reader.add("reading_note", "reading_note", trouble.message)


def _check_id(reader: _Entry, key: str, ids: dict[str, int]) -> None:
    """An id is required and unique in its file (its form is the cleaning rules' to check)."""
    if "id" in reader.reported or any(name == f"{reader.where}.id" for _, name, _ in reader.problems):
        return
    if not key:
        reader.add("id", "id", "must not be empty")
    elif key in ids:
        reader.add("id", "id", f"duplicate id {key!r} (first at entry {ids[key]})")
    else:
        ids[key] = reader.index + 1


def _check_complete(reader: _Entry, entry: EntryData) -> None:
    """What every entry of a curated deck must have."""
    for name in COMPLETE_FIELDS:
        if not getattr(entry, name):
            reader.add(None, name, "required in a curated deck")
    if not entry.tags and "tags" not in reader.reported:
        reader.add(None, "tags", "required in a curated deck")
    if has_hanzi(entry.headword) and not entry.pinyin:
        reader.add(None, "pinyin", "required in a curated deck")
    if not (entry.example_zh and entry.example_pinyin and entry.example_en):
        reader.add(None, "example", "zh, pinyin and en required in a curated deck")
