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
  holds every row, so the preview can show each one next to its errors; import only when `errors` is
  empty.

Every row goes through learnapp.content.cleaning, the rules of the editor and of deck files: the same
characters, limits, pinyin (tone numbers become tone marks), tags and send verdicts.

CSV and TSV: a header row is required (learnapp.content.columns: names, aliases). Columns we do not know
are ignored with a warning. One leading apostrophe is removed from a cell when it guards a formula
character (the exporter writes '=x for =x). HTML is kept as it is: templates escape it. A `key` column is
optional: a row without one gets `derive_key(headword)`, so the same headword always gets the same key.
An empty pinyin cell for a headword with hanzi is filled from CC-CEDICT, then pypinyin
(`learnapp.chinese.pinyin_for`), and the row is marked `pinyin_filled` so the preview can say so.

TOML: an uploaded deck file is read by learnapp.content.deckfile; its entries become rows (each on the
line of its [[entries]] header), every problem becomes a RowError with its line, and its [deck] table is
returned as `ParsedImport.deck`. A file with [[entries]] and no [deck] table is accepted too (deck is then
None).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any

from learnapp.chinese.pinyin import pinyin_for
from learnapp.chinese.syllables import has_hanzi
from learnapp.content.cleaning import EntryInput, Headwords, check_entry, derive_key
from learnapp.content.columns import COLUMN_ALIASES, COLUMNS, REQUIRED_COLUMNS, header_name, unguard_formula
from learnapp.content.deck_entries import TOML_NAMES
from learnapp.content.deckfile import read_deck_text
from learnapp.content.entry import ENTRY_FIELDS, MAX_LENGTH, EntryData
from learnapp.content.rows import ImportRow, ParsedImport, RowError
from learnapp.content.text import FieldProblem
from learnapp.content.upload import ImportFileError, decode_upload

MAX_ROWS = 10_000
MAX_RECORDS = 10 * MAX_ROWS  # lines read, blank ones (",,,,," rows from a spreadsheet) included
_ENTRIES_HEADER = re.compile(r"^\s*\[\[entries\]\]", re.MULTILINE)
_DECK_HEADER = re.compile(r"^\s*\[deck\]\s*(#.*)?$", re.MULTILINE)
_ENTRY_FIELD = re.compile(r"^entries\[\d+\]\.(.+)$")
# A file's field -> the column it stands for in a preview.
_TOML_COLUMNS = {name: column for column, name in TOML_NAMES.items()} | {
    "example": "example_zh",
    "send": "send_situation",
}
# How a problem reads in a cell, where the file-wide wording would not say enough.
_CELL_WORDING = {"required": "required; the cell is empty"}


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


# ---------------------------------------------------------------- rows, whatever the format


class _Rows:
    """The rows of one upload as they are checked: their errors, duplicates and what was filled in."""

    def __init__(self, fill_pinyin: bool) -> None:
        self.fill_pinyin = fill_pinyin
        self.rows: list[ImportRow] = []
        self.errors: list[RowError] = []
        self.headwords = Headwords()
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

    def cells(self, line: int, cells: dict[str, str]) -> None:
        """Check one CSV or TSV row (column -> cell) and add it."""
        values = {column: unguard_formula(cell.strip()) for column, cell in cells.items()}
        tags = values.pop("tags", "")
        checked = check_entry(EntryInput(**{"headword": "", "meaning": "", **values}, tags=tags))
        self.converted += checked.tone_numbers
        for problem in checked.problems:
            self.error(line, problem)
        entry = checked.entry
        key_derived = not entry.key
        key = derive_key(entry.headword) if key_derived else entry.key
        repeated = self.headwords.check(entry.headword, line)
        if repeated:
            self.error(line, repeated)
        if key and key in self.keys:
            if not (key_derived and repeated):  # a derived key repeats with its headword, reported already
                self.errors.append(RowError(line, "key", f"{key} also on line {self.keys[key]}"))
        elif key:
            self.keys[key] = line
        self.add(line, entry, key=key, key_derived=key_derived)

    def error(self, line: int, problem: FieldProblem) -> None:
        self.errors.append(RowError(line, problem.field, _CELL_WORDING.get(problem.rule, problem.message)))

    def add(self, line: int, entry: EntryData, *, key: str, key_derived: bool = False) -> None:
        """Add a checked entry as a row, its pinyin filled in from the dictionary when it has none."""
        values = {name: getattr(entry, name) for name in ENTRY_FIELDS if name not in ("key", "position")}
        filled = (
            not entry.pinyin
            and self.fill_pinyin
            and has_hanzi(entry.headword)
            and len(entry.headword) <= MAX_LENGTH["headword"]
        )
        if filled:
            values["pinyin"] = pinyin_for(entry.headword)
            filled = bool(values["pinyin"])
            self.filled += filled
        self.rows.append(
            ImportRow(line=line, key=key, pinyin_filled=filled, key_derived=key_derived, **values)
        )


# ---------------------------------------------------------------- CSV and TSV


def _sniff_delimiter(header: str, suffix: str) -> str:
    """The delimiter that splits the header into the most columns we know; the extension breaks ties
    (.tsv tab, .csv comma), then the most frequent delimiter."""

    def score(delimiter: str) -> tuple[int, int, int]:
        try:
            cells = next(csv.reader([header], delimiter=delimiter), [])
        except csv.Error:
            cells = []
        known = sum(1 for cell in cells if header_name(cell) in COLUMN_ALIASES)
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


def _read_records(text: str, delimiter: str, errors: list[RowError]) -> list[tuple[int, list[str]]]:
    """Every non-blank record; a quoting error stops the reading with a RowError on its line."""
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
    return records


def _header(
    line: int, cells: list[str], errors: list[RowError]
) -> tuple[list[str | None], dict[str, str], list[str]]:
    """Each header cell's column (None: not read), the columns found (column -> the header cell naming
    it), and the header cells we do not know."""
    columns: list[str | None] = []
    found: dict[str, str] = {}
    ignored: list[str] = []
    for cell in cells:
        name = COLUMN_ALIASES.get(header_name(cell))
        if name is None:
            if cell.strip():
                ignored.append(cell.strip())
        elif name in found:
            message = f"the columns {found[name]!r} and {cell.strip()!r} both mean {name}; keep one"
            errors.append(RowError(line, name, message))
            name = None
        else:
            found[name] = cell.strip()
        columns.append(name)
    return columns, found, ignored


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
    records = _read_records(text, delimiter, errors)
    header_line, header = records[0]
    columns, found, ignored = _header(header_line, header, errors)
    missing = [name for name in REQUIRED_COLUMNS if name not in found]
    if missing:
        listed = ", ".join(repr(cell.strip()) for cell in header if cell.strip()) or "none"
        message = (
            f"missing required column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
            f"the first line must name the columns (found: {listed})"
        )
        errors.insert(0, RowError(header_line, "header", message))
        return ParsedImport([], errors, warnings, fmt, columns=tuple(found))
    if ignored:
        warnings.append(f"Ignored column{'s' if len(ignored) > 1 else ''}: {', '.join(ignored)}.")
    if len(records) == 1 and not errors:
        raise ImportFileError("The file has a header row but no rows below it.")

    rows = _Rows(fill_pinyin)
    for line, cells in records[1:]:
        values = {name: cell for name, cell in zip(columns, cells, strict=False) if name is not None}
        if any(cell.strip() for cell in cells[len(columns) :]):
            rows.errors.append(
                RowError(
                    line,
                    "row",
                    f"{len(cells)} cells but the header has {len(columns)} columns; "
                    "put quotes around cells that contain the separator",
                )
            )
        rows.cells(line, values)
    errors.extend(rows.errors)
    warnings.extend(rows.summary())
    return ParsedImport(rows.rows, errors, warnings, fmt, columns=tuple(found))


# ---------------------------------------------------------------- TOML deck files


def _toml_column(name: str) -> str:
    match = _ENTRY_FIELD.match(name)
    if not match:
        return name
    return _TOML_COLUMNS.get(match.group(1), match.group(1))


def _parse_toml(text: str, path: str, fill_pinyin: bool, warnings: list[str]) -> ParsedImport:
    count = len(_ENTRIES_HEADER.findall(text))
    if count > MAX_ROWS:
        raise _too_many_rows(f"{count:,}")
    reading = read_deck_text(text, path, require_deck=False)
    errors = [RowError(p.line, _toml_column(p.field), p.message) for p in reading.problems]
    if reading.deck is None:
        return ParsedImport([], errors, warnings, "toml")
    rows = _Rows(fill_pinyin)
    rows.converted = reading.tone_numbers
    for line, entry in zip(reading.entry_lines, reading.deck.entries, strict=True):
        rows.add(line, entry, key=entry.key)
    warnings.extend(rows.summary())
    deck = reading.deck
    meta = None
    if reading.has_deck_table:
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
    return ParsedImport(rows.rows, errors, warnings, "toml", deck=meta, columns=COLUMNS)
