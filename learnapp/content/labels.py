"""Label tags: the three tags that warn a learner before they use a word. Pure: no Flask, no database.

A curated entry carries `dated`, `vulgar` or `sensitive` in its tags where it applies; cards and the wiki
show them as small labels with the explanation below. `decks validate` accepts only these exact
spellings: a tag that looks like one of them (Dated, outdated, old-fashioned, profanity...) is an error,
so that no entry is labelled in a way the templates do not recognise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from learnapp.content.deckfile import Problem
from learnapp.content.readings import entry_tables

# tag -> what the label tells the learner (shown on hover and focus, and read by screen readers).
LABELS: dict[str, str] = {
    "dated": "Its heyday has passed: people still know it, but using it now sounds out of date, or ironic.",
    "vulgar": "Crude, or built on a swear word: fine among close friends, not with elders, at work or "
    "with people you don't know.",
    "sensitive": "Touches politics, censorship or another touchy subject: be sure what it means before you "
    "use it, and use it with care.",
}

# Spellings that mean one of the labels but are not it.
_LOOKALIKES: dict[str, str] = {
    "outdated": "dated",
    "oldfashioned": "dated",
    "obsolete": "dated",
    "archaic": "dated",
    "oldschool": "dated",
    "crude": "vulgar",
    "profanity": "vulgar",
    "profane": "vulgar",
    "swearing": "vulgar",
    "swearword": "vulgar",
    "nsfw": "vulgar",
    "vulgarity": "vulgar",
    "sensitivity": "sensitive",
    "censored": "sensitive",
    "political": "sensitive",
}
_STEMS = {"dated": "dated", "vulgar": "vulgar", "sensitiv": "sensitive"}


@dataclass(frozen=True)
class Label:
    tag: str
    explanation: str


def entry_labels(tags: Iterable[object] | None) -> list[Label]:
    """The labels among an entry's tags, in the order of LABELS (for the templates)."""
    present = {str(tag) for tag in tags or ()}
    return [Label(tag, text) for tag, text in LABELS.items() if tag in present]


def lookalike(tag: str) -> str | None:
    """The label `tag` was meant to be, when it is not exactly that label; None for other tags."""
    if tag in LABELS:
        return None
    letters = re.sub(r"[^a-z]", "", tag.lower())
    if letters in _LOOKALIKES:
        return _LOOKALIKES[letters]
    for stem, label in _STEMS.items():
        if stem in letters:
            return label
    return None


def label_problems(text: str, path: str) -> list[Problem]:
    """Tags of a deck file's entries that look like a label tag but are not spelt as one."""
    problems: list[Problem] = []
    for table, start, keys in entry_tables(text):
        tags = table.get("tags", [])
        if not isinstance(tags, list):
            continue  # deckfile reports it
        for tag in tags:
            if not isinstance(tag, str):
                continue
            meant = lookalike(tag.strip())
            if meant:
                problems.append(
                    Problem(
                        path,
                        keys.get("tags", start),
                        "tags",
                        f"{table.get('id', '?')}: {tag!r} is not a label tag; write {meant!r} "
                        f"(the labels are {', '.join(LABELS)})",
                    )
                )
    return problems
