"""Reading what the learner typed: cleaned (NFKC, invisible characters dropped), then cut into syllables
with their tones, and everything that is not pinyin kept as junk of its kind."""

from __future__ import annotations

import unicodedata
from functools import cache

from learnapp.chinese.checker.model import MAX_CHARS, Reading, Typed
from learnapp.chinese.syllables import NEUTRAL, has_hanzi, mark, valid_syllables

MARKED = {mark(vowel, tone): (vowel, tone) for vowel in "aeiouü" for tone in (1, 2, 3, 4)}
PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzü")
SEPARATORS = frozenset(" '’‘`´-_.,;:!?/\\()[]{}\"“”·。，、；：！？…")
_DROPPED = ("Cc", "Cf", "Co", "Cn", "Cs", "Mn", "Me")

Letter = tuple[str, str, int | None]  # (letter, as typed, tone of its mark)
Cost = tuple[int, int, int]  # (left-over letters, syllables the word lacks, syllables)
Step = tuple[Cost, int, str | None]  # (cost so far, where the last piece starts, its syllable or None)


@cache
def _valid() -> frozenset[str]:
    return frozenset(s for s in valid_syllables() if set(s) <= PLAIN)


def canonical(piece: str) -> str | None:
    """The syllable `piece` spells (ü as ü), allowing ju/jü, lue/lüe and erhua (dianr); None if none."""
    valid = _valid()
    if piece in valid:
        return piece
    if piece[0] in "jqxy" and "ü" in piece and piece.replace("ü", "u") in valid:
        return piece.replace("ü", "u")
    if piece in ("lue", "nue"):
        return piece[0] + "üe"
    if len(piece) > 1 and piece.endswith("r") and piece != "er":
        head = canonical(piece[:-1])
        if head is not None and head != "er":
            return head + "r"
    return None


def clean(typed: str) -> tuple[str, bool]:
    """NFKC, invisible characters dropped, whitespace as spaces, lower case, u:/v as ü; and whether the
    answer was longer than MAX_CHARS (only that much is kept)."""
    text = unicodedata.normalize("NFKC", typed[: MAX_CHARS * 4])
    kept = []
    for char in text:
        if char.isspace():
            kept.append(" ")
        elif unicodedata.category(char) not in _DROPPED:
            kept.append(char)
    text = unicodedata.normalize("NFC", "".join(kept)).strip()
    too_long = len(text) > MAX_CHARS or len(typed) > MAX_CHARS * 4
    text = text[:MAX_CHARS].lower().replace("u:", "ü").replace("v", "ü")
    return text, too_long


def _best_cuts(text: str, expected: frozenset[str]) -> list[tuple[int, int, str | None]]:
    """The cheapest way to cut `text` into syllables and left-over letters, as (start, end, syllable)."""
    size = len(text)
    best: list[Step | None] = [None] * (size + 1)
    best[0] = ((0, 0, 0), 0, None)
    for end in range(1, size + 1):
        for start in range(max(0, end - 7), end):
            head = best[start]
            if head is None:
                continue
            junk, unexpected, count = head[0]
            base = canonical(text[start:end])
            if base is not None:
                cost = (junk, unexpected + (base not in expected), count + 1)
            elif end - start == 1:
                cost = (junk + 1, unexpected, count + 1)
            else:
                continue
            current = best[end]
            if current is None or cost < current[0]:
                best[end] = (cost, start, base)
    pieces: list[tuple[int, int, str | None]] = []
    end = size
    while end > 0:
        step = best[end]
        assert step is not None  # every single letter is a piece, so every end is reached
        pieces.append((step[1], end, step[2]))
        end = step[1]
    pieces.reverse()
    return pieces


def segment(letters: list[Letter], digit: int | None, expected: frozenset[str]) -> list[Typed]:
    """One run of letters cut into syllables: no letters left over if possible, then the most syllables
    the expected word has, then the fewest syllables. A digit typed after the run is the tone of its last
    syllable."""
    pieces = _best_cuts("".join(letter for letter, _, _ in letters), expected)
    out: list[Typed] = []
    for number, (start, end, base) in enumerate(pieces):
        marks = [tone for _, _, tone in letters[start:end] if tone is not None]
        last = number == len(pieces) - 1
        if base is None:
            raw = "".join(original for _, original, _ in letters[start:end])
            if out and out[-1].junk and out[-1].kind == "letters":
                out[-1] = Typed(out[-1].base + raw, None, junk=True, kind="letters")
            else:
                out.append(Typed(raw, None, junk=True, kind="letters"))
            if last and digit is not None:
                out[-1] = Typed(out[-1].base + str(digit), None, junk=True, kind="letters")
            continue
        tone = marks[0] if marks else (digit if last else None)
        out.append(Typed(base, tone))
    return out


class _Reader:
    """Walks the cleaned text once, character by character."""

    def __init__(self, expected: frozenset[str]) -> None:
        self.expected = expected
        self.out: list[Typed] = []
        self.letters: list[Letter] = []
        self.kinds: set[str] = set()
        self.digit_may_follow = False  # "xie 4": a tone number typed after a space still belongs to xie
        self.any_letters = False

    def close(self, digit: int | None) -> None:
        if not self.letters:
            return
        text = "".join(letter for letter, _, _ in self.letters)
        previous = self.out[-1] if self.out else None
        if text == "r" and previous and not previous.junk and not previous.base.endswith("r"):
            # dian3r, dian3 r: the erhua r typed after the tone number.
            tone = previous.tone if previous.tone is not None else digit
            self.out[-1] = Typed(previous.base + "r", tone)
        else:
            self.out.extend(segment(self.letters, digit, self.expected))
        self.letters = []

    def junk(self, char: str, kind: str) -> None:
        self.close(None)
        self.kinds.add(kind)
        out = self.out
        if out and out[-1].junk and out[-1].kind == kind:
            out[-1] = Typed(out[-1].base + char, None, junk=True, kind=kind)
        else:
            out.append(Typed(char, None, junk=True, kind=kind))
        self.digit_may_follow = False

    def letter(self, letter: str, char: str, tone: int | None) -> None:
        self.letters.append((letter, char, tone))
        self.any_letters = True
        self.digit_may_follow = False

    def tone_digit(self, char: str) -> None:
        tone = NEUTRAL if char in "05" else int(char)
        out = self.out
        if self.letters:
            self.close(tone)
        elif self.digit_may_follow and out and not out[-1].junk and out[-1].tone in (None, tone):
            out[-1] = Typed(out[-1].base, tone)
        else:
            self.junk(char, "digit")
        self.digit_may_follow = False

    def separator(self) -> None:
        if self.letters:
            self.close(None)
            self.digit_may_follow = True

    def feed(self, char: str) -> None:
        if char in MARKED:
            vowel, tone = MARKED[char]
            self.letter(vowel, char, tone)
        elif char in PLAIN:
            self.letter(char, char, None)
        elif char in "012345":
            self.tone_digit(char)
        elif char.isdigit():
            self.junk(char, "bad_digit")
        elif char in SEPARATORS or unicodedata.category(char).startswith(("P", "Z")):
            self.separator()
        elif has_hanzi(char):
            self.junk(char, "hanzi")
        else:
            self.junk(char, "symbol")


def _merge_erhua(items: list[Typed], erhua_heads: frozenset[str]) -> list[Typed]:
    """dian3 er: 儿 typed as a syllable of its own, for an erhua syllable."""
    merged: list[Typed] = []
    for item in items:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and not previous.junk
            and item.base == "er"
            and item.tone in (None, 2, NEUTRAL)
            and previous.base in erhua_heads
        ):
            merged[-1] = Typed(previous.base + "r", previous.tone)
            continue
        merged.append(item)
    return merged


def read(text: str, expected: frozenset[str], erhua_heads: frozenset[str]) -> Reading:
    """The cleaned answer `text` as syllables and junk; `expected` (the word's syllables) decides how
    letters run together are cut."""
    reader = _Reader(expected)
    for char in text:
        reader.feed(char)
    reader.close(None)
    merged = _merge_erhua(reader.out, erhua_heads)
    kinds = reader.kinds | {item.kind for item in merged if item.junk}
    any_tone = any(item.tone is not None for item in merged if not item.junk)
    return Reading(merged, kinds, reader.any_letters, any_tone)
