"""Screen every message for danger inside NLU, so the dialogue reacts even in the middle of a form.

An urgent assessment (bot.risk) turns the message's intent into ``danger``; the classifier's own
ranking is kept so the dialogue can still tell which dispute it is about. The assessment is added to
the parse data under ``risk``.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.risk import URGENT, screen
from connectors.nlu.component import RuleComponent

DANGER_INTENT = "danger"
RISK_KEY = "risk"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class RiskScreener(RuleComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or text.startswith("/"):
                continue
            assessment = screen(text)
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
        return messages
