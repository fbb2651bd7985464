"""Background jobs on a real database: enqueue inside a transaction, dispatch after its commit, run on the
in-process runner (and on RQ with the real Redis), progress, failures with their message, retry, stalls."""

from __future__ import annotations

import logging
import os
from datetime import timedelta

import pytest
from sqlalchemy import select

from learnapp.database import transaction
from learnapp.errors import Conflict, NotFound, UserError
from learnapp.extensions import db
from learnapp.jobs import JobContext, enqueue, handler, own_job, retry
from learnapp.jobs.runner import RQRunner, ThreadRunner, runner_of
from learnapp.jobs.service import FAILED, MAX_ATTEMPTS, STALLED_AFTER, is_stalled
from learnapp.models import Job, Nickname, User
from tests.factories import T0, make_user

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")


# Handlers that do real work on the database, as a feature's would: they read the user and write a row.
@handler("test-rename")
def _rename(job: JobContext) -> dict:
    user = db.session.get(User, job.user_id)
    job.progress(50, "Halfway")
    with transaction():
        user.display_name = job.payload["name"]
    return {"summary": f"Renamed to {job.payload['name']}."}


@handler("test-refuse")
def _refuse(job: JobContext) -> dict:
    raise UserError("Not enough reviews yet: come back after 400.")


@handler("test-crash")
def _crash(job: JobContext) -> dict:
    with transaction():
        db.session.add(Nickname(user_id=job.user_id, hanzi="半", pinyin="bàn", kind="sound", share_token="x"))
        raise RuntimeError("disk on fire")


def _drain(app) -> None:
    runner = runner_of(app)
    assert isinstance(runner, ThreadRunner)
    runner.drain()


def _job(job_id: int) -> Job:
    db.session.expire_all()
    return db.session.get(Job, job_id)


def test_a_job_runs_after_its_transaction_commits(app):
    user = make_user()
    with transaction():
        job = enqueue("test-rename", user, {"name": "小明"}, now=T0)
        job_id = job.id
        # Nothing starts while the transaction is open: the runner would not find the row yet.
        assert not runner_of(app)._futures
    _drain(app)
    done = _job(job_id)
    assert (done.status, done.progress, done.attempts) == ("done", 100, 1)
    assert done.result == {"summary": "Renamed to 小明."}
    assert db.session.get(User, user.id).display_name == "小明"


def test_a_rolled_back_action_starts_no_job(app):
    user = make_user()
    with pytest.raises(UserError), transaction():
        enqueue("test-rename", user, {"name": "小红"}, now=T0)
        raise UserError("the action failed")
    _drain(app)
    assert db.session.scalars(select(Job)).all() == []
    assert db.session.get(User, user.id).display_name is None


def test_a_refused_job_keeps_its_message(app):
    user = make_user()
    with transaction():
        job_id = enqueue("test-refuse", user, {}, now=T0).id
    _drain(app)
    failed = _job(job_id)
    assert (failed.status, failed.message) == ("failed", "Not enough reviews yet: come back after 400.")


def test_a_crashed_job_writes_nothing_and_says_so_plainly(app, caplog):
    user = make_user()
    with transaction():
        job_id = enqueue("test-crash", user, {}, now=T0).id
    with caplog.at_level(logging.ERROR, logger="learnapp.jobs.service"):
        _drain(app)
    failed = _job(job_id)
    assert (failed.status, failed.message) == ("failed", FAILED)
    assert "disk on fire" not in failed.message
    assert "disk on fire" in caplog.text  # the details go to the log
    assert db.session.scalars(select(Nickname)).all() == []


def test_retry_runs_a_failed_job_again_and_refuses_one_that_runs(app):
    user = make_user()
    with transaction():
        job_id = enqueue("test-refuse", user, {}, now=T0).id
    _drain(app)
    retry(user, job_id, T0)
    _drain(app)
    assert (_job(job_id).status, _job(job_id).attempts) == ("failed", 2)
    # A queued job is not retried twice over.
    with transaction():
        waiting = Job(
            user_id=user.id, kind="test-rename", payload={"name": "x"}, created_at=T0, updated_at=T0
        )
        db.session.add(waiting)
    with pytest.raises(Conflict):
        retry(user, waiting.id, T0 + timedelta(minutes=1))


def test_a_job_that_stops_being_updated_is_stalled_and_can_be_retried(app):
    user = make_user()
    with transaction():
        job = Job(
            user_id=user.id,
            kind="test-rename",
            status="running",
            payload={"name": "晓"},
            created_at=T0,
            updated_at=T0,
            attempts=1,
        )
        db.session.add(job)
    assert not is_stalled(job, T0 + STALLED_AFTER)
    later = T0 + STALLED_AFTER + timedelta(seconds=1)
    assert is_stalled(job, later)
    # The retry puts it back in the queue; the runner takes it from there.
    retry(user, job.id, later)
    _drain(app)
    assert _job(job.id).status == "done"


def test_too_many_attempts_are_refused(app):
    user = make_user()
    with transaction():
        job = Job(
            user_id=user.id,
            kind="test-refuse",
            status="failed",
            payload={},
            created_at=T0,
            updated_at=T0,
            attempts=MAX_ATTEMPTS,
        )
        db.session.add(job)
    with pytest.raises(Conflict):
        retry(user, job.id, T0)


def test_someone_elses_job_is_not_found(app):
    owner, other = make_user("mei"), make_user("lei")
    with transaction():
        job_id = enqueue("test-rename", owner, {"name": "梅"}, now=T0).id
    _drain(app)
    with pytest.raises(NotFound):
        own_job(other, job_id)
    with pytest.raises(NotFound):
        retry(other, job_id, T0)


def test_an_unknown_kind_is_a_programming_error(app):
    with pytest.raises(ValueError, match="no handler"):
        enqueue("no-such-kind", make_user(), {})


def _redis_or_skip():
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown

    try:
        Redis.from_url(REDIS_URL).ping()
    except RedisDown:
        pytest.skip(f"no Redis at {REDIS_URL}")


def test_on_redis_the_job_waits_for_a_worker(database_url, tmp_path):
    """With REDIS_URL the job goes to an RQ queue in the real Redis, and a worker (here one in burst mode,
    in this process) runs it."""
    _redis_or_skip()
    from learnapp import create_app
    from tests.conftest import base_config

    app = create_app(base_config(database_url, tmp_path) | {"JOBS_BACKEND": "rq", "REDIS_URL": REDIS_URL})
    with app.app_context():
        runner = runner_of(app)
        assert isinstance(runner, RQRunner)
        runner.queue.empty()
        user = make_user()
        user_id = user.id
        with transaction():
            job_id = enqueue("test-rename", user, {"name": "丽丽"}, now=T0).id
        assert runner.queue.count == 1
        assert _job(job_id).status == "queued"
        runner.work(burst=True)  # runs in this thread, and ends its database session as a worker does
        assert _job(job_id).status == "done"
        assert db.session.get(User, user_id).display_name == "丽丽"
        db.session.remove()
        db.engine.dispose()
