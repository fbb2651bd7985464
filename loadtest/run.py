"""`make loadtest`: the scale-out deployment on this machine, driven by Locust, figures printed.

For each database (PostgreSQL with Redis, then the embedded SQLite file):
1. a fresh database: migrations, every shipped deck (`flask decks load`), returning learners seeded with
   a history and, for half of them, a backlog (loadtest/seed.py);
2. two app servers (gunicorn --preload, N workers each) behind nginx (loadtest/stack.py);
3. Locust, headless, in stages of more and more simulated learners (three in four log in to a seeded
   account, one in four signs up and goes through the welcome), each stage held for a bounded time;
4. per stage: throughput, p50/p95/p99 per page, every non-2xx answer and the errors; then a summary
   with the largest number of learners held with p95 under 200 ms and no error.
Everything is stopped on the way out, even on error or ^C.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from loadtest.report import Stage, page_table, summary_table
from loadtest.stack import ROOT, LoadSampler, Stack, describe, prepare_database

LEARNER_DECKS = (
    "internet-slang",
    "customs-etiquette",
    "rednote-platform",
    "emoji-decoded",
    "mandarin-survival",
)
STARTER_LEARNER_DECKS = ("internet-slang", "customs-etiquette", "rednote-platform", "emoji-decoded")
RETURNING_SHARE = 0.75  # ReturningLearner's weight (3) against NewLearner's (1)


@dataclass
class Options:
    databases: list[str]
    stages: list[int]
    stage_seconds: float
    spawn_rate: float
    workers: int
    think: float
    decks: str  # "all" or "starter"
    postgres_url: str | None
    redis_url: str | None
    keep: bool = False
    p95_ms: float = 200.0
    tour: bool = False  # every learner visits every page once first (the short profile in make test)


def log(message: str) -> None:
    print(message, flush=True)


def seed(database_url: str, count: int, deck_slugs: tuple[str, ...], prefix: str, **limits) -> list[str]:
    """Seed `count` returning learners in the database at `database_url` (in this process)."""
    from learnapp import create_app
    from learnapp.database import vacuum_analyze
    from learnapp.extensions import db
    from loadtest.seed import seed_learners

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "WARM_DICTIONARIES": False, "SECRET_KEY": "seed"}
    )
    with app.app_context():
        names = seed_learners(prefix, count, deck_slugs, datetime.now(UTC), **limits)
        # Without statistics, seeded a moment ago, a learner's 3,000 new cards looked like one row and
        # the next-new-card query sorted them all on every answer.
        vacuum_analyze()
        db.session.remove()
        db.engine.dispose()
    return names


def run_locust(
    url: str,
    folder: Path,
    env: dict,
    users: int | None = None,
    seconds: float | None = None,
    spawn_rate: float = 2.0,
) -> subprocess.CompletedProcess:
    """Locust headless against `url`; its CSV and our JSON figures land in `folder`."""
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(ROOT / "loadtest" / "locustfile.py"),
        "--headless",
        "--host",
        url,
        "--csv",
        str(folder / "locust"),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--stop-timeout",
        "3",
        "--exit-code-on-error",
        "0",
    ]
    if users is not None:
        command += ["--users", str(users), "--spawn-rate", str(spawn_rate), "--run-time", f"{int(seconds)}s"]
    full_env = {name: value for name, value in os.environ.items() if not name.startswith("LOADTEST_")}
    full_env |= env | {"LOADTEST_OUT": str(folder), "PYTHONPATH": str(ROOT)}
    timeout = (seconds or 0) + 600
    done = subprocess.run(
        command, cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=timeout, check=False
    )
    (folder / "locust.log").write_text(done.stdout + done.stderr)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"locust failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done


def load_test(kind: str, options: Options, folder: Path) -> list[Stage]:
    """One database: prepare, serve, drive in stages; the stages' figures."""
    folder.mkdir(parents=True, exist_ok=True)
    log(f"\n== {kind}: preparing the database (migrations, decks: {options.decks}) ==")
    database_url = prepare_database(kind, folder, options.postgres_url, options.decks)
    log(f"database: {describe(database_url)}")
    accounts = int(max(options.stages) * RETURNING_SHARE) + 5
    deck_slugs = LEARNER_DECKS if options.decks == "all" else STARTER_LEARNER_DECKS
    names = seed(database_url, accounts, deck_slugs, prefix="rl")
    (folder / "accounts.txt").write_text("\n".join(names) + "\n")
    log(f"seeded {len(names)} returning learners (half with a backlog)")
    redis_url = options.redis_url if kind == "postgresql" else None
    with Stack(folder, database_url, redis_url, workers=options.workers) as stack:
        log(
            f"serving: nginx {stack.url} -> "
            + ", ".join(f"gunicorn 127.0.0.1:{s.port} ({s.workers} workers)" for s in stack.servers)
            + (f"; Redis {redis_url}" if redis_url else "; no Redis (embedded default)")
        )
        stages_text = ",".join(str(users) for users in options.stages)
        log(
            f"Locust: stages of {stages_text} learners, {options.stage_seconds:.0f} s each, "
            f"think time x{options.think}"
        )
        with LoadSampler():
            run_locust(
                stack.url,
                folder,
                {
                    "LOADTEST_PROFILE": "learners",
                    "LOADTEST_STAGES": stages_text,
                    "LOADTEST_STAGE_SECONDS": str(options.stage_seconds),
                    "LOADTEST_SPAWN_RATE": str(options.spawn_rate),
                    "LOADTEST_THINK": str(options.think),
                    "LOADTEST_ACCOUNTS": str(folder / "accounts.txt"),
                    "LOADTEST_TOUR": "1" if options.tour else "0",
                },
            )
    stages = []
    for number in range(len(options.stages)):
        path = folder / f"stage-{number}.json"
        if path.exists():
            stages.append(Stage.from_json(json.loads(path.read_text())))
    if len(stages) != len(options.stages):
        tail = (folder / "locust.log").read_text()[-2000:]
        raise RuntimeError(f"Locust measured {len(stages)} of {len(options.stages)} stages:\n{tail}")
    for stage in stages:
        log(
            f"\n-- {kind}, {stage.users} learners, {stage.seconds:.0f} s "
            f"(load average {stage.load_mean:.1f}) --"
        )
        log(page_table(stage))
    return stages


def main(options: Options) -> int:
    base = Path(tempfile.mkdtemp(prefix="huanying-loadtest-"))
    log(f"run folder: {base} (logs, nginx.conf, Locust's CSV){' kept' if options.keep else ''}")
    log(f"machine: {os.cpu_count()} CPUs, load average now {os.getloadavg()[0]:.1f}")
    results: dict[str, list[Stage]] = {}
    try:
        for kind in options.databases:
            results[kind] = load_test(kind, options, base / kind)
    finally:
        if not options.keep and all(results.get(kind) for kind in options.databases):
            import shutil

            shutil.rmtree(base, ignore_errors=True)
    log("\n== summary ==")
    for kind, stages in results.items():
        log(summary_table(kind, stages, options.p95_ms))
    return 0
