"""Parse and validate one deck file (TOML). Pure: no Flask, no database.

Every problem is reported with the file, the line and the field, and a file with any problem is rejected
whole. The format is described in docs/deck-format.md.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from learnapp.chinese.checker import tone_pair
from learnapp.chinese.syllables import (
    align,
    hanzi_of,
    has_hanzi,
    parse_pinyin,
    parse_syllable,
    split_pinyin,
    toneless,
)

# recognize: headword -> meaning; recall: meaning -> headword; context: "what does it mean here?" (the
# example sentence); send: "would you send this?" (a situation, from the entry's [entries.send] table);
# typed: type the pinyin of the headword; tones: pick the tone pair of a two-syllable word.
CARD_KINDS = ("recognize", "recall", "context", "send", "typed", "tones")
# Kinds an entry makes only when it suits them (a deck of mixed words): the others are checked on the file.
OPTIONAL_KINDS = ("typed", "tones")
DEFAULT_CARD_KINDS = ("recognize", "recall")
VERDICTS = ("yes", "no", "careful")
CATEGORIES = ("platform", "slang", "emoji", "customs", "mandarin", "hsk")

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_ENTRY_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")
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
ENTRY_KEYS = {"id", "headword", "pinyin", "spoken", "literal", "meaning", "notes", "example", "tags", "send"}
EXAMPLE_KEYS = {"zh", "pinyin", "en"}
SEND_KEYS = {"situation", "verdict", "why"}
# What a curated deck's entries must all have (`decks validate --complete`); dictionary decks (hsk) and
# teachers' decks may leave them out.
COMPLETE_FIELDS = ("literal", "notes")
MAX_TEXT = 2000
# Column sizes (learnapp/models/content.py): longer values are reported here, never by the database.
MAX_LENGTH = {"title": 120, "license": 80, "headword": 120, "pinyin": 255, "spoken": 255}


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


@dataclass(frozen=True)
class EntryData:
    key: str
    position: int
    headword: str
    pinyin: str
    spoken: str
    literal: str
    meaning: str
    notes: str
    example_zh: str
    example_pinyin: str
    example_en: str
    tags: tuple[str, ...]
    send: dict[str, str] | None = None


@dataclass(frozen=True)
class DeckData:
    slug: str
    title: str
    description: str
    category: str
    level: int
    prerequisites: tuple[str, ...]
    card_kinds: tuple[str, ...]
    license: str
    attribution: str
    entries: tuple[EntryData, ...] = field(default_factory=tuple)


class _Lines:
    """Finds the line a table or key stands on, for messages."""

    def __init__(self, text: str) -> None:
        # TOML counts lines at "\n" only; str.splitlines() would also break at U+2028 inside strings.
        self.lines = text.split("\n")
        self.entry_headers = [
            i + 1 for i, line in enumerate(self.lines) if re.match(r"^\s*\[\[entries\]\]", line)
        ]
        self.deck_header = next(
            (i + 1 for i, line in enumerate(self.lines) if re.match(r"^\s*\[deck\]", line)), None
        )

    def _find(self, key: str, start: int | None, end: int | None) -> int | None:
        if start is None:
            return None
        stop = end - 1 if end else len(self.lines)
        pattern = re.compile(rf"^\s*(\[entries\.)?{re.escape(key)}\]?\s*(=|$)")
        for number in range(start, stop + 1):
            if pattern.match(self.lines[number - 1]):
                return number
        return start

    def deck(self, key: str | None = None) -> int | None:
        if key is None or self.deck_header is None:
            return self.deck_header
        following = [h for h in self.entry_headers if h > self.deck_header]
        return self._find(key, self.deck_header, following[0] if following else None)

    def entry(self, index: int, key: str | None = None) -> int | None:
        if index >= len(self.entry_headers):
            return None
        start = self.entry_headers[index]
        if key is None:
            return start
        end = self.entry_headers[index + 1] if index + 1 < len(self.entry_headers) else None
        return self._find(key, start, end)


def _text(value: Any) -> bool:
    return isinstance(value, str)


def parse_deck_text(text: str, path: str = "<deck>", complete: bool = False) -> DeckData:
    """Parse and validate a deck file's text; raise DeckFileError naming every problem.

    Pinyin is always checked (valid syllables and tones, one syllable a character, the spoken form the
    same syllables). `complete` also requires what a curated entry must have: literal meaning, usage note,
    tags and an example in hanzi, pinyin and English.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = _TOML_POSITION.search(str(error))
        line = int(match.group(1)) if match else None
        message = _TOML_POSITION.sub("", str(error)).strip()
        raise DeckFileError([Problem(path, line, "syntax", f"not valid TOML: {message}")]) from None

    lines = _Lines(text)
    problems: list[Problem] = []

    def problem(line: int | None, name: str, message: str) -> None:
        problems.append(Problem(path, line, name, message))

    for key in sorted(set(data) - {"deck", "entries"}):
        problem(None, key, "unknown top-level key (expected [deck] and [[entries]])")

    deck = data.get("deck")
    if not isinstance(deck, dict):
        problem(None, "deck", "missing the [deck] table")
        deck = {}
    for key in sorted(set(deck) - DECK_KEYS):
        problem(lines.deck(key), f"deck.{key}", "unknown key")

    def deck_text(key: str, *, required: bool = False, default: str = "") -> str:
        value = deck.get(key)
        if value is None:
            if required:
                problem(lines.deck(), f"deck.{key}", "required")
            return default
        if not _text(value) or (required and not value.strip()):
            problem(
                lines.deck(key),
                f"deck.{key}",
                "must be a non-empty string" if required else "must be a string",
            )
            return default
        limit = MAX_LENGTH.get(key, MAX_TEXT)
        if len(value.strip()) > limit:
            problem(lines.deck(key), f"deck.{key}", f"longer than {limit} characters")
        return value.strip()

    slug = deck_text("slug", required=True)
    if slug and not _SLUG.match(slug):
        problem(lines.deck("slug"), "deck.slug", "use lowercase letters, digits and hyphens")
    title = deck_text("title", required=True)
    description = deck_text("description")
    category = deck_text("category", default="mandarin") or "mandarin"
    if category not in CATEGORIES:
        problem(lines.deck("category"), "deck.category", f"must be one of {', '.join(CATEGORIES)}")
    level = deck.get("level", 1)
    if not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= 9:
        problem(lines.deck("level"), "deck.level", "must be a whole number from 1 to 9")
        level = 1
    prerequisites = deck.get("prerequisites", [])
    if not isinstance(prerequisites, list) or not all(_text(p) and _SLUG.match(p) for p in prerequisites):
        problem(lines.deck("prerequisites"), "deck.prerequisites", "must be a list of deck slugs")
        prerequisites = []
    card_kinds = deck.get("card_kinds", list(DEFAULT_CARD_KINDS))
    if (
        not isinstance(card_kinds, list)
        or not card_kinds
        or not all(kind in CARD_KINDS for kind in card_kinds)
        or len(set(card_kinds)) != len(card_kinds)
    ):
        problem(
            lines.deck("card_kinds"),
            "deck.card_kinds",
            f"must be a list of distinct kinds from {', '.join(CARD_KINDS)}",
        )
        card_kinds = list(DEFAULT_CARD_KINDS)

    entries_raw = data.get("entries", [])
    if not isinstance(entries_raw, list):
        problem(None, "entries", "must be an array of tables ([[entries]])")
        entries_raw = []
    entries: list[EntryData] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(entries_raw):
        where = f"entries[{index + 1}]"
        if not isinstance(raw, dict):
            problem(lines.entry(index), where, "must be a table")
            continue
        for key in sorted(set(raw) - ENTRY_KEYS):
            problem(lines.entry(index, key), f"{where}.{key}", "unknown key")

        def text(key: str, *, required: bool = False, raw: dict[str, Any] = raw, index: int = index) -> str:
            value = raw.get(key)
            name = f"entries[{index + 1}].{key}"
            if value is None:
                if required:
                    problem(lines.entry(index), name, "required")
                return ""
            if not _text(value):
                problem(lines.entry(index, key), name, "must be a string")
                return ""
            if required and not value.strip():
                problem(lines.entry(index, key), name, "must not be empty")
            limit = MAX_LENGTH.get(key, MAX_TEXT)
            if len(value.strip()) > limit:
                problem(lines.entry(index, key), name, f"longer than {limit} characters")
            return value.strip()

        key = text("id", required=True)
        if key:
            if not _ENTRY_ID.match(key):
                problem(lines.entry(index, "id"), f"{where}.id", "use lowercase letters, digits, '-' and '_'")
            elif key in seen:
                problem(
                    lines.entry(index, "id"),
                    f"{where}.id",
                    f"duplicate id {key!r} (first at entry {seen[key]})",
                )
            else:
                seen[key] = index + 1
        headword = text("headword", required=True)
        meaning = text("meaning", required=True)
        example = raw.get("example", {})
        if not isinstance(example, dict):
            problem(lines.entry(index, "example"), f"{where}.example", "must be a table with zh, pinyin, en")
            example = {}
        for extra in sorted(set(example) - EXAMPLE_KEYS):
            problem(lines.entry(index, "example"), f"{where}.example.{extra}", "unknown key")
        if not all(_text(example.get(k, "")) for k in EXAMPLE_KEYS):
            problem(lines.entry(index, "example"), f"{where}.example", "zh, pinyin and en must be strings")
            example = {}
        tags = raw.get("tags", [])
        if not isinstance(tags, list) or not all(_text(t) and t.strip() for t in tags):
            problem(lines.entry(index, "tags"), f"{where}.tags", "must be a list of words")
            tags = []
        send = raw.get("send")
        if send is not None:
            if not isinstance(send, dict) or not all(
                _text(send.get(k)) and send[k].strip() for k in SEND_KEYS
            ):
                problem(lines.entry(index, "send"), f"{where}.send", "needs situation, verdict and why")
                send = None
            else:
                for extra in sorted(set(send) - SEND_KEYS):
                    problem(lines.entry(index, "send"), f"{where}.send.{extra}", "unknown key")
                if send["verdict"] not in VERDICTS:
                    problem(
                        lines.entry(index, "send"), f"{where}.send.verdict", f"must be {', '.join(VERDICTS)}"
                    )
                send = {k: send[k].strip() for k in SEND_KEYS}
        if "send" in card_kinds and send is None and not any(p.field == f"{where}.send" for p in problems):
            problem(
                lines.entry(index), f"{where}.send", "required: this deck makes 'would you send this?' cards"
            )
        if "context" in card_kinds and not (example.get("zh") or "").strip():
            problem(
                lines.entry(index),
                f"{where}.example",
                "required: this deck makes 'what does it mean here?' cards",
            )
        pinyin = " ".join(text("pinyin").split())
        spoken = " ".join(text("spoken").split())
        for name, message in pinyin_problems(headword, pinyin, spoken):
            problem(lines.entry(index, name), f"{where}.{name}", message)
        if example.get("pinyin"):
            for message in example_pinyin_problems(example.get("zh", ""), example["pinyin"]):
                problem(lines.entry(index, "example"), f"{where}.example.pinyin", message)
        if complete:
            for name in COMPLETE_FIELDS:
                if not text(name):
                    problem(lines.entry(index), f"{where}.{name}", "required in a curated deck")
            if not tags:
                problem(lines.entry(index), f"{where}.tags", "required in a curated deck")
            if has_hanzi(headword) and not pinyin:
                problem(lines.entry(index), f"{where}.pinyin", "required in a curated deck")
            if not all((example.get(k) or "").strip() for k in EXAMPLE_KEYS):
                problem(
                    lines.entry(index), f"{where}.example", "zh, pinyin and en required in a curated deck"
                )
        entries.append(
            EntryData(
                key=key,
                position=index + 1,
                headword=headword,
                pinyin=pinyin,
                spoken=spoken,
                literal=text("literal"),
                meaning=meaning,
                notes=text("notes"),
                example_zh=example.get("zh", "").strip(),
                example_pinyin=example.get("pinyin", "").strip(),
                example_en=example.get("en", "").strip(),
                tags=tuple(t.strip().lower() for t in tags),
                send=send,
            )
        )
    if not entries_raw and not problems:
        problem(None, "entries", "a deck needs at least one [[entries]] table")
    if problems:
        raise DeckFileError(problems)
    return DeckData(
        slug=slug,
        title=title,
        description=description,
        category=category,
        level=level,
        prerequisites=tuple(prerequisites),
        card_kinds=tuple(card_kinds),
        license=deck_text("license"),
        attribution=deck_text("attribution"),
        entries=tuple(entries),
    )


_LATIN_WORD = re.compile(r"[A-Za-z0-9]+")
_PUNCTUATION = "\"'“”‘’«»()[]{}<>,.!?;:…—–-~·、，。！？；：（）【】《》「」『』"


def _latin_words(text: str) -> set[str]:
    return {word.lower() for word in _LATIN_WORD.findall(text)}


def pinyin_problems(headword: str, pinyin: str, spoken: str) -> list[tuple[str, str]]:
    """What is wrong with an entry's citation and spoken pinyin, as (field, message) pairs."""
    found: list[tuple[str, str]] = []
    latin = _latin_words(headword)
    tokens = split_pinyin(pinyin)
    bad = [t for t in tokens if parse_syllable(t) is None and t.lower() not in latin]
    if bad:
        found.append(
            ("pinyin", f"not valid pinyin (tone marks, one space between syllables): {' '.join(bad)}")
        )
    elif pinyin and has_hanzi(headword):
        syllables = [s for t in tokens if (s := parse_syllable(t)) is not None]
        if align(headword, syllables) is None:
            count = len(hanzi_of(headword))
            found.append(("pinyin", f"{len(syllables)} syllables for {count} characters"))
    if spoken:
        spoken_tokens = split_pinyin(spoken)
        bad = [t for t in spoken_tokens if parse_syllable(t) is None and t.lower() not in latin]
        if bad:
            found.append(("spoken", f"not valid pinyin: {' '.join(bad)}"))
        elif [toneless(t) for t in spoken_tokens] != [toneless(t) for t in tokens]:
            found.append(("spoken", "must be the same syllables as pinyin, only the tones changed"))
    return found


def example_pinyin_problems(zh: str, pinyin: str) -> list[str]:
    """Tokens of an example's pinyin that are neither syllables nor words written in Latin in the example."""
    latin = _latin_words(zh)
    bad = []
    for raw in pinyin.split():
        token = raw.strip(_PUNCTUATION)
        if not token or token.lower() in latin or parse_syllable(token.lower()) is not None:
            continue
        if all(
            parse_syllable(part.lower()) is not None or part.lower() in latin for part in token.split("-")
        ):
            continue
        bad.append(raw)
    return [f"not valid pinyin: {' '.join(bad)}"] if bad else []


def parse_deck_file(path: Path, complete: bool = False) -> DeckData:
    """Read and parse one deck file; an unreadable or non-UTF-8 file is a DeckFileError too."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise DeckFileError([Problem(str(path), None, "encoding", f"not UTF-8 ({error.reason})")]) from None
    except OSError as error:
        raise DeckFileError([Problem(str(path), None, "file", error.strerror or str(error))]) from None
    return parse_deck_text(text, str(path), complete=complete)


def card_kinds_for(kinds: Iterable[str], headword: str, pinyin: str) -> tuple[str, ...]:
    """The kinds of card one entry makes: typed pinyin needs hanzi and their pinyin; a tone drill needs a
    word of two characters read as two syllables."""
    out = []
    for kind in kinds:
        if kind in OPTIONAL_KINDS:
            hanzi = hanzi_of(headword)
            if not hanzi or not pinyin or parse_pinyin(pinyin) is None:
                continue
            if kind == "tones" and (len(hanzi) != 2 or len(headword) != 2 or tone_pair(pinyin) is None):
                continue
        out.append(kind)
    return tuple(out)
