"""Tags: a tag is one word, lowercase. Pure.

Typed tags (the editor's field, a CSV cell) are separated by spaces, commas or semicolons (Chinese ones
too); a tag of two words is written with a hyphen (street-food). A deck file's list must hold such words.
At most `MAX_TAGS`, each at most `MAX_TAG_LENGTH` characters; repeats are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from learnapp.content.entry import MAX_TAG_LENGTH, MAX_TAGS, MAX_TEXT
from learnapp.content.text import FieldProblem, clean_text, problem

_TAG_SEPARATORS = re.compile(r"[\s,;，；、]+")


def split_tags(text: str) -> tuple[str, ...]:
    """Tags separated by spaces, commas or semicolons (Chinese ones too), lowercased, repeats dropped."""
    seen: list[str] = []
    for tag in _TAG_SEPARATORS.split(text.strip()):
        tag = tag.lower()
        if tag and tag not in seen:
            seen.append(tag)
    return tuple(seen)


def tag_word(tag: str) -> str:
    """A tag as one word: runs of spaces and separators inside it become "-" (street food -> street-food)."""
    return _TAG_SEPARATORS.sub("-", tag.strip())


def clean_tags(value: str | Sequence[str]) -> tuple[tuple[str, ...], list[FieldProblem]]:
    """Typed tags (a string) or a deck file's list, as tags, and the problems with them."""
    problems: list[FieldProblem] = []
    words: list[str] = []
    if isinstance(value, str):
        text, trouble = clean_text(value, "tags", multiline=True, limit=MAX_TEXT)
        if trouble:
            return (), [trouble]
        words = list(split_tags(text))
    else:
        for item in value:
            text, trouble = clean_text(item, "tags", multiline=True, limit=None)
            if trouble:
                return (), [trouble]
            if _TAG_SEPARATORS.search(text):
                problems.append(
                    problem(
                        "tags",
                        "tags",
                        f"a tag is one word: write {tag_word(text).lower()!r} for {text!r}",
                        f"A tag is one word: write {tag_word(text).lower()} for {text}.",
                    )
                )
                continue
            if text.lower() not in words:
                words.append(text.lower())
    if len(words) > MAX_TAGS:
        problems.append(
            problem("tags", "tags", f"{len(words)} tags; at most {MAX_TAGS}", f"At most {MAX_TAGS} tags.")
        )
    long_tags = [tag for tag in words if len(tag) > MAX_TAG_LENGTH]
    if long_tags:
        problems.append(
            problem(
                "tags",
                "tags",
                f"tags longer than {MAX_TAG_LENGTH} characters: {', '.join(long_tags)}",
                f"A tag is longer than {MAX_TAG_LENGTH} characters: {long_tags[0][:20]}…",
            )
        )
    return tuple(words), problems
