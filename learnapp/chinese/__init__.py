"""Pure Chinese-language helpers: no Flask, no database."""

from learnapp.chinese.pinyin import has_hanzi, pinyin_for, reading_for

__all__ = ["has_hanzi", "pinyin_for", "reading_for"]
