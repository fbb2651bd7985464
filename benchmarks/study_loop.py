"""The study hot path: "answer the current card and fetch the next".

1. Service level: a learner with N cards (most in review, a backlog due today), answers timed one by one
   with perf_counter on a fixed, advancing clock; median and 90th percentile in microseconds.
2. HTTP: the same database served by gunicorn with 2 workers; client threads log in, then answer cards
   through the htmx endpoint as fast as they can for a fixed time. The trivial /healthz endpoint is
   measured on the same server in the same run, as the baseline.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
HTTP_USERS = 4


def _deck_toml(entries: int) -> str:
    parts = ['[deck]\nslug = "bench"\ntitle = "Benchmark deck"\ncard_kinds = ["recognize", "recall"]\n']
    for number in range(entries):
        parts.append(
            f'[[entries]]\nid = "e{number}"\nheadword = "词"\npinyin = "cí"\nmeaning = "word {number}"\n'
        )
    return "\n".join(parts)


def _build(database: Path, cards: int) -> None:
    """Migrate, load a deck of `cards` cards and enroll learners with a realistic spread of states."""
    from flask_migrate import upgrade

    from learnapp import create_app
    from learnapp.auth.service import register
    from learnapp.content.deckfile import parse_deck_text
    from learnapp.content.loader import load_deck
    from learnapp.decks.service import enroll
    from learnapp.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        load_deck(parse_deck_text(_deck_toml(cards // 2), "bench.toml"), START)
        db.session.commit()
        # bench0: the default limits (20 new, 200 reviews a day); bench1..: a review limit of 10,000, so a
        # whole backlog is worked through (and counted) in one day.
        for index in range(1 + HTTP_USERS):
            user = register(f"bench{index}", f"bench{index}@example.com", "bench password", "UTC", START)
            if index:
                user.reviews_per_day = 10_000
            db.session.commit()
            enroll(user, "bench", START)
        # (Timestamps in SQLAlchemy's own SQLite format, so they compare like the app's.)
        # 80% of cards in review: stability 10 days, due spread over the past week and the next 60 days,
        # so a few thousand are due today (a backlog) and the rest later.
        db.session.execute(
            text(
                "UPDATE card_states SET state='review', stability=10.0, difficulty=5.0, reps=3, "
                "last_review=:last, due=strftime('%Y-%m-%d %H:%M:%S.000000', :start, "
                "printf('%+d hours', (card_id * 7919) % 1600 - 160)) "
                "WHERE card_id % 5 <> 0"
            ),
            {"last": (START - timedelta(days=10)).replace(tzinfo=None), "start": START.replace(tzinfo=None)},
        )
        db.session.commit()
        db.engine.dispose()


def _service_level(database: Path, answers: int, user_id: int) -> tuple[float, float, int]:
    from learnapp import create_app
    from learnapp.extensions import db
    from learnapp.models import User
    from learnapp.srs import Rating
    from learnapp.study import service

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "SECRET_KEY": "bench"})
    timings = []
    with app.app_context():
        user = db.session.get(User, user_id)
        now = START
        view = service.today(user, now)
        ratings = (Rating.GOOD, Rating.GOOD, Rating.HARD, Rating.AGAIN, Rating.EASY)
        for number in range(answers + 50):
            if view.card is None:
                break
            now += timedelta(seconds=2)
            started = time.perf_counter_ns()
            view = service.answer(user, view.card.id, ratings[number % 5], view.version, now)
            elapsed = time.perf_counter_ns() - started
            if number >= 50:  # warm-up excluded
                timings.append(elapsed / 1000)
        db.engine.dispose()
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.9)], len(timings)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Client:
    """A logged-in browser-like client over http.client (cookie jar of one cookie)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookie = ""

    def request(
        self, method: str, path: str, body: dict | None = None, htmx: bool = False
    ) -> tuple[int, str, dict]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if htmx:
            headers["HX-Request"] = "true"
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        payload = response.read().decode()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("session="):
                self.cookie = value.split(";", 1)[0]
        connection.close()
        return response.status, payload, dict(response.getheaders())

    def login(self, username: str) -> None:
        _, page, _ = self.request("GET", "/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        status, _, _ = self.request(
            "POST", "/login", {"login": username, "password": "bench password", "csrf_token": token}
        )
        assert status == 303, status


def _card_form(html: str) -> dict:
    version = re.search(r'name="version" value="(\d+)"', html)
    return {
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', html).group(1),
        "card_id": re.search(r'data-card-id="(\d+)"', html).group(1),
        "version": version.group(1) if version else "",
    }


def _http(database: Path, seconds: float) -> tuple[float, float]:
    port = _free_port()
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "bench",
        "AUTH_RATE_LIMIT": "1000 per minute",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--preload",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "learnapp.wsgi:app",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if _Client(port).request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

        def hammer(work) -> float:
            counts = [0] * HTTP_USERS
            stop = time.monotonic() + seconds

            def loop(index: int) -> None:
                state = work(index, None)
                while time.monotonic() < stop:
                    state = work(index, state)
                    counts[index] += 1

            threads = [threading.Thread(target=loop, args=(i,)) for i in range(HTTP_USERS)]
            started = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            return sum(counts) / (time.monotonic() - started)

        clients = [_Client(port) for _ in range(HTTP_USERS)]
        for index, client in enumerate(clients):
            client.login(f"bench{index + 1}")  # the 10,000-review learners: the queue never runs dry

        def health(index, state):
            clients[index].request("GET", "/healthz")
            return None

        def review(index, state):
            client = clients[index]
            if state is None:
                return _card_form(client.request("GET", "/study?side=back")[1])
            status, html, _ = client.request("POST", "/study/answer", state | {"rating": "3"}, htmx=True)
            assert status == 200, status
            next_card = _card_form(html)["card_id"]
            return _card_form(client.request("GET", f"/study?card={next_card}&side=back", htmx=True)[1])

        baseline = hammer(health)
        answers = hammer(review)
        return baseline, answers
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)


def run(cards: int, answers: int, seconds: float) -> list[tuple[str, str]]:
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "bench.sqlite3"
        started = time.perf_counter()
        _build(database, cards)
        build_seconds = time.perf_counter() - started
        median, p90, timed = _service_level(database, answers, user_id=1)
        stress_median, stress_p90, stress_timed = _service_level(database, answers, user_id=2)
        baseline, answer_rate = _http(database, seconds)
    return [
        ("setup: deck load + enroll of learners", f"{cards:,} cards each, {build_seconds:.1f} s"),
        (
            "service: answer + next, default limits (median)",
            f"{median:,.0f} µs over {timed} answers (target < 1,000 µs)",
        ),
        ("service: answer + next, default limits (p90)", f"{p90:,.0f} µs"),
        (
            "service: answer + next, 10,000 reviews/day (median)",
            f"{stress_median:,.0f} µs over {stress_timed} answers",
        ),
        ("service: answer + next, 10,000 reviews/day (p90)", f"{stress_p90:,.0f} µs"),
        ("HTTP gunicorn 2 workers: /healthz", f"{baseline:,.0f} requests/s ({HTTP_USERS} clients)"),
        (
            "HTTP gunicorn 2 workers: review loop",
            f"{answer_rate:,.0f} answers/s (answer + show answer of next)",
        ),
    ]
