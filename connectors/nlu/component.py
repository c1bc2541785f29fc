"""Base class of our NLU components that learn nothing from the training data, and what they share:
whether a message is a button's intent payload."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import DEFAULT_INTENTS

from bot import paths

_PAYLOAD = re.compile(r"/([A-Za-z_][A-Za-z0-9_]*)(\{.*\})?", re.DOTALL)


@lru_cache(maxsize=4)
def domain_intents(domain: Path = paths.DOMAIN) -> frozenset[str]:
    """Intent names of the domain (a file or a folder of YAML files) and Rasa's default intents; empty
    when unreadable, so that every ``/`` message is then taken as text."""
    files = (
        sorted(domain.glob("**/*.yml")) + sorted(domain.glob("**/*.yaml")) if domain.is_dir() else [domain]
    )
    names: set[str] = set()
    for file in files:
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue
        for intent in data.get("intents") or [] if isinstance(data, dict) else []:
            if isinstance(intent, str):
                names.add(intent)
            elif isinstance(intent, dict):
                names.update(str(k) for k in intent)
    return frozenset(names | set(DEFAULT_INTENTS)) if names else frozenset()


def is_payload(text: str, intents: frozenset[str] | None = None) -> bool:
    """A button's payload: ``/intent`` or ``/intent{...JSON object...}`` with an intent of the domain
    (not any text that starts with ``/``: a citizen may type one)."""
    found = _PAYLOAD.fullmatch(text.strip())
    if not found or found.group(1) not in (domain_intents() if intents is None else intents):
        return False
    if found.group(2):
        try:
            return isinstance(json.loads(found.group(2)), dict)
        except json.JSONDecodeError:
            return False
    return True


class RuleComponent(GraphComponent):
    """Built from its config alone (defaults from ``get_default_config``); nothing to persist."""

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        self.config = {**self.get_default_config(), **(config or {})}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RuleComponent:
        return cls(config)
