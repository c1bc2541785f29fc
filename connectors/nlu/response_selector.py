"""Response selector for retrieval intents (``consult/hours``, ``consult/materials`` …) with the
same linear model as our intent classifier.

Rasa's ``ResponseSelector`` is a DIET network: it would add TensorFlow training and a TensorFlow
call to every message for ten short answer topics. This component fills ``response_selector`` in
the format Rasa's selector uses (so ``ActionRetrieveResponse`` and our ``action_consult`` read it
alike), from a logistic regression over the pipeline's n-gram features, trained on the examples of
each retrieval intent. It only answers for messages the intent classifier put in a retrieval
intent; for others it leaves an empty prediction, as Rasa's does.
"""

from __future__ import annotations

import logging
import zlib
from typing import Any

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY
from rasa.shared.nlu.training_data.message import Message

from connectors.nlu.linear_classifier import LinearIntentClassifier, LinearModel, sentence_vector

logger = logging.getLogger(__name__)
SELECTOR_KEY = "response_selector"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LinearResponseSelector(LinearIntentClassifier):
    """Sets ``response_selector[<retrieval intent>]`` with the best ``intent_response_key``."""

    @staticmethod
    def label_of(example: Message) -> str | None:
        """The retrieval answer an example teaches (``consult/hours``); other examples teach nothing."""
        key = example.get(INTENT_RESPONSE_KEY)
        return str(key) if key else None

    @property
    def model(self) -> LinearModel | None:
        return self._model

    @model.setter
    def model(self, model: LinearModel | None) -> None:
        """Set by training and loading; the retrieval intents follow from its labels, once."""
        self._model = model
        labels = model.labels if model is not None else []
        self._retrieval_intents = sorted({label.split("/")[0] for label in labels})

    def process(self, messages: list[Message]) -> list[Message]:
        retrieval = self._retrieval_intents
        for message in messages:
            selector: dict[str, Any] = {"all_retrieval_intents": list(retrieval)}
            intent = str((message.get(INTENT) or {}).get("name") or "")
            if self.model is not None and intent in retrieval:
                vector = sentence_vector(message)
                if vector is not None:
                    selector[intent] = self._prediction(intent, self.model.probabilities(vector)[0])
            message.set(SELECTOR_KEY, selector, add_to_output=True)
        return messages

    def _prediction(self, intent: str, probabilities: np.ndarray) -> dict[str, Any]:
        assert self.model is not None
        inside = [i for i, label in enumerate(self.model.labels) if label.startswith(intent + "/")]
        total = float(sum(probabilities[i] for i in inside)) or 1.0
        ranking: list[dict[str, Any]] = sorted(
            (
                {
                    "id": zlib.crc32(self.model.labels[i].encode("utf-8")),
                    "confidence": float(probabilities[i]) / total,
                    "intent_response_key": self.model.labels[i],
                }
                for i in inside
            ),
            key=lambda item: -float(item["confidence"]),
        )
        best = ranking[0]
        return {
            "response": {
                "id": best["id"],
                "responses": None,
                "response_templates": None,
                "confidence": best["confidence"],
                "intent_response_key": best["intent_response_key"],
                "utter_action": f"utter_{best['intent_response_key']}",
                "template_name": f"utter_{best['intent_response_key']}",
            },
            "ranking": ranking[:10],
        }
