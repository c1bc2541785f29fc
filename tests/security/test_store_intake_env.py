"""11: the intake service can run without Rasa (and without the NLU packages), so it can live in a
virtualenv of its own with a current aiohttp (docs/intake-service-env.md)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tools.stack import StackSettings

BLOCKER = """
import importlib.abc, sys
BLOCKED = ("rasa", "rasa_sdk", "tensorflow", "spacy", "jionlp", "jieba")
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError("not installed in the intake environment: " + name)
sys.meta_path.insert(0, Block())
import bot.service.app, bot.cli
from bot.service.app import create_app
print("ok")
"""


def test_intake_service_imports_without_rasa():
    done = subprocess.run([sys.executable, "-c", BLOCKER], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("ok")


def _running_intake_service(port: int) -> tuple[int, list[str]]:
    """pid and command line of the process that serves the intake service on ``port`` (Linux /proc)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().decode().split("\0")
            if cmd[1:3] != ["-m", "bot.service"]:
                continue
            env = (entry / "environ").read_bytes().decode().split("\0")
        except OSError:
            continue
        if f"INTAKE_PORT={port}" in env:
            return int(entry.name), cmd
    raise AssertionError(f"no `python -m bot.service` process with INTAKE_PORT={port}")


def test_the_running_intake_service_has_a_current_aiohttp_and_no_rasa(stack: StackSettings) -> None:
    """11: the stack starts the intake service in .venv-intake (tools/stack.py), whose aiohttp is not
    Rasa's 3.9 pin and which cannot import Rasa. Checked on the process that answers /health."""
    if not Path("/proc/self/maps").exists():
        pytest.skip("reads the running process through /proc (Linux)")
    with urllib.request.urlopen(stack.urls["intake_health"], timeout=10) as response:
        assert response.status == 200
    pid, cmd = _running_intake_service(stack.intake_port)
    python = cmd[0]
    assert Path(python).parent.parent.name == ".venv-intake" or os.environ.get("INTAKE_PYTHON") == python, (
        f"the intake service runs in {python}, not .venv-intake: build it with `make install-intake`"
    )
    # the aiohttp the running process loaded (its C extensions are mapped from its package directory)
    maps = Path(f"/proc/{pid}/maps").read_text()
    loaded = {m.group(1) for m in re.finditer(r"(/\S+/site-packages/aiohttp)/\S+\.so", maps)}
    assert len(loaded) == 1, loaded
    version = re.search(r'__version__ = "([^"]+)"', (Path(loaded.pop()) / "__init__.py").read_text())
    assert version, loaded
    assert not version.group(1).startswith("3.9."), f"the intake service runs aiohttp {version.group(1)}"
    major, minor = (int(x) for x in version.group(1).split(".")[:2])
    assert (major, minor) >= (3, 13)
    done = subprocess.run(
        [python, "-c", "import aiohttp; print(aiohttp.__version__); import rasa"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.stdout.strip() == version.group(1)
    assert done.returncode != 0 and "No module named 'rasa'" in done.stderr
