"""Locust's figures as tables: per page, in all, and every answer that was not a 2xx."""

from __future__ import annotations

from dataclasses import dataclass

# The plain-form flow answers a POST with 303 by design (Post/Redirect/Get): counted, not an error.
EXPECTED_REDIRECTS = {303}


@dataclass
class Stage:
    """One measured stretch: `users` learners for `seconds`, Locust's figures for it."""

    users: int
    seconds: float
    pages: dict[str, dict]
    total: dict
    statuses: list[dict]
    answers: int
    load_mean: float = 0.0
    load_peak: float = 0.0
    ramp: Stage | None = None  # the learners' arrival before the hold (sign-ups, logins, the others going on)

    @classmethod
    def from_json(cls, data: dict) -> Stage:
        ramp = cls.from_json(data["ramp"]) if data.get("ramp") else None
        return cls(
            data["users"],
            data["seconds"],
            data["pages"],
            data["all"],
            data["statuses"],
            data["answers"],
            data.get("load_mean", 0.0),
            data.get("load_peak", 0.0),
            ramp,
        )

    @property
    def errors(self) -> int:
        """Failed requests, the arrival's included: any status a learner did not expect, and connection
        errors."""
        return int(self.total["failures"]) + (self.ramp.errors if self.ramp else 0)

    @property
    def non_2xx(self) -> dict[int, int]:
        counts: dict[int, int] = {}
        for row in self.statuses:
            if not 200 <= row["status"] < 300:
                counts[row["status"]] = counts.get(row["status"], 0) + row["count"]
        return dict(sorted(counts.items()))

    @property
    def answers_per_second(self) -> float:
        return self.answers / self.seconds if self.seconds else 0.0

    def passes(self, p95_ms: float = 200.0) -> bool:
        return self.errors == 0 and self.total["requests"] > 0 and self.total["p95"] < p95_ms


def _row(name: str, figures: dict) -> str:
    return (
        f"{name:<40} {figures['requests']:>8,} {figures['per_second']:>7.1f} {figures['p50']:>6.0f} "
        f"{figures['p95']:>6.0f} {figures['p99']:>6.0f} {figures['max']:>7.0f} {figures['failures']:>6,}"
    )


def page_table(stage: Stage) -> str:
    """Throughput and latency (ms) per page, then in all, then every non-2xx answer."""
    header = (
        f"{'page':<40} {'requests':>8} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>7} {'errors':>6}"
    )
    lines = [header, "-" * len(header)]
    lines += [_row(name, figures) for name, figures in stage.pages.items()]
    lines += ["-" * len(header), _row("all pages", stage.total)]
    lines.append(f"answers accepted: {stage.answers:,} ({stage.answers_per_second:.1f}/s)")
    if stage.non_2xx:
        parts = []
        for status, count in stage.non_2xx.items():
            what = (
                "connection error"
                if status == 0
                else ("redirect after a form, expected" if status in EXPECTED_REDIRECTS else "")
            )
            parts.append(f"{status}: {count:,}" + (f" ({what})" if what else ""))
        lines.append("non-2xx answers: " + "; ".join(parts))
        unexpected = [
            f"  {row['name']}: {row['status']} x {row['count']}"
            for row in stage.statuses
            if not 200 <= row["status"] < 300 and row["status"] not in EXPECTED_REDIRECTS
        ]
        lines += unexpected
    else:
        lines.append("non-2xx answers: none")
    if stage.ramp is not None:
        ramp = stage.ramp
        arrivals = ", ".join(
            f"{name} x{figures['requests']} (p50 {figures['p50']:.0f} ms, p95 {figures['p95']:.0f} ms)"
            for name, figures in ramp.pages.items()
            if name in ("POST /signup", "POST /login") and figures["requests"]
        )
        lines.append(
            f"arrival before the hold ({ramp.seconds:.0f} s): {ramp.total['requests']:,} requests, "
            f"p95 {ramp.total['p95']:.0f} ms, {ramp.errors} errors; {arrivals or 'nobody new'}"
        )
    lines.append(f"errors: {stage.errors}")
    return "\n".join(lines)


def summary_table(label: str, stages: list[Stage], p95_ms: float = 200.0) -> str:
    header = (
        f"{'learners':>8} {'req/s':>7} {'answers/s':>9} {'p50':>5} {'p95':>5} {'p99':>5} {'errors':>6} "
        f"{'load avg':>8}  p95<{p95_ms:.0f}ms & 0 errors"
    )
    lines = [f"{label}", header]
    for stage in stages:
        total = stage.total
        lines.append(
            f"{stage.users:>8} {total['per_second']:>7.1f} {stage.answers_per_second:>9.1f} "
            f"{total['p50']:>5.0f} {total['p95']:>5.0f} {total['p99']:>5.0f} {stage.errors:>6} "
            f"{stage.load_mean:>8.1f}  "
            f"{'yes' if stage.passes(p95_ms) else 'no'}"
        )
    held = [stage.users for stage in stages if stage.passes(p95_ms)]
    largest = max(held) if held else "none"
    lines.append(f"largest number of learners held with p95 < {p95_ms:.0f} ms and 0 errors: {largest}")
    return "\n".join(lines)
