"""Wiki queries: search by hanzi, pinyin (with or without tones) or English (meanings, literal meanings and
notes); browse by category, level, tag. The same headword in several decks is one result.

Search runs over the entries of public decks. The query is normalised once (learnapp.chinese.syllables):
"xie xie", "xiè xie", "xie4xie5" and "xiexie" all find 谢谢 through the entry's search_pinyin (toneless)
and search_numbered (tone numbers) columns, which the loader fills. Every match is a LIKE with its
wildcards escaped: the input is data, never SQL.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Case, ColumnElement, SQLColumnExpression, and_, case, false, func, or_, select

from learnapp.chinese.syllables import has_hanzi, toneless, typed_syllables
from learnapp.errors import NotFound
from learnapp.extensions import db
from learnapp.models import CATEGORIES, Deck, Entry
from learnapp.numbers import small_int

MAX_QUERY = 100  # longer input is cut, not refused
PAGE_SIZE = 40
_TONE_INFO = re.compile(r"[1-5āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]")
_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class Query:
    text: str = ""
    category: str = ""
    level: int | None = None
    tag: str = ""
    page: int = 1

    @property
    def empty(self) -> bool:
        return not (self.text or self.category or self.level or self.tag)


def make_query(args: Mapping[str, str]) -> Query:
    """A Query from request arguments; anything odd is dropped rather than refused."""
    # Control characters (NUL among them, which PostgreSQL refuses in text) are dropped, not searched for.
    raw = "".join(char for char in (args.get("q") or "") if char.isprintable() or char.isspace())
    text = " ".join(raw.split())[:MAX_QUERY]
    category = args.get("category") or ""
    level_raw = args.get("level") or ""
    page_raw = args.get("page") or "1"
    return Query(
        text=text,
        category=category if category in CATEGORIES else "",
        level=level if (level := small_int(level_raw)) is not None and 1 <= level <= 9 else None,
        tag=(args.get("tag") or "")[:40].strip().lower(),
        page=min(page, 1000) if (page := small_int(page_raw)) else 1,
    )


@dataclass(frozen=True)
class Hit:
    entry: Entry
    deck: Deck


@dataclass(frozen=True)
class Group:
    """One headword in the results: its best entry (`entry`, `deck`), the same headword's matches in other
    decks (`others`), and where English was found when not in the meaning ("literal", "notes" or "")."""

    entry: Entry
    deck: Deck
    others: tuple[Hit, ...] = ()
    found_in: str = ""


@dataclass(frozen=True)
class Results:
    query: Query
    hits: list[Group]
    has_more: bool


def _public() -> ColumnElement[bool]:
    return and_(Deck.visibility == "public", ~Entry.retired)


def search(query: Query) -> Results:
    """Headwords matching the query, best first: exact headword, exact pinyin, then prefixes, then English
    (meaning, then literal meaning, then notes). The same headword in several decks is one result."""
    conditions = [_public()]
    if query.category:
        conditions.append(Deck.category == query.category)
    if query.level:
        conditions.append(Deck.level == query.level)
    if query.tag:
        conditions.append(_has_tag(query.tag))
    rank = None
    if query.text:
        rank, match = _text_match(query.text)
        conditions.append(match)
    hsk_last = case((Deck.category == "hsk", 1), else_=0)
    best_rank = [func.min(rank)] if rank is not None else []
    page = db.session.execute(
        select(Entry.headword)
        .join(Deck, Deck.id == Entry.deck_id)
        .where(*conditions)
        .group_by(Entry.headword)
        .order_by(
            *best_rank,
            func.min(hsk_last),
            func.min(Deck.level),
            func.length(Entry.headword),
            func.min(Deck.id),
            func.min(Entry.position),
            Entry.headword,
        )
        .offset((query.page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
    ).all()
    headwords = [row[0] for row in page[:PAGE_SIZE]]
    if not headwords:
        return Results(query=query, hits=[], has_more=False)
    ranks = [rank] if rank is not None else []
    rows = db.session.execute(
        select(Entry, Deck, *ranks)
        .join(Deck, Deck.id == Entry.deck_id)
        .where(*conditions, Entry.headword.in_(headwords))
        .order_by(*ranks, hsk_last, Deck.level, Deck.id, Entry.position)
    ).all()
    by_headword: dict[str, list[tuple[Entry, Deck, int]]] = {}
    for row in rows:
        entry, deck = row[0], row[1]
        by_headword.setdefault(entry.headword, []).append((entry, deck, int(row[2]) if ranks else RANK_NONE))
    groups = [_group(by_headword[headword]) for headword in headwords if headword in by_headword]
    return Results(query=query, hits=groups, has_more=len(page) > PAGE_SIZE)


def _group(rows: list[tuple[Entry, Deck, int]]) -> Group:
    entry, deck, rank = rows[0]
    found_in = {RANK_LITERAL: "literal", RANK_NOTES: "notes"}.get(rank, "")
    return Group(entry, deck, tuple(Hit(e, d) for e, d, _ in rows[1:]), found_in)


def _has_tag(tag: str) -> ColumnElement[bool]:
    # Tags are a JSON list of lowercase words; match the quoted word in its text form, escaped.
    return func.lower(func.cast(Entry.tags, db.String)).contains(f'"{tag}"', autoescape=True)


RANK_LITERAL, RANK_NOTES, RANK_NONE = 6, 7, 8


def _english(column: SQLColumnExpression[str | None], words: list[str]) -> ColumnElement[bool]:
    """Every word starts a word of `column` ("thank" finds "to thank", not "anxiety" for "xie")."""
    text = func.lower(column)
    return and_(
        *(
            or_(text.startswith(word, autoescape=True), text.contains(" " + word, autoescape=True))
            for word in words
        )
    )


def _text_match(text: str) -> tuple[Case[int], ColumnElement[bool]]:
    lowered = text.lower()
    exact_headword = Entry.headword == text
    headword_prefix = Entry.headword.startswith(text, autoescape=True)
    headword_contains = Entry.headword.contains(text, autoescape=True)
    whens = [(exact_headword, 0), (headword_prefix, 3)]
    matches = [headword_contains]
    if not has_hanzi(text):
        letters = toneless(lowered)
        if letters:
            if _TONE_INFO.search(lowered):
                pattern = numbered_pattern(lowered)
                whens += [
                    (Entry.search_numbered.like(pattern), 1),
                    (Entry.search_numbered.like(pattern + "%"), 2),
                ]
                matches.append(Entry.search_numbered.like(pattern + "%"))
            else:
                whens += [
                    (Entry.search_pinyin == letters, 1),
                    (Entry.search_pinyin.startswith(letters, autoescape=True), 2),
                ]
                matches.append(Entry.search_pinyin.startswith(letters, autoescape=True))
        words = _WORD.findall(lowered)
        if words:
            # English: the meaning first (a meaning that is the phrase, or starts with it, before one that
            # merely has the words), then the literal meaning ("grass" finds 种草), then the notes.
            meaning = func.lower(Entry.meaning)
            phrase = " ".join(words)
            whens.append((or_(meaning == phrase, meaning.startswith(phrase + " ", autoescape=True)), 4))
            in_meaning, in_literal, in_notes = (
                _english(c, words) for c in (Entry.meaning, Entry.literal, Entry.notes)
            )
            matches += [in_meaning, in_literal, in_notes]
            whens += [(in_meaning, 5), (in_literal, RANK_LITERAL), (in_notes, RANK_NOTES)]
    rank = case(*whens, else_=RANK_NONE)
    return rank, or_(*matches) if matches else false()


def numbered_pattern(text: str) -> str:
    """A LIKE pattern over search_numbered from pinyin typed with tone marks or numbers, in any mix:
    "nǐ hǎo", "nǐhǎo" and "ni3hao3" -> "ni3hao3"; a syllable typed without a tone matches any tone
    ("xie4xie" -> "xie4xie_"). Only letters and digits get through: no wildcard comes from the user."""
    return "".join(piece + (str(tone) if tone else "_") for piece, tone in typed_syllables(text))


def get_entry(slug: str, key: str) -> Hit:
    row = db.session.execute(
        select(Entry, Deck)
        .join(Deck, Deck.id == Entry.deck_id)
        .where(Deck.slug == slug, Entry.key == key, _public())
    ).first()
    if row is None:
        raise NotFound("There is no wiki page at this address.")
    return Hit(row[0], row[1])


def same_headword(hit: Hit) -> list[Hit]:
    """The same word in other public decks (谢谢 in Mandarin first words and in HSK 1)."""
    rows = db.session.execute(
        select(Entry, Deck)
        .join(Deck, Deck.id == Entry.deck_id)
        .where(Entry.headword == hit.entry.headword, Entry.id != hit.entry.id, _public())
        .order_by(Deck.level, Deck.id)
    ).all()
    return [Hit(entry, deck) for entry, deck in rows]


@dataclass(frozen=True)
class Facet:
    value: str
    count: int


def facets() -> dict[str, list[Facet]]:
    """Counts for browsing: entries per category and per level, and the most used tags."""
    base = select(func.count()).select_from(Entry).join(Deck, Deck.id == Entry.deck_id).where(_public())
    by_category = db.session.execute(
        base.add_columns(Deck.category).group_by(Deck.category).order_by(Deck.category)
    ).all()
    by_level = db.session.execute(
        base.add_columns(Deck.level).group_by(Deck.level).order_by(Deck.level)
    ).all()
    counts: dict[str, int] = {}
    for (tags,) in db.session.execute(
        select(Entry.tags).join(Deck, Deck.id == Entry.deck_id).where(_public(), Deck.category != "hsk")
    ):
        for tag in tags or []:
            counts[tag] = counts.get(tag, 0) + 1
    top_tags = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:30]
    return {
        "category": [Facet(str(value), int(n)) for n, value in by_category],
        "level": [Facet(str(value), int(n)) for n, value in by_level],
        "tag": [Facet(tag, n) for tag, n in sorted(top_tags)],
    }
