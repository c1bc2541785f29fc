"""The evaluation CLI, the training corpus and the blind batches' shape (their figures are reported, not
asserted: asserting them would invite tuning against a blind batch)."""

from __future__ import annotations

from pathlib import Path

from bot.risk import LEVELS
from bot.risk.evaluate import evaluate, format_report, load_cases, main
from bot.risk.model import CORPUS

BLIND = sorted(Path(__file__).parent.glob("heldout_risk_*.yml"))


def test_the_corpus_covers_every_level() -> None:
    cases = [c for path in sorted(CORPUS.glob("batch_*.yml")) for c in load_cases(path)]
    assert len(cases) >= 1000
    assert {level for _, level in cases} == set(LEVELS)


# Two blind writers may both think of the same short everyday question ("离婚要带什么材料"); a longer
# message found twice means a batch was copied.
COMMON_QUESTION_CHARS = 12


def test_blind_batches_are_valid_and_never_trained_on() -> None:
    """A blind batch shares no message with the training corpus, nor any but a short everyday question
    with another batch."""
    assert BLIND
    trained = {text for path in CORPUS.glob("batch_*.yml") for text, _ in load_cases(path)}
    seen: set[str] = set()
    for path in [*sorted(CORPUS.glob("batch_*.yml")), *BLIND]:
        cases = load_cases(path)
        assert len(cases) >= 40, path
        texts = {text for text, _ in cases}
        if path in BLIND:
            assert not texts & trained, f"{path}: messages also in the training corpus"
            copied = {t for t in texts & seen if len(t) > COMMON_QUESTION_CHARS}
            assert not copied, f"{path}: messages also in another blind batch"
            seen |= texts


def test_report_figures() -> None:
    report = evaluate([("我不想活了", "urgent"), ("打官司要多少钱", "none"), ("反映好多次了", "urgent")])
    assert report.recall("urgent") == 0.5
    assert report.precision("urgent") == 1.0
    assert report.false_urgent_rate == 0.0
    assert not report.meets_targets
    text = format_report(report, "sample")
    assert "urgent recall" in text and "反映好多次了" in text


def test_cli_runs_on_a_blind_batch(capsys) -> None:
    assert main([str(BLIND[0])]) == 0
    out = capsys.readouterr().out
    assert "precision" in out and "false-urgent rate" in out
