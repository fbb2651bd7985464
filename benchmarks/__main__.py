"""Run the benchmarks and print one table (progress goes to stderr).

`python -m benchmarks --only study --json` prints the study loop's figures as one JSON object instead;
`python -m benchmarks --profile` shows where the service-level time of "answer + next" goes.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import sys

from benchmarks import content, study_loop

# Benchmarks of one feature each, with a `run() -> rows` of their own.
FEATURES = ("nickname", "optimizer", "teach", "account", "forgot", "reader", "reminders", "stats")


def _positive(kind):
    def parse(value: str):
        number = kind(value)
        if number <= 0:
            raise argparse.ArgumentTypeError(f"must be above 0, got {value}")
        return number

    return parse


def main(argv: list[str] | None = None) -> None:
    defaults = study_loop.Sizes()
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description="Huanying benchmarks")
    parser.add_argument("--only", choices=("study", "content", *FEATURES), help="run one group of benchmarks")
    parser.add_argument(
        "--json", action="store_true", help="with --only study: the figures as one JSON object"
    )
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the service-level answer + next (backlog), top 25"
    )
    study = parser.add_argument_group("study loop sizes")
    study.add_argument(
        "--cards", type=_positive(int), default=defaults.cards, help="the main learners' cards"
    )
    study.add_argument(
        "--large-cards", type=_positive(int), default=defaults.large, help="the large collection"
    )
    study.add_argument(
        "--small-cards", type=_positive(int), default=defaults.small, help="the small collection"
    )
    study.add_argument(
        "--answers",
        type=_positive(int),
        default=defaults.answers,
        help="timed service-level answers per learner, and HTTP answers before the workers' memory is read",
    )
    study.add_argument(
        "--seconds", type=_positive(float), default=defaults.seconds, help="seconds of each HTTP measurement"
    )
    study.add_argument(
        "--reviews", type=_positive(int), default=defaults.reviews, help="answers in the stats learner's log"
    )
    args = parser.parse_args(argv)
    if args.json and args.only != "study":
        parser.error("--json needs --only study")
    sizes = study_loop.Sizes(
        cards=args.cards,
        large=args.large_cards,
        small=args.small_cards,
        answers=args.answers,
        seconds=args.seconds,
        reviews=args.reviews,
    )
    if args.profile:
        print(study_loop.profile(sizes))
        return
    rows: list[tuple[str, str]] = []
    if args.only in (None, "content"):
        rows += content.run()
    if args.only in (None, "study"):
        # With --json, anything else printed on the way (a library's messages) goes to stderr.
        with contextlib.redirect_stdout(sys.stderr if args.json else sys.stdout):
            study_rows, figures = study_loop.run(sizes)
        rows += study_rows
        if args.json:
            _table(rows, sys.stderr)  # for the eye; stdout holds only the JSON object
            json.dump(figures, sys.stdout, indent=2)
            print()
            return
    for name in FEATURES:
        if args.only in (None, name):
            rows += importlib.import_module(f"benchmarks.{name}").run()
    _table(rows, sys.stdout)


def _table(rows: list[tuple[str, str]], out) -> None:
    width = max(len(name) for name, _ in rows)
    print(file=out)
    print(f"{'benchmark'.ljust(width)}  result", file=out)
    print(f"{'-' * width}  {'-' * 30}", file=out)
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}", file=out)


if __name__ == "__main__":
    main()
