"""A job's page over HTTP: progress while it runs (htmx polls the fragment), the result or the failure
with a retry, someone else's job is a 404, and a visitor is sent to log in."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from learnapp.database import transaction
from learnapp.extensions import db
from learnapp.jobs import JobContext, handler
from learnapp.jobs.runner import runner_of
from learnapp.models import Job, User, utcnow
from tests.conftest import csrf_from

HTMX = {"HX-Request": "true"}


@handler("test-http-refuse")
def _refuse(job: JobContext) -> dict:
    from learnapp.errors import UserError

    raise UserError("Too few reviews to fit a schedule yet.")


def _job(status: str, **values) -> Job:
    user = db.session.scalar(select(User).where(User.username == "mei"))
    now = values.pop("now", utcnow())
    with transaction():
        job = Job(
            user_id=user.id, kind="test-http-refuse", status=status, created_at=now, updated_at=now, **values
        )
        db.session.add(job)
    return job


def test_a_running_job_shows_its_progress_and_polls(client, auth):
    auth.signup()
    job = _job("running", progress=40, message="Fitting 10,000 reviews")
    page = client.get(f"/jobs/{job.id}?back=/stats")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<progress max="100" value="40"' in html
    assert "Fitting 10,000 reviews" in html
    assert f'hx-get="/jobs/{job.id}?back=/stats"' in html and 'hx-trigger="every 1s"' in html
    assert '<meta http-equiv="refresh" content="2">' in html  # without JavaScript, the page refreshes
    fragment = client.get(f"/jobs/{job.id}", headers=HTMX)
    assert fragment.get_data(as_text=True).lstrip().startswith('<section class="panel job-status"')
    assert "HX-Request" in fragment.headers["Vary"]


def test_a_finished_job_stops_polling_and_links_to_its_result(client, auth):
    auth.signup()
    job = _job("done", progress=100, result={"summary": "Your schedule fits 12% better."})
    html = client.get(f"/jobs/{job.id}?back=/stats/optimise").get_data(as_text=True)
    assert "Your schedule fits 12% better." in html
    assert 'href="/stats/optimise"' in html
    assert "hx-trigger" not in html and "http-equiv" not in html


def test_a_failed_job_says_why_and_can_be_retried(app, client, auth):
    auth.signup()
    job = _job("failed", message="Too few reviews to fit a schedule yet.", attempts=1)
    html = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "Too few reviews to fit a schedule yet." in html and "Try again" in html
    response = client.post(f"/jobs/{job.id}/retry", data={"csrf_token": csrf_from(html), "back": "/stats"})
    assert (response.status_code, response.headers["Location"]) == (303, f"/jobs/{job.id}?back=/stats")
    runner_of(app).drain()
    db.session.expire_all()
    again = db.session.get(Job, job.id)
    assert (again.status, again.attempts) == ("failed", 2)


def test_a_stalled_job_offers_a_retry(client, auth):
    auth.signup()
    job = _job("running", now=utcnow() - timedelta(hours=1))
    html = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "the server restarted" in html and "Try again" in html


def test_only_local_paths_are_followed_back(client, auth):
    auth.signup()
    job = _job("done", result={"summary": "ok"})
    for back in ("https://evil.example/", "//evil.example/", "/\\evil", "javascript:alert(1)"):
        html = client.get(f"/jobs/{job.id}", query_string={"back": back}).get_data(as_text=True)
        assert "evil" not in html and "javascript:" not in html


def test_someone_elses_job_is_a_404_and_visitors_log_in(client, auth):
    auth.signup()
    job = _job("done", result={"summary": "ok"})
    auth.logout()
    response = client.get(f"/jobs/{job.id}")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    auth.signup("lei", "lei@example.com")
    assert client.get(f"/jobs/{job.id}").status_code == 404
    token = csrf_from(client.get("/decks").get_data(as_text=True))
    assert client.post(f"/jobs/{job.id}/retry", data={"csrf_token": token}).status_code == 404
