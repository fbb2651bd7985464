"""Exporting decks (learnapp/content/export.py, anki.py): CSV and TOML that import back, and Anki packages."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import tomllib
import zipfile
from pathlib import Path

import genanki
import pytest

from learnapp.content.anki import ANKI_FIELDS, anki_deck_id, anki_model_id, to_apkg
from learnapp.content.deckfile import parse_deck_file, parse_deck_text
from learnapp.content.entry import DeckData, EntryData
from learnapp.content.export import csv_columns, from_deckfile, to_csv, to_toml, toml_string
from learnapp.content.tabular import parse_upload

DECKS = Path(__file__).resolve().parents[2] / "decks"

DECK = DeckData(
    slug="teacher-words", title="Teacher's words", description="Words & <things>", category="slang"
)
NASTY = EntryData(
    key="nasty",
    headword="<script>alert(1)</script>",
    pinyin="",
    meaning='=HYPERLINK("http://evil", "click") & <b>"quotes"</b>',
    literal="a\\b",
    notes="line one\nline two, with a comma; and a tab\there",
    example_zh="他说：“你好”。",
    example_pinyin="tā shuō: “nǐ hǎo”.",
    example_en="He said 'hello'.",
    tags=("html", "test tag"),
)
HELLO = EntryData(
    key="nihao",
    headword="你好",
    pinyin="nǐ hǎo",
    meaning="hello",
    literal="you good",
    notes="The everyday greeting.",
    example_zh="你好！",
    example_pinyin="nǐ hǎo!",
    example_en="Hello!",
    tags=("greeting",),
)


def row_fields(row) -> tuple:
    return (
        row.key,
        row.headword,
        row.pinyin,
        row.spoken,
        row.literal,
        row.meaning,
        row.notes,
        row.example_zh,
        row.example_pinyin,
        row.example_en,
        row.tags,
        row.send,
    )


def open_apkg(data: bytes) -> sqlite3.Connection:
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert "collection.anki2" in archive.namelist()
    connection = sqlite3.connect(":memory:")
    connection.deserialize(archive.read("collection.anki2"))
    return connection


def apkg_bytes(deck: DeckData, entries: list[EntryData]) -> bytes:
    buffer = io.BytesIO()
    to_apkg(deck, entries, buffer, timestamp=1_700_000_000)
    return buffer.getvalue()


# ---------------------------------------------------------------- TOML


@pytest.mark.parametrize("name", ["internet-slang.toml", "emoji-decoded.toml", "hsk-1.toml"])
def test_toml_round_trip_of_a_shipped_deck(name):
    original = parse_deck_file(DECKS / name, complete="hsk" not in name)
    deck, entries = from_deckfile(original)
    text = to_toml(deck, entries)
    again = parse_deck_text(text, "exported.toml", complete="hsk" not in name)
    assert again == original
    assert to_toml(*from_deckfile(again)) == text


def test_toml_strings_are_escaped():
    for value in [
        'say "hi"',
        "back\\slash",
        "two\nlines",
        "tab\there",
        "bell\x07 nul\x00 del\x7f",
        "\u2028ok 🙂",
    ]:
        assert tomllib.loads(f"x = {toml_string(value)}")["x"] == value
    assert toml_string('a"b\\c\nd') == '"a\\"b\\\\c\\nd"'


def test_toml_export_of_tricky_entries_parses_back():
    text = to_toml(DECK, [NASTY, HELLO])
    deck = parse_deck_text(text)
    assert (deck.slug, deck.title, deck.description) == (
        "teacher-words",
        "Teacher's words",
        "Words & <things>",
    )
    nasty = deck.entries[0]
    assert nasty.headword == NASTY.headword
    assert nasty.meaning == NASTY.meaning
    assert nasty.literal == "a\\b"
    assert nasty.notes == NASTY.notes
    assert nasty.example_pinyin == NASTY.example_pinyin
    assert deck.entries[1].pinyin == "nǐ hǎo"


# ---------------------------------------------------------------- CSV


@pytest.mark.parametrize("name", ["internet-slang.toml", "emoji-decoded.toml", "mandarin-survival.toml"])
def test_csv_round_trip_of_a_shipped_deck(name):
    deck, entries = from_deckfile(parse_deck_file(DECKS / name))
    text = to_csv(deck, entries)
    result = parse_upload(text.encode("utf-8"), "export.csv", fill_pinyin=False)
    assert result.ok, [str(e) for e in result.errors[:5]]
    assert len(result.rows) == len(entries)
    for row, entry in zip(result.rows, entries, strict=True):
        assert row_fields(row) == (
            entry.key,
            entry.headword,
            entry.pinyin,
            entry.spoken,
            entry.literal,
            entry.meaning,
            entry.notes,
            entry.example_zh,
            entry.example_pinyin,
            entry.example_en,
            entry.tags,
            entry.send,
        )
        assert not row.key_derived


def test_csv_header_is_what_the_importer_reads():
    text = to_csv(DECK, [HELLO], bom=False)
    header = text.split("\r\n")[0]
    assert header == "key,headword,pinyin,literal,meaning,notes,example_zh,example_pinyin,example_en,tags"
    with_extras = [
        EntryData(
            key="x",
            headword="🙂",
            meaning="m",
            spoken="x",
            send={"situation": "s", "verdict": "no", "why": "w"},
        )
    ]
    assert csv_columns(with_extras) == [
        "key", "headword", "pinyin", "spoken", "literal", "meaning", "notes",
        "example_zh", "example_pinyin", "example_en", "tags", "send_situation", "send_verdict", "send_why",
    ]  # fmt: skip


def test_csv_starts_with_a_bom_for_excel_unless_asked_not_to():
    assert to_csv(DECK, [HELLO]).startswith("\ufeffkey,")
    assert to_csv(DECK, [HELLO], bom=False).startswith("key,")


def test_csv_quotes_commas_quotes_and_line_breaks():
    text = to_csv(DECK, [NASTY], bom=False)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    values = dict(zip(rows[0], rows[1], strict=True))
    assert values["notes"] == NASTY.notes
    assert values["headword"] == NASTY.headword
    assert values["tags"] == "html test-tag"


def test_csv_guards_formulas_and_the_importer_removes_the_guard():
    entries = [
        EntryData(key="a", headword="+1", meaning="=1+1"),
        EntryData(key="b", headword="-_-", meaning="@someone"),
        EntryData(key="c", headword="x", meaning="'=already quoted"),
        EntryData(key="d", headword="y", meaning="'plain apostrophe"),
    ]
    text = to_csv(DECK, entries, bom=False)
    rows = list(csv.reader(io.StringIO(text, newline="")))[1:]
    cells = [(row[1], row[4]) for row in rows]
    assert cells == [
        ("'+1", "'=1+1"),
        ("'-_-", "'@someone"),
        ("x", "''=already quoted"),
        ("y", "'plain apostrophe"),
    ]
    result = parse_upload(text.encode(), "export.csv", fill_pinyin=False)
    assert result.ok
    assert [(r.headword, r.meaning) for r in result.rows] == [(e.headword, e.meaning) for e in entries]


def test_csv_round_trip_keeps_html_verbatim():
    text = to_csv(DECK, [NASTY, HELLO])
    result = parse_upload(text.encode(), "export.csv", fill_pinyin=False)
    assert result.ok, [str(e) for e in result.errors]
    nasty = result.rows[0]
    assert (nasty.headword, nasty.meaning, nasty.notes) == (NASTY.headword, NASTY.meaning, NASTY.notes)
    assert nasty.tags == ("html", "test-tag")


# ---------------------------------------------------------------- Anki


@pytest.mark.filterwarnings("error")  # genanki warns about HTML tags it finds in fields
def test_apkg_holds_every_note_with_escaped_fields():
    data = apkg_bytes(DECK, [NASTY, HELLO])
    db = open_apkg(data)
    notes = db.execute("SELECT guid, mid, flds, tags FROM notes ORDER BY id").fetchall()
    assert len(notes) == 2
    fields = notes[0][2].split("\x1f")
    assert len(fields) == len(ANKI_FIELDS)
    values = dict(zip(ANKI_FIELDS, fields, strict=True))
    assert values["Hanzi"] == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert "<script>" not in notes[0][2]
    assert values["Meaning"] == (
        "=HYPERLINK(&quot;http://evil&quot;, &quot;click&quot;) &amp; &lt;b&gt;&quot;quotes&quot;&lt;/b&gt;"
    )
    assert values["Notes"] == "line one<br>line two, with a comma; and a tab\there"
    assert values["ExampleEnglish"] == "He said &#x27;hello&#x27;."
    assert values["Tags"] == "html test tag"
    assert values["Key"] == "nasty"
    assert notes[0][3].split() == ["html", "test_tag"]  # Anki tags have no spaces
    assert dict(zip(ANKI_FIELDS, notes[1][2].split("\x1f"), strict=True))["Pinyin"] == "nǐ hǎo"


def test_apkg_model_fields_templates_and_stable_ids():
    db = open_apkg(apkg_bytes(DECK, [HELLO]))
    models = json.loads(db.execute("SELECT models FROM col").fetchone()[0])
    decks = json.loads(db.execute("SELECT decks FROM col").fetchone()[0])
    model = models[str(anki_model_id(DECK.slug))]
    assert [f["name"] for f in model["flds"]] == list(ANKI_FIELDS)
    assert [t["name"] for t in model["tmpls"]] == ["Recognize", "Recall"]
    assert "{{Hanzi}}" in model["tmpls"][0]["qfmt"] and "{{Meaning}}" in model["tmpls"][1]["qfmt"]
    assert ".card" in model["css"]
    assert decks[str(anki_deck_id(DECK.slug))]["name"] == "Teacher's words"
    guid, mid = db.execute("SELECT guid, mid FROM notes").fetchone()
    assert guid == genanki.guid_for("teacher-words", "nihao")
    assert mid == anki_model_id("teacher-words")
    # Two cards a note: Recognize and Recall.
    assert db.execute("SELECT count(*) FROM cards").fetchone()[0] == 2


def test_anki_ids_depend_only_on_the_slug():
    assert anki_model_id("internet-slang") == anki_model_id("internet-slang")
    assert anki_model_id("internet-slang") != anki_model_id("rednote-starter")
    assert anki_deck_id("internet-slang") != anki_model_id("internet-slang")
    for value in (anki_model_id("a"), anki_deck_id("a")):
        assert 1 << 30 <= value < 1 << 31


def test_apkg_of_a_shipped_deck_written_to_a_path(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    deck, entries = from_deckfile(parse_deck_file(DECKS / "internet-slang.toml"))
    target = tmp_path / "internet-slang.apkg"
    to_apkg(deck, entries, target)
    db = open_apkg(target.read_bytes())
    assert db.execute("SELECT count(*) FROM notes").fetchone()[0] == len(entries)
    guids = {row[0] for row in db.execute("SELECT guid FROM notes")}
    assert guids == {genanki.guid_for(deck.slug, e.key) for e in entries}
    assert list((tmp_path / "tmp").iterdir()) == []  # no SQLite file left behind


def test_apkg_is_reproducible_with_a_timestamp():
    def notes() -> list:
        return (
            open_apkg(apkg_bytes(DECK, [HELLO])).execute("SELECT id, guid, mod, flds FROM notes").fetchall()
        )

    assert notes() == notes()
