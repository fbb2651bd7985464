"""Rate limits hold across gunicorn's workers: a real gunicorn with 2 workers (as production runs it, with the
checkout's gunicorn.conf.py) refuses the 11th sign-up from one address in a minute, whichever worker takes
it; and it refuses to start several workers whose counts would each be their own (`memory://`)."""

from __future__ import annotations

import http.cookiejar
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT, csrf_from

START_TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("REDIS_URL", "RATELIMIT_STORAGE_URI", "AUTH_RATE_LIMIT", "TEST_DATABASE_URL")
    }
    return (
        env
        | {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "rate-limit-test",
            "PYTHONPATH": str(ROOT),  # this checkout's learnapp, whatever is installed
            "PYTHONUNBUFFERED": "1",
        }
        | extra
    )


def start(database_url: str, port: int, log: Path, **extra: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "--workers", "2", "--preload", "--bind", f"127.0.0.1:{port}"]
    with log.open("w") as output:
        return subprocess.Popen(
            [*command, "--no-control-socket", "learnapp.wsgi:app"],
            cwd=ROOT,  # gunicorn reads ./gunicorn.conf.py
            env=gunicorn_env(database_url, **extra),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=20)


def workers_of(process: subprocess.Popen) -> int:
    children = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == process.pid:
                children += 1
    return children


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def browser():
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
    )


def fetch(opener, url: str, form: dict | None = None) -> tuple[int, str]:
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    try:
        with opener.open(url, data=data, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_until_serving(process: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        if workers_of(process) >= 2:
            try:
                if fetch(browser(), f"http://127.0.0.1:{port}/healthz")[0] == 200:
                    return
            except OSError:
                pass
        time.sleep(0.2)
    pytest.fail(f"gunicorn did not serve within {START_TIMEOUT} s:\n{log.read_text()[-3000:]}")


def sign_up(base: str, n: int) -> tuple[int, str]:
    """A new visitor (own cookies) fills in the sign-up form."""
    opener = browser()
    _, page = fetch(opener, f"{base}/signup")
    form = {
        "username": f"learner{n}",
        "email": f"learner{n}@example.com",
        "password": "correct horse",
        "timezone": "UTC",
        "csrf_token": csrf_from(page),
    }
    return fetch(opener, f"{base}/signup", form)


def test_two_workers_refuse_the_eleventh_sign_up_in_a_minute(database_url, tmp_path):
    port, log = free_port(), tmp_path / "gunicorn.log"
    process = start(database_url, port, log)
    try:
        wait_until_serving(process, port, log)
        results = [sign_up(f"http://127.0.0.1:{port}", n) for n in range(14)]
    finally:
        stop(process)
    statuses = [status for status, _ in results]
    assert statuses == [303] * 10 + [429] * 4, statuses
    assert "Too many attempts" in results[10][1]


def test_several_workers_with_per_process_counts_refuse_to_start(database_url, tmp_path):
    log = tmp_path / "gunicorn.log"
    process = start(database_url, free_port(), log, RATELIMIT_STORAGE_URI="memory://")
    try:
        process.wait(timeout=START_TIMEOUT)
    finally:
        stop(process)
    assert process.returncode == 1
    output = log.read_text()
    assert "Refusing to start 2 workers with RATELIMIT_STORAGE_URI=memory://" in output
    assert "every limit (logins, sign-ups) would be 2 times what it says" in output
