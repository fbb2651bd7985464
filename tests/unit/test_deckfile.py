"""The deck-file parser on its own (learnapp/content/deckfile.py, deck_entries.py, toml_lines.py): every
shape a [deck] or an [[entries]] table can go wrong in, with its file, line and field; what a curated deck
must have; and where each key stands."""

from __future__ import annotations

import pytest

from learnapp.content.deckfile import DeckFileError, Problem, parse_deck_text, read_deck_text
from learnapp.content.toml_lines import TomlLines

HEAD = '[deck]\nslug = "d"\ntitle = "D"\n'
ONE = '\n[[entries]]\nid = "e1"\nheadword = "你好"\nmeaning = "hello"\n'


def problems(text: str, complete: bool = False) -> list[tuple[int | None, str, str]]:
    return [(p.line, p.field, p.message) for p in read_deck_text(text, "d.toml", complete=complete).problems]


def fields(text: str) -> list[str]:
    return [field for _, field, _ in problems(text)]


# ---------------------------------------------------------------- the [deck] table


def test_a_good_deck_table():
    deck = parse_deck_text(
        '[deck]\nslug = "my-deck"\ntitle = " My deck "\ndescription = "Two\\nlines"\ncategory = "slang"\n'
        'level = 3\nprerequisites = ["a", "b-2"]\ncard_kinds = ["recall", "context"]\nlicense = "CC0"\n'
        'attribution = "Us"\n'
        '\n[[entries]]\nid = "e1"\nheadword = "你好"\nmeaning = "hi"\n[entries.example]\nzh = "你好"\n'
        'pinyin = "nǐ hǎo"\nen = "hi"\n'
    )
    assert (deck.slug, deck.title, deck.description, deck.category, deck.level) == (
        "my-deck",
        "My deck",
        "Two\nlines",
        "slang",
        3,
    )
    assert (deck.prerequisites, deck.card_kinds, deck.license, deck.attribution) == (
        ("a", "b-2"),
        ("recall", "context"),
        "CC0",
        "Us",
    )
    defaults = parse_deck_text(HEAD + ONE)
    assert (defaults.category, defaults.level, defaults.card_kinds, defaults.prerequisites) == (
        "mandarin",
        1,
        ("recognize", "recall"),
        (),
    )


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        ('slug = "Not A Slug"', "deck.slug", "use lowercase letters, digits and hyphens"),
        ('title = ""', "deck.title", "must be a non-empty string"),
        ("title = 5", "deck.title", "must be a non-empty string"),
        ('title = "a\\u0007b"', "deck.title", "contains a control character (U+0007); remove it"),
        ('title = "two\\nlines"', "deck.title", "contains a control character (U+000A); remove it"),
        (f'title = "{"T" * 121}"', "deck.title", "longer than 120 characters (121)"),
        ("description = 3", "deck.description", "must be a string"),
        (
            'category = "food"',
            "deck.category",
            "must be one of platform, slang, emoji, customs, mandarin, hsk",
        ),
        ("level = 0", "deck.level", "must be a whole number from 1 to 9"),
        ("level = true", "deck.level", "must be a whole number from 1 to 9"),
        ("level = 2.5", "deck.level", "must be a whole number from 1 to 9"),
        ('prerequisites = ["Bad Slug"]', "deck.prerequisites", "must be a list of deck slugs"),
        ('prerequisites = "a"', "deck.prerequisites", "must be a list of deck slugs"),
        ("card_kinds = []", "deck.card_kinds", "must be a list of distinct kinds"),
        ('card_kinds = ["recall", "recall"]', "deck.card_kinds", "must be a list of distinct kinds"),
        ('card_kinds = ["flash"]', "deck.card_kinds", "must be a list of distinct kinds"),
        (f'license = "{"L" * 81}"', "deck.license", "longer than 80 characters (81)"),
        ('colour = "red"', "deck.colour", "unknown key"),
    ],
)
def test_a_bad_deck_field_is_named_at_its_line(line, field, message):
    key = line.split(" ")[0]
    base = {"slug": 'slug = "d"', "title": 'title = "D"'}
    head = "[deck]\n" + "\n".join(v for k, v in base.items() if k != key) + f"\n{line}\n"
    found = problems(head + ONE)
    assert len(found) == 1, found
    [(at, name, text)] = found
    assert name == field and text.startswith(message)
    assert at == head.split("\n").index(line) + 1


def test_a_file_without_a_deck_table_or_entries():
    assert problems(ONE) == [
        (None, "deck", "missing the [deck] table"),
        (None, "deck.slug", "required"),
        (None, "deck.title", "required"),
    ]
    assert problems(HEAD) == [(None, "entries", "a deck needs at least one [[entries]] table")]
    assert problems('entries = "x"\n' + HEAD) == [
        (None, "entries", "must be an array of tables ([[entries]])")
    ]
    assert problems('deck = 1\n[[entries]]\nid = "e"\nheadword = "x"\nmeaning = "y"\n')[0][1] == "deck"
    assert problems(HEAD + ONE + "[extra]\nx = 1\n")[0][1:] == (
        "extra",
        "unknown top-level key (expected [deck] and [[entries]])",
    )


def test_an_upload_may_leave_the_deck_table_out():
    reading = read_deck_text(ONE, "upload.toml", require_deck=False)
    assert reading.problems == [] and not reading.has_deck_table
    assert reading.deck is not None and [e.headword for e in reading.deck.entries] == ["你好"]
    assert reading.entry_lines == [2]


def test_a_syntax_error_is_one_problem_with_its_line():
    reading = read_deck_text(HEAD + ONE + 'notes = "open\n', "d.toml")
    assert reading.deck is None
    [problem] = reading.problems
    assert (problem.line, problem.field) == (9, "syntax") and problem.message.startswith("not valid TOML")


# ---------------------------------------------------------------- [[entries]] tables


def entry(*lines: str) -> str:
    return HEAD + "\n[[entries]]\n" + "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("lines", "found"),
    [
        (('id = "e1"', 'headword = "x"'), [(5, "entries[1].meaning", "required")]),
        (('id = "e1"', 'headword = "x"', 'meaning = ""'), [(8, "entries[1].meaning", "must not be empty")]),
        (('id = ""', 'headword = "x"', 'meaning = "m"'), [(6, "entries[1].id", "must not be empty")]),
        (
            ('id = "E 1"', 'headword = "x"', 'meaning = "m"'),
            [
                (
                    6,
                    "entries[1].id",
                    "use lowercase letters, digits, '-' and '_' (starting with a letter or digit)",
                )
            ],
        ),
        (('id = "e1"', "headword = 1", 'meaning = "m"'), [(7, "entries[1].headword", "must be a string")]),
        (
            ('id = "e1"', 'headword = "x"', 'meaning = "m"', "tags = 1"),
            [(9, "entries[1].tags", "must be a list of words")],
        ),
        (
            ('id = "e1"', 'headword = "x"', 'meaning = "m"', 'tags = ["", "a"]'),
            [(9, "entries[1].tags", "must be a list of words")],
        ),
        (
            ('id = "e1"', 'headword = "x"', 'meaning = "m"', 'tags = ["street food"]'),
            [(9, "entries[1].tags", "a tag is one word: write 'street-food' for 'street food'")],
        ),
        (
            ('id = "e1"', 'headword = "x"', 'meaning = "m"', 'example = "x"'),
            [(9, "entries[1].example", "must be a table with zh, pinyin, en")],
        ),
        (
            ('id = "e1"', 'headword = "x"', 'meaning = "m"', "[entries.example]", "zh = 1"),
            [(9, "entries[1].example", "zh, pinyin and en must be strings")],
        ),
        (
            ('id = "e1"', 'headword = "x"', 'meaning = "m"', "[entries.example]", 'zh = "x"', 'lang = "zh"'),
            [(9, "entries[1].example.lang", "unknown key")],
        ),
        (
            (
                'id = "e1"',
                'headword = "你好"',
                'meaning = "m"',
                "[entries.example]",
                'zh = "你好"',
                'pinyin = "nǐ hǎoo"',
            ),
            [(11, "entries[1].example.pinyin", "not valid pinyin: hǎoo")],
        ),
        (
            (
                'id = "e1"',
                'headword = "x"',
                'meaning = "m"',
                "[entries.send]",
                'situation = "s"',
                'verdict = "no"',
            ),
            [(9, "entries[1].send", "needs situation, verdict and why")],
        ),
        (
            (
                'id = "e1"',
                'headword = "x"',
                'meaning = "m"',
                "[entries.send]",
                'situation = "s"',
                'verdict = "maybe"',
                'why = "w"',
            ),
            [(11, "entries[1].send.verdict", "must be yes, no, careful")],
        ),
        (
            ('id = "e1"', 'headword = "x"', 'meaning = "m"', 'reading_note = "a\\u0000b"'),
            [(9, "entries[1].reading_note", "contains a NUL byte (U+0000); remove it")],
        ),
        (
            ('id = "e1"', 'headword = "x"', 'meaning = "m"', 'note = "typo"'),
            [(9, "entries[1].note", "unknown key")],
        ),
        (
            ('id = "e1"', 'headword = "你好"', 'pinyin = "nǐ"', 'meaning = "m"'),
            [(8, "entries[1].pinyin", "1 syllables for 2 characters")],
        ),
        (
            ('id = "e1"', 'headword = "不客气"', 'pinyin = "bù kè qi"', 'spoken = "bú kè"', 'meaning = "m"'),
            [(9, "entries[1].spoken", "must be the same syllables as pinyin, only the tones changed")],
        ),
    ],
)
def test_a_bad_entry_is_named_at_its_line(lines, found):
    assert problems(entry(*lines)) == found


def test_an_entry_that_is_not_a_table():
    assert problems("entries = [1]\n" + HEAD) == [(None, "entries[1]", "must be a table")]


def test_what_a_decks_card_kinds_ask_of_every_entry():
    kinds = HEAD.replace('title = "D"', 'title = "D"\ncard_kinds = ["recognize", "context", "send"]')
    assert problems(kinds + ONE) == [
        (6, "entries[1].example.zh", "required: this deck makes 'what does it mean here?' (context) cards"),
        (6, "entries[1].send", "required: this deck makes 'would you send this?' cards"),
    ]
    # A send table of the wrong shape is reported once, not also as missing.
    assert fields(kinds + ONE + "[entries.example]\nzh = '你好'\n[entries.send]\nwhy = 'w'\n") == [
        "entries[1].send"
    ]


def test_ids_and_headwords_are_unique_in_a_file():
    text = HEAD + ONE + ONE.replace('"你好"', '"谢谢"') + ONE.replace('"e1"', '"e3"')
    assert problems(text) == [
        (11, "entries[2].id", "duplicate id 'e1' (first at entry 1)"),
        (17, "entries[3].headword", "你好 also on line 7"),
    ]


def test_tone_numbers_and_capitals_become_our_pinyin():
    reading = read_deck_text(entry('id = "e1"', 'headword = "你好"', 'pinyin = "Ni3 hao3"', 'meaning = "m"'))
    assert reading.problems == [] and reading.tone_numbers == 1
    assert reading.deck is not None and reading.deck.entries[0].pinyin == "nǐ hǎo"


def test_a_curated_deck_needs_every_field():
    text = entry('id = "e1"', 'headword = "你好"', 'meaning = "hello"')
    assert problems(text, complete=True) == [
        (5, "entries[1].literal", "required in a curated deck"),
        (5, "entries[1].notes", "required in a curated deck"),
        (5, "entries[1].tags", "required in a curated deck"),
        (5, "entries[1].pinyin", "required in a curated deck"),
        (5, "entries[1].example", "zh, pinyin and en required in a curated deck"),
    ]
    assert problems(text) == []


def test_parse_raises_with_every_problem_and_reads_positions():
    with pytest.raises(DeckFileError) as raised:
        parse_deck_text(HEAD + '\n[[entries]]\nid = "e1"\n' * 2, "two.toml")
    assert [p.field for p in raised.value.problems][:2] == ["entries[1].headword", "entries[1].meaning"]
    assert str(raised.value).startswith("two.toml:5: entries[1].headword: required")
    assert str(Problem("f.toml", None, "deck", "missing")) == "f.toml: deck: missing"
    deck = parse_deck_text(HEAD + ONE + ONE.replace('"e1"', '"e2"').replace("你好", "再见"))
    assert [(e.key, e.position) for e in deck.entries] == [("e1", 1), ("e2", 2)]


# ---------------------------------------------------------------- where keys stand


def test_lines_of_tables_and_keys():
    text = (
        "# a comment\n"  # 1
        "[[entries]]\n"  # 2
        'id = "a"\n'  # 3
        'pinyin = "nǐ"\n'  # 4
        "[entries.example]\n"  # 5
        'zh = "你"\n'  # 6
        'pinyin = "nǐ"\n'  # 7
        "\n"  # 8
        "[[entries]]\n"  # 9
        'id = "b"\n'  # 10
        'example = { zh = "x" }\n'  # 11
        'send.why = "w"\n'  # 12
        "[deck]\n"  # 13
        'slug = "s"\n'  # 14
        'title = "t"\n'  # 15
    )
    lines = TomlLines(text)
    assert (lines.deck(), lines.deck("title"), lines.deck("level")) == (13, 15, 13)
    assert lines.entry(0) == 2 and lines.entry(1) == 9 and lines.entry(2) is None
    assert (lines.entry(0, "pinyin"), lines.entry(0, "example"), lines.entry(0, "example.pinyin")) == (
        4,
        5,
        7,
    )
    assert lines.entry(0, "notes") == 2  # not written: the table's line
    assert lines.entry(1, "example.pinyin") == 11  # an inline table: its key's line
    assert (lines.entry(1, "send.why"), lines.entry(1, "send")) == (12, 12)
    assert lines.entry(1, "slug") == 9  # a key of the [deck] below is not the entry's
    assert TomlLines("x = 1\n").deck("title") is None


def test_a_line_separator_inside_a_string_is_not_a_line():
    text = HEAD + '\n[[entries]]\nid = "e1"\nheadword = "x"\nnotes = "a\u2028b"\nmeaning = ""\n'
    assert problems(text) == [(9, "entries[1].meaning", "must not be empty")]
