"""``make bench --profile``: py-spy samples of rasa and the action server, summarised by stage and
by function of our code."""

from __future__ import annotations

import asyncio
import itertools
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from bot import paths
from tools.bench.load import run_level
from tools.bench.targets import Target


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
        stack, _, samples = line.rpartition(" ")
        if not stack or not samples.isdigit():
            continue
        frames = stack.split(";")
        processes = list(itertools.takewhile(lambda f: f.startswith("process "), frames))
        parents.update(processes[:-1])
        stacks.append((processes[-1] if processes else None, frames[len(processes) :], int(samples)))
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
