"""Nicknames: learnapp.nickname.suggest() over 300 given names from the table of standard forms.

1. The first call in a fresh process (it loads pypinyin's syllable list for the pinyin checks).
2. Each of 300 names from the table of standard forms (every 3rd name, so many languages), in every
   feel and vibe and for the first two batches (`more` 0 and 1): median and p99 per call, in milliseconds.
3. Names that are not in the table (sounded out by the rules of their language), names with no Latin
   letters, and Chinese names typed in hanzi (offered back: pypinyin reads their given names).
"""

from __future__ import annotations

import statistics
import time

UNKNOWN = ["Brayden", "Jaxon", "Siobhan", "Begoña", "Oluwaseun", "Siddharth", "Min-jun Kim", "Xxxxxxxxxx" * 3]
NOT_LATIN = ["김민준", "😀🎉", "<b></b>", "محمد", "Владимир"]
HANZI = ["李雷", "欧阳娜娜", "曾思远", "习近平", "晓彤"]


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def _row(label: str, timings: list[float], cpu: list[float]) -> tuple[str, str]:
    return (
        label,
        f"median {statistics.median(timings):.2f} ms, p99 {_percentile(timings, 0.99):.2f} ms "
        f"(CPU time: median {statistics.median(cpu):.2f} ms, p99 {_percentile(cpu, 0.99):.2f} ms; "
        f"{len(timings):,} calls)",
    )


def _timed(call, timings: list[float], cpu: list[float]) -> None:
    """Wall time (what a request waits) and CPU time (the same without the machine's other work)."""
    started, started_cpu = time.perf_counter(), time.process_time()
    call()
    cpu.append((time.process_time() - started_cpu) * 1000)
    timings.append((time.perf_counter() - started) * 1000)


def run(names: int = 300) -> list[tuple[str, str]]:
    started = time.perf_counter()
    from learnapp.nickname import FEELS, VIBES, suggest, tables

    suggest("Emily", "feminine", "bright")
    rows = [
        (
            "nickname suggest, first call (imports included)",
            f"{(time.perf_counter() - started) * 1000:.0f} ms",
        )
    ]

    chosen = [name.capitalize() for name in sorted(tables.foreign_names())[::3][:names]]
    groups = [
        (f"{len(chosen)} names x feels x vibes x more 0-1", chosen, 2),
        ("sounded out (not in the table)", UNKNOWN, 4),
        ("no Latin letters", NOT_LATIN, 4),
        ("typed in hanzi", HANZI, 4),
    ]
    for label, group, batches in groups:
        timings: list[float] = []
        cpu: list[float] = []
        for name in group:
            for feel in FEELS:
                for vibe in (None, *VIBES):
                    for more in range(batches):
                        _timed(lambda: suggest(name, feel, vibe, more), timings, cpu)  # noqa: B023
        rows.append(_row(f"nickname suggest, {label}", timings, cpu))
    return rows


if __name__ == "__main__":
    results = run()
    width = max(len(name) for name, _ in results)
    for name, value in results:
        print(f"{name.ljust(width)}  {value}")
