"""Colours that carry text meet WCAG AA (4.5:1) on the surfaces they sit on, light and dark: the tone
colours of every scheme (static/app.css and learnapp.chinese.display.COLOURS), the brand red and the grades.
axe-core checks the pages the walk shows (tests/browser/test_accessibility.py); this checks every scheme,
including the ones the walk does not switch to."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from learnapp.chinese.display import COLOURS, SCHEMES

CSS = (Path(__file__).resolve().parents[2] / "static" / "app.css").read_text(encoding="utf-8")
DARK = re.compile(r"@media \(prefers-color-scheme: dark\) \{\n(.*?)\n\}", re.DOTALL)


def luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def variables(block: str, selector: str) -> dict[str, str]:
    match = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", block)
    assert match, selector
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", match.group(1)))


def light_css() -> str:
    return DARK.sub("", CSS)


def dark_css() -> str:
    return "\n".join(DARK.findall(CSS))


def surfaces(block: str) -> list[str]:
    root = variables(block, ":root")
    return [root["surface"], root["bg"], root["accent-soft"]]


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("scheme", [name for name, colours in SCHEMES.items() if colours])
def test_tone_colours_of_every_scheme_read_as_text(scheme, mode):
    block = light_css() if mode == "light" else dark_css()
    tones = variables(block, f"body.tones-{scheme}")
    backgrounds = surfaces(block if mode == "light" else dark_css())
    for tone in ("tone1", "tone2", "tone3", "tone4", "tone5"):
        for background in backgrounds:
            assert contrast(tones[tone], background) >= 4.5, (scheme, mode, tone, tones[tone], background)


def test_the_schemes_keep_their_hues_in_the_stylesheet():
    """The stylesheet's light colours are display.COLOURS, named as each scheme publishes them."""
    block = light_css()
    for scheme, names in SCHEMES.items():
        if names:
            tones = variables(block, f"body.tones-{scheme}")
            assert {tone: tones[f"tone{tone}"].lower() for tone in names} == {
                tone: COLOURS[name] for tone, name in names.items()
            }, scheme


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_brand_grade_and_state_colours_read_as_text(mode):
    block = light_css() if mode == "light" else dark_css()
    root = variables(block, ":root")
    for name in ("accent", "again", "hard", "good", "easy", "new", "learning", "review", "muted", "text"):
        for background in surfaces(block):
            assert contrast(root[name], background) >= 4.5, (mode, name, root[name], background)
    # Text on filled badges and buttons: the button's ink on the brand red, and --on-strong on the fills.
    assert contrast(root["accent-ink"], root["accent"]) >= 4.5
    for fill in ("good", "new", "again"):
        assert contrast(root["on-strong"], root[fill]) >= 4.5, (mode, fill)
