"""Two hot spots of Rasa 3.6 found by ``make bench --profile`` (py-spy), fixed without changing what
Rasa does. Installed in the Rasa process by ``connectors.hotline`` (credentials.yml).

- Every reply from the action server is checked against a fixed schema, and Rasa first re-checks that
  schema against the JSON-Schema meta-schema (``jsonschema.validate``): ~50 ms per call, 38% of the
  Rasa process's CPU under load. The validator is now built once; same check, same error.
- Every stored event is turned back into an object by walking all ``Event`` subclasses
  (``Event.resolve_by_type``): 3-8% of the CPU when trackers are loaded. The name → class table is
  now built once (and rebuilt if a name is unknown, e.g. a subclass imported later).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import ValidationError, exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

_ORIGINAL_RESOLVE = Event.resolve_by_type
_EVENT_CLASSES: dict[str, type[Event]] = {}


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


def _event_classes() -> dict[str, type[Event]]:
    table: dict[str, type[Event]] = {}
    for cls in all_subclasses(Event):
        table.setdefault(cls.type_name, cls)  # the first match wins, as in Rasa's loop
    return table


def resolve_event_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """``Event.resolve_by_type`` with the subclass walk done once."""
    found = _EVENT_CLASSES.get(type_name)
    if found is None:
        _EVENT_CLASSES.clear()
        _EVENT_CLASSES.update(_event_classes())
        found = _EVENT_CLASSES.get(type_name)
    if found is not None:
        return found
    return _ORIGINAL_RESOLVE(type_name, default)  # Rasa's own answer for unknown names


def install() -> None:
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(resolve_event_type)  # type: ignore[method-assign]
