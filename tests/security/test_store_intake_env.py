"""11: the intake service can run without Rasa (and without the NLU packages), so it can live in a
virtualenv of its own with a current aiohttp (docs/intake-service-env.md)."""

from __future__ import annotations

import subprocess
import sys

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
