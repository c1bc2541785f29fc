"""The load generator: simulated citizens completing intakes over the REST channel, N at once."""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections.abc import Sequence

import aiohttp

from tools import simulation
from tools.bench.processes import ProcessMonitor
from tools.bench.results import LevelResult
from tools.bench.targets import Target

MESSAGE_TIMEOUT = 30.0  # seconds per message; a slower answer counts as an error
MAX_TURNS = 30  # per intake: a citizen gives up after this many answers


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
    conversations over them. Connections held for the whole level would pin most conversations to
    one worker and make the percentiles vary from run to run (docs/performance.md).
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
    sender = f"w-{uuid.uuid4().hex}"  # the widget's id format (our REST channel takes no other)
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
