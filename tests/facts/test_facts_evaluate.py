"""The evaluation script scores by normalised value."""

from __future__ import annotations

from pathlib import Path

from bot.facts.evaluate import evaluate, main

SAMPLE = """
now: "2026-05-10T10:00:00"
messages:
  - text: "包工头老王欠了我们十五个人三万五，电话13912345678"
    amount: [35000]
    headcount: [15]
    phone: ["13912345678"]
    counterparty: ["老王"]
  - text: "欠我五千"
    amount: [6000]
  - text: "干了三个月"
    time: [{duration_days: 90}]
"""


def test_evaluate_counts_value_hits(tmp_path: Path) -> None:
    path = tmp_path / "sample.yml"
    path.write_text(SAMPLE, encoding="utf-8")
    report = evaluate(path)
    assert report["messages"] == 3
    amount = report["entities"]["amount"]
    assert (amount["tp"], amount["fp"], amount["fn"]) == (1, 1, 1)  # 5000 != 6000 counts as both
    assert report["entities"]["headcount"]["f1"] == 1.0
    assert report["entities"]["phone"]["f1"] == 1.0
    assert report["entities"]["counterparty"]["tp"] == 1  # lenient span match
    assert report["entities"]["time"]["tp"] == 1


def test_cli_prints_table(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    path = tmp_path / "sample.yml"
    path.write_text(SAMPLE, encoding="utf-8")
    assert main([str(path)]) == 0
    out = capsys.readouterr().out
    assert "amount" in out and "F1" in out


def test_heldout_file_is_large_enough() -> None:
    import yaml

    data = yaml.safe_load((Path(__file__).parent / "heldout_facts.yml").read_text(encoding="utf-8"))
    assert len(data["messages"]) >= 150
