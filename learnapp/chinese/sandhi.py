"""Tone sandhi: the spoken form of a word or a phrase from its citation pinyin.

Rules (standard Mandarin at normal speed):
- 不 bù before a fourth tone is said bú (不是 bú shì, 不客气 bú kè qi); between a repeated verb or
  adjective it is neutral (是不是 shì bu shì).
- 一 yī before a fourth tone (or a neutral tone, whose syllable is a fourth tone underneath: 一个 yí ge)
  is said yí (一样 yí yàng), before any other tone yì (一天 yì tiān); between a repeated verb it is
  neutral (看一看 kàn yi kàn, but 一个一个 yí gè yí gè). It stays yī when counted or ordinal: at the
  end of a word (统一, 星期一), after 第, 十, 初, 万, 唯, 统 or a digit, or before a digit, a sum sign or a
  date/rank word (一月, 一号, 一楼, 一九九一).
- A third tone before a third tone is said as a second tone (你好 ní hǎo); in a run of third tones all
  but the last rise (我也很好 wó yé hén hǎo), the usual reading at normal speed. A neutral tone breaks a
  run: its underlying tone is not written, so we change nothing rather than guess (小姐 stays xiǎo jie).

`spoken_form` reads one headword: the whole string is one word. `spoken_phrase` reads a phrase or a
sentence: it cuts the characters into words (the reader's segmenter, `words_of`) so that 一 at the end
of a word stays yī (星期一去 xīng qī yī qù), while 不 and third-tone runs go across words.
Punctuation and any other text that is not hanzi (a comma, "yyds", an emoji) ends a prosodic group: no
sandhi reaches across it (你好，我很好 ní hǎo, wó hén hǎo).

`spoken_words` does the same for words already cut (the reader's tokens with their citation pinyin).

Where the syllables cannot be lined up with the characters, nothing is changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from learnapp.chinese.display import align_pieces, pinyin_pieces
from learnapp.chinese.syllables import NEUTRAL, Syllable, align, mark, parse_pinyin

_DIGITS = set("一二三四五六七八九〇零")
_YI_STAYS_AFTER = set("第十初万唯统") | _DIGITS
_YI_STAYS_BEFORE = _DIGITS | set("十月号楼等级层流线加减乘除")
# Words ending in 一 whose 一 is still the number "one" of what follows, so it changes as usual:
# 另一个 lìng yí ge, 同一个 tóng yí ge, 刚一进门 gāng yí jìn mén.
_YI_OPEN_WORDS = {"另一", "同一", "刚一", "任一", "偶一", "甫一"}


def _spoken_tones(
    units: list[str],
    syllables: list[Syllable],
    groups: list[int] | None = None,
    word_final: frozenset[int] = frozenset(),
) -> list[int]:
    """The spoken tone of each syllable. `units` are the characters read by each syllable; `groups` the
    prosodic group of each (no rule crosses from one group to the next); `word_final` the indexes of
    syllables that end a word of two or more characters."""
    count = len(syllables)
    group = groups or [0] * count
    citation = [s.tone for s in syllables]
    tones = list(citation)

    def neighbour(i: int, step: int) -> int | None:
        j = i + step
        return j if 0 <= j < count and group[j] == group[i] else None

    for i, unit in enumerate(units):
        b, a = neighbour(i, -1), neighbour(i, 1)
        before = units[b] if b is not None else None
        after = units[a] if a is not None else None
        reduplicated = before is not None and before == after
        if unit == "不" and syllables[i].base == "bu" and citation[i] == 4:
            if reduplicated:
                tones[i] = NEUTRAL
            elif a is not None and citation[a] == 4:
                tones[i] = 2
        elif unit == "一" and syllables[i].base == "yi" and citation[i] == 1:
            if i in word_final:
                continue
            b2 = neighbour(b, -1) if b is not None else None
            if reduplicated and not (b2 is not None and units[b2] == "一"):
                tones[i] = NEUTRAL  # 看一看, but not 一个一个
            elif a is None or (before and before[-1] in _YI_STAYS_AFTER) or after[0] in _YI_STAYS_BEFORE:  # type: ignore[index]
                continue
            else:
                tones[i] = 2 if citation[a] in (4, NEUTRAL) else 4
    # Third-tone runs: every third tone written before another third tone rises.
    for i in range(count - 1):
        if citation[i] == 3 and citation[i + 1] == 3 and group[i] == group[i + 1]:
            tones[i] = 2
    return tones


def spoken_syllables(hanzi: str, syllables: list[Syllable]) -> list[Syllable]:
    """The spoken syllables of one headword; unchanged when they do not line up with its characters."""
    units = align(hanzi, syllables)
    if units is None:
        return list(syllables)
    tones = _spoken_tones(units, syllables)
    return [Syllable(s.base, tone, s.erhua) for s, tone in zip(syllables, tones, strict=True)]


def spoken_form(hanzi: str, citation: str) -> str:
    """The spoken pinyin of headword `hanzi` read `citation`; equal to `citation` when no sandhi applies."""
    syllables = parse_pinyin(citation)
    if not syllables:
        return citation
    return " ".join(s.marked for s in spoken_syllables(hanzi, syllables))


@lru_cache(maxsize=4096)
def words_of(text: str) -> tuple[str, ...]:
    """`text` (hanzi, no punctuation) cut into words by the reader's segmenter (CC-CEDICT, no curated
    entries): the one segmentation of Chinese in the codebase."""
    from learnapp.chinese.segment import plain_segmenter

    return tuple(token.text for token in plain_segmenter().segment(text))


@lru_cache(maxsize=65_536)
def _lined_up(text: str, citation: str) -> tuple[list[str], list[Syllable]] | None:
    """The characters read by each syllable of `citation`, and the syllables; None when they do not
    line up. Cached: a text's words repeat, and parsing pinyin is the costly part of reading them."""
    parsed = parse_pinyin(citation)
    aligned = align(text, parsed) if parsed else None
    return None if aligned is None or not parsed else (aligned, parsed)


def spoken_words(words: Sequence[tuple[str, str]]) -> list[str]:
    """The spoken pinyin of each of `words`, (text, citation pinyin) pairs in reading order, with sandhi
    across them: a word without pinyin or whose syllables do not line up with its hanzi (punctuation,
    yyds, an emoji) ends a prosodic group. Each spoken form equals its citation when nothing changes."""
    units: list[str] = []
    syllables: list[Syllable] = []
    groups: list[int] = []
    final: set[int] = set()
    owners: list[list[int]] = []  # the syllable indexes of each word
    group = 0
    for text, citation in words:
        lined_up = _lined_up(text, citation) if citation else None
        if lined_up is None:
            owners.append([])
            group += 1
            continue
        aligned, parsed = lined_up
        first = len(syllables)
        units.extend(aligned)
        syllables.extend(parsed)
        groups.extend([group] * len(parsed))
        owners.append(list(range(first, len(syllables))))
        if len(text) > 1 and text.endswith("一") and text not in _YI_OPEN_WORDS:
            final.add(len(syllables) - 1)
    tones = _spoken_tones(units, syllables, groups, frozenset(final)) if syllables else []
    out: list[str] = []
    for (_, citation), owned in zip(words, owners, strict=True):
        if not owned or all(tones[i] == syllables[i].tone for i in owned):
            out.append(citation)
        else:
            out.append(
                " ".join(Syllable(syllables[i].base, tones[i], syllables[i].erhua).marked for i in owned)
            )
    return out


def spoken_phrase(hanzi: str, citation: str) -> str:
    """The spoken pinyin of a phrase or sentence `hanzi` read `citation`, written as `citation` is
    (capitals, punctuation and spacing kept: "Nǐ hǎo, wǒ hěn hǎo." -> "Ní hǎo, wó hén hǎo."); `citation`
    unchanged when no sandhi applies or the syllables do not line up with the characters."""
    if not hanzi or not citation:
        return citation
    return _spoken_phrase(hanzi, citation)


@lru_cache(maxsize=2048)
def _spoken_phrase(hanzi: str, citation: str) -> str:
    pieces = pinyin_pieces(citation)
    stretches = align_pieces(hanzi, citation)
    if stretches is None:
        return citation
    # Syllables in reading order with their characters and prosodic group.
    order: list[int] = []  # piece index of each syllable
    units: list[str] = []
    groups: list[int] = []
    group = 0
    last_piece = -1
    for text, piece_index in stretches:
        if piece_index is None:
            if text.strip():
                group += 1
            continue
        if last_piece >= 0 and any(
            piece.syllable is None and not _is_space(piece.text)
            for piece in pieces[last_piece + 1 : piece_index]
        ):
            group += 1  # punctuation (or a word that is not pinyin) between the two syllables
        order.append(piece_index)
        units.append(text)
        groups.append(group)
        last_piece = piece_index
    if not order:
        return citation
    syllables = [pieces[i].syllable for i in order]
    word_final = _word_final(units, groups)
    tones = _spoken_tones(units, syllables, groups, word_final)  # type: ignore[arg-type]
    changed = {
        piece_index: _as_written(pieces[piece_index].text, mark(syllable.base, tone))  # type: ignore[union-attr]
        for piece_index, syllable, tone in zip(order, syllables, tones, strict=True)
        if tone != syllable.tone  # type: ignore[union-attr]
    }
    if not changed:
        return citation
    return "".join(changed.get(i, piece.text) for i, piece in enumerate(pieces))


def _is_space(text: str) -> bool:
    return all(char.isspace() or char in "'’-" for char in text)


def _word_final(units: list[str], groups: list[int]) -> frozenset[int]:
    """Indexes of the syllables read as 一 that end a word of two or more characters (统一, 星期一)."""
    final: set[int] = set()
    start = 0
    while start < len(units):
        end = start
        while end < len(units) and groups[end] == groups[start]:
            end += 1
        text = "".join(units[start:end])
        # Character offset -> syllable index, for the characters each syllable reads.
        owner: list[int] = []
        for i in range(start, end):
            owner.extend([i] * len(units[i]))
        offset = 0
        for word in words_of(text):
            offset += len(word)
            last = owner[offset - 1]
            if len(word) > 1 and word.endswith("一") and word not in _YI_OPEN_WORDS:
                final.add(last)
        start = end
    return frozenset(final)


def _as_written(original: str, marked: str) -> str:
    """`marked` in the case `original` was written in (Nǐ -> Ní, NǏ -> NÍ)."""
    if len(original) > 1 and original.isupper():
        return marked.upper()
    if original[:1].isupper():
        return marked[:1].upper() + marked[1:]
    return marked
