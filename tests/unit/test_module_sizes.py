"""The layout's size rules (issue 12), as checks: no module of `learnapp` over 400 lines, and no function
over 60, so that a reader finds a behaviour in a room small enough to read whole. Data lives in data files
(`nickname/data/*.toml`, `decks/`), which these rules do not count."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "learnapp"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _name(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


def _long_functions(source: str) -> list[tuple[int, str, int]]:
    """(line, name, length) of every function in `source` over the limit."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append((node.lineno, node.name, length))
    return found


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_no_module_is_over_400_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{_name(path)} has {lines} lines: split it by what it does"


def test_no_function_is_over_60_lines():
    long = [
        f"{_name(path)}:{line} {name} ({length} lines)"
        for path in MODULES
        for line, name, length in _long_functions(path.read_text(encoding="utf-8"))
    ]
    assert long == []


def test_the_function_check_can_fail():
    body = "\n".join(f"    x{number} = {number}" for number in range(60))
    assert _long_functions(f"def short():\n{body[: body.rindex(chr(10))]}\n") == []
    assert _long_functions(f"async def long():\n{body}\n") == [(1, "long", 61)]
