"""Warm-up for the fact-extraction tests."""

from __future__ import annotations

import pytest
from facts_helpers import NOW

from bot.facts import extract_facts


@pytest.fixture(scope="session", autouse=True)
def _warm_up_fact_extraction() -> None:
    """Load spaCy/jieba/jionlp once so per-test timings stay small."""
    extract_facts("预热：去年三月老板欠我三万五，电话13912345678", NOW)
