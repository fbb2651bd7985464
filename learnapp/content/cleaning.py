"""The cleaning rules: what someone typed or uploaded, as an `EntryData`, or what is wrong with it. Pure.

The deck editor, the importer (CSV, TSV and TOML uploads) and deck files all pass their raw fields through
`check_entry`, so the same input gives the same entry, or the same problems, from each. Characters and
lengths: learnapp.content.text (`clean_text`); tags: learnapp.content.tags; pinyin (tone numbers become
tone marks, then the syllables are checked): learnapp.content.pinyin_input.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from learnapp.content.entry import MAX_LENGTH, VERDICTS, EntryData
from learnapp.content.pinyin_input import (
    example_pinyin_problems,
    has_tone_numbers,
    normalize_example_pinyin,
    normalize_pinyin,
    pinyin_problems,
)
from learnapp.content.tags import clean_tags
from learnapp.content.text import FieldProblem, clean_text, problem, required, too_long

_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")
_ASCII_HEADWORD = re.compile(r"^[A-Za-z0-9 _-]+$")
KEY_RULE = "use lowercase letters, digits, '-' and '_' (starting with a letter or digit)"


# ---- keys -------------------------------------------------------------------------------------------


def key_problem(key: str) -> FieldProblem | None:
    """What is wrong with an entry's key (a deck file's id), if anything; "" is for the caller to judge."""
    if len(key) > MAX_LENGTH["key"]:
        return too_long("key", MAX_LENGTH["key"], len(key))
    if key and not _KEY.match(key):
        return problem("key", "key", KEY_RULE)
    return None


def derive_key(headword: str) -> str:
    """A stable key from the headword alone, for an uploaded row without one: a headword of ASCII
    letters, digits, spaces, '-' and '_' is slugged (yyds -> "yyds", "Hello World" -> "hello-world");
    anything else is "h-" and the first 12 hex digits of the SHA-1 of its UTF-8 (你好 -> "h-440ee0853ad1").
    "" for an empty headword."""
    headword = unicodedata.normalize("NFC", headword.strip())
    if not headword:
        return ""
    if _ASCII_HEADWORD.match(headword):
        slug = re.sub(r"[^a-z0-9_]+", "-", headword.lower()).strip("-_")
        if slug and len(slug) <= 60 and _KEY.match(slug):
            return slug
    return "h-" + hashlib.sha1(headword.encode("utf-8"), usedforsecurity=False).hexdigest()[:12]


# ---- an entry ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryInput:
    """An entry's fields as typed or uploaded, before cleaning. Tags are a string as typed, or a deck
    file's list; the send fields are all empty or all filled in."""

    headword: str
    meaning: str
    pinyin: str = ""
    literal: str = ""
    notes: str = ""
    example_zh: str = ""
    example_pinyin: str = ""
    example_en: str = ""
    tags: str | Sequence[str] = ""
    spoken: str = ""
    key: str = ""
    send_situation: str = ""
    send_verdict: str = ""
    send_why: str = ""


@dataclass(frozen=True)
class CheckedEntry:
    entry: EntryData
    problems: list[FieldProblem] = field(default_factory=list)
    tone_numbers: bool = False  # tone numbers were turned into tone marks

    @property
    def ok(self) -> bool:
        return not self.problems

    def first_problem(self) -> FieldProblem | None:
        return self.problems[0] if self.problems else None


_INPUT_ORDER = (
    "key",
    "headword",
    "pinyin",
    "spoken",
    "literal",
    "meaning",
    "notes",
    "example_zh",
    "example_pinyin",
    "example_en",
    "send_situation",
    "send_verdict",
    "send_why",
)


def check_entry(raw: EntryInput, position: int = 0) -> CheckedEntry:
    """Clean every field of `raw` and check the entry as a whole; the entry is built even when there are
    problems (a preview shows it beside them). Pinyin is normalised before it is measured and checked."""
    problems: list[FieldProblem] = []
    values: dict[str, str] = {}
    for name in _INPUT_ORDER:
        value = getattr(raw, name)
        # Pinyin is measured once normalised: tone numbers take more room than marks.
        normalize = name in ("pinyin", "spoken", "example_pinyin")
        text, trouble = clean_text(value, name, limit=None if normalize else MAX_LENGTH[name])
        if trouble:
            problems.append(trouble)
        values[name] = text
    for name in ("headword", "meaning"):
        if not values[name]:
            problems.append(required(name))

    before = (values["pinyin"], values["spoken"], values["example_pinyin"])
    values["pinyin"] = normalize_pinyin(values["pinyin"], values["headword"])
    values["spoken"] = normalize_pinyin(values["spoken"], values["headword"])
    values["example_pinyin"] = normalize_example_pinyin(values["example_pinyin"])
    after = (values["pinyin"], values["spoken"], values["example_pinyin"])
    converted = has_tone_numbers("".join(before)) and before != after
    measured = True
    for name in ("pinyin", "spoken", "example_pinyin"):
        if len(values[name]) > MAX_LENGTH[name]:
            problems.append(too_long(name, MAX_LENGTH[name], len(values[name])))
            measured = False

    tags, tag_problems = clean_tags(raw.tags)
    problems.extend(tag_problems)
    if measured:
        for name, message in pinyin_problems(values["headword"], values["pinyin"], values["spoken"]):
            problems.append(problem(name, "pinyin", message))
        for message in example_pinyin_problems(values["example_zh"], values["example_pinyin"]):
            problems.append(problem("example_pinyin", "pinyin", message))
    send, send_problems = _send(values)
    problems.extend(send_problems)
    trouble = key_problem(values["key"])
    if trouble and not any(p.field == "key" for p in problems):
        problems.append(trouble)
    entry = EntryData(
        key=values["key"],
        position=position,
        headword=values["headword"],
        pinyin=values["pinyin"],
        spoken=values["spoken"],
        literal=values["literal"],
        meaning=values["meaning"],
        notes=values["notes"],
        example_zh=values["example_zh"],
        example_pinyin=values["example_pinyin"],
        example_en=values["example_en"],
        tags=tags,
        send=send,
    )
    return CheckedEntry(entry, problems, converted)


def _send(values: dict[str, str]) -> tuple[dict[str, str] | None, list[FieldProblem]]:
    """The "would you send this?" fields: none, or all three with a known verdict (any case)."""
    names = ("send_situation", "send_verdict", "send_why")
    if not any(values[name] for name in names):
        return None, []
    problems = [
        problem(name, "send", "required when the other send columns are filled in")
        for name in names
        if not values[name]
    ]
    verdict = values["send_verdict"].lower()
    if verdict and verdict not in VERDICTS:
        problems.append(problem("send_verdict", "send", f"must be {', '.join(VERDICTS)}"))
    if any(not values[name] for name in names):
        return None, problems
    return {"situation": values["send_situation"], "verdict": verdict, "why": values["send_why"]}, problems


def kind_problems(entry: EntryData, card_kinds: Sequence[str]) -> list[FieldProblem]:
    """What the deck's kinds of card need of every entry: an example for context cards, a situation for
    "would you send this?" cards."""
    problems = []
    if "context" in card_kinds and not entry.example_zh:
        problems.append(
            FieldProblem(
                "example_zh",
                "context",
                "required: this deck makes 'what does it mean here?' (context) cards",
                "This deck makes context cards: add an example sentence.",
            )
        )
    if "send" in card_kinds and entry.send is None:
        problems.append(
            FieldProblem(
                "send",
                "send",
                "required: this deck makes 'would you send this?' cards",
                "This deck makes 'would you send this?' cards: add a situation, a verdict and why.",
            )
        )
    return problems


class Headwords:
    """Headwords already seen in one deck (a file, an upload): a repeat is a problem naming the line of the
    first. `line_of` turns what the caller passes as `where` into that line, when a repeat needs it (a deck
    file passes an entry's index, and finds its line only then)."""

    def __init__(self, line_of: Callable[[int], int] | None = None) -> None:
        self.first: dict[str, int] = {}
        self.line_of = line_of or (lambda where: where)

    def check(self, headword: str, where: int) -> FieldProblem | None:
        if not headword:
            return None
        if headword in self.first:
            first = self.line_of(self.first[headword])
            return problem(
                "headword",
                "duplicate",
                f"{headword} also on line {first}",
                f"This deck already has {headword}. Edit that entry instead.",
            )
        self.first[headword] = where
        return None
