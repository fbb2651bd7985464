"""Likely personal names in a segmented text: a common surname and one or two given-name characters that
the segmenter left as single characters, merged into one token of `Kind.NAME` (a name has no meaning to
look up, so the reader shows it as a name, not as 王 "king" 小 "small" 明 "bright"). Pure.

Conservative on purpose: a name left split is a small loss, a real word merged into a "name" is a wrong
explanation. So a name is only found
- from a surname of `SURNAMES`: common surnames that are rarely a word of their own in a post (高, 马, 方,
  金, 钱, 汤, 谢, 戴... are left out);
- with given characters the segmenter left alone (whatever formed a dictionary word with its neighbours,
  王国, 高兴, 张开, stays that word) that are neither function words (`NOT_GIVEN`: 的, 是, 说, 了...) nor
  characters that are words of their own (HSK's free characters: 图, 大, 天), except 小 opening a
  two-character given name (王小明);
- where a name stands: at the start of the text or after punctuation, a space or 和/跟/叫/问/给/找/对/让/被;
  and before 说/是/的/和/跟/在/也/都/就/又/还/去/来/今天/刚才/告诉/问/笑, punctuation, a space or the end.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TypeVar

from learnapp.chinese.segment import Kind, Token

Ref = TypeVar("Ref")

SURNAMES = frozenset(
    "王李张刘陈杨赵黄周吴徐孙胡朱林郭罗梁宋郑韩唐冯董萧程曹袁邓傅沈彭吕苏卢蒋蔡贾魏薛潘杜姚谭廖邹陆郝"
    "孔崔秦侯邵孟尹龚"
)
NOT_GIVEN = frozenset(
    "的了是说在和也都就不很有我你他她它们个这那要会能去来到把被给对从让跟又还吗呢吧啊么太最更没好者"
    "一二两三四五六七八九十百千万几多少第老之们家里上下中着过得地等"
)
BEFORE = frozenset({"和", "跟", "叫", "问", "给", "找", "对", "让", "被"})
AFTER = frozenset(
    {
        "说",
        "是",
        "的",
        "和",
        "跟",
        "在",
        "也",
        "都",
        "就",
        "又",
        "还",
        "去",
        "来",
        "今天",
        "刚才",
        "告诉",
        "问",
        "笑",
    }
)
_OPEN = frozenset({Kind.PUNCTUATION, Kind.SPACE, Kind.EMOJI, Kind.BRACKET_CODE})
SMALL = "小"


def _given(token: Token[Ref], is_free: Callable[[str], bool], first_of_two: bool) -> bool:
    if token.kind is not Kind.CHAR or token.text in NOT_GIVEN:
        return False
    return not is_free(token.text) or (first_of_two and token.text == SMALL)


def _opens(token: Token[Ref] | None) -> bool:
    return token is None or token.kind in _OPEN or token.text in BEFORE


def _closes(token: Token[Ref] | None) -> bool:
    return token is None or token.kind in _OPEN or token.text in AFTER


def mark_names(tokens: Sequence[Token[Ref]], is_free: Callable[[str], bool]) -> list[Token[Ref]]:
    """`tokens` with each likely personal name (see the module docstring) merged into one `Kind.NAME`
    token; `is_free(char)`: whether a character is a word of its own (the lexicon's FREE flag)."""
    out: list[Token[Ref]] = []
    i, count = 0, len(tokens)
    while i < count:
        token = tokens[i]
        if token.kind is Kind.CHAR and token.text in SURNAMES and _opens(out[-1] if out else None):
            for given in (2, 1):
                parts = tokens[i + 1 : i + 1 + given]
                if len(parts) < given:
                    continue
                if not all(_given(part, is_free, given == 2 and n == 0) for n, part in enumerate(parts)):
                    continue
                after = tokens[i + 1 + given] if i + 1 + given < count else None
                if not _closes(after):
                    continue
                text = token.text + "".join(part.text for part in parts)
                out.append(replace(token, text=text, kind=Kind.NAME, headword=None))
                i += 1 + given
                break
            else:
                out.append(token)
                i += 1
            continue
        out.append(token)
        i += 1
    return out
