"""Measure the screener on a labelled file: ``python -m bot.risk.evaluate tests/risk/heldout_risk_24.yml``;
``--prequential`` scores the trained opinion alone on each training batch with a model fitted only on
the batches written before it (``nlu_data/risk/``), the honest figure for a model on unseen batches.

A blind batch is written before anything is tuned on it, so its first figures estimate how the screen
does on phrasings nobody optimised for. The two figures that matter most are
the urgent recall (a missed urgent message is the costly error) and the false-urgent rate (how often a
plain dispute would page the duty officer).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.risk.engine import screen
from bot.risk.rules import LEVELS, URGENT

# Issue 14's targets on unseen batches.
URGENT_RECALL_TARGET = 0.95
FALSE_URGENT_TARGET = 0.02


@dataclass(frozen=True)
class Report:
    """Confusion counts over (expected, predicted) levels and the figures derived from them."""

    pairs: tuple[tuple[str, str], ...]
    misses: tuple[tuple[str, str, str, tuple[str, ...]], ...]
    seconds_per_message: float

    def precision(self, level: str) -> float | None:
        predicted = sum(1 for _, p in self.pairs if p == level)
        return sum(1 for e, p in self.pairs if e == p == level) / predicted if predicted else None

    def recall(self, level: str) -> float | None:
        expected = sum(1 for e, _ in self.pairs if e == level)
        return sum(1 for e, p in self.pairs if e == p == level) / expected if expected else None

    @property
    def false_urgent_rate(self) -> float:
        not_urgent = [p for e, p in self.pairs if e != URGENT]
        return sum(1 for p in not_urgent if p == URGENT) / len(not_urgent) if not_urgent else 0.0

    @property
    def accuracy(self) -> float:
        return sum(1 for e, p in self.pairs if e == p) / len(self.pairs) if self.pairs else 0.0

    @property
    def meets_targets(self) -> bool:
        recall = self.recall(URGENT)
        return (
            recall is None or recall >= URGENT_RECALL_TARGET
        ) and self.false_urgent_rate <= FALSE_URGENT_TARGET


def load_cases(path: str | Path) -> list[tuple[str, str]]:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    cases = []
    for item in raw.get("messages") or ():
        level = str(item["level"])
        if level not in LEVELS:
            raise ValueError(f"{path}: unknown level {level!r} for {item.get('text')!r}")
        cases.append((str(item.get("text") or ""), level))
    return cases


def evaluate(cases: Sequence[tuple[str, str]]) -> Report:
    for text, _ in cases[:3]:
        screen(text)  # warm-up: compile the rules outside the timing
    pairs, misses = [], []
    started = time.perf_counter()
    results = [screen(text) for text, _ in cases]
    elapsed = time.perf_counter() - started
    for (text, expected), result in zip(cases, results, strict=True):
        pairs.append((expected, result.level))
        if expected != result.level:
            misses.append((text, expected, result.level, tuple(s.matched_text for s in result.signals)))
    return Report(tuple(pairs), tuple(misses), elapsed / len(cases) if cases else 0.0)


def format_report(report: Report, name: str = "") -> str:
    def pct(value: float | None) -> str:
        return "   n/a" if value is None else f"{value:6.1%}"

    counts = Counter(e for e, _ in report.pairs)
    lines = [f"risk screening — {name} ({len(report.pairs)} messages)", "level      n  precision  recall"]
    for level in LEVELS:
        lines.append(
            f"{level:<9}{counts[level]:>3}  {pct(report.precision(level)):>9}  {pct(report.recall(level))}"
        )
    lines += [
        f"accuracy            {pct(report.accuracy)}",
        f"urgent recall       {pct(report.recall(URGENT))}   (target {URGENT_RECALL_TARGET:.0%})",
        f"false-urgent rate   {pct(report.false_urgent_rate)}   (target ≤ {FALSE_URGENT_TARGET:.0%})",
        f"time per message    {report.seconds_per_message * 1000:.3f} ms",
    ]
    if report.misses:
        lines.append("disagreements (expected → screened, matched):")
        for text, expected, got, matched in report.misses:
            lines.append(f"  {expected} → {got}  {text}  {list(matched)}")
    return "\n".join(lines)


def prequential(first: int = 9) -> str:
    """The trained opinion alone (P(urgent) ≥ ``urgent_add``) on each corpus batch from ``first`` on,
    fitted only on the batches before it: one line per batch and the total."""
    from bot.risk.engine import rules_level
    from bot.risk.model import CORPUS, fit, plain_ordinary
    from bot.risk.rules import default_rules

    rules = default_rules()
    ordinary = plain_ordinary(rules_level)
    threshold = rules.model.urgent_add if rules.model else 0.5
    batches = sorted(CORPUS.glob("batch_*.yml"))
    lines, found, urgent, false, other = [], 0, 0, 0, 0
    for i, path in enumerate(batches):
        if i + 1 < first:
            continue
        model = fit([c for b in batches[:i] for c in load_cases(b)] + ordinary, rules.normalizer)
        cases = load_cases(path)
        said = [model.probabilities(rules.normalizer(t))[URGENT] >= threshold for t, _ in cases]
        f = sum(1 for (_, level), s in zip(cases, said, strict=True) if level == URGENT and s)
        u = sum(1 for _, level in cases if level == URGENT)
        fa = sum(1 for (_, level), s in zip(cases, said, strict=True) if level != URGENT and s)
        found, urgent, false, other = found + f, urgent + u, false + fa, other + len(cases) - u
        lines.append(f"{path.stem}: urgent recall {f}/{u}, false-urgent {fa}/{len(cases) - u}")
    lines.append(
        f"prequential total: urgent recall {found / max(urgent, 1):.1%}, false-urgent {false / max(other, 1):.1%}"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", help="YAML files with messages: [{text, level}]")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--prequential", action="store_true", help="the trained opinion, batch by batch")
    args = parser.parse_args(argv)
    if args.prequential:
        print(prequential())
    ok = True
    for path in args.files:
        report = evaluate(load_cases(path))
        print(format_report(report, str(path)))
        ok = ok and report.meets_targets
    return 0 if ok or not args.strict else 1


if __name__ == "__main__":
    sys.exit(main())
