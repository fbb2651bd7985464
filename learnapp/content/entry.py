"""What a deck and an entry are, wherever they come from. Pure: imports nothing of ours but chinese/.

Deck files, the deck editor, the importer and the exporter all hold an entry as `EntryData` and a deck as
`DeckData`; the database loader (learnapp/decks/loader.py) writes them. The rules that turn what someone
typed or uploaded into an `EntryData` are in `learnapp.content.cleaning`; the limits they apply are here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields

from learnapp.chinese.checker import tone_pair
from learnapp.chinese.syllables import hanzi_of, parse_pinyin

# recognize: headword -> meaning; recall: meaning -> headword; context: "what does it mean here?" (the
# example sentence); send: "would you send this?" (a situation, from the entry's [entries.send] table);
# typed: type the pinyin of the headword; tones: pick the tone pair of a two-syllable word.
CARD_KINDS = ("recognize", "recall", "context", "send", "typed", "tones")
# Kinds an entry makes only when it suits them (a deck of mixed words): the others are checked on the file.
OPTIONAL_KINDS = ("typed", "tones")
DEFAULT_CARD_KINDS = ("recognize", "recall")
VERDICTS = ("yes", "no", "careful")
CATEGORIES = ("platform", "slang", "emoji", "customs", "mandarin", "hsk")
LEVELS = range(1, 10)

# The longest value of each field, in characters after cleaning. The column sizes of
# learnapp/models/content.py bound the one-line fields; longer text is refused here, never by the database.
MAX_TEXT = 2000
MAX_LENGTH: dict[str, int] = {
    # an entry
    "key": 80,
    "headword": 120,
    "pinyin": 255,
    "spoken": 255,
    "literal": MAX_TEXT,
    "meaning": MAX_TEXT,
    "notes": MAX_TEXT,
    "example_zh": MAX_TEXT,
    "example_pinyin": MAX_TEXT,
    "example_en": MAX_TEXT,
    "send_situation": MAX_TEXT,
    "send_verdict": 10,
    "send_why": MAX_TEXT,
    # a deck
    "slug": 80,
    "title": 120,
    "description": MAX_TEXT,
    "category": 20,
    "license": 80,
    "attribution": MAX_TEXT,
}
MAX_TAGS = 20
MAX_TAG_LENGTH = 40
# Fields that hold one line: a tab or a line break in them is refused, runs of spaces become one.
SINGLE_LINE = frozenset(
    {"key", "headword", "pinyin", "spoken", "send_verdict", "slug", "title", "category", "license"}
)
# An entry's text fields, in the order forms and files list them.
TEXT_FIELDS = (
    "headword",
    "pinyin",
    "spoken",
    "literal",
    "meaning",
    "notes",
    "example_zh",
    "example_pinyin",
    "example_en",
)
SEND_FIELDS = ("situation", "verdict", "why")


@dataclass(frozen=True)
class EntryData:
    """One entry, cleaned: what the loader writes and the exporter reads. `spoken` is the spoken form
    where tone sandhi changes the citation pinyin (Entry.pinyin_spoken); `send` the "would you send
    this?" situation (situation, verdict, why), kept in Entry.extra."""

    key: str
    position: int = 0
    headword: str = ""
    pinyin: str = ""
    spoken: str = ""
    literal: str = ""
    meaning: str = ""
    notes: str = ""
    example_zh: str = ""
    example_pinyin: str = ""
    example_en: str = ""
    tags: tuple[str, ...] = ()
    send: dict[str, str] | None = None


ENTRY_FIELDS = tuple(f.name for f in fields(EntryData))


@dataclass(frozen=True)
class DeckData:
    """One deck, cleaned, with its entries in order (empty when the entries travel separately)."""

    slug: str
    title: str
    description: str = ""
    category: str = "mandarin"
    level: int = 1
    prerequisites: tuple[str, ...] = ()
    card_kinds: tuple[str, ...] = DEFAULT_CARD_KINDS
    license: str = ""
    attribution: str = ""
    entries: tuple[EntryData, ...] = field(default_factory=tuple)


def card_kinds_for(kinds: Iterable[str], headword: str, pinyin: str) -> tuple[str, ...]:
    """The kinds of card one entry makes: typed pinyin needs hanzi and their pinyin; a tone drill needs a
    word of two characters read as two syllables."""
    out = []
    for kind in kinds:
        if kind in OPTIONAL_KINDS:
            hanzi = hanzi_of(headword)
            if not hanzi or not pinyin or parse_pinyin(pinyin) is None:
                continue
            if kind == "tones" and (len(hanzi) != 2 or len(headword) != 2 or tone_pair(pinyin) is None):
                continue
        out.append(kind)
    return tuple(out)
