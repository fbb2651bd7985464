"""Check a typed pinyin answer against a word's pinyin, syllable by syllable.

What a learner may type: tone numbers (xie4xie5, xie4 xie) or tone marks (xièxie), the neutral tone as 5,
0 or nothing, ü as ü, v or u: (and after j, q, x, y as u), any case, with or without spaces, apostrophes or
hyphens, fullwidth letters (ＸＩＥ４ is NFKC-normalised), and either the citation form (nǐ hǎo) or the
spoken form with tone sandhi (ní hǎo). Each syllable may follow either form, since a learner who says
一样 yī yàng knows the word as well as one who says yí yàng (and 我很好 may be said wǒ hén hǎo);
`matched_form` is "citation" when every tone is the citation tone, else "spoken". An erhua syllable may be
typed diǎnr, dian3r, dian3 r or dian3er. A tone mark on the wrong vowel (xìe) counts as that tone. Letters
run together are cut into syllables preferring the expected word's (xian for xī ān is xi + an).

Verdicts: "right"; "wrong_tone" when every syllable is right but some tones are not (or are missing);
"wrong" otherwise: a wrong, missing or extra syllable, or input that is not pinyin (empty, digits only,
characters, emoji, HTML, more than MAX_CHARS characters). Invisible characters (zero-width spaces,
direction marks, control characters) are dropped before anything else; nothing here raises. Anything
typed that is not pinyin (an emoji, a character, a stray digit) counts as an extra syllable, so the answer
is "wrong" even when the pinyin beside it is right, and the message says what to leave out.

Proposed rating (FSRS), one simple rule: right -> 3 Good (in the citation or the spoken form alike);
anything else -> 1 Again, tone mistakes included, because a wrong tone is a wrong word in Mandarin and
should come back soon. The learner can still pick another button; the message says what was wrong.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from learnapp.chinese.display import pinyin_pieces
from learnapp.chinese.syllables import NEUTRAL, has_hanzi, mark, valid_syllables

MAX_CHARS = 200  # only this much of an answer is read
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4

_MARKED = {mark(vowel, tone): (vowel, tone) for vowel in "aeiouü" for tone in (1, 2, 3, 4)}
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzü")
_SEPARATORS = frozenset(" '’‘`´-_.,;:!?/\\()[]{}\"“”·。，、；：！？…")
_VOWEL_START = frozenset("aoe") | {mark(vowel, tone) for vowel in "aoe" for tone in (1, 2, 3, 4)}
_HTML = re.compile(r"<\s*/?\s*[a-z!?][^<>]*>|&(#\d+|#x[0-9a-f]+|[a-z]+);", re.IGNORECASE)
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_TONE_NAMES = {1: "1st tone", 2: "2nd tone", 3: "3rd tone", 4: "4th tone", NEUTRAL: "neutral tone"}


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
    proposed_rating: int  # FSRS: 1 Again, 3 Good (see the module docstring)
    matched_form: str | None  # "citation" | "spoken" when right, else None

    @property
    def right(self) -> bool:
        return self.verdict == "right"


@dataclass(frozen=True, slots=True)
class _Expected:
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
class _Typed:
    base: str  # toneless, ü as ü; for junk, the text as typed
    tone: int | None  # 1-5, None when no tone was typed
    junk: bool = False
    kind: str = ""  # for junk: "letters", "hanzi", "digit", "symbol"

    @property
    def display(self) -> str:
        if self.junk or self.tone is None:
            return self.base
        return mark(self.base, self.tone)


# ---------------------------------------------------------------------------------------------------
# Reading what was typed


@cache
def _valid() -> frozenset[str]:
    return frozenset(s for s in valid_syllables() if set(s) <= _PLAIN)


def _canonical(piece: str) -> str | None:
    """The syllable `piece` spells (ü as ü), allowing ju/jü, lue/lüe and erhua (dianr); None if none."""
    valid = _valid()
    if piece in valid:
        return piece
    if piece[0] in "jqxy" and "ü" in piece and piece.replace("ü", "u") in valid:
        return piece.replace("ü", "u")
    if piece in ("lue", "nue"):
        return piece[0] + "üe"
    if len(piece) > 1 and piece.endswith("r") and piece != "er":
        head = _canonical(piece[:-1])
        if head is not None and head != "er":
            return head + "r"
    return None


def _clean(typed: str) -> tuple[str, bool]:
    """NFKC, invisible characters dropped, whitespace as spaces, lower case, u:/v as ü; and whether the
    answer was longer than MAX_CHARS (only that much is kept)."""
    text = unicodedata.normalize("NFKC", typed[: MAX_CHARS * 4])
    kept = []
    for char in text:
        if char.isspace():
            kept.append(" ")
        elif unicodedata.category(char) not in ("Cc", "Cf", "Co", "Cn", "Cs", "Mn", "Me"):
            kept.append(char)
    text = unicodedata.normalize("NFC", "".join(kept)).strip()
    too_long = len(text) > MAX_CHARS or len(typed) > MAX_CHARS * 4
    text = text[:MAX_CHARS].lower().replace("u:", "ü").replace("v", "ü")
    return text, too_long


def _segment(
    letters: list[tuple[str, str, int | None]], digit: int | None, expected: frozenset[str]
) -> list[_Typed]:
    """One run of letters (each as (letter, as typed, tone mark)) cut into syllables: no letters left
    over if possible, then the most syllables the expected word has, then the fewest syllables. A digit
    typed after the run is the tone of its last syllable."""
    text = "".join(letter for letter, _, _ in letters)
    size = len(text)
    # best[end] = (cost, start, base or None for a left-over letter)
    best: list[tuple[tuple[int, int, int], int, str | None] | None] = [None] * (size + 1)
    best[0] = ((0, 0, 0), 0, None)
    for end in range(1, size + 1):
        for start in range(max(0, end - 7), end):
            head = best[start]
            if head is None:
                continue
            (junk, unexpected, count), _, _ = head
            base = _canonical(text[start:end])
            if base is not None:
                cost = (junk, unexpected + (base not in expected), count + 1)
            elif end - start == 1:
                cost = (junk + 1, unexpected, count + 1)
            else:
                continue
            if best[end] is None or cost < best[end][0]:  # type: ignore[index]
                best[end] = (cost, start, base)
    pieces: list[tuple[int, int, str | None]] = []
    end = size
    while end > 0:
        _, start, base = best[end]  # type: ignore[misc]
        pieces.append((start, end, base))
        end = start
    pieces.reverse()
    out: list[_Typed] = []
    for number, (start, end, base) in enumerate(pieces):
        marks = [tone for _, _, tone in letters[start:end] if tone is not None]
        last = number == len(pieces) - 1
        if base is None:
            raw = "".join(original for _, original, _ in letters[start:end])
            if out and out[-1].junk and out[-1].kind == "letters":
                out[-1] = _Typed(out[-1].base + raw, None, junk=True, kind="letters")
            else:
                out.append(_Typed(raw, None, junk=True, kind="letters"))
            if last and digit is not None:
                out[-1] = _Typed(out[-1].base + str(digit), None, junk=True, kind="letters")
            continue
        tone = marks[0] if marks else (digit if last else None)
        out.append(_Typed(base, tone))
    return out


@dataclass
class _Reading:
    syllables: list[_Typed]
    kinds: set[str]  # kinds of junk seen: "hanzi", "symbol", "digit", "bad_digit", "letters"
    any_letters: bool
    any_tone: bool


def _read(text: str, expected: frozenset[str], erhua_heads: frozenset[str]) -> _Reading:
    out: list[_Typed] = []
    letters: list[tuple[str, str, int | None]] = []
    kinds: set[str] = set()
    digit_may_follow = False  # "xie 4": a tone number typed after a space still belongs to xie
    any_letters = False

    def close(digit: int | None) -> None:
        nonlocal letters
        if not letters:
            return
        text = "".join(letter for letter, _, _ in letters)
        previous = out[-1] if out else None
        if text == "r" and previous and not previous.junk and not previous.base.endswith("r"):
            # dian3r, dian3 r: the erhua r typed after the tone number.
            out[-1] = _Typed(previous.base + "r", previous.tone if previous.tone is not None else digit)
        else:
            out.extend(_segment(letters, digit, expected))
        letters = []

    def junk(char: str, kind: str) -> None:
        kinds.add(kind)
        if out and out[-1].junk and out[-1].kind == kind:
            out[-1] = _Typed(out[-1].base + char, None, junk=True, kind=kind)
        else:
            out.append(_Typed(char, None, junk=True, kind=kind))

    for char in text:
        if char in _MARKED:
            vowel, tone = _MARKED[char]
            letters.append((vowel, char, tone))
            any_letters = True
            digit_may_follow = False
        elif char in _PLAIN:
            letters.append((char, char, None))
            any_letters = True
            digit_may_follow = False
        elif char in "012345":
            tone = NEUTRAL if char in "05" else int(char)
            if letters:
                close(tone)
            elif digit_may_follow and out and not out[-1].junk and out[-1].tone in (None, tone):
                out[-1] = _Typed(out[-1].base, tone)
            else:
                junk(char, "digit")
            digit_may_follow = False
        elif char.isdigit():
            close(None)
            junk(char, "bad_digit")
            digit_may_follow = False
        elif char in _SEPARATORS or unicodedata.category(char).startswith(("P", "Z")):
            if letters:
                close(None)
                digit_may_follow = True
        elif has_hanzi(char):
            close(None)
            junk(char, "hanzi")
            digit_may_follow = False
        else:
            close(None)
            junk(char, "symbol")
            digit_may_follow = False
    close(None)
    # dian3 er: 儿 typed as a syllable of its own, for an erhua syllable.
    merged: list[_Typed] = []
    for item in out:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and not previous.junk
            and item.base == "er"
            and item.tone in (None, 2, NEUTRAL)
            and previous.base in erhua_heads
        ):
            merged[-1] = _Typed(previous.base + "r", previous.tone)
            continue
        merged.append(item)
    kinds |= {item.kind for item in merged if item.junk}
    any_tone = any(item.tone is not None for item in merged if not item.junk)
    return _Reading(merged, kinds, any_letters, any_tone)


# ---------------------------------------------------------------------------------------------------
# The expected answer


def _expected_items(pinyin: str) -> list[_Expected]:
    items: list[_Expected] = []
    for piece in pinyin_pieces(pinyin):
        if piece.syllable is not None:
            s = piece.syllable
            items.append(_Expected(s.base, s.tone, frozenset({s.tone}), erhua=s.erhua))
        else:
            for word in re.findall(r"[A-Za-z]+", piece.text):
                items.append(_Expected(word.lower(), NEUTRAL, frozenset({NEUTRAL}), literal=True, shown=word))
    return items


def _forms(citation: str, spoken: str) -> list[tuple[list[_Expected], str | None]]:
    """The expected syllables, each allowing its citation and spoken tone; when the spoken form does not
    line up with the citation syllable for syllable, the two forms separately."""
    cited = _expected_items(citation)
    if not spoken or spoken == citation:
        return [(cited, None)]
    said = _expected_items(spoken)
    if [e.base for e in said] == [e.base for e in cited]:
        return [
            (
                [
                    _Expected(c.base, c.citation, c.allowed | s.allowed, c.erhua, c.literal, c.shown)
                    for c, s in zip(cited, said, strict=True)
                ],
                None,
            )
        ]
    return [(cited, "citation"), (said, "spoken")]


# ---------------------------------------------------------------------------------------------------
# Lining up and grading


def _tone_ok(typed: _Typed, expected: _Expected) -> bool:
    if expected.literal:
        return True
    return (NEUTRAL if typed.tone is None else typed.tone) in expected.allowed


def _same(typed: _Typed, expected: _Expected) -> bool:
    return typed.base == expected.base and (not typed.junk or expected.literal)


def _align(typed: list[_Typed], expected: list[_Expected]) -> tuple[int, list[tuple[int | None, int | None]]]:
    """Edit-distance alignment: pairs (typed index, expected index), None for an extra or missing one.
    Costs: right 0, wrong tone 1, wrong syllable 4, extra or missing 3 (so a wrong syllable is a
    substitution, and a syllable is paired with the same syllable before any other)."""
    rows, cols = len(typed), len(expected)

    def pair_cost(i: int, j: int) -> int:
        if _same(typed[i], expected[j]):
            return 0 if _tone_ok(typed[i], expected[j]) else 1
        return 4

    table = [[0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(1, rows + 1):
        table[i][0] = 3 * i
    for j in range(1, cols + 1):
        table[0][j] = 3 * j
    for i in range(1, rows + 1):
        for j in range(1, cols + 1):
            table[i][j] = min(
                table[i - 1][j - 1] + pair_cost(i - 1, j - 1), table[i - 1][j] + 3, table[i][j - 1] + 3
            )
    pairs: list[tuple[int | None, int | None]] = []
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


def _describe(expected: _Expected) -> str:
    if expected.literal:
        return expected.base
    text = f"{expected.marked} with the {_TONE_NAMES[expected.citation]}"
    if expected.spoken != expected.citation:
        text += (
            f" (said {mark(expected.base, expected.spoken)}, {_TONE_NAMES[expected.spoken]}, in this word)"
        )
    return text


def _describe_typed(typed: _Typed) -> str:
    if typed.junk:
        return typed.base
    if typed.tone is None:
        return f"{typed.base} with no tone"
    return f"{typed.display} ({_TONE_NAMES[typed.tone]})"


def _hint(typed: _Typed, expected: _Expected) -> str:
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


def _typing_example(expected: list[_Expected]) -> str:
    """How to type the answer: "xie4xie or xièxie"."""
    numbered = "".join(
        e.base.replace("ü", "v") + ("" if e.literal or e.citation == NEUTRAL else str(e.citation))
        for e in expected
    )
    return f"{numbered} or {_joined([e.marked for e in expected])}"


def _example(expected: list[_Expected]) -> str:
    """A typing example that does not give the answer away."""
    if [e.base for e in expected] == ["xie", "xie"]:
        return "ni3hao3 or nǐhǎo"
    return "xie4xie or xièxie"


_TYPING_EXAMPLES = (
    (("xie", "xie"), "xie4xie", "xièxie"),
    (("ni", "hao"), "ni3hao3", "nǐhǎo"),
    (("zai", "jian"), "zai4jian4", "zàijiàn"),
    (("ma", "ma"), "ma1ma", "māma"),
)


def typing_examples(pinyin: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """Two examples of typed pinyin, each as (tone numbers, tone marks), for the answer box of a word read
    `pinyin`: ones that share no syllable with it where possible, so the box never spells its own answer."""
    bases = {e.base for e in _expected_items(pinyin or "")}
    ranked = sorted(_TYPING_EXAMPLES, key=lambda example: bool(bases & set(example[0])))
    return (ranked[0][1], ranked[0][2]), (ranked[1][1], ranked[1][2])


def _written(expected: list[_Expected], spoken: bool = False) -> str:
    return " ".join(mark(e.base, e.spoken) if spoken and not e.literal else e.marked for e in expected)


def _bad(expected: list[_Expected], message: str) -> Check:
    marks = tuple(SyllableMark(e.marked, "", "missing") for e in expected)
    return Check("wrong", marks, (), message, AGAIN, None)


def check(typed: str, citation: str, spoken: str = "") -> Check:
    """Grade `typed` against a word read `citation` (our written form: "xiè xie"), `spoken` being its
    spoken form when tone sandhi changes it ("" otherwise)."""
    typed = typed if isinstance(typed, str) else ""
    forms = _forms(citation or "", spoken or "")
    expected = forms[0][0]
    if not expected:
        return Check("wrong", (), (), "There is no pinyin to check this answer against.", AGAIN, None)
    example = _example(expected)
    text, too_long = _clean(typed)
    if not text:
        return _bad(expected, f"Type the pinyin, for example {example}.")
    if _HTML.search(text):
        return _bad(expected, f"That looks like HTML. Type just the pinyin, for example {example}.")
    if too_long:
        return _bad(
            expected, f"That is far too long. Type just the pinyin of this word, for example {example}."
        )
    heads = frozenset(e.base[:-1] for forms_items, _ in forms for e in forms_items if e.erhua)
    bases = frozenset(e.base for forms_items, _ in forms for e in forms_items)
    reading = _read(text, bases, heads)
    if not reading.any_letters:
        if "hanzi" in reading.kinds:
            return _bad(expected, f"Type the pinyin, not the characters: for example {example}.")
        if reading.kinds & {"digit", "bad_digit"} and not reading.kinds - {"digit", "bad_digit"}:
            return _bad(
                expected, f"Type each syllable's letters as well as its tone number, for example {example}."
            )
        return _bad(expected, f"Type the pinyin in Latin letters, for example {example}.")

    best = None
    for items, form in forms:
        cost, pairs = _align(reading.syllables, items)
        if best is None or cost < best[0]:
            best = (cost, pairs, items, form)
    _, pairs, items, form = best  # type: ignore[misc]
    return _grade(reading, pairs, items, form, spoken or "")


def _grade(
    reading: _Reading,
    pairs: list[tuple[int | None, int | None]],
    items: list[_Expected],
    form: str | None,
    spoken: str,
) -> Check:
    typed = reading.syllables
    count = len(items)
    marks: list[SyllableMark | None] = [None] * count
    extra: list[str] = []
    problems: list[tuple[int, str]] = []
    tone_problems: list[tuple[int, str]] = []
    all_citation = True
    for t, e in pairs:
        if e is None:
            extra.append(typed[t].display)  # type: ignore[index]
            continue
        item = items[e]
        if t is None:
            marks[e] = SyllableMark(item.marked, "", "missing")
            problems.append((e, f"{_ordinal(e, count)} is missing: {_describe(item)}."))
            continue
        got = typed[t]
        if _same(got, item):
            if _tone_ok(got, item):
                marks[e] = SyllableMark(item.marked, got.display, "right")
                if not item.literal and (NEUTRAL if got.tone is None else got.tone) != item.citation:
                    all_citation = False
            else:
                marks[e] = SyllableMark(item.marked, got.display, "tone")
                said = _describe_typed(got)
                tone_problems.append((e, f"{_ordinal(e, count)} is {_describe(item)}: you typed {said}."))
        else:
            marks[e] = SyllableMark(item.marked, got.display, "syllable")
            typed_text = _describe_typed(got) + _hint(got, item)
            problems.append((e, f"{_ordinal(e, count)} is {_describe(item)}: you typed {typed_text}."))
    final = tuple(m for m in marks if m is not None)
    statuses = {m.status for m in final}
    if statuses <= {"right"} and not extra:
        if form is None:
            form = "citation" if all_citation else "spoken"
        return Check("right", final, (), _right_message(items, form), GOOD, form)
    verdict = "wrong_tone" if statuses <= {"right", "tone"} and not extra else "wrong"

    notes: list[str] = []
    if "hanzi" in reading.kinds:
        notes.append("Type the pinyin, not the characters.")
    symbols = [x.base for x in typed if x.junk and x.kind == "symbol"]
    if symbols:
        notes.append(f"Leave out {' '.join(symbols)[:20]}: type only letters, tone numbers or tone marks.")
    if "digit" in reading.kinds:
        notes.append("A tone number goes right after its syllable, as in xie4.")
    if "bad_digit" in reading.kinds:
        notes.append("Tone numbers are 1 to 4, and 5 (or no number) for the neutral tone.")
    if not reading.any_tone and any(m.status == "tone" for m in final):
        # No tone anywhere: one sentence about tones rather than one per syllable.
        example = _typing_example(items)
        tone_problems = [
            (count, f"Add the tones: type a number after each syllable or use tone marks ({example}).")
        ]
    elif not reading.any_tone and any(not e.literal and e.citation != NEUTRAL for e in items):
        notes.append("Add the tones too.")
    sentences = [sentence for _, sentence in sorted(problems + tone_problems, key=lambda pair: pair[0])]
    if extra:
        word = "syllable" if len(extra) == 1 else "syllables"
        sentences.append(f"You typed more than the word has: the extra {word} {', '.join(extra[:5])}.")
    if len(sentences) > 3:
        sentences = [*sentences[:3], f"And {len(sentences) - 3} more."]
    message = " ".join(notes + sentences)
    if verdict == "wrong":
        answer = _written(items)
        said = _written(items, spoken=True)
        message += f" The answer is {answer}" + (f" (said {said})." if said != answer else ".")
    return Check(verdict, final, tuple(extra), message.strip(), AGAIN, None)


def _right_message(items: list[_Expected], form: str) -> str:
    written = _written(items)
    said = _written(items, spoken=True)
    if said == written:
        return f"Right: {written}."
    if form == "citation":
        return f"Right: {written}. In speech it is said {said}."
    return f"Right: {said}, as it is said (the dictionary writes {written})."


# ---------------------------------------------------------------------------------------------------
# Tone drills


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
    items = [e for e in _expected_items(pinyin) if not e.literal]
    if len(items) != 2:
        return None
    return items[0].citation, items[1].citation


def tone_pair(citation: str) -> tuple[int, int] | None:
    """The tones of a two-syllable word (5 = neutral): "nǐ hǎo" -> (3, 3); None for any other length."""
    return _pair(citation or "")


def _tones_text(tones: tuple[int, ...]) -> str:
    return " + ".join(_TONE_NAMES.get(t, "?") for t in tones)


def check_tones(chosen: tuple[int, int], citation: str, spoken: str = "") -> ToneCheck:
    """A tone drill answer: right when `chosen` is the citation tones or the spoken ones (each syllable
    may follow either, as in `check`)."""
    try:
        picked = tuple(int(t) for t in chosen)
    except (TypeError, ValueError):
        picked = ()
    expected = tone_pair(citation)
    said = _pair(spoken or "") if spoken else None
    if said == expected:
        said = None
    if expected is None:
        return ToneCheck("wrong", picked, None, None, "This is not a two-syllable word.", AGAIN, None)
    answer = f"{citation} is {_tones_text(expected)}" + (
        f" (said {spoken}: {_tones_text(said)})" if said else ""
    )
    if len(picked) != 2 or any(t not in _TONE_NAMES for t in picked):
        return ToneCheck(
            "wrong", picked, expected, said, f"Pick two tones from 1 to 5. {answer}.", AGAIN, None
        )
    allowed = [{expected[i]} | ({said[i]} if said else set()) for i in range(2)]
    if all(picked[i] in allowed[i] for i in range(2)):
        form = "citation" if picked == expected else "spoken"
        return ToneCheck("right", picked, expected, said, f"Right: {answer}.", GOOD, form)
    return ToneCheck(
        "wrong_tone",
        picked,
        expected,
        said,
        f"Not quite: {answer}; you chose {_tones_text(picked)}.",
        AGAIN,
        None,
    )
