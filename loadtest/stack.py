"""The deployment on one machine: a database made ready, two app servers (gunicorn) behind nginx.

- `prepare_database()`: the real migrations and `flask decks load` (every shipped deck, or the starter
  decks for the short profiles) on a SQLite file in the run's folder, or on a PostgreSQL database whose
  public schema is dropped first (never point it at a database you keep).
- `Stack`: gunicorn `--preload -w N learnapp.wsgi:app` twice, on two free ports, and nginx on a third,
  with its own configuration, temporary folders and logs in the run's folder (`nginx.conf` there is the
  file the README shows). Every process is in its own process group and is stopped on the way out,
  whatever happens (SIGTERM, then SIGKILL; on Linux also if this process dies).
- For the soak: `kill_worker()` and `kill_server()` send SIGKILL to one worker, or to a whole app server
  (master and workers), and `restart()` brings it back on its port.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 120.0
STARTER_DECKS = (
    "rednote-starter",
    "internet-slang",
    "emoji-decoded",
    "customs-etiquette",
    "mandarin-first-words",
    "rednote-platform",
)


class StackError(RuntimeError):
    """A piece of the deployment did not start or did not answer."""


def free_ports(count: int) -> list[int]:
    """`count` ports on 127.0.0.1 that nothing listens on (the kernel's picks, released together)."""
    sockets = []
    try:
        for _ in range(count):
            probe = socket.socket()
            probe.bind(("127.0.0.1", 0))
            sockets.append(probe)
        return [probe.getsockname()[1] for probe in sockets]
    finally:
        for probe in sockets:
            probe.close()


def describe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _die_with_parent() -> None:  # pragma: no cover (runs in the child before exec)
    """Linux: SIGTERM to the child if this process dies (even by SIGKILL)."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def app_environment(database_url: str, redis_url: str | None, secret_key: str, folder: Path) -> dict:
    """What every app process gets: the same database, Redis and SECRET_KEY (so any process serves any
    learner), the proxy trusted for the client's address, and a rate limit on login and sign-up that the
    simulated learners, all arriving from 127.0.0.1, do not hit."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("REDIS_URL", "TEST_DATABASE_URL", "DATABASE_URL", "JOBS_BACKEND")
    }
    env |= {
        "DATABASE_URL": database_url,
        "SECRET_KEY": secret_key,
        "AUTH_RATE_LIMIT": "100000 per minute",
        "TRUSTED_PROXIES": "1",
        "SHARE_IMAGE_DIR": str(folder / "share-images"),
        "PYTHONUNBUFFERED": "1",
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def prepare_database(kind: str, folder: Path, postgres_url: str | None, decks: str) -> str:
    """A migrated database with the decks loaded; returns its URL."""
    if kind == "sqlite":
        url = f"sqlite:///{folder / 'huanying.sqlite3'}"
    else:
        if not postgres_url:
            raise StackError("PostgreSQL needs LOADTEST_DATABASE_URL (a database whose schema is dropped)")
        url = postgres_url
        _reset_postgres(url)
    deck_dir = ROOT / "decks"
    if decks == "starter":
        deck_dir = folder / "decks"
        deck_dir.mkdir(exist_ok=True)
        for slug in STARTER_DECKS:
            shutil.copy(ROOT / "decks" / f"{slug}.toml", deck_dir)
    # What `flask db upgrade` and `flask decks load` do, in this process (one start-up instead of two).
    from flask_migrate import upgrade

    from learnapp import create_app
    from learnapp.decks.loader import load_directory
    from learnapp.extensions import db
    from learnapp.models import utcnow

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WARM_DICTIONARIES": False, "SECRET_KEY": "prepare"})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        report = load_directory(deck_dir, utcnow())
        db.session.remove()
        db.engine.dispose()
    if report.failed:
        raise StackError("decks rejected:\n" + "\n".join(str(error) for error in report.failed))
    return url


def _reset_postgres(url: str) -> None:
    """Create the database if it is missing, then drop and recreate its public schema."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
        ).scalar()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def _stop(process: subprocess.Popen | None, first: int = signal.SIGTERM) -> None:
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, first)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)
    except ProcessLookupError:
        process.wait(timeout=15)


def _get(url: str, timeout: float = 2.0) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except OSError:
        return 0


@dataclass
class AppServer:
    """One app server: gunicorn's master and its workers on one port."""

    name: str
    port: int
    workers: int
    env: dict
    log: Path
    process: subprocess.Popen | None = None
    restarts: int = 0

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--preload",
            "--workers",
            str(self.workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout",
            "30",
            "--graceful-timeout",
            "5",
            "--no-control-socket",
            "--log-level",
            "warning",
            "learnapp.wsgi:app",
        ]
        with self.log.open("a") as output:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )

    def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise StackError(f"{self.name} exited before serving:\n{self.log_tail()}")
            if (
                len(self.worker_pids()) >= self.workers
                and _get(f"http://127.0.0.1:{self.port}/healthz") == 200
            ):
                return
            time.sleep(0.2)
        raise StackError(f"{self.name} did not serve within {timeout:.0f} s:\n{self.log_tail()}")

    def worker_pids(self) -> list[int]:
        return _children(self.process.pid) if self.process else []

    def kill_worker(self, rng) -> int | None:
        """SIGKILL one worker (its master starts another); the pid killed."""
        workers = self.worker_pids()
        if not workers:
            return None
        victim = rng.choice(workers)
        try:
            os.kill(victim, signal.SIGKILL)
        except ProcessLookupError:
            return None
        return victim

    def kill(self) -> None:
        """SIGKILL the master and its workers at once (a crashed host, an OOM kill)."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)

    def restart(self) -> None:
        self.restarts += 1
        self.start()

    def stop(self) -> None:
        _stop(self.process)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


NGINX_CONF = """\
# nginx in front of the app servers (written by loadtest/stack.py; the README explains each line).
worker_processes auto;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
daemon off;
{user}
events {{ worker_connections 4096; }}

http {{
    access_log off;
    client_body_temp_path {folder}/nginx-tmp/body;
    proxy_temp_path {folder}/nginx-tmp/proxy;
    fastcgi_temp_path {folder}/nginx-tmp/fastcgi;
    uwsgi_temp_path {folder}/nginx-tmp/uwsgi;
    scgi_temp_path {folder}/nginx-tmp/scgi;
    client_max_body_size 2m;          # the app's MAX_CONTENT_LENGTH

    upstream learnapp {{
        # Every app server is interchangeable: any of them serves any learner.
{servers}
    }}

    server {{
        listen 127.0.0.1:{port};

        location / {{
            proxy_pass http://learnapp;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
            # A server that refuses the connection (down, restarting) is skipped for the next one;
            # a request already sent (a POST) is never sent twice by the proxy.
            proxy_next_upstream error timeout http_502;
            proxy_next_upstream_tries 2;
        }}

        # No app server answered: a page of our own, with Retry-After (the status stays 502/504).
        error_page 502 504 /proxy-unavailable.html;
        location = /proxy-unavailable.html {{
            internal;
            root {folder}/nginx-pages;
            add_header Retry-After 5 always;
            add_header Cache-Control no-store always;
        }}
    }}
}}
"""

UNAVAILABLE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Back in a moment · Huanying</title></head>
<body><main><h1>Back in a moment</h1>
<p>Huanying is restarting. Nothing you sent was saved twice; wait a few seconds and try again.</p>
<p><a href="/">Go home</a></p></main></body></html>
"""


@dataclass
class Proxy:
    port: int
    folder: Path
    servers: list[AppServer]
    process: subprocess.Popen | None = None

    def write_config(self) -> Path:
        for sub in ("nginx-tmp", "nginx-pages"):
            (self.folder / sub).mkdir(exist_ok=True)
        (self.folder / "nginx-pages" / "proxy-unavailable.html").write_text(UNAVAILABLE_PAGE)
        servers = "\n".join(
            f"        server 127.0.0.1:{server.port} max_fails=1 fail_timeout=2s;" for server in self.servers
        )
        user = ""
        if os.geteuid() == 0:  # nginx's workers drop root: let them reach, read and write the run's folder
            user = "user nobody nogroup;"
            for path in (self.folder / "nginx-tmp", self.folder / "nginx-pages"):
                path.chmod(0o777)
            top = Path(tempfile.gettempdir())
            for path in (self.folder, *self.folder.parents):
                if path == top or path == Path("/"):
                    break
                path.chmod(path.stat().st_mode | 0o755)
        config = self.folder / "nginx.conf"
        config.write_text(NGINX_CONF.format(folder=self.folder, user=user, servers=servers, port=self.port))
        return config

    def start(self) -> None:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(nginx).exists():
            raise StackError("nginx is not installed (make nginx installs Debian's package)")
        config = self.write_config()
        log = (self.folder / "nginx-stdout.log").open("w")
        self.process = subprocess.Popen(
            [nginx, "-c", str(config), "-p", str(self.folder)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        log.close()
        deadline = time.monotonic() + 20
        while _get(f"http://127.0.0.1:{self.port}/healthz") != 200:
            if self.process.poll() is not None or time.monotonic() > deadline:
                error = (self.folder / "nginx-error.log").read_text(errors="replace")[-2000:]
                raise StackError(f"nginx did not start:\n{error}")
            time.sleep(0.1)

    def stop(self) -> None:
        _stop(self.process, signal.SIGQUIT)


@dataclass
class Stack:
    """Two app servers behind nginx, on one database (and Redis for PostgreSQL runs)."""

    folder: Path
    database_url: str
    redis_url: str | None
    workers: int = 2
    servers: list[AppServer] = field(default_factory=list)
    proxy: Proxy | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.proxy.port}"

    def __enter__(self) -> Stack:
        import secrets

        env = app_environment(self.database_url, self.redis_url, secrets.token_hex(32), self.folder)
        proxy_port, *ports = free_ports(3)
        self.servers = [
            AppServer(f"app{number}", port, self.workers, env, self.folder / f"app{number}.log")
            for number, port in enumerate(ports, start=1)
        ]
        self.proxy = Proxy(proxy_port, self.folder, self.servers)
        try:
            for server in self.servers:  # from this thread: PR_SET_PDEATHSIG follows the starting thread
                server.start()
            for server in self.servers:
                server.wait_ready()
            self.proxy.start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *_exc) -> None:
        if self.proxy is not None:
            self.proxy.stop()
        for server in self.servers:
            server.stop()


class LoadSampler:
    """The machine's 1-minute load average, sampled every 2 s while a run goes on."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(2.0):
            self.samples.append(os.getloadavg()[0])

    def __enter__(self) -> LoadSampler:
        self.samples.append(os.getloadavg()[0])
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append(os.getloadavg()[0])

    @property
    def mean(self) -> float:
        return sum(self.samples) / len(self.samples) if self.samples else 0.0

    @property
    def peak(self) -> float:
        return max(self.samples, default=0.0)
