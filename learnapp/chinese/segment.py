"""The reader's segmenter: a pasted post cut into tokens, each with what it is and where to look it up.

    segmenter = Segmenter({"种草": ref, "yyds": ref, "[doge]": ref, "🐶": ref, "i人": ref})
    for token in segmenter.segment("姐妹们种草了YYDS[doge]"):
        token.text, token.kind, token.start, token.entry, token.headword

Order of trust, as a reader would look things up:
1. Our curated entries (the `curated` mapping, headword -> the caller's reference to the entry), in any
   writing: 种草, yyds (and YYDS, ｙｙｄｓ: Latin letters and full-width forms match in any case), i人,
   磕CP, 666, [doge], 🐶, and 種草 in traditional text. A curated headword matches only whole pieces of
   text: emo is not found inside demo, 520 not inside 15201 nor in 520元 (an amount). Stretched slang is
   the slang (hhhhhh -> hhh, 2333333 -> 233), an emoji with a skin tone is its base emoji's entry (👍🏻 ->
   👍), and curated numbers run together are cut into them (5201314 -> 520 1314): see `variants`.
   Among hanzi a curated headword costs what a common word costs, so it wins any tie over the same span
   (上头 is our slang entry) but does not change how ordinary text is cut (很好吃 stays 很 好吃 when 很好
   is a curated entry).
2. CC-CEDICT's words, simplified or traditional, chosen by a small dynamic programme over each run of
   hanzi: the fewest tokens; among those, words of the HSK list over rarer entries and as few characters
   left alone as can be (a character that is a word of its own, such as 的 or 和, costs less alone than
   one that lives inside words, such as 未); then the cut whose later words are longer (backward
   maximum matching's bias, the better guess for Chinese). So 研究生命 is 研究 生命, 结婚的和尚未结婚的 is
   结婚 的 和 尚未 结婚 的 and 完成了 is 完成 了, where forward maximum matching reads 研究生 命, 和尚 未 and
   the bare fewest-words rule 完 成了. Runs of Chinese numerals CC-CEDICT does not list (三千五百,
   第三十五) are one number, and no word starts inside a run of numerals and leaves it (十一点 is 十一 点);
   a laugh or a sob (哈哈哈哈, 呜呜呜) is one word; a character said three times or more (冲冲冲) is
   three tokens. Scored on 83 hand-cut posts against the other matchers: docs/reader.md.
3. One character at a time, when nothing else fits.

Everything else keeps its shape (see `scan`): URLs, @mentions and hashtags are one token each (a
hashtag's `parts` are its words), numbers, Latin words, emoji, punctuation and whitespace. The tokens'
texts add up to the input exactly, and `start` is each token's offset in it.

The CC-CEDICT index is shared by every Segmenter in the process (`lexicon.lexicon()`); a Segmenter holds
only its curated headwords, so building one per change of the curated decks is cheap.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Generic, TypeVar

import regex

from learnapp.chinese import scan, variants
from learnapp.chinese.lexicon import COMMON, FREE, PREFIX, WORD, Lexicon, lexicon

Ref = TypeVar("Ref")


class Kind(StrEnum):
    CURATED = "curated"  # one of our entries (`entry` is set)
    WORD = "word"  # a CC-CEDICT word of two characters or more
    CHAR = "char"  # one hanzi on its own (a one-character word such as 我, or a character no word took)
    LATIN = "latin"  # a word in Latin (or Greek, Cyrillic) letters
    NUMBER = "number"  # 12.5, 3w, 99%, １２３, 三千五百
    PUNCTUATION = "punctuation"  # a punctuation mark or symbol, or a run of one (！！！, ……)
    EMOJI = "emoji"  # one emoji, skin tone and ZWJ sequence included
    BRACKET_CODE = "bracket_code"  # a sticker code such as [doge] or [笑哭R] that is not curated
    SPACE = "space"  # a run of whitespace, line breaks included
    URL = "url"  # a web address or an e-mail address
    MENTION = "mention"  # @name
    HASHTAG = "hashtag"  # #话题#, #话题[话题]# or #ootd; `parts` holds its pieces
    NAME = "name"  # a likely personal name (王小明), only with segment(names=True): see `names`
    OTHER = "other"  # anything else: kana, hangul, control characters, stray marks


@dataclass(frozen=True, slots=True)
class Token(Generic[Ref]):
    text: str
    kind: Kind
    start: int
    entry: Ref | None = None  # the curated entry, for Kind.CURATED
    headword: str | None = None  # the simplified CC-CEDICT headword this token is (or is written as)
    parts: tuple[Token[Ref], ...] = ()  # a hashtag's pieces, offsets in the whole text

    @property
    def end(self) -> int:
        return self.start + len(self.text)


# Costs of one token in the dynamic programme (integers, so that ties are exact).
TOKEN = 100  # a common word (in the HSK list) or a curated headword
UNCOMMON = 10  # extra for a dictionary word not in the HSK list
FREE_CHAR = 15  # extra for a character left alone that is a word by itself (我, 的, 和)
BOUND_CHAR = 40  # extra for a character left alone that mostly lives inside words (未, 尚, 究)

_NUMERALS = frozenset("零〇一二两三四五六七八九十百千万亿")
_LAUGHS = frozenset("哈啊呜嘿嘻呵嗯哇嘤哦噢呀嘎咦唉哎呃嘛啦喔嗷")
_SPECIAL = _NUMERALS | _LAUGHS | {"第"}
_HANZI = regex.compile(r"\p{Han}+")

# How a stretch was reached in the programme; `_Curated` carries the entry.
_CHAR, _WORD, _NUMBER, _LAUGH = 1, 2, 3, 4
_RUN_KINDS = {kind.value: kind for kind in Kind}


@dataclass(frozen=True, slots=True)
class _Curated(Generic[Ref]):
    entry: Ref


class Segmenter(Generic[Ref]):
    """Cuts texts into tokens: `curated` headwords (hanzi, Latin, digits, emoji, bracket codes or a mix)
    first, then the words of `lexicon_` (CC-CEDICT's shared index by default), then characters."""

    def __init__(self, curated: Mapping[str, Ref] | None = None, lexicon_: Lexicon | None = None) -> None:
        self._lexicon = lexicon_ or lexicon()
        self._exact: dict[str, Ref] = {}
        self._folded: dict[str, Ref | None] = {}  # folded headword or prefix -> entry (None: a prefix)
        for headword, entry in (curated or {}).items():
            if headword:
                self._add(headword, entry)
        flags = self._lexicon.flags
        # Hanzi headwords the dictionary walk passes through (every prefix is a key of the index) are
        # checked on the way; the others (绝绝子, 磕CP) need a walk of their own from their first character.
        self._hanzi: dict[str, Ref] = {}
        walked: set[str] = set()
        for key, found in self._folded.items():
            if found is None:
                continue
            if _HANZI.fullmatch(key) and all(key[:end] in flags for end in range(2, len(key) + 1)):
                self._hanzi[key] = found
            else:
                walked.add(key[0])
        self._first = frozenset(key[0] for key in self._folded)
        self._walked = frozenset(walked)

    def _add(self, headword: str, entry: Ref) -> None:
        for form in variants.forms(headword):
            if not form:
                continue
            self._exact.setdefault(form, entry)
            key = scan.fold(form)
            for end in range(1, len(key)):
                self._folded.setdefault(key[:end], None)
            if self._folded.get(key) is None:
                self._folded[key] = entry

    def curated(self, text: str) -> Ref | None:
        """The curated entry written `text` (exactly, else with Latin letters in any case)."""
        if text in self._exact:
            return self._exact[text]
        return self._folded.get(scan.fold(text))

    def segment(self, text: str, *, names: bool = False) -> list[Token[Ref]]:
        """`text` cut into tokens; their texts add up to `text`. With `names`, likely personal names are
        one `Kind.NAME` token each (`names.mark_names`: 王小明说 is 王小明 说, not 王 小 明 说)."""
        tokens = self._segment(text, scan.fold(text), 0, len(text)) if text else []
        if names and tokens:
            from learnapp.chinese.names import mark_names  # names.py builds on this module's tokens

            flags = self._lexicon.flags
            tokens = mark_names(tokens, lambda char: bool(flags.get(char, 0) & FREE))
        return tokens

    # -- the dynamic programme over one text (or a hashtag's inside) --------------------------------------

    def _segment(self, text: str, folded: str, start: int, end: int) -> list[Token[Ref]]:
        runs = scan.runs(text, start, end)
        size = end - start
        cost = [1 << 60] * (size + 1)
        back = [0] * (size + 1)
        how: list[object] = [None] * (size + 1)
        cost[0] = 0
        boundary = bytearray(size + 1)
        for run_start, run_end, kind in runs:
            if kind == scan.HANZI:
                boundary[run_start - start : run_end - start] = b"\x01" * (run_end - run_start)
            boundary[run_start - start] = 1
        boundary[size] = 1
        first = self._first
        for run_start, run_end, kind in runs:
            if kind == scan.HANZI:
                self._hanzi_run(text, folded, run_start, run_end, start, end, cost, back, how, boundary)
                continue
            i, j = run_start - start, run_end - start
            if folded[run_start] in first:
                self._walk(text, folded, run_start, end, start, cost, back, how, boundary)
            pieces = None
            if kind in (scan.LATIN, scan.NUMBER, scan.EMOJI) and self._folded:
                pieces = variants.pieces(self._folded, text, run_start, run_end, kind)
            if pieces is not None:
                for piece_start, piece_end, entry in pieces:
                    a, b = piece_start - start, piece_end - start
                    cost[b], back[b], how[b] = cost[a] + TOKEN, a, _Curated(entry)
            elif cost[i] + TOKEN < cost[j]:
                cost[j], back[j], how[j] = cost[i] + TOKEN, i, kind
        return self._backtrack(text, folded, start, size, back, how)

    def _hanzi_run(
        self,
        text: str,
        folded: str,
        run_start: int,
        run_end: int,
        offset: int,
        end: int,
        cost: list[int],
        back: list[int],
        how: list[object],
        boundary: bytearray,
    ) -> None:
        flags = self._lexicon.flags
        curated, walked = self._hanzi, self._walked
        for position in range(run_start, run_end):
            i = position - offset
            base = cost[i]
            char = text[position]
            reached: object = _CHAR
            entry = curated.get(char)
            if entry is not None:
                value, reached = base + TOKEN + FREE_CHAR, _Curated(entry)
            else:
                value = base + TOKEN + (FREE_CHAR if flags.get(char, 0) & FREE else BOUND_CHAR)
            if value < cost[i + 1]:
                cost[i + 1], back[i + 1], how[i + 1] = value, i, reached
            limit = run_end
            if (
                char in _SPECIAL
                or (position + 1 < run_end and text[position + 1] == char)
                or (position > run_start and text[position - 1] == char)
            ):
                limit = self._special(text, position, run_start, run_end, offset, cost, back, how)
            stop = position + 2
            while stop <= limit:
                piece = text[position:stop]
                found = flags.get(piece)
                if found is None:
                    break
                entry = curated.get(piece)
                if entry is not None:
                    value, reached = base + TOKEN, _Curated(entry)
                elif found & WORD:
                    value, reached = base + (TOKEN if found & COMMON else TOKEN + UNCOMMON), _WORD
                else:
                    value = -1
                j = stop - offset
                if value >= 0 and (value < cost[j] or (value == cost[j] and back[j] == i)):
                    cost[j], back[j], how[j] = value, i, reached
                if not found & PREFIX:
                    break
                stop += 1
            if folded[position] in walked:
                self._walk(text, folded, position, end, offset, cost, back, how, boundary)

    def _special(
        self,
        text: str,
        position: int,
        run_start: int,
        run_end: int,
        offset: int,
        cost: list[int],
        back: list[int],
        how: list[object],
    ) -> int:
        """Numerals and repeated characters: adds the edge for a run of numerals CC-CEDICT lacks (三千五百,
        第三十五) or a laugh (哈哈哈哈), and returns how far a dictionary word starting here may reach:
        not out of a run of numerals it starts inside (十一点 is 十一 点, not 十 一点; 万一下雨 is 万一
        下雨), and not at all inside a run of one character said three times or more (冲冲冲, 对对对)."""
        char = text[position]
        i = position - offset
        same = position
        while same < run_end and text[same] == char:
            same += 1
        first = position
        while first > run_start and text[first - 1] == char:
            first -= 1
        if char in _LAUGHS and first == position and same - position >= 3:
            self._relax(cost, back, how, i, same - offset, cost[i] + TOKEN, _LAUGH)
        if char in _NUMERALS or (char == "第" and position + 1 < run_end and text[position + 1] in _NUMERALS):
            stop = position + 1
            while stop < run_end and text[stop] in _NUMERALS:
                stop += 1
            if stop - position >= 2 and not self._lexicon.flags.get(text[position:stop], 0) & WORD:
                self._relax(cost, back, how, i, stop - offset, cost[i] + TOKEN, _NUMBER)
            if char != "第" and position > run_start and text[position - 1] in _NUMERALS:
                return stop
        if same - first >= 3:
            return position + 1
        return run_end

    @staticmethod
    def _relax(
        cost: list[int], back: list[int], how: list[object], i: int, j: int, value: int, reached: object
    ) -> None:
        if value < cost[j]:
            cost[j], back[j], how[j] = value, i, reached

    def _walk(
        self,
        text: str,
        folded: str,
        position: int,
        end: int,
        offset: int,
        cost: list[int],
        back: list[int],
        how: list[object],
        boundary: bytearray,
    ) -> None:
        """Edges for the curated headwords starting at `position` (any writing, any case), each ending
        where a run or a hanzi ends."""
        curated, flags = self._folded, self._lexicon.flags
        i = position - offset
        stop = position + 1
        while stop <= end:
            key = folded[position:stop]
            if key not in curated:
                return
            entry = curated[key]
            j = stop - offset
            if entry is not None and boundary[j] and not variants.is_amount(text, position, stop, key):
                entry = self._exact.get(text[position:stop], entry)
                single = stop - position == 1 and text[position] in flags
                # A curated headword costs what a common word (or a free character) costs: it does not
                # change how ordinary text is cut, but it wins a tie over the same span.
                value = cost[i] + TOKEN + (FREE_CHAR if single else 0)
                if value < cost[j] or (value == cost[j] and back[j] == i):
                    cost[j], back[j], how[j] = value, i, _Curated(entry)
            stop += 1

    def _backtrack(
        self, text: str, folded: str, start: int, size: int, back: list[int], how: list[object]
    ) -> list[Token[Ref]]:
        steps: list[int] = []
        j = size
        while j > 0:
            steps.append(j)
            j = back[j]
        flags, simplified, curated = self._lexicon.flags, self._lexicon.simplified, self._hanzi
        tokens: list[Token[Ref]] = []
        append = tokens.append
        i = 0
        for j in reversed(steps):
            at = start + i
            piece = text[at : start + j]
            reached = how[j]
            i = j
            if type(reached) is _Curated:
                word = simplified.get(piece, piece) if flags.get(piece, 0) & WORD else None
                append(Token(piece, Kind.CURATED, at, entry=reached.entry, headword=word))
            elif reached in (_CHAR, _WORD):
                word = simplified.get(piece, piece) if flags.get(piece, 0) & WORD else None
                entry = curated.get(word) if word is not None and word != piece else None
                if entry is not None:  # the traditional spelling of a curated word (種草)
                    append(Token(piece, Kind.CURATED, at, entry=entry, headword=word))
                else:
                    append(Token(piece, Kind.CHAR if reached == _CHAR else Kind.WORD, at, headword=word))
            elif reached == _LAUGH:
                word = next(
                    (simplified.get(w, w) for w in (piece[:2], piece[:1]) if flags.get(w, 0) & WORD), None
                )
                append(Token(piece, Kind.WORD, at, headword=word))
            elif reached == _NUMBER:
                append(Token(piece, Kind.NUMBER, at))
            elif reached == scan.HASHTAG:
                parts = tuple(self._hashtag(text, folded, at, start + j))
                append(Token(piece, Kind.HASHTAG, at, parts=parts))
            elif reached == scan.MARK and tokens and not tokens[-1].parts:
                # Combining marks and variation selectors belong to the token before them.
                previous = tokens[-1]
                tokens[-1] = Token(
                    previous.text + piece, previous.kind, previous.start, previous.entry, previous.headword
                )
            else:
                append(Token(piece, _RUN_KINDS.get(str(reached), Kind.OTHER), at))
        return tokens

    def _hashtag(self, text: str, folded: str, start: int, end: int) -> list[Token[Ref]]:
        """The pieces of a hashtag: its marks (# and [话题]) and the words between them."""
        pieces: list[Token[Ref]] = [Token(text[start], Kind.PUNCTUATION, start)]
        inner_end = end
        closing: list[Token[Ref]] = []
        if end - start > 2 and text[end - 1] in "#＃":
            inner_end -= 1
            closing.append(Token(text[inner_end], Kind.PUNCTUATION, inner_end))
            if text.endswith("[话题]", start + 1, inner_end) and inner_end - 4 > start + 1:
                inner_end -= 4
                code = text[inner_end : inner_end + 4]
                kind = Kind.CURATED if self.curated(code) is not None else Kind.BRACKET_CODE
                closing.insert(0, Token(code, kind, inner_end, entry=self.curated(code)))
        if inner_end > start + 1:
            pieces.extend(self._segment(text, folded, start + 1, inner_end))
        return [*pieces, *closing]


@cache
def plain_segmenter() -> Segmenter[object]:
    """The process's segmenter with CC-CEDICT alone (no curated entries), for sandhi and tools."""
    return Segmenter({})


def leaves(tokens: Iterable[Token[Ref]]) -> Iterator[Token[Ref]]:
    """Every token with a hashtag replaced by its parts: the words a reader can look up."""
    for token in tokens:
        yield from token.parts or (token,)
