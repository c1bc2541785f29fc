"""What the answer readers share: the Answer type, the entities of one kind, the cues of a self-correction."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.facts.lexicon import alternation, lexicon

# A citizen correcting themselves: "方志钢，打错了，是方志刚"; "四万，喔不对，是四万二", "五万块钱，不对，
# 是六万，我记岔了", "彭建华……搞错哒，系彭建桦" (also lexicon.yml's self_correction_cues): the value after
# the last such cue is meant
SAID_AGAIN = re.compile(r"^(?:应该是|應該是|应该叫|是|系|叫)")
CORRECTION = re.compile(
    r"打错|写错|说错|算错|说岔|记错|记岔|不对|不對|错了|錯了|应该是|應該是|更正|准确地?说|确切地?说|口误|纠正一下"
    r"|(?:说|记|写|搞|弄|打)(?:反|倒)了"
    r"|(?:哦|噢|喔|啊|呃|嗯)?(?:不是|唔系|唔係)[，,。…\s]|(?:哦|噢|喔|呃|哎|唉)不不?(?=[，,。…\s！!])"
    rf"|{alternation(lexicon().get('self_correction_cues', []))}"
)


@dataclass(frozen=True)
class Answer:
    """``value`` is None when the answer could not be used; ``hint`` names the re-ask text."""

    value: Any
    hint: str | None = None

    @property
    def ok(self) -> bool:
        return self.value is not None


def entity_values(entities: list[dict[str, Any]], entity: str | None) -> list[dict[str, Any]]:
    if not entity:
        return []
    return [e for e in entities or [] if e.get("entity") == entity]
