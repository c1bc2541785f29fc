"""Screen every message for danger inside NLU, so the dialogue reacts even in the middle of a form.

An urgent assessment (bot.risk) turns the message's intent into ``danger``; the classifier's own
ranking is kept so the dialogue can still tell which dispute it is about. The assessment is added to
the parse data under ``risk``.

Only a real button payload (:func:`connectors.nlu.component.is_payload`) skips the screen: ``/`` + an
intent of the domain, optionally followed by a JSON object of entities (``/affirm``,
``/dispute_labor{"amount": 3000}``). Any other text starting with ``/`` is what a citizen typed, and
is screened like every message.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.risk import URGENT, screen
from bot.textnorm import content_chars
from connectors.nlu.answer_detector import supported
from connectors.nlu.component import RuleComponent, is_payload
from connectors.nlu.normalizer import ORIGINAL_TEXT

DANGER_INTENT = "danger"
# The classifier's own ``danger`` (without an urgent rule) is taken only this sure.
CLASSIFIER_DANGER_MIN = 0.9
# ... and only for a message this long: "我" (who was hurt? — 我) reads to it as a cry for help; the
# rules alone judge a single character; "救命" is still heard.
CLASSIFIER_DANGER_MIN_CHARS = 2
RISK_KEY = "risk"


def _demote_unsure_danger(message: Message) -> None:
    """The classifier alone said ``danger`` and the rules found nothing urgent: below
    ``CLASSIFIER_DANGER_MIN`` that is a guess ("我现在住在城关镇" 0.78), and a false alarm sends a
    citizen the 110 message and the duty officer a call; the next intent ranked is taken instead."""
    intent = message.get(INTENT) or {}
    if intent.get(INTENT_NAME_KEY) != DANGER_INTENT:
        return
    raw = message.get(TEXT)
    text = raw if isinstance(raw, str) else ""
    sure = (intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0) >= CLASSIFIER_DANGER_MIN
    if sure and len(content_chars(text)) >= CLASSIFIER_DANGER_MIN_CHARS:
        return
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != DANGER_INTENT]
    fallback = {INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME, PREDICTED_CONFIDENCE_KEY: 0.0}
    # the next one the words support: "我" demoted from danger is no status query (intent_cues.yml)
    chosen = next((r for r in ranking if supported(r, text)), fallback)
    message.set(INTENT, dict(chosen), add_to_output=True)
    message.set(INTENT_RANKING_KEY, [*ranking, intent], add_to_output=True)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class RiskScreener(RuleComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or is_payload(text):
                continue
            # the citizen's own words: the screen's normaliser reads emoji (🔪) and long texts itself
            original = message.get(ORIGINAL_TEXT)
            assessment = screen(original if isinstance(original, str) else text)
            message.set(
                RISK_KEY,
                {
                    "level": assessment.level,
                    "kinds": [s.kind for s in assessment.signals],
                    "reasons": [s.reason_zh for s in assessment.signals],
                },
                add_to_output=True,
            )
            if assessment.level == URGENT:
                message.set(
                    INTENT,
                    {INTENT_NAME_KEY: DANGER_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0},
                    add_to_output=True,
                )
            else:
                _demote_unsure_danger(message)
        return messages
