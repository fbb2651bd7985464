"""The dated / vulgar / sensitive labels: shown on the wiki entry page and on the back of a study card (with
and without htmx), each with its explanation in the page for screen readers and the hover/focus tip; never
on the front of a card, and not on entries without a label tag."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from learnapp.content.deckfile import parse_deck_text
from learnapp.content.labels import LABELS
from learnapp.decks.loader import load_deck, load_directory
from learnapp.extensions import db
from tests.factories import T0

DECKS = Path(__file__).resolve().parents[2] / "decks"
HTMX = {"HX-Request": "true"}
LABEL = re.compile(
    r'<li class="entry-label label-(\w+)" tabindex="0"><span class="label-name">(\w+)</span>'
    r'<span class="label-tip"><span class="visually-hidden">: </span>([^<]+)</span></li>'
)


def labels(html: str) -> list[tuple[str, str]]:
    """(tag, explanation) of each label shown, in page order."""
    found = []
    for css, name, explanation in LABEL.findall(html):
        assert css == name
        found.append((name, explanation.replace("&#39;", "'")))
    return found


@pytest.fixture
def curated(app):
    names = ["rednote-starter.toml", "internet-slang.toml", "migration-2025.toml"]
    report = load_directory(DECKS, datetime(2026, 1, 1, tzinfo=UTC), [DECKS / name for name in names])
    assert not report.failed


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/wiki/internet-slang/niubi", ["vulgar"]),
        ("/wiki/rednote-starter/jimei", ["dated"]),
        ("/wiki/internet-slang/awsl", ["dated"]),
        ("/wiki/migration-2025/fanqiang", ["sensitive"]),
        ("/wiki/internet-slang/yyds", []),
    ],
)
def test_the_wiki_entry_page_shows_each_label_with_its_explanation(client, curated, path, expected):
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert labels(html) == [(tag, LABELS[tag]) for tag in expected]
    assert ('aria-label="Before you use it"' in html) == bool(expected)


ONE_CARD = """
[deck]
slug = "label-test"
title = "Label test"
category = "slang"
card_kinds = ["recognize"]

[[entries]]
id = "jimei"
headword = "集美"
pinyin = "jí měi"
meaning = "sis, girls (dated, often mocking)"
tags = ["address", "dated"]
"""


def study_the_only_card(client, auth, tags: str) -> str:
    """Sign up, enroll in a one-card deck whose entry has `tags`, and return the card's id."""
    load_deck(parse_deck_text(ONE_CARD.replace('["address", "dated"]', tags), "label-test.toml"), T0)
    db.session.commit()
    auth.signup()
    response = client.post("/decks/label-test/enroll", data={"csrf_token": auth.token("/decks")})
    assert response.status_code == 303
    card = re.search(r'data-card-id="(\d+)"', client.get("/study").get_data(as_text=True))
    return card.group(1)


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_the_back_of_a_card_shows_the_label_and_the_front_does_not(app, client, auth, headers):
    card = study_the_only_card(client, auth, '["address", "dated"]')
    front = client.get("/study", headers=headers).get_data(as_text=True)
    back = client.get(f"/study?card={card}&side=back", headers=headers).get_data(as_text=True)

    # The front comes with its answer, hidden until the learner shows it: the label is only in that part.
    shown, hidden_answer = front.split('<div class="card-answer" id="card-answer" hidden>', 1)
    assert 'data-side="front"' in shown and "集美" in shown and labels(shown) == []
    assert labels(hidden_answer) == [("dated", LABELS["dated"])]
    assert 'data-side="back"' in back
    assert labels(back) == [("dated", LABELS["dated"])]
    assert ("<html" in back) == (headers == {})


def test_a_card_without_a_label_tag_shows_none(app, client, auth):
    card = study_the_only_card(client, auth, '["address"]')
    back = client.get(f"/study?card={card}&side=back").get_data(as_text=True)
    assert 'data-side="back"' in back and "sis, girls" in back
    assert labels(back) == []
