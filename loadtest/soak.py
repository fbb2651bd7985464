"""`make soak`: the load-and-fault drill, on SQLite and on PostgreSQL.

N returning learners with a large backlog study as fast as they can (Locust, the `soak` profile) through
nginx and two app servers, for a bounded time. Meanwhile, at random moments (the seed is printed), a
worker of an app server or a whole app server (master and workers) is killed with SIGKILL; a killed app
server is started again at once, as a supervisor would. On PostgreSQL the database itself is restarted
mid-load (`--postgres-restart`, e.g. `pg_ctlcluster ... restart`). Learners retry after a connection
error, a 502 or a 503, like a person pressing the button again; the version check makes that safe.
Afterwards loadtest/check.py reads the database: every accepted answer has exactly one review-log row,
every card state agrees with its newest log row, and SQLite's integrity check passes. It prints
answers/s, the answers' p95, the errors by status and the inconsistencies; it exits 1 if any.
"""

from __future__ import annotations

import os
import random
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from loadtest.check import Consistency, check
from loadtest.report import EXPECTED_REDIRECTS
from loadtest.run import log, seed
from loadtest.stack import ROOT, LoadSampler, Stack, describe, prepare_database

SOAK_DECKS = ("hsk-3", "hsk-4", "internet-slang")  # a large backlog: hundreds of reviews due each
STARTER_SOAK_DECKS = ("internet-slang", "customs-etiquette", "rednote-platform", "emoji-decoded")


@dataclass
class SoakOptions:
    databases: list[str]
    users: int
    seconds: float
    kills: int
    think: float
    workers: int
    decks: str
    postgres_url: str | None
    redis_url: str | None
    postgres_restart: str = ""
    seed: int | None = None
    keep: bool = False


@dataclass
class SoakResult:
    kind: str
    seconds: float
    answers: int
    answer_ms: list[float]
    requests: int
    errors: dict[int, int]
    events: list[str]
    consistency: Consistency
    load_mean: float
    load_peak: float
    p95_all: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def answers_per_second(self) -> float:
        return self.answers / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.answer_ms:
            return 0.0
        ordered = sorted(self.answer_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _schedule(options: SoakOptions, kind: str, rng: random.Random) -> list[tuple[float, str]]:
    """(seconds after the start, action): kills at random moments in the middle 80% of the run, the two
    kinds in turn, and a PostgreSQL restart half way."""
    moments = sorted(rng.uniform(0.15, 0.9) * options.seconds for _ in range(options.kills))
    plan = [(at, "kill-server" if number % 2 == 0 else "kill-worker") for number, at in enumerate(moments)]
    if kind == "postgresql" and options.postgres_restart:
        plan.append((0.5 * options.seconds, "restart-postgresql"))
    return sorted(plan)


def _statuses(folder: Path) -> dict[int, int]:
    import json

    errors: dict[int, int] = {}
    path = folder / "statuses.json"
    for row in json.loads(path.read_text()) if path.exists() else []:
        status = row["status"]
        if not 200 <= status < 300 and status not in EXPECTED_REDIRECTS:
            errors[status] = errors.get(status, 0) + row["count"]
    return dict(sorted(errors.items()))


def _locust_totals(folder: Path) -> tuple[int, float]:
    """All requests and their p95 (ms), from Locust's CSV."""
    import csv

    path = folder / "locust_stats.csv"
    if not path.exists():
        return 0, 0.0
    with path.open() as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == "Aggregated":
                return int(row["Request Count"]), float(row["95%"] or 0)
    return 0, 0.0


def soak(kind: str, options: SoakOptions, folder: Path, rng: random.Random) -> SoakResult:
    folder.mkdir(parents=True, exist_ok=True)
    log(f"\n== soak on {kind}: preparing the database (decks: {options.decks}) ==")
    database_url = prepare_database(kind, folder, options.postgres_url, options.decks)
    decks = SOAK_DECKS if options.decks == "all" else STARTER_SOAK_DECKS
    # No daily limits: with 20 new cards a day each learner ran out of cards after about 95 answers (6,000
    # in all), so a longer or faster run measured learners waiting for tomorrow, not the servers.
    names = seed(database_url, options.users, decks, prefix="sk", reviews_per_day=9999, new_per_day=9999)
    (folder / "accounts.txt").write_text("\n".join(names) + "\n")
    log(f"database: {describe(database_url)}; {len(names)} learners seeded with a backlog")
    plan = _schedule(options, kind, rng)
    events: list[str] = []
    redis_url = options.redis_url if kind == "postgresql" else None
    with Stack(folder, database_url, redis_url, workers=options.workers) as stack, LoadSampler() as load:
        log(
            f"serving: nginx {stack.url} -> "
            + ", ".join(f"gunicorn :{s.port} ({s.workers} workers)" for s in stack.servers)
        )
        log(
            f"{options.users} learners for {options.seconds:.0f} s; faults: "
            + ", ".join(f"{a} at {t:.0f} s" for t, a in plan)
        )
        env = {name: value for name, value in os.environ.items() if not name.startswith("LOADTEST_")}
        env |= {
            "LOADTEST_PROFILE": "soak",
            "LOADTEST_THINK": str(options.think),
            "LOADTEST_ACCOUNTS": str(folder / "accounts.txt"),
            "LOADTEST_OUT": str(folder),
            "PYTHONPATH": str(ROOT),
        }
        spawn_rate = max(2.0, options.users / 10)
        command = [
            sys.executable, "-m", "locust", "-f", str(ROOT / "loadtest" / "locustfile.py"), "--headless",
            "--host", stack.url, "--users", str(options.users), "--spawn-rate", str(spawn_rate),
            "--run-time", f"{int(options.seconds)}s", "--csv", str(folder / "locust"), "--only-summary",
            "--loglevel", "WARNING", "--stop-timeout", "2", "--exit-code-on-error", "0",
        ]  # fmt: skip
        with (folder / "locust.log").open("w") as output:
            locust = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
        started = time.monotonic()
        try:
            for at, action in plan:
                delay = started + at - time.monotonic()
                if delay > 0 and locust.poll() is None:
                    time.sleep(delay)
                if locust.poll() is not None:
                    break
                events.append(f"{time.monotonic() - started:5.1f} s: " + _act(action, stack, rng, options))
                log("  " + events[-1])
            locust.wait(timeout=options.seconds + 120)
        finally:
            if locust.poll() is None:
                locust.terminate()
                locust.wait(timeout=30)
        for server in stack.servers:  # a server killed late may still be starting: let it finish
            if server.process is not None and server.process.poll() is None:
                server.wait_ready()
    consistency = check(database_url, folder / "answers.jsonl", names)
    import json

    answers = [json.loads(line) for line in (folder / "answers.jsonl").read_text().splitlines()]
    requests, p95_all = _locust_totals(folder)
    return SoakResult(
        kind=kind,
        seconds=options.seconds,
        answers=len(answers),
        answer_ms=[answer["ms"] for answer in answers],
        requests=requests,
        errors=_statuses(folder),
        events=events,
        consistency=consistency,
        load_mean=load.mean,
        load_peak=load.peak,
        p95_all=p95_all,
    )


def _checkpoint(database_url: str) -> None:
    """Write dirty pages out while the database still serves, so the restart's shutdown checkpoint is
    short: the drill is a brief restart, not a wait on this machine's fsync."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("CHECKPOINT"))
    engine.dispose()


def _act(action: str, stack: Stack, rng: random.Random, options: SoakOptions) -> str:
    server = rng.choice(stack.servers)
    if action == "kill-worker":
        pid = server.kill_worker(rng)
        return f"kill -9 worker {pid} of {server.name} (its master starts another)"
    if action == "kill-server":
        server.kill()
        server.restart()
        return f"kill -9 {server.name} (master and workers), started again"
    started = time.monotonic()
    _checkpoint(stack.database_url)  # while it still serves: the restart's own checkpoint is then short
    flushed = time.monotonic()
    done = subprocess.run(shlex.split(options.postgres_restart), capture_output=True, text=True, check=False)
    took = time.monotonic() - flushed
    status = "done" if done.returncode == 0 else f"FAILED ({done.returncode}: {done.stderr.strip()[:200]})"
    return f"PostgreSQL restart: {status} in {took:.1f} s (after a CHECKPOINT of {flushed - started:.1f} s)"


def report(result: SoakResult) -> str:
    c = result.consistency
    errors = "; ".join(
        f"{'connection error' if status == 0 else status}: {count}" for status, count in result.errors.items()
    )
    lines = [
        f"-- soak on {result.kind}: {result.seconds:.0f} s, "
        f"load average {result.load_mean:.1f} (peak {result.load_peak:.1f}) --",
        f"answers accepted: {result.answers:,} = {result.answers_per_second:.1f} answers/s; "
        f"answer p50 {result.percentile(0.5):.0f} ms, p95 {result.percentile(0.95):.0f} ms, "
        f"p99 {result.percentile(0.99):.0f} ms; all requests: {result.requests:,}, "
        f"p95 {result.p95_all:.0f} ms",
        f"errors (every non-2xx but the forms' 303s, and connection errors, retries included): "
        f"{sum(result.errors.values())}" + (f" ({errors})" if errors else ""),
        f"consistency: {c.answers_seen:,} accepted answers, {c.log_rows:,} review-log rows; "
        f"lost {c.lost}, doubled {c.doubled}, inconsistent {c.inconsistent}; "
        f"integrity_check: {c.integrity}; rows no client saw accepted: {c.unconfirmed}",
    ]
    lines += [f"  {example}" for example in c.examples]
    return "\n".join(lines)


def main(options: SoakOptions) -> int:
    seed_value = options.seed if options.seed is not None else random.SystemRandom().randrange(10**6)
    rng = random.Random(seed_value)
    base = Path(tempfile.mkdtemp(prefix="huanying-soak-"))
    log(f"run folder: {base}; seed {seed_value} (rerun the same faults with --seed {seed_value})")
    log(f"machine: {os.cpu_count()} CPUs, load average now {os.getloadavg()[0]:.1f}")
    results = []
    try:
        for kind in options.databases:
            results.append(soak(kind, options, base / kind, rng))
            log(report(results[-1]))
    finally:
        if not options.keep and len(results) == len(options.databases):
            import shutil

            shutil.rmtree(base, ignore_errors=True)
    log("\n== soak summary ==")
    for result in results:
        log(report(result))
    return 0 if all(result.consistency.ok for result in results) else 1
