"""Rasa 3.6 re-checks its fixed action-response schema against the JSON-Schema meta-schema on every
reply from the action server (``jsonschema.validate``): ~50 ms per call and, under load, 38% of the
Rasa process's CPU (py-spy, `make bench --profile`). Building the validator once keeps the same check
and the same error. Imported by the Rasa process through ``connectors`` (credentials.yml)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import ValidationError, exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def _response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    error = exceptions.best_match(_response_validator().iter_errors(result))
    if error is None:
        return True
    assert isinstance(error, ValidationError)
    error.message += (
        ". Failed to validate Action server response from API, "
        "make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
