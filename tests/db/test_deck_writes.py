"""The writes every way into the database shares (learnapp/decks/loader.py), on a real database: cards follow
a deck's kinds and each entry's fit for them, keeping their ids; large decks go through the bulk paths; what
is loaded exports back to the deck file it came from."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from learnapp.content.deckfile import parse_deck_file, parse_deck_text
from learnapp.content.export import to_toml
from learnapp.database import transaction
from learnapp.decks.loader import deck_data_of, entry_data_of, load_deck, lock_deck
from learnapp.decks.service import enroll
from learnapp.extensions import db
from learnapp.models import Card, CardState, Deck, Entry
from tests.factories import T0, make_user

DECKS = Path(__file__).resolve().parents[2] / "decks"


def deck_file(kinds: str, *entries: tuple[str, str, str]) -> str:
    text = f'[deck]\nslug = "kinds"\ntitle = "Kinds"\ncard_kinds = {kinds}\n'
    for key, headword, pinyin in entries:
        text += f'\n[[entries]]\nid = "{key}"\nheadword = "{headword}"\nmeaning = "m"\n'
        if pinyin:
            text += f'pinyin = "{pinyin}"\n'
    return text


def load(text: str, now=T0):
    report = load_deck(parse_deck_text(text, "kinds.toml"), now)
    db.session.commit()
    return report


def cards() -> dict[tuple[str, str], tuple[int, bool]]:
    """(entry key, kind) -> (card id, retired)."""
    rows = db.session.execute(
        select(Entry.key, Card.kind, Card.id, Card.retired).join(Card, Card.entry_id == Entry.id)
    )
    return {(key, kind): (card_id, retired) for key, kind, card_id, retired in rows}


WORDS = (("nihao", "你好", "nǐ hǎo"), ("hao", "好", "hǎo"), ("smile", "🙂", ""), ("yyds", "yyds", ""))


def test_optional_kinds_go_only_to_the_entries_they_suit(app):
    load(deck_file('["recognize", "typed", "tones"]', *WORDS))
    made = {
        key: sorted(kind for (k, kind), (_, retired) in cards().items() if k == key and not retired)
        for key, *_ in WORDS
    }
    assert made == {
        "nihao": ["recognize", "tones", "typed"],  # two characters, two syllables
        "hao": ["recognize", "typed"],  # one character: no tone pair
        "smile": ["recognize"],  # no hanzi: nothing to type
        "yyds": ["recognize"],
    }


def test_a_kind_dropped_and_brought_back_keeps_its_cards_and_the_learners_progress(app):
    load(deck_file('["recognize", "recall"]', *WORDS))
    user = make_user()
    enroll(user, "kinds", T0)
    first = cards()
    load(deck_file('["recognize"]', *WORDS), T0 + timedelta(hours=1))
    dropped = cards()
    assert {key: retired for key, (_, retired) in dropped.items() if key[1] == "recall"} == {
        (key, "recall"): True for key, *_ in WORDS
    }
    assert {key for key, (_, retired) in dropped.items() if not retired} == {
        (key, "recognize") for key, *_ in WORDS
    }
    active = db.session.scalars(select(CardState.active).where(CardState.user_id == user.id)).all()
    assert sorted(active) == [False] * 4 + [True] * 4
    load(deck_file('["recognize", "recall"]', *WORDS), T0 + timedelta(hours=2))
    assert cards() == first  # the same card ids, live again
    assert (
        db.session.scalars(select(CardState.active).where(CardState.user_id == user.id)).all() == [True] * 8
    )


def test_pinyin_that_starts_to_parse_gives_an_entry_its_typed_card(app):
    load(deck_file('["recognize", "typed"]', ("hao", "好", "")))
    assert ("hao", "typed") in cards()  # filled in from the dictionary at load time
    load(deck_file('["recognize", "typed"]', ("hao", "好", "hǎo"), ("ok", "OK", "")))
    assert ("ok", "typed") not in cards()


def test_a_large_deck_loads_retires_and_restores_in_bulk(app):
    many = [(f"w{n}", f"词{n}", "") for n in range(1200)]
    report = load(deck_file('["recognize", "recall"]', *many))
    assert report.created == 1200 and len(cards()) == 2400
    report = load(deck_file('["recognize"]', *many[:500]), T0 + timedelta(days=1))
    assert (report.unchanged, report.retired) == (500, 700)
    live = [key for key, (_, retired) in cards().items() if not retired]
    assert sorted(live) == sorted((key, "recognize") for key, *_ in many[:500])
    report = load(deck_file('["recognize", "recall"]', *many), T0 + timedelta(days=2))
    assert (report.restored, report.unchanged) == (700, 500)
    assert not any(retired for _, retired in cards().values()) and len(cards()) == 2400


def test_a_loaded_deck_exports_back_to_its_file(app):
    original = parse_deck_file(DECKS / "internet-slang.toml", complete=True)
    load_deck(original, T0)
    db.session.commit()
    deck = db.session.scalar(select(Deck).where(Deck.slug == "internet-slang"))
    stored = db.session.scalars(select(Entry).where(Entry.deck_id == deck.id).order_by(Entry.position))
    again = parse_deck_text(to_toml(deck_data_of(deck), [entry_data_of(e) for e in stored]), complete=True)
    assert again.slug == original.slug and again.card_kinds == original.card_kinds
    assert len(again.entries) == len(original.entries)
    for before, after in zip(original.entries, again.entries, strict=True):
        # The database adds the spoken form where sandhi changes the pinyin; the rest is the file's.
        assert after == type(after)(**{**before.__dict__, "spoken": after.spoken})
        assert after.spoken == before.spoken or not before.spoken


def test_the_deck_lock_is_taken_inside_a_transaction(app):
    load(deck_file('["recognize"]', ("hao", "好", "hǎo")))
    deck_id = db.session.scalar(select(Deck.id))
    with transaction():
        lock_deck(deck_id)
        assert db.session.scalar(select(Deck.title).where(Deck.id == deck_id)) == "Kinds"
    assert db.session.get(Deck, deck_id).updated_at == T0  # the lock changes nothing
