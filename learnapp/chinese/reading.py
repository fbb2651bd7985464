"""What the reader shows around the tokens: their pinyin, and the sentence a word was met in.

`readings(tokens)` gives each token that has hanzi its citation pinyin (the curated entry's own, when the
caller passes it, else CC-CEDICT's common reading, else pypinyin: `pinyin.pinyin_for`) and its spoken
form in this text, with tone sandhi across the words of each stretch between punctuation
(`sandhi.spoken_words`: 你好 ní hǎo, 一个 yí gè, 不是 bú shì, 统一 stays tǒng yī).

A few characters standing alone are read by their neighbours rather than by their most common reading
(`in_context`): 得 after a verb is the particle de (讲得好 jiǎng de hǎo) but "must" děi after a subject
or an adverb (我得走了 wǒ děi zǒu le, 还得等); 地 after an adverb of two characters or more is the
particle de (慢慢地走); 长 before 得 is zhǎng "to grow" (长得很帅).

`sentence_around(text, offset)` cuts out the sentence around a word for sentence mining: from the last
。！？!?… or line break before it to the next one (closing quotes and brackets kept with their
sentence), trimmed, and if longer than `limit` characters, narrowed around the word at the nearest
commas, else at the limit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from learnapp.chinese.pinyin import pinyin_for
from learnapp.chinese.sandhi import spoken_words
from learnapp.chinese.segment import Kind, Token, leaves
from learnapp.chinese.syllables import has_hanzi

Ref = TypeVar("Ref")

SENTENCE_ENDS = frozenset("。！？!?…\n\r\u2028\u2029")
CLOSERS = frozenset("”’」』）)】》〉\"'")
SOFT_BREAKS = frozenset("，,；;：:、 \u3000")
SENTENCE_LIMIT = 120
# Words after which a lone 得 means "must" (děi): subjects and the adverbs that come before a modal.
_DEI_AFTER = frozenset(
    [
        "我",
        "你",
        "您",
        "他",
        "她",
        "它",
        "我们",
        "你们",
        "他们",
        "她们",
        "咱们",
        "大家",
        "还",
        "就",
        "也",
        "都",
        "又",
        "总",
        "总是",
        "必须",
        "非",
        "可",
        "那",
        "那就",
    ]
)


@dataclass(frozen=True, slots=True)
class Reading:
    citation: str  # citation pinyin in tone marks, one space between syllables
    spoken: str  # the spoken form here, after tone sandhi; equal to `citation` when nothing changes


@lru_cache(maxsize=65_536)
def citation_pinyin(word: str) -> str:
    """Citation pinyin of a word or character (simplified or traditional)."""
    return pinyin_for(word)


def readings(
    tokens: Sequence[Token[Ref]], curated_pinyin: Mapping[Ref, str] | None = None
) -> dict[int, Reading]:
    """The pinyin of every token with hanzi (hashtags' words included), keyed by the token's start
    offset. `curated_pinyin` gives our entries' own pinyin (entry -> citation), which wins."""
    words: list[tuple[str, str]] = []
    starts: list[int | None] = []
    flat = list(leaves(list(tokens)))
    for index, token in enumerate(flat):
        citation = ""
        if token.kind in (Kind.WORD, Kind.CHAR, Kind.CURATED, Kind.NAME) and has_hanzi(token.text):
            if token.kind is Kind.CURATED and curated_pinyin and token.entry is not None:
                citation = curated_pinyin.get(token.entry, "")
            if not citation and token.kind is Kind.CHAR:
                before = flat[index - 1].text if index else ""
                after = flat[index + 1].text if index + 1 < len(flat) else ""
                citation = in_context(token.headword or token.text, before, after)
            citation = citation or citation_pinyin(token.headword or token.text)
        words.append((token.text, citation))
        starts.append(token.start if citation else None)
    spoken = spoken_words(words) if words else []
    return {
        start: Reading(citation, said)
        for start, (_, citation), said in zip(starts, words, spoken, strict=True)
        if start is not None
    }


def in_context(char: str, before: str, after: str) -> str:
    """The reading of `char` standing alone between the tokens `before` and `after` where its neighbours
    decide it; "" when they do not (the caller takes the usual reading)."""
    if char == "得" and has_hanzi(before):
        return "děi" if before in _DEI_AFTER else "de"
    if char == "地" and len(before) >= 2 and has_hanzi(before) and has_hanzi(after):
        return "de"
    if char == "长" and after.startswith("得"):
        return "zhǎng"
    return ""


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    start: int  # offset of `text` in the whole text
    end: int


def sentence_around(text: str, offset: int, length: int = 1, limit: int = SENTENCE_LIMIT) -> Sentence:
    """The sentence of `text` holding the word at `offset` (`length` characters long), trimmed; at most
    `limit` characters, narrowed around the word when the sentence is longer."""
    offset = max(0, min(offset, len(text) - 1))
    length = max(0, min(length, len(text) - offset))
    start = offset
    while start > 0 and text[start - 1] not in SENTENCE_ENDS:
        start -= 1
    while start < offset and (text[start] in CLOSERS or text[start].isspace()):
        start += 1
    end = offset + length
    while end < len(text) and text[end] not in SENTENCE_ENDS:
        end += 1
    while end < len(text) and text[end] in SENTENCE_ENDS and text[end] not in "\n\r\u2028\u2029":
        end += 1
    while end < len(text) and text[end] in CLOSERS:
        end += 1
    if end - start > limit:
        start, end = _narrow(text, start, end, offset, offset + length, limit)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Sentence(text[start:end], start, end)


def _narrow(text: str, start: int, end: int, word_start: int, word_end: int, limit: int) -> tuple[int, int]:
    """A window of at most `limit` characters of text[start:end] holding the word, cut at soft breaks
    (commas and the like) where there are some, else centred on the word."""
    room = max(0, limit - (word_end - word_start))
    left = max(start, word_start - room // 2)
    right = min(end, word_end + (room - (word_start - left)))
    left = max(start, right - max(limit, word_end - word_start))
    # Move each edge inwards to just after (before) the nearest soft break, if the word stays inside.
    for i in range(left, word_start):
        if text[i] in SOFT_BREAKS:
            if i + 1 - left <= limit // 3:
                left = i + 1
            break
    for i in range(right - 1, word_end - 1, -1):
        if text[i] in SOFT_BREAKS:
            if right - (i + 1) <= limit // 3:
                right = i + 1
            break
    return left, right
