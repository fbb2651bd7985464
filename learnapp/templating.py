"""Jinja filters and globals shared by all templates."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask
from flask_login import current_user

from learnapp.models import utcnow
from learnapp.srs import format_interval


def local_time(value: datetime | None, fmt: str = "%a %H:%M") -> str:
    """A UTC time in the learner's own timezone."""
    if value is None:
        return ""
    zone = ZoneInfo(current_user.timezone if current_user.is_authenticated else "UTC")
    return value.astimezone(zone).strftime(fmt)


def time_until(value: datetime | None) -> str:
    """How long until `value`, as on the answer buttons ("in 10m", "in 9h")."""
    if value is None:
        return ""
    delta = value - utcnow()
    return "now" if delta.total_seconds() <= 0 else f"in {format_interval(delta)}"


def display_preferences() -> dict:
    """Tone colours and ruby for every page (the body's classes)."""
    from learnapp.settings.service import preferences

    return {"display_prefs": preferences(current_user)}


def ruby_on() -> bool:
    """Does the learner want pinyin over the characters? Hanzi stay plain, selectable text otherwise."""
    from learnapp.settings.service import preferences

    return bool(preferences(current_user)["ruby"])


def install(app: Flask) -> None:
    from learnapp.chinese.checker import typing_examples
    from learnapp.chinese.display import pinyin_units, ruby_units
    from learnapp.chinese.sandhi import spoken_phrase

    app.context_processor(display_preferences)
    app.jinja_env.globals["ruby_units"] = ruby_units
    app.jinja_env.globals["ruby_on"] = ruby_on
    app.jinja_env.globals["typing_examples"] = typing_examples
    app.jinja_env.globals["spoken_phrase"] = spoken_phrase
    app.jinja_env.filters["pinyin_units"] = pinyin_units
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["time_until"] = time_until
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
