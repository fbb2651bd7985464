"""A text as the reader's page shows it: cut by the process's segmenter (our curated entries first, then
CC-CEDICT, then characters), every word with its pinyin over it (spoken, with sandhi across words; <ruby>,
escaped) and its knowledge state (`knowledge`), and the counts of known, learning and new words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup, escape

from learnapp.chinese.display import ruby_units
from learnapp.chinese.reading import Reading, readings
from learnapp.chinese.segment import Kind, Token, leaves
from learnapp.chinese.syllables import has_hanzi
from learnapp.models import ReaderText, User
from learnapp.reader.curated import Curated, curated_index
from learnapp.reader.knowledge import KNOWN, LEARNING, NEW, knowledge
from learnapp.reader.texts import Readable


@dataclass(frozen=True, slots=True)
class Ruby:
    text: str
    syllable: str
    tone: int | None


@dataclass(frozen=True, slots=True)
class Piece:
    """One stretch of the text as the page shows it. A word (`key` set) is a link to its card; `html` is
    its text with the pinyin over each character (<ruby>), escaped."""

    text: str
    at: int
    html: Markup
    key: str = ""  # what its knowledge is looked up by: the entry's or CC-CEDICT's headword
    state: str = ""
    curated: bool = False


@dataclass(frozen=True)
class Counts:
    known: int = 0
    learning: int = 0
    new: int = 0

    @property
    def words(self) -> int:
        return self.known + self.learning + self.new


@dataclass(frozen=True)
class ReadingView:
    text: ReaderText
    pieces: list[Piece]
    counts: Counts
    found: Readable | None = None

    def body_html(self, word_url: str) -> Markup:
        """The text as the page shows it: each word a link to its card (`word_url`?at=&n=; static/app.js
        opens it as a popover with htmx) with its pinyin over it, the rest as written. Built here rather
        than in a template loop: a 5,000-character text has some 3,000 words, and this is 3x faster."""
        url = escape(word_url)
        out: list[str] = []
        append = out.append
        for piece in self.pieces:
            if piece.key:
                ours = " w-ours" if piece.curated else ""
                at, key = piece.at, escape(piece.key)
                append(
                    f'<a class="w w-{piece.state}{ours}" id="w{at}" href="{url}?at={at}'
                    f'&amp;n={len(piece.text)}" data-key="{key}">{piece.html}</a>'
                )
            else:
                append(piece.html)
        # Every part above is escaped: the url and keys here, the texts in ruby_html.
        return Markup("".join(out))  # noqa: S704


def word_key(token: Token[Curated]) -> str:
    """What a word's knowledge is looked up by; "" for what is not a word a learner looks up."""
    if token.kind is Kind.CURATED and token.entry is not None:
        return token.entry.headword
    if token.kind in (Kind.WORD, Kind.CHAR) and has_hanzi(token.text):
        return token.headword or token.text
    return ""


@lru_cache(maxsize=32_768)
def _ruby(text: str, pinyin: str) -> tuple[Ruby, ...]:
    return tuple(Ruby(unit.text, unit.syllable, unit.tone) for unit in ruby_units(text, pinyin))


_NAME = Markup('<span class="w-name" title="A name (no meaning to look up)">{}</span>')
_RUBY = Markup('<ruby>{}<rp>(</rp><rt class="tone{}">{}</rt><rp>)</rp></ruby>')  # format() escapes


@lru_cache(maxsize=32_768)
def ruby_html(text: str, pinyin: str) -> Markup:
    """`text` with each character's syllable of `pinyin` over it (<ruby>, the syllable's tone as a class on
    <rt>), escaped; cached, since a text repeats its words."""
    if not pinyin:
        return escape(text)
    parts: list[Markup] = []
    for unit in _ruby(text, pinyin):
        if unit.syllable:
            parts.append(_RUBY.format(unit.text, unit.tone or 5, unit.syllable))
        else:
            parts.append(escape(unit.text))
    return Markup("").join(parts)


def pieces_of(
    leaves_: Sequence[Token[Curated]], keys: Sequence[str], spoken: dict[int, Reading], states: dict[str, str]
) -> list[Piece]:
    out: list[Piece] = []
    append = out.append
    for token, key in zip(leaves_, keys, strict=True):
        reading_ = spoken.get(token.start)
        html = ruby_html(token.text, reading_.spoken) if reading_ is not None else escape(token.text)
        if token.kind is Kind.NAME:  # a likely personal name: said as a name, no meaning made up for it
            html = _NAME.format(html)
        if key:
            append(
                Piece(token.text, token.start, html, key, states.get(key, NEW), token.kind is Kind.CURATED)
            )
        else:
            append(Piece(token.text, token.start, html))
    return out


def reading(user: User, text: ReaderText, found: Readable | None = None) -> ReadingView:
    """The page's data: the text cut into words with their pinyin and the learner's knowledge of each."""
    ours = curated_index()
    tokens = ours.segmenter.segment(text.body, names=True)
    spoken = readings(tokens, ours.pinyin)
    flat = list(leaves(tokens))
    keys = [word_key(token) for token in flat]
    distinct = {key for key in keys if key}
    states = knowledge(user.id, distinct)
    counted = [states.get(key, NEW) for key in distinct]
    counts = Counts(counted.count(KNOWN), counted.count(LEARNING), counted.count(NEW))
    return ReadingView(text, pieces_of(flat, keys, spoken, states), counts, found)
