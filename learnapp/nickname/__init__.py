"""nickname: Chinese nicknames for a learner's English name (pure; see generator.py)."""

from learnapp.nickname.generator import (
    FEELS,
    KINDS,
    NON_LATIN_NOTE,
    VIBES,
    NameChar,
    NicknameInputError,
    Suggestion,
    Suggestions,
    normalize_name,
    problems,
    suggest,
)

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
