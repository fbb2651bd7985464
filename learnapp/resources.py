"""Where the top-level folders (templates, static, decks, migrations) are at run time.

In a source checkout they sit beside the package; an installed wheel carries them inside the package as
learnapp/_data/<name>/ (see pyproject.toml).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """Return the folder `name` (templates, static, decks or migrations)."""
    source = _PACKAGE.parent / name
    if source.is_dir():
        return source
    return _PACKAGE / "_data" / name
