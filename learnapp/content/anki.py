"""Export a deck as an Anki package (.apkg). Pure: no Flask, no database.

A genanki package: one note type per deck with the fields in `ANKI_FIELDS`, two card templates
(Recognize: hanzi on the front; Recall: meaning on the front), model and deck ids derived from the deck
slug, note GUIDs from (slug, key), so importing a newer export into Anki updates the notes instead of
duplicating them. Every field is HTML-escaped (Anki fields are HTML); line breaks become <br>.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import os
import re
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

import genanki

from learnapp.content.entry import DeckData, EntryData

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
    return str(genanki.guid_for(slug, key))


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
