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


def path_status(html, slug):
    import re

    match = re.search(rf'data-path-deck="{slug}" data-status="(\w+)"', html)
    return match.group(1) if match else None


def test_the_path_unlocks_a_deck_when_80_percent_of_its_prerequisite_is_seen(client, auth, load_decks):
    from sqlalchemy import update

    from learnapp.models import CardState, Deck

    load_decks()
    auth.signup()
    client.post("/decks/rednote-starter/enroll", data={"csrf_token": auth.token("/decks")})
    html = client.get("/decks").get_data(as_text=True)
    assert path_status(html, "rednote-starter") == "studying"
    assert path_status(html, "rednote-platform") == "locked"
    assert "unlocks when you've seen 80% of" in html and "RedNote starter (now 0%)" in html
    assert path_status(html, "mandarin-first-words") == "next"  # no prerequisites

    starter = db.session.scalar(select(Deck.id).where(Deck.slug == "rednote-starter"))
    card_ids = db.session.scalars(
        select(CardState.card_id).where(CardState.deck_id == starter).order_by(CardState.card_id)
    ).all()
    seen = card_ids[: int(len(card_ids) * 0.8) - 1]  # just under 80%
    db.session.execute(update(CardState).where(CardState.card_id.in_(seen)).values(state="review"))
    db.session.commit()
    assert path_status(client.get("/decks").get_data(as_text=True), "rednote-platform") == "locked"
    db.session.execute(
        update(CardState)
        .where(CardState.card_id.in_(card_ids[: -(-len(card_ids) * 4 // 5)]))
        .values(state="review")
    )
    db.session.commit()
    assert path_status(client.get("/decks").get_data(as_text=True), "rednote-platform") == "next"


def test_the_catalogue_filters_by_category_and_level(client, load_decks):
    load_decks()
    html = client.get("/decks?category=hsk").get_data(as_text=True)
    assert 'data-deck="hsk-1"' in html and 'data-deck="rednote-starter"' not in html
    html = client.get("/decks?level=1").get_data(as_text=True)
    assert 'data-deck="rednote-starter"' in html and 'data-deck="hsk-2"' not in html


def test_a_locked_deck_says_why_and_studying_it_asks_first(client, auth, load_decks):
    load_decks()
    auth.signup()
    token = auth.token("/decks")
    client.post("/decks/rednote-starter/enroll", data={"csrf_token": token})
    catalogue = client.get("/decks").get_data(as_text=True)
    tile = catalogue[catalogue.index('data-deck="rednote-platform"') :]
    tile = tile[: tile.index("</li>")]
    assert (
        "Locked." in tile
        and "It builds on" in tile
        and "RedNote starter</strong> (you've seen 0% of it)" in tile
    )
    assert "Study it anyway…" in tile
    page = client.get("/decks/rednote-platform").get_data(as_text=True)
    assert "Locked." in page and "It opens when you've seen 80% of that deck" in page
    # Without confirming: a question, nothing written.
    response = client.post("/decks/rednote-platform/enroll", data={"csrf_token": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "before it opens?" in html and 'name="confirm" value="yes"' in html
    platform = enrolled_ids(client)
    assert "rednote-platform" not in platform
    response = client.post("/decks/rednote-platform/enroll", data={"csrf_token": token, "confirm": "yes"})
    assert (response.status_code, response.headers["Location"]) == (303, "/decks/rednote-platform")
    assert "rednote-platform" in enrolled_ids(client)
    # An open deck needs no confirmation.
    response = client.post("/decks/mandarin-first-words/enroll", data={"csrf_token": token})
    assert response.status_code == 303


def enrolled_ids(client) -> set[str]:
    from learnapp.models import Deck

    db.session.expire_all()
    return set(
        db.session.scalars(
            select(Deck.slug).join(Enrollment, Enrollment.deck_id == Deck.id).where(Enrollment.active)
        )
    )


def test_decks_a_class_assigns_show_on_the_dashboard_and_the_deck_list(app, client, auth):
    from learnapp.classes import service as classes
    from learnapp.classes.service import ClassFields
    from learnapp.teach import editor
    from learnapp.teach.editor import DeckFields, EntryFields
    from tests.factories import T0
    from tests.http.test_teach_support import make_account

    teacher = make_account("olive", "teacher")
    unlisted = editor.create_deck(teacher, DeckFields(title="Our greetings", visibility="unlisted"), T0)
    editor.add_entry(teacher, unlisted.slug, EntryFields(headword="你好", meaning="hello"), T0)
    classroom = classes.create_class(teacher, ClassFields(name="Evening class"), T0)
    classes.assign_deck(teacher, classroom.id, unlisted.slug, T0)
    auth.signup()
    from learnapp.models import User

    learner = db.session.scalar(select(User).where(User.username == "mei"))
    classes.join(learner, classroom.join_code, T0)
    db.session.commit()
    for path in ("/", "/decks"):
        html = client.get(path).get_data(as_text=True)
        assert f'href="/decks/{unlisted.slug}"' in html, path
        assert "Evening class" in html, path
    assert client.get(f"/decks/{unlisted.slug}").status_code == 200
    # Someone else does not find it listed; its link opens it (unlisted: anyone with the link). A deck made
    # private later leaves its learners' pages: tests/http/test_private_decks.py.
    auth.logout()
    assert "Our greetings" not in client.get("/decks").get_data(as_text=True)
    assert client.get(f"/decks/{unlisted.slug}").status_code == 200
