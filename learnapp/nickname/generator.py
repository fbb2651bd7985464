"""`suggest(name, feel, vibe, more)`: 3 to 5 Chinese nicknames for a learner, each explained.

In order: the Chinese name the learner typed, if any (own.py); their name written by sound (sound.py),
unless it is a Korean or Vietnamese given name, which has characters of its own (a note says so); then
Chinese-style names (chinese_style.py). Every one passes safety.problems().

Choices are deterministic (sha256 of the inputs, never hash() or an unseeded random), because the
onboarding flow regenerates a batch on the server from its inputs and the index picked.
"""

from __future__ import annotations

from learnapp.nickname.chinese_style import chinese_suggestions
from learnapp.nickname.model import (
    FEELS,
    NON_LATIN_NOTE,
    VIBES,
    NicknameInputError,
    Suggestion,
    Suggestions,
)
from learnapp.nickname.own import own_name
from learnapp.nickname.reading import read_name
from learnapp.nickname.safety import problems
from learnapp.nickname.sound import own_characters_note, sound_suggestion

NO_SURNAME_NOTE = (
    "We could not find a Chinese surname at the start of {hanzi}, so these names are chosen by meaning."
)


def _check_choice(value: object, allowed: tuple[str, ...], what: str) -> str | None:
    """`value` as one of `allowed` (case and spaces forgiven); None for None or blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str) or value.strip().lower() not in allowed:
        raise NicknameInputError(f"Unknown {what} {value!r}: choose one of {', '.join(allowed)}.")
    return value.strip().lower()


def suggest(name: str, feel: str | None = "neutral", vibe: str | None = None, more: int = 0) -> Suggestions:
    """3 to 5 suggestions for `name`. `more` (0, 1, 2, ...) asks for another batch. A feel of None is
    neutral; a vibe of None lets each name take its own. NicknameInputError (a ValueError the onboarding
    view shows beside the name field) for an empty name, an unknown feel or vibe, or a negative `more`;
    any other input, in any script and of any length, gets suggestions."""
    if not isinstance(name, str) or not name.strip():
        raise NicknameInputError("Type your name, for example Emily.")
    checked_feel = _check_choice(feel, FEELS, "feel") or "neutral"
    checked_vibe = _check_choice(vibe, VIBES, "vibe")
    if isinstance(more, bool) or not isinstance(more, int) or more < 0:
        raise NicknameInputError("Ask for more with 0, 1, 2, ...")
    typed = read_name(name)
    items: list[Suggestion] = []
    note: str | None = None
    own_surname = ""
    if typed.hanzi:
        own = own_name(typed.hanzi)
        own_surname = own.surname
        if own.suggestion is not None:
            items.append(own.suggestion)
        note = own.note
        if not own.surname and not typed.latin:
            note = NO_SURNAME_NOTE.format(hanzi=typed.hanzi)
    own_characters = own_characters_note(typed)
    if own_characters:  # a Korean or Vietnamese given name has characters of its own: not sounded out
        if not typed.hanzi:  # (a learner who typed them has them offered back first)
            note = own_characters
    elif typed.latin:
        sound = sound_suggestion(typed, checked_feel, more)
        if sound is not None and not problems(sound) and sound.hanzi not in {s.hanzi for s in items}:
            items.append(sound)
    elif not typed.hanzi:
        note = NON_LATIN_NOTE
    count = max(2, 4 - len(items)) if items else 4
    taken = {s.hanzi for s in items}
    items += chinese_suggestions(typed, checked_feel, checked_vibe, (more, count), taken, own_surname)
    return Suggestions(items=tuple(items), note=note)
