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


def dispute_category(intent: str | None) -> Category | None:
    """The category of a dispute intent; None for other intents and for out_of_scope (其他)."""
    found = category_for_intent(intent)
    return found if found is not None and found.code != OTHER else None


def category_named_in(text: str, *, disputes_only: bool = False) -> Category | None:
    """The first category (in taxonomy order) whose name or label the text contains."""
    for found in categories().values():
        if disputes_only and found.code == OTHER:
            continue
        if found.name in text or found.label in text:
            return found
    return None
