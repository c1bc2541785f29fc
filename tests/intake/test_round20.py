"""Round 20: facts said in passing keep their recognised span; the whole story is no answer."""

from __future__ import annotations

from bot.facts import extract_facts
from bot.intake import dialogue


def _start(text: str, category: str) -> dict:
    entities = [f.as_entity() for f in extract_facts(text)]
    intent = {"name": f"dispute_{category}", "confidence": 0.9}
    return dialogue.start_intake(text, intent, [intent], entities, {}).updates


def test_the_other_party_named_in_a_story_is_not_the_whole_story() -> None:
    story = "我在华联超市做收银，上个月老板把我调到冷库去搬货，工资还降了一千二，我不肯去，他讲要开除我"
    updates = _start(story, "labor")
    assert updates["counterparty"] == "老板"
