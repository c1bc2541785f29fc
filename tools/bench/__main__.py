"""``make bench``: latency and throughput of complete intakes under load, against plain Rasa.

Why: we must know how fast the assistant answers, how many conversations one machine carries and
what our layers (validators, fact extraction, risk screening, ticket filing) cost over plain Rasa
with the same NLU pipeline. Simulated citizens (``tools.simulation``) talk to the REST channel from
an asyncio aiohttp client, N at once, each level bounded in time and in messages. Everything runs
on 127.0.0.1; every process started here is stopped here.

Usage: ``python -m tools.bench [--levels 1,10,50] [--seconds 45] [--url URL] [--no-baseline]
[--train] [--profile] [--out reports]``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bot import paths
from tools import simulation
from tools.bench.load import drive
from tools.bench.profile import profile
from tools.bench.report import fmt, render_markdown, write_plot
from tools.bench.results import BenchRun, LevelResult
from tools.bench.targets import baseline_model, baseline_server, our_stack, server_settings


def last_training(out: Path) -> tuple[float | None, str]:
    """The training time measured by an earlier ``--train`` run, if any."""
    with contextlib.suppress(OSError, ValueError, KeyError):
        previous = json.loads((out / "bench.json").read_text(encoding="utf-8"))
        if previous.get("training_s") is not None:
            return previous["training_s"], f"(measured {previous.get('training_measured', '?')})"
    return None, ""


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="1,10,50", help="concurrency levels, comma-separated")
    parser.add_argument("--seconds", type=float, default=45.0, help="duration of each level")
    parser.add_argument("--max-messages", type=int, default=20000, help="message cap of each level")
    parser.add_argument(
        "--url", help="use a running Rasa (e.g. http://127.0.0.1:5005) instead of starting one"
    )
    parser.add_argument("--systems", default="ours,baseline", help="which systems to load: ours, baseline")
    parser.add_argument("--no-baseline", action="store_true", help="same as --systems ours")
    parser.add_argument("--train", action="store_true", help="time tools.training.train(force=True) first")
    parser.add_argument("--profile", action="store_true", help="then profile rasa and actions at 10 (py-spy)")
    parser.add_argument(
        "--workers", default=os.environ.get("RASA_WORKERS", "auto"),
        help="Rasa worker processes of both systems; auto: one per core if Redis answers, else 1",
    )  # fmt: skip
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--out", type=Path, default=paths.ROOT / "reports")
    args = parser.parse_args(argv)
    levels = [int(x) for x in args.levels.split(",") if x.strip()]
    systems = {x.strip() for x in args.systems.split(",")} - ({"baseline"} if args.no_baseline else set())
    args.out.mkdir(parents=True, exist_ok=True)
    server = server_settings(args.workers, args.redis)
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    load_before = os.getloadavg()[0]  # other work on the machine skews every figure: say so
    training_s, training_note = last_training(args.out)
    measured = None
    if args.train:
        from tools.training import train

        started = time.monotonic()
        train(force=True)
        training_s, training_note = time.monotonic() - started, "(this run)"
        measured = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())

    results: list[LevelResult] = []
    cold: dict[str, float | None] = {}
    baseline_name = "–"
    our_model = "–"
    try:
        print(f"benchmark: levels {levels}, {args.seconds:.0f} s each; work dir {work}", flush=True)
        if "ours" in systems:
            with our_stack(args.url, work, server) as target:
                cold["ours"] = target.cold_start_s
                our_model = target.model
                print(f"  ours ready (cold start {fmt(target.cold_start_s)} s)", flush=True)
                results += drive(target, levels, args.seconds, args.max_messages, args.seed)
                if args.profile:
                    report = profile(target, args.seconds, args.max_messages, args.seed, args.out)
                    (args.out / "profile.md").write_text(report, encoding="utf-8")
                    print(report, flush=True)
        if "baseline" in systems:
            model, trained_s = baseline_model(work)
            baseline_name = model.name
            if trained_s is not None:
                print(f"  baseline trained in {trained_s:.0f} s", flush=True)
            with baseline_server(model, work, server) as target:
                cold["baseline"] = target.cold_start_s
                print(f"  baseline ready (cold start {fmt(target.cold_start_s)} s)", flush=True)
                results += drive(target, levels, args.seconds, args.max_messages, args.seed)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    run = BenchRun(
        levels=results,
        cold_start_s=cold,
        training_s=training_s,
        training_note=training_note,
        settings={
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "machine": f"{os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, Python {platform.python_version()}",
            "model": our_model,
            "baseline_model": baseline_name,
            "seconds": args.seconds,
            "max_messages": args.max_messages,
            "openings": str(simulation.OPENINGS.relative_to(paths.ROOT)),
            "load_before": round(load_before, 2),
            "server": server.describe(),
        },
    )
    (args.out / "bench.md").write_text(render_markdown(run), encoding="utf-8")
    write_plot(run, args.out / "bench.png")
    record = {
        "settings": run.settings,
        "cold_start_s": cold,
        "training_s": training_s,
        "training_measured": measured or (training_note.strip("()").removeprefix("measured ") or None),
        "levels": [r.summary() for r in results],
    }
    (args.out / "bench.json").write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"wrote {args.out / 'bench.md'}, {args.out / 'bench.png'}, {args.out / 'bench.json'}", flush=True)


if __name__ == "__main__":
    main()
