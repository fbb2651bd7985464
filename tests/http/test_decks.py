"""The deck catalogue and deck pages, enroll and leave."""

from sqlalchemy import select

from learnapp.extensions import db
from learnapp.models import Enrollment


def test_catalogue_lists_the_shipped_decks(client, load_decks):
    load_decks()
    html = client.get("/decks").get_data(as_text=True)
    assert "RedNote starter" in html
    assert "Mandarin first words" in html
    assert "Sign up to study" in html


def test_deck_page_lists_entries_with_pinyin(client, load_decks):
    load_decks()
    html = client.get("/decks/mandarin-first-words").get_data(as_text=True)
    assert "谢谢" in html
    assert "xiè xie" in html


def test_unknown_deck_is_a_real_404_page(client):
    response = client.get("/decks/nope")
    assert response.status_code == 404
    assert "There is no deck at this address." in response.get_data(as_text=True)


def test_enroll_and_leave(client, auth, load_decks):
    load_decks()
    auth.signup()
    token = auth.token("/decks")
    assert (
        client.post("/decks/rednote-starter/enroll", data={"csrf_token": token}).headers["Location"]
        == "/decks/rednote-starter"
    )
    assert db.session.scalar(select(Enrollment.active)) is True
    assert "Leave deck" in client.get("/decks/rednote-starter").get_data(as_text=True)
    client.post("/decks/rednote-starter/leave", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.scalar(select(Enrollment.active)) is False


def test_enroll_needs_login(client, load_decks):
    load_decks()
    response = client.post("/decks/rednote-starter/enroll")
    assert response.status_code in (302, 303, 400)
    assert db.session.scalar(select(Enrollment)) is None
