"""The study loop as a learner meets it: "answer this card, show me the next", and the stats pages.

1. Service level, on a fixed clock (START, advancing 8 s an answer): `study.service.answer()` returns the
   next card's view, so one call is one "answer + next". Each call is timed with perf_counter; medians and
   95th percentiles in microseconds over `answers` answers, after a warm-up of WARMUP answers (and after
   CC-CEDICT is loaded, here, synchronously: no loading thread runs during a timed answer). Learners
   (benchmarks/study_data.py): 20,000 cards with no backlog and with a backlog, 100,000 and 1,000 cards
   with a backlog; the same no-backlog learner on PostgreSQL when TEST_DATABASE_URL is set (its schema is
   dropped and recreated: never a database you want to keep), in slices alternated with the same learner on
   a SQLite file, so their ratio is taken at the same moments of the machine. When a learner's day runs
   out, their answers are taken back and the day starts over (untimed), so every answer is one of a real
   day.
2. The stats page's data (`stats.service.stats`) and the dashboard's (`study.today`, `decks.catalogue`,
   `stats.glance`, as main.home calls them) for a learner with 100,000 answers in their log: median ms.
3. HTTP (benchmarks/study_http.py): gunicorn -w 2 --preload on a SQLite file whose learners' days are
   generated around the real clock, so the server's "due today" is the learner's today; answers per second
   for learners with no backlog and with a backlog (htmx) and without JavaScript, /healthz in alternating
   windows; then, after `answers` answers in all, each worker's private memory.
"""

from __future__ import annotations

import cProfile
import gc
import io
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks import study_data, study_http
from benchmarks.study_data import Profile

START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)  # the service level's fixed clock (noon, learner in UTC)
ANSWER_GAP = timedelta(seconds=8)  # a learner's pace: one card every 8 seconds
RATINGS = study_http.RATINGS
WARMUP = 100
STATS_REPEAT = 5


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Sizes:
    cards: int = 20_000  # the main learner's collection (no backlog and backlog; HTTP; stats)
    large: int = 100_000  # the large collection (backlog)
    small: int = 1_000  # the small collection (backlog): the growth target is large <= 1.5 x small
    answers: int = 1_000  # timed service-level answers per learner; HTTP answers before reading memory
    seconds: float = 5.0  # HTTP: seconds of answering (and as many of /healthz) per measurement
    reviews: int = 100_000  # answers in the stats learner's log


@dataclass(frozen=True)
class Timings:
    samples: list[float]  # wall time, microseconds
    cpu: list[float]  # this thread's CPU time, microseconds (steadier on a busy machine; SQLite only)
    days: int  # learner days the timed answers spanned

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)

    def describe(self) -> str:
        return (
            f"median {self.median:,.0f} µs, p95 {self.p95:,.0f} µs, CPU median {self.cpu_median:,.0f} µs "
            f"({len(self.samples):,} answers over {self.days} learner day{'s' if self.days != 1 else ''})"
        )


def _app(url: str):
    from learnapp import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "WARM_DICTIONARIES": False,  # loaded once, synchronously, by warm_dictionaries() below
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )


def warm_dictionaries() -> float:
    """Load CC-CEDICT now, in this thread (create_app would load it in a background thread)."""
    from learnapp.chinese.sandhi import words_of

    started = time.perf_counter()
    words_of("你好")
    return time.perf_counter() - started


def time_answers(
    user_id: int,
    profile: Profile,
    answers: int,
    around: Callable[[], AbstractContextManager] = nullcontext,
) -> Timings:
    """Answer the learner's cards one by one at the service level: WARMUP answers, then `answers` timed,
    each inside `around()` (the profile mode's profilers)."""
    from learnapp.extensions import db
    from learnapp.models import User
    from learnapp.srs import Rating
    from learnapp.study import service

    user = db.session.get(User, user_id)
    samples: list[float] = []
    cpu: list[float] = []
    number = 0

    def one_day(limit: int, timed: bool) -> int:
        nonlocal number
        now = profile.now
        view = service.today(user, now)
        done = 0
        while view.card is not None and done < limit:
            now += ANSWER_GAP
            rating = Rating(RATINGS[number % len(RATINGS)])
            with around() if timed else nullcontext():
                started_cpu = time.thread_time_ns()
                started = time.perf_counter_ns()
                view = service.answer(
                    user, view.card.id, rating, view.version, now, shown_at_ms=view.shown_at_ms
                )
                elapsed = time.perf_counter_ns() - started
                elapsed_cpu = time.thread_time_ns() - started_cpu
            if timed:
                samples.append(elapsed / 1_000)
                cpu.append(elapsed_cpu / 1_000)
            done += 1
            number += 1
        if done == 0:
            raise RuntimeError(f"learner {user_id} has no card to study at {now} ({profile})")
        study_data.reset(user_id, profile)
        return done

    one_day(WARMUP, timed=False)
    gc.collect()
    days = 0
    while len(samples) < answers:
        one_day(answers - len(samples), timed=True)
        days += 1
    return Timings(samples, cpu, days)


def _median_ms(function: Callable[[], object], repeat: int) -> float:
    function()  # warm-up
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def time_stats(user_id: int, now: datetime, repeat: int = STATS_REPEAT) -> tuple[float, float]:
    """Median ms of the stats page's data and of the dashboard's, each with a fresh session (a request)."""
    from learnapp.decks import service as decks
    from learnapp.extensions import db
    from learnapp.models import User
    from learnapp.stats import service as stats
    from learnapp.study import service as study

    def fresh_user() -> User:
        db.session.remove()
        return db.session.get(User, user_id)

    def page() -> None:
        user = fresh_user()
        stats.stats(user, now)

    def dashboard() -> None:
        user = fresh_user()
        study.today(user, now)
        [summary for summary in decks.catalogue(user) if summary.enrolled]
        stats.glance(user, now)

    return _median_ms(page, repeat), _median_ms(dashboard, repeat)


@dataclass
class Collection:
    """A migrated database with a deck of `cards` cards, in an app context (`with Collection(...) as c`)."""

    url: str
    cards: int
    now: datetime

    def __enter__(self) -> Collection:
        self.app = _app(self.url)
        self.context = self.app.app_context()
        self.context.push()
        try:
            started = time.perf_counter()
            study_data.migrate()
            study_data.seed_deck("bench", self.cards, self.now)
            self.seconds = time.perf_counter() - started
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def learner(self, name: str, backlog: bool, timezone: str = "UTC") -> tuple[int, Profile]:
        started = time.perf_counter()
        profile = Profile(self.cards, backlog, self.now, timezone=timezone)
        user_id = study_data.add_learner(name, profile, "bench")
        self.seconds += time.perf_counter() - started
        return user_id, profile

    def close(self) -> None:
        from learnapp.extensions import db

        db.session.remove()
        db.engine.dispose()
        self.context.pop()


def _service(folder: Path, sizes: Sizes, figures: dict, rows: list) -> None:
    postgres = os.environ.get("TEST_DATABASE_URL")

    def measure(label: str, key: str, user_id: int, profile: Profile) -> None:
        due = study_data.due_today(user_id, profile)
        log(f"  {label}: {due:,} reviews due today, limit {profile.reviews_per_day}/day ...")
        timings = time_answers(user_id, profile, sizes.answers)
        figures[key] = round(timings.median, 1)
        figures[f"{key}_p95"] = round(timings.p95, 1)
        figures[f"{key}_cpu"] = round(timings.cpu_median, 1)
        rows.append((f"service: answer + next, {label}", timings.describe()))
        log(f"    {timings.describe()}")

    log(f"service level: {sizes.cards:,} cards ...")
    with Collection(f"sqlite:///{folder / 'main.sqlite3'}", sizes.cards, START) as main:
        calm = main.learner("calm", backlog=False)
        behind = main.learner("behind", backlog=True)
        reader_id, reader = main.learner("reader", backlog=False)
        study_data.add_history(reader_id, reader, sizes.reviews)
        rows.append(
            ("setup: SQLite, deck and 3 learners", f"{sizes.cards:,} cards each, {main.seconds:.1f} s")
        )
        gc.collect()
        measure(f"{sizes.cards:,} cards, no backlog", "service_us_no_backlog", *calm)
        measure(f"{sizes.cards:,} cards, backlog", "service_us_backlog", *behind)
        log(f"  stats and dashboard: {sizes.reviews:,} answers in the log ...")
        page_ms, dashboard_ms = time_stats(reader_id, START)
        figures["stats_ms_100k_reviews"] = round(page_ms, 1)
        figures["dashboard_ms"] = round(dashboard_ms, 1)
        rows.append(
            (f"stats page data, {sizes.reviews:,} reviews (median of {STATS_REPEAT})", f"{page_ms:,.0f} ms")
        )
        rows.append(
            (
                f"dashboard data, {sizes.reviews:,} reviews (median of {STATS_REPEAT})",
                f"{dashboard_ms:,.0f} ms",
            )
        )

    for size, key in ((sizes.large, "service_us_backlog_100k"), (sizes.small, "service_us_1k")):
        log(f"service level: {size:,} cards ...")
        with Collection(f"sqlite:///{folder / f'cards-{size}.sqlite3'}", size, START) as collection:
            learner = collection.learner("behind", backlog=True)
            gc.collect()
            measure(f"{size:,} cards, backlog", key, *learner)
    if figures.get("service_us_1k") and figures.get("service_us_1k_cpu"):
        ratio = figures["service_us_backlog_100k"] / figures["service_us_1k"]
        cpu_ratio = figures["service_us_backlog_100k_cpu"] / figures["service_us_1k_cpu"]
        figures["growth_100k_over_1k"] = round(ratio, 2)
        figures["growth_100k_over_1k_cpu"] = round(cpu_ratio, 2)
        rows.append(
            (
                f"growth: {sizes.large:,} over {sizes.small:,} cards (target <= 1.5)",
                f"{ratio:.2f} x (CPU medians: {cpu_ratio:.2f} x)",
            )
        )

    if postgres:
        _postgres(folder, sizes, postgres, figures, rows)
    else:
        rows.append(("service: PostgreSQL", "skipped (set TEST_DATABASE_URL to a database to overwrite)"))


PAIRED_ROUNDS = 5  # PostgreSQL against SQLite: rounds of one slice each, alternated


def _postgres(folder: Path, sizes: Sizes, postgres: str, figures: dict, rows: list) -> None:
    """The no-backlog learner on PostgreSQL and, in alternating slices, the same learner on a SQLite file
    of its own: a machine whose speed drifts between the phases of a run (seen: the same code 886 and
    1,491 µs an answer on SQLite in two runs) cannot make the ratio up. The ratio is the median of the
    rounds' own ratios."""
    from learnapp.database import vacuum_analyze

    log(f"service level on PostgreSQL ({study_data.describe(postgres)}: schema dropped and recreated) ...")
    study_data.reset_postgres(postgres)
    pairs: dict[str, tuple[Collection, int, Profile]] = {}
    try:
        for name, url in (("sqlite", f"sqlite:///{folder / 'paired.sqlite3'}"), ("postgres", postgres)):
            collection = Collection(url, sizes.cards, START).__enter__()
            try:
                user_id, profile = collection.learner("calm", backlog=False)
                if name == "postgres":
                    vacuum_analyze()
            finally:
                collection.context.pop()  # pushed again for each of its slices
            pairs[name] = (collection, user_id, profile)
        slices: dict[str, list[Timings]] = {"sqlite": [], "postgres": []}
        per_slice = max(1, sizes.answers // PAIRED_ROUNDS)
        for _round in range(PAIRED_ROUNDS):
            for name, (collection, user_id, profile) in pairs.items():
                collection.context.push()
                try:
                    gc.collect()
                    slices[name].append(time_answers(user_id, profile, per_slice))
                finally:
                    collection.context.pop()
    finally:
        for collection, _user_id, _profile in pairs.values():
            collection.context.push()
            collection.close()
    joined = {name: Timings([x for t in runs for x in t.samples], [], 0) for name, runs in slices.items()}
    ratios = [pg.median / lite.median for lite, pg in zip(slices["sqlite"], slices["postgres"], strict=True)]
    ratio = statistics.median(ratios)
    figures["postgres_service_us_no_backlog"] = round(joined["postgres"].median, 1)
    figures["postgres_service_us_no_backlog_p95"] = round(joined["postgres"].p95, 1)
    figures["postgres_paired_sqlite_us"] = round(joined["sqlite"].median, 1)
    figures["postgres_over_sqlite"] = round(ratio, 2)
    label = f"{sizes.cards:,} cards, no backlog"
    rows.append(
        (
            f"service: answer + next, {label}, PostgreSQL",
            f"median {joined['postgres'].median:,.0f} µs, p95 {joined['postgres'].p95:,.0f} µs",
        )
    )
    rows.append(
        (
            f"PostgreSQL over SQLite, {PAIRED_ROUNDS} alternated rounds of {per_slice} (target <= 1.5)",
            f"{ratio:.2f} x (rounds: {', '.join(f'{r:.2f}' for r in ratios)}; SQLite alongside "
            f"{joined['sqlite'].median:,.0f} µs)",
        )
    )
    log(f"    PostgreSQL {joined['postgres'].median:,.0f} µs, {ratio:.2f} x SQLite alongside")


def _http(folder: Path, sizes: Sizes, figures: dict, rows: list) -> None:
    log(f"HTTP: gunicorn -w 2, {study_http.CLIENTS} clients, {sizes.cards:,} cards a learner ...")
    now = datetime.now(UTC)
    timezone = study_data.local_afternoon(now)
    database = folder / "http.sqlite3"
    with Collection(f"sqlite:///{database}", sizes.cards, now) as collection:
        learners: dict[str, list[tuple[str, int, Profile]]] = {"calm": [], "behind": []}
        for kind in learners:
            for number in range(study_http.CLIENTS * study_http.LEARNERS_PER_CLIENT):
                name = f"{kind}{number}"
                learners[kind].append((name, *collection.learner(name, kind == "behind", timezone)))
        rows.append(
            (
                "setup: HTTP database",
                f"{2 * len(learners['calm'])} learners, {sizes.cards:,} cards each, "
                f"{collection.seconds:.1f} s (learners in {timezone}, now {now:%H:%M} UTC)",
            )
        )

        def reset(learner: study_http.WebLearner) -> None:
            study_data.reset(learner.user_id, learner.profile)

        with study_http.gunicorn(f"sqlite:///{database}", folder) as server:
            log(f"  gunicorn serving on port {server.port}, workers {server.workers()}")
            rings: dict[str, list[study_http.Ring]] = {}
            clients: list[study_http.Client] = []
            for kind, people in learners.items():
                rings[kind] = []
                for index in range(study_http.CLIENTS):
                    ring = []
                    for name, user_id, profile in people[index :: study_http.CLIENTS]:
                        client = study_http.Client(server.port)
                        clients.append(client)
                        learner = study_http.WebLearner(name, user_id, profile, client)
                        learner.login()
                        ring.append(learner)
                    rings[kind].append(study_http.Ring(ring))
            health = [study_http.Client(server.port) for _ in range(study_http.CLIENTS)]
            clients += health

            def measure(name: str, kind: str, flow: str) -> study_http.Phase:
                return study_http.measure(
                    name, rings[kind], flow, health, sizes.seconds, reset, log, server.cpu_seconds
                )

            phases = [
                measure("no backlog (htmx)", "calm", "htmx"),
                measure("backlog (htmx)", "behind", "htmx"),
                measure("no backlog (no JavaScript)", "calm", "plain"),
            ]
            answered = sum(phase.answers.count for phase in phases)
            while answered < sizes.answers:  # untimed: enough answers before reading the workers' memory
                study_http.fresh_days(rings["calm"], reset)
                answered += study_http.window(
                    [lambda ring=ring: ring.step("htmx") for ring in rings["calm"]], 1.0
                )[0]
            memory = {pid: study_http.private_memory_mb(pid) for pid in server.workers()}
            for client in clients:
                client.close()
        calm, behind, plain = phases
        healthz = study_http.Rate()
        for phase in phases:
            healthz.add(phase.healthz.count, phase.healthz.seconds, phase.healthz.cpu)
        figures["http_answers_per_s"] = round(calm.answers.per_second, 1)
        figures["http_answers_per_s_backlog"] = round(behind.answers.per_second, 1)
        figures["http_answers_per_s_plain"] = round(plain.answers.per_second, 1)
        figures["http_healthz_per_s"] = round(healthz.per_second, 1)
        figures["http_worker_cpu_ms_per_answer"] = round(calm.answers.cpu_ms_each, 2)
        figures["http_worker_cpu_ms_per_answer_backlog"] = round(behind.answers.cpu_ms_each, 2)
        figures["http_worker_cpu_ms_per_answer_plain"] = round(plain.answers.cpu_ms_each, 2)
        figures["http_worker_cpu_ms_per_healthz"] = round(healthz.cpu_ms_each, 3)
        figures["worker_private_mb"] = round(max(m["private"] for m in memory.values()), 1)
        for phase in phases:
            rows.append(
                (
                    f"HTTP: answers/s, {phase.name}",
                    f"{phase.answers.per_second:,.1f} ({phase.answers.count:,} in "
                    f"{phase.answers.seconds:.1f} s; workers' CPU {phase.answers.cpu_ms_each:.1f} ms each; "
                    f"/healthz alongside {phase.healthz.per_second:,.0f}/s)"
                    + (f"; clients ran dry {phase.dry} times" if phase.dry else ""),
                )
            )
        rows.append(
            (
                "HTTP: /healthz requests/s (all windows)",
                f"{healthz.per_second:,.0f} (workers' CPU {healthz.cpu_ms_each:.2f} ms a request)",
            )
        )
        rows.append(
            (
                f"gunicorn workers' memory after {answered:,} answers",
                "; ".join(
                    f"pid {pid}: private {m['private']:.1f} MB, PSS {m['pss']:.1f} MB, RSS {m['rss']:.1f} MB"
                    for pid, m in memory.items()
                ),
            )
        )


def machine_python_ms(repeat: int = 7) -> float:
    """This machine's speed at plain Python, for comparing figures taken on different machines: the median
    CPU time (ms) of a fixed loop (3,000,000 additions). The study loop's figures scale with it: the same
    code measured 452 µs a service-level answer on one machine and 1,491 µs on a slower one, where this
    read 160-203 ms (the first machine's reading was not taken)."""
    times = []
    for _ in range(repeat):
        started = time.thread_time_ns()
        total = 0
        for number in range(3_000_000):
            total += number
        times.append((time.thread_time_ns() - started) / 1e6)
    return statistics.median(times)


def run(sizes: Sizes = Sizes(), http: bool = True) -> tuple[list[tuple[str, str]], dict]:
    """The study-loop benchmarks: table rows and the figures (the JSON object of `--json`)."""
    import signal

    # SIGTERM ends the run through the `finally`s: gunicorn stopped, temporary folders removed.
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    rows: list[tuple[str, str]] = []
    figures: dict = {}
    try:
        speed = machine_python_ms()
        figures["machine_python_ms"] = round(speed, 1)
        rows.append(("machine: plain Python, 3,000,000 additions (CPU, median)", f"{speed:.1f} ms"))
        seconds = warm_dictionaries()
        rows.append(("setup: CC-CEDICT loaded before timing", f"{seconds:.1f} s"))
        with tempfile.TemporaryDirectory(prefix="huanying-bench-") as folder:
            _service(Path(folder), sizes, figures, rows)
            if http:
                _http(Path(folder), sizes, figures, rows)
    finally:
        signal.signal(signal.SIGTERM, previous)
    figures["sizes"] = {
        "cards": sizes.cards,
        "large": sizes.large,
        "small": sizes.small,
        "answers": sizes.answers,
        "seconds": sizes.seconds,
        "reviews": sizes.reviews,
    }
    return rows, figures


class SqlTimes:
    """Time spent in the database driver's execute, per statement, while `on` (the profile mode)."""

    def __init__(self, engine) -> None:
        from sqlalchemy import event

        self.on = False
        self.totals: dict[str, list[int]] = {}
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany) -> None:
        conn.info["bench_started"] = time.perf_counter_ns()

    def _after(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if self.on:
            total = self.totals.setdefault(statement, [0, 0])
            total[0] += 1
            total[1] += time.perf_counter_ns() - conn.info["bench_started"]

    def report(self, answers: int, top: int = 12) -> str:
        lines = [
            f"SQL: time in the driver's execute per statement (top {top}), µs per answer, calls per answer"
        ]
        ranked = sorted(self.totals.items(), key=lambda item: -item[1][1])
        for statement, (calls, nanoseconds) in ranked[:top]:
            text = re.sub(r"^SELECT .*? FROM ", "SELECT … FROM ", " ".join(statement.split()))
            lines.append(f"{nanoseconds / 1000 / answers:8.0f} µs {calls / answers:5.2f}x  {text[:200]}")
        everything = sum(total for _, total in self.totals.values())
        lines.append(f"{everything / 1000 / answers:8.0f} µs in all statements")
        return "\n".join(lines)


def profile(sizes: Sizes = Sizes(), top: int = 25) -> str:
    """Where the service-level time of the backlog case goes: cProfile (top `top` by cumulative time) and
    the time of each SQL statement, over the timed answers only."""
    from learnapp.extensions import db

    warm_dictionaries()
    profiler = cProfile.Profile()
    with (
        tempfile.TemporaryDirectory(prefix="huanying-bench-") as folder,
        Collection(f"sqlite:///{Path(folder) / 'profile.sqlite3'}", sizes.cards, START) as collection,
    ):
        user_id, learner = collection.learner("behind", backlog=True)
        sql = SqlTimes(db.engine)

        @contextmanager
        def profiled():
            sql.on = True
            profiler.enable()
            try:
                yield
            finally:
                profiler.disable()
                sql.on = False

        timings = time_answers(user_id, learner, sizes.answers, around=profiled)
    out = io.StringIO()
    out.write(
        f"answer + next, {sizes.cards:,} cards, backlog, under cProfile: {timings.describe()}\n"
        "(times under the profiler are inflated; use them for proportions)\n\n"
    )
    out.write(sql.report(len(timings.samples)) + "\n\n")
    pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative").print_stats(top)
    return out.getvalue()
