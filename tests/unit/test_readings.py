"""Deck pinyin against CC-CEDICT (content/readings.py) and the label tags (content/labels.py): a row that
contradicts the dictionary fails with its file and line, the same row with a stated reason passes, rows
that agree pass; label tags are accepted only as spelt."""

import pytest

from learnapp.content.deckfile import DeckFileError, parse_deck_text
from learnapp.content.labels import LABELS, entry_labels, label_problems, lookalike
from learnapp.content.readings import contradictions, reading_problems

HEAD = '[deck]\nslug = "readings"\ntitle = "Readings"\n'


def deck(*entries: str) -> str:
    return HEAD + "".join(f"\n[[entries]]\n{entry}" for entry in entries)


def entry(key: str, headword: str, pinyin: str, extra: str = "") -> str:
    return f'id = "{key}"\nheadword = "{headword}"\npinyin = "{pinyin}"\nmeaning = "m"\n{extra}'


def line_of(text: str, start: str, occurrence: int = 1) -> int:
    """The 1-based number of the `occurrence`-th line of `text` that starts with `start`."""
    numbers = [i + 1 for i, line in enumerate(text.split("\n")) if line.startswith(start)]
    return numbers[occurrence - 1]


# ---------------------------------------------------------------- the rule on deck files


def test_a_row_that_contradicts_cedict_fails_with_file_and_line():
    text = deck(entry("ok", "你好", "nǐ hǎo"), entry("heavy", "重庆", "zhòng qìng"))
    parse_deck_text(text, "cities.toml")  # the file itself is well formed

    problems = reading_problems(text, "cities.toml")

    line = line_of(text, 'pinyin = "zhòng qìng"')
    assert [(p.path, p.line, p.field) for p in problems] == [("cities.toml", line, "pinyin")]
    assert line == 14
    assert str(problems[0]).startswith("cities.toml:14: pinyin: heavy: 重庆 is written 'zhòng qìng'")
    assert "CC-CEDICT reads it chóng qìng" in str(problems[0])
    assert "reading_note" in str(problems[0])


def test_the_same_row_with_a_stated_reason_passes():
    reason = 'reading_note = "A made-up reading for this test: the deck means it."\n'
    text = deck(entry("heavy", "重庆", "zhòng qìng", reason))
    assert parse_deck_text(text, "cities.toml").entries[0].pinyin == "zhòng qìng"
    assert reading_problems(text, "cities.toml") == []


def test_an_empty_or_non_text_reason_is_not_a_reason():
    empty = deck(entry("heavy", "重庆", "zhòng qìng", 'reading_note = "  "\n'))
    line = line_of(empty, "reading_note")
    assert [(p.line, p.field) for p in reading_problems(empty, "x.toml")] == [(line, "reading_note")]
    number = deck(entry("heavy", "重庆", "zhòng qìng", "reading_note = 3\n"))
    with pytest.raises(DeckFileError) as raised:
        parse_deck_text(number, "x.toml")
    assert [(p.line, p.field) for p in raised.value.problems] == [(line, "entries[1].reading_note")]


def test_rows_that_agree_pass():
    text = deck(
        entry("nihao", "你好", "nǐ hǎo"),
        entry("pianyi", "便宜", "pián yi"),  # one of two readings (biàn yí is the other)
        entry("zhidao", "知道", "zhī dao"),  # CC-CEDICT writes zhī dào; a light second syllable is usual
        entry("ganfan", "干饭", "gàn fàn"),  # the slang reading is in the dictionary too
        entry("yidianr", "一点儿", "yī diǎnr"),  # erhua
        entry("city", "city不city", "city bu city"),  # Latin words skipped; 不 light in A-not-A
        entry("eren", "e人", "e rén"),  # the letter e is not the syllable e
        entry("code", "[哭惹R]", "kū rě"),  # sticker codes: the hanzi inside the brackets
        entry("hajimi", "哈基米", "hā jī mǐ"),  # not in the dictionary: each character is checked
        'id = "emoji"\nheadword = "🙂"\nmeaning = "m"\n',  # nothing to check
    )
    parse_deck_text(text, "fine.toml")
    assert reading_problems(text, "fine.toml") == []


@pytest.mark.parametrize(
    ("headword", "pinyin", "looked_up"),
    [
        ("谢谢", "xiè xiè", "谢谢"),  # a full tone where the dictionary has a light one
        ("马", "ma", "马"),  # a light tone on a word's first syllable
        ("便宜", "pián yí", "便宜"),  # each character has these readings, the word does not
        ("哈基米", "hà jī mǐ", "哈"),  # not in the dictionary: the character that is wrong
        ("厦门", "shà mén", "厦门"),
    ],
)
def test_contradictions_name_what_was_looked_up(headword, pinyin, looked_up):
    found = contradictions(headword, pinyin)
    assert [c.hanzi for c in found] == [looked_up]


def test_pinyin_that_does_not_line_up_is_left_to_the_deck_file_checks():
    assert contradictions("你好", "nǐ") == []
    assert contradictions("你好", "") == []


def test_the_shipped_decks_agree_with_cedict_or_say_why():
    from pathlib import Path

    decks = Path(__file__).resolve().parents[2] / "decks"
    problems = [
        p
        for path in sorted(decks.glob("*.toml"))
        for p in reading_problems(path.read_text("utf-8"), path.name)
    ]
    assert problems == []


# ---------------------------------------------------------------- label tags


def test_labels_are_found_among_the_tags_in_a_fixed_order():
    assert [label.tag for label in entry_labels(["slang", "vulgar", "dated"])] == ["dated", "vulgar"]
    assert entry_labels(["slang"]) == [] and entry_labels(None) == []
    assert all(label.explanation == LABELS[label.tag] for label in entry_labels(list(LABELS)))


@pytest.mark.parametrize(
    ("tag", "meant"),
    [
        ("Dated", "dated"),
        ("outdated", "dated"),
        ("old-fashioned", "dated"),
        ("dated-slang", "dated"),
        ("VULGAR", "vulgar"),
        ("profanity", "vulgar"),
        ("sensitivity", "sensitive"),
        ("politically-sensitive", "sensitive"),
        ("dated", None),
        ("vulgar", None),
        ("sensitive", None),
        ("rude", None),
        ("taboo", None),
        ("update", None),
    ],
)
def test_lookalike_label_tags(tag, meant):
    assert lookalike(tag) == meant


def test_a_misspelt_label_tag_fails_with_file_and_line():
    text = deck(
        entry("awsl", "好", "hǎo", 'tags = ["slang", "Dated"]\n'),
        entry("ok", "好", "hǎo", 'tags = ["dated"]\n'),
    )
    problems = label_problems(text, "slang.toml")
    assert [(p.path, p.line, p.field) for p in problems] == [("slang.toml", line_of(text, "tags"), "tags")]
    assert "'Dated' is not a label tag; write 'dated'" in str(problems[0])


def test_a_latin_letter_that_spells_a_syllable_is_not_counted_as_one():
    # The deck-file check lines syllables up with characters: the e of e人 is the letter, not the syllable e.
    assert parse_deck_text(deck(entry("eren", "e人", "e rén")), "x.toml").entries[0].pinyin == "e rén"
    with pytest.raises(DeckFileError) as raised:
        parse_deck_text(deck(entry("eren", "e人", "e rén rén")), "x.toml")
    assert [p.message for p in raised.value.problems] == ["2 syllables for 1 characters"]
