"""One entry, one way: the same fields typed into the deck editor, uploaded in a CSV file and written in a
deck file give the same entry, or the same problem on the same field, from each (learnapp.content.cleaning
is the one set of rules). The editor goes through its real service and database; the upload through the
importer's parser; the deck file through the deck-file parser."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import pytest

from learnapp.content.deck_entries import TOML_NAMES
from learnapp.content.deckfile import read_deck_text
from learnapp.content.export import toml_string
from learnapp.content.tabular import parse_upload
from learnapp.errors import UserError
from learnapp.teach import editor
from learnapp.teach.editor import DeckFields, EntryFields
from tests.factories import T0
from tests.http.test_teach_support import make_account

TEXT_FIELDS = (
    "headword",
    "meaning",
    "pinyin",
    "literal",
    "notes",
    "example_zh",
    "example_pinyin",
    "example_en",
)
_FILE_FIELD = re.compile(r"^entries\[1\]\.(.+)$")
_FROM_TOML = {name: field for field, name in TOML_NAMES.items()}


@dataclass(frozen=True)
class Case:
    fields: dict[str, str]
    tags: tuple[str, ...] = ()
    entry: dict[str, object] | None = None  # the cleaned fields every way gives
    refused: tuple[str, str] | None = None  # (field, what every message says, any case)


def same(**entry: object) -> dict[str, object]:
    return entry


CASES = {
    "plain": Case(
        {"headword": "你好", "meaning": "hello", "pinyin": "nǐ hǎo"},
        entry=same(headword="你好", pinyin="nǐ hǎo", meaning="hello"),
    ),
    "tone numbers": Case(
        {"headword": "你好", "meaning": "hi", "pinyin": "ni3 hao3"}, entry=same(pinyin="nǐ hǎo")
    ),
    "tone numbers run together": Case(
        {"headword": "你好", "meaning": "hi", "pinyin": "ni3hao3"}, entry=same(pinyin="nǐ hǎo")
    ),
    "capitals": Case({"headword": "你好", "meaning": "hi", "pinyin": "NǏ hǎo"}, entry=same(pinyin="nǐ hǎo")),
    "erhua as CC-CEDICT writes it": Case(
        {"headword": "一点儿", "meaning": "a little", "pinyin": "yi1 dian3 r5"}, entry=same(pinyin="yī diǎnr")
    ),
    "an apostrophe between syllables": Case(
        {"headword": "西安", "meaning": "Xi'an", "pinyin": "xi1'an1"}, entry=same(pinyin="xī ān")
    ),
    "latin letters of the headword": Case(
        {"headword": "嗑CP", "meaning": "to ship a couple", "pinyin": "ke1 CP"}, entry=same(pinyin="kē CP")
    ),
    "no hanzi, no pinyin": Case(
        {"headword": "yyds", "meaning": "the GOAT"}, entry=same(headword="yyds", pinyin="")
    ),
    "spaces in a headword": Case(
        {"headword": "  你  好 ", "meaning": "hello", "pinyin": "nǐ   hǎo"},
        entry=same(headword="你 好", pinyin="nǐ hǎo"),
    ),
    "an example in tone numbers": Case(
        {
            "headword": "你好",
            "meaning": "hi",
            "pinyin": "nǐ hǎo",
            "example_zh": "你好！",
            "example_pinyin": "ni3 hao3!",
        },
        entry=same(example_zh="你好！", example_pinyin="nǐ hǎo!"),
    ),
    "tags": Case(
        {"headword": "你好", "meaning": "hi", "pinyin": "nǐ hǎo"},
        tags=("Greeting", "greeting", "网络"),
        entry=same(tags=("greeting", "网络")),
    ),
    "html is text": Case(
        {"headword": "<b>x</b>", "meaning": "<script>alert(1)</script>"}, entry=same(headword="<b>x</b>")
    ),
    "emoji joined by a zero-width joiner": Case(
        {"headword": "👩\u200d💻", "meaning": "coder"}, entry=same(headword="👩\u200d💻")
    ),
    "invisible direction marks are dropped": Case(
        {"headword": "\u200e🙂", "meaning": "a smile\u200f"}, entry=same(headword="🙂", meaning="a smile")
    ),
    "tabs and line breaks in a note": Case(
        {"headword": "🙂", "meaning": "smile", "notes": "one\r\ntwo\tthree"},
        entry=same(notes="one\ntwo\tthree"),
    ),
    "unicode composed": Case({"headword": "cafe\u0301", "meaning": "coffee"}, entry=same(headword="café")),
    "no meaning": Case({"headword": "你好", "meaning": "", "pinyin": "nǐ hǎo"}, refused=("meaning", "")),
    "a control character": Case(
        {"headword": "🙂", "meaning": "smile", "notes": "bell\x07"},
        refused=("notes", "control character (U+0007)"),
    ),
    "a NUL": Case({"headword": "坏\x00", "meaning": "bad"}, refused=("headword", "NUL byte (U+0000)")),
    "a right-to-left override": Case(
        {"headword": "abc", "meaning": "evil \u202etxt.exe"}, refused=("meaning", "U+202E")
    ),
    "a line break in a headword": Case(
        {"headword": "中\n国", "meaning": "China"}, refused=("headword", "U+000A")
    ),
    "a headword too long": Case(
        {"headword": "长" * 121, "meaning": "long"}, refused=("headword", "longer than 120")
    ),
    "a meaning too long": Case(
        {"headword": "🙂", "meaning": "m" * 2001}, refused=("meaning", "longer than 2000")
    ),
    "not pinyin": Case(
        {"headword": "你好", "meaning": "hi", "pinyin": "qqq"}, refused=("pinyin", "not valid pinyin")
    ),
    "a syllable too many": Case(
        {"headword": "谢谢", "meaning": "thanks", "pinyin": "xie xie xie"},
        refused=("pinyin", "3 syllables for 2 characters"),
    ),
    "bad example pinyin": Case(
        {
            "headword": "你好",
            "meaning": "hi",
            "pinyin": "nǐ hǎo",
            "example_zh": "你好",
            "example_pinyin": "nǐ hǎoo",
        },
        refused=("example_pinyin", "not valid pinyin: hǎoo"),
    ),
    "a tag too long": Case(
        {"headword": "🙂", "meaning": "smile"}, tags=("x" * 41,), refused=("tags", "longer than 40")
    ),
    "too many tags": Case(
        {"headword": "🙂", "meaning": "smile"},
        tags=tuple(f"t{n}" for n in range(21)),
        refused=("tags", "at most 20"),
    ),
}


def through_the_editor(case: Case) -> tuple[dict[str, object] | None, list[tuple[str, str]]]:
    teacher = make_account("olive", "teacher")
    deck = editor.create_deck(teacher, DeckFields(title="Table"), T0)
    fields = EntryFields(**{"headword": "", "meaning": "", **case.fields}, tags=", ".join(case.tags))
    try:
        entry = editor.add_entry(teacher, deck.slug, fields, T0)
    except UserError as error:
        return None, [(error.field or "", error.message)]
    values = {name: getattr(entry, name) for name in TEXT_FIELDS}
    return values | {"tags": tuple(entry.tags)}, []


def through_an_upload(case: Case) -> tuple[dict[str, object] | None, list[tuple[str, str]]]:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*TEXT_FIELDS, "tags"])
    writer.writerow([case.fields.get(name, "") for name in TEXT_FIELDS] + [" ".join(case.tags)])
    result = parse_upload(out.getvalue().encode("utf-8"), "words.csv", fill_pinyin=False)
    if result.errors:
        return None, [(error.column, error.message) for error in result.errors]
    [row] = result.rows
    return {name: getattr(row, name) for name in TEXT_FIELDS} | {"tags": row.tags}, []


def through_a_deck_file(case: Case) -> tuple[dict[str, object] | None, list[tuple[str, str]]]:
    lines = ['[deck]\nslug = "table"\ntitle = "Table"\n\n[[entries]]\nid = "e1"']
    for name in ("headword", "meaning", "pinyin", "literal", "notes"):
        if name in case.fields:
            lines.append(f"{name} = {toml_string(case.fields[name])}")
    if case.tags:
        lines.append(f"tags = [{', '.join(toml_string(tag) for tag in case.tags)}]")
    if any(name.startswith("example_") for name in case.fields):
        lines.append("[entries.example]")
        for name in ("zh", "pinyin", "en"):
            lines.append(f"{name} = {toml_string(case.fields.get(f'example_{name}', ''))}")
    reading = read_deck_text("\n".join(lines) + "\n", "table.toml")
    if reading.problems:
        found = []
        for problem in reading.problems:
            match = _FILE_FIELD.match(problem.field)
            name = match.group(1) if match else problem.field
            found.append((_FROM_TOML.get(name, name), problem.message))
        return None, found
    assert reading.deck is not None
    [entry] = reading.deck.entries
    return {name: getattr(entry, name) for name in TEXT_FIELDS} | {"tags": entry.tags}, []


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_the_editor_an_upload_and_a_deck_file_agree(app, case):
    results = {
        "editor": through_the_editor(case),
        "upload": through_an_upload(case),
        "deck file": through_a_deck_file(case),
    }
    if case.entry is not None:
        entries = {way: entry for way, (entry, problems) in results.items()}
        assert {way: problems for way, (_, problems) in results.items()} == {way: [] for way in results}
        editor_entry = entries["editor"]
        assert entries["upload"] == entries["deck file"] == editor_entry
        assert editor_entry is not None
        for name, value in case.entry.items():
            assert editor_entry[name] == value, name
        return
    assert case.refused is not None
    field, words = case.refused
    for way, (entry, problems) in results.items():
        assert entry is None, way
        assert {name for name, _ in problems} == {field}, (way, problems)
        assert all(words.lower() in message.lower() for _, message in problems), (way, problems)
