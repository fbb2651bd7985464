"""The checker's values: what a check returns (`Check`, `SyllableMark`), and its own working parts (the
expected syllables, the typed ones)."""

from __future__ import annotations

from dataclasses import dataclass

from learnapp.chinese.syllables import NEUTRAL, mark

MAX_CHARS = 200  # only this much of an answer is read
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
TONE_NAMES = {1: "1st tone", 2: "2nd tone", 3: "3rd tone", 4: "4th tone", NEUTRAL: "neutral tone"}

# Why an answer that is not right is not right, when one plain reason says it best (the feedback's
# headline): nothing typed, something other than pinyin, letters that are no pinyin syllable, or the right
# syllables with more after them. "" when the syllable-by-syllable marks tell the story.
REASONS = ("", "empty", "not_pinyin", "unknown", "extra")


@dataclass(frozen=True, slots=True)
class SyllableMark:
    expected: str  # the expected syllable, tone-marked (citation form)
    typed: str  # what was typed for it, tone-marked; "" when missing
    status: str  # "right" | "tone" | "syllable" | "missing"


@dataclass(frozen=True, slots=True)
class Check:
    verdict: str  # "right" | "wrong_tone" | "wrong"
    marks: tuple[SyllableMark, ...]  # one per expected syllable
    extra: tuple[str, ...]  # what was typed beyond the expected syllables
    message: str
    proposed_rating: int  # FSRS: 1 Again, 3 Good (see the package docstring)
    matched_form: str | None  # "citation" | "spoken" when right, else None
    reason: str = ""  # one of REASONS

    @property
    def right(self) -> bool:
        return self.verdict == "right"

    @property
    def answered(self) -> bool:
        """False when nothing was typed: "no answer", not a wrong one."""
        return self.reason != "empty"


@dataclass(frozen=True, slots=True)
class Expected:
    """One syllable of the answer."""

    base: str  # toneless, ü as ü, erhua r included; a Latin word (CP) when literal
    citation: int
    allowed: frozenset[int]  # the citation tone and the spoken one
    erhua: bool = False
    literal: bool = False
    shown: str = ""  # a literal word as written (CP)

    @property
    def marked(self) -> str:
        if self.literal:
            return self.shown or self.base
        return mark(self.base, self.citation)

    @property
    def spoken(self) -> int:
        other = self.allowed - {self.citation}
        return next(iter(other)) if other else self.citation


@dataclass(frozen=True, slots=True)
class Typed:
    """One syllable as typed, or a stretch of something that is not pinyin (`junk`)."""

    base: str  # toneless, ü as ü; for junk, the text as typed
    tone: int | None  # 1-5, None when no tone was typed
    junk: bool = False
    kind: str = ""  # for junk: "letters", "hanzi", "digit", "bad_digit", "symbol"

    @property
    def display(self) -> str:
        if self.junk or self.tone is None:
            return self.base
        return mark(self.base, self.tone)


@dataclass
class Reading:
    """Everything typed, read: its syllables and junk in order, and what kinds of junk were seen."""

    syllables: list[Typed]
    kinds: set[str]  # kinds of junk seen: "hanzi", "symbol", "digit", "bad_digit", "letters"
    any_letters: bool
    any_tone: bool


Pair = tuple[int | None, int | None]  # (typed index, expected index); None for an extra or missing one
