""" "Optimise my schedule": FSRS parameters fitted to the learner's own review log, as a background job.

`start` checks there are enough reviews and enqueues an "optimise" job (or returns the one already
running); the job reads the log, fits with `srs.optimizer` (fsrs-rs, about a second at 100,000 reviews)
and keeps the fit in its row: the new parameters and how well they and the learner's current ones predict
the log. Nothing changes until the learner applies that job's fit (`apply`), which only they can, and only
once it is done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from learnapp.database import transaction
from learnapp.errors import Conflict, NotFound, UserError
from learnapp.extensions import db
from learnapp.jobs import JobContext, enqueue, handler, own_job
from learnapp.jobs.service import is_stalled
from learnapp.models import Job, ReviewLog, User
from learnapp.srs.optimizer import (
    PARAMETER_COUNT,
    LogRow,
    Metrics,
    NotEnoughReviews,
    learner_day_of,
    optimise,
)

KIND = "optimise"
NOTHING_TO_APPLY = "There is no fitted schedule to apply. Run the optimisation first."


@dataclass(frozen=True)
class FitResult:
    """A finished job's fit, as kept in its row."""

    parameters: tuple[float, ...]  # 21, py-fsrs order
    before: Metrics  # the parameters the learner had when the fit ran
    after: Metrics  # the fitted ones
    reviews: int
    items: int
    against_own: bool  # "before" measured the learner's own fitted parameters (else FSRS's defaults)

    @property
    def improved(self) -> bool:
        return self.after.log_loss < self.before.log_loss

    def summary(self) -> str:
        verdict = (
            "The fitted parameters predict your memory better."
            if self.improved
            else "The fitted parameters are no better than what you use now."
        )
        return f"Fitted to {self.reviews:,} of your reviews. {verdict}"

    def as_json(self) -> dict[str, Any]:
        return {
            "parameters": list(self.parameters),
            "before": {"log_loss": self.before.log_loss, "rmse_bins": self.before.rmse_bins},
            "after": {"log_loss": self.after.log_loss, "rmse_bins": self.after.rmse_bins},
            "reviews": self.reviews,
            "items": self.items,
            "against_own": self.against_own,
            "summary": self.summary(),  # shown on the job's page
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FitResult:
        parameters = tuple(float(value) for value in data["parameters"])
        if len(parameters) != PARAMETER_COUNT:
            raise ValueError(f"a fit has {PARAMETER_COUNT} parameters, not {len(parameters)}")
        return cls(
            parameters=parameters,
            before=Metrics(float(data["before"]["log_loss"]), float(data["before"]["rmse_bins"])),
            after=Metrics(float(data["after"]["log_loss"]), float(data["after"]["rmse_bins"])),
            reviews=int(data["reviews"]),
            items=int(data["items"]),
            against_own=bool(data["against_own"]),
        )


def min_reviews() -> int:
    return int(current_app.config.get("OPTIMISE_MIN_REVIEWS", 400))


def review_count(user: User) -> int:
    return int(
        db.session.scalar(
            select(func.count()).select_from(ReviewLog).where(ReviewLog.user_id == user.id, ~ReviewLog.undone)
        )
        or 0
    )


@transaction()
def start(user: User, now: datetime) -> Job:
    """The learner's optimisation job: the one still running, else a new one (started after the commit).
    Too few reviews is a UserError, before any job is made."""
    reviews, minimum = review_count(user), min_reviews()
    if reviews < minimum:
        raise UserError(str(NotEnoughReviews(reviews, minimum)))
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())  # one start at a time
    running = latest_job(user)
    if running is not None and not running.finished and not is_stalled(running, now):
        return running
    return enqueue(KIND, user, {}, now)


def latest_job(user: User) -> Job | None:
    return db.session.scalar(
        select(Job).where(Job.user_id == user.id, Job.kind == KIND).order_by(Job.id.desc()).limit(1)
    )


def job_of(user: User, job_id: int) -> Job:
    """The learner's own optimisation job (anyone else's, or another kind of job, is not found)."""
    job = own_job(user, job_id)
    if job.kind != KIND:
        raise NotFound("There is no such optimisation.")
    return job


def result_of(job: Job) -> FitResult | None:
    """The fit of a finished job; None while it runs or after it failed."""
    return FitResult.from_json(job.result) if job.status == "done" and job.result else None


@transaction()
def apply(user: User, job_id: int | None) -> FitResult:
    """Use the fit of the learner's finished job `job_id` from the next card on (again is harmless)."""
    if job_id is None:
        raise UserError(NOTHING_TO_APPLY)
    job = job_of(user, job_id)
    fit = result_of(job)
    if fit is None:
        if job.status == "failed":
            raise Conflict("This optimisation failed, so it has nothing to apply. Try it again.")
        raise Conflict("This optimisation has not finished yet.")
    user.fsrs_parameters = list(fit.parameters)
    return fit


@transaction()
def reset(user: User) -> None:
    """Back to FSRS's default parameters."""
    user.fsrs_parameters = None


# -- the job --------------------------------------------------------------------------------------------


def _log(user: User) -> list[LogRow]:
    return [
        LogRow(card_id, reviewed_at, rating, study_day)
        for card_id, reviewed_at, rating, study_day in db.session.execute(
            select(ReviewLog.card_id, ReviewLog.reviewed_at, ReviewLog.rating, ReviewLog.study_day)
            .where(ReviewLog.user_id == user.id, ~ReviewLog.undone)
            .order_by(ReviewLog.id)
        )
    ]


@handler(KIND)
def run(job: JobContext) -> dict[str, Any]:
    """Fit FSRS to the learner's log (nothing is written but the job's own row)."""
    user = db.session.get(User, job.user_id)
    if user is None:
        raise UserError("This account no longer exists.")
    job.progress(5, "Reading your reviews…")
    rows = _log(user)
    job.progress(30, f"Fitting your schedule to {len(rows):,} reviews…")
    try:
        fit = optimise(
            rows,
            day_of=learner_day_of(user.timezone, user.day_rollover_hour),
            min_reviews=min_reviews(),
            current=user.fsrs_parameters,
        )
    except NotEnoughReviews as error:
        raise UserError(str(error)) from None
    result = FitResult(
        parameters=fit.parameters,
        before=fit.before,
        after=fit.after,
        reviews=fit.reviews,
        items=fit.items,
        against_own=user.fsrs_parameters is not None,
    )
    return result.as_json()
