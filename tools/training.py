"""Train the Rasa model only when its inputs changed.

The fingerprint covers the pipeline config, domain, training data, the jieba dictionary, our custom
NLU components and the pinned dependency set, so ``make run`` after ``make run`` starts at once.
Usage: ``python -m tools.training [--force]``; prints the model path.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from bot import paths

MODEL_PREFIX = "intake-"
KEEP_MODELS = 2


def _fingerprint_inputs() -> list[Path]:
    inputs = [paths.CONFIG, paths.ROOT / "constraints.txt"]
    for folder, patterns in (
        (paths.DOMAIN, ("*.yml",)),
        (paths.DIALOGUE_DATA, ("*.yml",)),
        (paths.NLU_DATA, ("*.yml", "*.txt")),
        (paths.ROOT / "connectors" / "nlu", ("*.py", "*.yml")),
        (paths.ROOT / "bot" / "facts", ("*.py", "*.yml")),
        (paths.ROOT / "bot", ("textnorm.py",)),
    ):
        for pattern in patterns:
            inputs.extend(folder.rglob(pattern))
    return sorted({p for p in inputs if p.is_file()})


def fingerprint(skip: Sequence[Path] = (), extra: Mapping[str, str] | None = None) -> str:
    """The training inputs' fingerprint; inputs under the ``skip`` folders left out, ``extra`` files
    (name → text, e.g. a generated config) added."""
    digest = hashlib.sha256()
    for path in _fingerprint_inputs():
        if any(path.is_relative_to(folder) for folder in skip):
            continue
        digest.update(str(path.relative_to(paths.ROOT)).encode())
        digest.update(path.read_bytes())
    for name, text in sorted((extra or {}).items()):
        digest.update(name.encode() + text.encode())
    return digest.hexdigest()[:16]


def model_path(fp: str | None = None) -> Path:
    return paths.MODELS / f"{MODEL_PREFIX}{fp or fingerprint()}.tar.gz"


def latest_model() -> Path | None:
    """The model for the current inputs if trained, else the newest one on disk."""
    current = model_path()
    if current.exists():
        return current
    models = sorted(paths.MODELS.glob(f"{MODEL_PREFIX}*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


def train(force: bool = False) -> Path:
    fp = fingerprint()
    target = model_path(fp)
    if target.exists() and not force:
        print(f"model up to date: {target.relative_to(paths.ROOT)} (inputs unchanged, not retraining)")
        return target
    paths.MODELS.mkdir(parents=True, exist_ok=True)
    print(f"training {target.name} (config, domain or data changed) ...", flush=True)
    started = time.monotonic()
    cmd = [
        sys.executable, "-m", "rasa", "train",
        "--config", str(paths.CONFIG),
        "--domain", str(paths.DOMAIN),
        "--data", *map(str, paths.TRAINING_DATA),
        "--out", str(paths.MODELS),
        "--fixed-model-name", target.name.removesuffix(".tar.gz"),
        "--force",
    ]  # fmt: skip
    subprocess.run(cmd, cwd=paths.ROOT, check=True)
    print(f"trained in {time.monotonic() - started:.0f} s: {target.relative_to(paths.ROOT)}")
    old = sorted(paths.MODELS.glob(f"{MODEL_PREFIX}*.tar.gz"), key=lambda p: p.stat().st_mtime)
    for stale in old[:-KEEP_MODELS]:
        stale.unlink()
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="train even if nothing changed")
    parser.add_argument("--print-path", action="store_true", help="only print the current model path")
    args = parser.parse_args()
    if args.print_path:
        model = latest_model()
        if model is None:
            sys.exit("no trained model: run `make train`")
        print(model)
        return
    train(force=args.force)
    train_risk()


def train_risk() -> Path:
    """The trained risk opinion (bot/risk/model.py), fitted when its corpus or code changed."""
    from bot.risk.engine import build_default_model

    started = time.monotonic()
    path = build_default_model()
    print(f"risk model: {path.relative_to(paths.ROOT)} ({time.monotonic() - started:.0f} s)")
    return path


if __name__ == "__main__":
    main()
