"""An upload's preview as it is stored between the upload and the confirm (learnapp/content/rows.py), and
the columns of a CSV file (learnapp/content/columns.py)."""

from __future__ import annotations

import json
import re

import pytest

from learnapp.content.columns import COLUMN_ALIASES, COLUMNS, guard_formula, header_name, unguard_formula
from learnapp.content.entry import EntryData
from learnapp.content.rows import ImportRow, ParsedImport, RowError

ROW = ImportRow(
    line=4,
    key="nihao",
    headword="你好",
    pinyin="nǐ hǎo",
    meaning="hello",
    tags=("greeting",),
    send={"situation": "s", "verdict": "no", "why": "w"},
    pinyin_filled=True,
)


def test_a_row_is_an_entry_with_where_it_came_from():
    assert isinstance(ROW, EntryData)
    entry = ROW.entry(position=7)
    assert type(entry) is EntryData
    assert (entry.key, entry.position, entry.headword, entry.tags, entry.send) == (
        "nihao",
        7,
        "你好",
        ("greeting",),
        {"situation": "s", "verdict": "no", "why": "w"},
    )
    assert ImportRow.from_dict(json.loads(json.dumps(ROW.to_dict()))) == ROW


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"meaning": 5}, "ImportRow.meaning must be a string"),
        ({"line": True}, "ImportRow.line must be an integer"),
        ({"line": None}, "ImportRow.line must be an integer"),
        ({"position": "1"}, "ImportRow.position must be an integer"),
        ({"tags": "a b"}, "ImportRow.tags must be a list of strings"),
        ({"tags": [1]}, "ImportRow.tags must be a list of strings"),
        ({"send": {"why": 1}}, "ImportRow.send must be a dict of strings or None"),
        ({"send": "no"}, "ImportRow.send must be a dict of strings or None"),
        ({"evil": 1}, "unknown ImportRow fields: evil"),
    ],
)
def test_a_stored_row_that_is_not_what_was_written_is_refused(change, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        ImportRow.from_dict({**ROW.to_dict(), **change})


def test_a_stored_row_may_lack_optional_fields():
    row = ImportRow.from_dict({"line": 2, "headword": "谢谢", "meaning": "thanks"})
    assert (row.key, row.pinyin, row.tags, row.send, row.position, row.key_derived) == (
        "",
        "",
        (),
        None,
        0,
        False,
    )


def test_errors_and_previews_survive_json():
    parsed = ParsedImport([ROW], [RowError(4, "pinyin", "bad"), RowError(None, "syntax", "x")], ["w"], "csv")
    again = ParsedImport.from_dict(json.loads(json.dumps(parsed.to_dict())))
    assert again == parsed and not again.ok
    assert again.errors_for(4) == [RowError(4, "pinyin", "bad")]
    with pytest.raises(ValueError, match=r"RowError\.line"):
        RowError.from_dict({"line": "4", "column": "c", "message": "m"})


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Headword", "headword"),
        (" Example (pinyin) ", "example_pinyin"),
        ("Example-English", "example_en"),
        ("例句拼音", "example_pinyin"),
        ("SEND verdict", "send_verdict"),
        ("Hanzi", "headword"),
        ("tag", "tags"),
    ],
)
def test_header_names_find_their_column(header, column):
    assert COLUMN_ALIASES[header_name(header)] == column


def test_every_column_is_its_own_alias():
    assert all(COLUMN_ALIASES[name] == name for name in COLUMNS)


@pytest.mark.parametrize("value", ["=1+1", "+86", "-_-", "@me", "'=x", "''@y", "'plain", "plain", "", "'"])
def test_a_formula_guard_comes_off_exactly(value):
    guarded = guard_formula(value)
    assert unguard_formula(guarded) == value
    assert guarded[:1] not in ("=", "+", "-", "@")
