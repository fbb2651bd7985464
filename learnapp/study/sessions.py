"""What a study session draws from: the day's queue (the default), one deck's queue, the day's queue with
more new cards than the daily goal ("more"), today's failed cards, or reviews due in the next few days
(study ahead). Its `token` is its form in URLs and forms."""

from __future__ import annotations

from dataclasses import dataclass

from learnapp.errors import UserError
from learnapp.numbers import small_int

MAX_AHEAD_DAYS = 30
MAX_MORE_NEW = 100  # new cards beyond the daily goal that one "more" session may add
KINDS = ("queue", "deck", "more", "failed", "ahead")
# Sessions outside the day's queue, with statements of their own.
CUSTOM_KINDS = ("failed", "ahead")


@dataclass(frozen=True, slots=True)
class StudySession:
    """What a study session draws from."""

    kind: str = "queue"  # queue | deck | more | failed | ahead
    deck_id: int | None = None
    days: int = 0  # study ahead: how many days; more: how many new cards beyond the daily goal

    @property
    def token(self) -> str:
        if self.kind == "deck":
            return f"deck:{self.deck_id}"
        if self.kind in ("ahead", "more"):
            return f"{self.kind}:{self.days}"
        return "" if self.kind == "queue" else self.kind

    @property
    def is_custom(self) -> bool:
        """Anything but the day's whole queue."""
        return self.kind != "queue"

    @property
    def extra_new(self) -> int:
        """New cards this session may introduce beyond the learner's daily goal."""
        return self.days if self.kind == "more" else 0

    @property
    def outside_queue(self) -> bool:
        """Drawn from outside the day's queue (failed cards, study ahead): no daily limits, no counts."""
        return self.kind in CUSTOM_KINDS

    @classmethod
    def parse(cls, value: str | None) -> StudySession:
        """The session a URL or form names; a UserError beside the "session" field for anything else."""
        value = (value or "").strip()
        if not value:
            return cls()
        kind, _, argument = value.partition(":")
        if kind == "failed" and not argument:
            return cls("failed")
        number = small_int(argument)
        if kind == "deck" and number is not None:
            return cls("deck", deck_id=number)
        if kind == "ahead" and number is not None and 1 <= number <= MAX_AHEAD_DAYS:
            return cls("ahead", days=number)
        if kind == "more" and number is not None and 1 <= number <= MAX_MORE_NEW:
            return cls("more", days=number)
        raise UserError(
            f"That study session isn't one we know. Study ahead takes 1 to {MAX_AHEAD_DAYS} days, "
            f"extra new cards 1 to {MAX_MORE_NEW}.",
            field="session",
        )


QUEUE = StudySession()
