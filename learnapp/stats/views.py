"""The stats page and "Optimise my schedule"."""

from __future__ import annotations

from flask import Blueprint, flash, request, url_for
from flask_login import current_user, login_required

from learnapp.errors import UserError
from learnapp.htmx import render, see_other
from learnapp.models import utcnow
from learnapp.numbers import small_int
from learnapp.stats import charts, service
from learnapp.stats import optimise as optimisation

bp = Blueprint("stats", __name__, url_prefix="/stats")


@bp.get("")
@login_required
def page():
    """Heatmap, streaks, reviews and time per day, true retention, card states, forecast, deck progress."""
    return render("stats/page.html", stats=service.stats(current_user, utcnow()), charts=charts)


def _optimise_page(status: int = 200, error: str | None = None):
    """The learner's latest optimisation (or the one named by ?job=): running, failed, or its fit."""
    job_id = small_int(request.args.get("job"))
    job = (
        optimisation.job_of(current_user, job_id)
        if job_id is not None
        else optimisation.latest_job(current_user)
    )
    fit = optimisation.result_of(job) if job is not None else None
    return render(
        "stats/optimise.html",
        status=status,
        reviews=optimisation.review_count(current_user),
        minimum=optimisation.min_reviews(),
        job=job,
        fit=fit,
        in_use=fit is not None and current_user.fsrs_parameters == list(fit.parameters),
        error=error,
    )


@bp.get("/optimise")
@login_required
def optimise():
    """How many reviews there are, and the latest fit with its before/after figures to apply."""
    return _optimise_page()


@bp.post("/optimise")
@login_required
def run_optimise():
    """Start fitting parameters to the learner's own reviews (a background job) and show its progress;
    nothing is applied until the learner says so."""
    try:
        job = optimisation.start(current_user, utcnow())
    except UserError as error:
        return _optimise_page(status=422, error=error.message)
    return see_other(url_for("jobs.show", job_id=job.id, back=url_for("stats.optimise", job=job.id)))


@bp.post("/optimise/apply")
@login_required
def apply():
    """Use the fit of one finished job of the learner's."""
    optimisation.apply(current_user, small_int(request.form.get("job")))
    flash("Your schedule now uses parameters fitted to your own reviews, from the next card on.", "success")
    return see_other(url_for("stats.optimise"))


@bp.post("/optimise/reset")
@login_required
def reset():
    """Back to FSRS's default parameters."""
    optimisation.reset(current_user)
    flash("Your schedule is back on FSRS's default parameters.", "success")
    return see_other(url_for("stats.optimise"))
