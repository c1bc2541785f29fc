"""Rasa component that normalises message text ahead of the tokenizer (see ``bot.textnorm``)."""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.textnorm import MAX_CHARS, normalize_text
from connectors.nlu.component import RuleComponent, is_payload

ORIGINAL_TEXT = "original_text"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class TextNormalizer(RuleComponent):
    """Traditional→simplified, full-width→half-width, emoji and repeated punctuation out, length cap.

    The tracker keeps the citizen's own words: Rasa stores the channel's text in the
    ``UserUttered`` event; only the parse data carries the normalised form.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"max_chars": MAX_CHARS}

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        super().__init__(config)
        self._max_chars = int(self.config["max_chars"])

    def _normalize(self, message: Message) -> None:
        text = message.get(TEXT)
        if not isinstance(text, str) or is_payload(text):
            return  # intent payloads from buttons ("/affirm") stay as they are; a typed "/…" is text
        normalized = normalize_text(text, self._max_chars) or "?"
        if normalized != text:
            message.set(ORIGINAL_TEXT, text)
            message.set(TEXT, normalized)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            self._normalize(example)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._normalize(message)
        return messages
