"""Reminder settings and unsubscribing over HTTP: the time in the learner's zone, bad times beside the
field, a time already past today starting tomorrow, the one-click unsubscribe of List-Unsubscribe-Post."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select

from learnapp.extensions import db
from learnapp.models import User, utcnow
from learnapp.reminders.service import unsubscribe_url
from learnapp.settings import service as settings
from tests.conftest import csrf_from
from tests.factories import make_user
from tests.mailbox import path_of

HTMX = {"HX-Request": "true"}
VALID = {
    "desired_retention": "0.90",
    "new_per_day": "20",
    "reviews_per_day": "200",
    "timezone": "Asia/Shanghai",
    "day_rollover_hour": "4",
    "tone_scheme": "pleco",
    "bury_siblings": "y",
}


def mei() -> User:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.username == "mei"))


@pytest.fixture
def learner(app, client, auth):
    make_user("mei", onboarding_step="done")
    assert auth.login("mei").status_code == 303
    return client


def _save(client, headers=None, **fields):
    token = csrf_from(client.get("/settings").get_data(as_text=True))
    return client.post("/settings", data=VALID | fields | {"csrf_token": token}, headers=headers or {})


def test_reminders_are_off_by_default_and_the_page_says_what_they_need(learner):
    html = learner.get("/settings").get_data(as_text=True)
    assert 'id="reminders"' in html
    assert (
        'name="reminder_enabled"' in html and "checked" not in html.split('name="reminder_enabled"')[0][-200:]
    )
    assert 'type="time"' in html and 'value="19:00"' in html
    assert "In your timezone (Asia/Shanghai)" in html
    assert "It starts once your address is verified" in html
    assert mei().reminder_enabled is False


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_choosing_a_reminder_time(learner, headers):
    response = _save(learner, headers, reminder_enabled="y", reminder_time="07:30")
    assert response.status_code in (303, 204)
    if headers:
        assert response.headers["HX-Redirect"] == "/settings"
    else:
        assert response.headers["Location"] == "/settings"
    user = mei()
    assert (user.reminder_enabled, user.reminder_minute) == (True, 7 * 60 + 30)
    assert 'value="07:30"' in learner.get("/settings").get_data(as_text=True)


@pytest.mark.parametrize("value", ["25:00", "7pm", "", "12:60", "٠٧:٣٠", "1" * 5000])  # a NUL: inputs.py
def test_a_bad_time_comes_back_beside_the_field(learner, value):
    response = _save(learner, reminder_enabled="y", reminder_time=value)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="reminder_time-error"' in html
    assert "Type a time like 19:30" in html
    assert 'aria-describedby="reminder_time-error"' in html
    assert mei().reminder_enabled is False  # nothing saved


def test_turning_reminders_on_after_todays_time_starts_tomorrow(app):
    user = make_user("mei")  # Asia/Shanghai
    at = datetime(2026, 3, 2, 13, 0, tzinfo=UTC)  # 21:00 in Shanghai
    values = settings.form_data(user) | {"reminder_enabled": True, "reminder_time": time(19, 0)}
    settings.save(user, values, at)
    assert mei().reminder_last_day == date(2026, 3, 2)  # today is settled: no mail a minute from now
    # A time still ahead today leaves today open.
    other = make_user("ana")
    settings.save(
        other, settings.form_data(other) | {"reminder_enabled": True, "reminder_time": time(22, 0)}, at
    )
    db.session.expire_all()
    assert db.session.get(User, other.id).reminder_last_day is None


def test_the_settings_page_says_when_reminders_are_paused(learner):
    user = mei()
    user.mail_failures = 3
    user.email_verified_at = utcnow()
    db.session.commit()
    html = learner.get("/settings").get_data(as_text=True)
    assert "Paused: mails to your address were refused." in html
    email_page = learner.get("/settings/email").get_data(as_text=True)
    assert "Reminders are paused" in email_page
    assert 'action="/verify/resend"' in email_page


def test_unsubscribing_from_the_link_in_a_reminder(app, client):
    user = make_user("mei", reminder_enabled=True)
    path = path_of(unsubscribe_url(user, utcnow()))
    page = client.get(path)
    assert page.status_code == 200
    assert "Stop the daily reminder mails for <strong>mei</strong>?" in page.get_data(as_text=True)
    assert mei().reminder_enabled is True  # opening the page (a link checker) changes nothing
    done = client.post(path)  # the page's button: the signed link is the authority, no CSRF token
    assert done.status_code == 200
    assert "Reminders are off" in done.get_data(as_text=True)
    assert mei().reminder_enabled is False


def test_one_click_unsubscribe_from_a_mail_client(app, client):
    user = make_user("mei", reminder_enabled=True)
    response = client.post(
        path_of(unsubscribe_url(user, utcnow())), data={"List-Unsubscribe": "One-Click"}, headers=HTMX
    )
    assert response.status_code == 200
    assert mei().reminder_enabled is False
    # Twice is fine.
    assert client.post(path_of(unsubscribe_url(user, utcnow()))).status_code == 200


@pytest.mark.parametrize("token", ["nope", "A" * 5000, "eyJ1IjoxfQ.bad.sig"])
def test_a_bad_unsubscribe_link_says_so(app, client, token):
    make_user("mei", reminder_enabled=True)
    for response in (client.get(f"/unsubscribe/{token}"), client.post(f"/unsubscribe/{token}")):
        assert response.status_code == 400
        assert "This link doesn&#39;t work" in response.get_data(as_text=True)
    assert mei().reminder_enabled is True
