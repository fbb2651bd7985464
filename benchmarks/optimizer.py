"""FSRS parameter optimisation (learnapp.srs.optimizer, fsrs-rs in Rust) on simulated learners' logs.

A learner whose memory follows FSRS with known parameters is simulated (py-fsrs, seeded); the first N
reviews of their log, in time order, are handed to `optimise` as the page would hand a learner's log:
conversion to fsrs-rs items, training, and the evaluation of the old and the new parameters. Wall time,
median and worst of `repeat` runs, for 10,000 reviews (the target: under 2 s on the 2-core server) and for
larger logs, to show how it scales.
"""

from __future__ import annotations

import statistics
import time

SIZES = (10_000, 50_000, 100_000)


def _duration(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _timed(function, repeat: int) -> tuple[float, float, object]:
    timings = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), max(timings), result


def run(repeat: int = 5, sizes: tuple[int, ...] = SIZES) -> list[tuple[str, str]]:
    from learnapp.srs.optimizer import WEAK_LEARNER, build_items, optimise, simulate_log

    rows: list[tuple[str, str]] = []
    started = time.perf_counter()
    full = simulate_log(WEAK_LEARNER, cards=6_000, days=365, seed=1)
    simulated = time.perf_counter() - started
    if len(full) < max(sizes):
        raise RuntimeError(f"the simulated log has {len(full):,} reviews, fewer than {max(sizes):,}")
    rows.append(("simulate a learner (py-fsrs)", f"{_duration(simulated)} for {len(full):,} reviews"))
    for size in sizes:
        log = full[:size]
        median, worst, _ = _timed(lambda log=log: build_items(log), repeat)
        items = len(build_items(log))
        rows.append(
            (f"build_items {size:,} reviews", f"median {_duration(median)}, worst {_duration(worst)}")
        )
        median, worst, fit = _timed(lambda log=log: optimise(log), repeat)
        rows.append(
            (
                f"optimise {size:,} reviews ({items:,} items)",
                f"median {_duration(median)}, worst {_duration(worst)}; log loss {fit.before.log_loss:.4f} → "
                f"{fit.after.log_loss:.4f}",
            )
        )
    return rows


def main() -> None:
    rows = run()
    width = max(len(name) for name, _ in rows)
    print(f"{'benchmark'.ljust(width)}  result")
    print(f"{'-' * width}  {'-' * 30}")
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")


if __name__ == "__main__":
    main()
