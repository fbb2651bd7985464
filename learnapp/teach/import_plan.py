"""What an import will do to a deck: each uploaded row matched to an entry by key, then by headword, as
create, update, restore (a deleted entry comes back) or unchanged, with the problems only the deck can
tell (two rows claiming one entry, a headword another entry has, what the deck's kinds of card need).

On update, columns the file does not have are kept as they are, and an empty pinyin cell (which the
parser fills from the dictionary) keeps the entry's pinyin unless the headword changed. New entries go
at the end of the deck.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from learnapp.content.cleaning import kind_problems
from learnapp.content.entry import EntryData
from learnapp.content.rows import ImportRow, ParsedImport, RowError
from learnapp.decks.loader import entry_values
from learnapp.extensions import db
from learnapp.models import Deck, Entry

ACTIONS = ("create", "update", "restore", "unchanged")
_COMPARED = (
    "headword",
    "pinyin",
    "pinyin_spoken",
    "literal",
    "meaning",
    "notes",
    "example_zh",
    "example_pinyin",
    "example_en",
    "tags",
    "extra",
)


@dataclass(frozen=True)
class PlannedRow:
    row: ImportRow
    action: str  # create | update | restore | unchanged
    values: dict[str, Any]
    entry: Entry | None = None
    changed: tuple[str, ...] = ()


def _whole_file(error: RowError) -> bool:
    """A problem of the whole file (no line, or the header's), not of one row."""
    return not error.line or error.column == "header"


@dataclass
class Plan:
    """Every row planned, and every problem. A row with a problem (its line named) is skipped when the
    teacher imports the good rows; a problem with no line (the whole file) stops the import."""

    rows: list[PlannedRow]
    errors: list[RowError]

    @property
    def bad_lines(self) -> set[int]:
        return {error.line for error in self.errors if error.line is not None and not _whole_file(error)}

    @property
    def file_errors(self) -> list[RowError]:
        return [error for error in self.errors if _whole_file(error)]

    @property
    def good(self) -> list[PlannedRow]:
        bad = self.bad_lines
        return [planned for planned in self.rows if planned.row.line not in bad]

    @property
    def bad(self) -> list[PlannedRow]:
        bad = self.bad_lines
        return [planned for planned in self.rows if planned.row.line in bad]

    @property
    def skippable(self) -> bool:
        """Problems only in some rows, and good rows left to import without them."""
        return bool(self.errors) and not self.file_errors and bool(self.good)

    def count(self, action: str) -> int:
        """Good rows only: a row with a problem is not counted as new, updated or anything."""
        return sum(1 for planned in self.good if planned.action == action)


@dataclass
class _Index:
    by_key: dict[str, Entry] = field(default_factory=dict)
    live_by_headword: dict[str, Entry] = field(default_factory=dict)


def _entry_data(row: ImportRow, position: int, base: Entry | None, columns: set[str]) -> EntryData:
    """The row as entry data; on update, what the file does not say comes from the entry."""

    def pick(column: str, attribute: str) -> Any:
        if base is None or column in columns:
            return getattr(row, column)
        return getattr(base, attribute)

    pinyin, spoken = row.pinyin, row.spoken
    if base is not None:
        same_word = base.headword == row.headword
        if same_word and ("pinyin" not in columns or row.pinyin_filled):
            pinyin = base.pinyin  # the dictionary's guess does not replace what the entry has
        if "spoken" not in columns:
            spoken = base.pinyin_spoken if same_word and pinyin == base.pinyin else ""
    return EntryData(
        key=base.key if base is not None else row.key,
        position=position,
        headword=row.headword,
        pinyin=pinyin,
        spoken=spoken,
        literal=pick("literal", "literal"),
        meaning=row.meaning,
        notes=pick("notes", "notes"),
        example_zh=pick("example_zh", "example_zh"),
        example_pinyin=pick("example_pinyin", "example_pinyin"),
        example_en=pick("example_en", "example_en"),
        tags=tuple(pick("tags", "tags")),
        send=row.send
        if row.send is not None
        else ((base.extra or {}).get("send") if base is not None else None),
    )


def plan(deck: Deck, parsed: ParsedImport) -> Plan:
    """Match every row against the deck as it is now: create, update, restore or unchanged."""
    index = _Index()
    entries = list(db.session.scalars(select(Entry).where(Entry.deck_id == deck.id)))
    for known in entries:
        index.by_key[known.key] = known
        if not known.retired:
            index.live_by_headword[known.headword] = known
    next_position = max((known.position for known in entries), default=0) + 1
    columns = set(parsed.columns) | {"headword", "meaning"}
    errors = list(parsed.errors)
    rows: list[PlannedRow] = []
    claimed: dict[int, int] = {}  # entry id -> the line that matched it first
    for row in parsed.rows:
        entry = _match(row, index, claimed, errors)
        data = _entry_data(row, entry.position if entry else next_position, entry, columns)
        if entry is None:
            next_position += 1
        values = entry_values(data)
        for problem in kind_problems(data, deck.card_kinds):
            column = "send_situation" if problem.field == "send" else problem.field
            errors.append(RowError(row.line, column, problem.message))
        if entry is None:
            rows.append(PlannedRow(row, "create", values))
            continue
        values["extra"] = {**(entry.extra or {}), **values["extra"]}
        changed = tuple(name for name in _COMPARED if getattr(entry, name) != values[name])
        action = "restore" if entry.retired else ("update" if changed else "unchanged")
        rows.append(PlannedRow(row, action, values, entry, changed))
    return Plan(rows, errors)


def _match(row: ImportRow, index: _Index, claimed: dict[int, int], errors: list[RowError]) -> Entry | None:
    """The entry a row updates (by key, then by a live entry's headword), if any; a row that claims an
    entry another row claimed, or another entry's headword, is an error."""
    entry = index.by_key.get(row.key) if row.key else None
    if entry is None:
        entry = index.live_by_headword.get(row.headword)
    if entry is None:
        return None
    if entry.id in claimed:
        message = f"matches the same entry ({entry.headword}, key {entry.key}) as line {claimed[entry.id]}"
        errors.append(RowError(row.line, "key", message))
    claimed.setdefault(entry.id, row.line)
    other = index.live_by_headword.get(row.headword)
    if other is not None and other is not entry:
        message = (
            f"{row.headword} is already another entry of this deck (key {other.key}), "
            f"not the one with key {entry.key}"
        )
        errors.append(RowError(row.line, "headword", message))
    return entry
