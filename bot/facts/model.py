"""The Fact record shared by all extractors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Fact:
    """One extracted fact: offsets index the caller's original text, value is normalised."""

    entity: str
    value: Any
    start: int
    end: int
    text: str
    approximate: bool = False
    valid: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    def as_entity(self, extractor: str = "FactExtractor") -> dict[str, Any]:
        """Rasa entity dict (offsets, value, plus our extra keys)."""
        entity: dict[str, Any] = {
            "entity": self.entity,
            "value": self.value,
            "start": self.start,
            "end": self.end,
            "extractor": extractor,
            "confidence_entity": 1.0,
            "text": self.text,
            "approximate": self.approximate,
            "valid": self.valid,
        }
        if self.extra:
            entity["extra"] = dict(self.extra)
        return entity
