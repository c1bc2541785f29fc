"""The figures `make eval` prints: how a parse becomes a category, and how categories are scored."""

from pathlib import Path

import pytest

from tools.evaluation import category_of_parse, score_categories


def _parse(intent: str, ranking: list[tuple[str, float]] = ()) -> dict:
    return {
        "intent": {"name": intent, "confidence": 0.9},
        "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking],
    }


@pytest.mark.parametrize(
    ("parse", "category"),
    [
        (_parse("dispute_wage_arrears"), "wage_arrears"),
        (_parse("out_of_scope"), "other"),
        (_parse("nlu_fallback"), "other"),
        (_parse("greet"), "none"),
        # An urgent description: the dialogue takes the best dispute of the ranking.
        (_parse("danger", [("danger", 0.9), ("dispute_family", 0.6), ("dispute_neighbor", 0.2)]), "family"),
        (_parse("danger", [("danger", 0.9), ("greet", 0.1)]), "none"),
    ],
)
def test_the_category_the_dialogue_acts_on(parse: dict, category: str) -> None:
    assert category_of_parse(parse) == category


def test_scores_and_confusion_matrix(tmp_path: Path) -> None:
    expected = ["wage_arrears", "wage_arrears", "debt", "labor"]
    predicted = ["wage_arrears", "debt", "debt", "none"]
    figures, lines = score_categories(expected, predicted, tmp_path / "m.png")
    report = figures["report"]
    assert report["wage_arrears"]["recall"] == 0.5
    assert report["debt"]["precision"] == 0.5
    assert report["labor"]["recall"] == 0.0
    assert (tmp_path / "m.png").stat().st_size > 1000
    assert "| wage_arrears | 1.000 | 0.500 | 0.667 | 2 |" in lines
    assert any(line.startswith("**category macro-F1 as the dialogue sees it: ") for line in lines)
    # confusion matrix rows: true category, then counts per predicted category (… debt … none)
    wage_row = next(line for line in lines if line.strip().startswith("wage_arrears "))
    labor_row = next(line for line in lines if line.strip().startswith("labor "))
    assert wage_row.split()[1:] == ["1", "0", "0", "0", "0", "1", "0", "0", "0", "0"]
    assert labor_row.split()[-1] == "1"  # predicted: not a category
