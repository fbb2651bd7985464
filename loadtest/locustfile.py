"""Simulated learners for Locust: they sign up or log in, enroll, study with think time, search the wiki,
open their stats, through the real pages.

Nothing is hard-coded but the addresses a person would type or click first: every form is read from the
page (CSRF token, card id, version, shown_at, session) with `loadtest.html`, and the study loop follows
what the page offers: a grade form when the card's back is already there (the answer's response may carry
the next card with its back), else the "show answer" link (htmx or plain), else a typed-pinyin or tone
box to check first. Each learner uses htmx (HX-Request, fragments) or plain forms (303 then GET) for a
whole session, as a browser with or without JavaScript would.

Settings come from the environment (`loadtest.run` sets them):
- LOADTEST_PROFILE: `learners` (the load test's mix) or `soak` (returning learners who only study);
- LOADTEST_THINK: think-time multiplier (1.0: a few seconds per card; the soak uses much less);
- LOADTEST_ACCOUNTS: a file of seeded usernames (one a line) for returning learners to log in as;
- LOADTEST_PASSWORD: their password;
- LOADTEST_OUT: a folder where `answers.jsonl` (every answer the server accepted: user, card, version)
  and `statuses.json` (every response by page and status, connection errors as status 0) are written.

A connection error, 502, 503 or 504 is retried like a person would (after Retry-After, at most a few
seconds): the version check makes a repeated answer apply nothing. Every attempt is counted.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections import Counter
from contextlib import suppress
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlencode, urlsplit

from locust import FastHttpUser, between, events, task
from locust.exception import StopUser

from loadtest.html import Form, Page, read

PROFILE = os.environ.get("LOADTEST_PROFILE", "learners")
THINK = float(os.environ.get("LOADTEST_THINK", "1.0"))
PASSWORD = os.environ.get("LOADTEST_PASSWORD", "load test password")
OUT = Path(os.environ["LOADTEST_OUT"]) if os.environ.get("LOADTEST_OUT") else None
RETRIED = {0, 502, 503, 504}
MAX_ATTEMPTS = 20
# What learners type into the wiki's search box (hanzi, pinyin with and without tones, English).
SEARCHES = ("xiexie", "谢谢", "zhongcao", "种草", "yyds", "thank you", "red envelope", "ni3 hao3", "doge")
NAMES = ("Alex", "Maria", "Jean", "Priyanka", "Sam", "Chloe", "Diego", "Hannah", "Kenji", "Olu")
TYPED = ("ni3 hao3", "xie4 xie5", "zhong4 cao3", "hao3", "ma")

ANSWERS: list[dict] = []  # answers the server accepted (the soak's consistency check reads them)
STATUSES: Counter = Counter()  # (page, status) -> responses
_accounts: list[str] = []


def _load_accounts() -> None:
    path = os.environ.get("LOADTEST_ACCOUNTS")
    if path and Path(path).exists():
        _accounts.extend(line.strip() for line in Path(path).read_text().splitlines() if line.strip())
        random.Random(7).shuffle(_accounts)


_load_accounts()


@events.request.add_listener
def _count(request_type, name, response, exception, **_kw) -> None:
    status = getattr(response, "status_code", 0) or 0
    STATUSES[(name, int(status) if not exception or status else 0)] += 1


@events.quitting.add_listener
def _write(environment, **_kw) -> None:
    if OUT is None:
        return
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "answers.jsonl").open("w") as out:
        for answer in ANSWERS:
            out.write(json.dumps(answer) + "\n")
    counts = [{"name": name, "status": code, "count": count} for (name, code), count in STATUSES.items()]
    (OUT / "statuses.json").write_text(json.dumps(counts))


def label(path: str) -> str:
    """A page's name in the figures: ids and slugs folded, the query kept only where it makes the page."""
    parts = urlsplit(path)
    segments = parts.path.strip("/").split("/")
    if segments[0] == "decks" and len(segments) == 2:
        name = "/decks/<slug>"
    elif segments[0] == "wiki" and len(segments) == 3:
        name = "/wiki/<deck>/<entry>"
    else:
        name = parts.path
    if "side=back" in parts.query:
        name += "?side=back"
    elif parts.path == "/wiki" and "q=" in parts.query:
        name += "?q"
    elif parts.path == "/welcome/nickname" and "name=" in parts.query:
        name += "?name"
    return name


def think(low: float, high: float) -> None:
    time.sleep(random.uniform(low, high) * THINK)


class Refused(Exception):
    """The app answered something a learner would not expect (counted as a failure already)."""


class Learner(FastHttpUser):
    """A learner in one browser: a cookie jar, htmx on or off for each study session."""

    abstract = True
    wait_time = between(1.0 * THINK, 4.0 * THINK)
    username: str = ""
    last_ms: float = 0.0  # the response time of the latest accepted request

    # ---- HTTP -------------------------------------------------------------------------------------------

    def send(
        self,
        method: str,
        path: str,
        name: str,
        expect: tuple[int, ...] = (200,),
        form: dict | None = None,
        htmx: bool = False,
        target: str = "main",
        current: str = "/",
    ):
        """One request (retried after a connection error, 502, 503 or 504); the response, or Refused."""
        headers = {"Accept": "text/html"}
        if htmx:
            headers |= {"HX-Request": "true", "HX-Target": target, "HX-Current-URL": self.host + current}
        body = None
        if form is not None:
            body = urlencode(form, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for _attempt in range(MAX_ATTEMPTS):
            request = self.client.request(
                method,
                path,
                name=name,
                data=body,
                headers=headers,
                catch_response=True,
                allow_redirects=False,
            )
            with request as response:
                status = response.status_code or 0
                if status in expect:
                    response.success()
                    self.last_ms = response.request_meta["response_time"]
                    return response
                response.failure(f"status {status}" + (f": {response.text[:120]!r}" if status else ""))
                if status not in RETRIED:
                    raise Refused(f"{name}: {status}")
                retry_after = response.headers.get("Retry-After") if status else None
            wait = min(float(retry_after), 5.0) if retry_after and retry_after.isdigit() else 0.5
            time.sleep(wait * random.uniform(0.5, 1.0))
        raise Refused(f"{name}: gave up after {MAX_ATTEMPTS} attempts")

    def page(self, path: str, name: str | None = None, htmx=False, target="main", current="/") -> Page:
        name = name or "GET " + label(path) + (" (htmx)" if htmx else "")
        response = self.send("GET", path, name, htmx=htmx, target=target, current=current)
        return read(response.text, current if htmx else path)

    def follow(self, response) -> Page:
        """Follow 303s as a browser does, to the page they lead to."""
        for _hop in range(5):
            location = response.headers.get("Location") or response.headers.get("location") or "/"
            parts = urlsplit(location)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            response = self.send("GET", path, "GET " + label(path), expect=(200, 303))
            if response.status_code == 200:
                return read(response.text, path)
        raise Refused(f"too many redirects from {location}")

    def submit(self, form: Form, name: str, expect=(303,), button=None, htmx=False, current="/", **changes):
        data = form.data(button, **changes)
        action = form.hx_post if htmx and form.hx_post else form.action
        return self.send("POST", action, name, expect=expect, form=data, htmx=htmx, current=current)

    # ---- arriving ---------------------------------------------------------------------------------------

    def sign_up(self) -> None:
        """Sign up, then the welcome: a nickname (or skip it), topics and a daily goal."""
        self.username = f"lt{random.getrandbits(48):012x}"
        form = self.page("/signup").form(action="/signup")
        data = {"username": self.username, "email": f"{self.username}@example.com", "password": PASSWORD}
        think(5, 15)
        nickname = self.follow(self.submit(form, "POST /signup", timezone="Asia/Shanghai", **data))
        if random.random() < 0.5:
            # Ask for suggestions (htmx swaps them in), then take one.
            query = urlencode(nickname.form(cls="name-form").data(name=random.choice(NAMES)))
            think(2, 5)
            step = self.page(
                f"/welcome/nickname?{query}", htmx=True, target="name-step", current="/welcome/nickname"
            )
            suggestions = step.form(cls="suggestion-list")
            think(2, 6)
            chosen = random.choice(suggestions.buttons)
            goals = self.follow(self.submit(suggestions, "POST /welcome/nickname", button=chosen))
        else:
            skip = nickname.form(action="/welcome/skip")
            goals = self.follow(self.submit(skip, "POST /welcome/skip", button=skip.button(value="goals")))
        form = goals.form(action="/welcome/goals")
        topics = form.options["topics"]
        think(2, 6)
        started = self.submit(
            form, "POST /welcome/goals", topics=random.sample(topics, k=random.randint(1, len(topics))),
            goal=random.choice(form.options["goal"]),
        )  # fmt: skip
        self.follow(started)

    def log_in(self, username: str) -> None:
        self.username = username
        form = self.page("/login").form(action="/login")
        think(2, 5)
        self.follow(self.submit(form, "POST /login", login=username, password=PASSWORD))

    # ---- studying ---------------------------------------------------------------------------------------

    def study(
        self, cards: int, think_front=(2.0, 6.0), think_back=(1.0, 3.0), htmx: bool | None = None
    ) -> int:
        """Open the study page and answer up to `cards` cards (htmx 7 times in 10 unless `htmx` says);
        returns how many were answered."""
        htmx = random.random() < 0.7 if htmx is None else htmx
        page = self.page("/study")
        answered = 0
        while answered < cards and page.data_card_id:
            think(*think_front)
            grades = self.back_of(page, htmx)
            think(*think_back)
            page = self.grade(grades, htmx)
            answered += 1
        return answered

    def back_of(self, page: Page, htmx: bool) -> Form:
        """The grade form of the card on `page`. When the card came with its back (hidden until "Show
        answer"), a browser with JavaScript reveals it without a request; without JavaScript the hidden
        part stays hidden and the learner follows the link to the back."""
        grades = page.form(cls="grades")
        if grades is not None and (htmx or page.data_side != "front"):
            return grades
        grades = self.turn(page, htmx).form(cls="grades")
        if grades is None:
            raise Refused(f"card {page.data_card_id}: no grade buttons on its back")
        return grades

    def turn(self, page: Page, htmx: bool) -> Page:
        """From a card's front to its back: check a typed answer or a tone drill, else show the answer."""
        box = page.form(cls="answer-form")
        if box is not None and random.random() < 0.5:
            changes = {}
            if "typed" in {name for name, _ in box.fields}:
                changes["typed"] = random.choice(TYPED)
            for name, values in box.options.items():
                changes[name] = random.choice(values)
            response = self.submit(
                box, "POST /study/check" + (" (htmx)" if htmx else ""), expect=(200,), htmx=htmx,
                current="/study", **changes,
            )  # fmt: skip
            return read(response.text, "/study")
        link = page.link(cls="show-answer") or page.link(cls="show-answer-plain")
        if link is None:
            raise Refused(f"card {page.data_card_id}: neither a back nor a way to show it")
        if htmx and link.hx_get:
            return self.page(link.hx_get, htmx=True, target="study-card", current="/study")
        return self.page(link.href)

    def grade(self, grades: Form, htmx: bool) -> Page:
        """Press a grade (Good mostly); the next card comes back (htmx) or after a 303 (plain)."""
        rating = random.choices(("1", "2", "3", "4"), weights=(10, 10, 70, 10))[0]
        button = grades.button("rating", rating) or grades.buttons[0]
        answer = {"card_id": grades.value("card_id"), "version": grades.value("version")}
        if htmx:
            response = self.submit(
                grades, "POST /study/answer (htmx)", expect=(200,), button=button, htmx=True, current="/study"
            )
            self.record(answer, rating)
            return read(response.text, "/study")
        response = self.submit(grades, "POST /study/answer", expect=(303,), button=button, current="/study")
        self.record(answer, rating)
        return self.follow(response)

    def record(self, answer: dict, rating: str) -> None:
        """An answer the server accepted: the soak checks it has exactly one review-log row."""
        ANSWERS.append(
            answer | {"user": self.username, "rating": int(rating), "at": time.time(), "ms": self.last_ms}
        )


class NewLearner(Learner):
    """Signs up, goes through the welcome, then studies, reads the wiki, looks at stats and decks."""

    weight = 1

    def on_start(self) -> None:
        try:
            self.sign_up()
        except Refused as error:
            raise StopUser() from error
        self.tour()

    def tour(self) -> None:
        """LOADTEST_TOUR=1 (the short profile in make test): every page once before the random mix, a study
        session with htmx and one without."""
        if os.environ.get("LOADTEST_TOUR") != "1":
            return
        with suppress(Refused):
            self.study(2, htmx=True)
            self.study(2, htmx=False)
        self.search_wiki()
        self.open_stats()
        self.dashboard()
        self.browse_decks()

    @task(8)
    def study_session(self) -> None:
        with suppress(Refused):  # counted as a failure already; the learner goes on
            self.study(random.randint(5, 15))

    @task(3)
    def search_wiki(self) -> None:
        """The wiki: results as the learner types (htmx), then one entry."""
        with suppress(Refused):  # counted as a failure already; the learner goes on
            self.page("/wiki")
            word = random.choice(SEARCHES)
            results = None
            for end in sorted({max(1, len(word) // 2), len(word)}):
                think(0.3, 1.0)
                query = "/wiki?" + urlencode({"q": word[:end]})
                results = self.page(query, htmx=True, target="wiki-results", current="/wiki")
            entries = [link for link in results.links if link.href.startswith("/wiki/")]
            if entries:
                think(1, 3)
                self.page(random.choice(entries).href)

    @task(1)
    def open_stats(self) -> None:
        with suppress(Refused):  # counted as a failure already; the learner goes on
            self.page("/stats")

    @task(1)
    def dashboard(self) -> None:
        with suppress(Refused):  # counted as a failure already; the learner goes on
            self.page("/")

    @task(1)
    def browse_decks(self) -> None:
        """The catalogue, a deck's page, and now and then enroll in a deck of the first levels."""
        with suppress(Refused):  # counted as a failure already; the learner goes on
            catalogue = self.page("/decks")
            decks = [link.href for link in catalogue.links if label(link.href) == "/decks/<slug>"]
            if not decks:
                return
            think(1, 3)
            deck = self.page(random.choice(decks))
            enroll = deck.form(action="/decks/")
            big = enroll is not None and any(f"/hsk-{n}/" in enroll.action for n in (4, 5, 6))
            if enroll and enroll.action.endswith("/enroll") and not big and random.random() < 0.2:
                response = self.submit(enroll, "POST /decks/<slug>/enroll", expect=(200, 303))
                if response.status_code == 200:  # a deck whose prerequisites are unseen asks first
                    sure = read(response.text, enroll.action).form(action=enroll.action)
                    if sure is None:
                        raise Refused(f"{enroll.action}: neither enrolled nor asked to confirm")
                    response = self.submit(sure, "POST /decks/<slug>/enroll (confirmed)")
                self.follow(response)


class ReturningLearner(NewLearner):
    """Logs in to a seeded account with a real backlog, then does what every learner does."""

    weight = 3

    def on_start(self) -> None:
        try:
            if _accounts:
                self.log_in(_accounts.pop())
            else:
                self.sign_up()
        except Refused as error:
            raise StopUser() from error
        self.tour()


class SoakLearner(Learner):
    """The soak: a returning learner who only studies, as fast as LOADTEST_THINK allows, with htmx or plain
    forms (chosen per learner). One task is one card, so the end of the run cuts few answers short."""

    weight = 1
    wait_time = between(0.0, 0.2 * THINK)
    current: Page | None = None

    def on_start(self) -> None:
        if not _accounts:
            raise StopUser()
        self.htmx = random.random() < 0.7
        try:
            self.log_in(_accounts.pop())
        except Refused as error:
            raise StopUser() from error

    @task
    def one_card(self) -> None:
        """Read the front, turn the card (or not: its back may have come with it), grade it."""
        with suppress(Refused):
            if self.current is None or not self.current.data_card_id:
                self.current = self.page("/study")
                if not self.current.data_card_id:
                    time.sleep(1.0)  # nothing due: come back later
                    return
            page = self.current
            self.current = None  # if anything fails, start again from the study page
            think(0.5, 1.5)
            grades = self.back_of(page, self.htmx)
            think(0.5, 1.5)
            self.current = self.grade(grades, self.htmx)


if PROFILE == "soak":
    NewLearner.abstract = ReturningLearner.abstract = True  # type: ignore[attr-defined]
else:
    SoakLearner.abstract = True  # type: ignore[attr-defined]


# ---- stages: several user counts in one run, each measured on its own --------------------------------

STAGES = [int(n) for n in os.environ.get("LOADTEST_STAGES", "").split(",") if n.strip()]
STAGE_SECONDS = float(os.environ.get("LOADTEST_STAGE_SECONDS", "60"))
SPAWN_RATE = float(os.environ.get("LOADTEST_SPAWN_RATE", "2"))


def _snapshot(stats, seconds: float, users: int, loads: list[float]) -> dict:
    """One stage's figures: per page and in all (milliseconds), with its responses by status."""

    def figures(entry) -> dict:
        return {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "per_second": entry.num_requests / seconds if seconds else 0.0,
            "p50": entry.get_response_time_percentile(0.50) if entry.num_requests else 0,
            "p95": entry.get_response_time_percentile(0.95) if entry.num_requests else 0,
            "p99": entry.get_response_time_percentile(0.99) if entry.num_requests else 0,
            "max": entry.max_response_time or 0,
        }

    pages = {name: figures(entry) for (name, _method), entry in sorted(stats.entries.items())}
    return {
        "users": users,
        "seconds": seconds,
        "pages": pages,
        "all": figures(stats.total),
        "statuses": [{"name": n, "status": s, "count": c} for (n, s), c in STATUSES.items()],
        "answers": len(ANSWERS),
        "load_mean": sum(loads) / len(loads) if loads else 0.0,
        "load_peak": max(loads, default=0.0),
    }


if STAGES:
    from locust import LoadTestShape

    class Stages(LoadTestShape):
        """LOADTEST_STAGES learners (e.g. 50,100,200). Each stage first brings the new learners in at
        LOADTEST_SPAWN_RATE a second (sign-ups and logins cost a scrypt hash each, on purpose), with the
        learners already there going on; then it holds the count for LOADTEST_STAGE_SECONDS. The arrival
        and the hold are measured apart: LOADTEST_OUT/stage-<n>.json has both."""

        stage = 0
        phase = "ramp"
        phase_started = 0.0
        ramp: ClassVar[dict] = {}
        loads: ClassVar[list[float]] = []  # the machine's 1-minute load average, once a second

        def tick(self):
            self.loads.append(os.getloadavg()[0])
            if self.stage >= len(STAGES):
                return None
            target = STAGES[self.stage]
            elapsed = self.get_run_time() - self.phase_started
            if self.phase == "ramp":
                arrived = self.runner.user_count >= target
                late = elapsed > 3 * target / SPAWN_RATE + 30  # never wait for ever
                if arrived or late:
                    self.ramp.clear()
                    self.ramp.update(self.measure(elapsed, target))
                    self.phase, self.phase_started = "hold", self.get_run_time()
            elif elapsed >= STAGE_SECONDS:
                if OUT is not None:
                    figures = self.measure(elapsed, target) | {"ramp": dict(self.ramp)}
                    (OUT / f"stage-{self.stage}.json").write_text(json.dumps(figures))
                self.stage += 1
                self.phase, self.phase_started = "ramp", self.get_run_time()
                if self.stage >= len(STAGES):
                    return None
            return STAGES[self.stage], SPAWN_RATE

        def measure(self, seconds: float, users: int) -> dict:
            """The figures since the last measure; the counters start again."""
            figures = _snapshot(self.runner.stats, seconds, users, self.loads)
            if OUT is not None:
                OUT.mkdir(parents=True, exist_ok=True)
            self.runner.stats.reset_all()
            self.loads.clear()
            STATUSES.clear()
            ANSWERS.clear()
            return figures
