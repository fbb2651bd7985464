"""Pure Chinese-language helpers: no Flask, no database."""

from learnapp.chinese.pinyin import pinyin_for, reading_for
from learnapp.chinese.syllables import has_hanzi

__all__ = ["has_hanzi", "pinyin_for", "reading_for"]
