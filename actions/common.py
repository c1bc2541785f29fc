"""Small helpers shared by the actions: reading the tracker, sending a ``Turn``."""

from __future__ import annotations

import asyncio
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, TypeVar

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.intake.turn import Turn
from bot.storage.store import TicketStore
from bot.textnorm import join_typed_apart

INTAKE_SLOTS = (
    "category",
    "category_name",
    "category_candidates",
    "consent",
    "confirmed",
    "description",
    "risk_level",
    "risk_reasons",
    "ticket_code",
    "reasked",
)


T = TypeVar("T")
_store: TicketStore | None = None
_store_lock = threading.Lock()


def get_store() -> TicketStore:
    """One ticket store per action-server process, created on first use."""
    global _store
    with _store_lock:
        if _store is None:
            _store = TicketStore()
        return _store


async def in_thread(call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a blocking store call off the event loop: a database waiting on a lock must not stall
    every other conversation the action server is serving."""
    return await asyncio.to_thread(call, *args, **kwargs)


def slots_of(tracker: Tracker) -> dict[str, Any]:
    return dict(tracker.slots)


def texts_of(tracker: Tracker, who: str) -> list[str]:
    """The conversation's messages of ``who`` ("user" or "bot"), in order."""
    return [str(e.get("text") or "") for e in tracker.events if e.get("event") == who]


def latest(tracker: Tracker) -> tuple[str, dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """Text, intent, intent ranking and entities of the citizen's latest message."""
    message = tracker.latest_message or {}
    return (
        join_typed_apart(message.get("text") or ""),
        message.get("intent") or {},
        message.get("intent_ranking") or [],
        message.get("entities") or [],
    )


def answers_a_question(tracker: Tracker, form: str) -> bool:
    """True when the form runs right after a citizen's message (not on activation or on return
    from an interruption). Rasa appends a marker ``ActionExecuted(form)`` to the tracker it sends
    to the validation action; the action before that marker tells what happened."""
    actions = [e.get("name") for e in reversed(tracker.events) if e.get("event") == "action"]
    if actions and actions[0] == form:
        actions = actions[1:]
    return bool(actions) and actions[0] == "action_listen"


def channel_of(tracker: Tracker) -> str:
    return tracker.get_latest_input_channel() or "rest"


def send(turn: Turn, dispatcher: CollectingDispatcher) -> list[dict[str, Any]]:
    for response, variables in turn.responses:
        dispatcher.utter_message(response=response, **variables)
    return [SlotSet(name, value) for name, value in turn.updates.items()]


class MessageReadingForm(FormValidationAction):
    """Base of our form validators: every slot is read from the citizen's latest message in
    ``read_message`` (no ``extract_<slot>`` methods), and only when it answers a question."""

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        return []

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        if not answers_a_question(tracker, self.form_name()):
            return []  # activation or return from an interruption: nothing new to read
        return await self.read_message(dispatcher, tracker)

    @abstractmethod
    async def read_message(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        """Slot events for the citizen's latest message (abstract: rasa_sdk skips this base class)."""


class AskConfirmingHeld(Action, ABC):
    """A form question asked as a confirmation of what the citizen already said ("您刚才留的电话是…",
    "涉及金额按…元登记，对吗？"), else the plain question: ``held`` gives the message's arguments or None."""

    plain: str = ""  # the plain question's response

    @abstractmethod
    def held(self, slots: dict[str, Any]) -> dict[str, Any] | None: ...

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        message = self.held(slots_of(tracker))
        dispatcher.utter_message(**(message or {"response": self.plain}))
        return []
