"""Custom sessions, leeches and suspend / unsuspend / reset over HTTP, with and without htmx; database
rows checked after every change."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from learnapp.decks.service import enroll
from learnapp.extensions import db
from learnapp.models import CardState, Deck, ReviewLog, User, utcnow
from learnapp.srs import learner_day
from tests.conftest import csrf_from
from tests.factories import T0, make_deck, make_user

HTMX = {"HX-Request": "true"}
CARD_ACTIONS = ("suspend", "unsuspend", "reset")


def deck_id(slug):
    return db.session.scalar(select(Deck.id).where(Deck.slug == slug))


def user_id(name="mei"):
    return db.session.scalar(select(User.id).where(User.username == name))


def card_ids(slug, name="mei"):
    return list(
        db.session.scalars(
            select(CardState.card_id)
            .where(CardState.user_id == user_id(name), CardState.deck_id == deck_id(slug))
            .order_by(CardState.new_position, CardState.card_id)
        )
    )


def queue_order(name="mei"):
    """All the learner's cards in the order the whole queue introduces them (decks interleave)."""
    return list(
        db.session.scalars(
            select(CardState.card_id)
            .where(CardState.user_id == user_id(name))
            .order_by(CardState.new_position, CardState.card_id)
        )
    )


def state(card_id, name="mei"):
    return db.session.get(CardState, (user_id(name), card_id))


def log_count():
    return db.session.scalar(select(func.count()).select_from(ReviewLog))


def update_state(card_id, name="mei", **values):
    row = state(card_id, name)
    for key, value in values.items():
        setattr(row, key, value)
    db.session.commit()


def make_review(card_id, due, lapses=0, **values):
    """A card in review, last seen 10 days ago, due at `due` (relative to the real clock: views use it)."""
    now = utcnow()
    update_state(
        card_id,
        state="review",
        step=None,
        stability=8.0,
        difficulty=5.0,
        due=due,
        last_review=now - timedelta(days=10),
        reps=lapses + 3,
        lapses=lapses,
        **values,
    )


def shown_card(html):
    match = re.search(r'data-card-id="(\d+)"', html)
    return int(match.group(1)) if match else None


def back_of(client, card_id, session=""):
    url = f"/study?card={card_id}&side=back" + (f"&session={session}" if session else "")
    return client.get(url).get_data(as_text=True)


def post_answer(client, card_id, rating="3", session="", headers=None):
    """Show the back of `card_id` (in `session`) and press a grade, as the page's form does."""
    back = back_of(client, card_id, session)
    version = re.search(r'name="version" value="(\d+)"', back)
    data = {
        "csrf_token": csrf_from(back),
        "card_id": str(card_id),
        "rating": rating,
        "version": version.group(1) if version else "0",
        "shown_at": "0",
        "session": session,
    }
    return client.post("/study/answer", data=data, headers=headers or {})


@pytest.fixture
def learner(app, client, auth):
    """Mei studies deck-a and deck-b (three cards each); lin studies deck-c, which Mei does not."""
    for slug in ("deck-a", "deck-b", "deck-c"):
        make_deck(slug, entries=3)
    mei = make_user("mei", onboarding_step="done")
    enroll(mei, "deck-a", T0)
    enroll(mei, "deck-b", T0)
    lin = make_user("lin", onboarding_step="done")
    enroll(lin, "deck-c", T0)
    assert auth.login("mei").status_code == 303
    return client


def token(client, path="/study"):
    return csrf_from(client.get(path).get_data(as_text=True))


# -- custom sessions ------------------------------------------------------------------------------------


def test_custom_study_page_offers_the_learners_decks_failed_and_ahead(learner):
    response = learner.get("/study/custom")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<option value="deck:{deck_id("deck-a")}">Test deck deck-a</option>' in html
    assert f'<option value="deck:{deck_id("deck-b")}">Test deck deck-b</option>' in html
    assert "deck-c" not in html  # not one of Mei's decks
    assert 'href="/study?session=failed"' in html
    assert '<option value="ahead:1">1 day</option>' in html
    assert '<option value="ahead:30">30 days</option>' in html


def test_one_deck_session_shows_and_counts_only_that_deck(learner):
    whole = learner.get("/study").get_data(as_text=True)
    assert '<b data-count="new">6</b>' in whole
    b = deck_id("deck-b")
    response = learner.get(f"/study?session=deck:{b}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "One deck only" in html
    assert '<b data-count="new">3</b>' in html
    assert shown_card(html) == card_ids("deck-b")[0]
    assert f"session=deck:{b}" in html.replace("%3A", ":")  # the show-answer link stays in the session
    back = back_of(learner, card_ids("deck-b")[0], f"deck:{b}")
    assert f'name="session" value="deck:{b}"' in back


def test_answering_in_a_deck_session_stays_in_it(learner):
    b = deck_id("deck-b")
    first = card_ids("deck-b")[0]
    response = post_answer(learner, first, session=f"deck:{b}")
    assert response.status_code == 303
    location = urlsplit(response.headers["Location"])
    assert (location.path, parse_qs(location.query)) == ("/study", {"session": [f"deck:{b}"]})
    assert state(first).state == "learning"
    html = learner.get(response.headers["Location"]).get_data(as_text=True)
    assert shown_card(html) == card_ids("deck-b")[1]

    fragment = post_answer(learner, card_ids("deck-b")[1], session=f"deck:{b}", headers=HTMX)
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200
    assert "<html" not in html
    assert shown_card(html) == card_ids("deck-b")[2]
    assert '<b data-count="new">1</b>' in html
    assert log_count() == 2


def test_a_card_of_another_deck_is_refused_in_a_deck_session(learner):
    a_card = card_ids("deck-a")[0]
    version = state(a_card).version
    response = learner.post(
        "/study/answer",
        data={
            "csrf_token": token(learner),
            "card_id": str(a_card),
            "rating": "3",
            "version": str(version),
            "session": f"deck:{deck_id('deck-b')}",
        },
        headers=HTMX,
    )
    assert response.status_code == 409
    assert log_count() == 0
    assert state(a_card).state == "new"


@pytest.mark.parametrize("session", ["ahead:0", "ahead:31", "deck:x", "bogus"])
def test_an_unknown_session_is_a_400_with_a_message(learner, session):
    response = learner.get(f"/study?session={session}")
    assert response.status_code == 400
    assert "That study session isn&#39;t one we know" in response.get_data(as_text=True)
    answer = learner.post(
        "/study/answer",
        data={
            "csrf_token": token(learner),
            "card_id": str(card_ids("deck-a")[0]),
            "rating": "3",
            "version": "0",
            "session": session,
        },
    )
    assert answer.status_code == 400
    assert log_count() == 0


def test_failed_session_shows_todays_again_cards(learner):
    empty = learner.get("/study?session=failed").get_data(as_text=True)
    assert "No failed cards left" in empty
    assert shown_card(empty) is None

    first = card_ids("deck-a")[0]
    assert post_answer(learner, first, rating="1").status_code == 303
    second = learner.get("/study").get_data(as_text=True)
    assert post_answer(learner, shown_card(second), rating="3").status_code == 303

    html = learner.get("/study?session=failed").get_data(as_text=True)
    assert "Today&#39;s failed cards" in html
    assert shown_card(html) == first
    assert '<b data-count="review">1</b>' in html
    # Answered right in the session, it leaves it (though its learning step is not due yet).
    response = post_answer(learner, first, rating="3", session="failed", headers=HTMX)
    assert response.status_code == 200
    assert "No failed cards left" in response.get_data(as_text=True)
    assert log_count() == 3


def test_study_ahead_shows_tomorrows_review_and_takes_an_early_answer(learner):
    card = card_ids("deck-a")[0]
    day = learner_day(utcnow(), "Asia/Shanghai", 4)
    make_review(card, due=day.end + timedelta(days=1, hours=1))  # the day after tomorrow
    queue = learner.get("/study").get_data(as_text=True)
    assert '<b data-count="review">0</b>' in queue
    one_day = learner.get("/study?session=ahead:1").get_data(as_text=True)
    assert "Nothing more in this session" in one_day
    assert shown_card(one_day) is None
    html = learner.get("/study?session=ahead:3").get_data(as_text=True)
    assert "Studying ahead" in html
    assert shown_card(html) == card
    due_before = state(card).due
    response = post_answer(learner, card, rating="3", session="ahead:3")
    assert response.status_code == 303
    assert parse_qs(urlsplit(response.headers["Location"]).query) == {"session": ["ahead:3"]}
    row = state(card)
    assert row.reps == 4
    assert row.due > due_before
    assert log_count() == 1


def test_study_ahead_is_refused_in_the_normal_queue(learner):
    card = card_ids("deck-a")[0]
    make_review(card, due=utcnow() + timedelta(days=2))
    response = learner.post(
        "/study/answer",
        data={
            "csrf_token": token(learner),
            "card_id": str(card),
            "rating": "3",
            "version": str(state(card).version),
        },
    )
    assert response.status_code == 409
    assert log_count() == 0


# -- leeches --------------------------------------------------------------------------------------------


def test_the_eighth_lapse_over_http_suspends_the_card_and_says_so(learner):
    card = card_ids("deck-a")[0]
    make_review(card, due=utcnow() - timedelta(hours=1), lapses=7)
    assert shown_card(learner.get("/study").get_data(as_text=True)) == card
    response = post_answer(learner, card, rating="1")
    assert response.status_code == 303
    row = state(card)
    assert (row.lapses, row.leech, row.suspended) == (8, True, True)
    page = learner.get("/study").get_data(as_text=True)
    assert "That card has lapsed 8 times, so it is now a leech and suspended." in page
    assert shown_card(page) != card


def test_the_eighth_lapse_with_htmx_shows_the_notice_in_the_fragment(learner):
    card = card_ids("deck-a")[0]
    make_review(card, due=utcnow() - timedelta(hours=1), lapses=7)
    response = post_answer(learner, card, rating="1", headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<p class="flash flash-warning" role="status">That card has lapsed 8 times' in html
    assert shown_card(html) != card
    assert state(card).suspended is True


def test_leeches_page_lists_leeches_and_suspended_tab_lists_all_suspended(learner):
    leech, plain = card_ids("deck-a")[:2]
    make_review(leech, due=utcnow() + timedelta(days=3), lapses=8, leech=True, suspended=True)
    update_state(plain, suspended=True)

    response = learner.get("/study/leeches")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Leeches</h1>" in html
    assert html.count('class="managed-card"') == 1
    assert "8 lapses" in html
    assert '<span class="badge badge-leech">leech</span>' in html
    assert f'action="/study/cards/{leech}/unsuspend"' in html
    assert f'action="/study/cards/{leech}/reset"' in html

    suspended = learner.get("/study/leeches?show=suspended").get_data(as_text=True)
    assert "<h1>Suspended cards</h1>" in suspended
    assert suspended.count('class="managed-card"') == 2
    assert f'action="/study/cards/{plain}/unsuspend"' in suspended


def test_a_leech_of_a_deck_the_learner_wrote_can_be_edited_from_the_list(learner):
    leech = card_ids("deck-a")[0]
    make_review(leech, due=utcnow() + timedelta(days=3), lapses=8, leech=True, suspended=True)
    edit_link = 'href="/teach/decks/deck-a/entries/e1/edit"'
    # A shipped deck (no author) is edited through its file: no edit link, only the wiki page.
    html = learner.get("/study/leeches").get_data(as_text=True)
    assert edit_link not in html
    assert 'href="/wiki/deck-a/e1"' in html
    # Mei, a teacher, wrote deck-a: she can edit the entry right from the leech list.
    mei = db.session.get(User, user_id())
    mei.role = "teacher"
    db.session.get(Deck, deck_id("deck-a")).author_id = mei.id
    db.session.commit()
    html = learner.get("/study/leeches").get_data(as_text=True)
    assert edit_link in html
    assert learner.get("/teach/decks/deck-a/entries/e1/edit").status_code == 200


def test_leeches_page_when_there_are_none(learner):
    assert "No leeches. Every card is sticking." in learner.get("/study/leeches").get_data(as_text=True)
    assert "No suspended cards." in learner.get("/study/leeches?show=suspended").get_data(as_text=True)


# -- suspend, unsuspend, reset ---------------------------------------------------------------------------


def test_suspend_from_the_card_with_a_plain_form(learner):
    card = card_ids("deck-a")[0]
    back = back_of(learner, card)
    assert f'action="/study/cards/{card}/suspend"' in back
    response = learner.post(
        f"/study/cards/{card}/suspend", data={"csrf_token": csrf_from(back), "session": ""}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/study"
    assert state(card).suspended is True
    page = learner.get("/study").get_data(as_text=True)
    assert "Card suspended." in page
    assert shown_card(page) != card
    assert '<b data-count="new">5</b>' in page


def test_suspend_in_a_session_goes_back_to_the_session(learner):
    b = deck_id("deck-b")
    card = card_ids("deck-b")[0]
    response = learner.post(
        f"/study/cards/{card}/suspend", data={"csrf_token": token(learner), "session": f"deck:{b}"}
    )
    assert response.status_code == 303
    assert parse_qs(urlsplit(response.headers["Location"]).query) == {"session": [f"deck:{b}"]}
    assert state(card).suspended is True


def test_suspend_with_htmx_swaps_in_the_next_card(learner):
    card = queue_order()[0]
    response = learner.post(f"/study/cards/{card}/suspend", data={"csrf_token": token(learner)}, headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert "Card suspended." in html
    assert shown_card(html) == queue_order()[1]
    assert '<b data-count="new">5</b>' in html
    assert state(card).suspended is True


def test_suspend_from_the_list_goes_back_to_the_list(learner):
    card = card_ids("deck-a")[0]
    response = learner.post(
        f"/study/cards/{card}/suspend",
        data={"csrf_token": token(learner), "from": "list", "show": "suspended"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/study/leeches?show=suspended"
    assert state(card).suspended is True


def test_unsuspend_brings_the_card_back(learner):
    leech = card_ids("deck-a")[0]
    make_review(leech, due=utcnow() - timedelta(hours=2), lapses=8, leech=True, suspended=True)
    page = learner.get("/study/leeches").get_data(as_text=True)
    response = learner.post(
        f"/study/cards/{leech}/unsuspend", data={"csrf_token": csrf_from(page), "show": "leeches"}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/study/leeches?show=leeches"
    row = state(leech)
    assert (row.suspended, row.leech, row.lapses) == (False, True, 8)
    listed = learner.get("/study/leeches?show=leeches").get_data(as_text=True)
    assert "Card back in your queue (still tagged leech)." in listed
    assert f'action="/study/cards/{leech}/unsuspend"' not in listed  # no longer suspended
    assert shown_card(learner.get("/study").get_data(as_text=True)) == leech  # an overdue review again


def test_unsuspend_with_htmx_gets_hx_redirect(learner):
    card = card_ids("deck-a")[0]
    update_state(card, suspended=True)
    response = learner.post(
        f"/study/cards/{card}/unsuspend",
        data={"csrf_token": token(learner), "show": "suspended"},
        headers=HTMX,
    )
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/study/leeches?show=suspended"
    assert state(card).suspended is False


def test_reset_starts_the_card_over_and_keeps_its_log(learner):
    card = card_ids("deck-a")[0]
    make_review(card, due=utcnow() - timedelta(hours=1), lapses=7)
    post_answer(learner, card, rating="1")
    assert state(card).leech is True
    page = learner.get("/study/leeches").get_data(as_text=True)
    response = learner.post(
        f"/study/cards/{card}/reset", data={"csrf_token": csrf_from(page), "show": "leeches"}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/study/leeches?show=leeches"
    row = state(card)
    assert (row.state, row.lapses, row.reps, row.leech, row.suspended) == ("new", 0, 0, False, False)
    assert log_count() == 1
    listed = learner.get(response.headers["Location"]).get_data(as_text=True)
    assert "Card reset: it starts again as a new card." in listed
    assert "No leeches." in listed
    study = learner.get("/study").get_data(as_text=True)
    assert shown_card(study) == card
    assert '<span class="badge badge-new">new</span>' in study


def test_reset_with_htmx_gets_hx_redirect(learner):
    card = card_ids("deck-a")[0]
    make_review(card, due=utcnow() + timedelta(days=3), lapses=8, leech=True, suspended=True)
    response = learner.post(f"/study/cards/{card}/reset", data={"csrf_token": token(learner)}, headers=HTMX)
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/study/leeches?show=leeches"
    assert state(card).state == "new"


@pytest.mark.parametrize("action", CARD_ACTIONS)
def test_card_actions_need_the_csrf_token(learner, action):
    card = card_ids("deck-a")[0]
    make_review(card, due=utcnow() + timedelta(days=3), lapses=8, leech=True, suspended=action == "unsuspend")
    before = state(card)
    snapshot = (before.state, before.suspended, before.leech, before.lapses, before.version)
    response = learner.post(f"/study/cards/{card}/{action}", data={"show": "leeches"})
    assert response.status_code == 400
    after = state(card)
    assert (after.state, after.suspended, after.leech, after.lapses, after.version) == snapshot


@pytest.mark.parametrize("action", CARD_ACTIONS)
def test_card_actions_on_another_learners_card_are_404(learner, action):
    lins_card = card_ids("deck-c", "lin")[0]
    update_state(lins_card, "lin", suspended=action == "unsuspend")
    before = state(lins_card, "lin")
    snapshot = (before.state, before.suspended, before.version)
    response = learner.post(f"/study/cards/{lins_card}/{action}", data={"csrf_token": token(learner)})
    assert response.status_code == 404
    after = state(lins_card, "lin")
    assert (after.state, after.suspended, after.version) == snapshot
    assert state(lins_card) is None  # and Mei got no state for it


@pytest.mark.parametrize("action", CARD_ACTIONS)
def test_card_actions_need_a_login(app, client, auth, action):
    make_deck("deck-a", entries=3)
    mei = make_user("mei", onboarding_step="done")
    enroll(mei, "deck-a", T0)
    card = card_ids("deck-a")[0]
    response = client.post(f"/study/cards/{card}/{action}", data={"csrf_token": auth.token("/login")})
    assert response.status_code == 303  # after a POST, to the login page alone
    assert response.headers["Location"] == "/login"
    assert state(card).version == 0
    htmx = client.post(
        f"/study/cards/{card}/{action}", data={"csrf_token": auth.token("/login")}, headers=HTMX
    )
    assert htmx.status_code == 401
    assert htmx.headers["HX-Redirect"].startswith("/login")


@pytest.mark.parametrize("path", ["/study/custom", "/study/leeches", "/study/leeches?show=suspended"])
def test_custom_and_leech_pages_need_a_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
