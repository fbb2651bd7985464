"""The stats page and "Optimise my schedule"."""

from __future__ import annotations

from flask import Blueprint, flash, session, url_for
from flask_login import current_user, login_required

from learnapp import stats as charts
from learnapp.errors import UserError
from learnapp.htmx import render, see_other
from learnapp.models import utcnow
from learnapp.stats import service

bp = Blueprint("stats", __name__, url_prefix="/stats")
_PENDING = "pending_fsrs_fit"  # the fitted parameters waiting for "Apply", in the signed session


@bp.get("")
@login_required
def page():
    """Heatmap, streaks, reviews and time per day, true retention, card states, forecast, deck progress."""
    return render("stats/page.html", stats=service.stats(current_user, utcnow()), charts=charts)


@bp.get("/optimise")
@login_required
def optimise():
    return render(
        "stats/optimise.html",
        reviews=service.review_count(current_user),
        minimum=service.min_reviews(),
        fit=None,
    )


@bp.post("/optimise")
@login_required
def run_optimise():
    """Fit parameters to the learner's own reviews and show the fit before and after; nothing is applied
    until the learner says so."""
    reviews = service.review_count(current_user)
    try:
        fit = service.fit(current_user)
    except UserError as error:
        return render(
            "stats/optimise.html",
            status=422,
            reviews=reviews,
            minimum=service.min_reviews(),
            fit=None,
            error=error.message,
        )
    session[_PENDING] = list(fit.parameters)
    return render("stats/optimise.html", reviews=reviews, minimum=service.min_reviews(), fit=fit)


@bp.post("/optimise/apply")
@login_required
def apply():
    parameters = session.pop(_PENDING, None)
    if not parameters:
        raise UserError("There is no fitted schedule to apply. Run the optimisation first.")
    service.apply(current_user, parameters)
    flash("Your schedule now uses parameters fitted to your own reviews, from the next card on.", "success")
    return see_other(url_for("stats.optimise"))


@bp.post("/optimise/reset")
@login_required
def reset():
    session.pop(_PENDING, None)
    service.reset(current_user)
    flash("Your schedule is back on FSRS's default parameters.", "success")
    return see_other(url_for("stats.optimise"))
