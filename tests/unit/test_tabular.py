"""Importing teachers' files (learnapp/content/tabular.py): CSV, TSV and TOML deck files into preview rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from learnapp.content.cleaning import derive_key
from learnapp.content.pinyin_input import normalize_example_pinyin, normalize_pinyin
from learnapp.content.rows import ImportRow, ParsedImport, RowError
from learnapp.content.tabular import MAX_ROWS, parse_upload
from learnapp.content.tags import split_tags
from learnapp.content.upload import MAX_BYTES, NOT_UTF8, ImportFileError

DECKS = Path(__file__).resolve().parents[2] / "decks"


def parse(text: str, filename: str = "words.csv", **options) -> ParsedImport:
    return parse_upload(text.encode("utf-8"), filename, **options)


def messages(result: ParsedImport) -> list[str]:
    return [str(error) for error in result.errors]


# ---------------------------------------------------------------- happy paths


def test_csv_with_every_column():
    result = parse(
        "key,headword,pinyin,literal,meaning,notes,example_zh,example_pinyin,example_en,tags\n"
        'zhongcao,种草,zhòng cǎo,plant grass,"to make someone want to buy something",Playful.,'
        "这支口红把我种草了。,zhè zhī kǒu hóng bǎ wǒ zhòng cǎo le.,This lipstick got me.,shopping verb\n"
    )
    assert result.ok, messages(result)
    assert result.format == "csv"
    [row] = result.rows
    assert row == ImportRow(
        line=2,
        key="zhongcao",
        headword="种草",
        pinyin="zhòng cǎo",
        pinyin_filled=False,
        meaning="to make someone want to buy something",
        literal="plant grass",
        notes="Playful.",
        example_zh="这支口红把我种草了。",
        example_pinyin="zhè zhī kǒu hóng bǎ wǒ zhòng cǎo le.",
        example_en="This lipstick got me.",
        tags=("shopping", "verb"),
    )


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Hanzi,English", ("headword", "meaning")),
        ("chinese,definition", ("headword", "meaning")),
        ("WORD,Translation", ("headword", "meaning")),
        ("汉字,意思", ("headword", "meaning")),
        ("Headword,Meaning,Example,Example (pinyin),Example-English", None),
    ],
)
def test_header_aliases_are_case_insensitive(header, expected):
    columns = header.split(",")
    cells = ["你好", "hello", "你好！", "nǐ hǎo!", "Hello!"][: len(columns)]
    result = parse(header + "\n" + ",".join(cells) + "\n")
    assert result.ok, messages(result)
    row = result.rows[0]
    assert (row.headword, row.meaning) == ("你好", "hello")
    if expected is None:
        assert (row.example_zh, row.example_pinyin, row.example_en) == ("你好！", "nǐ hǎo!", "Hello!")
        assert result.columns == ("headword", "meaning", "example_zh", "example_pinyin", "example_en")


def test_unknown_columns_are_ignored_with_a_warning():
    result = parse("headword,meaning,Difficulty\n你好,hello,easy\n")
    assert result.ok
    assert any("Difficulty" in warning for warning in result.warnings)


def test_tsv_by_extension_and_by_content():
    text = "headword\tmeaning\tnotes\n你好\thello, hi\tcommas are fine here\n"
    by_name = parse(text, "words.tsv")
    by_content = parse(text, "words.txt")
    misnamed = parse(text, "words.csv")
    for result in (by_name, by_content, misnamed):
        assert result.format == "tsv"
        assert result.rows[0].meaning == "hello, hi"
    assert any("tabs" in warning for warning in misnamed.warnings)


def test_semicolon_separated_csv_is_read_with_a_warning():
    result = parse("headword;meaning\n你好;hello, hi\n")
    assert result.ok
    assert result.rows[0].meaning == "hello, hi"
    assert any("semicolons" in warning for warning in result.warnings)


def test_tags_split_on_spaces_commas_and_semicolons():
    assert split_tags("Slang, praise;verb  noun，网络、slang") == ("slang", "praise", "verb", "noun", "网络")
    result = parse('headword,meaning,tags\n你好,hello,"greeting; basic, Daily"\n')
    assert result.rows[0].tags == ("greeting", "basic", "daily")


def test_html_and_script_are_kept_verbatim():
    result = parse(
        "headword,meaning,notes\n"
        '<script>alert(1)</script>,"<b>bold</b> & <i>more</i>","<img src=x onerror=alert(1)>"\n'
    )
    assert result.ok, messages(result)
    row = result.rows[0]
    assert row.headword == "<script>alert(1)</script>"
    assert row.meaning == "<b>bold</b> & <i>more</i>"
    assert row.notes == "<img src=x onerror=alert(1)>"


def test_formula_guard_apostrophe_is_removed_only_before_formula_characters():
    result = parse("headword,meaning,notes\n+1,'=SUM(A1),'@someone\n-_-,'plain,''=x\n")
    assert result.ok, messages(result)
    first, second = result.rows
    assert (first.headword, first.meaning, first.notes) == ("+1", "=SUM(A1)", "@someone")
    assert (second.headword, second.meaning, second.notes) == ("-_-", "'plain", "'=x")


def test_multiline_cells_and_blank_lines_keep_physical_line_numbers():
    result = parse('headword,meaning,notes\n\n你好,hello,"first line\nsecond line"\n\n谢谢,,\n')
    assert [row.line for row in result.rows] == [3, 6]
    assert result.rows[0].notes == "first line\nsecond line"
    assert messages(result) == ["line 6, meaning: required; the cell is empty"]


def test_windows_line_endings_and_line_breaks_inside_cells():
    result = parse('headword,meaning,notes\r\n你好,hello,"one\r\ntwo"\r\n谢谢,thanks,\r\n')
    assert result.ok, messages(result)
    assert [(row.line, row.notes) for row in result.rows] == [(2, "one\ntwo"), (4, "")]


# ---------------------------------------------------------------- pinyin


@pytest.mark.parametrize(
    ("typed", "headword", "expected"),
    [
        ("ni3 hao3", "你好", "nǐ hǎo"),
        ("ni3hao3", "你好", "nǐ hǎo"),
        ("xie4 xie5", "谢谢", "xiè xie"),
        ("xie4 xie", "谢谢", "xiè xie"),
        ("lv4", "绿", "lǜ"),
        ("nu:3", "女", "nǚ"),
        ("yi1 dian3r", "一点儿", "yī diǎnr"),
        ("yi1 dian3 r5", "一点儿", "yī diǎnr"),
        ("Zhong1 guo2", "中国", "zhōng guó"),
        ("Zhōng guó", "中国", "zhōng guó"),
        ("ke1 CP", "嗑CP", "kē CP"),
        ("u1s1", "u1s1", "u1s1"),
    ],
)
def test_numbered_pinyin_becomes_tone_marks(typed, headword, expected):
    assert normalize_pinyin(typed, headword) == expected


def test_numbered_pinyin_in_a_file_is_converted_and_noted():
    result = parse(
        'headword,pinyin,meaning,example_zh,example_pinyin\n你好,ni3 hao3,hello,你好，世界！,"ni3 hao3, shi4 jie4!"\n'
    )
    assert result.ok, messages(result)
    row = result.rows[0]
    assert (row.pinyin, row.example_pinyin) == ("nǐ hǎo", "nǐ hǎo, shì jiè!")
    assert not row.pinyin_filled
    assert any("Tone numbers" in warning for warning in result.warnings)
    assert normalize_example_pinyin("wo3 ai4 yyds 520!") == "wǒ ài yyds 520!"


def test_empty_pinyin_is_filled_and_marked():
    result = parse("headword,pinyin,meaning\n谢谢,,thanks\n中国,,China\nyyds,,the GOAT\n你好,nǐ hǎo,hello\n")
    assert result.ok, messages(result)
    filled = {row.headword: (row.pinyin, row.pinyin_filled) for row in result.rows}
    assert filled == {
        "谢谢": ("xiè xie", True),
        "中国": ("zhōng guó", True),
        "yyds": ("", False),
        "你好": ("nǐ hǎo", False),
    }
    assert any("filled in" in warning and "2 rows" in warning for warning in result.warnings)


def test_pinyin_fill_can_be_turned_off():
    result = parse("headword,meaning\n谢谢,thanks\n", fill_pinyin=False)
    assert (result.rows[0].pinyin, result.rows[0].pinyin_filled) == ("", False)


def test_invalid_pinyin_names_the_bad_syllables_and_the_line():
    result = parse("headword,pinyin,meaning\n你好,nǐ hǎo,hello\n谢谢,xiè xxie,thanks\n中国,zhōng,China\n")
    assert messages(result) == [
        "line 3, pinyin: not valid pinyin (tone marks, one space between syllables): xxie",
        "line 4, pinyin: 1 syllables for 2 characters",
    ]


def test_invalid_example_pinyin_and_spoken_form():
    result = parse(
        "headword,pinyin,spoken,meaning,example_zh,example_pinyin\n"
        "不客气,bù kè qi,bú kè qi,you're welcome,不客气！,bú kè qi!\n"
        "你好,nǐ hǎo,nǐ hǎo ma,hello,你好！,nǐ hǎoo!\n"
    )
    assert result.rows[0].spoken == "bú kè qi"
    assert messages(result) == [
        "line 3, spoken: must be the same syllables as pinyin, only the tones changed",
        "line 3, example_pinyin: not valid pinyin: hǎoo!",
    ]


# ---------------------------------------------------------------- keys


def test_keys_are_derived_from_the_headword_when_absent():
    result = parse("key,headword,meaning\n,你好,hello\nnihao-2,你们,you\n,Hello World,hi\n")
    first, second, third = result.rows
    assert first.key == derive_key("你好") == "h-440ee0853ad1"
    assert first.key_derived
    assert (second.key, second.key_derived) == ("nihao-2", False)
    assert third.key == "hello-world"
    assert derive_key("yyds") == "yyds"
    assert derive_key("🙂") == derive_key("🙂").strip() and derive_key("🙂").startswith("h-")
    assert derive_key("") == ""


def test_invalid_and_duplicate_keys():
    result = parse("key,headword,meaning\nNi Hao,你好,hello\nxiexie,谢谢,thanks\nxiexie,多谢,thanks a lot\n")
    assert messages(result) == [
        "line 2, key: use lowercase letters, digits, '-' and '_' (starting with a letter or digit)",
        "line 4, key: xiexie also on line 3",
    ]


# ---------------------------------------------------------------- row errors


def test_missing_required_columns_is_one_error_listing_what_was_found():
    result = parse("hanzi,pinyin,translation2\n你好,nǐ hǎo,hello\n")
    assert result.rows == []
    [error] = result.errors
    assert (error.line, error.column) == (1, "header")
    assert "missing required column meaning" in error.message
    assert "'hanzi', 'pinyin', 'translation2'" in error.message

    both = parse("你好,nǐ hǎo,hello\n谢谢,xiè xie,thanks\n")
    assert len(both.errors) == 1
    assert "missing required columns headword, meaning" in both.errors[0].message
    assert "'你好', 'nǐ hǎo', 'hello'" in both.errors[0].message


def test_empty_required_cells():
    result = parse("headword,meaning\n你好,hello\n,thanks\n谢谢,   \n")
    assert messages(result) == [
        "line 3, headword: required; the cell is empty",
        "line 4, meaning: required; the cell is empty",
    ]
    assert len(result.rows) == 3  # shown in the preview, errors beside them


def test_headword_longer_than_the_limit():
    # 120, the editor's and the deck files' limit (the column's size); uploads allowed 40 until 2026-12.
    result = parse(f"headword,meaning\n{'长' * 120},ok\n{'长' * 121},too long\n", fill_pinyin=False)
    assert messages(result) == ["line 3, headword: longer than 120 characters (121)"]


def test_duplicate_headwords_name_both_lines():
    result = parse("headword,meaning\n你好,hello\n谢谢,thanks\n你好,hi\n")
    assert messages(result) == ["line 4, headword: 你好 also on line 2"]
    assert str(result.errors[0]) == "line 4, headword: 你好 also on line 2"


@pytest.mark.parametrize(
    ("column", "limit"),
    # The editor's and deck files' limits since 2026-12 (uploads allowed 500 in all but notes before).
    [("meaning", 2000), ("notes", 2000), ("example_zh", 2000), ("example_en", 2000), ("literal", 2000)],
)
def test_fields_too_long(column, limit):
    header = "headword,meaning" if column == "meaning" else f"headword,meaning,{column}"
    cells = f"x,{'a' * (limit + 1)}" if column == "meaning" else f"x,y,{'a' * (limit + 1)}"
    result = parse(f"{header}\n{cells}\n")
    assert messages(result) == [f"line 2, {column}: longer than {limit} characters ({limit + 1})"]


def test_pinyin_too_long():
    # 255, the column's size and the editor's limit (uploads allowed 200 until 2026-12).
    result = parse(f"headword,pinyin,meaning\nx,{'a ' * 127}a,y\nz,{'a ' * 128}a,y\n")
    assert messages(result) == ["line 3, pinyin: longer than 255 characters (257)"]


def test_too_many_tags_and_tags_too_long():
    many = " ".join(f"t{i}" for i in range(21))
    result = parse(
        f"headword,meaning,tags\na,b,{many}\nc,d,ok {'x' * 41}\ne,f,{' '.join(f't{i}' for i in range(20))}\n"
        f"g,h,{'y' * 40}\n"
    )
    # 40 characters a tag, the editor's limit (uploads allowed 30 until 2026-12).
    assert messages(result) == [
        "line 2, tags: 21 tags; at most 20",
        f"line 3, tags: tags longer than 40 characters: {'x' * 41}",
    ]


def test_control_characters_and_nul_bytes_in_cells():
    result = parse(
        "headword,meaning,notes\n"
        "你好,hel\x00lo,ok\n"
        "谢谢,thanks,bell\x07\n"
        '"中\n国",China,"two\nlines are fine in notes"\n'
        "abc,evil \u202etxt.exe,\n"
    )
    assert messages(result) == [
        "line 2, meaning: contains a NUL byte (U+0000); remove it",
        "line 3, notes: contains a control character (U+0007); remove it",
        "line 4, headword: contains a control character (U+000A); remove it",
        "line 7, meaning: contains a control character (U+202E); remove it",
    ]


def test_emoji_sequences_with_joiners_are_not_control_characters():
    result = parse("headword,meaning\n👩‍💻,coder\n❤️,love\n")
    assert result.ok, messages(result)
    assert [row.headword for row in result.rows] == ["👩‍💻", "❤️"]


def test_more_cells_than_columns():
    result = parse("headword,meaning\n你好,hello, hi\n谢谢,thanks,\n")
    assert messages(result) == [
        "line 2, row: 3 cells but the header has 2 columns; put quotes around cells that contain the separator"
    ]


def test_unpaired_quotes_stop_reading_with_the_line():
    result = parse('headword,meaning\n你好,hello\n"谢谢"x,thanks\n中国,China\n')
    assert [row.headword for row in result.rows] == ["你好"]
    assert len(result.errors) == 1
    assert result.errors[0].line == 3
    assert "quotes do not pair up" in result.errors[0].message


def test_two_columns_meaning_the_same_thing():
    result = parse("hanzi,headword,meaning\n你好,你好,hello\n")
    assert messages(result) == [
        "line 1, headword: the columns 'hanzi' and 'headword' both mean headword; keep one"
    ]


def test_send_columns():
    result = parse(
        "headword,meaning,send_situation,send_verdict,send_why\n"
        "🙂,a cold smile,Your boss posts the rota.,No,Reads as cold.\n"
        "🍋,sour,Someone got promoted.,maybe,\n"
    )
    assert result.rows[0].send == {
        "situation": "Your boss posts the rota.",
        "verdict": "no",
        "why": "Reads as cold.",
    }
    assert messages(result) == [
        "line 3, send_why: required when the other send columns are filled in",
        "line 3, send_verdict: must be yes, no, careful",
    ]


# ---------------------------------------------------------------- file-level errors


@pytest.mark.parametrize("data", [b"", b"   \n\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n"])
def test_empty_file(data):
    with pytest.raises(ImportFileError, match="empty"):
        parse_upload(data, "words.csv")


def test_header_without_rows():
    with pytest.raises(ImportFileError, match="header row but no rows"):
        parse("headword,meaning\n\n")


def test_too_large_is_rejected_before_reading():
    data = b"headword,meaning\n" + b"x,y\n" * (MAX_BYTES // 4)
    assert len(data) > MAX_BYTES
    with pytest.raises(ImportFileError, match="limit is 5 MB"):
        parse_upload(data, "words.csv")


def test_fifty_thousand_rows_are_rejected():
    data = ("headword,meaning\n" + "".join(f"w{i},meaning {i}\n" for i in range(50_000))).encode()
    assert len(data) < MAX_BYTES
    with pytest.raises(ImportFileError, match="the limit is 10,000"):
        parse_upload(data, "words.csv")


def test_ten_thousand_rows_are_accepted():
    data = ("headword,meaning\n" + "".join(f"w{i},meaning {i}\n" for i in range(MAX_ROWS))).encode()
    result = parse_upload(data, "words.csv", fill_pinyin=False)
    assert result.ok
    assert len(result.rows) == MAX_ROWS


def test_toml_with_too_many_entries_is_rejected():
    text = '[deck]\nslug = "big"\ntitle = "Big"\n' + "".join(
        f'[[entries]]\nid = "w{i}"\nheadword = "w{i}"\nmeaning = "m"\n' for i in range(50_000)
    )
    with pytest.raises(ImportFileError, match="50,000 rows; the limit is 10,000"):
        parse(text, "big.toml")


def test_endless_empty_rows_are_rejected():
    data = b"headword,meaning\nx,y\n" + b",\r\n" * 200_000
    with pytest.raises(ImportFileError, match="most of them empty"):
        parse_upload(data, "words.csv")


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "PNG image"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(200), "Excel .xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200), ".xls"),
        (bytes(range(256)) * 4, "not a text file"),
    ],
)
def test_binary_files_are_rejected(data, what):
    with pytest.raises(ImportFileError, match="not a text file") as caught:
        parse_upload(data, "words.csv")
    assert what in str(caught.value)


def test_utf8_with_bom():
    result = parse_upload("\ufeffHeadword,Meaning\n你好,hello\n".encode(), "words.csv")
    assert result.ok
    assert result.rows[0].headword == "你好"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom_as_excel_writes_unicode_text(encoding):
    text = "headword\tpinyin\tmeaning\n你好\tnǐ hǎo\thello\n"
    data = ("\ufeff" + text).encode(encoding) if encoding != "utf-16" else text.encode("utf-16")
    result = parse_upload(data, "words.txt")
    assert result.ok, messages(result)
    assert result.format == "tsv"
    assert (result.rows[0].headword, result.rows[0].pinyin) == ("你好", "nǐ hǎo")


def test_utf16_without_bom_is_refused_with_advice():
    with pytest.raises(ImportFileError, match="UTF-16 text without a byte order mark"):
        parse_upload("headword,meaning\n你好,hello\n".encode("utf-16-le"), "words.csv")


@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
def test_gb18030_is_read_with_a_warning(encoding):
    text = "汉字,拼音,意思\n你好,nǐ hǎo,你好的意思是hello\n谢谢,,thanks\n"
    result = parse_upload(text.encode(encoding), "words.csv")
    assert result.ok, messages(result)
    assert [row.headword for row in result.rows] == ["你好", "谢谢"]
    assert result.rows[0].pinyin == "nǐ hǎo"
    assert any("read as GB18030" in warning for warning in result.warnings)


def test_other_encodings_are_refused_with_the_advice():
    with pytest.raises(ImportFileError) as caught:
        parse_upload("headword,meaning\ncafé,coffee\n".encode("cp1252"), "words.csv")
    assert str(caught.value) == NOT_UTF8 == "The file is not UTF-8 text: save it as UTF-8 CSV and try again."


# ---------------------------------------------------------------- TOML deck files


def test_a_shipped_deck_file_imports_as_rows_with_its_deck():
    path = DECKS / "internet-slang.toml"
    result = parse_upload(path.read_bytes(), path.name)
    assert result.ok, messages(result)
    assert result.format == "toml"
    assert result.deck is not None and result.deck["slug"] == "internet-slang"
    assert len(result.rows) == path.read_text(encoding="utf-8").count("[[entries]]")
    lines = path.read_text(encoding="utf-8").split("\n")
    for row in result.rows:
        assert lines[row.line - 1].startswith("[[entries]]")
        assert not row.key_derived
    yyds = next(row for row in result.rows if row.key == "yyds")
    assert yyds.example_zh == "这家火锅yyds！"


def test_toml_problems_become_row_errors_with_lines():
    text = (
        '[deck]\nslug = "mine"\ntitle = "Mine"\n\n'
        '[[entries]]\nid = "nihao"\nheadword = "你好"\npinyin = "ni3 hao3"\nmeaning = "hello"\n\n'
        '[[entries]]\nid = "nihao"\nheadword = "谢谢"\nmeaning = "thanks"\n'
    )
    result = parse(text, "mine.toml")
    # Since 2026-12 tone numbers become tone marks in deck files too (they were an error), and an upload's
    # rows are shown beside its problems whatever its format (a TOML upload with problems showed none).
    assert [(row.line, row.key, row.pinyin) for row in result.rows] == [
        (5, "nihao", "nǐ hǎo"),
        (11, "nihao", "xiè xie"),
    ]
    assert [(e.line, e.column, e.message) for e in result.errors] == [
        (12, "key", "duplicate id 'nihao' (first at entry 1)")
    ]
    assert "Tone numbers were turned into tone marks in 1 row." in result.warnings


def test_toml_entries_without_a_deck_table_and_our_own_checks():
    text = (
        '[[entries]]\nid = "a"\nheadword = "你好"\nmeaning = "hello"\n\n'
        '[[entries]]\nid = "b"\nheadword = "你好"\nmeaning = "hi"\nnotes = "bell\\u0007"\n'
    )
    result = parse(text, "entries.txt")
    assert result.format == "toml"
    assert result.deck is None
    assert [row.line for row in result.rows] == [1, 6]
    assert result.rows[0].pinyin == "nǐ hǎo" and result.rows[0].pinyin_filled
    assert messages(result) == [
        "line 10, notes: contains a control character (U+0007); remove it",
        "line 8, headword: 你好 also on line 3",
    ]


def test_toml_syntax_error():
    result = parse('[deck]\nslug = "x\n', "broken.toml")
    assert result.rows == []
    assert result.errors[0].column == "syntax"
    assert result.errors[0].line == 2


# ---------------------------------------------------------------- storing the preview


def test_rows_and_results_survive_json():
    result = parse(
        "headword,meaning,tags,send_situation,send_verdict,send_why\n"
        "🙂,smile,emoji face,A rota.,no,Cold.\n谢谢,thanks,,,,\n你好,,,,,\n"
    )
    stored = json.loads(json.dumps(result.to_dict()))
    again = ParsedImport.from_dict(stored)
    assert again == result
    assert again.rows[1].pinyin_filled
    assert ImportRow.from_dict(result.rows[0].to_dict()) == result.rows[0]
    with pytest.raises(ValueError, match="unknown"):
        ImportRow.from_dict({**result.rows[0].to_dict(), "evil": 1})


def test_row_error_text():
    assert str(RowError(7, "headword", "你好 also on line 3")) == "line 7, headword: 你好 also on line 3"
    assert str(RowError(None, "deck.slug", "required")) == "deck.slug: required"


# ---------------------------------------------------------------- speed


def test_five_thousand_rows_parse_whole():
    """Every row of a large file is read (its speed is measured in benchmarks/teach.py, not here)."""
    rows = "".join(
        f"w{i},nǐ hǎo,meaning number {i},some notes about it,tag{i % 7} common\n" for i in range(5000)
    )
    data = ("headword,pinyin,meaning,notes,tags\n" + rows).encode()
    result = parse_upload(data, "words.csv", fill_pinyin=False)
    assert len(result.rows) == 5000 and result.errors == []
    assert result.rows[4999].headword == "w4999" and result.rows[4999].tags == ("tag1", "common")
