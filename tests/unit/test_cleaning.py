"""The cleaning rules on their own (learnapp/content/text.py, tags.py, pinyin_input.py, cleaning.py): the
characters a field may hold, tags, pinyin as people type it, and an entry checked as a whole."""

from __future__ import annotations

import pytest

from learnapp.content.cleaning import (
    EntryInput,
    Headwords,
    check_entry,
    derive_key,
    key_problem,
    kind_problems,
)
from learnapp.content.entry import MAX_LENGTH, EntryData
from learnapp.content.pinyin_input import (
    example_pinyin_problems,
    has_tone_numbers,
    normalize_example_pinyin,
    normalize_pinyin,
    pinyin_problems,
)
from learnapp.content.tags import clean_tags, split_tags, tag_word
from learnapp.content.text import clean_text

# ---------------------------------------------------------------- characters


@pytest.mark.parametrize(
    ("char", "name"),
    [
        ("\x00", "a NUL byte (U+0000)"),
        ("\x07", "a control character (U+0007)"),
        ("\x1b", "a control character (U+001B)"),
        ("\x7f", "a control character (U+007F)"),
        ("\x85", "a control character (U+0085)"),
        ("\x9f", "a control character (U+009F)"),
        ("\u202a", "a control character (U+202A)"),
        ("\u202e", "a control character (U+202E)"),
        ("\u2066", "a control character (U+2066)"),
        ("\u2069", "a control character (U+2069)"),
    ],
)
def test_control_and_direction_override_characters_are_refused_by_name(char, name):
    _, problem = clean_text(f"a{char}b", "notes", limit=None)
    assert problem is not None
    assert (problem.field, problem.rule) == ("notes", "control")
    assert problem.message == f"contains {name}; remove it"
    assert problem.sentence == f"The usage note contains {name}, which cannot be shown: remove it."


def test_direction_marks_are_dropped_and_joiners_kept():
    assert clean_text("\u200e你好\u200f", "headword", limit=None) == ("你好", None)
    assert clean_text("👩\u200d💻 ❤\ufe0f", "headword", limit=None) == ("👩\u200d💻 ❤\ufe0f", None)


def test_line_breaks_and_tabs_only_where_a_field_has_lines():
    assert clean_text(" one\r\ntwo\rthree\tfour ", "notes", limit=None) == ("one\ntwo\nthree\tfour", None)
    for value, code in (("中\n国", "000A"), ("中\t国", "0009"), ("中\r国", "000A")):
        _, problem = clean_text(value, "headword", limit=None)
        assert problem is not None and f"U+{code}" in problem.message
    # Surrounding line breaks are only whitespace: stripped, not refused.
    assert clean_text("\n你好\r\n", "headword", limit=None) == ("你好", None)
    assert clean_text("a\nb", "name", limit=None, multiline=False)[1] is not None
    assert clean_text("a\nb", "headword", limit=None, multiline=True) == ("a\nb", None)


def test_one_line_fields_keep_one_space_and_text_is_composed():
    assert clean_text("  你 \u3000 好  ", "headword", limit=None) == ("你 好", None)
    assert clean_text("kē  CP", "pinyin", limit=None) == ("kē CP", None)
    assert clean_text("two  spaces stay", "notes", limit=None) == ("two  spaces stay", None)
    assert clean_text("cafe\u0301", "meaning", limit=None) == ("café", None)
    assert clean_text("xie\u0300", "pinyin", limit=None) == ("xiè", None)


def test_length_is_counted_after_cleaning_with_both_wordings():
    assert clean_text("  " + "长" * 120 + "  ", "headword", limit=120) == ("长" * 120, None)
    _, problem = clean_text("长" * 121, "headword", limit=120)
    assert problem is not None
    assert (problem.rule, problem.message, problem.sentence) == (
        "length",
        "longer than 120 characters (121)",
        "The word is longer than 120 characters.",
    )
    _, named = clean_text("x" * 81, "name", limit=80, multiline=False, label="The name")
    assert named is not None and named.sentence == "The name is longer than 80 characters."
    assert clean_text("x" * 5000, "notes", limit=None) == ("x" * 5000, None)


# ---------------------------------------------------------------- tags


def test_typed_tags_are_words_separated_by_spaces_commas_or_semicolons():
    assert split_tags("Street food, snacks；网络、Snacks\nverb") == (
        "street",
        "food",
        "snacks",
        "网络",
        "verb",
    )
    assert clean_tags("street-food, Snacks") == (("street-food", "snacks"), [])
    assert clean_tags("") == ((), [])


def test_a_deck_files_tags_must_each_be_one_word():
    assert clean_tags(["Verb", "verb", "网络"]) == (("verb", "网络"), [])
    tags, problems = clean_tags(["street food", "snacks"])
    assert tags == ("snacks",)
    assert [(p.field, p.rule, p.message) for p in problems] == [
        ("tags", "tags", "a tag is one word: write 'street-food' for 'street food'")
    ]
    assert problems[0].sentence == "A tag is one word: write street-food for street food."
    _, refused = clean_tags(["ok", "bell\x07"])
    assert [p.rule for p in refused] == ["control"]


def test_tag_limits_name_what_is_over():
    _, many = clean_tags(" ".join(f"t{n}" for n in range(21)))
    assert [(p.message, p.sentence) for p in many] == [("21 tags; at most 20", "At most 20 tags.")]
    assert clean_tags(" ".join(f"t{n}" for n in range(20)))[1] == []
    _, long = clean_tags(["x" * 41, "y" * 40])
    assert [p.message for p in long] == [f"tags longer than 40 characters: {'x' * 41}"]
    assert long[0].sentence == f"A tag is longer than 40 characters: {'x' * 20}…"


def test_a_tag_of_two_words_is_written_with_a_hyphen():
    assert tag_word("street food") == "street-food"
    assert tag_word(" a, b;c ") == "a-b-c"
    assert tag_word("verb") == "verb"


# ---------------------------------------------------------------- pinyin


@pytest.mark.parametrize(
    ("typed", "headword", "stored"),
    [
        ("xi1'an1", "西安", "xī ān"),
        ("Xi1’an1", "西安", "xī ān"),
        ("NǏ HǍO", "你好", "nǐ hǎo"),
        ("lu:4 se4", "绿色", "lǜ sè"),
        ("lv4", "绿", "lǜ"),
        ("hao3r", "好儿", "hǎor"),
        ("E rén", "e人", "E rén"),
        ("e ren2", "e人", "e rén"),
        ("666", "666", "666"),
        ("nǐ  hǎo ", "你好", "nǐ hǎo"),
        ("qqq1", "你", "qqq1"),
    ],
)
def test_pinyin_is_normalised_to_tone_marks(typed, headword, stored):
    assert normalize_pinyin(typed, headword) == stored


def test_a_syllable_that_is_a_latin_word_of_the_headword_is_not_counted():
    assert pinyin_problems("e人", "e rén", "") == []
    assert pinyin_problems("嗑CP", "kē CP", "") == []
    assert pinyin_problems("e人", "é rén", "") == [("pinyin", "2 syllables for 1 characters")]


def test_pinyin_problems_name_the_bad_tokens_and_the_spoken_form():
    assert pinyin_problems("你好", "nǐ hǎoo", "") == [
        ("pinyin", "not valid pinyin (tone marks, one space between syllables): hǎoo")
    ]
    assert pinyin_problems("你好", "ni3 hao3", "") == [
        ("pinyin", "not valid pinyin (tone marks, one space between syllables): ni3 hao3")
    ]
    assert pinyin_problems("一点儿", "yī diǎnr", "") == []
    assert pinyin_problems("不客气", "bù kè qi", "bú kè qi") == []
    assert pinyin_problems("不客气", "bù kè qi", "bú kè") == [
        ("spoken", "must be the same syllables as pinyin, only the tones changed")
    ]
    assert pinyin_problems("不客气", "bù kè qi", "bú kè qqi") == [("spoken", "not valid pinyin: qqi")]
    assert pinyin_problems("不客气", "", "bú kè qi") == [("spoken", "needs the pinyin filled in too")]
    assert pinyin_problems("🙂", "", "") == []


def test_example_pinyin_keeps_punctuation_and_latin_words():
    assert normalize_example_pinyin("wo3 ai4 ni3, yyds!") == "wǒ ài nǐ, yyds!"
    assert normalize_example_pinyin("“ni3 hao3”") == "“nǐ hǎo”"
    assert normalize_example_pinyin("tā  shuō: nǐ hǎo.") == "tā shuō: nǐ hǎo."
    assert example_pinyin_problems("这家火锅yyds！", "zhè jiā huǒ guō yyds!") == []
    assert example_pinyin_problems("一模一样", "yī-mú-yī-yàng.") == []
    assert example_pinyin_problems("你好", "nǐ hǎoo! bad") == ["not valid pinyin: hǎoo! bad"]
    assert has_tone_numbers("ni3") and not has_tone_numbers("nǐ 3 people")


# ---------------------------------------------------------------- an entry


def test_an_entry_is_cleaned_field_by_field():
    checked = check_entry(
        EntryInput(
            headword=" 你好 ",
            meaning="hello\u200e",
            pinyin="Ni3 hao3",
            literal="you good",
            notes="line one\r\nline two",
            example_zh="你好！",
            example_pinyin="ni3 hao3!",
            example_en="Hello!",
            tags="Greeting, basic greeting",
            key="nihao",
        ),
        position=3,
    )
    assert checked.ok and checked.tone_numbers
    assert checked.entry == EntryData(
        key="nihao",
        position=3,
        headword="你好",
        pinyin="nǐ hǎo",
        literal="you good",
        meaning="hello",
        notes="line one\nline two",
        example_zh="你好！",
        example_pinyin="nǐ hǎo!",
        example_en="Hello!",
        tags=("greeting", "basic"),
    )
    assert not check_entry(EntryInput("你好", "hello", pinyin="nǐ hǎo")).tone_numbers


def test_every_problem_of_an_entry_is_reported_in_order():
    checked = check_entry(
        EntryInput(headword="", meaning="", notes="x" * 2001, pinyin="qqq", tags="a" * 41, key="Bad Key")
    )
    assert [(p.field, p.rule) for p in checked.problems] == [
        ("notes", "length"),
        ("headword", "required"),
        ("meaning", "required"),
        ("tags", "tags"),
        ("pinyin", "pinyin"),
        ("key", "key"),
    ]
    assert not checked.ok and checked.first_problem() == checked.problems[0]
    assert checked.problems[1].sentence == "Enter the word or phrase (hanzi, emoji, or letters)."
    # The entry is still built, for a preview to show beside its problems.
    assert checked.entry.notes == "x" * 2001


def test_pinyin_is_measured_once_normalised():
    pinyin = " ".join(["zhuang1"] * 36)  # 287 characters typed, 251 stored
    checked = check_entry(EntryInput(headword="x", meaning="m", pinyin=pinyin))
    assert len(checked.entry.pinyin) == 251 <= MAX_LENGTH["pinyin"]
    assert [p.field for p in checked.problems] == []
    too_long = check_entry(EntryInput(headword="x", meaning="m", pinyin=" ".join(["zhuāng"] * 37)))
    assert [(p.field, p.rule) for p in too_long.problems] == [("pinyin", "length")]


def test_send_is_all_or_nothing_and_its_verdict_any_case():
    full = check_entry(
        EntryInput("🙂", "a smile", send_situation="The rota.", send_verdict="No", send_why="Cold.")
    )
    assert full.ok and full.entry.send == {"situation": "The rota.", "verdict": "no", "why": "Cold."}
    partial = check_entry(EntryInput("🙂", "a smile", send_situation="The rota.", send_verdict="maybe"))
    assert [(p.field, p.message) for p in partial.problems] == [
        ("send_why", "required when the other send columns are filled in"),
        ("send_verdict", "must be yes, no, careful"),
    ]
    assert partial.entry.send is None
    assert check_entry(EntryInput("🙂", "a smile")).entry.send is None


def test_keys():
    assert key_problem("zhong-cao_2") is None and key_problem("") is None
    bad = key_problem("Zhong Cao")
    assert bad is not None and bad.message.startswith("use lowercase letters, digits")
    long = key_problem("k" * 81)
    assert long is not None and long.rule == "length"
    assert derive_key(" Hello World ") == "hello-world"
    assert derive_key("你好") == derive_key("你好") == "h-440ee0853ad1"
    assert derive_key("yyds!") != derive_key("yyds") == "yyds"
    assert derive_key("x" * 61).startswith("h-")


def test_what_a_decks_kinds_of_card_need():
    bare = EntryData(key="k", headword="🙂", meaning="smile")
    assert kind_problems(bare, ("recognize", "recall")) == []
    assert [(p.field, p.rule) for p in kind_problems(bare, ("context", "send"))] == [
        ("example_zh", "context"),
        ("send", "send"),
    ]
    ready = EntryData(key="k", headword="🙂", meaning="m", example_zh="🙂", send={"verdict": "no"})
    assert kind_problems(ready, ("context", "send")) == []


def test_a_repeated_headword_names_the_line_of_the_first():
    lines = {0: 3, 1: 8, 2: 12}
    seen = Headwords(line_of=lines.__getitem__)
    assert seen.check("你好", 0) is None and seen.check("谢谢", 1) is None and seen.check("", 2) is None
    repeat = seen.check("你好", 2)
    assert repeat is not None and (repeat.field, repeat.message) == ("headword", "你好 also on line 3")
    plain = Headwords()
    plain.check("你好", 5)
    again = plain.check("你好", 9)
    assert again is not None and again.message == "你好 also on line 5"
