"""What a teacher types into the deck editor, cleaned: a deck's settings (`DeckFields`, `deck_values`,
its address `slug_for`) and an entry's fields (`EntryFields`, `entry_data`, its key `new_key`), through the
content cleaning rules shared with deck files and imports."""

from __future__ import annotations

import re
import secrets
import string
import unicodedata
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select

from learnapp.content.cleaning import EntryInput as EntryFields
from learnapp.content.cleaning import check_entry
from learnapp.content.entry import CATEGORIES, LEVELS, MAX_LENGTH, MAX_TEXT, EntryData
from learnapp.content.text import FieldProblem
from learnapp.errors import UserError
from learnapp.extensions import db
from learnapp.forms import clean, clean_line
from learnapp.models import VISIBILITIES, Deck

__all__ = [
    "EDITOR_CARD_KINDS",
    "DeckFields",
    "EntryFields",
    "deck_values",
    "entry_data",
    "new_key",
    "refuse",
    "slug_for",
]

# Kinds a teacher's deck can make. "send" needs a curated situation per entry: deck files only.
EDITOR_CARD_KINDS = ("recognize", "recall", "context")
_KEY_ALPHABET = string.ascii_lowercase + string.digits
_SLUG_PART = re.compile(r"[^a-z0-9]+")
# The order of the entry form's fields: the first problem in it is the one shown.
_FORM_ORDER = (
    "headword",
    "pinyin",
    "spoken",
    "meaning",
    "literal",
    "notes",
    "example_zh",
    "example_pinyin",
    "example_en",
    "tags",
)


@dataclass(frozen=True)
class DeckFields:
    title: str
    description: str = ""
    category: str = "mandarin"
    level: int = 1
    visibility: str = "private"
    card_kinds: tuple[str, ...] = ("recognize", "recall")


# ---- cleaning input -------------------------------------------------------------------------------


def refuse(problem: FieldProblem) -> UserError:
    return UserError(problem.sentence, field=problem.field if problem.field in _FORM_ORDER else None)


def entry_data(fields: EntryFields, key: str, position: int, send: dict[str, str] | None = None) -> EntryData:
    """Validated entry data from what the teacher typed, by the content cleaning rules; the first problem
    in the form's order is a UserError beside its field. `send` is kept from the entry being edited."""
    checked = check_entry(replace(fields, key=key), position)
    if checked.problems:
        raise refuse(
            min(checked.problems, key=lambda p: _FORM_ORDER.index(p.field) if p.field in _FORM_ORDER else 99)
        )
    return replace(checked.entry, send=checked.entry.send or send)


def deck_values(fields: DeckFields) -> dict[str, Any]:
    title = clean_line(fields.title, MAX_LENGTH["title"], "title", "The title")
    if not title:
        raise UserError("Give the deck a title.", field="title")
    if fields.category not in CATEGORIES:
        raise UserError("Pick a category from the list.", field="category")
    if fields.level not in LEVELS:
        raise UserError("The level is a number from 1 to 9.", field="level")
    if fields.visibility not in VISIBILITIES:
        raise UserError("Pick who can see the deck.", field="visibility")
    kinds = tuple(kind for kind in EDITOR_CARD_KINDS if kind in fields.card_kinds)
    if not kinds or len(kinds) != len(set(fields.card_kinds)):
        raise UserError("Pick at least one kind of card.", field="card_kinds")
    return {
        "title": title,
        "description": clean(fields.description, MAX_TEXT, "description", "The description"),
        "category": fields.category,
        "level": fields.level,
        "visibility": fields.visibility,
        "card_kinds": list(kinds),
    }


def slug_for(title: str) -> str:
    """The title in lowercase ASCII plus a random suffix: "Café words!" -> "cafe-words-x7k2qa"."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    base = _SLUG_PART.sub("-", ascii_title).strip("-")[:50].strip("-") or "deck"
    while True:
        slug = f"{base}-{''.join(secrets.choice(_KEY_ALPHABET) for _ in range(6))}"
        if db.session.scalar(select(Deck.id).where(Deck.slug == slug)) is None:
            return slug


def new_key(taken: set[str]) -> str:
    """A short random entry key, unique in its deck: the entry's id for good."""
    while True:
        key = "".join(secrets.choice(_KEY_ALPHABET) for _ in range(8))
        if key not in taken:
            return key
