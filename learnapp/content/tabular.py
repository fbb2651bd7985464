"""Parse a teacher's uploaded file (CSV, TSV or a TOML deck file) into rows for an import preview.

Pure: no Flask, no database. The caller shows the preview (`ParsedImport`), stores it between the preview
and the confirm (`ParsedImport.to_dict` / `from_dict`, JSON-safe), and on confirm matches each row to an
existing entry by `key`, then by `headword`, to decide create or update.

Two kinds of failure:

- Nothing can be previewed (empty, too large, too many rows, not text, an encoding we do not read, a header
  and no rows): `parse_upload` raises `ImportFileError` (a ValueError) whose message can be shown as is.
- Anything tied to a line (a missing required column, an empty required cell, invalid pinyin, a duplicate,
  a value too long, a control character...): returned in `ParsedImport.errors`, each a `RowError` with the
  file's physical line (the header is line 1 when the file starts with it) and the column. `rows` still
  holds every non-blank row, so the preview can show each one next to its errors; import only when
  `errors` is empty.

CSV and TSV: a header row is required; column names are matched case-insensitively, spaces, hyphens and
brackets count as underscores ("Example (pinyin)" is example_pinyin), and common aliases are accepted
(`COLUMN_ALIASES`). Columns we do not know are ignored with a warning. Cells are stripped, NFC-normalised,
and one leading apostrophe is removed when it guards a formula character (the exporter writes '=x for =x;
see `guard_formula`). HTML is kept as it is: templates escape it.

Keys: a `key` column is optional. When a row has no key, `derive_key(headword)` makes one from the
headword alone, so the same headword always gets the same key: a headword of ASCII letters, digits, spaces,
'-' and '_' is slugged (yyds -> "yyds", "Hello World" -> "hello-world"); anything else (hanzi, emoji,
punctuation) is "h-" and the first 12 hex digits of the SHA-1 of its UTF-8 (你好 -> "h-440ee0853ad1").

Pinyin: tone numbers are converted to tone marks (ni3 hao3 -> nǐ hǎo, lv4 -> lǜ, dian3r -> diǎnr, ma5 ->
ma), a capitalised syllable is lowercased (Nǐ -> nǐ); an empty pinyin cell for a headword with hanzi is
filled from CC-CEDICT, then pypinyin (`learnapp.chinese.pinyin_for`, the citation half of reading_for), and
the row is marked `pinyin_filled` so the preview can say so. Written pinyin is validated with deckfile's
`pinyin_problems` and `example_pinyin_problems`.

TOML: an uploaded deck file is parsed by deckfile (every problem it finds becomes a RowError with its
line); its entries become rows and its [deck] table is returned as `ParsedImport.deck`. A file with
[[entries]] and no [deck] table is accepted too (deck is then None). The same limits, control-character and
duplicate-headword checks apply as for CSV.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import tomllib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from learnapp.chinese.pinyin import pinyin_for
from learnapp.chinese.syllables import from_numbered, has_hanzi, parse_syllable
from learnapp.content.deckfile import (
    VERDICTS,
    DeckData,
    DeckFileError,
    example_pinyin_problems,
    parse_deck_text,
    pinyin_problems,
)

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_RECORDS = 10 * MAX_ROWS  # lines read, blank ones (",,,,," rows from a spreadsheet) included
MAX_TAGS = 20
MAX_TAG_LENGTH = 30
# Longest value, in characters, per column. The headword limit is the "more than N characters" rule.
MAX_LENGTH: dict[str, int] = {
    "key": 80,
    "headword": 40,
    "pinyin": 200,
    "spoken": 200,
    "literal": 500,
    "meaning": 500,
    "notes": 2000,
    "example_zh": 500,
    "example_pinyin": 500,
    "example_en": 500,
    "send_situation": 500,
    "send_verdict": 10,
    "send_why": 2000,
}

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
# Columns that hold one line: tabs and line breaks in them are errors, like any other control character.
SINGLE_LINE = frozenset({"key", "headword", "pinyin", "spoken", "tags", "send_verdict"})

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
_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")  # deckfile's entry id rule
_ASCII_HEADWORD = re.compile(r"^[A-Za-z0-9 _-]+$")
_TAG_SEPARATORS = re.compile(r"[\s,;，；、]+")
_HEADER_JUNK = re.compile(r"[^\w]+")
_ENTRIES_HEADER = re.compile(r"^\s*\[\[entries\]\]", re.MULTILINE)
_DECK_HEADER = re.compile(r"^\s*\[deck\]\s*(#.*)?$", re.MULTILINE)
# C0 and C1 controls, DEL, and the bidirectional embedding/override/isolate marks (which can make text
# display in a different order from the one stored). Zero-width joiners and variation selectors are
# allowed: emoji need them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"[\t\n\r]")

_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a zip archive (an Excel .xlsx workbook, an Anki .apkg or a .zip)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel or Word file (.xls, .doc)"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x1f\x8b", "a gzip archive"),
)
NOT_UTF8 = "The file is not UTF-8 text: save it as UTF-8 CSV and try again."


class ImportFileError(ValueError):
    """The upload as a whole cannot be read; the message is meant for the teacher."""


@dataclass(frozen=True, slots=True)
class RowError:
    line: int | None  # physical line in the file (header = 1); None when the problem has no line
    column: str
    message: str

    def __str__(self) -> str:
        return (
            f"line {self.line}, {self.column}: {self.message}"
            if self.line
            else f"{self.column}: {self.message}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "message": self.message}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RowError:
        return cls(line=data.get("line"), column=str(data["column"]), message=str(data["message"]))


@dataclass(frozen=True, slots=True)
class ImportRow:
    line: int
    key: str
    headword: str
    pinyin: str
    pinyin_filled: bool
    meaning: str
    literal: str = ""
    notes: str = ""
    example_zh: str = ""
    example_pinyin: str = ""
    example_en: str = ""
    tags: tuple[str, ...] = ()
    # Beyond the brief's list, so nothing in a deck file is lost: the spoken form (tone sandhi) when the
    # file gives one, the "would you send this?" situation, and whether the key was derived.
    spoken: str = ""
    send: dict[str, str] | None = None
    key_derived: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "key": self.key,
            "headword": self.headword,
            "pinyin": self.pinyin,
            "pinyin_filled": self.pinyin_filled,
            "meaning": self.meaning,
            "literal": self.literal,
            "notes": self.notes,
            "example_zh": self.example_zh,
            "example_pinyin": self.example_pinyin,
            "example_en": self.example_en,
            "tags": list(self.tags),
            "spoken": self.spoken,
            "send": dict(self.send) if self.send else None,
            "key_derived": self.key_derived,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportRow:
        """The inverse of to_dict; missing optional fields take their defaults, unknown ones are refused."""
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"unknown ImportRow fields: {', '.join(sorted(unknown))}")

        def text(name: str) -> str:
            value = data.get(name, "")
            if not isinstance(value, str):
                raise ValueError(f"ImportRow.{name} must be a string")
            return value

        send = data.get("send")
        if send is not None and not (
            isinstance(send, dict) and all(isinstance(v, str) for v in send.values())
        ):
            raise ValueError("ImportRow.send must be a dict of strings or None")
        tags = data.get("tags", [])
        if not isinstance(tags, list | tuple) or not all(isinstance(t, str) for t in tags):
            raise ValueError("ImportRow.tags must be a list of strings")
        line = data.get("line")
        if not isinstance(line, int) or isinstance(line, bool):
            raise ValueError("ImportRow.line must be an integer")
        return cls(
            line=line,
            key=text("key"),
            headword=text("headword"),
            pinyin=text("pinyin"),
            pinyin_filled=bool(data.get("pinyin_filled", False)),
            meaning=text("meaning"),
            literal=text("literal"),
            notes=text("notes"),
            example_zh=text("example_zh"),
            example_pinyin=text("example_pinyin"),
            example_en=text("example_en"),
            tags=tuple(tags),
            spoken=text("spoken"),
            send=dict(send) if send else None,
            key_derived=bool(data.get("key_derived", False)),
        )


@dataclass
class ParsedImport:
    rows: list[ImportRow]
    errors: list[RowError]
    warnings: list[str]
    format: str  # "csv", "tsv" or "toml"
    deck: dict[str, Any] | None = None  # a TOML upload's [deck] table (slug, title, ...); None otherwise
    columns: tuple[str, ...] = field(default_factory=tuple)  # the columns the file had, by our names

    @property
    def ok(self) -> bool:
        return not self.errors

    def errors_for(self, line: int) -> list[RowError]:
        return [error for error in self.errors if error.line == line]

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows": [row.to_dict() for row in self.rows],
            "errors": [error.to_dict() for error in self.errors],
            "warnings": list(self.warnings),
            "format": self.format,
            "deck": self.deck,
            "columns": list(self.columns),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ParsedImport:
        return cls(
            rows=[ImportRow.from_dict(row) for row in data["rows"]],
            errors=[RowError.from_dict(error) for error in data["errors"]],
            warnings=[str(w) for w in data.get("warnings", [])],
            format=str(data["format"]),
            deck=data.get("deck"),
            columns=tuple(data.get("columns", ())),
        )


# ---------------------------------------------------------------- small helpers (also used by export.py)


def guard_formula(value: str) -> str:
    """Prefix an apostrophe to a cell a spreadsheet would run as a formula (=, +, -, @), and to a cell
    that already starts with apostrophes before one of them, so `unguard_formula` gives back the value."""
    return "'" + value if _NEEDS_GUARD.match(value) else value


def unguard_formula(value: str) -> str:
    """Drop the one apostrophe `guard_formula` added."""
    return value[1:] if _GUARDED.match(value) else value


def derive_key(headword: str) -> str:
    """A stable key from the headword alone (see the module docstring); "" for an empty headword."""
    headword = unicodedata.normalize("NFC", headword.strip())
    if not headword:
        return ""
    if _ASCII_HEADWORD.match(headword):
        slug = re.sub(r"[^a-z0-9_]+", "-", headword.lower()).strip("-_")
        if slug and len(slug) <= 60 and _KEY.match(slug):
            return slug
    return "h-" + hashlib.sha1(headword.encode("utf-8"), usedforsecurity=False).hexdigest()[:12]


def split_tags(text: str) -> tuple[str, ...]:
    """Tags separated by spaces, commas or semicolons (Chinese ones too), lowercased, duplicates dropped."""
    seen: list[str] = []
    for tag in _TAG_SEPARATORS.split(text.strip()):
        tag = tag.lower()
        if tag and tag not in seen:
            seen.append(tag)
    return tuple(seen)


_NUMBERED_PIECE = re.compile(r"([a-zü:v]+)([0-5])")
_HAS_TONE_NUMBER = re.compile(r"[a-zü:v][0-5]", re.IGNORECASE)
_EDGE_PUNCTUATION = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)


def _numbered_token(token: str) -> str | None:
    """ "ni3" -> "nǐ", "ni3hao3" -> "nǐ hǎo", "lv4"/"lu:4" -> "lǜ", "dian3r" -> "diǎnr", "ma5" -> "ma";
    None when the token is not tone-numbered pinyin."""
    lowered = token.lower()
    erhua = len(lowered) > 2 and lowered.endswith("r") and lowered[-2].isdigit()
    if erhua:
        lowered = lowered[:-1]
    pieces: list[str] = []
    position = 0
    for match in _NUMBERED_PIECE.finditer(lowered):
        if match.start() != position:
            return None
        pieces.append(match.group(1) + match.group(2))
        position = match.end()
    if not pieces or position != len(lowered):
        return None
    if erhua:
        pieces[-1] = pieces[-1][:-1] + "r" + pieces[-1][-1]
    syllables = [from_numbered(piece) for piece in pieces]
    if any(s is None for s in syllables):
        return None
    return " ".join(s.marked for s in syllables)  # type: ignore[union-attr]


def normalize_pinyin(text: str, headword: str = "") -> str:
    """Headword pinyin as we store it: tone numbers turned into tone marks, capitalised syllables
    lowercased (not Latin words of the headword: kē CP), one space between syllables. Tokens that are not
    pinyin are left for the validator to report."""
    latin = {w.lower() for w in re.findall(r"[A-Za-z0-9]+", headword)}
    out: list[str] = []
    for token in text.split():
        if token.lower() in latin:
            out.append(token)
            continue
        if token.lower() in ("r", "r5") and out and parse_syllable(out[-1] + "r") is not None:
            out[-1] += "r"  # CC-CEDICT writes erhua as a syllable of its own: yi1 dian3 r5
            continue
        if _HAS_TONE_NUMBER.search(token):
            converted = _numbered_token(token)
            if converted is not None:
                out.append(converted)
                continue
        if token != token.lower() and parse_syllable(token.lower()) is not None:
            token = token.lower()
        out.append(token)
    return " ".join(out)


def normalize_example_pinyin(text: str) -> str:
    """An example's pinyin with tone-numbered words turned into tone marks, punctuation kept."""
    if not _HAS_TONE_NUMBER.search(text):
        return " ".join(text.split())
    out: list[str] = []
    for token in text.split():
        before, core, after = _EDGE_PUNCTUATION.match(token).groups()  # type: ignore[union-attr]
        converted = _numbered_token(core) if _HAS_TONE_NUMBER.search(core) else None
        out.append(f"{before}{converted}{after}" if converted is not None else token)
    return " ".join(out)


# ---------------------------------------------------------------- decoding


def decode_upload(data: bytes) -> tuple[str, list[str]]:
    """The upload's text and any warnings; raise ImportFileError when it is not text we can read.

    UTF-8 (with or without BOM) and UTF-16 with a BOM are read as they are; text that is not UTF-8 but is
    valid GB18030 (GBK is a subset) is read as GB18030 with a warning.
    """
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is {MAX_BYTES // 1024 // 1024} MB. "
            "Split it into smaller files."
        )
    if not data.strip():
        raise ImportFileError("The file is empty.")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise ImportFileError(
                f"This is not a text file (it looks like {what}). Upload a CSV, TSV or TOML file saved as "
                "UTF-8: in Excel, use File > Save As > CSV UTF-8."
            )
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise ImportFileError(NOT_UTF8)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportFileError(NOT_UTF8) from None
        return _check_text(text.removeprefix("\ufeff")), []
    sample = data[:8192]
    nuls = sample.count(0)
    if nuls:
        if nuls * 3 > len(sample):
            # Every other byte NUL: UTF-16 that lost its byte order mark.
            raise ImportFileError(
                "The file looks like UTF-16 text without a byte order mark: "
                "save it as UTF-8 CSV and try again."
            )
        if nuls > max(4, len(sample) // 100):
            raise ImportFileError("This is not a text file. Upload a CSV, TSV or TOML file saved as UTF-8.")
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in (0x09, 0x0A, 0x0D, 0x0C, 0x1B))
    if controls > max(8, len(sample) // 20):
        raise ImportFileError("This is not a text file. Upload a CSV, TSV or TOML file saved as UTF-8.")
    try:
        return _check_text(data.decode("utf-8-sig")), []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise ImportFileError(NOT_UTF8) from None
    if not _plausible_chinese(text):
        raise ImportFileError(NOT_UTF8)
    return _check_text(text.removeprefix("\ufeff")), [
        "The file is not UTF-8: it was read as GB18030 (the Chinese Windows encoding). Check the preview; "
        "if characters look wrong, save the file as UTF-8 CSV and upload it again."
    ]


def _check_text(text: str) -> str:
    if not text.strip():
        raise ImportFileError("The file is empty.")
    return text


def _plausible_chinese(text: str) -> bool:
    """GB18030 decodes almost any bytes; refuse text whose non-ASCII characters are mostly not what
    Chinese text holds (private-use characters from GBK's user areas, rare planes)."""
    odd = total = 0
    for char in text:
        code = ord(char)
        if code < 0x80:
            continue
        total += 1
        if not (
            0xA0 <= code <= 0x2FF  # Latin with tone marks, ˇ ˉ
            or 0x370 <= code <= 0x4FF  # Greek, Cyrillic (both in GBK)
            or 0x2000 <= code <= 0x2BFF  # punctuation, symbols, arrows, box drawing, shapes
            or 0x2E80 <= code <= 0x9FFF  # CJK radicals, punctuation, kana, bopomofo, ideographs
            or 0xF900 <= code <= 0xFAFF
            or 0xFE00 <= code <= 0xFFEF  # variation selectors, vertical forms, full-width forms
            or 0x1F000 <= code <= 0x1FAFF  # emoji
            or 0x20000 <= code <= 0x2FFFF  # CJK extensions
        ):
            odd += 1
    return total == 0 or odd * 20 <= total


# ---------------------------------------------------------------- entry point


def parse_upload(data: bytes, filename: str = "", *, fill_pinyin: bool = True) -> ParsedImport:
    """Parse an uploaded file for the import preview. Raises ImportFileError when nothing can be shown;
    everything else is in the result (see the module docstring)."""
    text, warnings = decode_upload(data)
    return parse_text(text, filename, fill_pinyin=fill_pinyin, warnings=warnings)


def parse_text(
    text: str, filename: str = "", *, fill_pinyin: bool = True, warnings: list[str] | None = None
) -> ParsedImport:
    """Like parse_upload, from text already decoded."""
    warnings = list(warnings or [])
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".toml" or (suffix not in (".csv", ".tsv", ".tab") and _looks_like_toml(text)):
        return _parse_toml(text, filename or "<upload>", fill_pinyin, warnings)
    return _parse_table(text, suffix, fill_pinyin, warnings)


def _looks_like_toml(text: str) -> bool:
    head = text[:20000]
    return bool(_DECK_HEADER.search(head) or _ENTRIES_HEADER.search(head))


def _too_many_rows(count: int | str) -> ImportFileError:
    return ImportFileError(
        f"The file has {count} rows; the limit is {MAX_ROWS:,}. Split it into smaller files."
    )


# ---------------------------------------------------------------- CSV and TSV


def _header_name(name: str) -> str:
    return _HEADER_JUNK.sub("_", unicodedata.normalize("NFC", name).strip().lower()).strip("_")


def _sniff_delimiter(header: str, suffix: str) -> str:
    """The delimiter that splits the header into the most columns we know; the extension breaks ties
    (.tsv tab, .csv comma), then the most frequent delimiter."""

    def score(delimiter: str) -> tuple[int, int, int]:
        try:
            cells = next(csv.reader([header], delimiter=delimiter), [])
        except csv.Error:
            cells = []
        known = sum(1 for cell in cells if _header_name(cell) in COLUMN_ALIASES)
        preferred = (delimiter == "\t") if suffix in (".tsv", ".tab") else (delimiter == ",")
        return known, int(preferred), header.count(delimiter)

    return max(("\t", ",", ";"), key=score)


def _records(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """(first physical line, cells) for each record of a csv.reader, blank lines skipped."""
    previous = 0
    for number, cells in enumerate(reader, 1):
        start = previous + 1
        previous = reader.line_num
        if any(cell.strip() for cell in cells):
            yield start, cells
        elif number > MAX_RECORDS:
            raise ImportFileError(
                f"The file has more than {MAX_RECORDS:,} lines, most of them empty: delete the empty rows "
                "at the end of the sheet and try again."
            )


def _parse_table(text: str, suffix: str, fill_pinyin: bool, warnings: list[str]) -> ParsedImport:
    first_line = next((line for line in io.StringIO(text, newline="") if line.strip()), "")
    delimiter = _sniff_delimiter(first_line, suffix)
    fmt = "tsv" if delimiter == "\t" else "csv"
    if delimiter == ";":
        warnings.append("The columns are separated by semicolons; the file was read that way.")
    elif fmt == "tsv" and suffix == ".csv":
        warnings.append("The file is named .csv but its columns are separated by tabs; it was read as TSV.")
    elif fmt == "csv" and suffix in (".tsv", ".tab"):
        warnings.append("The file is named .tsv but its columns are separated by commas; it was read as CSV.")

    errors: list[RowError] = []
    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for record in _records(reader):
            records.append(record)
            if len(records) > MAX_ROWS + 1:  # + the header
                raise _too_many_rows(f"more than {MAX_ROWS:,}")
    except csv.Error as error:
        line = reader.line_num or 1
        message = str(error)
        if "field larger than field limit" in message:
            message = f"a cell is longer than {csv.field_size_limit():,} characters"
        elif "expected after" in message or "end of data" in message:
            message = (
                'the quotes do not pair up: a cell that starts with " must end with " '
                '(write "" for a quote inside it)'
            )
        errors.append(RowError(line, "row", f"{message}; the rest of the file was not read"))
    if not records:
        raise ImportFileError("The file is empty.")

    header_line, header = records[0]
    columns: list[str | None] = []
    found: dict[str, str] = {}
    ignored: list[str] = []
    for cell in header:
        name = COLUMN_ALIASES.get(_header_name(cell))
        if name is None:
            if cell.strip():
                ignored.append(cell.strip())
            columns.append(None)
        elif name in found:
            errors.append(
                RowError(
                    header_line,
                    name,
                    f"the columns {found[name]!r} and {cell.strip()!r} both mean {name}; keep one",
                )
            )
            columns.append(None)
        else:
            found[name] = cell.strip()
            columns.append(name)
    missing = [name for name in REQUIRED_COLUMNS if name not in found]
    if missing:
        listed = ", ".join(repr(cell.strip()) for cell in header if cell.strip()) or "none"
        errors.insert(
            0,
            RowError(
                header_line,
                "header",
                f"missing required column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
                f"the first line must name the columns (found: {listed})",
            ),
        )
        return ParsedImport([], errors, warnings, fmt, columns=tuple(found))
    if ignored:
        warnings.append(f"Ignored column{'s' if len(ignored) > 1 else ''}: {', '.join(ignored)}.")
    if len(records) == 1 and not errors:
        raise ImportFileError("The file has a header row but no rows below it.")

    checker = _RowChecker(fill_pinyin)
    for line, cells in records[1:]:
        values: dict[str, str] = {}
        for index, cell in enumerate(cells):
            name = columns[index] if index < len(columns) else None
            if name is not None:
                values[name] = cell
        extra = [cell for cell in cells[len(columns) :] if cell.strip()]
        if extra:
            checker.errors.append(
                RowError(
                    line,
                    "row",
                    f"{len(cells)} cells but the header has {len(columns)} columns; "
                    "put quotes around cells that contain the separator",
                )
            )
        checker.check(line, values, from_table=True)
    errors.extend(checker.errors)
    warnings.extend(checker.summary())
    return ParsedImport(checker.rows, errors, warnings, fmt, columns=tuple(found))


# ---------------------------------------------------------------- checks shared by both formats


class _RowChecker:
    def __init__(self, fill_pinyin: bool) -> None:
        self.fill_pinyin = fill_pinyin
        self.rows: list[ImportRow] = []
        self.errors: list[RowError] = []
        self.headwords: dict[str, int] = {}
        self.keys: dict[str, int] = {}
        self.filled = 0
        self.converted = 0

    def summary(self) -> list[str]:
        notes = []
        if self.filled:
            notes.append(
                f"Pinyin was filled in from the dictionary for {self.filled} "
                f"row{'s' if self.filled > 1 else ''}; check it in the preview."
            )
        if self.converted:
            notes.append(
                f"Tone numbers were turned into tone marks in {self.converted} "
                f"row{'s' if self.converted > 1 else ''}."
            )
        return notes

    def check(self, line: int, raw: dict[str, str], *, from_table: bool, lines: dict[str, int] | None = None):
        """Validate one row's raw cells (column -> text) and add an ImportRow; `lines` gives a TOML entry's
        line per field. `from_table` also normalises and validates pinyin and keys (for TOML, deckfile
        has done that already)."""
        lines = lines or {}

        def error(column: str, message: str) -> None:
            self.errors.append(RowError(lines.get(column, line), column, message))

        values: dict[str, str] = {}
        for column, cell in raw.items():
            cell = cell.replace("\r\n", "\n").replace("\r", "\n")
            bad = _CONTROL.search(cell) or (column in SINGLE_LINE and _LINE_BREAKS.search(cell.strip()))
            if bad:
                char = bad.group()
                if char == "\x00":
                    error(column, "contains a NUL byte (U+0000); remove it")
                else:
                    error(column, f"contains a control character (U+{ord(char):04X}); remove it")
            value = unicodedata.normalize("NFC", cell).strip()
            if from_table:
                value = unguard_formula(value).strip()
            values[column] = value

        headword = values.get("headword", "")
        meaning = values.get("meaning", "")
        for column in REQUIRED_COLUMNS:
            if not values.get(column):
                error(column, "required; the cell is empty")

        pinyin = " ".join(values.get("pinyin", "").split())
        spoken = " ".join(values.get("spoken", "").split())
        example_pinyin = values.get("example_pinyin", "")
        if from_table:
            before = (pinyin, spoken, example_pinyin)
            pinyin = normalize_pinyin(pinyin, headword)
            spoken = normalize_pinyin(spoken, headword)
            example_pinyin = normalize_example_pinyin(example_pinyin)
            if _HAS_TONE_NUMBER.search("".join(before)) and before != (pinyin, spoken, example_pinyin):
                self.converted += 1
        values["pinyin"], values["spoken"], values["example_pinyin"] = pinyin, spoken, example_pinyin

        for column, limit in MAX_LENGTH.items():
            length = len(values.get(column, ""))
            if length > limit:
                error(column, f"longer than {limit} characters ({length})")

        tags = split_tags(values.get("tags", ""))
        if len(tags) > MAX_TAGS:
            error("tags", f"{len(tags)} tags; at most {MAX_TAGS}")
        long_tags = [tag for tag in tags if len(tag) > MAX_TAG_LENGTH]
        if long_tags:
            error("tags", f"tags longer than {MAX_TAG_LENGTH} characters: {', '.join(long_tags)}")

        if from_table and headword and pinyin and len(pinyin) <= MAX_LENGTH["pinyin"]:
            for name, message in pinyin_problems(headword, pinyin, spoken):
                error(name, message)
        elif from_table and spoken and not pinyin:
            error("spoken", "needs the pinyin column filled in too")
        if from_table and example_pinyin:
            for message in example_pinyin_problems(values.get("example_zh", ""), example_pinyin):
                error("example_pinyin", message)

        send = None
        if any(values.get(column) for column in SEND_COLUMNS):
            missing = [column for column in SEND_COLUMNS if not values.get(column)]
            for column in missing:
                error(column, "required when the other send columns are filled in")
            verdict = values.get("send_verdict", "").lower()
            if verdict and verdict not in VERDICTS:
                error("send_verdict", f"must be {', '.join(VERDICTS)}")
            if not missing:
                send = {
                    "situation": values["send_situation"],
                    "verdict": verdict,
                    "why": values["send_why"],
                }

        key = values.get("key", "")
        key_derived = not key
        if key_derived:
            key = derive_key(headword)
        elif from_table and not _KEY.match(key):
            error("key", "use lowercase letters, digits, '-' and '_' (starting with a letter or digit)")
        repeated = headword in self.headwords
        if headword:
            if repeated:
                error("headword", f"{headword} also on line {self.headwords[headword]}")
            else:
                self.headwords[headword] = lines.get("headword", line)
        if key:
            if key in self.keys:
                # A derived key repeats with its headword, which is reported already.
                if not (key_derived and repeated):
                    error("key", f"{key} also on line {self.keys[key]}")
            else:
                self.keys[key] = lines.get("key", line)

        pinyin_filled = False
        if (
            not pinyin
            and self.fill_pinyin
            and has_hanzi(headword)
            and len(headword) <= MAX_LENGTH["headword"]
        ):
            pinyin = pinyin_for(headword)
            pinyin_filled = bool(pinyin)
            self.filled += pinyin_filled

        self.rows.append(
            ImportRow(
                line=line,
                key=key,
                headword=headword,
                pinyin=pinyin,
                pinyin_filled=pinyin_filled,
                meaning=meaning,
                literal=values.get("literal", ""),
                notes=values.get("notes", ""),
                example_zh=values.get("example_zh", ""),
                example_pinyin=example_pinyin,
                example_en=values.get("example_en", ""),
                tags=tags,
                spoken=spoken,
                send=send,
                key_derived=key_derived,
            )
        )


# ---------------------------------------------------------------- TOML deck files

_FIELD = re.compile(r"^entries\[(\d+)\]\.(.+)$")
_TOML_COLUMN = {
    "id": "key",
    "example": "example_zh",
    "example.zh": "example_zh",
    "example.pinyin": "example_pinyin",
    "example.en": "example_en",
    "send": "send_situation",
    "send.situation": "send_situation",
    "send.verdict": "send_verdict",
    "send.why": "send_why",
}


def _toml_column(name: str) -> str:
    match = _FIELD.match(name)
    if not match:
        return name
    return _TOML_COLUMN.get(match.group(2), match.group(2))


def _toml_field_lines(lines: list[str], start: int, end: int) -> dict[str, int]:
    """Column -> line for the keys of one [[entries]] table (lines start..end-1, 1-based)."""
    found: dict[str, int] = {}
    section = ""
    for number in range(start, end):
        stripped = lines[number - 1].strip()
        table = re.match(r"^\[entries\.(\w+)\]", stripped)
        if table:
            section = table.group(1)
            continue
        match = re.match(r"^([A-Za-z_]+)\s*=", stripped)
        if match:
            key = f"{section}.{match.group(1)}" if section else match.group(1)
            found.setdefault(_TOML_COLUMN.get(key, key), number)
    return found


def _parse_toml(text: str, path: str, fill_pinyin: bool, warnings: list[str]) -> ParsedImport:
    count = len(_ENTRIES_HEADER.findall(text))
    if count > MAX_ROWS:
        raise _too_many_rows(f"{count:,}")
    source = text
    has_deck = bool(_DECK_HEADER.search(text))
    if not has_deck:
        # Entries alone: add a placeholder [deck] at the end, so every line number stays where it was.
        source = text + '\n\n[deck]\nslug = "upload"\ntitle = "upload"\n'
    try:
        deck: DeckData = parse_deck_text(source, path)
    except DeckFileError as failure:
        errors = [RowError(p.line, _toml_column(p.field), p.message) for p in failure.problems]
        return ParsedImport([], errors, warnings, "toml")
    except (tomllib.TOMLDecodeError, RecursionError) as failure:  # pragma: no cover - deckfile catches these
        return ParsedImport([], [RowError(None, "syntax", str(failure))], warnings, "toml")

    lines = text.split("\n")
    headers = [i + 1 for i, line in enumerate(lines) if _ENTRIES_HEADER.match(line)]
    checker = _RowChecker(fill_pinyin)
    for index, entry in enumerate(deck.entries):
        start = headers[index] if index < len(headers) else 1
        end = headers[index + 1] if index + 1 < len(headers) else len(lines) + 1
        raw = {
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
            "tags": " ".join(entry.tags),
        }
        if entry.send:
            raw |= {f"send_{k}": v for k, v in entry.send.items()}
        checker.check(start, raw, from_table=False, lines=_toml_field_lines(lines, start, end))
        bad_tags = [t for t in entry.tags if _TAG_SEPARATORS.search(t)]
        if bad_tags:
            checker.errors.append(
                RowError(start, "tags", f"tags cannot contain spaces, commas or semicolons: {bad_tags}")
            )
    warnings.extend(checker.summary())
    meta = None
    if has_deck:
        meta = {
            "slug": deck.slug,
            "title": deck.title,
            "description": deck.description,
            "category": deck.category,
            "level": deck.level,
            "prerequisites": list(deck.prerequisites),
            "card_kinds": list(deck.card_kinds),
            "license": deck.license,
            "attribution": deck.attribution,
        }
    return ParsedImport(checker.rows, checker.errors, warnings, "toml", deck=meta, columns=COLUMNS)
