"""A teacher's form sent twice at once (a double click, a flaky connection resending): two real requests in
two threads, each with its own app context and database session, released together. On SQLite and, with
TEST_DATABASE_URL, on PostgreSQL. Adding an entry twice makes one entry and answers the second with the
duplicate beside the headword; confirming an import twice imports once and answers the second with a page
that says the import is done and leads to the deck. Neither is ever a 500."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from learnapp.decks.service import enroll
from learnapp.extensions import db
from learnapp.models import Card, CardState, DeckImport, Entry
from learnapp.teach import editor
from learnapp.teach.editor import DeckFields, EntryFields
from tests.concurrency import at_once
from tests.factories import T0
from tests.http.test_teach_support import client_for, make_account, token


@pytest.fixture
def teacher(app):
    return make_account("olive", "teacher")


@pytest.fixture
def deck(teacher):
    deck = editor.create_deck(teacher, DeckFields(title="Words", visibility="public"), T0)
    editor.add_entry(teacher, deck.slug, EntryFields(headword="你好", meaning="hello"), T0)
    return deck


def live_headwords(deck) -> list[str]:
    return list(
        db.session.scalars(
            select(Entry.headword).where(Entry.deck_id == deck.id, ~Entry.retired).order_by(Entry.position)
        )
    )


def test_adding_the_same_entry_twice_at_once_adds_it_once(app, teacher, deck):
    learner = make_account("lily")
    enroll(learner, deck.slug, T0)
    clients = [client_for(app, teacher) for _ in range(2)]
    forms = [
        {"new-headword": "谢谢", "new-meaning": "thanks", "new-tags": "polite", "csrf_token": token(client)}
        for client in clients
    ]
    url = f"/teach/decks/{deck.slug}/entries"

    first, second = at_once(
        app,
        *(lambda c=client, f=form: c.post(url, data=f) for client, form in zip(clients, forms, strict=True)),
    )

    statuses = sorted([first.status_code, second.status_code])
    assert statuses == [303, 422]
    refused = first if first.status_code == 422 else second
    html = refused.get_data(as_text=True)
    assert 'id="new-headword-error"' in html and "This deck already has 谢谢" in html
    assert live_headwords(deck) == ["你好", "谢谢"]
    thanks = db.session.scalar(select(Entry.id).where(Entry.headword == "谢谢"))
    assert db.session.scalar(select(func.count()).select_from(Card).where(Card.entry_id == thanks)) == 2
    assert db.session.scalar(select(func.count()).where(CardState.user_id == learner.id)) == 4


def test_confirming_an_import_twice_at_once_imports_it_once(app, teacher, deck):
    clients = [client_for(app, teacher) for _ in range(2)]
    upload = clients[0].post(
        f"/teach/decks/{deck.slug}/import",
        data={
            "file": (io.BytesIO("headword,meaning\n谢谢,thanks\n再见,bye\n你好,hi\n".encode()), "words.csv"),
            "csrf_token": token(clients[0]),
        },
        content_type="multipart/form-data",
    )
    preview_url = upload.headers["Location"]
    tokens = [token(client) for client in clients]

    first, second = at_once(
        app,
        *(
            lambda c=client, t=csrf: c.post(preview_url, data={"csrf_token": t})
            for client, csrf in zip(clients, tokens, strict=True)
        ),
    )

    assert sorted([first.status_code, second.status_code]) == [303, 404]
    done = first if first.status_code == 303 else second
    gone = second if done is first else first
    assert done.headers["Location"] == f"/teach/decks/{deck.slug}"
    html = gone.get_data(as_text=True)
    assert "This import is no longer waiting" in html and "already imported" in html
    assert f'href="/teach/decks/{deck.slug}"' in html
    assert live_headwords(deck) == ["你好", "谢谢", "再见"]
    assert db.session.scalar(select(Entry.meaning).where(Entry.headword == "你好")) == "hi"
    assert db.session.scalar(select(func.count()).select_from(Card).where(Card.deck_id == deck.id)) == 6
    assert db.session.scalar(select(func.count()).select_from(DeckImport)) == 0


def test_a_confirm_sent_again_later_says_the_import_is_done(app, teacher, deck):
    client = client_for(app, teacher)
    upload = client.post(
        f"/teach/decks/{deck.slug}/import",
        data={
            "file": (io.BytesIO("headword,meaning\n谢谢,thanks\n".encode()), "words.csv"),
            "csrf_token": token(client),
        },
        content_type="multipart/form-data",
    )
    preview_url = upload.headers["Location"]
    assert client.post(preview_url, data={"csrf_token": token(client)}).status_code == 303
    for headers in ({}, {"HX-Request": "true"}):
        again = client.post(preview_url, data={"csrf_token": token(client)}, headers=headers)
        html = again.get_data(as_text=True)
        assert again.status_code == 404
        assert "This import is no longer waiting" in html and f'href="/teach/decks/{deck.slug}"' in html
        assert ("<html" in html) == (not headers)
    assert live_headwords(deck) == ["你好", "谢谢"]
