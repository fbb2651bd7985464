"""ARCHITECTURE.md names every module of learnapp, and names no module that is gone."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "learnapp"


def rows() -> dict[str, str]:
    """Each table row's first cell (one or more `names`, comma-separated) mapped to the rest of the row."""
    found: dict[str, str] = {}
    for line in (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8").splitlines():
        cells = line.split("|")
        if len(cells) < 3 or not cells[1].strip().startswith("`"):
            continue
        for name in re.findall(r"`([^`]+)`", cells[1]):
            found[name] = found.get(name, "") + "|".join(cells[2:])
    return found


def is_named(module: Path, table: dict[str, str]) -> bool:
    """A row of its own (`srs/queue.py`), a row of its folder that names the file (`mail/` ... `outbox.py`),
    or a row of its subpackage (`chinese/checker/`); every `__init__.py` has the `*/__init__.py` row."""
    parts = module.relative_to(PACKAGE).parts
    if module.name == "__init__.py" or "/".join(parts) in table:
        return True
    for depth in range(1, len(parts)):
        folder = "/".join(parts[:depth]) + "/"
        if folder in table and (depth > 1 or "/".join(parts[depth:]) in table[folder]):
            return True
    return False


def test_every_module_is_named_in_architecture_md():
    table = rows()
    unnamed = [str(m.relative_to(PACKAGE)) for m in sorted(PACKAGE.rglob("*.py")) if not is_named(m, table)]
    assert unnamed == [], "add a line for each to ARCHITECTURE.md"


def test_every_module_architecture_md_names_exists():
    gone = [
        name
        for name in rows()
        if name.endswith(".py")
        and "*" not in name
        and not (PACKAGE / name).exists()
        and not (ROOT / name).exists()
    ]
    assert gone == []
