"""Answers the learner types or picks before turning a card: typed pinyin and tone drills.

Checking writes nothing: it shows the back of the card with the feedback and a proposed grade, and the
grade counts only when the learner presses one (they may overrule the proposal)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from learnapp.chinese.checker import Check, ToneCheck, check, check_tones

MAX_TYPED = 5000  # what we read of a typed answer; the checker itself looks at far less


@dataclass(frozen=True)
class Feedback:
    kind: str  # "typed" | "tones"
    typed: str  # as the learner typed it (escaped when shown), or "3-4" for a tone pair
    result: Check | ToneCheck

    @property
    def right(self) -> bool:
        return self.result.verdict == "right"

    @property
    def proposed_rating(self) -> int:
        return self.result.proposed_rating


def _tone(form: Any, name: str) -> int | None:
    value = (form.get(name) or "").strip()
    return int(value) if value in ("1", "2", "3", "4", "5") else None


def feedback(kind: str, entry: Any, form: Any) -> Feedback | None:
    """The feedback for a typed-pinyin or tone-drill card; None for the kinds that have no answer box."""
    if kind == "typed":
        typed = (form.get("typed") or "")[:MAX_TYPED]
        return Feedback(kind, typed, check(typed, entry.pinyin, entry.pinyin_spoken))
    if kind == "tones":
        first, second = _tone(form, "tone1"), _tone(form, "tone2")
        chosen = (first or 0, second or 0)
        shown = f"{first or '?'}-{second or '?'}"
        return Feedback(kind, shown, check_tones(chosen, entry.pinyin, entry.pinyin_spoken))
    return None
