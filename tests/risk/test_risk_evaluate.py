"""The evaluation CLI and the held-out file's shape (its figures are reported, not asserted: asserting
them would invite tuning against the held-out set)."""

from __future__ import annotations

from pathlib import Path

from bot.risk import LEVELS
from bot.risk.evaluate import evaluate, format_report, load_cases, main

HELDOUT = Path(__file__).with_name("heldout_risk.yml")


def test_heldout_file_is_large_and_valid() -> None:
    cases = load_cases(HELDOUT)
    assert len(cases) >= 80
    assert {level for _, level in cases} == set(LEVELS)
    assert sum(1 for _, level in cases if level == "urgent") >= 25
    assert sum(1 for _, level in cases if level == "none") >= 30
    assert len({text for text, _ in cases}) == len(cases)


def test_every_heldout_batch_is_valid() -> None:
    batches = sorted(HELDOUT.parent.glob("heldout_risk*.yml"))
    assert len(batches) >= 2
    seen: set[str] = set()
    for path in batches:
        cases = load_cases(path)
        assert len(cases) >= 40, path
        texts = {text for text, _ in cases}
        assert not texts & seen, f"{path}: messages repeated from another batch"
        seen |= texts


def test_report_figures() -> None:
    report = evaluate([("我不想活了", "urgent"), ("打官司要多少钱", "none"), ("反映好多次了", "urgent")])
    assert report.recall("urgent") == 0.5
    assert report.precision("urgent") == 1.0
    assert report.false_urgent_rate == 0.0
    assert not report.meets_targets
    text = format_report(report, "sample")
    assert "urgent recall" in text and "反映好多次了" in text


def test_cli_runs_on_the_heldout_file(capsys) -> None:
    assert main([str(HELDOUT)]) == 0
    out = capsys.readouterr().out
    assert "precision" in out and "false-urgent rate" in out
