"""A job's progress (polled by htmx while it runs; a plain page refreshes itself without JavaScript)
and its retry."""

from __future__ import annotations

from flask import Blueprint, request, url_for
from flask_login import current_user, login_required

from learnapp.htmx import render, see_other
from learnapp.jobs import service
from learnapp.models import utcnow

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


@bp.get("/<int:job_id>")
@login_required
def show(job_id: int):
    """How far the job is, what it found, or why it failed."""
    job = service.own_job(current_user, job_id)
    now = utcnow()
    return render(
        "jobs/show.html",
        "jobs/_status.html",
        job=job,
        stalled=service.is_stalled(job, now),
        back=_back(),
    )


@bp.post("/<int:job_id>/retry")
@login_required
def retry(job_id: int):
    """Run a failed or stalled job again."""
    service.retry(current_user, job_id, utcnow())
    return see_other(url_for("jobs.show", job_id=job_id, back=_back()))


def _back() -> str | None:
    """Where the job came from (a local path only), for the "back" link and the result's page."""
    back = request.values.get("back") or ""
    return back if back.startswith("/") and not back.startswith("//") and "\\" not in back else None
