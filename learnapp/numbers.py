"""Numbers from requests: plain decimal digits, bounded, so a stray "²" or a 30-digit id is a 404 or a
"missing" rather than a 500 (isdigit() lets "²" through, which int() refuses; the database refuses ids past
its integer range)."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

ID_MAX = 2**31 - 1  # the database's INTEGER primary keys (PostgreSQL's int4)


def small_int(raw: str | None, digits: int = 9) -> int | None:
    """The number `raw` spells in at most `digits` decimal digits; None for anything else."""
    raw = raw or ""
    return int(raw) if raw.isdecimal() and len(raw) <= digits else None


class IdConverter(IntegerConverter):
    """The app's `<int:...>`: ids in the database's range only; anything larger does not match (404)."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", ID_MAX)
        super().__init__(map, *args, **kwargs)
