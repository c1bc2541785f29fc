"""Loads lexicon.yml once; the term lists are data so mediators can extend them without code."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import yaml

LEXICON_PATH = Path(__file__).with_name("lexicon.yml")


@functools.lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """The parsed lexicon (cached)."""
    with LEXICON_PATH.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
        return data


def alternation(words: list[str] | tuple[str, ...] | set[str]) -> str:
    """A regex alternation of lexicon words, longest first (so 百多号人 wins over 百), each escaped."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def surname_sets() -> tuple[frozenset[str], frozenset[str]]:
    """(single-character surnames, compound surnames) of the lexicon."""
    data = lexicon()
    return frozenset(str(data["surnames"])), frozenset(str(s) for s in data["compound_surnames"])
