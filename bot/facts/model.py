"""The Fact record shared by all extractors."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


def span_overlaps(start: int, end: int, facts: Iterable[Fact]) -> bool:
    """Whether the span [start, end) shares a character with any of ``facts``."""
    return any(f.start < end and start < f.end for f in facts)


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

    def overlaps(self, others: Iterable[Fact]) -> bool:
        """Whether this fact shares a character with any of ``others``."""
        return span_overlaps(self.start, self.end, others)

    @classmethod
    def from_entity(cls, entity: dict[str, Any]) -> Fact:
        """The fact back from its Rasa entity dict (``as_entity``), to judge it without extracting again."""
        return cls(
            entity=str(entity.get("entity")),
            value=entity.get("value"),
            start=int(entity.get("start") or 0),
            end=int(entity.get("end") or 0),
            text=str(entity.get("text") or ""),
            approximate=bool(entity.get("approximate")),
            valid=bool(entity.get("valid", True)),
            extra=dict(entity.get("extra") or {}),
        )

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
