"""Rasa 3.6 NLU component that adds the facts of bot.facts as entities.

Thin on purpose: all logic lives in the pure-Python ``bot.facts`` package (unit-tested without
Rasa). Use in config.yml as ``- name: connectors.nlu.fact_extractor.FactExtractor`` after the tokenizer.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.facts import extract_facts
from connectors.nlu.component import RuleComponent

logger = logging.getLogger(__name__)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class FactExtractor(RuleComponent, EntityExtractorMixin):
    """Adds amount/headcount/phone/id_number/time/location/counterparty/person_name/evidence entities."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``entities``: restrict to these entity names (None = all)."""
        return {"entities": None}

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        super().__init__(config)
        wanted = self.config.get("entities")
        self._wanted = set(wanted) if wanted else None

    @staticmethod
    def _message_time(message: Message) -> dt.datetime:
        """Message time (epoch seconds, as Rasa stores it) or now, to resolve 上个月底 etc."""
        raw = getattr(message, "time", None)
        if raw is not None:
            try:
                return dt.datetime.fromtimestamp(float(raw))
            except (TypeError, ValueError, OverflowError, OSError):
                logger.debug("unusable message time %r, using now", raw)
        return dt.datetime.now()

    def process(self, messages: list[Message]) -> list[Message]:
        """Append the extracted facts to each message's entities (offsets into the message text)."""
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or not text:
                continue
            facts = extract_facts(text, self._message_time(message))
            entities = [
                f.as_entity(self.__class__.__name__)
                for f in facts
                if self._wanted is None or f.entity in self._wanted
            ]
            if entities:
                message.set(ENTITIES, [*message.get(ENTITIES, []), *entities], add_to_output=True)
        return messages
