"""The dispute taxonomy: category codes and their Chinese names, read from ``taxonomy.yml``.

The codes are a contract (see DESIGN.md); everything that differs by category is data, so the
dialogue, routing and ticket code handle all categories with one mechanism.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

TAXONOMY_FILE = Path(__file__).with_name("taxonomy.yml")
DISPUTE_INTENT_PREFIX = "dispute_"
OUT_OF_SCOPE_INTENT = "out_of_scope"
OTHER = "other"


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    label: str
    covers: str
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()

    @property
    def intent(self) -> str:
        """The NLU intent that classifies a description into this category."""
        return OUT_OF_SCOPE_INTENT if self.code == OTHER else DISPUTE_INTENT_PREFIX + self.code


@lru_cache(maxsize=1)
def categories() -> dict[str, Category]:
    raw = yaml.safe_load(TAXONOMY_FILE.read_text(encoding="utf-8"))["categories"]
    return {
        code: Category(
            code=code,
            name=fields["name"],
            label=fields["label"],
            covers=fields["covers"],
            required=tuple(fields.get("required", ())),
            optional=tuple(fields.get("optional", ())),
        )
        for code, fields in raw.items()
    }


def category(code: str) -> Category:
    try:
        return categories()[code]
    except KeyError:
        raise KeyError(f"unknown category code {code!r}; known: {sorted(categories())}") from None


def category_for_intent(intent: str | None) -> Category | None:
    """Map an NLU intent to its category; None for intents that do not describe a dispute."""
    if not intent:
        return None
    if intent == OUT_OF_SCOPE_INTENT:
        return categories()[OTHER]
    if intent.startswith(DISPUTE_INTENT_PREFIX):
        return categories().get(intent[len(DISPUTE_INTENT_PREFIX) :])
    return None
