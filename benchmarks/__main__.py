"""Run every benchmark and print one table."""

from __future__ import annotations

import argparse
import importlib

from benchmarks import content, study_loop

# Benchmarks of one feature each, with a `run() -> rows` of their own.
FEATURES = ("nickname", "optimizer", "teach", "account")


def main() -> None:
    parser = argparse.ArgumentParser(description="Huanying benchmarks")
    parser.add_argument("--cards", type=int, default=20_000, help="cards in the learner's collection")
    parser.add_argument("--answers", type=int, default=1_000, help="service-level answers to time")
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each HTTP measurement")
    parser.add_argument("--only", choices=("study", "content", *FEATURES), help="run one group of benchmarks")
    args = parser.parse_args()
    rows = []
    if args.only in (None, "content"):
        rows += content.run()
    if args.only in (None, "study"):
        rows += study_loop.run(cards=args.cards, answers=args.answers, seconds=args.seconds)
    for name in FEATURES:
        if args.only in (None, name):
            rows += importlib.import_module(f"benchmarks.{name}").run()
    width = max(len(name) for name, _ in rows)
    print()
    print(f"{'benchmark'.ljust(width)}  result")
    print(f"{'-' * width}  {'-' * 30}")
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")


if __name__ == "__main__":
    main()
