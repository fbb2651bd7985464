"""The order new cards are introduced in (learnapp.decks.service NEW_DELAY): a new learner meets several
card kinds early, one entry of each deck in turn, and an entry's own cards never come back to back."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from itertools import pairwise

import pytest
from sqlalchemy import select

from learnapp.decks.card_states import NEW_DELAY, new_position
from learnapp.extensions import db
from learnapp.models import Card, CardState, Entry
from learnapp.srs import Rating
from learnapp.study import service
from learnapp.welcome.service import TOPICS, set_goals
from tests.factories import T0, make_deck, make_user


def new_order(user) -> list[tuple[int, str, int]]:
    """(entry id, kind, deck id) of the learner's new cards, in the order the queue introduces them."""
    return [
        (entry_id, kind, deck_id)
        for entry_id, kind, deck_id in db.session.execute(
            select(Card.entry_id, Card.kind, Card.deck_id)
            .join(CardState, CardState.card_id == Card.id)
            .where(CardState.user_id == user.id, CardState.state == "new", CardState.active)
            .order_by(CardState.new_position, CardState.card_id)
        )
    ]


@pytest.fixture
def five_topics(app, load_decks):
    load_decks()
    user = make_user(new_per_day=20)
    set_goals(user, list(TOPICS), "serious", T0)
    return user


def test_the_position_formula_matches_the_database(five_topics):
    rows = db.session.execute(
        select(CardState.new_position, Entry.position, Card.kind)
        .join(Card, Card.id == CardState.card_id)
        .join(Entry, Entry.id == Card.entry_id)
        .where(CardState.user_id == five_topics.id)
    ).all()
    assert rows and all(stored == new_position(position, kind) for stored, position, kind in rows)


def test_siblings_are_never_next_to_each_other_in_the_new_queue(five_topics):
    order = new_order(five_topics)
    assert len(order) > 500
    assert all(a[0] != b[0] for a, b in pairwise(order))


def test_the_first_30_new_cards_take_every_deck_in_turn_and_several_kinds(five_topics):
    first = new_order(five_topics)[:30]
    kinds = Counter(kind for _, kind, _ in first)
    assert {"recognize", "recall", "context"} <= set(kinds), kinds
    assert len({deck for _, _, deck in first[:5]}) == 5  # one entry of each of the five decks first


def test_a_new_learner_meets_three_kinds_in_their_first_30_new_cards(five_topics):
    """Studied day by day through the real service (sibling burying included), answering Good."""
    met: list[tuple[int, str]] = []
    now = T0
    for _day in range(4):
        view = service.today(five_topics, now, enable_fuzz=False)
        while view.card is not None and len(met) < 60:
            if view.card_state == "new":
                met.append((view.entry.id, view.card.kind))
            view = service.answer(
                five_topics, view.card.id, Rating.GOOD, view.version, now, enable_fuzz=False
            )
            now += timedelta(seconds=20)
            view = service.today(five_topics, now, enable_fuzz=False)
        now += timedelta(days=1)
    assert len(met) >= 30
    kinds = {kind for _, kind in met[:30]}
    assert len(kinds) >= 3, kinds
    assert all(a[0] != b[0] for a, b in pairwise(met))  # siblings never back to back


def test_every_kind_has_its_own_delay():
    assert len(set(NEW_DELAY.values())) == len(NEW_DELAY)  # two kinds of one entry never share a round


def test_one_deck_alone_keeps_its_order(app):
    make_deck(entries=5, kinds='["recognize", "recall"]')
    user = make_user()
    from learnapp.decks.service import enroll

    enroll(user, "test-deck", T0)
    keys = [
        (key, kind)
        for key, kind in db.session.execute(
            select(Entry.key, Card.kind)
            .join(Card, Card.entry_id == Entry.id)
            .join(CardState, CardState.card_id == Card.id)
            .where(CardState.user_id == user.id)
            .order_by(CardState.new_position, CardState.card_id)
        )
    ]
    assert keys == [
        ("e1", "recognize"),
        ("e2", "recognize"),
        ("e3", "recognize"),
        ("e1", "recall"),
        ("e4", "recognize"),
        ("e2", "recall"),
        ("e5", "recognize"),
        ("e3", "recall"),
        ("e4", "recall"),
        ("e5", "recall"),
    ]
