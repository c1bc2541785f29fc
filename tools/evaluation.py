"""``make eval``: NLU figures on the held-out set and in 5-fold cross-validation, fact extraction and
risk screening on their held-out sets. Prints the figures and writes them under ``reports/``.

The held-out files live under ``tests/`` and are never used for training.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bot import paths
from bot.taxonomy import categories

REPORTS = paths.ROOT / "reports"
HELDOUT_NLU = paths.ROOT / "tests" / "nlu" / "heldout.yml"
HELDOUT_FACTS = paths.ROOT / "tests" / "facts" / "heldout_facts.yml"
RISK_BATCHES = paths.ROOT / "tests" / "risk"
CONVERSATIONS = paths.ROOT / "tests" / "conversations"
CATEGORY_INTENTS = [c.intent for c in categories().values()]


def _rasa(*args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "connectors.launcher", "test", "nlu", *args], cwd=paths.ROOT, check=True
    )


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
        "confused_with": confusions,
    }


def metric_table(rows: dict[str, dict[str, Any]], names: list[str], heading: str) -> list[str]:
    """A Markdown table of precision/recall/F1/support (sklearn's report layout), one row per name."""
    lines = [f"| {heading} | precision | recall | F1 | n |", "|---|---|---|---|---|"]
    for name in names:
        r = rows[name]
        lines.append(
            f"| {name} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1-score']:.3f} | {r['support']} |"
        )
    return lines


def _print_intents(title: str, figures: dict[str, Any]) -> list[str]:
    rows = figures["per_intent"]
    lines = [f"## {title}", "", *metric_table(rows, sorted(rows), "intent")]
    lines += ["", f"**dispute-category macro-F1 (9 categories): {figures['category_macro_f1']:.3f}**", ""]
    confused = [
        f"- {name} → " + ", ".join(f"{k} ×{v}" for k, v in pairs.items())
        for name, pairs in figures["confused_with"].items()
        if pairs
    ]
    if confused:
        lines += ["Confusions among categories:", *confused, ""]
    return lines


def _heldout_examples(path: Path) -> list[tuple[str, str]]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples]


def category_of_parse(parse: dict[str, Any]) -> str:
    """The category the dialogue acts on: the intent's, or for an urgent message (intent ``danger``)
    the best category in the classifier's ranking, as the danger path does. A fallback and a question
    about the center (``consult``, answered from the profile) count as ``other``: like an
    out-of-scope message they start no intake."""
    from bot.intake.dialogue import dispute_candidates
    from bot.taxonomy import category_for_intent

    intent = (parse.get("intent") or {}).get("name")
    found = category_for_intent(intent)
    if found:
        return found.code
    if intent in ("nlu_fallback", "consult"):
        return "other"  # not taken as a dispute: answered or asked to describe one (no ticket)
    if intent == "danger":
        candidates = dispute_candidates(parse.get("intent_ranking") or [], limit=1)
        return candidates[0] if candidates else "none"
    return "none"


def _load_agent(model: Path) -> Any:
    from rasa.core.agent import Agent

    return Agent.load(str(model))


def parse_all(agent: Any, texts: list[str]) -> list[dict[str, Any]]:
    """The full parse result (intent, ranking, entities) of each text, as the dialogue receives it."""
    import asyncio

    async def run() -> list[dict[str, Any]]:
        return [await agent.parse_message(text) for text in texts]

    return asyncio.run(run())


def score_categories(
    expected: list[str], predicted: list[str], png: Path
) -> tuple[dict[str, Any], list[str]]:
    """Per-category precision/recall/F1, the confusion matrix as text, and the same as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import classification_report, confusion_matrix

    labels = list(categories())
    report = classification_report(expected, predicted, labels=labels, output_dict=True, zero_division=0)
    ticks = [*labels, "none"]
    matrix = confusion_matrix(expected, predicted, labels=ticks)
    figure, axes = plt.subplots(figsize=(8, 7))
    axes.imshow(matrix, cmap="Blues")
    axes.set_xticks(range(len(ticks)), ticks, rotation=60, ha="right")
    axes.set_yticks(range(len(ticks)), ticks)
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            if value:
                axes.text(j, i, str(value), ha="center", va="center", fontsize=8)
    axes.set_xlabel("predicted category")
    axes.set_ylabel("true category")
    figure.tight_layout()
    png.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(png, dpi=110)
    plt.close(figure)
    macro = sum(report[c]["f1-score"] for c in labels) / len(labels)
    lines = metric_table(report, labels, "category")
    lines += ["", f"**category macro-F1 as the dialogue sees it: {macro:.3f}**", ""]
    lines += ["Confusion matrix (rows true, columns predicted; `none` = not a category):", "", "```"]
    width = max(len(t) for t in ticks)
    lines.append(" " * width + " " + " ".join(f"{t[:5]:>5}" for t in ticks))
    for t, row in zip(ticks, matrix, strict=True):
        lines.append(f"{t:>{width}} " + " ".join(f"{v:>5}" for v in row))
    lines += [
        "```",
        "",
        f"PNG: `{png.relative_to(paths.ROOT) if png.is_relative_to(paths.ROOT) else png}`",
        "",
    ]
    return {"macro_f1": macro, "report": report}, lines


def category_figures(model: Path, path: Path, out_dir: Path) -> list[str]:
    """The category of each held-out dispute description, scored: the report's lines."""
    from bot.taxonomy import category_for_intent

    examples = [(t, c.code) for t, i in _heldout_examples(path) if (c := category_for_intent(i))]
    parses = parse_all(_load_agent(model), [t for t, _ in examples])
    predicted = [category_of_parse(p) for p in parses]
    _, lines = score_categories([c for _, c in examples], predicted, out_dir / "category_confusion.png")
    return lines


def cross_validation(folds: int, out_dir: Path, seed: int = 20261130) -> list[str]:
    """k-fold cross-validation of the training data: one NLU model per fold, trained on the other
    folds and scored on its own, both as raw intents (every intent) and as the category the dialogue
    acts on. Our own loop rather than ``rasa test nlu --cross-validation`` so both figures come from
    the same models and the split is reproducible (seeded)."""
    import tempfile

    from rasa.model_training import train_nlu
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.training_data import TrainingData
    from sklearn.metrics import classification_report
    from sklearn.model_selection import StratifiedKFold

    from bot.taxonomy import category_for_intent

    data = load_data(str(paths.NLU_DATA / "nlu"))
    examples = data.intent_examples
    intents = [m.get("intent") for m in examples]
    split = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    expected: list[str] = []
    predicted: list[dict[str, Any]] = []
    for fold, (train_index, test_index) in enumerate(split.split(examples, intents), start=1):
        train = TrainingData(
            training_examples=[examples[i] for i in train_index],
            entity_synonyms=data.entity_synonyms,
            regex_features=data.regex_features,
            lookup_tables=data.lookup_tables,
        )
        print(f"cross-validation fold {fold}/{folds}: training on {len(train_index)} examples", flush=True)
        with tempfile.TemporaryDirectory(prefix="cv-") as tmp:
            nlu_file = Path(tmp) / "nlu.yml"
            nlu_file.write_text(train.nlu_as_yaml(), encoding="utf-8")
            model = train_nlu(str(paths.CONFIG), str(nlu_file), tmp, fixed_model_name=f"fold{fold}")
            if model is None:
                raise RuntimeError(f"training fold {fold} failed")
            texts = [examples[i].get("text") for i in test_index]
            predicted += parse_all(_load_agent(Path(model)), texts)
            expected += [intents[i] for i in test_index]
    names = sorted(set(expected))
    report = classification_report(
        expected, [(p.get("intent") or {}).get("name") or "" for p in predicted],
        labels=names, output_dict=True, zero_division=0,
    )  # fmt: skip
    lines = [f"## {folds}-fold cross-validation (training data, seeded split)", ""]
    lines += ["Raw intents (the classifier's top intent after fallback and risk screening):", ""]
    lines += metric_table(report, names, "intent")
    raw_macro = sum(report[i]["f1-score"] for i in CATEGORY_INTENTS if i in report) / len(CATEGORY_INTENTS)
    lines += ["", f"**dispute-intent macro-F1 (9 categories, raw intents): {raw_macro:.3f}**", ""]
    disputes = [
        (c.code, p) for i, p in zip(expected, predicted, strict=True) if (c := category_for_intent(i))
    ]
    _, category_lines = score_categories(
        [code for code, _ in disputes],
        [category_of_parse(p) for _, p in disputes],
        out_dir / "category_confusion.png",
    )
    lines += ["Category of the dispute descriptions, as the dialogue uses it:", "", *category_lines]
    return lines


def _round(path: Path) -> int:
    digits = "".join(ch for ch in path.stem.rsplit("round", 1)[-1] if ch.isdigit())
    return int(digits or 0)


def newest(paths: Iterable[Path]) -> list[Path]:
    """The set of the highest round (blind_round10 after blind_round9, not before it)."""
    return sorted(paths, key=_round)[-1:]


def conversations() -> list[str]:
    """The newest blind conversation and consultation sets, driven through the REST channel of a
    stack started for the purpose (tools/conversations.py)."""
    sets = newest(CONVERSATIONS.glob("blind_round*.yml")) + newest(
        CONVERSATIONS.glob("consultation_round*.yml")
    )
    out = REPORTS / "conversations.md"
    subprocess.run(
        [sys.executable, "-m", "tools.conversations", *map(str, sets), "--start-stack", "--out", str(out)],
        cwd=paths.ROOT,
        check=True,
    )
    return [
        "## Simulated citizens (REST channel)",
        "",
        out.read_text(encoding="utf-8").split("\n## ", 1)[0],
        "",
    ]


def _module_report(module: str, data: str | Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", module, str(data)], cwd=paths.ROOT, capture_output=True, text=True
    )
    return (done.stdout + done.stderr).strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-cv", action="store_true", help="skip the 5-fold cross-validation")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument(
        "--no-conversations", action="store_true", help="skip the simulated citizens through the REST channel"
    )
    args = parser.parse_args()

    from tools.training import train

    model = train()
    REPORTS.mkdir(exist_ok=True)
    md = ["# NLU evaluation", ""]

    heldout_dir = REPORTS / "nlu-heldout"
    _rasa("--model", str(model), "--nlu", str(HELDOUT_NLU), "--out", str(heldout_dir))
    heldout = intent_figures(heldout_dir / "intent_report.json")
    md += _print_intents(f"Held-out set ({HELDOUT_NLU.relative_to(paths.ROOT)})", heldout)
    md += ["Confusion matrix: `reports/nlu-heldout/intent_confusion_matrix.png`", ""]
    md += [
        "## Category of held-out dispute descriptions, as the dialogue uses it",
        "",
        "An urgent description becomes the intent `danger` (RiskScreener); the dialogue then takes the",
        "category from the classifier's ranking. This table scores that category.",
        "",
    ]
    md += category_figures(model, HELDOUT_NLU, heldout_dir)

    if not args.no_cv:
        md += cross_validation(args.folds, REPORTS / "nlu-cv")

    md += [
        "## Fact extraction (held-out)",
        "",
        "```",
        _module_report("bot.facts.evaluate", HELDOUT_FACTS),
    ]
    md += [
        "```",
        "",
        "## Risk screening: the trained opinion alone, each batch scored by a model fitted on the earlier ones",
        "",
        "```",
        _module_report("bot.risk.evaluate", "--prequential"),
    ]
    md += ["```", ""]
    for batch in sorted(RISK_BATCHES.glob("heldout_risk_*.yml"), key=lambda p: int(p.stem.rsplit("_", 1)[1])):
        md += [f"## Risk screening, blind batch {batch.stem.rsplit('_', 1)[1]}", "", "```"]
        md += [_module_report("bot.risk.evaluate", batch).split("disagreements")[0].strip(), "```", ""]
    if not args.no_conversations:
        md += conversations()
    text = "\n".join(md)
    (REPORTS / "eval.md").write_text(text, encoding="utf-8")
    print(text)
    print(f"\nwritten: {REPORTS.relative_to(paths.ROOT)}/eval.md")


if __name__ == "__main__":
    main()
