"""'Optimise my schedule' over HTTP: the fit runs as a background job on the real in-process runner
(`runner_of(app).drain()` waits for it), its progress page, the before/after figures kept in the job's row,
applying them (only one's own, only once done), failures that say why and can be retried, with and without
htmx."""

import re
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from learnapp.database import transaction
from learnapp.decks.service import enroll
from learnapp.extensions import db
from learnapp.jobs.runner import runner_of
from learnapp.models import CardState, Job, ReviewLog, utcnow
from learnapp.srs import Rating, Scheduler, SchedulingState, format_interval
from learnapp.srs.optimizer import DEFAULT_PARAMETERS, LogRow, learner_day_of, optimise, simulate_log
from tests.conftest import csrf_from
from tests.factories import T0, make_deck, make_user
from tests.http.test_stats import TIMEZONE, mei, study_on

HTMX = {"HX-Request": "true"}


@pytest.fixture
def learner(app, client, auth):
    make_deck(entries=60)
    user = make_user("mei", timezone=TIMEZONE, onboarding_step="done")
    enroll(user, "test-deck", T0)
    assert auth.login("mei").status_code == 303
    return client


def simulated_history(user):
    """A simulated learner's 633 answers to 60 cards over 90 days of 2025, mapped onto Mei's 60 cards."""
    log = simulate_log(DEFAULT_PARAMETERS, cards=60, days=90, seed=4)
    assert len(log) >= 400
    cards = list(
        db.session.scalars(
            select(CardState.card_id).where(CardState.user_id == user.id).order_by(CardState.new_position)
        )
    )
    rows = []
    for row in log:
        card_id = cards[row.card_id - 1]
        db.session.add(
            ReviewLog(
                user_id=user.id,
                card_id=card_id,
                rating=row.rating,
                reviewed_at=row.reviewed_at,
                state_before="review",
                state_after="review",
                before={},
                after={},
                undone=False,
            )
        )
        rows.append(LogRow(card_id, row.reviewed_at, row.rating))
    db.session.commit()
    return rows


def easy_interval_on_the_first_card(client):
    page = client.get("/study").get_data(as_text=True)
    card = re.search(r'data-card-id="(\d+)"', page).group(1)
    back = client.get(f"/study?card={card}&side=back").get_data(as_text=True)
    return re.search(
        r'<span class="interval">([^<]+)</span>\s*<span class="grade-label">Easy</span>', back
    ).group(1)


def expected_easy(parameters):
    previews = Scheduler(0.9, parameters, enable_fuzz=False).preview(SchedulingState(), 1, utcnow())
    return format_interval(previews[Rating.EASY])


def test_optimise_page_shows_the_review_count(learner):
    study_on([0])
    html = learner.get("/stats/optimise").get_data(as_text=True)
    assert "You have <strong>4</strong> reviews. Optimising needs at least 400." in html
    assert "Keep studying: 396 more reviews and you can optimise." in html
    assert "Your schedule uses the default parameters now." in html


def test_optimise_with_too_few_reviews_is_a_422_and_changes_nothing(learner):
    study_on([-1, 0])
    page = learner.get("/stats/optimise").get_data(as_text=True)
    response = learner.post("/stats/optimise", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 422
    assert "Optimisation needs at least 400 reviews; you have 7." in response.get_data(as_text=True)
    assert mei().fsrs_parameters is None
    # Nothing was fitted, so there is nothing to apply.
    apply = learner.post("/stats/optimise/apply", data={"csrf_token": csrf_from(page)})
    assert apply.status_code == 400
    assert mei().fsrs_parameters is None


def test_apply_without_a_fit_is_a_400_with_a_message(learner):
    page = learner.get("/stats/optimise").get_data(as_text=True)
    response = learner.post("/stats/optimise/apply", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 400
    assert "There is no fitted schedule to apply. Run the optimisation first." in response.get_data(
        as_text=True
    )
    assert mei().fsrs_parameters is None


def test_optimise_posts_need_the_csrf_token(learner):
    simulated_history(mei())
    for path in ("/stats/optimise", "/stats/optimise/apply", "/stats/optimise/reset"):
        assert learner.post(path).status_code == 400
    assert mei().fsrs_parameters is None


def test_optimise_minimum_comes_from_the_config(app, learner):
    app.config["OPTIMISE_MIN_REVIEWS"] = 5
    study_on([0])
    html = learner.get("/stats/optimise").get_data(as_text=True)
    assert "Optimising needs at least 5." in html
    response = learner.post("/stats/optimise", data={"csrf_token": csrf_from(html)})
    assert response.status_code == 422
    assert "Optimisation needs at least 5 reviews; you have 4." in response.get_data(as_text=True)


# -- the job --------------------------------------------------------------------------------------------


def optimise_jobs():
    db.session.expire_all()
    return list(db.session.scalars(select(Job).where(Job.kind == "optimise").order_by(Job.id)))


def job_page(job_id):
    """Where the optimisation sends the learner: its job's progress, coming back to its fit."""
    return f"/jobs/{job_id}?back={quote(f'/stats/optimise?job={job_id}', safe='/?')}"


def fit_rows(fit):
    before = f"<td>{fit.before.log_loss:.4f}</td><td>{fit.before.rmse_bins * 100:.2f}%</td>"
    after = f"<td>{fit.after.log_loss:.4f}</td><td>{fit.after.rmse_bins * 100:.2f}%</td>"
    return before, after


def test_optimise_runs_as_a_job_then_apply_and_reset(app, learner):
    rows = simulated_history(mei())
    expected = optimise(rows, day_of=learner_day_of(TIMEZONE, 4))
    default_easy = easy_interval_on_the_first_card(learner)
    assert default_easy == expected_easy(None)
    assert expected_easy(expected.parameters) != default_easy  # else the check below proves nothing

    page = learner.get("/stats/optimise").get_data(as_text=True)
    assert f"You have <strong>{len(rows)}</strong> reviews." in page
    assert 'action="/stats/optimise"' in page
    response = learner.post("/stats/optimise", data={"csrf_token": csrf_from(page)})
    [job] = optimise_jobs()
    assert response.status_code == 303
    assert response.headers["Location"] == job_page(job.id)
    assert job.user_id == mei().id
    runner_of(app).drain()

    # The job's page says it is done, what it found, and leads back to the fit.
    done = learner.get(response.headers["Location"]).get_data(as_text=True)
    assert "<h1>Done</h1>" in done
    assert f"Fitted to {len(rows)} of your reviews. The fitted parameters predict your memory better." in done
    assert f'href="/stats/optimise?job={job.id}"' in done
    [job] = optimise_jobs()
    assert (job.status, job.progress) == ("done", 100)
    assert job.result["parameters"] == list(expected.parameters)  # the fit is kept in the job's row
    assert mei().fsrs_parameters is None  # shown, not applied

    html = learner.get(f"/stats/optimise?job={job.id}").get_data(as_text=True)
    assert f"predicts your own {expected.items} reviews" in html
    before, after = fit_rows(expected)
    assert f'<th scope="row">Defaults</th>{before}' in html
    assert f'<th scope="row">Fitted to you</th>{after}' in html
    assert expected.improved
    assert "The fitted parameters predict your memory better." in html
    assert f'<input type="hidden" name="job" value="{job.id}">' in html
    latest = learner.get("/stats/optimise").get_data(as_text=True)  # the latest fit by default
    assert f'<input type="hidden" name="job" value="{job.id}">' in latest and after in latest

    applied = learner.post("/stats/optimise/apply", data={"csrf_token": csrf_from(html), "job": job.id})
    assert applied.status_code == 303
    assert applied.headers["Location"] == "/stats/optimise"
    stored = mei().fsrs_parameters
    assert len(stored) == 21
    assert stored == list(expected.parameters)
    after_page = learner.get("/stats/optimise").get_data(as_text=True)
    assert "Your schedule uses your own fitted parameters now." in after_page
    assert "Your schedule uses these fitted parameters." in after_page
    assert 'name="job"' not in after_page  # nothing left to apply
    assert easy_interval_on_the_first_card(learner) == expected_easy(stored)

    # Sent twice (a double click): the same parameters, nothing else.
    again = learner.post("/stats/optimise/apply", data={"csrf_token": csrf_from(after_page), "job": job.id})
    assert again.status_code == 303
    assert mei().fsrs_parameters == stored

    reset = learner.post("/stats/optimise/reset", data={"csrf_token": csrf_from(after_page)})
    assert reset.status_code == 303
    assert reset.headers["Location"] == "/stats/optimise"
    assert mei().fsrs_parameters is None
    assert easy_interval_on_the_first_card(learner) == default_easy
    assert "Your schedule uses the default parameters now." in learner.get("/stats/optimise").get_data(
        as_text=True
    )


def test_optimise_with_htmx(app, learner):
    simulated_history(mei())
    page = learner.get("/stats/optimise").get_data(as_text=True)
    response = learner.post("/stats/optimise", data={"csrf_token": csrf_from(page)}, headers=HTMX)
    [job] = optimise_jobs()
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == job_page(job.id)
    runner_of(app).drain()
    fragment = learner.get(job_page(job.id), headers=HTMX)
    html = fragment.get_data(as_text=True)
    assert html.lstrip().startswith('<section class="panel job-status"')
    assert "<h1>Done</h1>" in html and "hx-trigger" not in html  # finished: no more polling
    assert "HX-Request" in fragment.headers["Vary"]
    result = learner.get(f"/stats/optimise?job={job.id}").get_data(as_text=True)
    applied = learner.post(
        "/stats/optimise/apply", data={"csrf_token": csrf_from(result), "job": job.id}, headers=HTMX
    )
    assert (applied.status_code, applied.headers["HX-Redirect"]) == (204, "/stats/optimise")
    [job] = optimise_jobs()
    assert mei().fsrs_parameters == job.result["parameters"]


def running_job(user, status="running"):
    """An optimisation that has not finished (written directly: the runner would finish it at once)."""
    now = utcnow()
    with transaction():
        job = Job(
            user_id=user.id, kind="optimise", status=status, progress=30, created_at=now, updated_at=now
        )
        db.session.add(job)
    return job


def test_while_it_runs_the_page_shows_progress_and_a_second_start_joins_it(learner):
    simulated_history(mei())
    job = running_job(mei())
    html = learner.get("/stats/optimise").get_data(as_text=True)
    assert "Your optimisation is running." in html
    assert f'href="{job_page(job.id)}"' in html.replace("&amp;", "&")
    assert 'action="/stats/optimise"' not in html  # no second start from here
    progress = learner.get(job_page(job.id)).get_data(as_text=True)
    assert '<progress max="100" value="30"' in progress and 'hx-trigger="every 1s"' in progress
    # A second start (another tab, a double click) joins the running job instead of fitting twice.
    response = learner.post("/stats/optimise", data={"csrf_token": csrf_from(progress)})
    assert (response.status_code, response.headers["Location"]) == (303, job_page(job.id))
    assert [other.id for other in optimise_jobs()] == [job.id]
    # Nothing to apply until it is done.
    apply = learner.post("/stats/optimise/apply", data={"csrf_token": csrf_from(progress), "job": job.id})
    assert apply.status_code == 409
    assert "This optimisation has not finished yet." in apply.get_data(as_text=True)
    assert mei().fsrs_parameters is None


def test_a_failed_fit_says_why_and_can_be_retried(app, learner):
    app.config["OPTIMISE_MIN_REVIEWS"] = 4
    study_on([0])  # 4 first answers on one day: nothing to learn from yet
    page = learner.get("/stats/optimise").get_data(as_text=True)
    response = learner.post("/stats/optimise", data={"csrf_token": csrf_from(page)})
    runner_of(app).drain()
    [job] = optimise_jobs()
    reason = "every review so far was on the day the card was first seen."
    assert (job.status, job.result) == ("failed", None)
    assert reason in job.message
    failed = learner.get(response.headers["Location"]).get_data(as_text=True)
    assert "That didn't finish" in failed and reason in failed and "Try again" in failed
    html = learner.get("/stats/optimise").get_data(as_text=True)
    assert "Your last optimisation didn't finish" in html and reason in html
    apply = learner.post("/stats/optimise/apply", data={"csrf_token": csrf_from(html), "job": job.id})
    assert apply.status_code == 409
    assert mei().fsrs_parameters is None
    retry = learner.post(f"/jobs/{job.id}/retry", data={"csrf_token": csrf_from(failed)})
    assert retry.status_code == 303
    runner_of(app).drain()
    [job] = optimise_jobs()
    assert (job.status, job.attempts) == ("failed", 2)


def test_another_learners_fit_is_not_found(app, learner, auth):
    simulated_history(mei())
    page = learner.get("/stats/optimise").get_data(as_text=True)
    learner.post("/stats/optimise", data={"csrf_token": csrf_from(page)})
    runner_of(app).drain()
    [job] = optimise_jobs()
    assert job.status == "done"
    auth.logout()
    make_user("lei", onboarding_step="done")
    auth.login("lei")
    assert learner.get(f"/stats/optimise?job={job.id}").status_code == 404
    assert learner.get(job_page(job.id)).status_code == 404
    token = csrf_from(learner.get("/stats/optimise").get_data(as_text=True))
    assert learner.post("/stats/optimise/apply", data={"csrf_token": token, "job": job.id}).status_code == 404
    lei = db.session.scalar(select(func.count()).select_from(Job).where(Job.user_id != job.user_id))
    assert lei == 0
    assert mei().fsrs_parameters is None


def test_a_job_of_another_kind_is_not_a_fit(learner):
    with transaction():
        other = Job(user_id=mei().id, kind="test-other", status="done", result={"summary": "ok"})
        db.session.add(other)
    assert learner.get(f"/stats/optimise?job={other.id}").status_code == 404
    token = csrf_from(learner.get("/stats/optimise").get_data(as_text=True))
    assert (
        learner.post("/stats/optimise/apply", data={"csrf_token": token, "job": other.id}).status_code == 404
    )
