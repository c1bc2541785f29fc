"""Where the project keeps things: the one module that knows the repository root (overridable by
environment for run-time state and models)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "config.yml"
DOMAIN = ROOT / "domain"
DIALOGUE_DATA = ROOT / "data"
CENTERS = ROOT / "centers"
NLU_DATA = ROOT / "nlu_data"
TRAINING_DATA = (NLU_DATA / "nlu", DIALOGUE_DATA)
MODELS = Path(os.environ.get("MODELS_DIR", ROOT / "models"))


def var_dir() -> Path:
    """Run-time state (SQLite databases, logs, keys); created on demand."""
    path = Path(os.environ.get("VAR_DIR", ROOT / "var"))
    path.mkdir(parents=True, exist_ok=True)
    return path
