"""Entity-level evaluation of extract_facts against an annotated YAML file.

A hit needs the correct *normalised* value (and for phone/id_number the right validity); counterparty
spans match leniently (one contains the other), time/location only where a message annotates them.
Usage: ``python -m bot.facts.evaluate tests/facts/heldout_facts.yml [--errors]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from .extract import extract_facts
from .model import Fact
from .textnorm import normalise

ALWAYS = ("amount", "headcount", "phone", "id_number", "person_name", "evidence", "counterparty")
OPTIONAL = ("time", "location")


def _expected_key(entity: str, item: Any) -> Any:
    if entity in ("phone", "id_number"):
        if isinstance(item, dict):
            return (str(item["value"]), bool(item.get("valid", True)))
        return (str(item), True)
    if entity == "amount":
        return None if item is None else float(item)
    if entity in ("person_name", "counterparty"):
        return normalise(str(item))
    if isinstance(item, dict):
        return tuple(sorted(item.items()))
    return item


def _predicted_key(entity: str, fact: Fact) -> Any:
    if entity in ("phone", "id_number"):
        return (str(fact.value), fact.valid)
    if entity == "amount":
        return None if fact.value is None else float(fact.value)
    if entity in ("person_name", "counterparty"):
        return normalise(str(fact.value))
    return fact.value


def _matches(entity: str, expected: Any, predicted: Any) -> bool:
    if entity == "counterparty":
        return expected in predicted or predicted in expected
    if entity == "time":
        want = dict(expected)
        return isinstance(predicted, dict) and all(bool(predicted.get(k) == v) for k, v in want.items())
    if entity == "location":
        want = dict(expected)
        return isinstance(predicted, dict) and all(predicted.get(k) == v for k, v in want.items())
    return bool(expected == predicted)


def _score(
    entity: str, expected: list[Any], predicted: list[Any]
) -> tuple[int, int, int, list[Any], list[Any]]:
    """Greedy one-to-one matching of (deduplicated) predictions to expectations."""
    remaining = list(dict.fromkeys(map(_hashable, predicted)))
    remaining_vals = [_unhash(p) for p in remaining]
    misses, tp = [], 0
    for exp in expected:
        for i, pred in enumerate(remaining_vals):
            if _matches(entity, exp, pred):
                tp += 1
                del remaining_vals[i]
                break
        else:
            misses.append(exp)
    return tp, len(remaining_vals), len(misses), misses, remaining_vals


def _hashable(value: Any) -> Any:
    if isinstance(value, dict):
        return ("__dict__", tuple(sorted((k, _hashable(v)) for k, v in value.items())))
    return value


def _unhash(value: Any) -> Any:
    if isinstance(value, tuple) and len(value) == 2 and value[0] == "__dict__":
        return {k: _unhash(v) for k, v in value[1]}
    return value


def evaluate(path: str | Path) -> dict[str, Any]:
    """Per-entity precision/recall/F1 (plus counts and errors) over the annotated messages."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    now = dt.datetime.fromisoformat(str(data.get("now") or dt.datetime.now().isoformat()))
    counts: dict[str, Counter[str]] = {e: Counter() for e in (*ALWAYS, *OPTIONAL)}
    errors: list[dict[str, Any]] = []
    for message in data["messages"]:
        text = message["text"]
        facts = extract_facts(text, now)
        for entity in (*ALWAYS, *OPTIONAL):
            if entity in OPTIONAL and entity not in message:
                continue
            expected = [_expected_key(entity, x) for x in message.get(entity) or []]
            if entity in ("time", "location"):
                expected = [dict(x) for x in expected]
            predicted = [_predicted_key(entity, f) for f in facts if f.entity == entity]
            tp, fp, fn, misses, extras = _score(entity, expected, predicted)
            counts[entity].update({"tp": tp, "fp": fp, "fn": fn})
            if misses or extras:
                errors.append({"text": text, "entity": entity, "missed": misses, "spurious": extras})
    report: dict[str, Any] = {"messages": len(data["messages"]), "entities": {}, "errors": errors}
    for entity, c in counts.items():
        tp, fp, fn = c["tp"], c["fp"], c["fn"]
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        report["entities"][entity] = {
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(f1, 3),
            "tp": tp,
            "fp": fp,
            "fn": fn,
        }
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--errors", action="store_true", help="also list every miss and spurious fact")
    parser.add_argument("--json", action="store_true", help="print the whole report as JSON")
    args = parser.parse_args(argv)
    report = evaluate(args.path)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2, default=str))
        return 0
    print(f"{report['messages']} messages")
    print(f"{'entity':<14}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>5}{'fn':>5}")
    for entity, r in report["entities"].items():
        print(
            f"{entity:<14}{r['precision']:>7.3f}{r['recall']:>7.3f}{r['f1']:>7.3f}{r['tp']:>6}{r['fp']:>5}{r['fn']:>5}"
        )
    if args.errors:
        for e in report["errors"]:
            print(f"- [{e['entity']}] {e['text']}\n    missed={e['missed']} spurious={e['spurious']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
