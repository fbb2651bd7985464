"""The stats page, "Optimise my schedule" and the dashboard's numbers over HTTP.

The pages read the real clock, so the reviews are answered through the study service at times relative to
it: the middle of the learner's current study day, and the same time one and two days earlier."""

import re
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from learnapp.decks.service import enroll
from learnapp.extensions import db
from learnapp.models import ReviewLog, User, utcnow
from learnapp.srs import Rating, learner_day
from learnapp.study import service as study
from tests.factories import T0, make_deck, make_user

HTMX = {"HX-Request": "true"}
TIMEZONE = "Asia/Shanghai"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Answers on the day before yesterday, yesterday and today.
PER_DAY = {-2: 2, -1: 3, 0: 4}


def mei():
    user = db.session.scalar(select(User).where(User.username == "mei"))
    db.session.refresh(user)
    return user


def today_and_midday():
    """The learner's study day now, and a moment inside it that is already past."""
    now = utcnow()
    day = learner_day(now, TIMEZONE, 4)
    return date.fromisoformat(day.local_date), day.start + (now - day.start) / 2


def answer_cards(user, count, when):
    for _ in range(count):
        view = study.today(user, when, enable_fuzz=False)
        assert view.card is not None
        study.answer(user, view.card.id, Rating.GOOD, view.version, when, shown_at_ms=None, enable_fuzz=False)
        when += timedelta(seconds=30)


def study_on(days):
    """Mei answers PER_DAY[offset] cards on each of `days` (offsets from today)."""
    _, midday = today_and_midday()
    user = mei()
    for offset in days:
        answer_cards(user, PER_DAY[offset], midday + timedelta(days=offset))
    db.session.remove()


def stat_tile(html, label):
    match = re.search(
        rf'<span class="stat-number">([^<]*)</span><span class="stat-label">{re.escape(label)}', html
    )
    assert match, f"no tile {label!r}"
    return match.group(1)


def heat_cell(html, day):
    """The heatmap square of `day`: its level and its tooltip."""
    match = re.search(
        rf'<rect class="heat-(\d)"[^>]*><title>([^<]*) on {day.isoformat()}</title></rect>', html
    )
    assert match, f"no heatmap square for {day}"
    return int(match.group(1)), match.group(2)


@pytest.fixture
def learner(app, client, auth):
    make_deck(entries=60)
    user = make_user("mei", timezone=TIMEZONE, onboarding_step="done")
    enroll(user, "test-deck", T0)
    assert auth.login("mei").status_code == 303
    return client


# -- the stats page ---------------------------------------------------------------------------------------


def test_stats_page_of_a_learner_with_three_study_days(learner):
    study_on([-2, -1, 0])
    today, _ = today_and_midday()
    response = learner.get("/stats")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert stat_tile(html, "reviews today") == "4"
    assert stat_tile(html, "day streak") == "3"
    assert stat_tile(html, "longest streak") == "3"
    assert "study today to keep it" not in html
    assert "9 reviews on 3 days in the last 365." in html
    assert re.search(r'<svg [^>]*class="chart chart-heatmap"', html)
    assert heat_cell(html, today) == (1, "4 reviews")
    assert heat_cell(html, today - timedelta(days=1)) == (1, "3 reviews")
    assert heat_cell(html, today - timedelta(days=2)) == (1, "2 reviews")
    assert heat_cell(html, today - timedelta(days=3)) == (0, "0 reviews")
    # The heatmap's table: reviews and days studied per month.
    per_month = Counter()
    days_in_month = Counter()
    for offset, count in PER_DAY.items():
        day = today + timedelta(days=offset)
        per_month[(day.year, day.month)] += count
        days_in_month[(day.year, day.month)] += 1
    for (year, month), reviews in per_month.items():
        row = f'<th scope="row">{MONTHS[month - 1]} {year}</th><td>{reviews}</td><td>{days_in_month[(year, month)]}</td>'
        assert row in html
    assert html.count('<table class="chart-data">') >= 6
    for kind in ("reviews", "minutes", "retention", "card-states", "forecast", "deck-progress"):
        assert f"chart chart-{kind}" in html


def test_a_streak_that_has_not_been_kept_today_yet(learner):
    study_on([-2, -1])
    today, _ = today_and_midday()
    html = learner.get("/stats").get_data(as_text=True)
    assert stat_tile(html, "reviews today") == "0"
    assert stat_tile(html, "day streak") == "2"
    assert "(study today to keep it)" in html
    assert heat_cell(html, today) == (0, "0 reviews")
    assert heat_cell(html, today - timedelta(days=1)) == (1, "3 reviews")


def test_one_review_on_one_day_is_said_in_the_singular(learner):
    _, midday = today_and_midday()
    answer_cards(mei(), 1, midday)
    html = learner.get("/stats").get_data(as_text=True)
    assert "1 review on 1 day in the last 365." in html
    assert stat_tile(html, "day streak") == "1"


def test_undone_answers_do_not_count(learner):
    study_on([0])
    user = mei()
    last = db.session.scalar(select(func.max(ReviewLog.id)))
    _, midday = today_and_midday()
    study.undo(user, last, midday + timedelta(minutes=5))
    html = learner.get("/stats").get_data(as_text=True)
    assert stat_tile(html, "reviews today") == "3"


def test_stats_page_of_a_learner_without_reviews(learner):
    response = learner.get("/stats")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert stat_tile(html, "reviews today") == "0"
    assert stat_tile(html, "day streak") == "0"
    assert "0 reviews on 0 days in the last 365." in html
    assert re.search(r'<svg [^>]*class="chart chart-heatmap"', html)
    today, _ = today_and_midday()
    assert heat_cell(html, today) == (0, "0 reviews")
    assert not re.search(r'<rect class="heat-[1-4]"[^>]*><title>[^<]* on ', html)  # the legend has no date


def test_stats_page_without_any_deck(app, client, auth):
    make_user("mei", onboarding_step="done")
    auth.login("mei")
    response = client.get("/stats")
    assert response.status_code == 200
    assert "No decks yet." in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/stats", "/stats/optimise"])
def test_stats_need_a_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"/login?next={path}")
    htmx = client.get(path, headers=HTMX)
    assert htmx.status_code == 401
    assert htmx.headers["HX-Redirect"].startswith("/login")


def test_the_dashboard_shows_the_streak_and_todays_reviews(learner):
    study_on([-2, -1, 0])
    html = learner.get("/").get_data(as_text=True)
    assert stat_tile(html, "day streak") == "3"
    assert stat_tile(html, "reviews today") == "4"


def test_the_dashboard_of_a_new_learner(learner):
    html = learner.get("/").get_data(as_text=True)
    assert stat_tile(html, "day streak") == "0"
    assert stat_tile(html, "reviews today") == "0"
    assert stat_tile(html, "remembered today") == "–"


def test_stats_is_in_the_main_navigation_between_wiki_and_teach(app, client, auth):
    assert 'href="/stats"' not in client.get("/").get_data(as_text=True)  # visitors have no stats
    make_user("mei", onboarding_step="done")
    auth.login("mei")
    nav = re.search(r'<nav aria-label="Main">(.*?)</nav>', client.get("/decks").get_data(as_text=True), re.S)
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav.group(1))
    assert links[:5] == [
        ("/study", "Study"),
        ("/read", "Read"),
        ("/decks", "Decks"),
        ("/wiki", "Wiki"),
        ("/stats", "Stats"),
    ]
    auth.logout()
    make_user("wang", role="teacher", onboarding_step="done")
    auth.login("wang")
    nav = re.search(r'<nav aria-label="Main">(.*?)</nav>', client.get("/decks").get_data(as_text=True), re.S)
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav.group(1))
    assert links[3:6] == [("/wiki", "Wiki"), ("/stats", "Stats"), ("/teach", "Teach")]
