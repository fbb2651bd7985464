"""Work that outlives a request: a job row per piece of work, run by RQ on Redis when REDIS_URL is set,
else by a thread in the app's own process; progress and failures are shown to the user, who can retry."""

from learnapp.jobs.service import JobContext, enqueue, handler, own_job, retry

__all__ = ["JobContext", "enqueue", "handler", "own_job", "retry"]
