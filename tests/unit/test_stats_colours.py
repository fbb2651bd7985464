"""The charts' colours in static/app.css, light and dark: every class the charts use has a rule, text has
at least 4.5:1 against the page (WCAG 2.1 AA, what axe-core checks) and bars, lines and the busy heat
levels at least 3:1 (non-text contrast), and the heat levels get darker (light) or brighter (dark) with
the count."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from learnapp.stats.charts import CSS_CLASSES

CSS = (Path(__file__).resolve().parents[2] / "static" / "app.css").read_text()
DARK = re.compile(r"@media \(prefers-color-scheme: dark\)\s*\{\s*:root\s*\{([^}]*)\}")

# What each colour is drawn as on the page's background (--bg): text, or a graphical object.
TEXT = ("text", "muted")  # titles, values and deck titles; tick labels, axis titles, legends
GRAPHICS = (
    "good",  # bars: remembered, minutes, retention, cards due
    "again",  # the Again part of a day
    "hard",  # overdue cards
    "new",
    "learning",
    "review",  # card states, mastered
    "seen",  # deck progress
    "muted",  # axes, suspended cards, the outline of a deck's bar
    "accent",  # the target line
    "heat-1",
    "heat-2",
    "heat-3",
    "heat-4",
)


def _variables(block: str) -> dict[str, str]:
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", block))


def palettes() -> dict[str, dict[str, str]]:
    """The colour variables of the light scheme (every `:root` outside the dark media query) and the dark
    one (the light values, overridden by the dark media query's)."""
    dark_blocks = DARK.findall(CSS)
    light_css = DARK.sub("", CSS)
    light: dict[str, str] = {}
    for block in re.findall(r":root\s*\{([^}]*)\}", light_css):
        light.update(_variables(block))
    dark = dict(light)
    for block in dark_blocks:
        dark.update(_variables(block))
    return {"light": light, "dark": dark}


def luminance(colour: str) -> float:
    channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_is_computed_as_wcag_does():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#ffffff", "#ffffff") == 1


def test_both_schemes_define_every_chart_colour():
    for name, palette in palettes().items():
        assert set(TEXT + GRAPHICS + ("bg",)) <= set(palette), name
    assert palettes()["light"]["heat-1"] != palettes()["dark"]["heat-1"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_chart_text_has_4_5_to_1_against_the_page(scheme):
    palette = palettes()[scheme]
    for name in TEXT:
        assert contrast(palette[name], palette["bg"]) >= 4.5, (scheme, name)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_bars_lines_and_heat_levels_have_3_to_1_against_the_page(scheme):
    palette = palettes()[scheme]
    for name in GRAPHICS:
        assert contrast(palette[name], palette["bg"]) >= 3, (scheme, name, palette[name])


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_busier_days_stand_further_from_the_page(scheme):
    palette = palettes()[scheme]
    steps = [contrast(palette[f"heat-{level}"], palette["bg"]) for level in range(5)]
    assert steps == sorted(steps) and len(set(steps)) == 5


def test_every_chart_class_has_a_rule():
    """Every class that paints something. The root's chart-<kind> classes are hooks, styled as needed, and
    a legend's swatch is painted by the class of its series beside it."""
    kinds = {
        css_class
        for css_class in CSS_CLASSES
        if css_class.startswith("chart-") and css_class != "chart-title"
    }
    assert "chart-reviews" in kinds and len(kinds) == 7
    for css_class in CSS_CLASSES - kinds - {"swatch"}:
        assert re.search(rf"\.{re.escape(css_class)}\b[^{{]*\{{", CSS), css_class


def test_stacked_parts_are_parted_by_the_pages_colour():
    """Adjacent parts of one bar (Again under remembered, the card states, mastered over seen) are told
    apart by a line of the page's colour between them, not by their colours alone."""
    rule = re.search(r"\.chart \.bar, \.chart \.bar-fail[^{]*\{([^}]*)\}", CSS)
    assert rule and "stroke:var(--bg)" in rule.group(1).replace(" ", "")
    for css_class in ("bar-fail", "bar-overdue", "bar-mastered", "seg-"):
        assert css_class in CSS[rule.start() : rule.end()]
