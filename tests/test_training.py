from pathlib import Path

import pytest

from bot import paths, training


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fingerprinted inputs, so the test can change them."""
    import shutil

    for rel in (
        "config.yml",
        "constraints.txt",
        "bot/domain",
        "bot/data",
        "nlu_data",
        "bot/nlu",
        "bot/textnorm.py",
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
    monkeypatch.setattr(paths, "DOMAIN", tmp_path / "bot/domain")
    monkeypatch.setattr(paths, "DIALOGUE_DATA", tmp_path / "bot/data")
    monkeypatch.setattr(paths, "NLU_DATA", tmp_path / "nlu_data")
    monkeypatch.setattr(paths, "MODELS", tmp_path / "models")
    return tmp_path


def test_fingerprint_is_stable(project: Path) -> None:
    assert training.fingerprint() == training.fingerprint()


@pytest.mark.parametrize(
    "changed", ["config.yml", "bot/domain/core.yml", "bot/data/rules.yml", "bot/nlu/tokenizer.py"]
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
