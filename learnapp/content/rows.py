"""An upload parsed for its preview: rows, problems by line, warnings. Pure.

The preview is stored between the upload and the confirm as JSON (`ParsedImport.to_dict` / `from_dict`);
`from_dict` refuses anything that is not what `to_dict` writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from learnapp.content.entry import ENTRY_FIELDS, EntryData


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
        line = data.get("line")
        if line is not None and (not isinstance(line, int) or isinstance(line, bool)):
            raise ValueError("RowError.line must be an integer or None")
        return cls(line=line, column=str(data["column"]), message=str(data["message"]))


@dataclass(frozen=True, kw_only=True)
class ImportRow(EntryData):
    """An entry from an uploaded file, with where it came from: its line, whether its pinyin was filled
    in from the dictionary, and whether its key was derived from the headword."""

    line: int
    pinyin_filled: bool = False
    key_derived: bool = False

    def entry(self, position: int) -> EntryData:
        """The row as a plain entry at `position`."""
        values = {name: getattr(self, name) for name in ENTRY_FIELDS}
        return EntryData(**{**values, "position": position})

    def to_dict(self) -> dict[str, Any]:
        values = {name: getattr(self, name) for name in _ROW_FIELDS}
        values["tags"] = list(self.tags)
        values["send"] = dict(self.send) if self.send else None
        return values

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportRow:
        """The inverse of to_dict; missing optional fields take their defaults, unknown ones are refused."""
        unknown = data.keys() - _ROW_FIELDS
        if unknown:
            raise ValueError(f"unknown ImportRow fields: {', '.join(sorted(unknown))}")
        values: dict[str, Any] = {}
        for name in _TEXT_FIELDS:
            value = data.get(name, "")
            if not isinstance(value, str):
                raise ValueError(f"ImportRow.{name} must be a string")
            values[name] = value
        send = data.get("send")
        if send is not None and not (
            isinstance(send, dict) and all(isinstance(v, str) for v in send.values())
        ):
            raise ValueError("ImportRow.send must be a dict of strings or None")
        tags = data.get("tags", [])
        if not isinstance(tags, list | tuple) or not all(isinstance(t, str) for t in tags):
            raise ValueError("ImportRow.tags must be a list of strings")
        for name, number in (("line", data.get("line")), ("position", data.get("position", 0))):
            if not isinstance(number, int) or isinstance(number, bool):
                raise ValueError(f"ImportRow.{name} must be an integer")
            values[name] = number
        return cls(
            **values,
            tags=tuple(tags),
            send=dict(send) if send else None,
            pinyin_filled=bool(data.get("pinyin_filled", False)),
            key_derived=bool(data.get("key_derived", False)),
        )


_ROW_FIELDS = frozenset(f.name for f in fields(ImportRow))
_TEXT_FIELDS = tuple(
    sorted(_ROW_FIELDS - {"line", "position", "tags", "send", "pinyin_filled", "key_derived"})
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
