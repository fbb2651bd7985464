"""Export a deck as CSV or as a deck file (TOML). Pure: no Flask, no database. Anki packages: anki.py.

The caller gives a `DeckData` and its `EntryData` (learnapp.content.entry), from the database
(learnapp.decks.loader.entry_data_of) or from a parsed deck file (`from_deckfile`).

- `to_csv`: the columns the importer reads (learnapp.content.columns), so an export imports back to the
  same rows. `spoken` and the three `send_*` columns are written only when some entry has them. Tags are
  joined by spaces (a tag is one word: learnapp.content.tags; a tag stored before that rule, with a space
  in it, is written with a hyphen in both formats). A cell starting with = + - @ gets a leading
  apostrophe so a spreadsheet does not run it as a formula; the importer removes it again.
- `to_toml`: our deck format (docs/deck-format.md); deckfile.parse_deck_text reads it back to the same
  deck and entries. It writes what it is given and does not validate (parse the result to check it).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from learnapp.content.columns import COLUMNS, SEND_COLUMNS, guard_formula
from learnapp.content.entry import DeckData, EntryData
from learnapp.content.tags import tag_word


def from_deckfile(deck: DeckData) -> tuple[DeckData, list[EntryData]]:
    """A parsed deck file as export inputs: the deck and its entries."""
    return deck, list(deck.entries)


# ---------------------------------------------------------------- CSV


def _tag_words(tags: Iterable[str]) -> list[str]:
    """Tags as words (a tag is one word; one stored before that rule has its spaces made hyphens)."""
    return [word for word in (tag_word(tag) for tag in tags) if word]


def csv_columns(entries: Sequence[EntryData]) -> list[str]:
    """The columns to_csv writes for these entries."""
    columns = [c for c in COLUMNS if c not in SEND_COLUMNS and c != "spoken"]
    if any(e.spoken for e in entries):
        columns.insert(columns.index("pinyin") + 1, "spoken")
    if any(e.send for e in entries):
        columns.extend(SEND_COLUMNS)
    return columns


def _csv_values(entry: EntryData) -> dict[str, str]:
    send = entry.send or {}
    return {
        "key": entry.key,
        "headword": entry.headword,
        "pinyin": entry.pinyin,
        "spoken": entry.spoken,
        "literal": entry.literal,
        "meaning": entry.meaning,
        "notes": entry.notes,
        "example_zh": entry.example_zh,
        "example_pinyin": entry.example_pinyin,
        "example_en": entry.example_en,
        "tags": " ".join(_tag_words(entry.tags)),
        "send_situation": send.get("situation", ""),
        "send_verdict": send.get("verdict", ""),
        "send_why": send.get("why", ""),
    }


def to_csv(deck: DeckData, entries: Iterable[EntryData], *, bom: bool = True) -> str:
    """The entries as CSV text (encode it as UTF-8). `bom` starts the text with U+FEFF, which Excel needs
    to read UTF-8 (the importer ignores it). Lines end in CRLF, as RFC 4180 says; cells with commas,
    quotes or line breaks are quoted. The deck itself is not in the file (CSV has no place for it)."""
    entries = list(entries)
    columns = csv_columns(entries)
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(columns)
    for entry in entries:
        values = _csv_values(entry)
        writer.writerow([guard_formula(values[column]) for column in columns])
    return ("\ufeff" if bom else "") + out.getvalue()


# ---------------------------------------------------------------- TOML

_TOML_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_string(value: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = ['"']
    for char in value:
        if char in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _toml_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(toml_string(v) for v in values) + "]"


def to_toml(deck: DeckData, entries: Iterable[EntryData]) -> str:
    """The deck as a deck file (docs/deck-format.md) that deckfile.parse_deck_text reads back."""
    lines = [
        "# Exported from Huanying. The format is described in docs/deck-format.md.",
        "",
        "[deck]",
        f"slug = {toml_string(deck.slug)}",
        f"title = {toml_string(deck.title)}",
        f"description = {toml_string(deck.description)}",
        f"category = {toml_string(deck.category)}",
        f"level = {int(deck.level)}",
        f"prerequisites = {_toml_list(deck.prerequisites)}",
        f"card_kinds = {_toml_list(deck.card_kinds)}",
        f"license = {toml_string(deck.license)}",
        f"attribution = {toml_string(deck.attribution)}",
    ]
    for entry in entries:
        lines += [
            "",
            "[[entries]]",
            f"id = {toml_string(entry.key)}",
            f"headword = {toml_string(entry.headword)}",
        ]
        for name in ("pinyin", "spoken", "literal", "meaning", "notes"):
            value = getattr(entry, name)
            if value or name == "meaning":
                lines.append(f"{name} = {toml_string(value)}")
        if _tag_words(entry.tags):
            lines.append(f"tags = {_toml_list(_tag_words(entry.tags))}")
        if entry.example_zh or entry.example_pinyin or entry.example_en:
            lines += [
                "",
                "[entries.example]",
                f"zh = {toml_string(entry.example_zh)}",
                f"pinyin = {toml_string(entry.example_pinyin)}",
                f"en = {toml_string(entry.example_en)}",
            ]
        if entry.send:
            lines += ["", "[entries.send]"]
            lines += [f"{k} = {toml_string(entry.send.get(k, ''))}" for k in ("situation", "verdict", "why")]
    return "\n".join(lines) + "\n"
