"""Lining up what was typed with the expected syllables, and saying plainly what is wrong."""

from __future__ import annotations

import re

from learnapp.chinese.checker.expected import Form, example, forms
from learnapp.chinese.checker.model import (
    AGAIN,
    GOOD,
    TONE_NAMES,
    Check,
    Expected,
    Pair,
    Reading,
    SyllableMark,
    Typed,
)
from learnapp.chinese.checker.typed import clean, read
from learnapp.chinese.syllables import NEUTRAL, mark

_HTML = re.compile(r"<\s*/?\s*[a-z!?][^<>]*>|&(#\d+|#x[0-9a-f]+|[a-z]+);", re.IGNORECASE)
_VOWEL_START = frozenset("aoe") | {mark(vowel, tone) for vowel in "aoe" for tone in (1, 2, 3, 4)}
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def _tone_ok(typed: Typed, expected: Expected) -> bool:
    if expected.literal:
        return True
    return (NEUTRAL if typed.tone is None else typed.tone) in expected.allowed


def _same(typed: Typed, expected: Expected) -> bool:
    return typed.base == expected.base and (not typed.junk or expected.literal)


def _pair_cost(typed: Typed, expected: Expected) -> int:
    if _same(typed, expected):
        return 0 if _tone_ok(typed, expected) else 1
    return 4


def align(typed: list[Typed], expected: list[Expected]) -> tuple[int, list[Pair]]:
    """Edit-distance alignment: pairs (typed index, expected index), None for an extra or missing one.
    Costs: right 0, wrong tone 1, wrong syllable 4, extra or missing 3 (so a wrong syllable is a
    substitution, and a syllable is paired with the same syllable before any other)."""
    rows, cols = len(typed), len(expected)
    table = [[0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(1, rows + 1):
        table[i][0] = 3 * i
    for j in range(1, cols + 1):
        table[0][j] = 3 * j
    for i in range(1, rows + 1):
        for j in range(1, cols + 1):
            table[i][j] = min(
                table[i - 1][j - 1] + _pair_cost(typed[i - 1], expected[j - 1]),
                table[i - 1][j] + 3,
                table[i][j - 1] + 3,
            )
    pairs: list[Pair] = []
    i, j = rows, cols
    # Walking back from the end, a tie goes to a missing or extra syllable, so that what was typed is
    # paired with the syllables at the start of the word ("zzz" for xiè xie: xiè wrong, xie missing).
    while i > 0 or j > 0:
        if j > 0 and table[i][j] == table[i][j - 1] + 3:
            pairs.append((None, j - 1))
            j -= 1
        elif i > 0 and table[i][j] == table[i - 1][j] + 3:
            pairs.append((i - 1, None))
            i -= 1
        else:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
    pairs.reverse()
    return table[rows][cols], pairs


def _ordinal(index: int, count: int) -> str:
    if count == 1:
        return "It"
    name = _ORDINALS[index] if index < len(_ORDINALS) else f"number {index + 1}"
    return f"The {name} syllable"


def _describe(expected: Expected) -> str:
    if expected.literal:
        return expected.base
    text = f"{expected.marked} with the {TONE_NAMES[expected.citation]}"
    if expected.spoken != expected.citation:
        spoken = mark(expected.base, expected.spoken)
        text += f" (said {spoken}, {TONE_NAMES[expected.spoken]}, in this word)"
    return text


def _describe_typed(typed: Typed) -> str:
    if typed.junk:
        return typed.base
    if typed.tone is None:
        return f"{typed.base} with no tone"
    return f"{typed.display} ({TONE_NAMES[typed.tone]})"


def _hint(typed: Typed, expected: Expected) -> str:
    if "ü" in expected.base and typed.base == expected.base.replace("ü", "u"):
        tone = "" if expected.citation == NEUTRAL else str(expected.citation)
        return f"; {expected.marked} has ü, typed as v or u: ({expected.base.replace('ü', 'v')}{tone})"
    if expected.erhua and typed.base == expected.base[:-1]:
        return f"; {expected.marked} ends in the erhua r of 儿"
    if typed.base == expected.base + "r":
        return f"; {expected.marked} has no erhua r"
    return ""


def _joined(syllables: list[str]) -> str:
    """Syllables written as one word, with an apostrophe before a, o or e (xī'ān)."""
    out = ""
    for syllable in syllables:
        if out and syllable[:1] in _VOWEL_START:
            out += "'"
        out += syllable
    return out


def _typing_example(expected: list[Expected]) -> str:
    """How to type the answer: "xie4xie or xièxie"."""
    numbered = "".join(
        e.base.replace("ü", "v") + ("" if e.literal or e.citation == NEUTRAL else str(e.citation))
        for e in expected
    )
    return f"{numbered} or {_joined([e.marked for e in expected])}"


def _written(expected: list[Expected], spoken: bool = False) -> str:
    return " ".join(mark(e.base, e.spoken) if spoken and not e.literal else e.marked for e in expected)


def _bad(expected: list[Expected], message: str, reason: str = "not_pinyin") -> Check:
    marks = tuple(SyllableMark(e.marked, "", "missing") for e in expected)
    return Check("wrong", marks, (), message, AGAIN, None, reason)


def _not_pinyin(reading: Reading, expected: list[Expected], sample: str) -> Check:
    """An answer without a single Latin letter: characters, digits, emoji."""
    if "hanzi" in reading.kinds:
        return _bad(expected, f"Type the pinyin, not the characters: for example {sample}.")
    if reading.kinds & {"digit", "bad_digit"} and not reading.kinds - {"digit", "bad_digit"}:
        return _bad(
            expected, f"Type each syllable's letters as well as its tone number, for example {sample}."
        )
    return _bad(expected, f"Type the pinyin in Latin letters, for example {sample}.")


def check(typed: str, citation: str, spoken: str = "") -> Check:
    """Grade `typed` against a word read `citation` (our written form: "xiè xie"), `spoken` being its
    spoken form when tone sandhi changes it ("" otherwise)."""
    typed = typed if isinstance(typed, str) else ""
    word_forms = forms(citation or "", spoken or "")
    expected = word_forms[0][0]
    if not expected:
        return Check("wrong", (), (), "There is no pinyin to check this answer against.", AGAIN, None)
    sample = example(expected)
    text, too_long = clean(typed)
    if not text:
        return _bad(
            expected, f"Nothing typed: the answer is below. Type the pinyin, for example {sample}.", "empty"
        )
    if _HTML.search(text):
        return _bad(expected, f"That looks like HTML. Type just the pinyin, for example {sample}.")
    if too_long:
        return _bad(
            expected, f"That is far too long. Type just the pinyin of this word, for example {sample}."
        )
    heads = frozenset(e.base[:-1] for items, _ in word_forms for e in items if e.erhua)
    bases = frozenset(e.base for items, _ in word_forms for e in items)
    reading = read(text, bases, heads)
    if not reading.any_letters:
        return _not_pinyin(reading, expected, sample)
    return _best_grade(reading, word_forms, spoken or "")


def _best_grade(reading: Reading, word_forms: list[Form], spoken: str) -> Check:
    """Grade against whichever form (citation or spoken) the answer is closer to."""
    best: tuple[int, list[Pair], list[Expected], str | None] | None = None
    for items, form in word_forms:
        cost, pairs = align(reading.syllables, items)
        if best is None or cost < best[0]:
            best = (cost, pairs, items, form)
    assert best is not None  # there is always at least one form
    _, pairs, items, form = best
    return _Grader(reading, items).grade(pairs, form, spoken)


class _Grader:
    """One answer against one form of the word: the marks, then the message."""

    def __init__(self, reading: Reading, items: list[Expected]) -> None:
        self.reading = reading
        self.items = items
        self.count = len(items)
        self.marks: list[SyllableMark | None] = [None] * len(items)
        self.extra: list[str] = []
        self.problems: list[tuple[int, str]] = []
        self.tone_problems: list[tuple[int, str]] = []
        self.all_citation = True

    def pair(self, typed_index: int | None, expected_index: int | None) -> None:
        if expected_index is None:
            if typed_index is not None:
                self.extra.append(self.reading.syllables[typed_index].display)
            return
        e, item = expected_index, self.items[expected_index]
        where = _ordinal(e, self.count)
        if typed_index is None:
            self.marks[e] = SyllableMark(item.marked, "", "missing")
            self.problems.append((e, f"{where} is missing: {_describe(item)}."))
            return
        got = self.reading.syllables[typed_index]
        if not _same(got, item):
            self.marks[e] = SyllableMark(item.marked, got.display, "syllable")
            typed_text = _describe_typed(got) + _hint(got, item)
            self.problems.append((e, f"{where} is {_describe(item)}: you typed {typed_text}."))
        elif _tone_ok(got, item):
            self.marks[e] = SyllableMark(item.marked, got.display, "right")
            if not item.literal and (NEUTRAL if got.tone is None else got.tone) != item.citation:
                self.all_citation = False
        else:
            self.marks[e] = SyllableMark(item.marked, got.display, "tone")
            said = _describe_typed(got)
            self.tone_problems.append((e, f"{where} is {_describe(item)}: you typed {said}."))

    def grade(self, pairs: list[Pair], form: str | None, spoken: str) -> Check:
        for typed_index, expected_index in pairs:
            self.pair(typed_index, expected_index)
        final = tuple(m for m in self.marks if m is not None)
        statuses = {m.status for m in final}
        if statuses <= {"right"} and not self.extra:
            if form is None:
                form = "citation" if self.all_citation else "spoken"
            return Check("right", final, (), _right_message(self.items, form), GOOD, form)
        verdict = "wrong_tone" if statuses <= {"right", "tone"} and not self.extra else "wrong"
        reason = self.reason(statuses)
        notes = self.notes(final)  # first: a missing-tones note replaces the tone sentences
        message = " ".join(notes + self.sentences(final, reason))
        if verdict == "wrong":
            answer = _written(self.items)
            said = _written(self.items, spoken=True)
            message += f" The answer is {answer}" + (f" (said {said})." if said != answer else ".")
        return Check(verdict, final, tuple(self.extra), message.strip(), AGAIN, None, reason)

    def unknown(self) -> list[str]:
        """Letters typed that spell no pinyin syllable."""
        return [x.base for x in self.reading.syllables if x.junk and x.kind == "letters"]

    def reason(self, statuses: set[str]) -> str:
        if self.unknown():
            return "unknown"
        if self.extra and statuses <= {"right", "tone"}:
            return "extra"
        return ""

    def notes(self, final: tuple[SyllableMark, ...]) -> list[str]:
        """What to type differently, whatever the word: the characters, symbols, tone numbers."""
        reading, notes = self.reading, []
        unknown = self.unknown()
        if unknown:
            shown = ", ".join(f"“{text}”" for text in unknown[:3])
            verb = "is not a pinyin syllable" if len(unknown) == 1 else "are not pinyin syllables"
            notes.append(f"{shown} {verb}.")
        if "hanzi" in reading.kinds:
            notes.append("Type the pinyin, not the characters.")
        symbols = [x.base for x in reading.syllables if x.junk and x.kind == "symbol"]
        if symbols:
            notes.append(
                f"Leave out {' '.join(symbols)[:20]}: type only letters, tone numbers or tone marks."
            )
        if "digit" in reading.kinds:
            notes.append("A tone number goes right after its syllable, as in xie4.")
        if "bad_digit" in reading.kinds:
            notes.append("Tone numbers are 1 to 4, and 5 (or no number) for the neutral tone.")
        if not reading.any_tone and any(m.status == "tone" for m in final):
            # No tone anywhere: one sentence about tones rather than one per syllable.
            example_text = _typing_example(self.items)
            self.tone_problems = [
                (
                    self.count,
                    f"Add the tones: type a number after each syllable or use tone marks ({example_text}).",
                )
            ]
        elif (
            not reading.any_tone
            and not unknown
            and any(not e.literal and e.citation != NEUTRAL for e in self.items)
        ):
            notes.append("Add the tones too.")
        return notes

    def sentences(self, final: tuple[SyllableMark, ...], reason: str) -> list[str]:
        """Syllable by syllable, in the word's order, then what was typed beyond it (at most four)."""
        sentences = [
            sentence for _, sentence in sorted(self.problems + self.tone_problems, key=lambda p: p[0])
        ]
        symbols = {x.base for x in self.reading.syllables if x.junk and x.kind == "symbol"}
        extra = [text for text in self.extra if text not in symbols]  # symbols have their own note
        if extra:
            word = "syllable" if len(extra) == 1 else "syllables"
            start = "Every syllable of the word is there, but you" if reason == "extra" else "You"
            if reason == "extra" and any(m.status == "tone" for m in final):
                start = "You"
            sentences.append(
                f"{start} typed more than the word has: the extra {word} {', '.join(extra[:5])}."
            )
        if len(sentences) > 3:
            sentences = [*sentences[:3], f"And {len(sentences) - 3} more."]
        return sentences


def _right_message(items: list[Expected], form: str) -> str:
    written = _written(items)
    said = _written(items, spoken=True)
    if said == written:
        return f"Right: {written}."
    if form == "citation":
        return f"Right: {written}. In speech it is said {said}."
    return f"Right: {said}, as it is said (the dictionary writes {written})."
