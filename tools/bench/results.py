"""The figures of a benchmark run: per-level results, percentiles, ours/baseline ratios."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation between ranks, as numpy's default."""
    if not values:
        return math.nan
    if not 0 <= q <= 100:
        raise ValueError(f"percentile out of range: {q}")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class ProcessStats:
    """CPU seconds used during a level and the largest resident set seen (process group)."""

    cpu_seconds: float
    peak_rss_mb: float


@dataclass
class LevelResult:
    """One system at one concurrency: what the citizens measured and what the processes used."""

    system: str
    concurrency: int
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    intakes: int = 0
    error_samples: list[str] = field(default_factory=list)
    processes: dict[str, ProcessStats] = field(default_factory=dict)

    @property
    def messages(self) -> int:
        return len(self.latencies_ms)

    @property
    def throughput(self) -> float:
        return self.messages / self.seconds if self.seconds > 0 else 0.0

    @property
    def intakes_per_minute(self) -> float:
        return 60 * self.intakes / self.seconds if self.seconds > 0 else 0.0

    def p(self, q: float) -> float:
        return percentile(self.latencies_ms, q)

    def summary(self) -> dict[str, object]:
        """The figures without the raw latencies (for bench.json)."""
        return {
            "system": self.system,
            "concurrency": self.concurrency,
            "seconds": round(self.seconds, 2),
            "messages": self.messages,
            "messages_per_s": round(self.throughput, 2),
            "intakes": self.intakes,
            "intakes_per_min": round(self.intakes_per_minute, 2),
            "p50_ms": round(self.p(50), 1),
            "p95_ms": round(self.p(95), 1),
            "p99_ms": round(self.p(99), 1),
            "errors": self.errors,
            "error_samples": self.error_samples[:5],
            "processes": {name: asdict(stats) for name, stats in self.processes.items()},
        }


@dataclass
class BenchRun:
    """Everything one ``make bench`` measured, for the report."""

    levels: list[LevelResult]
    cold_start_s: dict[str, float | None]
    training_s: float | None
    training_note: str
    settings: dict[str, object]


def ratios(run: BenchRun) -> list[tuple[int, float, float, float]]:
    """(concurrency, p50, p95, throughput) ours/baseline at each level both systems ran."""
    ours = {r.concurrency: r for r in run.levels if r.system == "ours"}
    base = {r.concurrency: r for r in run.levels if r.system == "baseline"}
    rows = []
    for level in sorted(ours.keys() & base.keys()):
        o, b = ours[level], base[level]
        rows.append((level, _div(o.p(50), b.p(50)), _div(o.p(95), b.p(95)), _div(o.throughput, b.throughput)))
    return rows


def _div(a: float, b: float) -> float:
    return a / b if b and not math.isnan(b) else math.nan
