"""Studying offline over HTTP: the service worker, the pack, the offline study page and the sync, each with
and without the htmx header; a logged-out device, a stale token, another account and bad bodies."""

import json
import re
import time

import pytest
from sqlalchemy import func, select

from learnapp.extensions import db
from learnapp.models import CardState, ReviewLog, User
from tests.conftest import csrf_from

HTMX = {"HX-Request": "true"}


@pytest.fixture
def learner(client, auth, load_decks):
    load_decks()
    auth.signup()
    token = auth.token("/decks")
    assert client.post("/decks/mandarin-first-words/enroll", data={"csrf_token": token}).status_code == 303
    return client


def log_count():
    return db.session.scalar(select(func.count()).select_from(ReviewLog))


def sync(client, answers, token, headers=None, user_id=None):
    body = {"answers": answers}
    if user_id is not None:
        body["user_id"] = user_id
    return client.post(
        "/study/sync",
        data=json.dumps(body),
        content_type="application/json",
        headers={"X-CSRFToken": token, **(headers or {})},
    )


def now_ms():
    return int(time.time() * 1000)


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_the_pack_holds_the_next_cards_as_the_study_page_shows_them(learner, headers):
    response = learner.get("/study/pack.json", headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    pack = response.get_json()
    user = db.session.scalar(select(User))
    assert pack["user_id"] == user.id
    assert pack["limits"]["new_left"] == 20
    # Today's new cards, the daily limit of 20 entries; an entry's other cards come along for after a
    # rollover (answering one buries its siblings for the day), without counting against the limit.
    entries = {card["entry_id"] for card in pack["cards"]}
    assert len(entries) == 20 and pack["full"] is False  # the whole day's new cards
    first = pack["cards"][0]
    assert first["headword"] == "你好" and first["bucket"] == "new" and first["version"] == 0
    assert [b["interval"] for b in first["buttons"]][2] == "10m"
    html = first["html"]
    # The study page's own card fragment: the answer hidden in it, the grade form, no suspend form.
    page = learner.get("/study").get_data(as_text=True)
    card_id = re.search(r'data-card-id="(\d+)"', page).group(1)
    assert f'data-card-id="{card_id}"' in html and str(first["card_id"]) == card_id
    assert 'id="card-answer" hidden' in html
    assert re.search(r'<span class="interval">10m</span>\s*<span class="grade-label">Good</span>', html)
    assert 'class="grades"' in html and "card-tools" not in html and "<html" not in html
    assert pack["csrf_token"]


def test_typed_and_tone_cards_in_the_pack_are_self_graded_without_giving_the_answer_away(learner):
    # Reach the typed-pinyin cards: a bigger daily limit brings them into the pack.
    user = db.session.scalar(select(User))
    user.new_per_day = 80
    db.session.commit()
    cards = learner.get("/study/pack.json").get_json()["cards"]
    typed = next(card for card in cards if "Type the pinyin" in card["html"])
    front = typed["html"].split('id="card-answer"')[0]
    assert "answer-form" not in typed["html"]
    assert "say the pinyin to yourself" in front
    assert 'class="pinyin' not in front  # the reading is on the back only
    assert 'class="button primary wide show-answer"' in typed["html"]


def test_a_logged_out_device_gets_401_for_the_pack_and_the_sync_and_nothing_changes(learner, auth):
    token = csrf_from(learner.get("/study").get_data(as_text=True))
    card = learner.get("/study/pack.json").get_json()["cards"][0]
    auth.logout()
    for headers in ({}, HTMX):
        response = learner.get("/study/pack.json", headers=headers)
        assert response.status_code == 401
        assert response.get_json()["error"] == "logged_out"
        answer = {"id": "a1", "card_id": card["card_id"], "version": 0, "rating": 3, "answered_at": now_ms()}
        response = sync(learner, [answer], token, headers)
        assert response.status_code == 401
        assert "logged out" in response.get_json()["message"]
    assert log_count() == 0
    assert learner.get("/study/offline").status_code == 302  # the offline page is a learner's


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_sync_applies_the_answers_with_their_times_and_reports_each(learner, headers):
    page = learner.get("/study").get_data(as_text=True)
    token = csrf_from(page)
    pack = learner.get("/study/pack.json").get_json()
    first, second = pack["cards"][:2]
    at = now_ms() - 60_000
    answers = [
        {"id": "b", "card_id": second["card_id"], "version": 0, "rating": 4, "answered_at": at + 9000},
        {
            "id": "a",
            "card_id": first["card_id"],
            "version": 0,
            "rating": 3,
            "answered_at": at,
            "shown_at": at - 5000,
        },
        {"id": "x", "card_id": 10**8, "version": 0, "rating": 3, "answered_at": at + 10_000},
        {"id": "bad", "card_id": first["card_id"], "rating": 3},
    ]

    response = sync(learner, answers, token, headers, user_id=pack["user_id"])

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    results = {item["id"]: item["result"] for item in body["results"]}
    assert results == {"a": "applied", "b": "applied", "x": "not_yours", "bad": "invalid"}
    assert body["summary"] == "2 answers sent. 2 answers could not be used."
    rows = db.session.scalars(select(ReviewLog).order_by(ReviewLog.id)).all()
    assert [(r.card_id, r.rating, int(r.reviewed_at.timestamp() * 1000), r.duration_ms) for r in rows] == [
        (first["card_id"], 3, at, 5000),
        (second["card_id"], 4, at + 9000, None),
    ]
    # A fresh pack comes with the reply: the first card back in learning (Good: 10 minutes), the second
    # one out (Easy: days), then the new cards after them.
    fresh = [(c["card_id"], c["bucket"]) for c in body["pack"]["cards"]][:2]
    assert fresh == [(first["card_id"], "learning"), (pack["cards"][2]["card_id"], "new")]

    again = sync(learner, answers[:2], token, headers).get_json()
    assert [item["result"] for item in again["results"]] == ["already_sent", "already_sent"]
    assert log_count() == 2


def test_a_card_changed_elsewhere_is_reported_and_its_answer_kept(learner):
    token = csrf_from(learner.get("/study").get_data(as_text=True))
    card = learner.get("/study/pack.json").get_json()["cards"][0]
    at = now_ms() - 30_000
    # Another tab answers the card online first.
    data = {"csrf_token": token, "card_id": card["card_id"], "version": 0, "rating": "1", "shown_at": "0"}
    assert learner.post("/study/answer", data=data).status_code == 303
    answer = {"id": "late", "card_id": card["card_id"], "version": 0, "rating": 4, "answered_at": at}

    body = sync(learner, [answer], token).get_json()

    assert body["results"][0]["result"] == "changed_elsewhere"
    assert body["summary"] == "0 answers sent. 1 card had changed on another device."
    state = db.session.get(CardState, (body["pack"]["user_id"], card["card_id"]))
    assert (state.state, state.reps) == ("learning", 1)
    kept = db.session.scalars(select(ReviewLog).where(ReviewLog.not_applied.is_not(None))).all()
    assert [(r.rating, r.undone, r.not_applied) for r in kept] == [(4, True, "changed_elsewhere")]


def test_sync_refuses_a_missing_token_another_account_and_bodies_it_cannot_read(learner):
    token = csrf_from(learner.get("/study").get_data(as_text=True))
    card = learner.get("/study/pack.json").get_json()["cards"][0]
    answer = {"id": "a", "card_id": card["card_id"], "version": 0, "rating": 3, "answered_at": now_ms()}

    stale = sync(learner, [answer], "not-a-token")
    assert stale.status_code == 400 and stale.get_json()["error"] == "csrf"
    other = sync(learner, [answer], token, user_id=999)
    assert other.status_code == 409 and "another account" in other.get_json()["message"]
    unreadable = learner.post(
        "/study/sync", data="not json", content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert unreadable.status_code == 400 and unreadable.get_json()["error"] == "invalid"
    too_many = sync(learner, [answer] * 201, token)
    assert too_many.status_code == 413
    assert log_count() == 0


def test_the_service_worker_is_served_from_the_root_revalidated_with_this_deployments_files(learner, app):
    response = learner.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    script = response.get_data(as_text=True)
    precache = json.loads(re.search(r"var PRECACHE = (\[.*?\]);", script).group(1))
    page = learner.get("/study").get_data(as_text=True)
    for url in re.findall(r'(?:src|href)="(/static/[^"]+\.(?:css|js))"', page):
        assert url in precache  # every script and stylesheet of the study page, by its hashed address
    assert any(re.search(r"/static/offline\.[0-9a-f]{10}\.js$", url) for url in precache)
    assert not [url for url in precache if url.endswith((".map", ".txt")) or "LICENSE" in url]
    assert not [url for url in precache if "axe-core" in url]  # the browser tests' checker, no learner's
    # Nor the home-screen icons and manifest: no page shows them, and installing needs the network anyway.
    assert not [url for url in precache if url.endswith((".png", ".webmanifest"))]
    version = re.search(r'var VERSION = "([0-9a-f]{12})";', script).group(1)
    assert '"huanying-shell-" + VERSION' in script and version
    assert learner.get("/sw.js").get_data(as_text=True) == script  # the same deployment, the same worker


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_the_offline_study_page_is_the_study_page_without_a_card(learner, headers):
    response = learner.get("/study/offline", headers=headers)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "data-offline-shell" in html and 'id="study-card"' in html and 'id="study-counts"' in html
    assert 'id="offline-status" class="offline-status" role="status"' in html
    assert re.search(r'<script src="/static/offline\.[0-9a-f]{10}\.js" defer>', html)


def test_the_study_page_works_without_javascript_as_before_and_carries_the_offline_status(learner):
    html = learner.get("/study").get_data(as_text=True)
    assert 'id="offline-status" class="offline-status" role="status"></div>' in html
    assert re.search(r'data-offline-user="\d+"', html)
    assert re.search(r'<script src="/static/offline\.[0-9a-f]{10}\.js" defer>', html)
    # The plain form still grades and redirects (the service worker and offline.js only add to it).
    token = csrf_from(html)
    card = re.search(r'data-card-id="(\d+)"', html).group(1)
    data = {"csrf_token": token, "card_id": card, "version": "0", "rating": "3", "shown_at": "0"}
    response = learner.post("/study/answer", data=data)
    assert response.status_code == 303 and response.headers["Location"].endswith("/study")
    assert log_count() == 1


def test_a_logged_out_request_for_the_offline_page_leaves_the_cookie_alone(app, client, auth):
    """The service worker fetches /study/offline as it installs, which on a first visit is while the visitor
    signs up: that request left with the logged-out session, and its "Log in to continue." message wrote
    that session's cookie over the new login's, logging the newcomer out as they arrived."""
    stale = app.test_client()  # the worker's request, sent with the cookie the page had before signing up
    response = stale.get("/study/offline")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/study/offline"
    assert "Set-Cookie" not in response.headers
    auth.signup()
    assert client.get("/welcome/nickname").status_code == 200
