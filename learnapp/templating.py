"""Jinja filters and globals shared by all templates.

The Chinese display helpers are pure functions of their text: they are cached here (a card's pinyin,
ruby and spoken example are worked out once per process, not on every page that shows them). Templates
only read what they return.

Every value a template prints passes `finalize` first: the control and bidirectional formatting characters
no page shows are stripped there, whatever stored them (rows written before the input rules, deck files)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from flask import Flask, g
from flask_login import current_user
from markupsafe import Markup

from learnapp.content.text import shown_text
from learnapp.models import utcnow
from learnapp.srs import format_interval


def local_time(value: datetime | None, fmt: str = "%a %H:%M") -> str:
    """A UTC time in the learner's own timezone."""
    if value is None:
        return ""
    zone = current_user.zone if current_user.is_authenticated else UTC
    return value.astimezone(zone).strftime(fmt)


def time_until(value: datetime | None) -> str:
    """How long until `value`, as on the answer buttons ("in 10m", "in 9h")."""
    if value is None:
        return ""
    delta = value - utcnow()
    return "now" if delta.total_seconds() <= 0 else f"in {format_interval(delta)}"


def finalize(value: Any) -> Any:
    """What `{{ ... }}` prints: text without the characters no page shows (`content.text.shown_text`);
    markup stays markup (already escaped), anything else is printed as it is."""
    if isinstance(value, str):
        shown = shown_text(value)
        if shown is not value:
            # Removing characters from escaped text leaves it escaped.
            return Markup(shown) if isinstance(value, Markup) else shown  # noqa: S704
    return value


def _preferences() -> dict[str, Any]:
    """The learner's display preferences, read once per request."""
    if "display_prefs" not in g:
        from learnapp.settings.service import preferences

        g.display_prefs = preferences(current_user)
    return g.display_prefs


def display_preferences() -> dict:
    """Tone colours and ruby for every page (the body's classes)."""
    return {"display_prefs": _preferences()}


def ruby_on() -> bool:
    """Does the learner want pinyin over the characters? Hanzi stay plain, selectable text otherwise."""
    return bool(_preferences()["ruby"])


def _cached(function: Callable[..., Any], size: int = 8192) -> Callable[..., Any]:
    return lru_cache(maxsize=size)(function)


def _labels_of(entry_labels: Callable[[Any], Any]) -> Callable[[Any], Any]:
    cached = _cached(lambda tags: entry_labels(tags), 1024)
    return lambda tags: cached(tuple(tags or ()))


def install(app: Flask) -> None:
    from learnapp.chinese.checker import typing_examples
    from learnapp.chinese.display import pinyin_units, ruby_units
    from learnapp.chinese.sandhi import spoken_phrase
    from learnapp.chinese.syllables import has_hanzi
    from learnapp.content.labels import entry_labels
    from learnapp.study.faces import card_face

    app.jinja_env.finalize = finalize
    app.context_processor(display_preferences)
    app.jinja_env.globals["ruby_units"] = _cached(ruby_units)
    app.jinja_env.globals["ruby_on"] = ruby_on
    app.jinja_env.globals["typing_examples"] = _cached(typing_examples)
    app.jinja_env.globals["spoken_phrase"] = _cached(spoken_phrase)
    app.jinja_env.globals["entry_labels"] = _labels_of(entry_labels)
    app.jinja_env.globals["card_face"] = card_face
    app.jinja_env.globals["has_hanzi"] = has_hanzi
    app.jinja_env.filters["pinyin_units"] = _cached(pinyin_units)
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["time_until"] = time_until
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
