"""`python -m loadtest [run|soak]`: the load test (make loadtest) and the load-and-fault drill (make soak)."""

from __future__ import annotations

import argparse
import os
import sys


def _list(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def _databases(text: str) -> list[str]:
    chosen = {"both": ["postgresql", "sqlite"], "postgresql": ["postgresql"], "postgres": ["postgresql"]}
    return chosen.get(text, ["sqlite"] if text == "sqlite" else [])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loadtest", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--database", default="both", help="both (default), postgresql or sqlite")
    common.add_argument("--workers", type=int, default=2, help="gunicorn workers per app server (2 servers)")
    common.add_argument("--decks", choices=("all", "starter"), default="all", help="decks to load")
    common.add_argument(
        "--postgres-url",
        default=os.environ.get("LOADTEST_DATABASE_URL"),
        help="PostgreSQL database to use (its public schema is DROPPED); env LOADTEST_DATABASE_URL",
    )
    common.add_argument(
        "--redis-url",
        default=os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/7"),
        help="Redis for the PostgreSQL runs (rate limits, jobs); env LOADTEST_REDIS_URL",
    )
    common.add_argument("--keep", action="store_true", help="keep the run folder (logs, configs, CSV)")

    run = sub.add_parser("run", parents=[common], help="the load test (default)")
    run.add_argument("--users", type=_list, default=[25, 50, 100, 200], help="stages, e.g. 50,100,200")
    run.add_argument("--stage-seconds", type=float, default=60.0, help="how long each stage is held")
    run.add_argument("--spawn-rate", type=float, default=2.0, help="learners arriving per second")
    run.add_argument("--think", type=float, default=1.0, help="think-time multiplier")

    soak = sub.add_parser("soak", parents=[common], help="the load-and-fault drill")
    soak.add_argument("--users", type=int, default=64, help="simulated learners")
    soak.add_argument("--seconds", type=float, default=120.0, help="how long the load runs")
    soak.add_argument("--kills", type=int, default=4, help="kill -9s of app processes at random moments")
    soak.add_argument("--think", type=float, default=0.2, help="think-time multiplier")
    soak.add_argument("--seed", type=int, default=None, help="random seed for the kill schedule")
    soak.add_argument(
        "--postgres-restart",
        default=os.environ.get("SOAK_POSTGRES_RESTART", ""),
        help="command that restarts PostgreSQL mid-load (e.g. pg_ctlcluster ... restart); empty: none",
    )

    args = parser.parse_args(argv if argv is not None else (sys.argv[1:] or ["run"]))
    if args.command is None:
        args = parser.parse_args(["run", *(argv or sys.argv[1:])])
    databases = _databases(args.database)
    if not databases:
        parser.error("--database: both, postgresql or sqlite")
    if "postgresql" in databases and not args.postgres_url:
        parser.error("PostgreSQL runs need --postgres-url or LOADTEST_DATABASE_URL (its schema is dropped)")
    if args.command == "soak":
        from loadtest.soak import SoakOptions
        from loadtest.soak import main as soak_main

        return soak_main(
            SoakOptions(
                databases=databases,
                users=args.users,
                seconds=args.seconds,
                kills=args.kills,
                think=args.think,
                workers=args.workers,
                decks=args.decks,
                postgres_url=args.postgres_url,
                redis_url=args.redis_url,
                postgres_restart=args.postgres_restart,
                seed=args.seed,
                keep=args.keep,
            )
        )
    from loadtest.run import Options
    from loadtest.run import main as run_main

    return run_main(
        Options(
            databases=databases,
            stages=args.users,
            stage_seconds=args.stage_seconds,
            spawn_rate=args.spawn_rate,
            workers=args.workers,
            think=args.think,
            decks=args.decks,
            postgres_url=args.postgres_url,
            redis_url=args.redis_url,
            keep=args.keep,
        )
    )


if __name__ == "__main__":
    sys.exit(main())
