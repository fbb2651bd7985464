"""Personal names in the reader (learnapp.chinese.names, through Segmenter.segment(names=True)): a common
surname and one or two given-name characters are one NAME token where a name stands, and real words stay
words. The cuts are written by hand; a name left split is tolerated, a word merged into a "name" is not."""

from __future__ import annotations

import pytest

from learnapp.chinese.reading import readings
from learnapp.chinese.segment import Kind, leaves, plain_segmenter


def cut(text: str) -> list[str]:
    """The text as "word" or "name:王小明" pieces, spaces and punctuation included."""
    return [
        f"name:{token.text}" if token.kind is Kind.NAME else token.text
        for token in leaves(plain_segmenter().segment(text, names=True))
    ]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("王小明说他今天不来", "王小明"),  # at the start, before 说
        ("杨幂也来了", "杨幂"),  # a two-character name before 也
        ("李明：你好", "李明"),  # before punctuation
        ("王芳。", "王芳"),  # at the end of a sentence
        ("昨天我问了王小明。", None),  # 了 before it: not where a name stands (left split)
        ("我跟王小明说了", "王小明"),  # after 跟
        ("周小丽的猫好可爱", "周小丽"),  # before 的
        ("你好！林晓是我同学", "林晓"),  # after punctuation, before 是
        ("[doge]陈伟在干嘛", "陈伟"),  # after a sticker code, before 在
    ],
)
def test_likely_names_are_one_token(text, name):
    names = [piece.removeprefix("name:") for piece in cut(text) if piece.startswith("name:")]
    assert names == ([name] if name else [])
    assert "".join(piece.removeprefix("name:") for piece in cut(text)) == text  # nothing lost or added


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("王国很大", ["王国", "很", "大"]),  # a dictionary word stays the word ("kingdom")
        ("高兴", ["高兴"]),  # 高 is no surname of ours, and 高兴 is a word
        ("张开嘴", ["张开", "嘴"]),  # 张开 "open", not 张 + 开
        ("马上就到", ["马上", "就", "到"]),
        ("周一见", ["周一", "见"]),
        ("我姓王", ["我", "姓", "王"]),  # a surname alone is no name
        ("小王说", ["小", "王", "说"]),  # nothing after the surname
        ("王老师说", ["王", "老师", "说"]),  # 老师 is a word: no given name
        ("王者荣耀", ["王", "者", "荣耀"]),  # 者 is no given name
        ("张图是我拍的", ["张", "图", "是", "我", "拍", "的"]),  # 图 is a word of its own ("picture")
        ("谢了", ["谢", "了"]),  # 谢 is not in the list (thanks)
        ("黄了", ["黄", "了"]),  # 了 is no given name
        ("陈晨说好的", ["陈", "晨", "说好", "的"]),  # followed by the word 说好, not 说: left split
        ("赵丽颖好美", ["赵", "丽", "颖", "好", "美"]),  # 好 is not where a name ends: left split
        ("孙悟空说", ["孙悟空", "说"]),  # the dictionary's own name stays its word
    ],
)
def test_words_and_unsure_cases_are_left_as_they_were(text, expected):
    assert cut(text) == expected
    assert [t.text for t in leaves(plain_segmenter().segment(text))] == expected  # the default: no names


def test_a_name_is_read_as_one_with_its_pinyin():
    tokens = plain_segmenter().segment("王小明说", names=True)
    assert tokens[0].kind is Kind.NAME and tokens[0].headword is None
    assert readings(tokens)[0].citation.replace(" ", "") == "wángxiǎomíng"
