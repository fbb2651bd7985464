"""The welcome flow after sign-up (a Chinese nickname, then what to learn and how much). Each step is one
transaction; `User.onboarding_step` remembers where the learner is, so the flow can be skipped and
picked up again.

Suggestions are never taken from the client: a pick names the inputs and the index, and the server
generates the same batch again (the generator is deterministic) and stores what it finds."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from learnapp.database import lock_for_write, transaction
from learnapp.decks.service import enroll
from learnapp.errors import UserError
from learnapp.extensions import db
from learnapp.models import Deck, Enrollment, Nickname, User
from learnapp.nickname import FEELS, VIBES, NicknameInputError, Suggestion, Suggestions, suggest

STEPS = ("nickname", "goals", "done")
MAX_MORE = 50  # "more" batches a learner can ask for; beyond, the names start to repeat anyway

# What to learn -> the starter deck of that topic, in the order they are offered.
TOPICS: dict[str, tuple[str, str, str]] = {
    "rednote": ("RedNote words", "种草, 笔记, 博主: the platform's own vocabulary", "rednote-starter"),
    "slang": ("Internet slang", "yyds, 躺平, 破防: what comments really say", "internet-slang"),
    "emoji": ("Emoji", "the 🙂 that is not a smile, and the [doge] codes", "emoji-decoded"),
    "customs": ("Customs", "never give a clock, red envelopes, 520", "customs-etiquette"),
    "mandarin": ("Mandarin", "你好, 谢谢 and the first words to join in", "mandarin-first-words"),
}
# Daily goal -> new cards a day.
GOALS: dict[str, tuple[str, int]] = {
    "light": ("Light: about 5 minutes a day", 5),
    "steady": ("Steady: about 10 minutes a day", 10),
    "serious": ("Serious: 20 minutes or more", 20),
}


@dataclass(frozen=True)
class NameRequest:
    """What the learner asked the generator for: checked and normalised once."""

    name: str
    feel: str
    vibe: str | None
    more: int

    @classmethod
    def parse(
        cls, name: str | None, feel: str | None, vibe: str | None, more: str | int | None
    ) -> NameRequest:
        feel = (feel or "neutral").strip()
        if feel not in FEELS:
            raise UserError("Choose feminine, masculine or neutral.", field="feel")
        vibe = (vibe or "").strip() or None
        if vibe is not None and vibe not in VIBES:
            raise UserError("Choose one of the vibes offered.", field="vibe")
        try:
            number = int(more or 0)
        except (TypeError, ValueError):
            number = 0
        return cls(name=(name or "")[:200], feel=feel, vibe=vibe, more=max(0, min(number, MAX_MORE)))


def suggestions(request: NameRequest) -> Suggestions:
    try:
        return suggest(request.name, request.feel, request.vibe, request.more)
    except NicknameInputError as error:
        raise UserError(str(error), field="name") from None


def _token() -> str:
    return secrets.token_urlsafe(9)  # 12 characters, 72 random bits


def current_nickname(user: User) -> Nickname | None:
    return db.session.scalar(
        select(Nickname)
        .where(Nickname.user_id == user.id, Nickname.current)
        .order_by(Nickname.id.desc())
        .limit(1)
    )


@transaction()
def pick(
    user: User, request: NameRequest, index: int, now: datetime, keep_old_pages: bool = True
) -> Nickname:
    """Take suggestion `index` of the batch `request` gives: it becomes the learner's display name and gets
    a share page. An earlier nickname stops being current; its page stays up unless the learner retires
    it. Moves the welcome flow on to the goals step. The same pick sent again (a double click, two tabs)
    finds it current already and changes nothing; at most one nickname is current (a unique index)."""
    items = suggestions(request).items
    if not 0 <= index < len(items):
        raise UserError("That suggestion is no longer on offer. Pick one from the list.", field="pick")
    chosen: Suggestion = items[index]
    lock_for_write(user.id)  # a second copy waits here, then finds the first one's nickname
    current = current_nickname(user)
    if current is not None and (current.hanzi, current.pinyin, current.kind) == (
        chosen.hanzi,
        chosen.pinyin,
        chosen.kind,
    ):
        if not keep_old_pages:
            db.session.execute(
                update(Nickname).where(Nickname.user_id == user.id, ~Nickname.current).values(public=False)
            )
        return current
    old_values = {"current": False}
    if not keep_old_pages:
        old_values["public"] = False
    db.session.execute(
        update(Nickname).where(Nickname.user_id == user.id, Nickname.current).values(**old_values)
    )
    nickname = Nickname(
        user_id=user.id,
        hanzi=chosen.hanzi,
        pinyin=chosen.pinyin,
        kind=chosen.kind,
        details=chosen.to_dict(),
        share_token=_token(),
        public=True,
        current=True,
        created_at=now,
    )
    db.session.add(nickname)
    user.display_name = chosen.hanzi
    if user.onboarding_step == "nickname":
        user.onboarding_step = "goals"
    return nickname


@transaction()
def skip_to(user: User, step: str) -> None:
    """Skip ahead: from the nickname to the goals, or out of the flow ("done")."""
    if step not in STEPS:
        raise UserError("There is no such step.")
    if STEPS.index(step) > STEPS.index(user.onboarding_step if user.onboarding_step in STEPS else "done"):
        user.onboarding_step = step


def studies_a_deck(user: User) -> bool:
    """Already studying something (a class's decks, joined at sign-up): the topics become optional."""
    return (
        db.session.scalar(
            select(Enrollment.deck_id).where(Enrollment.user_id == user.id, Enrollment.active).limit(1)
        )
        is not None
    )


@transaction()
def set_goals(user: User, topics: list[str], goal: str, now: datetime) -> list[Deck]:
    """Enroll in the starter deck of each topic chosen and set the daily number of new cards; the welcome
    is then done. No topic is fine for a learner who already studies a deck (their class's)."""
    chosen = [topic for topic in TOPICS if topic in set(topics)]
    if not chosen and not studies_a_deck(user):
        raise UserError("Pick at least one thing to learn.", field="topics")
    if goal not in GOALS:
        raise UserError("Pick a daily goal.", field="goal")
    slugs = [TOPICS[topic][2] for topic in chosen]
    present = set(db.session.scalars(select(Deck.slug).where(Deck.slug.in_(slugs))))
    missing = [slug for slug in slugs if slug not in present]
    if missing:
        raise UserError(
            "Those decks aren't installed yet. Ask an admin to run `flask decks load`.", field="topics"
        )
    user.new_per_day = GOALS[goal][1]
    user.onboarding_step = "done"
    decks = [enroll(user, slug, now) for slug in slugs]
    return decks
