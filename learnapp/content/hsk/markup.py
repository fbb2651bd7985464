"""CC-CEDICT's definition markup made readable, or left out.

A CC-CEDICT definition carries notes for dictionary users: cross references written traditional|simplified
[pin1 yin1], "CL:個|个[ge4]" classifier lists, "also pr. [...]", "Taiwan pr. [...]", "variant of ...".
`clean` turns one definition into the text a learner reads on a card, or "" when nothing readable is left;
`classifiers` collects the measure words of a "CL:" note. Pure: no Flask, no database.
"""

from __future__ import annotations

import re

from learnapp.chinese.cedict import convert_pinyin

# 個|个[ge4] or 女孩[nu:3 hai2]: the simplified form is the last one before the brackets.
_REFERENCE = re.compile(r"(?:[^\s|\[\]()/,;:]+\|)?([^\s|\[\]()/,;:]+)\[([A-Za-z0-9:·, ]+)\]")
_PAIR = re.compile(r"[^\s|\[\]()/,;:]+\|([^\s|\[\]()/,;:]+)")  # 百老匯大廈|百老汇大厦 without pinyin
_BARE_PINYIN = re.compile(r"\s*\[[A-Za-z0-9:·, ]+\]")
# Whole definitions that are notes, not senses.
_NOT_A_SENSE = re.compile(
    r"^(\(?(?:[a-z()]+ )*variant of|"
    r"also written|also pr\.|Taiwan pr\.|Beijing pr\.|see also|see |used in |used as |abbr\. for|"
    r"Example:|CL:|\(Tw\)|Kangxi radical|bound form having|surname |Japanese surname|"
    r"\(?(old|archaic|also) (name|spelling|form|term) (of|for)|also called |i\.e\. )",
    re.IGNORECASE,
)
# Notes inside a definition that we drop: "(Taiwan pr. [xing4])", "(abbr. for ...)", "(CL:...)".
_INLINE_NOTES = (
    re.compile(r"\s*\((?:also|Taiwan|colloquial|Beijing|coll\.)\s+pr\.[^)]*\)", re.IGNORECASE),
    re.compile(r"[,;]?\s*(?:also|Taiwan|Beijing) pr\.\s*\[[^\]]*\].*$", re.IGNORECASE),
    re.compile(
        r"\s*\((?:abbr\. for|also written|also called|see also|see|variant of|old variant of|"
        r"orthographic borrowing|loanword from)[^()]*(?:\([^()]*\)[^()]*)*\)",
        re.IGNORECASE,
    ),
    re.compile(r"\s*\(CL:[^)]*\)"),
    re.compile(r"[,;]\s*CL:.*$"),
    re.compile(r"\s*\(bound form\)\s*", re.IGNORECASE),
    re.compile(r"\s*\(PRC\)\s*"),
)
_CLASSIFIER_NOTE = re.compile(r"(?:^|\()CL:([^)]*)")
_CLASSIFIER = re.compile(r"^\(?classifier( used)?\b", re.IGNORECASE)


def reference_text(match: re.Match[str]) -> str:
    return match.group(1)


def clean(definition: str) -> str:
    """One definition as a learner reads it; "" when it is only a dictionary note."""
    text = definition.strip()
    if _NOT_A_SENSE.match(text):
        return ""
    for pattern in _INLINE_NOTES:
        text = pattern.sub(" ", text).strip()
    text = _REFERENCE.sub(reference_text, text)
    text = _PAIR.sub(r"\1", text)
    text = _BARE_PINYIN.sub("", text)
    text = re.sub(r"\(\s*\)", "", text)
    text = re.sub(r"\s+", " ", text).strip(" ,;")
    text = re.sub(r"\s+([,;)])", r"\1", text)
    if _CLASSIFIER.match(text):
        text = re.sub(r"^(\(?)classifier", r"\1measure word", text, flags=re.IGNORECASE)
    text = re.sub(r"\bclassifier\b", "measure word", text)
    if not re.search("[A-Za-z]", text) or "[" in text or "]" in text or "|" in text or "CL:" in text:
        return ""
    if text.startswith("(") and text.endswith(")") and text.count("(") == 1:
        text = text[1:-1]  # "(completed action marker)" is the whole sense
    return text


def is_classifier_sense(text: str) -> bool:
    return text.lower().startswith(("measure word", "(measure word"))


def classifiers(definition: str) -> list[tuple[str, str]]:
    """The measure words of a "CL:個|个[ge4],件[jian4]" note: [("个", "gè"), ("件", "jiàn")]."""
    match = _CLASSIFIER_NOTE.search(definition)
    if not match:
        return []
    found: list[tuple[str, str]] = []
    for reference in _REFERENCE.finditer(match.group(1)):
        pinyin = convert_pinyin(reference.group(2).replace(",", " ")) or ""
        found.append((reference.group(1), pinyin))
    return found
