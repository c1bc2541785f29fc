"""Which blind set `make eval` drives: the highest round, not the last in name order."""

from __future__ import annotations

from pathlib import Path

from tools.evaluation import newest


def test_the_newest_round_is_the_highest_number() -> None:
    paths = [Path(f"tests/conversations/blind_round{n}.yml") for n in (1, 2, 9, 10, 11)]
    assert newest(reversed(paths)) == [Path("tests/conversations/blind_round11.yml")]
    assert newest([]) == []
