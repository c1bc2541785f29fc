"""``make bench-cluster``: complete intakes through HAProxy with N = 1, 2, … instances, side by side with
one instance's Rasa reached directly (no balancer), and the CPU each message costs.

Each N gets a fresh cluster (``tools.cluster``) on a PostgreSQL database of its own (created, then
dropped) and the Redis of ``REDIS_URL``; the simulated citizens of ``make bench`` (``tools.bench.load``)
talk to the balancer's ``/webhooks/rest/webhook``. The CPU of every process of the cluster (Rasa,
action server, intake service per instance, HAProxy) is read from /proc during each level, that of the
PostgreSQL backends serving the run's database over each target's levels; Redis is shared with the rest
of the machine and not counted. Other work on the machine skews
every figure: the load average before each run is recorded with it.

Then, in the same run, plain Rasa (``make bench``'s baseline: ``rasa run`` on its default pipeline with
Rasa's own SQL tracker store and Redis lock store, no action server) at the same levels, for scale.

Usage: ``python -m tools.bench.cluster [--instances 1,2] [--levels 1,10] [--seconds 30] [--no-baseline]
[--out reports/cluster]``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

from bot import paths
from tools.bench.load import drive
from tools.bench.results import LevelResult
from tools.bench.targets import REST_PATH, Target
from tools.cluster import Cluster, ClusterSettings, ensure_database
from tools.stack import free_port


@contextlib.contextmanager
def bench_cluster(instances: int, database_server: str, redis_url: str) -> Iterator[Cluster]:
    """A cluster of ``instances`` on a database of its own, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from tools.training import latest_model

    model = latest_model()
    if model is None:
        raise SystemExit("no trained model: run `make train` first")
    url = make_url(database_server).set(database=f"intake_bench_{uuid.uuid4().hex[:8]}")
    ensure_database(url.render_as_string(hide_password=False))
    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as var:
        settings = ClusterSettings(
            instances=instances,
            port=free_port(),
            database_url=url.render_as_string(hide_password=False),
            redis_url=redis_url,
            var_dir=Path(var),
            model=model,
            extra_env={
                "RATE_LIMIT_EXEMPT": "127.0.0.1",
                "INTAKE_STAFF_TOKEN": uuid.uuid4().hex,
                "RASA_TOKEN": "",
            },
        )
        cluster = Cluster(settings)
        try:
            cluster.start()
            cluster.wait_ready()
            yield cluster
        finally:
            cluster.stop()
            admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT", future=True)
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
            admin.dispose()


def leaders(cluster: Cluster) -> dict[str, int]:
    """Process-group leaders to watch: every service of every instance, and the balancer."""
    found = {
        f"{name}-{n}": process.pid
        for n, stack in enumerate(cluster.instances, 1)
        for name, process in stack.processes.items()
    }
    if cluster.balancer is not None:
        found["haproxy"] = cluster.balancer.pid
    return found


def postgres_cpu_seconds(database_url: str) -> float:
    """CPU seconds so far of the PostgreSQL backends serving ``database_url``'s database (this machine's
    server only; the pools keep their connections, so the difference over a level is its cost)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from tools.bench.processes import cpu_seconds

    url = make_url(database_url)
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as conn:
            pids = conn.execute(
                text("SELECT pid FROM pg_stat_activity WHERE datname = :d AND pid <> pg_backend_pid()"),
                {"d": url.database},
            ).scalars()
            return cpu_seconds(list(pids))
    finally:
        engine.dispose()


def cpu_ms_per_message(result: LevelResult) -> float | None:
    cpu = sum(p.cpu_seconds for p in result.processes.values())
    return round(1000 * cpu / result.messages, 1) if result.messages else None


def render(rows: list[dict[str, object]], settings: dict[str, object]) -> str:
    lines = [
        "# Intakes through the balancer (`make bench-cluster`)",
        "",
        f"{settings['date']}, {settings['machine']}; model {settings['model']}; {settings['seconds']} s per level.",
        "",
        "| system | concurrent citizens | messages/s | intakes/min | p50 ms | p95 ms | errors "
        "| CPU ms/message | PostgreSQL ms/message | load before |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['system']} | {r['concurrency']} | {r['messages_per_s']} | {r['intakes_per_min']} | "
            f"{r['p50_ms']} | {r['p95_ms']} | {r['errors']} | {r['cpu_ms_per_message']} | "
            f"{r['postgres_ms_per_message']} | {r['load_before']} |"
        )
    return "\n".join(lines) + "\n"


def plain_rasa(levels: list[int], args: argparse.Namespace) -> list[dict[str, object]]:
    """The baseline of ``make bench`` (trained once per fingerprint) at the same levels, one worker."""
    import shutil

    from tools.bench.targets import baseline_model, baseline_server, server_settings

    load = round(os.getloadavg()[0], 2)
    print(f"plain Rasa (load average {load}) ...", flush=True)
    work = Path(tempfile.mkdtemp(prefix="bench-baseline-"))
    rows: list[dict[str, object]] = []
    try:
        model, _ = baseline_model(work)
        with baseline_server(model, work, server_settings("1", args.redis)) as target:
            for result in drive(target, levels, args.seconds, args.max_messages, args.seed):
                summary = {**result.summary(), "system": "plain Rasa (1 instance, direct)"}
                rows.append(
                    {
                        **summary,
                        "cpu_ms_per_message": cpu_ms_per_message(result),
                        "postgres_ms_per_message": None,
                        "load_before": load,
                    }
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tools.bench.cluster", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--instances", default="1,2", help="cluster sizes, comma-separated")
    parser.add_argument("--levels", default="1,10", help="concurrency levels, comma-separated")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--max-messages", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument(
        "--database",
        default=os.environ.get("DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/postgres",
    )
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
    parser.add_argument("--out", type=Path, default=paths.ROOT / "reports" / "cluster")
    parser.add_argument("--no-baseline", action="store_true", help="leave plain Rasa out")
    args = parser.parse_args(argv)
    levels = [int(x) for x in args.levels.split(",") if x.strip()]
    rows: list[dict[str, object]] = []
    model = "?"
    for instances in [int(x) for x in args.instances.split(",") if x.strip()]:
        load = round(os.getloadavg()[0], 2)
        print(f"cluster of {instances} (load average {load}) ...", flush=True)
        with bench_cluster(instances, args.database, args.redis) as cluster:
            model = cluster.settings.model.name if cluster.settings.model else "?"
            watched = leaders(cluster)
            targets = [
                Target(f"HAProxy + {instances} instance(s)", cluster.settings.url + REST_PATH, watched, None)
            ]
            if instances == 1:  # the same instance without the balancer: what HAProxy costs
                first = cluster.instances[0].settings
                direct = {k: v for k, v in watched.items() if k != "haproxy"}
                url = f"http://{first.host}:{first.rasa_port}{REST_PATH}"
                targets.insert(0, Target("1 instance, Rasa direct", url, direct, None))
            for target in targets:
                pg_before = postgres_cpu_seconds(cluster.settings.database_url)
                results = drive(target, levels, args.seconds, args.max_messages, args.seed)
                pg_ms = 1000 * (postgres_cpu_seconds(cluster.settings.database_url) - pg_before)
                messages = sum(r.messages for r in results)
                for result in results:
                    rows.append(
                        {
                            **result.summary(),
                            "cpu_ms_per_message": cpu_ms_per_message(result),
                            # over all levels of this target (its warm-up included): PostgreSQL's share
                            "postgres_ms_per_message": round(pg_ms / messages, 2) if messages else None,
                            "load_before": load,
                        }
                    )
    if not args.no_baseline:
        rows += plain_rasa(levels, args)
    settings = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{os.cpu_count()} CPUs (shared)",
        "model": model,
        "seconds": args.seconds,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.md").write_text(render(rows, settings), encoding="utf-8")
    (args.out / "bench.json").write_text(
        json.dumps({"settings": settings, "levels": rows}, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    print(render(rows, settings), flush=True)


if __name__ == "__main__":
    main()
