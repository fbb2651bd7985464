"""Where jobs run: RQ on Redis (REDIS_URL set: any process of any host may run them, `flask jobs worker`),
or threads in the app's own process (the embedded default: nothing else to start)."""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

from flask import Flask, current_app

from learnapp.jobs import service

if TYPE_CHECKING:
    from rq import SimpleWorker

QUEUE = "huanying"
JOB_TIMEOUT_S = 600


class ThreadRunner:
    """Jobs on a small pool of threads in this process, each with its own app context. The pool starts on
    the first job, so a gunicorn master that preloads the app forks before any thread exists."""

    def __init__(self, app: Flask, workers: int = 1) -> None:
        self.app = app
        self.workers = workers
        self._executor: ThreadPoolExecutor | None = None
        self._futures: set[Future[None]] = set()
        self._lock = threading.Lock()

    def __call__(self, job_id: int) -> None:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(self.workers, thread_name_prefix="job")
            future = self._executor.submit(self._run, job_id)
            self._futures.add(future)
            future.add_done_callback(self._futures.discard)

    def _run(self, job_id: int) -> None:
        with self.app.app_context():
            service.run(job_id)

    def drain(self) -> None:
        """Wait until every job handed to this runner has finished (tests; a clean shutdown)."""
        while True:
            with self._lock:
                futures = list(self._futures)
            if not futures:
                return
            for future in futures:
                future.result()


class RQRunner:
    """Jobs on an RQ queue in Redis; `flask jobs worker` (any number, on any host) runs them."""

    def __init__(self, redis_url: str) -> None:
        from redis import Redis
        from rq import Queue

        self.connection = Redis.from_url(redis_url)
        self.queue = Queue(QUEUE, connection=self.connection)

    def __call__(self, job_id: int) -> None:
        self.queue.enqueue(run_job, job_id, job_timeout=JOB_TIMEOUT_S, result_ttl=0, failure_ttl=86400)

    def work(self, burst: bool = False) -> None:
        """Run jobs in this process (with the current app context) until stopped, or until the queue is
        empty with `burst`."""
        _worker_class()([self.queue], connection=self.connection).work(burst=burst, with_scheduler=False)


def _worker_class() -> type[SimpleWorker]:
    """RQ's SimpleWorker, with its control channel (the `rq` command's stop and kill messages) polled every
    second: RQ polls it every 60 s, and a stopping worker waits that long for the poll to end."""
    from rq import SimpleWorker

    class Worker(SimpleWorker):
        def subscribe(self) -> None:
            self.pubsub = self.connection.pubsub()
            self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
            self.pubsub_thread = self.pubsub.run_in_thread(  # type: ignore[assignment]  # rq types it None
                sleep_time=1, daemon=True, exception_handler=self._pubsub_exception_handler
            )

    return Worker


def run_job(job_id: int) -> None:
    """RQ's entry point: run the job in the worker's app context."""
    current_app.extensions["jobs_runner"]
    service.run(job_id)


def install(app: Flask) -> None:
    """Pick the runner from the settings and hand it the job ids of committed transactions."""
    backend = app.config["JOBS_BACKEND"]
    runner: ThreadRunner | RQRunner
    if backend == "rq":
        runner = RQRunner(app.config["REDIS_URL"])
    else:
        runner = ThreadRunner(app, workers=int(app.config["JOBS_THREADS"]))
    app.extensions["jobs_runner"] = runner


def runner_of(app: Flask) -> ThreadRunner | RQRunner:
    runner: ThreadRunner | RQRunner = app.extensions["jobs_runner"]
    return runner
