"""nickname: Chinese nicknames for a learner's name (pure: no Flask, no database). See generator.py."""

from learnapp.nickname.generator import suggest
from learnapp.nickname.model import (
    FEELS,
    KINDS,
    NON_LATIN_NOTE,
    VIBES,
    NameChar,
    NicknameInputError,
    Suggestion,
    Suggestions,
)
from learnapp.nickname.reading import normalize_name
from learnapp.nickname.safety import problems

__all__ = [
    "FEELS",
    "KINDS",
    "NON_LATIN_NOTE",
    "VIBES",
    "NameChar",
    "NicknameInputError",
    "Suggestion",
    "Suggestions",
    "normalize_name",
    "problems",
    "suggest",
]
