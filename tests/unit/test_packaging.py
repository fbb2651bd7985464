"""The wheel carries every package of the app: pyproject's explicit package list names each folder of
learnapp/ that has an __init__.py (a new package left out would install an app that fails to import)."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_package_is_in_the_wheel():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    present = {
        ".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "learnapp").rglob("__init__.py")
    }
    assert present - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    assert {name for name in listed - present if not name.startswith("learnapp._data.")} == set()
