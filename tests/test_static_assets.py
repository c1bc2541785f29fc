"""The browser scripts parse: a broken merge of widget.js or console.js silently kills the widget or the
console in every browser, and only the slower browser tests would notice."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted((ROOT / "bot" / "service").rglob("*.js"))
NODE = shutil.which("node")


@pytest.mark.skipif(
    NODE is None, reason="node is not installed: JavaScript syntax is checked by the browser tests"
)
@pytest.mark.parametrize("script", SCRIPTS, ids=[s.name for s in SCRIPTS])
def test_script_parses(script: Path) -> None:
    result = subprocess.run([str(NODE), "--check", str(script)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_there_are_scripts_to_check() -> None:
    assert {"widget.js", "console.js"} <= {s.name for s in SCRIPTS}
