"""The curated entries the reader's segmenter puts first: headword -> `Curated`, built from the built-in
public decks of the curated categories once per process and rebuilt when a deck changes
(`_curated_version`: the newest decks.updated_at and the number of those decks, one small query a
request). CC-CEDICT's index behind it is shared by every worker (`learnapp.chinese.lexicon`, warmed before
the fork in `learnapp.wsgi`)."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, select

from learnapp.chinese.segment import Segmenter
from learnapp.extensions import db
from learnapp.models import Deck, Entry

CURATED_CATEGORIES = ("platform", "slang", "emoji", "customs", "mandarin")


@dataclass(frozen=True, slots=True, eq=False)
class Curated:
    """One of our entries as the segmenter hands it back. Hashed by identity (one object per entry in the
    process's mapping): it keys the pinyin mapping for every token, so its hash must cost nothing."""

    entry_id: int
    deck_id: int
    slug: str
    key: str
    headword: str
    pinyin: str


@dataclass(frozen=True)
class CuratedIndex:
    version: tuple[object, ...]
    segmenter: Segmenter[Curated]
    pinyin: dict[Curated, str]  # our entries' own pinyin, which the readings prefer


_CACHE: list[CuratedIndex] = []  # the process's one mapping, replaced whole (one assignment) when rebuilt
_LOCK = threading.Lock()


def _curated_decks() -> ColumnElement[bool]:
    return and_(Deck.visibility == "public", Deck.author_id.is_(None), Deck.category.in_(CURATED_CATEGORIES))


def _curated_version() -> tuple[object, ...]:
    row = db.session.execute(select(func.max(Deck.updated_at), func.count()).where(_curated_decks())).one()
    return tuple(row)


def curated_index() -> CuratedIndex:
    """The process's segmenter with our curated entries, and their pinyin; rebuilt only when the curated
    decks changed (one small query a call tells)."""
    version = _curated_version()
    if _CACHE and _CACHE[0].version == version:
        return _CACHE[0]
    with _LOCK:
        if not _CACHE or _CACHE[0].version != version:
            rows = db.session.execute(
                select(Entry.id, Entry.deck_id, Deck.slug, Entry.key, Entry.headword, Entry.pinyin)
                .join(Deck, Deck.id == Entry.deck_id)
                .where(_curated_decks(), ~Entry.retired)
                .order_by(Deck.level, Deck.id, Entry.position, Entry.id)
            ).all()
            mapping: dict[str, Curated] = {}
            for row in rows:
                mapping.setdefault(row.headword, Curated(*row))
            pinyin = {ref: ref.pinyin for ref in mapping.values() if ref.pinyin}
            _CACHE[:] = [CuratedIndex(version, Segmenter(mapping), pinyin)]
        return _CACHE[0]


def segmenter() -> Segmenter[Curated]:
    return curated_index().segmenter
