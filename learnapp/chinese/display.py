"""Pinyin for display: syllables over characters (ruby) and tone colours.

`pinyin_units` cuts a pinyin line ("Nǐ hǎo, wǒ shì Lǐ Míng.") into its syllables and everything between
them, keeping the text as written, so a template can wrap each syllable in `<span class="toneN">`.
`ruby_units` pairs each character of a hanzi line with its syllable (an erhua syllable such as diǎnr spans
点儿); text that is not hanzi (yyds, CP, "，", emoji) passes through without a syllable.

Tone colours are CSS classes tone1..tone5 (5 = neutral); the learner's scheme is a class on <body>
(`tones-pleco`, `tones-dummitt`, `tones-hanping`, or none for "off"), so changing it needs no re-render.
The schemes, as their authors publish them:

- pleco (Pleco's default, the first tone colours, 2007): 1 red, 2 green, 3 blue, 4 purple, neutral grey.
- dummitt (Nathan Dummitt, "Chinese Through Tone & Color", 2008; also MDBG's): 1 red, 2 orange, 3 green,
  4 blue, neutral grey.
- hanping (the Hanping dictionary apps): 1 blue, 2 green, 3 orange, 4 red, neutral grey.
- off: no colours.

Colour should never carry the tone alone: show the tone mark as well, so that learners who do not tell
some of these colours apart lose nothing. The CSS values in COLOURS are our own choice of each colour.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from learnapp.chinese.syllables import NEUTRAL, Syllable, has_hanzi, mark, parse_syllable

SCHEMES: dict[str, dict[int, str] | None] = {
    "pleco": {1: "red", 2: "green", 3: "blue", 4: "purple", 5: "grey"},
    "dummitt": {1: "red", 2: "orange", 3: "green", 4: "blue", 5: "grey"},
    "hanping": {1: "blue", 2: "green", 3: "orange", 4: "red", 5: "grey"},
    "off": None,
}
DEFAULT_SCHEME = "pleco"

# CSS values for the colour names above: each scheme keeps its hues, and each colour reads as text at 4.5:1
# or better (WCAG AA) on the app's light surfaces, the pale red of chips and flashes included; the
# lighter values for dark mode are the stylesheet's business (static/app.css, also 4.5:1 or better).
COLOURS: dict[str, str] = {
    "red": "#c8232c",
    "orange": "#a85400",
    "green": "#1f7a1f",
    "blue": "#1f5fbf",
    "purple": "#8e44ad",
    "grey": "#5f6672",
}


def tone_class(tone: int | None) -> str:
    """The CSS class for a tone ("tone3"); "" for text that is not a syllable."""
    return f"tone{tone}" if tone in (1, 2, 3, 4, NEUTRAL) else ""


def scheme_css(scheme: str) -> str:
    """The CSS rules for one scheme: `body.tones-<scheme> .toneN { color: ... }`; "" for off or unknown."""
    colours = SCHEMES.get(scheme)
    if not colours:
        return ""
    return "\n".join(
        f"body.tones-{scheme} .tone{tone} {{ color: {COLOURS[name]}; }}" for tone, name in colours.items()
    )


# Letters that can be part of a pinyin syllable: a-z, ü and the tone-marked vowels (any case).
_MARKED = {mark(vowel, tone) for vowel in "aeiouü" for tone in (1, 2, 3, 4)}
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzü") | _MARKED
_VOWEL_START = frozenset("aoe") | {mark(vowel, tone) for vowel in "aoe" for tone in (1, 2, 3, 4)}
_LATIN_WORD = re.compile(r"[A-Za-z]+")


def _is_letter(char: str) -> bool:
    return char.lower() in _LETTERS


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of a pinyin line: one syllable (`syllable` set) or the text between syllables."""

    text: str  # as written (capitals kept)
    syllable: Syllable | None
    token: int = -1  # which run of letters it came from; -1 for the text between them


@lru_cache(maxsize=4096)
def _parse(piece: str) -> Syllable | None:
    return parse_syllable(piece)


def _split_token(token: str) -> list[tuple[str, Syllable]] | None:
    """A run of letters as written ("Běijīng", "xièxie", "Xī") cut into syllables; None when it is not
    pinyin. The fewest syllables win, and a syllable starting with a, o or e does not follow another
    one unless nothing else works (pinyin writes Xī'ān with an apostrophe)."""
    lowered = token.lower()
    if len(lowered) != len(token):
        return None
    size = len(lowered)
    best: list[tuple[int, int, int] | None] = [None] * (size + 1)  # (vowel starts, pieces, start)
    best[0] = (0, 0, 0)
    for end in range(1, size + 1):
        for start in range(max(0, end - 7), end):
            head = best[start]
            if head is None:
                continue
            syllable = _parse(lowered[start:end])
            if syllable is None:
                continue
            cost = (head[0] + (start > 0 and lowered[start] in _VOWEL_START), head[1] + 1, start)
            if best[end] is None or cost[:2] < best[end][:2]:  # type: ignore[index]
                best[end] = cost
    if best[size] is None:
        return None
    pieces: list[tuple[str, Syllable]] = []
    end = size
    while end > 0:
        start = best[end][2]  # type: ignore[index]
        pieces.append((token[start:end], _parse(lowered[start:end])))  # type: ignore[arg-type]
        end = start
    return pieces[::-1]


@lru_cache(maxsize=1024)
def _pieces(pinyin: str) -> tuple[Piece, ...]:
    text = unicodedata.normalize("NFC", pinyin)
    out: list[Piece] = []
    between: list[str] = []
    index = 0
    token_number = 0
    while index < len(text):
        if not _is_letter(text[index]):
            between.append(text[index])
            index += 1
            continue
        end = index
        while end < len(text) and _is_letter(text[end]):
            end += 1
        token = text[index:end]
        split = _split_token(token)
        if split is None:
            between.append(token)
        else:
            if between:
                out.append(Piece("".join(between), None))
                between = []
            out.extend(Piece(part, syllable, token_number) for part, syllable in split)
            token_number += 1
        index = end
    if between:
        out.append(Piece("".join(between), None))
    return tuple(out)


def pinyin_pieces(pinyin: str) -> list[Piece]:
    """Every syllable of a pinyin line and the text between them, in order; joined, the pieces' texts give
    back the line (in Unicode NFC). Runs of letters that are not pinyin (yyds, CP) are text between."""
    return list(_pieces(pinyin))


def pinyin_units(pinyin: str) -> list[tuple[str, int | None]]:
    """A pinyin line as (text, tone) pieces: each syllable with its tone (5 = neutral), and the text
    between syllables (spaces, punctuation, non-pinyin words) with None.

    >>> pinyin_units("Nǐ hǎo, Lǐ Míng.")
    [('Nǐ', 3), (' ', None), ('hǎo', 3), (', ', None), ('Lǐ', 3), (' ', None), ('Míng', 2), ('.', None)]
    """
    return [(piece.text, piece.syllable.tone if piece.syllable else None) for piece in _pieces(pinyin)]


def _is_hanzi(char: str) -> bool:
    return has_hanzi(char)


def align_pieces(hanzi: str, pinyin: str) -> list[tuple[str, int | None]] | None:
    """`hanzi` cut into stretches, each with the index (into `pinyin_pieces(pinyin)`) of the syllable it
    is read as: one character, or two for an erhua syllable (点儿 diǎnr), or a run of other text (Latin
    letters, punctuation, spaces, emoji) with None. None when the syllables and the characters do not
    line up one to one.

    Latin words written the same in both lines (我是CP粉 / wǒ shì CP fěn, 我叫Lina / wǒ jiào Lina) are
    matched to each other, so a word that happens to spell pinyin is not taken for a syllable."""
    pieces = _pieces(pinyin)
    syllables = [i for i, piece in enumerate(pieces) if piece.syllable is not None]
    chars = unicodedata.normalize("NFC", hanzi)
    out: list[tuple[str, int | None]] = []
    position = 0  # into `syllables`
    index = 0
    while index < len(chars):
        char = chars[index]
        if not _is_hanzi(char):
            end = index
            while end < len(chars) and not _is_hanzi(chars[end]):
                end += 1
            run = chars[index:end]
            out.append((run, None))
            for word in _LATIN_WORD.findall(run):
                position = _skip_literal(pieces, syllables, position, word)
            index = end
            continue
        if position >= len(syllables):
            return None
        piece_index = syllables[position]
        syllable = pieces[piece_index].syllable
        position += 1
        unit = char
        index += 1
        if syllable is not None and syllable.erhua:
            if index < len(chars) and chars[index] == "儿":
                unit += "儿"
                index += 1
            elif char != "儿":
                return None
        out.append((unit, piece_index))
    if position != len(syllables):
        return None
    return out


def _skip_literal(pieces: tuple[Piece, ...], syllables: list[int], position: int, word: str) -> int:
    """Past the syllables of the next pinyin token when that token is `word` (any case)."""
    if position >= len(syllables):
        return position
    token = pieces[syllables[position]].token
    end = position
    while end < len(syllables) and pieces[syllables[end]].token == token:
        end += 1
    spelled = "".join(pieces[i].text for i in syllables[position:end])
    return end if spelled.lower() == word.lower() else position


@dataclass(frozen=True, slots=True)
class Unit:
    text: str  # one character, an erhua pair (点儿), or a run of other text
    syllable: str  # as written in the pinyin ("Nǐ", "diǎnr"); "" when the text is not read as a syllable
    tone: int | None  # 1-4, 5 neutral; None when there is no syllable


class RubyUnits(list[Unit]):
    """The units of a ruby line; `aligned` is False when the pinyin could not be matched with the
    characters (the units then carry no syllables and the caller shows the pinyin on its own line)."""

    aligned: bool

    def __init__(self, units: list[Unit], aligned: bool) -> None:
        super().__init__(units)
        self.aligned = aligned


def ruby_units(hanzi: str, pinyin: str) -> RubyUnits:
    """The characters of `hanzi` with their syllables from `pinyin`, for <ruby>. When the two do not line
    up, one unit per character (runs of other text kept whole) with no syllables, and `aligned` False."""
    pieces = _pieces(pinyin)
    stretches = align_pieces(hanzi, pinyin)
    if stretches is None:
        units = []
        chars = unicodedata.normalize("NFC", hanzi)
        index = 0
        while index < len(chars):
            end = index + 1
            if not _is_hanzi(chars[index]):
                while end < len(chars) and not _is_hanzi(chars[end]):
                    end += 1
            units.append(Unit(chars[index:end], "", None))
            index = end
        return RubyUnits(units, aligned=False)
    out = []
    for text, piece_index in stretches:
        if piece_index is None:
            out.append(Unit(text, "", None))
        else:
            piece = pieces[piece_index]
            out.append(Unit(text, piece.text, piece.syllable.tone if piece.syllable else None))
    return RubyUnits(out, aligned=True)
