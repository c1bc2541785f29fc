"""``make eval``: NLU figures on the held-out set and in 5-fold cross-validation, fact extraction and
risk screening on their held-out sets. Prints the figures and writes them under ``reports/``.

The held-out files live under ``tests/`` and are never used for training.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from bot import paths
from bot.taxonomy import categories

REPORTS = paths.ROOT / "reports"
HELDOUT_NLU = paths.ROOT / "tests" / "nlu" / "heldout.yml"
HELDOUT_FACTS = paths.ROOT / "tests" / "facts" / "heldout_facts.yml"
HELDOUT_RISK = paths.ROOT / "tests" / "risk" / "heldout_risk.yml"
CATEGORY_INTENTS = [c.intent for c in categories().values()]


def _rasa(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "rasa", "test", "nlu", *args], cwd=paths.ROOT, check=True)


def intent_figures(report_file: Path) -> dict[str, Any]:
    report = json.loads(report_file.read_text(encoding="utf-8"))
    rows = {
        name: {k: report[name][k] for k in ("precision", "recall", "f1-score", "support")}
        for name in report
        if isinstance(report[name], dict)
        and "support" in report[name]
        and name
        not in (
            "micro avg",
            "macro avg",
            "weighted avg",
        )
    }
    cats = [rows[i]["f1-score"] for i in CATEGORY_INTENTS if i in rows]
    confusions = {name: report[name].get("confused_with", {}) for name in CATEGORY_INTENTS if name in report}
    return {
        "per_intent": rows,
        "category_macro_f1": sum(cats) / len(cats) if cats else 0.0,
        "accuracy": report.get("accuracy"),
        "confused_with": confusions,
    }


def _print_intents(title: str, figures: dict[str, Any]) -> list[str]:
    lines = [f"## {title}", "", "| intent | precision | recall | F1 | n |", "|---|---|---|---|---|"]
    for name, row in sorted(figures["per_intent"].items()):
        lines.append(
            f"| {name} | {row['precision']:.3f} | {row['recall']:.3f} | {row['f1-score']:.3f} | {row['support']} |"
        )
    lines += ["", f"**dispute-category macro-F1 (9 categories): {figures['category_macro_f1']:.3f}**", ""]
    confused = [
        f"- {name} → " + ", ".join(f"{k} ×{v}" for k, v in pairs.items())
        for name, pairs in figures["confused_with"].items()
        if pairs
    ]
    if confused:
        lines += ["Confusions among categories:", *confused, ""]
    return lines


def _module_report(module: str, data: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", module, str(data)], cwd=paths.ROOT, capture_output=True, text=True
    )
    return (done.stdout + done.stderr).strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-cv", action="store_true", help="skip the 5-fold cross-validation")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()

    from bot.training import train

    model = train()
    REPORTS.mkdir(exist_ok=True)
    md = ["# NLU evaluation", ""]

    heldout_dir = REPORTS / "nlu-heldout"
    _rasa("--model", str(model), "--nlu", str(HELDOUT_NLU), "--out", str(heldout_dir))
    heldout = intent_figures(heldout_dir / "intent_report.json")
    md += _print_intents(f"Held-out set ({HELDOUT_NLU.relative_to(paths.ROOT)})", heldout)
    md += ["Confusion matrix: `reports/nlu-heldout/intent_confusion_matrix.png`", ""]

    if not args.no_cv:
        cv_dir = REPORTS / "nlu-cv"
        _rasa(
            "--nlu", str(paths.NLU_DATA / "nlu"), "--config", str(paths.CONFIG),
            "--cross-validation", "--folds", str(args.folds), "--out", str(cv_dir),
        )  # fmt: skip
        cv = intent_figures(cv_dir / "intent_report.json")
        md += _print_intents(f"{args.folds}-fold cross-validation (training data)", cv)

    md += [
        "## Fact extraction (held-out)",
        "",
        "```",
        _module_report("bot.nlu.facts.evaluate", HELDOUT_FACTS),
    ]
    md += [
        "```",
        "",
        "## Risk screening (held-out)",
        "",
        "```",
        _module_report("bot.risk.evaluate", HELDOUT_RISK),
    ]
    md += ["```", ""]
    text = "\n".join(md)
    (REPORTS / "eval.md").write_text(text, encoding="utf-8")
    print(text)
    print(f"\nwritten: {REPORTS.relative_to(paths.ROOT)}/eval.md")


if __name__ == "__main__":
    main()
