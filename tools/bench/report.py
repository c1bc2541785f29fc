"""The benchmark report: Markdown (figures, ratios, targets) and a PNG of latency and throughput."""

from __future__ import annotations

import math
from pathlib import Path

from tools.bench.results import BenchRun, ratios

# Targets of issue 8, each checked in the report.
TARGETS = {"p95_ms_at_10": 150.0, "messages_per_s": 60.0, "p95_ratio": 1.5, "cold_start_s": 30.0}


def fmt(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.{digits}f}"


def render_markdown(run: BenchRun) -> str:
    """The report: settings, one row per system and level, ratios, cold start and targets."""
    s = run.settings
    lines = [
        "# Benchmark: complete intakes over the REST channel",
        "",
        f"Run {s.get('date', '?')} on {s.get('machine', '?')}; model `{s.get('model', '?')}`, "
        f"baseline `{s.get('baseline_model', '–')}`. Levels bounded by {s.get('seconds', '?')} s "
        f"and {s.get('max_messages', '?')} messages each; message pool `{s.get('openings', '?')}`; "
        f"1-minute load average before the run {s.get('load_before', '?')}. Both systems run with "
        f"{s.get('server', '?')}.",
        "Latency is per message (REST request to full reply); throughput counts answered messages; "
        "an intake is complete when the case code arrives (baseline: when its scripted messages are "
        "answered). CPU is seconds used during the level; RSS is the largest seen during it (MB).",
        "",
        "| system | conc. | messages | msg/s | intakes/min | p50 ms | p95 ms | p99 ms | errors "
        "| CPU s rasa / actions / intake | peak RSS MB rasa / actions / intake |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in run.levels:
        cpu = " / ".join(fmt(r.processes[n].cpu_seconds) if n in r.processes else "–" for n in _PROCS)
        rss = " / ".join(fmt(r.processes[n].peak_rss_mb, 0) if n in r.processes else "–" for n in _PROCS)
        lines.append(
            f"| {r.system} | {r.concurrency} | {r.messages} | {fmt(r.throughput)} "
            f"| {fmt(r.intakes_per_minute)} | {fmt(r.p(50))} | {fmt(r.p(95))} | {fmt(r.p(99))} "
            f"| {r.errors} | {cpu} | {rss} |"
        )
    rows = ratios(run)
    if rows:
        lines += ["", "## Ours / baseline", "", "| conc. | p50 | p95 | throughput |", "|---:|---:|---:|---:|"]
        lines += [f"| {c} | {fmt(a, 2)} | {fmt(b, 2)} | {fmt(t, 2)} |" for c, a, b, t in rows]
    cold = ", ".join(f"{name} {fmt(v)} s" for name, v in run.cold_start_s.items())
    training = f"{fmt(run.training_s, 0)} s" if run.training_s is not None else "not measured"
    lines += [
        "",
        f"Cold start (processes started → all healthy, model trained): {cold or 'not measured'}.",
        f"Training (`tools.training.train(force=True)`): {training} {run.training_note}".rstrip() + ".",
        "",
        "## Targets (issue 8)",
        "",
        *_target_lines(run),
    ]
    errors = [(r.system, r.concurrency, e) for r in run.levels for e in r.error_samples[:3]]
    if errors:
        lines += ["", "## Error samples", ""] + [f"- {s} @{c}: {e}" for s, c, e in errors]
    return "\n".join(lines) + "\n"


_PROCS = ("rasa", "actions", "intake")


def _target_lines(run: BenchRun) -> list[str]:
    ours = {r.concurrency: r for r in run.levels if r.system == "ours"}
    out = []

    def verdict(ok: bool | None) -> str:
        return "n/a" if ok is None else ("met" if ok else "**missed**")

    at10 = ours.get(10)
    p95 = at10.p(95) if at10 else None
    out.append(f"- p95 ≤ {TARGETS['p95_ms_at_10']:.0f} ms at 10 conversations: {fmt(p95)} ms — "
               f"{verdict(None if p95 is None else p95 <= TARGETS['p95_ms_at_10'])}")  # fmt: skip
    best = max(ours.values(), key=lambda r: r.throughput, default=None)
    clean = best is not None and best.errors == 0
    ok_tp = None if best is None else best.throughput >= TARGETS["messages_per_s"] and clean
    out.append(
        f"- ≥ {TARGETS['messages_per_s']:.0f} messages/s with zero errors: best "
        f"{fmt(best.throughput if best else None)} msg/s at {best.concurrency if best else '–'} "
        f"({best.errors if best else '–'} errors) — {verdict(ok_tp)}"
    )
    worst = max((b for _, _, b, _ in ratios(run) if not math.isnan(b)), default=None)
    out.append(
        f"- p95 within {TARGETS['p95_ratio']}× baseline: worst ratio {fmt(worst, 2)} — "
        f"{verdict(None if worst is None else worst <= TARGETS['p95_ratio'])}"
    )
    cold = run.cold_start_s.get("ours")
    out.append(
        f"- cold start ≤ {TARGETS['cold_start_s']:.0f} s: {fmt(cold)} s — "
        f"{verdict(None if cold is None else cold <= TARGETS['cold_start_s'])}"
    )
    return out


def write_plot(run: BenchRun, target: Path) -> None:
    """Latency percentiles and throughput against concurrency, ours solid and baseline dashed."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (lat, tp) = plt.subplots(1, 2, figsize=(11, 4.2))
    for system, style in (("ours", "-"), ("baseline", "--")):
        rows = sorted((r for r in run.levels if r.system == system), key=lambda r: r.concurrency)
        if not rows:
            continue
        xs = [r.concurrency for r in rows]
        for q, colour in ((50, "tab:blue"), (95, "tab:orange"), (99, "tab:red")):
            lat.plot(xs, [r.p(q) for r in rows], style, marker="o", color=colour, label=f"{system} p{q}")
        tp.plot(xs, [r.throughput for r in rows], style, marker="o", color="tab:green", label=system)
    for ax in (lat, tp):
        ax.set_xscale("log")
        ax.set_xlabel("concurrent conversations")
        ax.grid(True, which="both", alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8)
    lat.set_yscale("log")
    lat.set_ylabel("latency per message (ms)")
    lat.set_title("Latency percentiles")
    tp.set_ylabel("messages / s")
    tp.set_title("Throughput")
    fig.tight_layout()
    fig.savefig(target, dpi=110)
    plt.close(fig)
