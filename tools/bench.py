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
import asyncio
import contextlib
import hashlib
import itertools
import json
import math
import os
import platform
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import yaml

from bot import paths
from tools import simulation

HOST = "127.0.0.1"
REST_PATH = "/webhooks/rest/webhook"
MESSAGE_TIMEOUT = 30.0  # seconds per message; a slower answer counts as an error
MAX_TURNS = 30  # per intake: a citizen gives up after this many answers
BASELINE_PREFIX = "baseline-"
# Intents Rasa answers with its own default actions (action_restart, ...): a rule would contradict.
RASA_DEFAULT_INTENTS = frozenset({"restart", "back", "session_start"})
CLK_TCK = os.sysconf("SC_CLK_TCK")
TARGETS = {"p95_ms_at_10": 150.0, "messages_per_s": 60.0, "p95_ratio": 1.5, "cold_start_s": 30.0}


# --- figures (pure) ---------------------------------------------------------------------------


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


def _fmt(value: float | None, digits: int = 1) -> str:
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
        cpu = " / ".join(_fmt(r.processes[n].cpu_seconds) if n in r.processes else "–" for n in _PROCS)
        rss = " / ".join(_fmt(r.processes[n].peak_rss_mb, 0) if n in r.processes else "–" for n in _PROCS)
        lines.append(
            f"| {r.system} | {r.concurrency} | {r.messages} | {_fmt(r.throughput)} "
            f"| {_fmt(r.intakes_per_minute)} | {_fmt(r.p(50))} | {_fmt(r.p(95))} | {_fmt(r.p(99))} "
            f"| {r.errors} | {cpu} | {rss} |"
        )
    rows = ratios(run)
    if rows:
        lines += ["", "## Ours / baseline", "", "| conc. | p50 | p95 | throughput |", "|---:|---:|---:|---:|"]
        lines += [f"| {c} | {_fmt(a, 2)} | {_fmt(b, 2)} | {_fmt(t, 2)} |" for c, a, b, t in rows]
    cold = ", ".join(f"{name} {_fmt(v)} s" for name, v in run.cold_start_s.items())
    training = f"{_fmt(run.training_s, 0)} s" if run.training_s is not None else "not measured"
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
    out.append(f"- p95 ≤ {TARGETS['p95_ms_at_10']:.0f} ms at 10 conversations: {_fmt(p95)} ms — "
               f"{verdict(None if p95 is None else p95 <= TARGETS['p95_ms_at_10'])}")  # fmt: skip
    best = max(ours.values(), key=lambda r: r.throughput, default=None)
    clean = best is not None and best.errors == 0
    ok_tp = None if best is None else best.throughput >= TARGETS["messages_per_s"] and clean
    out.append(
        f"- ≥ {TARGETS['messages_per_s']:.0f} messages/s with zero errors: best "
        f"{_fmt(best.throughput if best else None)} msg/s at {best.concurrency if best else '–'} "
        f"({best.errors if best else '–'} errors) — {verdict(ok_tp)}"
    )
    worst = max((b for _, _, b, _ in ratios(run) if not math.isnan(b)), default=None)
    out.append(
        f"- p95 within {TARGETS['p95_ratio']}× baseline: worst ratio {_fmt(worst, 2)} — "
        f"{verdict(None if worst is None else worst <= TARGETS['p95_ratio'])}"
    )
    cold = run.cold_start_s.get("ours")
    out.append(
        f"- cold start ≤ {TARGETS['cold_start_s']:.0f} s: {_fmt(cold)} s — "
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


# --- processes ----------------------------------------------------------------------------------


def _stat_fields(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2 :].split()  # fields from 3 (state) on


def group_pids(leader: int) -> list[int]:
    """Processes of the leader's process group (the stack starts each service in its own)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields and int(fields[2]) == leader:
                pids.append(int(entry.name))
    return pids or [leader]


def cpu_seconds(pids: Sequence[int]) -> float:
    """User + system CPU seconds of these processes (fields 14 and 15 of /proc/<pid>/stat)."""
    total = 0
    for pid in pids:
        fields = _stat_fields(pid)
        if fields:
            total += int(fields[11]) + int(fields[12])
    return total / CLK_TCK


def rss_mb(pids: Sequence[int], key: str = "VmRSS") -> float:
    """Resident memory of these processes from /proc/<pid>/status, in MB."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith(key + ":"):
                    total += int(line.split()[1])
    return total / 1024


class ProcessMonitor:
    """CPU and peak RSS per service during a level: CPU by difference, RSS sampled twice a second."""

    def __init__(self, leaders: dict[str, int]) -> None:
        self.leaders = leaders
        self._cpu: dict[str, float] = {}
        self._peak: dict[str, float] = {}

    def _pids(self) -> dict[str, list[int]]:
        return {name: group_pids(pid) for name, pid in self.leaders.items()}

    def begin(self) -> None:
        groups = self._pids()
        self._cpu = {name: cpu_seconds(pids) for name, pids in groups.items()}
        self._peak = {name: rss_mb(pids) for name, pids in groups.items()}

    def sample(self) -> None:
        for name, pids in self._pids().items():
            self._peak[name] = max(self._peak.get(name, 0.0), rss_mb(pids))

    def end(self) -> dict[str, ProcessStats]:
        self.sample()
        return {
            name: ProcessStats(
                round(cpu_seconds(pids) - self._cpu.get(name, 0.0), 2), round(self._peak[name], 1)
            )
            for name, pids in self._pids().items()
        }


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status < 500
    except (urllib.error.URLError, OSError):
        return False


def _stop_group(process: subprocess.Popen, grace: float = 10.0) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=grace)


# --- the two systems ----------------------------------------------------------------------------


@dataclass
class Target:
    """A system under load: where its REST channel is and which processes to watch."""

    system: str
    rest_url: str
    leaders: dict[str, int]
    cold_start_s: float | None
    model: str = "?"


@dataclass
class ServerSettings:
    """How both systems' Rasa servers run: worker processes and the lock store they share."""

    workers: int = 1
    redis_url: str | None = None

    def describe(self) -> str:
        lock = f"Redis lock store ({self.redis_url})" if self.redis_url else "in-memory lock store"
        return f"{self.workers} Rasa worker(s), {lock}, SQLite tracker database"


def server_settings(workers: str, redis_url: str) -> ServerSettings:
    """``--workers auto``: one Rasa worker per core when a Redis lock store is at hand (as the README
    advises for production), else a single worker."""
    from tools.stack import redis_answers

    usable = redis_answers(redis_url)
    if workers == "auto":
        count = max(1, os.cpu_count() or 1) if usable else 1
        if not usable:
            print(
                f"  no Redis at {redis_url}: one Rasa worker (several need a shared lock store)", flush=True
            )
    else:
        count = int(workers)
        if count > 1 and not usable:
            raise SystemExit(f"--workers {count} needs a Redis lock store; none answers at {redis_url}")
    return ServerSettings(workers=count, redis_url=redis_url if count > 1 else None)


@contextlib.contextmanager
def our_stack(url: str | None, work: Path, server: ServerSettings) -> Iterator[Target]:
    """The full stack on spare ports with a fresh VAR_DIR, or the one already running at ``url``."""
    if url:
        yield Target("ours", url.rstrip("/") + REST_PATH, {}, None, url)
        return
    from tools.stack import Stack, StackSettings
    from tools.training import latest_model

    model = latest_model()
    if model is None:
        raise SystemExit("no trained model: run `make train` first")
    settings = StackSettings(
        host=HOST,
        rasa_port=free_port(),
        action_port=free_port(),
        intake_port=free_port(),
        var_dir=work / "var",
        model=model,
        redis_url=server.redis_url,
        rasa_workers=server.workers,
    )
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    stack = Stack(settings)
    started = time.monotonic()
    try:
        stack.start()
        stack.wait_ready(timeout=300)
        cold = time.monotonic() - started
        leaders = {name: p.pid for name, p in stack.processes.items()}
        yield Target("ours", settings.urls["rest"], leaders, cold, model.name)
    finally:
        stack.stop()


def nlu_intents() -> list[str]:
    """Every intent of the NLU training data, plus the fallback classifier's."""
    intents: set[str] = {"nlu_fallback"}
    for path in sorted((paths.NLU_DATA / "nlu").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        intents.update(item["intent"] for item in data.get("nlu", []) if "intent" in item)
    return sorted(intents)


def baseline_files(intents: Sequence[str]) -> dict[str, str]:
    """Config (our NLU pipeline, RulePolicy only), a trivial domain and one rule per intent."""
    config = yaml.safe_load(paths.CONFIG.read_text(encoding="utf-8"))
    config["assistant_id"] = "bench-baseline"
    config["policies"] = [{"name": "RulePolicy"}]
    domain = {
        "version": "3.1",
        "intents": list(intents),
        "responses": {f"utter_{i}": [{"text": f"收到（{i}）。"}] for i in intents},
        "session_config": {"session_expiration_time": 60, "carry_over_slots_to_new_session": True},
    }
    answered = [i for i in intents if i not in RASA_DEFAULT_INTENTS]
    rules = {
        "version": "3.1",
        "rules": [{"rule": i, "steps": [{"intent": i}, {"action": f"utter_{i}"}]} for i in answered],
    }
    dump = lambda data: yaml.safe_dump(data, allow_unicode=True, sort_keys=False)  # noqa: E731
    return {"config.yml": dump(config), "domain.yml": dump(domain), "rules.yml": dump(rules)}


def baseline_model(work: Path) -> tuple[Path, float | None]:
    """The baseline model, trained once per fingerprint (pipeline, NLU data, our NLU code, files)."""
    from tools.training import _fingerprint_inputs

    files = baseline_files(nlu_intents())
    skip = (paths.DOMAIN, paths.DIALOGUE_DATA)
    digest = hashlib.sha256()
    for path in _fingerprint_inputs():
        if not any(path.is_relative_to(folder) for folder in skip):
            digest.update(str(path.relative_to(paths.ROOT)).encode() + path.read_bytes())
    for name, text in sorted(files.items()):
        digest.update(name.encode() + text.encode())
    target = paths.MODELS / f"{BASELINE_PREFIX}{digest.hexdigest()[:16]}.tar.gz"
    if target.exists():
        return target, None
    build = work / "baseline"
    build.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (build / name).write_text(text, encoding="utf-8")
    print(f"training the baseline {target.name} ...", flush=True)
    started = time.monotonic()
    cmd = [
        sys.executable, "-m", "rasa", "train",
        "--config", str(build / "config.yml"), "--domain", str(build / "domain.yml"),
        "--data", str(paths.NLU_DATA / "nlu"), str(build / "rules.yml"),
        "--out", str(build), "--fixed-model-name", "baseline", "--force",
    ]  # fmt: skip
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false")
    log = build / "train.log"
    with open(log, "wb") as out:
        done = subprocess.run(
            cmd, cwd=paths.ROOT, env=env, timeout=1800, stdout=out, stderr=subprocess.STDOUT
        )
    if done.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-25:]
        raise RuntimeError("training the baseline failed:\n" + "\n".join(tail))
    seconds = time.monotonic() - started
    paths.MODELS.mkdir(parents=True, exist_ok=True)
    shutil.move(str(build / "baseline.tar.gz"), target)
    for stale in paths.MODELS.glob(f"{BASELINE_PREFIX}*.tar.gz"):
        if stale != target:
            stale.unlink()
    return target, seconds


def rasa_redis_lock_store(url: str) -> dict[str, Any]:
    """Rasa's ``type: redis`` lock store for a ``redis://host:port/db`` URL."""
    from urllib.parse import urlparse

    parts = urlparse(url)
    return {
        "type": "redis",
        "url": parts.hostname,
        "port": parts.port or 6379,
        "db": int((parts.path or "/0").strip("/") or 0),
    }


@contextlib.contextmanager
def baseline_server(model: Path, work: Path, server: ServerSettings) -> Iterator[Target]:
    """Plain ``rasa run`` (REST only, no action server, Rasa's own SQL tracker store) with the same
    database, lock store and number of workers as ours."""
    from tools.stack import StackSettings, write_endpoints

    folder = work / "baseline-run"
    folder.mkdir(parents=True, exist_ok=True)
    endpoints = yaml.safe_load(
        write_endpoints(StackSettings(var_dir=folder, redis_url=server.redis_url)).read_text(encoding="utf-8")
    )
    endpoints.pop("action_endpoint", None)
    endpoints["tracker_store"].pop("cache_size", None)
    endpoints["tracker_store"]["type"] = "SQL"  # plain Rasa: its own SQL tracker store …
    if server.redis_url:  # … and its own Redis lock store
        endpoints["lock_store"] = rasa_redis_lock_store(server.redis_url)
    (folder / "endpoints.yml").write_text(yaml.safe_dump(endpoints), encoding="utf-8")
    (folder / "credentials.yml").write_text("rest:\n", encoding="utf-8")
    port = free_port()
    cmd = [
        sys.executable, "-m", "rasa", "run", "-i", HOST, "-p", str(port), "--model", str(model),
        "--endpoints", str(folder / "endpoints.yml"), "--credentials", str(folder / "credentials.yml"),
    ]  # fmt: skip
    env = dict(
        os.environ,
        RASA_TELEMETRY_ENABLED="false",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
        SANIC_WORKERS=str(server.workers),
    )
    started = time.monotonic()
    with open(folder / "rasa.log", "ab") as log:
        process = subprocess.Popen(
            cmd, cwd=paths.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = started + 300
        while not _answers(f"http://{HOST}:{port}/"):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = (folder / "rasa.log").read_text(errors="replace").splitlines()[-30:]
                raise RuntimeError("baseline rasa did not start:\n" + "\n".join(tail))
            time.sleep(0.5)
        cold = time.monotonic() - started
        yield Target("baseline", f"http://{HOST}:{port}{REST_PATH}", {"rasa": process.pid}, cold, model.name)
    finally:
        _stop_group(process)


# --- load ---------------------------------------------------------------------------------------


class Budget:
    """Shared bounds of one level: a deadline and a number of messages, whichever comes first."""

    def __init__(self, seconds: float, max_messages: int) -> None:
        self.deadline = time.monotonic() + seconds
        self.left = max_messages

    def take(self) -> bool:
        if self.left <= 0 or time.monotonic() >= self.deadline:
            return False
        self.left -= 1
        return True


async def _send(
    session: aiohttp.ClientSession,
    url: str,
    sender: str,
    text: str,
    result: LevelResult,
    allow_empty: bool = False,
) -> list[str] | None:
    """One message; its latency on success, an error (and None) otherwise.

    A message without reply is an error for ours (the assistant always answers); the baseline
    answers ``restart`` with Rasa's silent ``action_restart``, so there it is allowed.
    """
    started = time.perf_counter()
    try:
        async with session.post(url, json={"sender": sender, "message": text}) as response:
            body = await response.json(content_type=None) if response.status == 200 else None
            status = response.status
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
        result.errors += 1
        result.error_samples.append(f"{type(error).__name__}: {error}"[:200])
        return None
    elapsed = (time.perf_counter() - started) * 1000
    replies = [r.get("text", "") for r in body or [] if isinstance(r, dict)]
    if status != 200 or (not replies and not allow_empty):
        result.errors += 1
        result.error_samples.append(f"HTTP {status}, {len(replies)} replies to {text!r}")
        return None
    result.latencies_ms.append(elapsed)
    return replies


async def _citizen(target: Target, budget: Budget, rng: random.Random, result: LevelResult) -> None:
    """Complete intakes one after another until the level's budget is spent.

    Each intake is a new citizen on their own connection (kept alive for that conversation), as
    phones and browsers come and go: with several Rasa workers the kernel then spreads the
    conversations over them. With ten connections held for the whole level, one worker could
    carry seven of them for its duration, which moved p95 at 10 by ±20% between runs.
    """
    openings = simulation.load_openings()
    timeout = aiohttp.ClientTimeout(total=MESSAGE_TIMEOUT)
    while budget.take():
        async with aiohttp.ClientSession(timeout=timeout) as session:
            await _intake(session, target, budget, rng, result, rng.choice(openings))


async def _intake(
    session: aiohttp.ClientSession,
    target: Target,
    budget: Budget,
    rng: random.Random,
    result: LevelResult,
    opening: simulation.Opening,
) -> None:
    answers = simulation.pick_answers(opening.category, rng)
    sender = f"bench-{uuid.uuid4().hex[:12]}"
    if target.system == "baseline":
        script = simulation.scripted_messages(opening.category, opening.text, answers)
        done = await _send(session, target.rest_url, sender, script[0], result, True) is not None
        for text in script[1:]:
            if not done or not budget.take():
                done = False
                break
            done = await _send(session, target.rest_url, sender, text, result, True) is not None
        result.intakes += done
        return
    replies = await _send(session, target.rest_url, sender, opening.text, result)
    for _ in range(MAX_TURNS):
        if replies is None:
            break
        if simulation.case_code(replies):
            result.intakes += 1
            break
        if not budget.take():
            break
        answer = simulation.answer_for(simulation.question_of(replies), answers)
        replies = await _send(session, target.rest_url, sender, answer, result)


async def run_level(
    target: Target, concurrency: int, seconds: float, max_messages: int, seed: int
) -> LevelResult:
    """N citizens at once for at most ``seconds`` (plus one message timeout) and ``max_messages``."""
    result = LevelResult(target.system, concurrency, 0.0)
    monitor = ProcessMonitor(target.leaders)
    monitor.begin()
    budget = Budget(seconds, max_messages)
    started = time.monotonic()
    citizens = [
        asyncio.create_task(_citizen(target, budget, random.Random(seed * 1000 + i), result))
        for i in range(concurrency)
    ]
    ceiling = time.monotonic() + seconds + MESSAGE_TIMEOUT + 5
    while citizens and time.monotonic() < ceiling:
        done, pending = await asyncio.wait(citizens, timeout=0.5)
        for task in done:
            task.result()  # a bug in the client should fail the run, not hide as an error count
        citizens = list(pending)
        monitor.sample()
    for task in citizens:
        task.cancel()
    result.seconds = time.monotonic() - started
    result.processes = monitor.end()
    return result


def drive(
    target: Target, levels: Sequence[int], seconds: float, max_messages: int, seed: int
) -> list[LevelResult]:
    """A short warm-up (first messages load lazily), then each level in turn."""
    asyncio.run(run_level(target, 2, min(10.0, seconds), 40, seed - 1))
    results = []
    for level in levels:
        result = asyncio.run(run_level(target, level, seconds, max_messages, seed))
        print(
            f"  {target.system} @{level}: {result.messages} msgs, {result.throughput:.1f}/s, "
            f"p50 {result.p(50):.0f} ms, p95 {result.p(95):.0f} ms, p99 {result.p(99):.0f} ms, "
            f"{result.intakes} intakes, {result.errors} errors",
            flush=True,
        )
        results.append(result)
    return results


# --- profile ------------------------------------------------------------------------------------


def summarise_profile(collapsed: str, top: int = 25) -> list[tuple[str, float, float]]:
    """(function, inclusive %, self %) of our code (bot/, actions/, connectors/) in py-spy's raw output.

    Each line of the raw format is ``frame;frame;... count``; a function counts once per stack.
    """
    ours = ("bot/", "actions/", "connectors/")
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for stack, samples in _samples(collapsed):
        total += samples
        frames = [_short_frame(f) for f in stack]
        for frame in {f for f in frames if f.split(" ", 1)[-1].startswith(ours)}:
            inclusive[frame] += samples
        if frames[-1].split(" ", 1)[-1].startswith(ours):
            own[frames[-1]] += samples
    if not total:
        return []
    return [(f, 100 * n / total, 100 * own[f] / total) for f, n in inclusive.most_common(top)]


# Where a message's time goes, by stage: (process, label, frames as ``func path-suffix``, "|" = or).
STAGES: tuple[tuple[str, str, str], ...] = (
    ("rasa", "handling REST messages (all of it)", "handle_message rasa/core/processor.py"),
    ("rasa", "NLU pipeline", "_parse_message_with_graph rasa/core/processor.py"),
    ("rasa", "  our intent classifier", "process connectors/nlu/linear_classifier.py"),
    ("rasa", "  our fact extraction", "process connectors/nlu/fact_extractor.py"),
    ("rasa", "  our risk screening", "process connectors/nlu/risk_screener.py"),
    (
        "rasa",
        "  our normaliser + tokenizer",
        "process connectors/nlu/normalizer.py|tokenize connectors/nlu/tokenizer.py",
    ),
    ("rasa", "policies (next action)", "_predict_next_with_tracker rasa/core/processor.py"),
    ("rasa", "calls to the action server (HTTP)", "request rasa/utils/endpoints.py"),
    (
        "rasa",
        "validating action-server replies (jsonschema)",
        # Rasa's check, or ours where connectors.rasa_speedups replaced it
        "_validate_action_result rasa/core/actions/action.py|_validate_action_result connectors/rasa_speedups.py",
    ),
    # Rasa's SQL store and our cached one (which reads through Rasa's only on a miss)
    (
        "rasa",
        "tracker store read (SQLite)",
        "retrieve rasa/core/tracker_store.py|retrieve connectors/stores/tracker_store.py",
    ),
    (
        "rasa",
        "tracker store write (SQLite)",
        "save rasa/core/tracker_store.py|save connectors/stores/tracker_store.py",
    ),
    # taking and giving back the conversation's turn (Redis), Rasa's store or ours
    (
        "rasa",
        "conversation lock (Redis)",
        "lock rasa/core/lock_store.py|lock connectors/stores/lock_store.py",
    ),
    ("actions", "handling action requests (all of it)", "webhook rasa_sdk/endpoint.py"),
    ("actions", "ticket filing (store writes)", "file_ticket bot/storage/filing.py"),
)


def stage_shares(collapsed: str, process: str) -> list[tuple[str, float]]:
    """(stage, % of samples) for the ``STAGES`` of one process; a stage counts once per stack."""
    stages = [(label, frame) for name, label, frame in STAGES if name == process]
    counts = dict.fromkeys((label for label, _ in stages), 0)
    total = 0
    for stack, samples in _samples(collapsed):
        total += samples
        frames = {_short_frame(f) for f in stack}
        for label, wanted in stages:
            if any(_matches(f, w) for f in frames for w in wanted.split("|")):
                counts[label] += samples
    return [(label, 100 * n / total if total else 0.0) for label, n in counts.items()]


def _samples(raw: str) -> Iterator[tuple[list[str], int]]:
    """(frames, count) per stack of py-spy's raw output.

    With ``--subprocesses`` a stack starts with ``process PID:"command"`` frames, parents first. Those
    frames are dropped, and so are the samples of a process whose children were recorded too: Sanic's
    main process only waits for its workers, and would dilute every share.
    """
    stacks: list[tuple[str | None, list[str], int]] = []
    parents: set[str] = set()
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        processes = list(itertools.takewhile(lambda f: f.startswith("process "), frames))
        parents.update(processes[:-1])
        stacks.append((processes[-1] if processes else None, frames[len(processes) :], int(count)))
    for process, frames, count in stacks:
        if process not in parents:
            yield frames, count


def _matches(frame: str, wanted: str) -> bool:
    """``func path`` against ``func path-suffix`` (py-spy shortens site-packages paths)."""
    name, _, where = frame.partition(" ")
    wanted_name, _, wanted_where = wanted.partition(" ")
    return name == wanted_name and where.endswith(wanted_where)


def _short_frame(frame: str) -> str:
    """``func (/work/main/bot/x.py:12)`` → ``func bot/x.py`` (lines differ within one function)."""
    name, _, where = frame.partition(" (")
    where = where.rstrip(")").rsplit(":", 1)[0]
    root = str(paths.ROOT) + "/"
    return f"{name} {where.removeprefix(root)}"


def profile(target: Target, seconds: float, max_messages: int, seed: int, out: Path) -> str:
    """py-spy on rasa and the action server during a concurrency-10 level; a Markdown summary.

    ``--subprocesses``: with several workers, Sanic's main process only waits; the workers answer.

    The raw samples (py-spy's ``raw`` format, megabytes) are kept next to the report for a closer
    look (``profile-rasa.txt``, ``profile-actions.txt``); the summary goes to the report.
    """
    spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
    if spy is None:
        return "py-spy not installed (`.venv/bin/pip install py-spy`): no profile.\n"
    recorders = {}
    for name in ("rasa", "actions"):
        if name in target.leaders:
            raw = out / f"profile-{name}.txt"
            cmd = [spy, "record", "--pid", str(target.leaders[name]), "--format", "raw", "--rate", "100",
                   "--duration", str(int(seconds)), "--nonblocking", "--subprocesses",
                   "--output", str(raw)]  # fmt: skip
            recorders[name] = (
                subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
                raw,
            )
    result = asyncio.run(run_level(target, 10, seconds, max_messages, seed))
    lines = [
        "# Profile at 10 concurrent conversations (py-spy, CPU samples, our code only)",
        "",
        f"{result.messages} messages, {result.throughput:.1f}/s, p50 {result.p(50):.0f} ms, "
        f"p95 {result.p(95):.0f} ms (py-spy attached, so slower than the benchmark). CPU seconds in "
        f"{result.seconds:.0f} s: "
        + ", ".join(f"{n} {st.cpu_seconds:.1f}" for n, st in result.processes.items())
        + ". Shares are of all samples of the process (idle event loop included).",
    ]
    for name, (process, raw) in recorders.items():
        try:
            process.wait(timeout=seconds + 60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        text = raw.read_text(errors="replace") if raw.exists() else ""
        lines += ["", f"## {name}: stages", "", "| stage | % of samples |", "|---|---:|"]
        lines += [f"| {label} | {share:.1f} |" for label, share in stage_shares(text, name)]
        rows = summarise_profile(text)
        lines += [
            "",
            f"## {name}: our functions",
            "",
            "| function | inclusive % | self % |",
            "|---|---:|---:|",
        ]
        lines += [f"| `{f}` | {inc:.1f} | {own:.1f} |" for f, inc, own in rows] or ["| (no samples) | | |"]
    return "\n".join(lines) + "\n"


# --- main ---------------------------------------------------------------------------------------


def last_training(out: Path) -> tuple[float | None, str]:
    """The training time measured by an earlier ``--train`` run, if any."""
    with contextlib.suppress(OSError, ValueError, KeyError):
        previous = json.loads((out / "bench.json").read_text(encoding="utf-8"))
        if previous.get("training_s") is not None:
            return previous["training_s"], f"(measured {previous.get('training_measured', '?')})"
    return None, ""


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
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
                print(f"  ours ready (cold start {_fmt(target.cold_start_s)} s)", flush=True)
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
                print(f"  baseline ready (cold start {_fmt(target.cold_start_s)} s)", flush=True)
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
