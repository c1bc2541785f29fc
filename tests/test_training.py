from pathlib import Path

import pytest

from bot import paths
from tools import training


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fingerprinted inputs, so the test can change them."""
    import shutil

    for rel in (
        "config.yml",
        "constraints.txt",
        "domain",
        "data",
        "nlu_data",
        "connectors/nlu",
        "bot/facts",
        "bot/textnorm.py",
        "bot/service/app.py",
    ):
        src = paths.ROOT / rel
        dst = tmp_path / rel
        if src.is_dir():
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(src, dst)
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    monkeypatch.setattr(paths, "CONFIG", tmp_path / "config.yml")
    monkeypatch.setattr(paths, "DOMAIN", tmp_path / "domain")
    monkeypatch.setattr(paths, "DIALOGUE_DATA", tmp_path / "data")
    monkeypatch.setattr(paths, "NLU_DATA", tmp_path / "nlu_data")
    monkeypatch.setattr(paths, "MODELS", tmp_path / "models")
    return tmp_path


def test_a_change_outside_the_model_inputs_does_not_retrain(project: Path) -> None:
    """Editing the intake service (not part of the model) keeps the model's name."""
    before = training.fingerprint()
    with (project / "bot/service/app.py").open("a", encoding="utf-8") as f:
        f.write("\n# changed\n")
    assert training.fingerprint() == before


@pytest.mark.parametrize(
    "changed",
    [
        "config.yml",
        "domain/core.yml",
        "data/rules.yml",
        "connectors/nlu/tokenizer.py",
        "bot/facts/lexicon.yml",
    ],
)
def test_fingerprint_changes_with_inputs(project: Path, changed: str) -> None:
    before = training.fingerprint()
    with (project / changed).open("a", encoding="utf-8") as f:
        f.write("\n# changed\n")
    assert training.fingerprint() != before


def test_unchanged_inputs_skip_training(project: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    target = training.model_path()
    target.parent.mkdir(parents=True)
    target.write_bytes(b"model")
    monkeypatch.setattr(training.subprocess, "run", lambda *a, **k: pytest.fail("retrained"))
    assert training.train() == target
    assert "not retraining" in capsys.readouterr().out
