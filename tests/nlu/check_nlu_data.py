"""Sanity checks of the NLU data: YAML loads, example counts, and no exact or near duplicate shared
between training (nlu_data/nlu) and the held-out set (tests/nlu/heldout.yml), nor one sentence under
two intents. Run: python tests/nlu/check_nlu_data.py  (exit status 1 on a problem)."""

from __future__ import annotations

import difflib
import glob
import re
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

try:
    from bot.textnorm import normalize_text
except Exception:  # pragma: no cover - the check still works without OpenCC

    def normalize_text(t):
        return t


_PUNCT = re.compile(r"[\W_]+", re.UNICODE)


def key(text: str) -> str:
    norm = normalize_text(text) or "?"
    return _PUNCT.sub("", norm).lower() or norm  # punctuation-only messages compare as typed


def examples(path: str):
    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f)
    for item in data.get("nlu", []):
        if "intent" not in item:
            continue
        for line in item["examples"].splitlines():
            line = line.strip()
            if line.startswith("- "):
                yield item["intent"], line[2:].strip()


def main() -> int:
    problems = 0
    train = [(i, t, f) for f in sorted(glob.glob(str(ROOT / "nlu_data/nlu/*.yml"))) for i, t in examples(f)]
    held = [(i, t) for i, t in examples(str(ROOT / "tests/nlu/heldout.yml"))]

    counts = defaultdict(int)
    for i, _, _ in train:
        counts[i] += 1
    print("training:", dict(sorted(counts.items())))
    hcounts = defaultdict(int)
    for i, _ in held:
        hcounts[i] += 1
    print("held-out:", dict(sorted(hcounts.items())))

    seen = {}
    for i, t, _f in train:
        k = key(t)
        if k in seen and seen[k][0] != i:
            print(f"CONFLICT in training: {t!r} under {i} and {seen[k][0]}")
            problems += 1
        elif k in seen:
            print(f"duplicate in training ({i}): {t!r}")
            problems += 1
        seen[k] = (i, t)

    train_keys = [(key(t), i, t) for i, t, _ in train]
    for hi, ht in held:
        hk = key(ht)
        for tk, ti, tt in train_keys:
            if not hk or not tk:
                continue
            if hk == tk:
                print(f"HELD-OUT COPY: {ht!r} ({hi}) == training {tt!r} ({ti})")
                problems += 1
            elif len(hk) >= 6 and len(tk) >= 6 and abs(len(hk) - len(tk)) <= max(len(hk), len(tk)) * 0.3:
                r = difflib.SequenceMatcher(None, hk, tk).ratio()
                if r >= 0.8:
                    print(f"near-copy {r:.2f}: held-out {ht!r} ({hi}) ~ training {tt!r} ({ti})")
                    problems += 1
    print("problems:", problems)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
