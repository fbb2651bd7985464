"""What a suggestion is, as the onboarding flow stores it: plain data, no rules.

A suggestion is stored as JSON (`to_dict`) and read back (`from_dict`), so its fields stay plain strings;
the onboarding flow regenerates a batch from its inputs instead of trusting the client's copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FEELS = ("feminine", "masculine", "neutral")
VIBES = ("bright", "calm", "brave", "gentle", "witty", "wise", "warm")
# "sound": the learner's name written in Chinese by sound; "chinese": a Chinese-style name (a surname and
# a given name); "own": the Chinese name the learner typed, offered back with its pinyin.
KINDS = ("sound", "chinese", "own")
NON_LATIN_NOTE = "We could not read that name as Latin letters, so these names are chosen by meaning."


class NicknameInputError(ValueError):
    """The input cannot give suggestions; the message is meant for the learner (the onboarding view puts
    it beside the name field)."""


@dataclass(frozen=True)
class NameChar:
    char: str
    pinyin: str
    meaning: str

    def to_dict(self) -> dict[str, str]:
        return {"char": self.char, "pinyin": self.pinyin, "meaning": self.meaning}


@dataclass(frozen=True)
class Suggestion:
    hanzi: str
    pinyin: str  # tone marks, lowercase, one syllable per character: "ài mǐ lì"
    kind: str  # one of KINDS
    chars: tuple[NameChar, ...]
    why: str  # one line
    story: str  # two or three sentences for a share page

    def to_dict(self) -> dict[str, Any]:
        return {
            "hanzi": self.hanzi,
            "pinyin": self.pinyin,
            "kind": self.kind,
            "chars": [c.to_dict() for c in self.chars],
            "why": self.why,
            "story": self.story,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Suggestion:
        """The inverse of to_dict; ValueError when `data` is not a stored suggestion."""
        if not isinstance(data, dict):
            raise ValueError("a suggestion is a JSON object")
        fields = ("hanzi", "pinyin", "kind", "why", "story")
        if not all(isinstance(data.get(f), str) for f in fields) or not isinstance(data.get("chars"), list):
            raise ValueError("a suggestion needs hanzi, pinyin, kind, why, story (text) and chars (a list)")
        chars = []
        for item in data["chars"]:
            if not isinstance(item, dict) or not all(
                isinstance(item.get(f), str) for f in ("char", "pinyin", "meaning")
            ):
                raise ValueError("each of chars needs char, pinyin and meaning (text)")
            chars.append(NameChar(item["char"], item["pinyin"], item["meaning"]))
        if data["kind"] not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}")
        return cls(
            hanzi=data["hanzi"],
            pinyin=data["pinyin"],
            kind=data["kind"],
            chars=tuple(chars),
            why=data["why"],
            story=data["story"],
        )


@dataclass(frozen=True)
class Suggestions:
    items: tuple[Suggestion, ...]
    note: str | None  # for the learner, e.g. NON_LATIN_NOTE

    def to_dict(self) -> dict[str, Any]:
        return {"items": [s.to_dict() for s in self.items], "note": self.note}
