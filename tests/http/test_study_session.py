"""The study page's session over HTTP: the card comes with its answer (hidden until shown), the flash of the
first card is cleared by the first answer, the session's planned total grows only by one for each card
missed (answered Again; undoing it takes the one back), not for a learning step after Hard or Good, and the
page says so; the end of a session sums up the day and offers "more" new cards; with and without htmx."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select, update

from learnapp.extensions import db
from learnapp.models import ReviewLog, User
from tests.conftest import csrf_from
from tests.factories import make_deck

HTMX = {"HX-Request": "true"}


@pytest.fixture
def learner(client, auth):
    make_deck(entries=20)
    auth.signup()
    token = auth.token("/decks")
    assert client.post("/decks/test-deck/enroll", data={"csrf_token": token}).status_code == 303
    user = db.session.scalar(select(User).where(User.username == "mei"))
    user.new_per_day = 3
    db.session.commit()
    return client


def form_of(html: str) -> dict:
    fields = dict(
        re.findall(r'<input type="hidden" name="(card_id|version|shown_at|session)" value="([^"]*)"', html)
    )
    return fields | {"csrf_token": csrf_from(html)}


def progress_of(html: str) -> tuple[int, int]:
    match = re.search(r'<progress class="session-progress" max="(\d+)" value="(\d+)"', html)
    return int(match.group(1)), int(match.group(2))


def test_the_front_carries_its_answer_hidden_with_the_grades(learner):
    html = learner.get("/study").get_data(as_text=True)
    answer = re.search(
        r'<div class="card-answer" id="card-answer" hidden>(.*?)</form>\s*<form class="card-tools"',
        html,
        re.S,
    )
    assert answer, "the answer and its grades come with the front, hidden"
    assert 'class="meaning"' in answer.group(1) and answer.group(1).count('name="rating"') == 4
    link = re.search(
        r'<a class="button primary wide show-answer" href="([^"]+)"\s+data-reveal="card-answer"', html
    )
    assert link and "side=back" in link.group(1)  # without JavaScript the link asks for the back
    back = learner.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert '<div class="card-answer" id="card-answer">' in back and "show-answer" not in back


def test_an_answer_over_htmx_is_the_next_card_and_clears_the_flash(learner):
    html = learner.get("/study").get_data(as_text=True)
    response = learner.post("/study/answer", data=form_of(html) | {"rating": "4"}, headers=HTMX)
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment
    assert '<div id="flashes" class="flashes" role="status" hx-swap-oob="true"></div>' in fragment
    assert '<div id="study-counts" class="study-counts" hx-swap-oob="true">' in fragment
    assert 'id="card-answer" hidden' in fragment  # the next card, with its answer
    assert db.session.scalar(select(ReviewLog.duration_ms)) is not None


ONE_MISSED = "+1: a card you missed comes back"


def test_the_planned_total_stays_and_grows_only_when_a_card_comes_back(learner):
    html = learner.get("/study").get_data(as_text=True)
    assert progress_of(html) == (3, 0)  # three new cards today
    html = learner.post("/study/answer", data=form_of(html) | {"rating": "4"}, headers=HTMX).get_data(
        as_text=True
    )
    assert progress_of(html) == (3, 1)
    assert 'class="came-back"' not in html
    html = learner.post("/study/answer", data=form_of(html) | {"rating": "1"}, headers=HTMX).get_data(
        as_text=True
    )
    assert progress_of(html) == (4, 2)  # Again: the card comes back, and the page says so
    assert f'<span class="came-back" role="status">· {ONE_MISSED}</span>' in html
    # A fresh visit the same day keeps the plan (it lives in the session, by learner day), and the count.
    html = learner.get("/study").get_data(as_text=True)
    assert progress_of(html) == (4, 2)
    assert ONE_MISSED in html


def answer_shown(client, html: str, rating: str) -> str:
    return client.post("/study/answer", data=form_of(html) | {"rating": rating}, headers=HTMX).get_data(
        as_text=True
    )


def undo_shown(client, html: str) -> str:
    log_id = re.search(r'<input type="hidden" name="log_id" value="(\d+)">', html).group(1)
    data = {"csrf_token": csrf_from(html), "log_id": log_id, "session": form_of(html).get("session", "")}
    return client.post("/study/undo", data=data, headers=HTMX).get_data(as_text=True)


def learning_count(html: str) -> int:
    return int(re.search(r'<b data-count="learning">(\d+)</b>', html).group(1))


def test_good_on_a_new_card_with_a_further_learning_step_keeps_the_total(learner):
    html = learner.get("/study").get_data(as_text=True)
    html = answer_shown(learner, html, "3")
    assert learning_count(html) == 1  # the card has a further step today: four showings are left
    assert progress_of(html) == (3, 1)  # but nothing was missed: the total stays
    assert 'class="came-back"' not in html
    assert progress_of(learner.get("/study").get_data(as_text=True)) == (3, 1)


def test_again_grows_the_total_by_one_and_undo_takes_it_back(learner):
    html = learner.get("/study").get_data(as_text=True)
    html = answer_shown(learner, html, "3")
    html = answer_shown(learner, html, "1")  # the second new card, missed
    assert progress_of(html) == (4, 2)
    assert f'<span class="came-back" role="status">· {ONE_MISSED}</span>' in html
    html = undo_shown(learner, html)
    assert progress_of(html) == (3, 1)  # the missed card is unanswered again, and nothing came back
    assert 'class="came-back"' not in html
    assert progress_of(learner.get("/study").get_data(as_text=True)) == (3, 1)


def test_each_miss_counts_and_steps_count_only_once_the_plan_is_used_up(learner):
    html = learner.get("/study").get_data(as_text=True)
    html = answer_shown(learner, html, "3")  # Good on a new card: a learning step, shown again later today
    html = answer_shown(learner, html, "3")
    assert progress_of(html) == (3, 2)
    html = answer_shown(learner, html, "3")
    # The plan's three answers are done and three steps are left: the total is what is done and left, so
    # the bar is never full while a card is shown, and nothing was missed.
    assert progress_of(html) == (6, 3) and learning_count(html) == 3
    assert 'class="came-back"' not in html
    failed = form_of(html)["card_id"]
    html = answer_shown(learner, html, "1")
    assert progress_of(html) == (7, 4) and ONE_MISSED in html
    while form_of(html).get("card_id") not in (failed, None):
        html = answer_shown(learner, html, "4")
    assert form_of(html).get("card_id") == failed  # within the learn-ahead window, it is shown again now
    total, done = progress_of(html)
    html = answer_shown(learner, html, "1")  # missed twice: it comes back twice
    assert progress_of(html) == (total + 1, done + 1)
    assert "+2: cards you missed come back" in html


def test_the_plan_works_without_javascript_too(learner):
    html = learner.get("/study").get_data(as_text=True)
    response = learner.post("/study/answer", data=form_of(html) | {"rating": "1"})
    assert (response.status_code, response.headers["Location"]) == (303, "/study")
    html = learner.get("/study").get_data(as_text=True)
    assert progress_of(html) == (4, 1)
    assert ONE_MISSED in html


def study_to_the_end(client) -> str:
    html = client.get("/study").get_data(as_text=True)
    for _ in range(3):
        html = client.post("/study/answer", data=form_of(html) | {"rating": "4"}, headers=HTMX).get_data(
            as_text=True
        )
    return html


def test_the_end_of_the_session_sums_up_and_offers_more(learner):
    html = study_to_the_end(learner)
    assert "All done for now" in html
    summary = re.search(r'<dl class="session-summary" aria-label="Today">(.*?)</dl>', html, re.S).group(1)
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", summary))
    assert figures["Cards"] == "3"
    assert figures["Streak"] == "1 day"
    assert figures["Remembered"] == "–"  # no review-state answers today yet
    assert figures["Time"].endswith(" s") or figures["Time"].endswith(" min")
    assert int(figures["Due by tomorrow"]) >= 0
    assert 'href="/study?session=more:10">Learn 10 more new cards</a>' in html
    more = learner.get("/study?session=more:10").get_data(as_text=True)
    assert '<b data-count="new">10</b>' in more
    assert "10 more new cards today" in more
    assert 'class="came-back"' not in more  # ten more new cards are a plan of their own, not missed cards


@pytest.mark.parametrize("token", ["more:0", "more:101", "more:", "more:x", "more:²"])
def test_more_new_cards_is_bounded(learner, token):
    response = learner.get(f"/study?session={token}")
    assert response.status_code == 400
    assert "extra new cards 1 to 100" in response.get_data(as_text=True)


def test_an_answer_in_a_more_session_counts_beyond_the_goal(learner):
    study_to_the_end(learner)
    html = learner.get("/study?session=more:10").get_data(as_text=True)
    form = form_of(html)
    assert form["session"] == "more:10"
    html = learner.post("/study/answer", data=form | {"rating": "4"}, headers=HTMX).get_data(as_text=True)
    assert '<b data-count="new">9</b>' in html
    assert db.session.scalar(select(ReviewLog.id).order_by(ReviewLog.id.desc()).limit(1)) == 4


def test_a_quick_session_shows_under_a_minute_not_zero(learner):
    """Study time is counted: a few fast answers are '<1' minute on the dashboard, never '0'."""
    study_to_the_end(learner)
    assert db.session.scalar(select(func.sum(ReviewLog.duration_ms))) is not None  # the answers were timed
    db.session.execute(update(ReviewLog).values(duration_ms=5000))  # as a person answers: 15 s in all
    db.session.commit()
    html = learner.get("/").get_data(as_text=True)
    tile = re.search(r'<span class="stat-number">([^<]*)</span><span class="stat-label">minutes today', html)
    assert tile.group(1) == "&lt;1"
