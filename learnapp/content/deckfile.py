"""Parse and validate one deck file (TOML). Pure: no Flask, no database.

Every problem is reported with the file, the line and the field, and a file with any problem is rejected
whole. The format is described in docs/deck-format.md. The [deck] table is read here, the [[entries]]
tables by learnapp.content.deck_entries, and every value goes through learnapp.content.cleaning, the
rules the editor and the importer apply too.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from learnapp.content.deck_entries import read_entries
from learnapp.content.entry import (
    CARD_KINDS,
    CATEGORIES,
    DEFAULT_CARD_KINDS,
    LEVELS,
    MAX_LENGTH,
    DeckData,
)
from learnapp.content.text import clean_text
from learnapp.content.toml_lines import TomlLines

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")

DECK_KEYS = {
    "slug",
    "title",
    "description",
    "category",
    "level",
    "prerequisites",
    "card_kinds",
    "license",
    "attribution",
}


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.field}: {self.message}"


class DeckFileError(Exception):
    """A deck file that cannot be loaded; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass
class DeckReading:
    """A deck file read as far as it goes: the deck with every entry that is a table (each with the line
    of its [[entries]] header), every problem, and whether the file had a [deck] table at all."""

    deck: DeckData | None
    problems: list[Problem] = field(default_factory=list)
    entry_lines: list[int] = field(default_factory=list)
    has_deck_table: bool = False
    tone_numbers: int = 0  # entries whose tone numbers became tone marks


def read_deck_text(
    text: str, path: str = "<deck>", *, complete: bool = False, require_deck: bool = True
) -> DeckReading:
    """Read a deck file's text without raising: see `parse_deck_text`. `require_deck=False` accepts a file
    of [[entries]] alone (an upload), with a placeholder deck."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = _TOML_POSITION.search(str(error))
        line = int(match.group(1)) if match else None
        message = _TOML_POSITION.sub("", str(error)).strip()
        return DeckReading(None, [Problem(path, line, "syntax", f"not valid TOML: {message}")])
    except RecursionError:  # tomllib reads nested arrays and tables by recursion: an upload can go too deep
        return DeckReading(None, [Problem(path, None, "syntax", "not valid TOML: nested too deeply")])

    lines = TomlLines(text)
    problems: list[Problem] = []
    for key in sorted(set(data) - {"deck", "entries"}):
        problems.append(Problem(path, None, key, "unknown top-level key (expected [deck] and [[entries]])"))
    has_deck = "deck" in data
    deck_table = data.get("deck")
    if not isinstance(deck_table, dict):
        if require_deck or has_deck:
            problems.append(Problem(path, None, "deck", "missing the [deck] table"))
        deck_table = {} if require_deck or has_deck else {"slug": "upload", "title": "upload"}
    deck = _read_deck_table(deck_table, lines, path, problems)

    entries_raw = data.get("entries", [])
    if not isinstance(entries_raw, list):
        problems.append(Problem(path, None, "entries", "must be an array of tables ([[entries]])"))
        entries_raw = []
    tables = read_entries(entries_raw, lines, deck.card_kinds, complete=complete)
    problems.extend(Problem(path, line, name, message) for line, name, message in tables.problems)
    if not entries_raw and not problems:
        problems.append(Problem(path, None, "entries", "a deck needs at least one [[entries]] table"))
    return DeckReading(
        deck=replace(deck, entries=tuple(tables.entries)),
        problems=problems,
        entry_lines=tables.lines,
        has_deck_table=isinstance(data.get("deck"), dict),
        tone_numbers=tables.tone_numbers,
    )


def _read_deck_table(deck: dict[str, Any], lines: TomlLines, path: str, problems: list[Problem]) -> DeckData:
    """The [deck] table's fields, each checked; a field with a problem takes its default."""

    def problem(key: str, message: str, *, at_key: bool = True) -> None:
        problems.append(Problem(path, lines.deck(key if at_key else None), f"deck.{key}", message))

    for key in sorted(set(deck) - DECK_KEYS):
        problem(key, "unknown key")

    def text(key: str, *, required: bool = False, default: str = "") -> str:
        value = deck.get(key)
        if value is None:
            if required:
                problem(key, "required", at_key=False)
            return default
        if not isinstance(value, str) or (required and not value.strip()):
            problem(key, "must be a non-empty string" if required else "must be a string")
            return default
        cleaned, trouble = clean_text(value, key, limit=MAX_LENGTH[key])
        if trouble:
            problem(key, trouble.message)
        return cleaned

    slug = text("slug", required=True)
    if slug and not _SLUG.match(slug):
        problem("slug", "use lowercase letters, digits and hyphens")
    title = text("title", required=True)
    description = text("description")
    category = text("category", default="mandarin") or "mandarin"
    if category not in CATEGORIES:
        problem("category", f"must be one of {', '.join(CATEGORIES)}")
    level = deck.get("level", 1)
    if not isinstance(level, int) or isinstance(level, bool) or level not in LEVELS:
        problem("level", "must be a whole number from 1 to 9")
        level = 1
    prerequisites, card_kinds = _deck_lists(deck, problem)
    return DeckData(
        slug=slug,
        title=title,
        description=description,
        category=category,
        level=level,
        prerequisites=tuple(prerequisites),
        card_kinds=tuple(card_kinds),
        license=text("license"),
        attribution=text("attribution"),
    )


def _deck_lists(deck: dict[str, Any], problem: Callable[[str, str], None]) -> tuple[list[str], list[str]]:
    """The [deck] table's prerequisites and card kinds, each checked; a list with a problem takes its
    default."""
    prerequisites = deck.get("prerequisites", [])
    if not isinstance(prerequisites, list) or not all(
        isinstance(p, str) and _SLUG.match(p) for p in prerequisites
    ):
        problem("prerequisites", "must be a list of deck slugs")
        prerequisites = []
    card_kinds = deck.get("card_kinds", list(DEFAULT_CARD_KINDS))
    if (
        not isinstance(card_kinds, list)
        or not card_kinds
        or not all(kind in CARD_KINDS for kind in card_kinds)
        or len(set(card_kinds)) != len(card_kinds)
    ):
        problem("card_kinds", f"must be a list of distinct kinds from {', '.join(CARD_KINDS)}")
        card_kinds = list(DEFAULT_CARD_KINDS)
    return prerequisites, card_kinds


def parse_deck_text(text: str, path: str = "<deck>", complete: bool = False) -> DeckData:
    """Parse and validate a deck file's text; raise DeckFileError naming every problem.

    Pinyin is always checked (valid syllables and tones, one syllable a character, the spoken form the
    same syllables); tone numbers and capitals are turned into our form first (ni3 hao3 -> nǐ hǎo).
    `complete` also requires what a curated entry must have: literal meaning, usage note, tags and an
    example in hanzi, pinyin and English.
    """
    reading = read_deck_text(text, path, complete=complete)
    if reading.problems or reading.deck is None:
        raise DeckFileError(reading.problems)
    return reading.deck


def parse_deck_file(path: Path, complete: bool = False) -> DeckData:
    """Read and parse one deck file; an unreadable or non-UTF-8 file is a DeckFileError too."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise DeckFileError([Problem(str(path), None, "encoding", f"not UTF-8 ({error.reason})")]) from None
    except OSError as error:
        raise DeckFileError([Problem(str(path), None, "file", error.strerror or str(error))]) from None
    return parse_deck_text(text, str(path), complete=complete)
