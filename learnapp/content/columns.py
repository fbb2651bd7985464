"""The columns of a CSV or TSV file of entries: what the exporter writes and the importer reads. Pure.

Column names are matched case-insensitively; spaces, hyphens and brackets count as underscores ("Example
(pinyin)" is example_pinyin), and common aliases are accepted (`COLUMN_ALIASES`). A cell a spreadsheet
would run as a formula gets a leading apostrophe on export (`guard_formula`); the importer removes it.
"""

from __future__ import annotations

import re
import unicodedata

# Column names, in the order the CSV exporter writes them (learnapp/content/export.py). The field names
# are deckfile's; example.zh is example_zh, [entries.send] is send_situation, send_verdict, send_why.
COLUMNS = (
    "key",
    "headword",
    "pinyin",
    "spoken",
    "literal",
    "meaning",
    "notes",
    "example_zh",
    "example_pinyin",
    "example_en",
    "tags",
    "send_situation",
    "send_verdict",
    "send_why",
)
REQUIRED_COLUMNS = ("headword", "meaning")
SEND_COLUMNS = ("send_situation", "send_verdict", "send_why")

# Header name (normalised: lowercase, runs of anything but letters and digits as one "_") -> column.
COLUMN_ALIASES: dict[str, str] = {
    **{name: name for name in COLUMNS},
    "id": "key",
    "entry_id": "key",
    "hanzi": "headword",
    "chinese": "headword",
    "word": "headword",
    "simplified": "headword",
    "characters": "headword",
    "term": "headword",
    "汉字": "headword",
    "词语": "headword",
    "词": "headword",
    "拼音": "pinyin",
    "reading": "pinyin",
    "pronunciation": "pinyin",
    "spoken_pinyin": "spoken",
    "literally": "literal",
    "literal_meaning": "literal",
    "字面意思": "literal",
    "english": "meaning",
    "definition": "meaning",
    "translation": "meaning",
    "gloss": "meaning",
    "意思": "meaning",
    "释义": "meaning",
    "英文": "meaning",
    "note": "notes",
    "usage": "notes",
    "comment": "notes",
    "comments": "notes",
    "备注": "notes",
    "用法": "notes",
    "example": "example_zh",
    "example_chinese": "example_zh",
    "example_hanzi": "example_zh",
    "sentence": "example_zh",
    "例句": "example_zh",
    "sentence_pinyin": "example_pinyin",
    "例句拼音": "example_pinyin",
    "example_english": "example_en",
    "example_translation": "example_en",
    "example_meaning": "example_en",
    "sentence_en": "example_en",
    "sentence_english": "example_en",
    "例句翻译": "example_en",
    "tag": "tags",
    "labels": "tags",
    "标签": "tags",
}

FORMULA_CHARACTERS = ("=", "+", "-", "@")
_GUARDED = re.compile(r"^'+[=+\-@]")
_NEEDS_GUARD = re.compile(r"^'*[=+\-@]")
_HEADER_JUNK = re.compile(r"[^\w]+")


def header_name(name: str) -> str:
    """A header cell as we look it up in `COLUMN_ALIASES`: "Example (pinyin)" -> "example_pinyin"."""
    return _HEADER_JUNK.sub("_", unicodedata.normalize("NFC", name).strip().lower()).strip("_")


def guard_formula(value: str) -> str:
    """Prefix an apostrophe to a cell a spreadsheet would run as a formula (=, +, -, @), and to a cell
    that already starts with apostrophes before one of them, so `unguard_formula` gives back the value."""
    return "'" + value if _NEEDS_GUARD.match(value) else value


def unguard_formula(value: str) -> str:
    """Drop the one apostrophe `guard_formula` added."""
    return value[1:] if _GUARDED.match(value) else value
