"""The learner's settings: study limits, retention, day boundaries, display. One transaction a save; the
next card the learner sees uses the new values (the study service reads them from the user row)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from fsrs.scheduler import FSRS_DEFAULT_DECAY

from learnapp.content.text import clean_display_name
from learnapp.database import transaction
from learnapp.models import User, utcnow

RETENTION_MIN = 0.70
RETENTION_MAX = 0.97
MAX_NEW = 999
MAX_REVIEWS = 9999
# Tone colour schemes (see learnapp/chinese/display.py and the CSS classes tone1..tone5).
TONE_SCHEMES = {
    "pleco": "Pleco: red, green, blue, purple",
    "dummitt": "Dummitt: red, orange, green, blue",
    "hanping": "Hanping: blue, green, orange, red",
    "off": "Off",
}
DEFAULT_PREFERENCES: dict[str, Any] = {"tone_scheme": "pleco", "ruby": False, "bury_siblings": True}

# FSRS-6's forgetting curve with its default decay: R(t, S) = (1 + FACTOR * t / S) ** -DECAY.
DECAY: float = FSRS_DEFAULT_DECAY
FACTOR: float = 0.9 ** (-1 / DECAY) - 1


def preferences(user: User | None) -> dict[str, Any]:
    """The learner's display and queue preferences, defaults filled in (anonymous visitors get them all)."""
    stored = (user.preferences or {}) if user is not None and user.is_authenticated else {}
    return DEFAULT_PREFERENCES | {key: stored[key] for key in DEFAULT_PREFERENCES if key in stored}


def interval_days(retention: float, stability: float) -> float:
    """Days until a card of `stability` falls to `retention`: the interval FSRS gives it."""
    return stability / FACTOR * (math.pow(retention, -1 / DECAY) - 1)


@dataclass(frozen=True)
class WorkloadRow:
    retention: float
    interval: float  # days, for a card with a 30-day stability
    workload: float  # reviews relative to 90%
    current: bool


def workload_table(current: float) -> list[WorkloadRow]:
    """What each retention implies: the interval of a typical card and the reviews relative to 90%.

    Reviews per card per year go with 1 / interval, plus relearning the ones forgotten (1 - R of the
    reviews); the ratio to 90% is what the learner feels. Rough, but the shape is right: the last few
    percent cost the most."""

    def load(r: float) -> float:
        interval = interval_days(r, 30.0)
        return (1 / interval) * (1 + 2 * (1 - r))

    base = load(0.9)
    steps = [0.70, 0.75, 0.80, 0.85, 0.90, 0.93, 0.95, 0.97]
    if not any(math.isclose(current, r) for r in steps):
        steps = sorted({*steps, round(current, 2)})
    return [
        WorkloadRow(r, interval_days(r, 30.0), load(r) / base, math.isclose(current, r, abs_tol=0.004))
        for r in steps
    ]


def form_data(user: User) -> dict[str, Any]:
    prefs = preferences(user)
    return {
        "display_name": user.display_name or "",
        "desired_retention": Decimal(str(round(user.desired_retention, 2))),
        "new_per_day": user.new_per_day,
        "reviews_per_day": user.reviews_per_day,
        "timezone": user.timezone,
        "day_rollover_hour": user.day_rollover_hour,
        "tone_scheme": prefs["tone_scheme"],
        "ruby": prefs["ruby"],
        "bury_siblings": prefs["bury_siblings"],
        "reminder_enabled": user.reminder_enabled,
        "reminder_time": time(user.reminder_minute // 60, user.reminder_minute % 60),
    }


@transaction()
def save(user: User, values: dict[str, Any], now: datetime | None = None) -> None:
    """Apply validated values (from SettingsForm)."""
    now = now or utcnow()
    user.display_name = clean_display_name(values["display_name"] or "") or None
    user.desired_retention = float(values["desired_retention"])
    user.new_per_day = int(values["new_per_day"])
    user.reviews_per_day = int(values["reviews_per_day"])
    user.timezone = values["timezone"]
    user.day_rollover_hour = int(values["day_rollover_hour"])
    prefs = dict(user.preferences or {})
    prefs.update(
        tone_scheme=values["tone_scheme"],
        ruby=bool(values["ruby"]),
        bury_siblings=bool(values["bury_siblings"]),
    )
    user.preferences = prefs  # a new dict: JSON columns notice reassignment, not mutation
    _save_reminder(user, bool(values["reminder_enabled"]), values["reminder_time"], now)


def _save_reminder(user: User, enabled: bool, at: time, now: datetime) -> None:
    """A reminder turned on (or moved) to a time already past today starts tomorrow, not a minute from
    now; today's stays settled either way (at most one a learner-day)."""
    from learnapp.reminders.service import reminder_moment

    minute = at.hour * 60 + at.minute
    changed = enabled and (not user.reminder_enabled or minute != user.reminder_minute)
    user.reminder_enabled, user.reminder_minute = enabled, minute
    if changed:
        day = user.study_day(now)
        today = date.fromisoformat(day.local_date)
        if reminder_moment(day, user.timezone, user.day_rollover_hour, minute) <= now and (
            user.reminder_last_day is None or user.reminder_last_day < today
        ):
            user.reminder_last_day = today


@dataclass(frozen=True)
class MailStatus:
    """What the settings page says about the address and the reminders."""

    verified: bool
    paused: bool  # reminders stopped after failed mails
    reminders_wait: bool  # on, but the address is not verified yet


def mail_status(user: User) -> MailStatus:
    from learnapp.reminders.service import MAX_FAILURES

    verified = user.email_verified_at is not None
    return MailStatus(
        verified=verified,
        paused=user.mail_failures >= MAX_FAILURES,
        reminders_wait=user.reminder_enabled and not verified,
    )
