"""One turn's outcome (slot updates and responses) and the intents and button every intake step shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

AFFIRM, DENY = "affirm", "deny"
HUMAN_BUTTON = {"title": "转人工", "payload": "/ask_human"}


@dataclass
class Turn:
    """Slot updates plus the responses to send (domain response names with their variables)."""

    updates: dict[str, Any] = field(default_factory=dict)
    responses: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    question: str | None = None  # asked at a step whose answer is no question: the action answers it

    def say(self, response: str, **variables: Any) -> None:
        self.responses.append((response, variables))
