"""The nickname data files (learnapp/nickname/data/): every row well-formed, every reading a valid pinyin
syllable that CC-CEDICT gives that character, no duplicates, every feel and vibe known, and every table
consistent with the others."""

import re
import tomllib
from pathlib import Path

import pytest

from learnapp.chinese.cedict import lookup, readings
from learnapp.chinese.syllables import has_hanzi, parse_pinyin
from learnapp.nickname import VIBES, tables
from learnapp.nickname.chinese_style import given_names

DATA = Path(tables.__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[2]


def surname_readings(word: str) -> set[str]:
    return {
        e.pinyin for e in lookup(word) if e.proper_noun and any("surname" in d.lower() for d in e.definitions)
    }


def cedict_has(char: str, pinyin: str) -> bool:
    """The reading is one CC-CEDICT gives `char`: a common one, or its reading as a surname (邓 Dèng,
    贾 Jiǎ, 彭 Péng are only surnames there)."""
    return pinyin in readings(char) or pinyin in surname_readings(char)


def one_syllable(pinyin: str) -> bool:
    parsed = parse_pinyin(pinyin)
    return bool(parsed) and len(parsed) == 1 and pinyin == pinyin.lower() == pinyin.strip()


def test_every_data_file_ships_in_the_wheel():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["learnapp.nickname"]
    shipped = {p.name for pattern in patterns for p in DATA.glob(pattern.removeprefix("data/"))}
    assert shipped == {p.name for p in DATA.iterdir() if p.suffix in (".tsv", ".toml")}


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.tsv")))
def test_every_tsv_row_has_its_columns_and_no_stray_spaces(name):
    lines = [line for line in (DATA / name).read_text().splitlines() if line and not line.startswith("#")]
    width = len(lines[0].split("\t"))
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        assert len(cells) == width and all(c == c.strip() for c in cells), (name, number, line)
    assert len(tables.rows(name)) == len(lines) - 1


def test_a_malformed_row_names_its_file_and_line(monkeypatch):
    monkeypatch.setattr(tables, "_text", lambda name: "# comment\na\tb\n1\t2\n3\n")
    with pytest.raises(tables.TableError, match=r"x\.tsv:4"):
        tables.rows("x.tsv")


def test_load_all_loads_every_table():
    """learnapp/wsgi.py calls load_all before the fork: a table left out of it would load on first use."""
    loaders = [f for f in vars(tables).values() if callable(f) and hasattr(f, "cache_clear")]
    for load in loaders:
        load.cache_clear()
    tables.load_all()
    assert loaders and [f.__name__ for f in loaders if f.cache_info().currsize != 1] == []


def test_given_characters():
    chars = tables.given_chars()
    assert len(chars) >= 200 and len(tables.rows("given_chars.tsv")) == len(chars)
    for char, g in chars.items():
        assert len(char) == 1 and has_hanzi(char) and g.meaning, char
        assert one_syllable(g.pinyin) and cedict_has(char, g.pinyin), (char, g.pinyin)
        assert g.feel in ("feminine", "masculine", "neutral") and set(g.vibes) <= set(VIBES)


def test_given_pairs_are_real_names_read_right():
    pairs = tables.given_pairs()
    assert len(pairs) >= 300
    assert len({p.hanzi for p in pairs}) == len(pairs)
    by_feel = {feel: sum(p.feel == feel for p in pairs) for feel in ("feminine", "masculine", "neutral")}
    assert min(by_feel.values()) >= 70, by_feel
    chars = tables.given_chars()
    for p in pairs:
        syllables = parse_pinyin(p.pinyin)
        assert len(p.hanzi) == 2 and syllables and len(syllables) == 2, p
        for char, syllable in zip(p.hanzi, p.pinyin.split(), strict=True):
            assert cedict_has(char, syllable), (p.hanzi, char, syllable)
            assert chars[char].pinyin == syllable, (p.hanzi, char)  # the gloss shown is for this reading
        if readings(p.hanzi):  # a pair that is also a word (安然, 晨曦) reads as the word
            assert p.pinyin in readings(p.hanzi), p.hanzi
        assert not (syllables[0].tone == syllables[1].tone == 3), p.hanzi
        assert syllables[0].base != syllables[1].base, p.hanzi
        assert p.meaning and set(p.vibes) <= set(VIBES), p.hanzi
        assert p.hanzi not in tables.famous() and not set(p.hanzi) & tables.blocklist(), p.hanzi


def test_the_pairs_the_issue_names_are_there():
    pairs = {p.hanzi for p in tables.given_pairs()}
    for pair in (
        "思远",
        "子涵",
        "欣怡",
        "浩然",
        "宇轩",
        "雨桐",
        "佳琪",
        "俊杰",
        "梓萱",
        "一诺",
        "明轩",
        "静怡",
        "晓彤",
        "文博",
        "嘉怡",
    ):
        assert pair in pairs, pair


@pytest.mark.parametrize("feel", ["feminine", "masculine", "neutral"])
@pytest.mark.parametrize("vibe", VIBES)
def test_every_feel_and_vibe_has_names_to_choose_from(feel, vibe):
    pairs, singles = given_names(feel, vibe)
    assert len(pairs) >= 8 and len(singles) >= 1, (feel, vibe, len(pairs), len(singles))


def test_surnames():
    surnames = tables.surnames()
    assert len(surnames) >= 300
    for hanzi, s in surnames.items():
        syllables = s.pinyin.split()
        assert 1 <= len(hanzi) <= 2 and len(syllables) == len(hanzi), hanzi
        assert all(one_syllable(x) for x in syllables), hanzi
        whole = s.pinyin in surname_readings(hanzi) or s.pinyin in readings(hanzi)
        assert whole or all(cedict_has(c, x) for c, x in zip(hanzi, syllables, strict=True)), hanzi
        if s.offer:
            assert len(hanzi) == 1 and not set(hanzi) & tables.blocklist(), hanzi
    special = {
        "曾": "zēng",
        "单": "shàn",
        "解": "xiè",
        "仇": "qiú",
        "朴": "piáo",
        "区": "ōu",
        "欧阳": "ōu yáng",
    }
    assert {h: surnames[h].pinyin for h in special} == special
    common = tables.common_surnames()
    assert len(common) == 30 == len(set(common)) and all(surnames[c].offer for c in common)


def test_surname_tables_point_at_known_surnames():
    offered = tables.offered_surnames()
    for pool in tables.surnames_by_sound().values():
        assert pool and set(pool) <= set(offered)
    for char, how in tables.english_surnames().values():
        assert char in offered and how in ("sound", "meaning")
        if how == "meaning":
            assert offered[char].meaning
    for h in tables.heritage_surnames().values():
        assert h.hanzi in offered and re.fullmatch(r"[a-z]+", h.spelling), h
        assert h.origin.startswith("the ") and h.origin.endswith(" of"), h
        for other in re.findall(
            r"([\u4e00-\u9fff]+) ([A-ZĀ-Ž]\w*)", h.also
        ):  # 王 Wáng: a surname with its reading
            assert other[0] in tables.surnames(), h
    assert set(tables.hangul_surnames().values()) <= set(offered)


def test_sound_characters_and_transliteration_tables():
    sound = tables.sound_chars()
    assert len(tables.rows("sound_chars.tsv")) == len(sound)
    for char, (pinyin, meaning) in sound.items():
        assert one_syllable(pinyin) and cedict_has(char, pinyin) and meaning, char
    trans = tables.transliteration()
    produced = set(trans.bare.values()) | set(trans.plain_to_feminine.values())
    produced |= set(trans.feminine_to_plain.values()) | set(trans.feminine_gloss)
    produced |= set("".join(trans.plain_overrides.values()))
    for grid in (trans.syllables, trans.nasals):
        for row in grid.values():
            produced |= set(row.values())
    assert produced <= set(sound), produced - set(sound)
    assert not set(sound) & tables.blocklist()


def test_given_names_table():
    names = tables.foreign_names()
    assert len(names) >= 850
    seen = set()
    known_languages = {
        "en", "fr", "es", "pt", "it", "de", "nl", "nordic", "slavic", "irish", "arabic", "persian", "turkish",
        "southasian", "westafrican", "eastafrican", "southernafrican", "greek",
    }  # fmt: skip
    sound = tables.sound_chars()
    for name, entries in names.items():
        assert re.fullmatch(r"[a-z]+", name), name
        for e in entries:
            assert (name, e.sex) not in seen, name  # a second row only for the other sex
            seen.add((name, e.sex))
            assert set(e.languages) <= known_languages, name
            assert len(set(e.forms)) == len(e.forms), name
            for form in e.forms:
                assert form and all(c in sound for c in form), (name, form)
    languages = {language for entries in names.values() for e in entries for language in e.languages}
    assert len(languages) >= 15


def test_korean_and_vietnamese_name_lists():
    known = tables.own_characters()
    words = known.korean_syllables | known.korean_names | known.vietnamese_names
    words |= known.vietnamese_beside_surname
    assert all(re.fullmatch(r"[a-z]+", w) for w in words)
    assert len(known.korean_syllables) >= 60 and len(known.vietnamese_names) >= 30
    # a name with a standard form is written that way, so it must not be listed
    assert not (known.korean_names | known.vietnamese_names) & set(tables.foreign_names())
    assert not known.vietnamese_names & known.vietnamese_beside_surname
    assert all(not c.isascii() and c.islower() for c in known.vietnamese_letters)


def test_pronunciations():
    for name, (language, sounds) in tables.pronunciations().items():
        assert re.fullmatch(r"[a-z]+", name) and re.fullmatch(r"[a-z]+", sounds), name
        assert name not in tables.foreign_names(), name  # a standard form would win anyway
        assert language in ("irish", "welsh", "en"), name


def test_blocklist_bad_sounds_and_famous_names():
    groups = tomllib.loads((DATA / "blocklist.toml").read_text())
    chars = "".join(g["chars"] for g in groups.values())
    assert len(chars) == len(set(chars)) == len(tables.blocklist())
    assert {"钟", "终", "死", "病"} <= tables.blocklist()
    seen = set()
    for hanzi, pinyin, english in tables.bad_sounds():
        parsed = parse_pinyin(pinyin)
        assert parsed and len(parsed) == len(hanzi) >= 2 and english, hanzi
        assert hanzi not in seen
        seen.add(hanzi)
    famous = [row["name"] for _, row in tables.rows("famous.tsv")]
    assert len(famous) == len(set(famous)) >= 400
    assert all(len(name) >= 2 and all(has_hanzi(c) for c in name) for name in famous)
    for name in (
        "毛泽东",
        "习近平",
        "彭丽媛",
        "邓小平",
        "周恩来",
        "孙中山",
        "蒋介石",
        "李小龙",
        "成龙",
        "秦始皇",
    ):
        assert name in tables.famous()
