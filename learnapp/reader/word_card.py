"""One word of a text: the popover (`word_card`): our entry (meaning, usage, wiki page) or CC-CEDICT's
glosses, the reading in this sentence, the sentence itself with its pinyin as the decks write examples,
the learner's knowledge of the word and whether it is in My words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from learnapp.chinese import cedict
from learnapp.chinese.reading import Reading, readings, sentence_around
from learnapp.chinese.segment import Kind, Segmenter, Token, leaves
from learnapp.content.hsk.senses import compose, reading_senses
from learnapp.errors import NotFound
from learnapp.extensions import db
from learnapp.models import Deck, Entry, MyWord, ReaderText, User
from learnapp.reader.curated import CURATED_CATEGORIES, Curated, curated_index
from learnapp.reader.knowledge import NEW, knowledge
from learnapp.reader.reading import word_key
from learnapp.reader.texts import Readable

MAX_WORD = 40  # characters: the longest word a card is asked for
GLOSSES = 6
_PUNCTUATION_PINYIN = str.maketrans(
    {
        "，": ",",
        "。": ".",
        "！": "!",
        "？": "?",
        "：": ":",
        "；": ";",
        "、": ",",
        "（": "(",
        "）": ")",
        "～": "~",
    }
)
_OPENERS = frozenset("(（「『“‘【《〈[")


@dataclass(frozen=True)
class WordCard:
    text: ReaderText
    word: str
    at: int
    length: int
    key: str
    citation: str
    spoken: str
    curated: Curated | None
    entry: Entry | None  # our entry, for curated words
    glosses: tuple[str, ...]  # CC-CEDICT's senses for the popover (when the word is not ours)
    meaning: str  # the same, within a card's length, for My words
    sentence: str
    sentence_at: int  # where the word is in the sentence
    sentence_pinyin: str
    state: str
    kept: bool  # in My words already
    elsewhere: tuple[tuple[str, str, str], ...] = ()  # (deck title, slug, key): the word in our other decks

    @property
    def addable(self) -> bool:
        return bool(self.curated or self.glosses)

    @property
    def before(self) -> str:
        return self.sentence[: self.sentence_at]

    @property
    def after(self) -> str:
        return self.sentence[self.sentence_at + self.length :]


@dataclass(frozen=True)
class _Found:
    token: Token[Curated]
    sentence: str
    sentence_start: int
    sentence_tokens: list[Token[Curated]]


def _find(cutter: Segmenter[Curated], body: str, at: int | None, length: int | None) -> _Found:
    """The word at `at` (`length` characters) in `body`, cut as the page cut it: the sentence around it is
    segmented again (cheap), else the word alone."""
    if at is None or length is None or at < 0 or length < 1 or length > MAX_WORD or at + length > len(body):
        raise NotFound("There is no word at this place in the text.")
    sentence = sentence_around(body, at, length, limit=max(len(body), 1))
    tokens = cutter.segment(sentence.text)
    relative = at - sentence.start
    token = next((t for t in leaves(tokens) if t.start == relative and len(t.text) == length), None)
    if token is None or not word_key(token):
        alone = list(leaves(cutter.segment(body[at : at + length])))
        if len(alone) != 1 or not word_key(alone[0]):
            raise NotFound("There is no word at this place in the text.")
        token = alone[0]
        tokens, relative = alone, 0
        sentence_text, sentence_start = body[at : at + length], at
    else:
        sentence_text, sentence_start = sentence.text, sentence.start
    return _Found(token, sentence_text, sentence_start, tokens)


def sentence_pinyin(tokens: Sequence[Token[Curated]], spoken: dict[int, Reading]) -> str:
    """Citation pinyin of a sentence as the deck files write examples ("zhè jiā huǒ guō yyds!"): lowercase,
    syllables apart, Latin words, numbers and emoji as written, Chinese punctuation as its Latin
    counterpart, opening marks (and a hashtag's first #) on the word after them, the others on the word
    before."""
    out: list[str] = []
    opening = ""
    previous: Token[Curated] | None = None
    for token in leaves(tokens):
        reading = spoken.get(token.start)
        if reading is not None:
            part = reading.citation
        elif token.kind in (Kind.PUNCTUATION, Kind.OTHER) and not token.text.isspace():
            mark = token.text.translate(_PUNCTUATION_PINYIN)
            starts = previous is None or previous.kind in (Kind.SPACE, Kind.PUNCTUATION)
            if mark[:1] in _OPENERS or (mark[:1] in "#＃" and starts):
                opening += mark
            elif out:
                out[-1] += mark
            else:
                opening += mark
            previous = token
            continue
        elif token.kind is Kind.SPACE:
            previous = token
            continue
        else:
            part = token.text
        out.append(opening + part)
        opening = ""
        previous = token
    if opening:
        out.append(opening)
    return " ".join(part for part in out if part)


def dictionary_senses(headword: str, citation: str) -> tuple[tuple[str, ...], str]:
    """CC-CEDICT's senses of a word as the HSK decks clean them (`content.hsk.senses`: markup made
    readable, everyday senses first, literary and dialect ones only when there is nothing else, vulgar,
    sexual and political side senses never): the reading met in the text, else every reading. Returns the
    senses for the popover and a card's meaning (within its length budget)."""
    found = reading_senses(headword, citation) if citation else ()
    if not found:
        found = tuple(
            sense for reading_ in cedict.readings(headword) for sense in reading_senses(headword, reading_)
        )
    shown = [sense.text for sense in found if sense.kind != "side"] or [sense.text for sense in found]
    return tuple(dict.fromkeys(shown))[:GLOSSES], compose(found)


def word_card(user: User, found: Readable, at: int | None, length: int | None) -> WordCard:
    """Everything the popover shows about the word at `at` in the text."""
    body = found.text.body
    ours = curated_index()
    hit = _find(ours.segmenter, body, at, length)
    token = hit.token
    spoken = readings(hit.sentence_tokens, ours.pinyin)
    reading_ = spoken.get(token.start)
    curated = token.entry if token.kind is Kind.CURATED else None
    entry = db.session.get(Entry, curated.entry_id) if curated is not None else None
    key = word_key(token)
    citation = reading_.citation if reading_ else ""
    glosses: tuple[str, ...] = ()
    meaning = ""
    if entry is None and token.headword:
        glosses, meaning = dictionary_senses(token.headword, citation)
    assert at is not None and length is not None
    return WordCard(
        text=found.text,
        word=token.text,
        at=at,
        length=length,
        key=key,
        citation=(entry.pinyin if entry is not None and entry.pinyin else citation),
        spoken=reading_.spoken if reading_ else "",
        curated=curated,
        entry=entry,
        glosses=glosses,
        meaning=meaning,
        sentence=hit.sentence,
        sentence_at=at - hit.sentence_start,
        sentence_pinyin=sentence_pinyin(hit.sentence_tokens, spoken),
        state=knowledge(user.id, [key]).get(key, NEW),
        kept=_kept(user.id, key, curated),
        elsewhere=_elsewhere(key) if entry is None else (),
    )


def _elsewhere(headword: str) -> tuple[tuple[str, str, str], ...]:
    """The word's pages in our public decks that are not curated (the HSK decks): links to the wiki."""
    rows = db.session.execute(
        select(Deck.title, Deck.slug, Entry.key)
        .join(Deck, Deck.id == Entry.deck_id)
        .where(
            Entry.headword == headword, ~Entry.retired, Deck.visibility == "public", Deck.author_id.is_(None)
        )
        .order_by(Deck.level, Deck.id)
        .limit(3)
    ).all()
    return tuple((title, slug, key) for title, slug, key in rows)


def listed_entry(headword: str, citation: str) -> Entry | None:
    """The word's entry in our word-list decks (public, built-in, not curated: the HSK decks), which "Add
    to my words" links instead of copying; the lowest level's first. A headword listed with several
    readings (行 xíng, háng) is linked only to the one read `citation` here; none of them: None."""
    rows = list(
        db.session.scalars(
            select(Entry)
            .join(Deck, Deck.id == Entry.deck_id)
            .where(
                Entry.headword == headword,
                ~Entry.retired,
                Deck.visibility == "public",
                Deck.author_id.is_(None),
                Deck.category.not_in(CURATED_CATEGORIES),
            )
            .order_by(Deck.level, Deck.id, Entry.position, Entry.id)
        )
    )
    readings_ = {_plain(entry.pinyin) for entry in rows}
    if len(readings_) <= 1:
        return rows[0] if rows else None
    return next((entry for entry in rows if _plain(entry.pinyin) == _plain(citation)), None)


def _plain(pinyin: str) -> str:
    return "".join(pinyin.lower().split())


def _kept(user_id: int, key: str, curated: Curated | None) -> bool:
    query = select(MyWord.entry_id).where(MyWord.user_id == user_id)
    if curated is not None:
        query = query.where(MyWord.entry_id == curated.entry_id)
    else:  # in their own deck, or linked to our word-list entry (an HSK word)
        query = query.join(Entry, Entry.id == MyWord.entry_id).where(Entry.headword == key)
    return db.session.scalar(query.limit(1)) is not None
