"""Tone drills: which two tones a two-syllable word has, citation or spoken."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from learnapp.chinese.checker.expected import expected_items
from learnapp.chinese.checker.model import AGAIN, GOOD, TONE_NAMES


@dataclass(frozen=True, slots=True)
class ToneCheck:
    verdict: str  # "right" | "wrong_tone" | "wrong" (no two-syllable word, or not two tones 1-5)
    chosen: tuple[int, ...]
    expected: tuple[int, int] | None  # citation tones
    spoken: tuple[int, int] | None  # spoken tones when tone sandhi changes them, else None
    message: str
    proposed_rating: int
    matched_form: str | None

    @property
    def right(self) -> bool:
        return self.verdict == "right"


def _pair(pinyin: str) -> tuple[int, int] | None:
    items = [e for e in expected_items(pinyin) if not e.literal]
    if len(items) != 2:
        return None
    return items[0].citation, items[1].citation


def tone_pair(citation: str) -> tuple[int, int] | None:
    """The tones of a two-syllable word (5 = neutral): "nǐ hǎo" -> (3, 3); None for any other length."""
    return _pair(citation or "")


def _tones_text(tones: tuple[int, ...]) -> str:
    return " + ".join(TONE_NAMES.get(t, "?") for t in tones)


def _picked(chosen: Iterable[int | str]) -> tuple[int, ...]:
    try:
        return tuple(int(t) for t in chosen)
    except (TypeError, ValueError):
        return ()


def check_tones(chosen: tuple[int, ...], citation: str, spoken: str = "") -> ToneCheck:
    """A tone drill answer: right when `chosen` is the citation tones or the spoken ones (each syllable
    may follow either, as in `check`)."""
    picked = _picked(chosen)
    expected = tone_pair(citation)
    said = _pair(spoken or "") if spoken else None
    if said == expected:
        said = None
    if expected is None:
        return ToneCheck("wrong", picked, None, None, "This is not a two-syllable word.", AGAIN, None)
    answer = f"{citation} is {_tones_text(expected)}" + (
        f" (said {spoken}: {_tones_text(said)})" if said else ""
    )
    if len(picked) != 2 or any(t not in TONE_NAMES for t in picked):
        return ToneCheck(
            "wrong", picked, expected, said, f"Pick two tones from 1 to 5. {answer}.", AGAIN, None
        )
    allowed = [{expected[i]} | ({said[i]} if said else set()) for i in range(2)]
    if all(picked[i] in allowed[i] for i in range(2)):
        form = "citation" if picked == expected else "spoken"
        return ToneCheck("right", picked, expected, said, f"Right: {answer}.", GOOD, form)
    message = f"Not quite: {answer}; you chose {_tones_text(picked)}."
    return ToneCheck("wrong_tone", picked, expected, said, message, AGAIN, None)
