"""A short message that mostly consists of a stated fact is an answer (``inform``); an unsure
``restart`` is not taken.

Why: "我们15个人", "13912345678" or "去年三月" answer the question the assistant just asked, but a
classifier trained on words can take a bare number or name for a goodbye or small talk, and the
dialogue would then not hear the answer. The facts found by ``FactExtractor`` show what the message
is; this component runs after it and only changes chit-chat intents (never a dispute, danger,
affirm/deny or a correction).

``restart`` throws the unfinished intake away (Rasa's ``action_restart``), and "上个月开始" (an answer:
since last month) looks like "重新开始" to a word classifier. Below ``RESTART_CONFIDENCE`` the next
intent of the ranking is taken instead; a citizen who means it says 重新开始, which the classifier
is sure of (0.99).
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from connectors.nlu.component import RuleComponent
from connectors.nlu.fact_extractor import FactExtractor

INFORM = "inform"
# Intents a bare fact is mistaken for; the rest (disputes, danger, affirm, deny, correct) keep theirs.
CHITCHAT = frozenset(
    {"greet", "goodbye", "thank", "bot_challenge", "ask_human", "query_status", "restart", "out_of_scope"}
)
RESTART = "restart"
RESTART_CONFIDENCE = 0.8
MAX_ANSWER_CHARS = 30
MIN_COVERAGE = 0.5
ANSWER_CONFIDENCE = 0.9
_NOT_CONTENT = re.compile(r"[\s\W_]", re.UNICODE)


def fact_coverage(text: str, entities: list[dict[str, Any]]) -> float:
    """Share of the message's letters and digits that lie inside the facts ``FactExtractor`` found."""
    content = [i for i, ch in enumerate(text) if not _NOT_CONTENT.match(ch)]
    if not content:
        return 0.0
    covered: set[int] = set()
    for entity in entities:
        if entity.get("extractor") == FactExtractor.__name__ and isinstance(entity.get("start"), int):
            covered.update(range(entity["start"], entity.get("end", entity["start"])))
    return sum(1 for i in content if i in covered) / len(content)


def is_fact_answer(text: str, intent: str | None, entities: list[dict[str, Any]]) -> bool:
    """True when a short message classified as chit-chat is mostly a stated fact."""
    if intent not in CHITCHAT and intent != DEFAULT_NLU_FALLBACK_INTENT_NAME:
        return False
    if not text or len(text) > MAX_ANSWER_CHARS:
        return False
    return fact_coverage(text, entities) >= MIN_COVERAGE


def without_unsure_restart(intent: dict[str, Any], ranking: list[dict[str, Any]]) -> dict[str, Any]:
    """The intent to act on: ``restart`` only when the classifier is sure, else the next one ranked."""
    if intent.get("name") != RESTART or (intent.get("confidence") or 0.0) >= RESTART_CONFIDENCE:
        return intent
    others = [r for r in ranking if r.get("name") != RESTART]
    return dict(others[0]) if others else {"name": DEFAULT_NLU_FALLBACK_INTENT_NAME, "confidence": 0.0}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class AnswerDetector(RuleComponent):
    """Turns chit-chat predictions for bare facts into ``inform`` and drops an unsure ``restart``
    (ranking updated to match)."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            ranking = message.get(INTENT_RANKING_KEY) or []
            original = message.get(INTENT) or {}
            chosen = without_unsure_restart(original, ranking)
            if chosen is not original:  # the unsure restart goes to the end of the ranking
                ranking = [r for r in ranking if r.get("name") != RESTART] + [original]
                message.set(INTENT, chosen, add_to_output=True)
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
            text = message.get(TEXT)
            intent = chosen.get("name")
            if not isinstance(text, str) or not is_fact_answer(text, intent, message.get(ENTITIES) or []):
                continue
            answer = {"name": INFORM, "confidence": ANSWER_CONFIDENCE}
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != INFORM]
            message.set(INTENT, answer, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [answer, *ranking], add_to_output=True)
        return messages
