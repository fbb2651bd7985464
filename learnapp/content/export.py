"""Export a deck as CSV, as a deck file (TOML) or as an Anki package (.apkg). Pure: no Flask, no database.

The caller fills `DeckData` and `EntryData` from the models (`Entry.pinyin_spoken` is `spoken`,
`Entry.extra["send"]` is `send`); `from_deckfile` does the same from a parsed deck file.

- `to_csv`: the columns the importer reads (learnapp/content/tabular.py), so an export imports back to the
  same rows. `spoken` and the three `send_*` columns are written only when some entry has them. Tags are
  joined by spaces (a space inside a tag becomes "-"). A cell starting with = + - @ gets a leading
  apostrophe so a spreadsheet does not run it as a formula; the importer removes it again.
- `to_toml`: our deck format (docs/deck-format.md); deckfile.parse_deck_text reads it back to the same
  deck and entries. It writes what it is given and does not validate (parse the result to check it).
- `to_apkg`: a genanki package: one note type per deck with the fields in `ANKI_FIELDS`, two card
  templates (Recognize: hanzi on the front; Recall: meaning on the front), model and deck ids derived from
  the deck slug, note GUIDs from (slug, key), so importing a newer export into Anki updates the notes
  instead of duplicating them. Every field is HTML-escaped (Anki fields are HTML); line breaks become <br>.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import itertools
import os
import re
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import genanki

from learnapp.content import deckfile
from learnapp.content.tabular import COLUMNS, SEND_COLUMNS, guard_formula


@dataclass(frozen=True, kw_only=True)
class DeckData:
    slug: str
    title: str
    description: str = ""
    category: str = "mandarin"
    level: int = 1
    card_kinds: tuple[str, ...] = deckfile.DEFAULT_CARD_KINDS
    license: str = ""
    attribution: str = ""
    prerequisites: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class EntryData:
    key: str
    headword: str
    pinyin: str = ""
    literal: str = ""
    meaning: str = ""
    notes: str = ""
    example_zh: str = ""
    example_pinyin: str = ""
    example_en: str = ""
    tags: tuple[str, ...] = ()
    send: dict[str, str] | None = None  # situation, verdict, why
    spoken: str = ""  # the spoken form when tone sandhi changes it (Entry.pinyin_spoken)


def from_deckfile(deck: deckfile.DeckData) -> tuple[DeckData, list[EntryData]]:
    """A parsed deck file as export inputs (for the CLI and the tests)."""
    return (
        DeckData(
            slug=deck.slug,
            title=deck.title,
            description=deck.description,
            category=deck.category,
            level=deck.level,
            card_kinds=tuple(deck.card_kinds),
            license=deck.license,
            attribution=deck.attribution,
            prerequisites=tuple(deck.prerequisites),
        ),
        [
            EntryData(
                key=e.key,
                headword=e.headword,
                pinyin=e.pinyin,
                literal=e.literal,
                meaning=e.meaning,
                notes=e.notes,
                example_zh=e.example_zh,
                example_pinyin=e.example_pinyin,
                example_en=e.example_en,
                tags=tuple(e.tags),
                send=dict(e.send) if e.send else None,
                spoken=e.spoken,
            )
            for e in deck.entries
        ],
    )


# ---------------------------------------------------------------- CSV


def _csv_tag(tag: str) -> str:
    return re.sub(r"[\s,;，；、]+", "-", tag.strip())


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
        "tags": " ".join(t for t in (_csv_tag(tag) for tag in entry.tags) if t),
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
        if entry.tags:
            lines.append(f"tags = {_toml_list(entry.tags)}")
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


# ---------------------------------------------------------------- Anki

ANKI_FIELDS = (
    "Hanzi",
    "Pinyin",
    "Meaning",
    "Literal",
    "Notes",
    "Example",
    "ExamplePinyin",
    "ExampleEnglish",
    "Tags",
    "Key",
)

_ANKI_DETAILS = """
<div class="pinyin">{{Pinyin}}</div>
{{#Literal}}<div class="literal">literally: {{Literal}}</div>{{/Literal}}
{{#Notes}}<div class="notes">{{Notes}}</div>{{/Notes}}
{{#Example}}<div class="example">
  <div class="example-zh">{{Example}}</div>
  <div class="example-pinyin">{{ExamplePinyin}}</div>
  <div class="example-en">{{ExampleEnglish}}</div>
</div>{{/Example}}
"""

ANKI_TEMPLATES = (
    {
        "name": "Recognize",
        "qfmt": '<div class="hanzi">{{Hanzi}}</div>',
        "afmt": '{{FrontSide}}\n<hr id="answer">\n<div class="meaning">{{Meaning}}</div>' + _ANKI_DETAILS,
    },
    {
        "name": "Recall",
        "qfmt": '<div class="meaning">{{Meaning}}</div>',
        "afmt": '{{FrontSide}}\n<hr id="answer">\n<div class="hanzi">{{Hanzi}}</div>' + _ANKI_DETAILS,
    },
)

ANKI_CSS = """.card {
  font-family: system-ui, -apple-system, "Segoe UI", "PingFang SC", "Noto Sans CJK SC", sans-serif;
  font-size: 20px;
  text-align: center;
  color: #1f2328;
  background: #fff;
  line-height: 1.5;
}
.nightMode .card, .card.nightMode { color: #e6edf3; background: #0d1117; }
.hanzi { font-size: 48px; margin: 0.3em 0; }
.pinyin { font-size: 22px; color: #0969da; }
.meaning { font-size: 22px; margin: 0.4em 0; }
.literal, .notes { font-size: 16px; color: #656d76; margin: 0.4em auto; max-width: 36em; }
.example { margin-top: 1em; font-size: 18px; }
.example-pinyin { color: #0969da; font-size: 15px; }
.example-en { color: #656d76; font-size: 15px; }
"""


def _stable_id(kind: str, slug: str) -> int:
    """A 31-bit id in genanki's recommended range [2**30, 2**31), the same for the same deck slug."""
    digest = hashlib.sha1(f"huanying:{kind}:{slug}".encode(), usedforsecurity=False).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def anki_model_id(slug: str) -> int:
    return _stable_id("model", slug)


def anki_deck_id(slug: str) -> int:
    return _stable_id("deck", slug)


def anki_guid(slug: str, key: str) -> str:
    return genanki.guid_for(slug, key)


def _html(value: str) -> str:
    return html.escape(value, quote=True).replace("\r\n", "\n").replace("\n", "<br>")


def anki_tag(tag: str) -> str:
    """Anki tags cannot contain spaces: runs of whitespace become "_"."""
    return re.sub(r"\s+", "_", tag.strip())


def anki_model(deck: DeckData) -> genanki.Model:
    return genanki.Model(
        anki_model_id(deck.slug),
        f"Huanying: {deck.title}",
        fields=[{"name": name} for name in ANKI_FIELDS],
        templates=[dict(template) for template in ANKI_TEMPLATES],
        css=ANKI_CSS,
    )


def anki_package(deck: DeckData, entries: Iterable[EntryData]) -> genanki.Package:
    model = anki_model(deck)
    anki_deck = genanki.Deck(anki_deck_id(deck.slug), deck.title, description=_html(deck.description))
    for entry in entries:
        fields = [
            entry.headword,
            entry.pinyin,
            entry.meaning,
            entry.literal,
            entry.notes,
            entry.example_zh,
            entry.example_pinyin,
            entry.example_en,
            " ".join(entry.tags),
            entry.key,
        ]
        anki_deck.add_note(
            genanki.Note(
                model=model,
                fields=[_html(value) for value in fields],
                tags=[t for t in (anki_tag(tag) for tag in entry.tags) if t],
                guid=anki_guid(deck.slug, entry.key),
            )
        )
    return genanki.Package(anki_deck)


def to_apkg(
    deck: DeckData,
    entries: Iterable[EntryData],
    out: str | os.PathLike[str] | BinaryIO,
    *,
    timestamp: float | None = None,
) -> None:
    """Write an Anki package to a path or a binary file object (BytesIO).

    The same as genanki's Package.write_to_file, except that the temporary SQLite file is removed
    afterwards (genanki 0.13.1 leaves one in the temp directory per call). `timestamp` (seconds) fixes
    the notes' modification time and ids, for reproducible files.
    """
    package = anki_package(deck, entries)
    when = time.time() if timestamp is None else timestamp
    target: Any = os.fspath(out) if isinstance(out, str | Path | os.PathLike) else out
    with tempfile.TemporaryDirectory(prefix="huanying-apkg-") as folder:
        database = Path(folder) / "collection.anki2"
        connection = sqlite3.connect(database)
        try:
            package.write_to_db(connection.cursor(), when, itertools.count(int(when * 1000)))
            connection.commit()
        finally:
            connection.close()
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.write(database, "collection.anki2")
            archive.writestr("media", "{}")
