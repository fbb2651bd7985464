"""The nickname tables, read from the data files in `data/` once, on first use, and cached.

The tables are content, reviewed as content (each file's header says what its columns mean); keeping
them out of the code lets a reviewer read and correct them without reading Python, and lets the tests
(tests/unit/test_nickname_tables.py) check every row. A malformed row is a `TableError` naming the file
and line. The tests load every table, so a bad edit fails there; in production `load_all` runs in
learnapp/wsgi.py before gunicorn forks, so a bad row that got through stops the server from starting
rather than failing in a learner's face. (`create_app` does not load them: the tests build thousands of
apps, and a development server loads each table when a page first needs it.)
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from learnapp.nickname.model import VIBES

FEEL_CODES = {"f": "feminine", "m": "masculine", "n": "neutral"}


class TableError(ValueError):
    """A data file is malformed: the message names the file and the line."""


def _text(name: str) -> str:
    return resources.files("learnapp.nickname").joinpath("data", name).read_text(encoding="utf-8")


def rows(name: str) -> list[tuple[int, dict[str, str]]]:
    """The rows of a TSV file as (line number, {column: value}): lines starting with # are comments, the
    first other line names the columns, and every row has exactly that many tab-separated cells."""
    header: list[str] | None = None
    found: list[tuple[int, dict[str, str]]] = []
    for number, line in enumerate(_text(name).splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        if len(cells) != len(header) or any(cell != cell.strip() for cell in cells):
            raise TableError(f"{name}:{number}: expected {len(header)} tab-separated cells: {line!r}")
        found.append((number, dict(zip(header, cells, strict=True))))
    return found


def toml(name: str) -> dict[str, Any]:
    return tomllib.loads(_text(name))


def _feel(value: str, where: str) -> str:
    if value not in FEEL_CODES:
        raise TableError(f"{where}: feel must be f, m or n, not {value!r}")
    return FEEL_CODES[value]


def _vibes(value: str, where: str) -> tuple[str, ...]:
    vibes = tuple(value.split(","))
    if not vibes or not set(vibes) <= set(VIBES):
        raise TableError(f"{where}: unknown vibe in {value!r}")
    return vibes


# --- Chinese-style names ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GivenChar:
    """A character of a given name, with its reading in names and a short meaning; `single` when it is a
    natural one-character given name (王静, 李明)."""

    char: str
    pinyin: str
    feel: str
    vibes: tuple[str, ...]
    single: bool
    meaning: str


@dataclass(frozen=True, slots=True)
class GivenPair:
    """A two-character given name Chinese parents really choose, with what it means as a whole."""

    hanzi: str
    pinyin: str  # two syllables
    feel: str
    vibes: tuple[str, ...]
    meaning: str


@cache
def given_chars() -> dict[str, GivenChar]:
    out: dict[str, GivenChar] = {}
    for number, row in rows("given_chars.tsv"):
        where = f"given_chars.tsv:{number}"
        if row["single"] not in ("yes", "no"):
            raise TableError(f"{where}: single is yes or no")
        out[row["char"]] = GivenChar(
            row["char"],
            row["pinyin"],
            _feel(row["feel"], where),
            _vibes(row["vibes"], where),
            row["single"] == "yes",
            row["meaning"],
        )
    return out


@cache
def given_pairs() -> tuple[GivenPair, ...]:
    out = []
    for number, row in rows("given_pairs.tsv"):
        where = f"given_pairs.tsv:{number}"
        out.append(
            GivenPair(
                row["pair"],
                row["pinyin"],
                _feel(row["feel"], where),
                _vibes(row["vibes"], where),
                row["meaning"],
            )
        )
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Surname:
    hanzi: str  # one character, or two for a compound surname (欧阳)
    pinyin: str  # one syllable a character, CC-CEDICT's reading for the surname (曾 zēng, 单 shàn)
    offer: bool  # may be given to a learner in a Chinese-style name (else only recognised in a typed one)
    meaning: str  # "" where the character is only a surname to a learner


@cache
def surnames() -> dict[str, Surname]:
    out: dict[str, Surname] = {}
    for number, row in rows("surnames.tsv"):
        if row["offer"] not in ("yes", "no"):
            raise TableError(f"surnames.tsv:{number}: offer is yes or no")
        out[row["surname"]] = Surname(row["surname"], row["pinyin"], row["offer"] == "yes", row["meaning"])
    return out


@cache
def offered_surnames() -> dict[str, Surname]:
    return {hanzi: s for hanzi, s in surnames().items() if s.offer}


@cache
def common_surnames() -> tuple[str, ...]:
    """The most common surnames, for a name that gives no hint of one."""
    return tuple(toml("surname_sounds.toml")["common"])


@cache
def surnames_by_sound() -> dict[str, tuple[str, ...]]:
    """The first sound of a name -> surnames that start with a like sound."""
    return {sound: tuple(chars) for sound, chars in toml("surname_sounds.toml")["by_sound"].items()}


@cache
def hangul_surnames() -> dict[str, str]:
    """Korean surnames in Hangul -> the Chinese surname (김 -> 金)."""
    return dict(toml("surname_sounds.toml")["hangul"])


@dataclass(frozen=True, slots=True)
class HeritageSurname:
    """A romanised Chinese, Korean or Vietnamese surname and the Chinese surname it comes from."""

    spelling: str  # lowercase ASCII: wong
    hanzi: str  # the most common source: 黄
    origin: str  # how it is spelled: "the Cantonese spelling"
    also: str  # other surnames it can be, with their pinyin: "王 Wáng"; "" when none
    note: str  # one more clause for the explanation, or ""


@cache
def heritage_surnames() -> dict[str, HeritageSurname]:
    out: dict[str, HeritageSurname] = {}
    for number, row in rows("heritage_surnames.tsv"):
        spelling = row["spelling"]
        if spelling in out:
            raise TableError(f"heritage_surnames.tsv:{number}: {spelling} twice")
        out[spelling] = HeritageSurname(spelling, row["hanzi"], row["origin"], row["also"], row["note"])
    return out


@cache
def english_surnames() -> dict[str, tuple[str, str]]:
    """English surnames matched to a Chinese surname by sound (Smith 史) or meaning (King 王)."""
    return {row["surname"]: (row["hanzi"], row["how"]) for _, row in rows("english_surnames.tsv")}


# --- names by sound ---------------------------------------------------------------------------------


@cache
def sound_chars() -> dict[str, tuple[str, str]]:
    """Every character used to write a name by sound: char -> (pinyin, meaning)."""
    return {row["char"]: (row["pinyin"], row["meaning"]) for _, row in rows("sound_chars.tsv")}


@dataclass(frozen=True, slots=True)
class ForeignName:
    """A given name and its standard Chinese forms (the usual one first) in the languages listed."""

    name: str  # lowercase ASCII, accents stripped: joao
    sex: str  # "f", "m" or "u" (either)
    languages: tuple[str, ...]
    forms: tuple[str, ...]


@cache
def foreign_names() -> dict[str, tuple[ForeignName, ...]]:
    """name -> its rows (one per language group where the standard form differs: Jean 让 and 琼)."""
    out: dict[str, list[ForeignName]] = {}
    for number, row in rows("given_names.tsv"):
        if row["sex"] not in ("f", "m", "u"):
            raise TableError(f"given_names.tsv:{number}: sex is f, m or u")
        entry = ForeignName(
            row["name"], row["sex"], tuple(row["languages"].split(",")), tuple(row["forms"].split("/"))
        )
        out.setdefault(entry.name, []).append(entry)
    return {name: tuple(entries) for name, entries in out.items()}


@cache
def pronunciations() -> dict[str, tuple[str, str]]:
    """Names whose spelling misleads, with no standard Chinese form we are sure of: name -> (language,
    a plain respelling of how it is said: Siobhan -> shivawn)."""
    return {row["name"]: (row["language"], row["sounds"]) for _, row in rows("pronunciations.tsv")}


@dataclass(frozen=True)
class OwnCharacters:
    """Which given names are Korean or Vietnamese, and so written with characters of their own."""

    korean_syllables: frozenset[str]
    korean_names: frozenset[str]
    vietnamese_names: frozenset[str]
    vietnamese_beside_surname: frozenset[str]
    vietnamese_letters: frozenset[str]


@cache
def own_characters() -> OwnCharacters:
    data = toml("own_characters.toml")
    korean, vietnamese = data["korean"], data["vietnamese"]
    return OwnCharacters(
        korean_syllables=frozenset(korean["syllables"].split()),
        korean_names=frozenset(korean["names"].split()),
        vietnamese_names=frozenset(vietnamese["names"].split()),
        vietnamese_beside_surname=frozenset(vietnamese["beside_surname"].split()),
        vietnamese_letters=frozenset(vietnamese["letters"]),
    )


def _grid(table: dict[str, Any]) -> dict[str, dict[str, str]]:
    columns: list[str] = table["columns"]
    grid: dict[str, dict[str, str]] = {}
    for onset, cells in table["rows"].items():
        values = cells.split()
        if len(values) != len(columns):
            raise TableError(f"transliteration.toml: row {onset!r} needs {len(columns)} cells")
        grid["" if onset == "-" else onset] = {c: v for c, v in zip(columns, values, strict=True) if v != "-"}
    return grid


@dataclass(frozen=True)
class Transliteration:
    """The characters for sounding out a name (syllables, closed nasal syllables, bare consonants) and
    the feminine characters with their plain counterparts."""

    syllables: dict[str, dict[str, str]]
    nasals: dict[str, dict[str, str]]
    bare: dict[str, str]
    feminine_to_plain: dict[str, str]
    plain_to_feminine: dict[str, str]
    feminine_gloss: dict[str, str]
    plain_overrides: dict[str, str]


@cache
def transliteration() -> Transliteration:
    data = toml("transliteration.toml")
    return Transliteration(
        syllables=_grid(data["syllables"]),
        nasals=_grid(data["nasals"]),
        bare=dict(data["bare_consonants"]),
        feminine_to_plain=dict(data["feminine_to_plain"]),
        plain_to_feminine=dict(data["plain_to_feminine"]),
        feminine_gloss=dict(data["feminine_gloss"]),
        plain_overrides=dict(data["plain_overrides"]),
    )


# --- what a name must never be ----------------------------------------------------------------------


@cache
def blocklist() -> frozenset[str]:
    """Characters no suggestion may contain, from every group of data/blocklist.toml."""
    return frozenset("".join(group["chars"] for group in toml("blocklist.toml").values()))


@cache
def bad_sounds() -> tuple[tuple[str, str, str], ...]:
    """Words a name must not sound like: (hanzi, pinyin, English)."""
    return tuple((row["hanzi"], row["pinyin"], row["english"]) for _, row in rows("bad_sounds.tsv"))


@cache
def famous() -> frozenset[str]:
    """Names of well-known people and characters a suggestion may not be, contain or start like."""
    return frozenset(row["name"] for _, row in rows("famous.tsv"))


def load_all() -> None:
    """Read and check every table now (learnapp/wsgi.py, before the fork: the workers share them)."""
    for load in (
        given_chars,
        given_pairs,
        surnames,
        offered_surnames,
        common_surnames,
        surnames_by_sound,
        hangul_surnames,
        heritage_surnames,
        english_surnames,
        sound_chars,
        foreign_names,
        pronunciations,
        transliteration,
        blocklist,
        bad_sounds,
        famous,
        own_characters,
    ):
        load()
