"""The one place that decides about the characters of a field, and how a problem with a field is told.

`clean_text`: Unicode NFC; CR LF and CR become LF; surrounding whitespace is stripped. Control characters
(U+0000-U+001F, U+007F-U+009F) and the bidirectional embeddings, overrides and isolates (U+202A-U+202E,
U+2066-U+2069), which can make text show in another order than it is stored, are refused with a message
naming the character; tab and line break are allowed in multi-line fields, and in one-line fields runs of
whitespace become one space. The left-to-right and right-to-left marks (U+200E, U+200F) are invisible,
change nothing in our text and come with copied text: they are dropped silently. Zero-width joiners and
variation selectors are kept: emoji need them. Pure.

What a request may bring at all (`refused_in_value`, `refused_in_path`, used by `learnapp/inputs.py` on
every request), what is never shown (`shown_text`, the templates' finalize: controls, bidirectional
formatting and direction marks stripped from whatever a page shows, rows stored before these rules and
deck files included) and what a person's name may look like (`clean_display_name`, `shown_name`: also
without zero-width characters and the Hangul fillers, invisible names' favourite tools; a zero-width joiner
stays only between two emoji, where it makes one picture of them, 👨‍👩‍👧).

A `FieldProblem` names its field and carries two wordings of one verdict: `message` for a file ("longer
than 120 characters (121)"), shown after the file's line and field, and `sentence` for a form ("The word
is longer than 120 characters."), shown beside the field.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import regex

from learnapp.content.entry import SINGLE_LINE

# C0 and C1 controls, DEL, and the bidirectional embedding/override/isolate marks.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_ONE_LINE_BREAKS = re.compile(r"[\t\n]")
_DROPPED = dict.fromkeys(map(ord, "\u200e\u200f"))

# What no request may bring: C0 (but tab, LF, CR) and C1 controls, DEL, the bidirectional embeddings,
# overrides and isolates, and unpaired surrogates (only JSON's \\ud800 escapes can make one). In the path,
# tab, LF and CR too, and the invisible direction marks (no address of ours has one).
_REFUSED_IN_VALUE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_REFUSED_IN_PATH = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
# Never shown: the above (line breaks and tabs are layout, kept), the direction marks, the deprecated
# format characters (U+206A-U+206F) and the interlinear annotation marks (U+FFF9-U+FFFB).
_NEVER_SHOWN = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u206f\ufff9-\ufffb\ud800-\udfff]"
)
# Not in a name either: zero-width space and non-joiner, word joiner, BOM, soft hyphen, the combining
# grapheme joiner, the Mongolian vowel separator, the Hangul fillers, the braille blank; and a zero-width
# joiner unless it joins two emoji (after an emoji, its skin tone or VS16, before an emoji).
_NOT_IN_A_NAME = regex.compile(
    r"[\u200b\u200c\u2060\ufeff\u00ad\u034f\u180e\u115f\u1160\u3164\uffa0\u2800]"
    r"|(?<![\p{Extended_Pictographic}\U0001f3fb-\U0001f3ff\ufe0f])\u200d"
    r"|\u200d(?!\p{Extended_Pictographic})"
)
_CONTROL_NAMES = {"\x00": "a NUL byte", "\t": "a tab", "\n": "a line break", "\r": "a carriage return"}

# How a form names each field in a sentence ("The word is longer than 120 characters.").
LABELS = {
    "key": "The key",
    "headword": "The word",
    "pinyin": "Pinyin",
    "spoken": "The spoken pinyin",
    "literal": "The literal meaning",
    "meaning": "The meaning",
    "notes": "The usage note",
    "example_zh": "The example",
    "example_pinyin": "The example's pinyin",
    "example_en": "The example's translation",
    "tags": "The tags",
    "send_situation": "The situation",
    "send_verdict": "The verdict",
    "send_why": "The reason",
    "slug": "The slug",
    "title": "The title",
    "description": "The description",
    "category": "The category",
    "license": "The licence",
    "attribution": "The attribution",
}
_REQUIRED = {
    "headword": "Enter the word or phrase (hanzi, emoji, or letters).",
    "meaning": "Enter what it means in English.",
    "title": "Give the deck a title.",
}


@dataclass(frozen=True)
class FieldProblem:
    field: str  # the entry's field ("headword", "example_pinyin", "send_verdict", "tags"...)
    rule: str  # which rule: control, length, required, pinyin, tags, send, key, context...
    message: str  # for a file: "longer than 120 characters (121)"
    sentence: str  # for a form: "The word is longer than 120 characters."


def _label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " ").capitalize())


def problem(name: str, rule: str, message: str, sentence: str | None = None) -> FieldProblem:
    """A problem whose form wording, unless given, is the file wording after the field's label."""
    return FieldProblem(name, rule, message, sentence or f"{_label(name)}: {message}.")


def _character_name(char: str) -> str:
    return "a NUL byte" if char == "\x00" else "a control character"


def character_name(char: str) -> str:
    """How a message names a refused character ("a NUL byte", "a right-to-left override")."""
    if char in _CONTROL_NAMES:
        return _CONTROL_NAMES[char]
    if "\ud800" <= char <= "\udfff":
        return "half of a character (an unpaired surrogate)"
    name = unicodedata.name(char, "").lower()
    if not name:
        return "a control character"
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


def refused_in_value(text: str) -> str | None:
    """The first character a query or form value (or JSON string) may not hold, if any."""
    found = _REFUSED_IN_VALUE.search(text)
    return found.group() if found else None


def refused_in_path(text: str) -> str | None:
    """The first character an address may not hold, if any."""
    found = _REFUSED_IN_PATH.search(text)
    return found.group() if found else None


def shown_text(text: str) -> str:
    """`text` without the characters no page shows (see the module docstring)."""
    return text if text.isascii() and text.isprintable() else _NEVER_SHOWN.sub("", text)


def escape_never_shown(encoded_json: str) -> str:
    """JSON text with each character no page shows written as a `\\uXXXX` escape: the same data, nothing
    hidden in it and no unpaired surrogate to break its UTF-8 (JSON has such characters only in strings)."""
    if encoded_json.isascii():
        return encoded_json
    return _NEVER_SHOWN.sub(lambda found: f"\\u{ord(found.group()):04x}", encoded_json)


def clean_display_name(text: str) -> str:
    """A person's name as shown: NFC, nothing invisible (an emoji's own joiner kept), one line, trimmed."""
    text = _NOT_IN_A_NAME.sub("", shown_text(unicodedata.normalize("NFC", text)))
    return " ".join(text.split())


def shown_name(display_name: str | None, username: str) -> str:
    """The name a page shows for an account: its display name, cleaned, else its username."""
    return clean_display_name(display_name or "") or username


def clean_text(
    value: str, name: str, *, limit: int | None, multiline: bool | None = None, label: str | None = None
) -> tuple[str, FieldProblem | None]:
    """One field's text, cleaned (see the module docstring), and the first problem with it, if any:
    a character refused, or more than `limit` characters (None: no limit). `multiline` defaults to
    whether the field is not one of `SINGLE_LINE`; `label` names the field in a sentence ("The name")."""
    if not value:
        return "", None
    one_line = name in SINGLE_LINE if multiline is None else not multiline
    text = value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value
    if not text.isascii():  # ASCII is composed already and has no direction marks
        text = unicodedata.normalize("NFC", text).translate(_DROPPED)
    text = text.strip()
    bad = _CONTROL.search(text) or (_ONE_LINE_BREAKS.search(text) if one_line else None)
    if bad:
        char = bad.group()
        what = _character_name(char)
        message = f"contains {what} (U+{ord(char):04X}); remove it"
        sentence = (
            f"{label or _label(name)} contains {what} (U+{ord(char):04X}), which cannot be shown: remove it."
        )
        return text, FieldProblem(name, "control", message, sentence)
    if one_line:
        text = " ".join(text.split())
    if limit is not None and len(text) > limit:
        return text, too_long(name, limit, len(text), label)
    return text, None


def too_long(name: str, limit: int, length: int, label: str | None = None) -> FieldProblem:
    return FieldProblem(
        name,
        "length",
        f"longer than {limit} characters ({length})",
        f"{label or _label(name)} is longer than {limit} characters.",
    )


def required(name: str) -> FieldProblem:
    return FieldProblem(name, "required", "must not be empty", _REQUIRED.get(name, f"Fill in {name}."))
