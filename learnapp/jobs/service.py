"""Background jobs: enqueue inside the user's transaction, dispatch after its commit, run, report.

A feature registers a handler once (`@handler("optimise")`), and calls `enqueue("optimise", user, {...})`
inside its transaction: the job row is written with the rest, and only once that commits is its id handed
to the runner, so a worker never looks for a row that is not there yet (and a rolled-back action starts
no job). The handler gets a `JobContext` (the payload, `progress()`); what it returns is the job's result,
what it raises is its failure: a `UserError`'s message is shown as it is, anything else as a plain "it
failed, try again" with the details in the log. A job that stops being updated (its process died) is
shown as stalled and can be retried.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from flask import current_app
from sqlalchemy import event, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from learnapp.database import in_transaction, transaction
from learnapp.errors import Conflict, NotFound, UserError
from learnapp.extensions import db
from learnapp.models import Job, User, utcnow

log = logging.getLogger(__name__)

STALLED_AFTER = timedelta(minutes=10)
MAX_ATTEMPTS = 5
FAILED = "Sorry, that didn't work. Nothing was changed; try again."
_PENDING = "jobs_to_dispatch"

Handler = Callable[["JobContext"], dict[str, Any] | None]
_HANDLERS: dict[str, Handler] = {}


@dataclass
class JobContext:
    """What a handler sees: its job's id, user and payload, and a way to report progress."""

    job_id: int
    user_id: int
    payload: dict[str, Any]

    def progress(self, percent: int, message: str = "") -> None:
        """Record how far the job is (0-100) in its own short transaction, visible at once."""
        with db.engine.begin() as connection:
            connection.execute(
                update(Job)
                .where(Job.id == self.job_id)
                .values(progress=max(0, min(100, int(percent))), message=message, updated_at=utcnow())
            )


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that runs jobs of `kind`."""

    def register(function: Handler) -> Handler:
        _HANDLERS[kind] = function
        return function

    return register


def enqueue(kind: str, user: User, payload: dict[str, Any], now: datetime | None = None) -> Job:
    """A new job, part of the caller's transaction; it starts once that transaction commits."""
    if kind not in _HANDLERS:
        raise ValueError(f"no handler for jobs of kind {kind!r}")
    now = now or utcnow()
    job = Job(user_id=user.id, kind=kind, payload=payload, created_at=now, updated_at=now)
    with transaction() as session:
        session.add(job)
        session.flush()
        session.info.setdefault(_PENDING, []).append(job.id)
    return job


def own_job(user: User, job_id: int) -> Job:
    """The user's job (anyone else's is not found)."""
    job = db.session.get(Job, job_id)
    if job is None or job.user_id != user.id:
        raise NotFound("There is no such job.")
    return job


def is_stalled(job: Job, now: datetime) -> bool:
    """Queued or running, but not updated for STALLED_AFTER: its process is gone."""
    return not job.finished and now - job.updated_at > STALLED_AFTER


@transaction()
def retry(user: User, job_id: int, now: datetime) -> Job:
    """Run a failed (or stalled) job again; a job still going is left alone."""
    job = own_job(user, job_id)
    if not (job.status == "failed" or is_stalled(job, now)):
        raise Conflict("This job is still running.")
    if job.attempts >= MAX_ATTEMPTS:
        raise Conflict("This job failed too many times. Start it again from its page.")
    job.status, job.progress, job.message, job.updated_at = "queued", 0, "", now
    db.session.info.setdefault(_PENDING, []).append(job.id)
    return job


def run(job_id: int) -> None:
    """Run one job to its end (called by the runner, inside an app context, outside any transaction).

    Three steps, each its own transaction, because each must be seen before the next begins: the claim
    (so a second runner finds the job taken), the handler's work (its own transactions, reporting progress
    as it goes), and the outcome."""
    assert not in_transaction(), "a job commits its own steps: run it outside a transaction() block"
    with transaction():
        claimed = cast(
            "CursorResult[Any]",
            db.session.execute(
                update(Job)
                .where(Job.id == job_id, Job.status == "queued")
                .values(status="running", attempts=Job.attempts + 1, updated_at=utcnow())
            ),
        ).rowcount
    if claimed != 1:  # already taken (a retry and a late delivery) or gone with its user
        return
    job = db.session.get(Job, job_id)
    assert job is not None
    context = JobContext(job_id=job.id, user_id=job.user_id, payload=dict(job.payload))
    kind = job.kind
    db.session.remove()
    try:
        result = _HANDLERS[kind](context)
    except UserError as error:
        db.session.remove()  # the handler's transactions have rolled back; drop any read it left open
        _finish(job_id, "failed", error.message, None)
    except Exception:
        db.session.remove()
        log.exception("job %s (%s) failed", job_id, kind)
        _finish(job_id, "failed", FAILED, None)
    else:
        _finish(job_id, "done", "", result or {})
    finally:
        db.session.remove()


def _finish(job_id: int, status: str, message: str, result: dict[str, Any] | None) -> None:
    with transaction():
        db.session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(
                status=status,
                message=message,
                result=result,
                progress=100 if status == "done" else Job.progress,
                updated_at=utcnow(),
            )
        )


# ---- dispatch after commit ------------------------------------------------------------------------------


@event.listens_for(Session, "after_commit")
def _dispatch_after_commit(session: Session) -> None:
    """Hand the committed transaction's new jobs to the app's runner (learnapp/jobs/runner.py)."""
    pending = session.info.pop(_PENDING, None)
    if pending:
        dispatch = current_app.extensions["jobs_runner"]
        for job_id in pending:
            dispatch(job_id)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)
