"""Outside the questions of the form: questions about the center, messages not understood, a story
told as an answer, and the phone question when a number was given before consent."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import AskConfirmingHeld, get_store, in_thread, latest, send, slots_of, texts_of
from actions.handoff import staffed_now
from bot.intake import consultation, dialogue, opening
from bot.tickets.profiles import current_profile


class ActionConsult(Action):
    def name(self) -> str:
        return "action_consult"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        text, _, ranking, entities = latest(tracker)
        slots = slots_of(tracker)
        selected = consultation.topic_of((tracker.latest_message or {}).get("response_selector"))
        topic = consultation.chosen_topic(selected, text)
        reply, kept = consultation.reply_to(current_profile(), topic, text, ranking, slots)
        requested = tracker.get_slot("requested_slot") if tracker.active_loop_name else None
        said = texts_of(tracker, "bot")
        earlier = texts_of(tracker, "user")[:-1]
        if consultation.taken_as_unclear_answer(reply, said, requested, topic, text, slots, earlier):
            response, value = consultation.unclear_answer(str(requested))
            dispatcher.utter_message(response=response)
            return [SlotSet(requested, value), SlotSet(dialogue.MISUNDERSTOOD_SLOT, None)]
        if not tracker.active_loop_name:  # the same answer again: registered for a person to answer
            registered = opening.question_registered(text, reply, said, slots)
            if registered is not None:
                return [*send(registered, dispatcher), FollowupAction("intake_form")]
        story = (
            None if tracker.active_loop_name else opening.story_with_question(text, ranking, entities, slots)
        )
        if story is not None:  # registered at once: no "如需登记，直接说说…" before the category
            reply = consultation.without_offer(current_profile(), reply)
        dispatcher.utter_message(text=reply)
        noted = [SlotSet(name, value) for name, value in kept.items()]
        if story is not None:  # the story told with the question is registered, none of it lost
            return [*send(story, dispatcher), *noted, FollowupAction("intake_form")]
        return [*noted, SlotSet(dialogue.MISUNDERSTOOD_SLOT, None)]


class ActionNotUnderstood(Action):
    def name(self) -> str:
        return "action_not_understood"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        text, intent, ranking, entities = latest(tracker)
        slots = slots_of(tracker)
        turn = opening.unsolicited_turn(text, ranking, entities, slots)  # a story the classifier missed
        if turn is not None:
            return [*send(turn, dispatcher), FollowupAction("intake_form")]
        count = opening.misunderstood_count(slots)
        if await in_thread(_calls_a_person, count):  # 转人工 without being asked: a person is on duty
            return [SlotSet(dialogue.MISUNDERSTOOD_SLOT, count), FollowupAction("action_handoff")]
        return _not_understood(dispatcher, intent.get("name"), slots, text)


def _calls_a_person(count: int) -> bool:
    store = get_store()
    limit = store.profile.handoff.after_misunderstood
    return bool(limit) and count >= limit and staffed_now(store)


def _not_understood(
    dispatcher: CollectingDispatcher, intent: str | None, slots: dict[str, Any], said: str = ""
) -> list[dict[str, Any]]:
    response, text, buttons = opening.not_understood(intent, slots, said)
    if response:
        dispatcher.utter_message(response=response)
    else:
        dispatcher.utter_message(text=text, buttons=buttons)
    return [SlotSet(dialogue.MISUNDERSTOOD_SLOT, opening.misunderstood_count(slots))]


class ActionGreet(ActionNotUnderstood):
    """A greeting: the welcome the first time; a greeting again instead of a story is a message the
    assistant cannot use (categories and a person as buttons), so the welcome is never sent three
    times in a row."""

    def name(self) -> str:
        return "action_greet"


class ActionReadUnsolicited(ActionNotUnderstood):
    """An answer without a question: a story with contact details starts the intake, with all of it
    (what ``action_not_understood`` does too)."""

    def name(self) -> str:
        return "action_read_unsolicited"


class ActionAskPhone(AskConfirmingHeld):
    """ "您刚才留的电话是…，就用这个号码吗？" when a number was given before consent, else the question."""

    plain = "utter_ask_phone"

    def name(self) -> str:
        return "action_ask_phone"

    def held(self, slots: dict[str, Any]) -> dict[str, Any] | None:
        question = dialogue.phone_question(slots)
        return None if question is None else {"text": question[0], "buttons": question[1]}
