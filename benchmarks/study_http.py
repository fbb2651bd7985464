"""The study loop over HTTP: gunicorn with 2 workers, learners answering through the real pages.

`Gunicorn` runs `learnapp.wsgi:app` (--preload, 2 sync workers, the port chosen by the kernel) on a
prepared database and is stopped on the way out whatever happens (its own process group, SIGTERM then
SIGKILL; on Linux it also gets SIGTERM if this process dies). Each client thread has its own keep-alive
connection (http.client) and a ring of logged-in learners; when a learner's day runs out it goes on with
the next one, and between measurement windows the benchmark gives learners a fresh day (study_data.reset).

One "answer" is every request a learner makes for one card:
- htmx (the page as a browser runs it): the card comes with its answer and grade buttons (shown without a
  request), so one POST /study/answer, whose response is the next card with its answer again;
- plain forms (JavaScript off): GET the back as a page, POST /study/answer (303), GET /study (the next card).
Answers and /healthz are measured in alternating windows of about a second, so both face the same machine.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from benchmarks import study_data

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 4  # concurrent clients (2 workers: both always busy)
LEARNERS_PER_CLIENT = 2
RATINGS = (3, 3, 3, 2, 3, 1, 3, 3, 4, 3)  # Good mostly; Again, Hard and Easy one answer in ten each
START_TIMEOUT = 90.0

_LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")
_CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
_GRADES = re.compile(r'<form class="grades".*?</form>', re.DOTALL)
_HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)">')
_CARD = re.compile(r'data-card-id="(\d+)"')


class ServerError(RuntimeError):
    """gunicorn did not start, or the app answered something a learner would not expect."""


def _die_with_parent() -> None:  # pragma: no cover (runs in the child before exec)
    """Linux: SIGTERM to gunicorn's master if the benchmark process dies (even by SIGKILL)."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass
class Gunicorn:
    process: subprocess.Popen
    port: int
    log: Path

    def workers(self) -> list[int]:
        """The worker processes' ids (the master's children)."""
        children = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after the last ")".
            if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                children.append(int(entry.name))
        return sorted(children)

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the workers have used so far."""
        ticks = 0
        for pid in self.workers():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
        return ticks / os.sysconf("SC_CLK_TCK")

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)
    except ProcessLookupError:
        process.wait(timeout=15)


@contextmanager
def gunicorn(database_url: str, folder: Path, workers: int = 2) -> Iterator[Gunicorn]:
    """gunicorn -w `workers` --preload learnapp.wsgi:app on `database_url`, ready to serve."""
    log = folder / "gunicorn.log"
    env = {
        name: value for name, value in os.environ.items() if name not in ("REDIS_URL", "TEST_DATABASE_URL")
    }
    env |= {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench",
        "AUTH_RATE_LIMIT": "10000 per minute",  # the benchmark logs in all its learners at once
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(workers),
        "--preload",
        "--bind",
        "127.0.0.1:0",  # the kernel picks a free port; read back from the log
        "--no-control-socket",
        "--log-level",
        "info",
        "learnapp.wsgi:app",
    ]
    with log.open("w") as output:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as a whole, spared the terminal's ^C
            preexec_fn=_die_with_parent,
        )
    server = Gunicorn(process, 0, log)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                raise ServerError(
                    f"gunicorn exited with status {process.returncode} before serving:\n{server.log_tail()}"
                )
            if time.monotonic() > deadline:
                raise ServerError(
                    f"gunicorn did not serve within {START_TIMEOUT:.0f} s:\n{server.log_tail()}"
                )
            if not server.port and (match := _LISTENING.search(log.read_text(errors="replace"))):
                server.port = int(match.group(1))
            if server.port and len(server.workers()) >= workers:
                probe = Client(server.port)
                try:
                    status = probe.request("GET", "/healthz")[0]
                except OSError:
                    status = 0
                finally:
                    probe.close()
                if status == 200:
                    break
            time.sleep(0.1)
        yield server
    finally:
        _stop(process)


class Client:
    """One keep-alive connection with a cookie jar, as one browser tab."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict | None = None, htmx: bool = False
    ) -> tuple[int, str, http.client.HTTPResponse]:
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if htmx:
            headers |= {
                "HX-Request": "true",
                "HX-Target": "study-card",
                "HX-Current-URL": f"http://127.0.0.1:{self.port}/study",
            }
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                payload = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed a kept-alive connection; a repeated answer would apply nothing anyway.
                self.connection.close()
                if attempt == 2:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie, _, rest = value.partition("=")
                self.cookies[cookie] = rest.split(";", 1)[0]
        return response.status, payload.decode(), response

    def close(self) -> None:
        self.connection.close()


def _expect(status: int, wanted: int, what: str, page: str) -> None:
    if status != wanted:
        raise ServerError(f"{what}: status {status}, expected {wanted}: {page[:300]!r}")


def _next_card(page: str, what: str) -> int | None:
    if 'id="study-card"' not in page:
        raise ServerError(f"{what}: not the study card: {page[:300]!r}")
    match = _CARD.search(page)
    return int(match.group(1)) if match else None


def _grades(page: str, card: int) -> dict[str, str]:
    form = _GRADES.search(page)
    if form is None:
        raise ServerError(f"the back of card {card} has no grade buttons: {page[:300]!r}")
    return dict(_HIDDEN.findall(form.group(0)))


@dataclass
class WebLearner:
    """A learner in a browser: logged in, on the card `card` (None once their queue is empty)."""

    username: str
    user_id: int
    profile: study_data.Profile
    client: Client
    card: int | None = None
    answered: int = 0  # since their day (re)started
    page: str = ""  # the last study page or fragment: the card on it carries its answer and grade form
    ratings: int = 0

    def login(self) -> None:
        status, page, _ = self.client.request("GET", "/login")
        _expect(status, 200, "GET /login", page)
        token = _CSRF.search(page).group(1)
        form = {"login": self.username, "password": study_data.PASSWORD, "csrf_token": token}
        status, page, _ = self.client.request("POST", "/login", form)
        _expect(status, 303, f"log in as {self.username}", page)

    def start_day(self) -> None:
        """Open the study page (the first card of the day)."""
        status, page, _ = self.client.request("GET", "/study")
        _expect(status, 200, "GET /study", page)
        self.card = _next_card(page, "GET /study")
        self.page = page
        self.answered = 0

    def _rating(self) -> str:
        self.ratings += 1
        return str(RATINGS[self.ratings % len(RATINGS)])

    def answer_htmx(self) -> None:
        """Grade the card on the page (its answer came with it); the response is the next card."""
        form = _grades(self.page, self.card)
        status, page, _ = self.client.request(
            "POST", "/study/answer", form | {"rating": self._rating()}, htmx=True
        )
        _expect(status, 200, "POST /study/answer (htmx)", page)
        self.card = _next_card(page, "POST /study/answer (htmx)")
        self.page = page
        self.answered += 1

    def answer_plain(self) -> None:
        """Without JavaScript: the back as a page, the grade (303), the study page with the next card."""
        back = f"/study?card={self.card}&side=back"
        status, page, _ = self.client.request("GET", back)
        _expect(status, 200, f"GET {back}", page)
        form = _grades(page, self.card)
        status, page, response = self.client.request(
            "POST", "/study/answer", form | {"rating": self._rating()}
        )
        _expect(status, 303, "POST /study/answer", page)
        location = response.getheader("Location", "")
        status, page, _ = self.client.request("GET", location.removeprefix(f"http://127.0.0.1:{self.port}"))
        _expect(status, 200, f"GET {location}", page)
        self.card = _next_card(page, f"GET {location}")
        self.answered += 1

    @property
    def port(self) -> int:
        return self.client.port

    @property
    def tired(self) -> bool:
        """Out of cards, or half way through the day: give them a fresh day before the next window."""
        return self.card is None or self.answered >= max(1, self.profile.day_capacity // 2)


@dataclass
class Ring:
    """One client's learners: it answers as the first one who still has a card."""

    learners: list[WebLearner]
    dry: int = 0  # times every learner of the ring ran out of cards inside a window

    def step(self, flow: str) -> bool:
        for learner in self.learners:
            if learner.card is not None:
                learner.answer_htmx() if flow == "htmx" else learner.answer_plain()
                return True
        self.dry += 1
        return False


@dataclass
class Rate:
    count: int = 0
    seconds: float = 0.0
    cpu: float = 0.0  # the workers' CPU seconds meanwhile

    def add(self, count: int, seconds: float, cpu: float = 0.0) -> None:
        self.count += count
        self.seconds += seconds
        self.cpu += cpu

    @property
    def per_second(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_each(self) -> float:
        """The workers' CPU milliseconds per answer or request: steadier than a rate on a busy machine."""
        return 1000 * self.cpu / self.count if self.count else 0.0


def window(work: list[Callable[[], bool]], seconds: float) -> tuple[int, float]:
    """Each callable in its own thread, again and again for `seconds`: (completed calls, wall seconds)."""
    counts = [0] * len(work)
    errors: list[BaseException] = []
    stop = time.perf_counter() + seconds

    def loop(index: int) -> None:
        try:
            while time.perf_counter() < stop:
                if not work[index]():
                    return
                counts[index] += 1
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=loop, args=(index,), daemon=True) for index in range(len(work))]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return sum(counts), elapsed


@dataclass
class Phase:
    name: str
    answers: Rate = field(default_factory=Rate)
    healthz: Rate = field(default_factory=Rate)
    dry: int = 0


def fresh_days(rings: list[Ring], reset: Callable[[WebLearner], None], force: bool = False) -> None:
    """Between windows (nothing timed): a new day for learners who are out of cards or half way through."""
    for ring in rings:
        for learner in ring.learners:
            if force or learner.tired:
                reset(learner)
                learner.start_day()


def measure(
    name: str,
    rings: list[Ring],
    flow: str,
    health: list[Client],
    seconds: float,
    reset: Callable[[WebLearner], None],
    log: Callable[[str], None],
    cpu: Callable[[], float],
) -> Phase:
    """`seconds` of answering and `seconds` of /healthz, in alternating windows of about a second; `cpu()`
    tells the workers' CPU seconds so far."""
    phase = Phase(name)
    windows = max(1, round(seconds))
    length = seconds / windows
    fresh_days(rings, reset, force=True)
    dry_before = sum(ring.dry for ring in rings)

    def healthz(client: Client) -> Callable[[], bool]:
        def call() -> bool:
            status, page, _ = client.request("GET", "/healthz")
            _expect(status, 200, "GET /healthz", page)
            return True

        return call

    for number in range(windows):
        if number:
            fresh_days(rings, reset)
        before = cpu()
        count, elapsed = window([lambda ring=ring: ring.step(flow) for ring in rings], length)
        phase.answers.add(count, elapsed, cpu() - before)
        before = cpu()
        count, elapsed = window([healthz(client) for client in health], length)
        phase.healthz.add(count, elapsed, cpu() - before)
    phase.dry = sum(ring.dry for ring in rings) - dry_before
    if phase.dry:
        log(f"  warning: {name}: a client ran out of learners with cards {phase.dry} times (fewer clients)")
    log(
        f"  {name}: {phase.answers.per_second:,.1f} answers/s ({phase.answers.count} in "
        f"{phase.answers.seconds:.1f} s, workers' CPU {phase.answers.cpu_ms_each:.1f} ms each), "
        f"/healthz {phase.healthz.per_second:,.0f}/s"
    )
    return phase


def private_memory_mb(pid: int) -> dict[str, float]:
    """A process's Rss, Pss and private (Private_Clean + Private_Dirty) memory in MB (2^20 bytes)."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if rest.strip().endswith("kB"):
            fields[name] = int(rest.split()[0]) / 1024
    return {
        "rss": fields.get("Rss", 0.0),
        "pss": fields.get("Pss", 0.0),
        "private": fields.get("Private_Clean", 0.0) + fields.get("Private_Dirty", 0.0),
    }
