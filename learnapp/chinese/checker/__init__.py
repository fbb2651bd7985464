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

`Check.reason` names the one plain reason behind a "wrong" when there is one, for the feedback's headline:
"empty" (nothing typed: no answer, not a wrong one), "not_pinyin" (characters, digits, emoji, HTML),
"unknown" (letters that spell no pinyin syllable, named in the message) and "extra" (the word's syllables
with more typed after them).

Proposed rating (FSRS), one simple rule: right -> 3 Good (in the citation or the spoken form alike);
anything else -> 1 Again, tone mistakes included, because a wrong tone is a wrong word in Mandarin and
should come back soon. The learner can still pick another button; the message says what was wrong.

Modules: `model` (the values), `typed` (reading the answer), `expected` (the word's syllables),
`grade` (alignment and messages), `tones` (tone drills).
"""

from __future__ import annotations

from learnapp.chinese.checker.expected import typing_examples
from learnapp.chinese.checker.grade import check
from learnapp.chinese.checker.model import AGAIN, EASY, GOOD, HARD, MAX_CHARS, REASONS, Check, SyllableMark
from learnapp.chinese.checker.tones import ToneCheck, check_tones, tone_pair

__all__ = [
    "AGAIN",
    "EASY",
    "GOOD",
    "HARD",
    "MAX_CHARS",
    "REASONS",
    "Check",
    "SyllableMark",
    "ToneCheck",
    "check",
    "check_tones",
    "tone_pair",
    "typing_examples",
]
