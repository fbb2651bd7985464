"""Where a table or a key of a deck file stands, for messages that name the line. Pure.

TOML counts lines at "\\n" only (str.splitlines() would also break at U+2028 inside a string). The lines
of an entry's keys are found only when a problem needs them, so a large file costs nothing extra.
"""

from __future__ import annotations

import re

_ENTRIES = re.compile(r"^\s*\[\[entries\]\]")
_DECK = re.compile(r"^\s*\[deck\]")
_SUB_TABLE = re.compile(r"^\s*\[entries\.([A-Za-z_]+)\]")
_KEY = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*=")


class TomlLines:
    """The 1-based lines of [deck], of each [[entries]] table, and of the keys inside them."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.entry_headers = [i + 1 for i, line in enumerate(self.lines) if _ENTRIES.match(line)]
        self.deck_header = next((i + 1 for i, line in enumerate(self.lines) if _DECK.match(line)), None)
        self._entry_keys: dict[int, dict[str, int]] = {}

    def _keys(self, start: int, end: int) -> dict[str, int]:
        """Key path ("pinyin", "example", "example.pinyin") -> its line, for lines start..end-1."""
        found: dict[str, int] = {}
        section = ""
        for number in range(start + 1, end):
            line = self.lines[number - 1]
            table = _SUB_TABLE.match(line)
            if table:
                section = table.group(1)
                found.setdefault(section, number)
                continue
            if _DECK.match(line):
                break  # [deck] after the entries: this table has ended
            key = _KEY.match(line)
            if key:
                name = f"{section}.{key.group(1)}" if section else key.group(1)
                found.setdefault(name, number)
                found.setdefault(name.split(".")[0], number)
        return found

    def deck(self, key: str | None = None) -> int | None:
        """The line of [deck], or of one of its keys (the table's line when the key is not written)."""
        if key is None or self.deck_header is None:
            return self.deck_header
        following = [h for h in self.entry_headers if h > self.deck_header]
        end = following[0] if following else len(self.lines) + 1
        return self._keys(self.deck_header, end).get(key, self.deck_header)

    def entry(self, index: int, key: str | None = None) -> int | None:
        """The line of the `index`-th [[entries]] table (0-based), or of a key in it: "pinyin", "example",
        "example.pinyin". A key that is not written gives its table's line, then the entry's."""
        if index >= len(self.entry_headers):
            return None
        start = self.entry_headers[index]
        if key is None:
            return start
        if index not in self._entry_keys:
            end = (
                self.entry_headers[index + 1] if index + 1 < len(self.entry_headers) else len(self.lines) + 1
            )
            self._entry_keys[index] = self._keys(start, end)
        keys = self._entry_keys[index]
        return keys.get(key) or keys.get(key.split(".")[0]) or start
