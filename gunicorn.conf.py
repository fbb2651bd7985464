"""gunicorn's settings file, read from the checkout's top folder (gunicorn's default `./gunicorn.conf.py`;
elsewhere pass `-c /path/to/gunicorn.conf.py`). Command-line flags still choose workers, binds and the rest.

It preloads the app: `learnapp.wsgi` is imported once in the master, which loads CC-CEDICT, the reader's
index of it and the nickname tables and freezes them out of the garbage collector (`gc.freeze()`) before
the fork, so every worker shares those pages instead of loading its own copy.

It refuses to start several workers whose rate limits would each count on their own (`memory://`): every
limit would silently be multiplied by the number of workers. The default storage (the app's database, or
Redis with REDIS_URL) is shared by all of them.
"""

import os

from learnapp.config import several_workers_problem, storage_uri

preload_app = True


def on_starting(server):
    """Before the master starts: stop with the reason when the rate limits would not be shared."""
    problem = several_workers_problem(server.cfg.workers, storage_uri(os.environ))
    if problem:
        raise RuntimeError(problem)  # gunicorn prints "Error: <problem>" and exits with status 1
