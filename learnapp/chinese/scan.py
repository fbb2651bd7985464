"""The first pass of the reader's segmenter: a text cut into runs by the kind of their characters.

One regular expression (the `regex` module, for Unicode's emoji and script properties and grapheme
clusters) finds, left to right: URLs and e-mail addresses, @mentions, #hashtags# (Weibo's `#话题#`,
Xiaohongshu's `#话题[话题]#` and the open `#ootd`), emoji (a whole grapheme cluster: skin tones, ZWJ
sequences, flags and keycaps stay one), bracket codes ([doge], [笑哭R]), numbers (12.5, 3w, 10k, 99%,
１２３, 10:30), Latin words (don't, u1s1, iPhone15), runs of hanzi (cut into words later), other
scripts, whitespace, punctuation (a run of one mark, such as ！！！ or ……, is one piece) and, last,
any other grapheme cluster. Every character lands in exactly one run. Combining marks left over after a
run (an ideographic variation selector after a hanzi) are a `mark` run, which the segmenter joins to the
token before it.
"""

from __future__ import annotations

import regex

HANZI = "hanzi"
URL = "url"
MENTION = "mention"
HASHTAG = "hashtag"
EMOJI = "emoji"
BRACKET_CODE = "bracket_code"
NUMBER = "number"
LATIN = "latin"
SPACE = "space"
PUNCTUATION = "punctuation"
OTHER = "other"
MARK = "mark"  # combining marks, joiners or variation selectors with nothing to combine with in their run

# Symbols Unicode counts as pictographic but that read as text unless an emoji variation selector follows.
_TEXT_SYMBOLS = "©®‼⁉™ℹ↔-↙↩↪"
_LETTER = r"[\p{Latin}\p{Greek}\p{Cyrillic}]"
_DIGIT = r"(?:[0-9０-９](?!\uFE0F?\u20E3))"
_URL_END = r"[A-Za-z0-9/=_#&%+~\-]"
_TLD = (
    "com|cn|net|org|tv|io|me|cc|co|app|top|xyz|info|edu|gov|hk|tw|jp|uk|us|ly|gl|link|site|shop|"
    "vip|club|live|art|fun"
)
# Characters that end a mention: whitespace, @ and #, punctuation other than _ - · and symbols (emoji).
_MENTION_STOP = r"[\s@#＃]|[^\P{P}_\-·・]|\p{S}"

_PATTERN = regex.compile(
    rf"""
    (?P<hanzi>\p{{Han}}+)
  | (?P<space>\s+)
  | (?P<url>
        (?:https?://|www\.)[\x21-\x7E]*{_URL_END}
      | [A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{{2,}}
      | (?<![A-Za-z0-9\-.@])[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9\-]+)*
        \.(?:{_TLD})(?![A-Za-z0-9\-])(?:/(?:[\x21-\x7E]*{_URL_END})?)?
    )
  | (?P<mention>(?<![A-Za-z0-9_.])@(?:(?!{_MENTION_STOP})\X){{1,30}})
  | (?P<hashtag>
        (?<![A-Za-z0-9&#＃])[#＃](?:[^#＃\s]|(?<=[A-Za-z0-9])\x20(?=[A-Za-z0-9])){{1,60}}?
        (?:\[话题\])?[#＃]
      | (?<![A-Za-z0-9&#＃])[#＃](?=[\p{{N}}_]*\p{{L}})[\p{{L}}\p{{N}}_]{{1,20}}(?![\p{{L}}\p{{N}}_])
    )
  | (?P<emoji>
        (?=[0-9#*]\uFE0F?\u20E3|\p{{Regional_Indicator}}|\p{{Emoji_Modifier}}
           |(?![{_TEXT_SYMBOLS}](?!\uFE0F))\p{{Extended_Pictographic}})\X
    )
  | (?P<bracket_code>\[(?=[^\]]*[^\]0-9])[\p{{Han}}\p{{Latin}}0-9]{{1,12}}\])
  | (?P<number>{_DIGIT}+(?:[.．:：,/\-]{_DIGIT}+)*(?:[wWkK](?![\p{{Latin}}0-9]))?[+＋]?[%％‰]?)
  | (?P<latin>{_LETTER}(?:[\p{{Latin}}\p{{Greek}}\p{{Cyrillic}}\p{{M}}0-9０-９]|['’\-](?={_LETTER}))*)
  | (?P<other>[\p{{Hiragana}}\p{{Katakana}}ー]+|\p{{Hangul}}+)
  | (?P<punctuation>(?P<sign>[\p{{P}}\p{{S}}])(?P=sign)*)
  | (?P<mark>[\p{{M}}\u200C\u200D\U000E0100-\U000E01EF]+)
  | (?P<fallback>\X)
    """,
    regex.VERBOSE,
)


def runs(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """(start, end, kind) of each run of `text[start:end]`, in order, covering it exactly."""
    found: list[tuple[int, int, str]] = []
    append = found.append
    for match in _PATTERN.finditer(text, start, len(text) if end is None else end):
        kind = match.lastgroup
        append((match.start(), match.end(), OTHER if kind is None or kind == "fallback" else kind))
    return found


# Full-width ASCII and capital letters to their plain lower-case forms, one character for one, so that
# offsets in the folded text are offsets in the original.
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FOLD.update({code: code + 0x20 for code in range(ord("A"), ord("Z") + 1)})
_FOLD.update({code: code - 0xFEE0 + 0x20 for code in range(0xFF21, 0xFF3B)})


def fold(text: str) -> str:
    """`text` with full-width ASCII made plain and A-Z made lower case (ＹＹＤＳ -> yyds); same length."""
    return text.translate(_FOLD)
