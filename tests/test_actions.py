"""The rasa_sdk actions on real trackers (no Rasa server): events and messages they produce."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.intake import (
    ActionAskAmount,
    ActionAskCategory,
    ActionAskConfirmed,
    ActionStartIntake,
    ValidateIntakeForm,
)
from bot.facts import extract_facts

DOMAIN: dict[str, Any] = {"forms": {"intake_form": {"required_slots": ["category", "consent", "confirmed"]}}}


def tracker(
    text: str, intent: str, slots: dict[str, Any] | None = None, after: str = "action_listen"
) -> Tracker:
    entities = [f.as_entity() for f in extract_facts(text)]
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.97},
        "intent_ranking": [
            {"name": intent, "confidence": 0.97},
            {"name": "dispute_debt", "confidence": 0.01},
        ],
        "entities": entities,
    }
    events = [
        {"event": "action", "name": after},
        {"event": "user", "text": text, "parse_data": latest},
        {"event": "action", "name": "intake_form"},  # the marker Rasa adds before validation
    ]
    return Tracker("citizen-7", slots or {}, latest, events, False, None, {"name": "intake_form"}, after)


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


async def test_start_intake_classifies_and_keeps_stated_facts() -> None:
    dispatcher = CollectingDispatcher()
    text = "包工头老王欠我们十几个人三万五的工钱"
    events = await ActionStartIntake().run(dispatcher, tracker(text, "dispute_wage_arrears"), DOMAIN)
    slots = slot_events(events)
    assert slots["category"] == "wage_arrears"
    assert slots["amount_yuan"] is None and slots["story_amount"]["value"] == 35000  # to be confirmed
    assert slots["counterparty"] == "包工头老王"
    assert slots["description"] == text
    assert dispatcher.messages[0]["response"] == "utter_category_identified"
    assert dispatcher.messages[0]["category_name"] == "欠薪"
    asked = CollectingDispatcher()
    await ActionAskAmount().run(asked, tracker("", "inform", slots), DOMAIN)
    assert (
        asked.messages[0]["response"] == "utter_ask_amount_held" and asked.messages[0]["figure"] == "35000元"
    )


async def test_form_asks_exactly_the_category_facts() -> None:
    required = await ValidateIntakeForm().required_slots(
        [], CollectingDispatcher(), tracker("", "inform", {"category": "traffic", "consent": False}), DOMAIN
    )
    assert required == [
        "category",
        "sub_type",
        "consent",
        "accident_date",
        "location",
        "counterparty",
        "accident_report",
        "amount_yuan",
        "confirmed",
    ]  # fmt: skip  (one optional question: facts.yml optional_questions)
    injury = await ValidateIntakeForm().required_slots(
        [],
        CollectingDispatcher(),
        tracker("", "inform", {"category": "traffic", "consent": False, "sub_type": "injury"}),
        DOMAIN,
    )
    assert "injured" in injury  # the injury sub-type asks who is hurt


async def test_validator_reads_the_answer_and_requests_the_next_fact() -> None:
    slots = {"category": "debt", "sub_type": "loan", "consent": False, "requested_slot": "counterparty"}
    events = await ValidateIntakeForm().run(
        CollectingDispatcher(), tracker("借钱的是我表哥", "inform", slots), DOMAIN
    )
    values = slot_events(events)
    assert values["counterparty"]
    assert values["requested_slot"] == "amount_yuan"


async def test_validator_leaves_interruptions_to_the_rules() -> None:
    slots = {"category": "debt", "sub_type": "loan", "consent": False, "requested_slot": "counterparty"}
    events = await ValidateIntakeForm().run(
        CollectingDispatcher(), tracker("转人工", "ask_human", slots), DOMAIN
    )
    assert "counterparty" not in slot_events(events)


async def test_validator_ignores_the_message_on_return_from_an_interruption() -> None:
    slots = {"category": "debt", "sub_type": "loan", "consent": False, "requested_slot": "counterparty"}
    t = tracker("你是机器人吗", "bot_challenge", slots, after="utter_iamabot")
    t.events.insert(2, {"event": "action", "name": "utter_iamabot"})
    events = await ValidateIntakeForm().run(CollectingDispatcher(), t, DOMAIN)
    assert "counterparty" not in slot_events(events)


@pytest.mark.parametrize(
    ("candidates", "titles"), [(["labor", "wage_arrears"], ["劳动争议", "欠薪", "都不是"])]
)
async def test_category_question_offers_the_candidates(candidates: list[str], titles: list[str]) -> None:
    dispatcher = CollectingDispatcher()
    await ActionAskCategory().run(
        dispatcher, tracker("", "inform", {"category_candidates": candidates}), DOMAIN
    )
    assert [b["title"] for b in dispatcher.messages[0]["buttons"]] == titles
    assert dispatcher.messages[0]["buttons"][0]["payload"] == "/dispute_labor"


async def test_confirmation_shows_every_fact_with_buttons() -> None:
    dispatcher = CollectingDispatcher()
    slots = {"category": "debt", "consent": False, "counterparty": "表哥", "amount_yuan": 50000}
    await ActionAskConfirmed().run(dispatcher, tracker("", "inform", slots), DOMAIN)
    text = dispatcher.messages[0]["text"]
    assert "表哥" in text and "50000元" in text and "匿名登记" in text
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/affirm", "/deny"]


async def test_actions_work_without_the_domain_rasa_no_longer_sends() -> None:
    """endpoints.yml has Rasa send the domain only to actions that ask for it, and none does: the
    validator must give the same events with an empty domain as with the form's."""
    import yaml
    from rasa.shared.core.domain import Domain

    from bot import paths

    endpoints = yaml.safe_load((paths.ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    assert endpoints["action_endpoint"]["enable_selective_domain"] is True
    domain = Domain.load(str(paths.DOMAIN))
    assert not [a for a in domain.user_actions if domain.does_custom_action_explicitly_need_domain(a)]
    for text, intent, slots in [
        ("借钱的是我表哥", "inform", {"category": "debt", "consent": False, "requested_slot": "counterparty"}),
        ("同意", "affirm", {"category": "labor", "requested_slot": "consent"}),
        ("确认", "affirm", {"category": "debt", "consent": False, "counterparty": "表哥", "amount_yuan": 5000,
                          "period": "去年", "evidence": "不清楚", "location": "不清楚", "requested_slot": "confirmed"}),
    ]:  # fmt: skip
        full = await ValidateIntakeForm().run(CollectingDispatcher(), tracker(text, intent, slots), DOMAIN)
        empty = await ValidateIntakeForm().run(CollectingDispatcher(), tracker(text, intent, slots), {})
        assert full == empty and slot_events(full), text


async def test_a_question_no_topic_fits_is_told_what_the_center_handles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first message "能补办驾驶证吗？" is answered with the center's scope, not "没太明白"."""
    import yaml

    import actions.conversation as conversation_actions
    from bot.storage.store import TicketStore
    from bot.tickets.profiles import load_profile

    store = TicketStore(f"sqlite:///{tmp_path / 'intake.db'}", load_profile())
    monkeypatch.setattr(conversation_actions, "get_store", lambda: store)
    dispatcher = CollectingDispatcher()
    said = tracker("请问在你们这能补办驾驶证吗？", "nlu_fallback", after="action_listen")
    await conversation_actions.ActionNotUnderstood().run(dispatcher, said, DOMAIN)
    store.dispose()
    response = dispatcher.messages[0]["response"]
    domain = yaml.safe_load((Path(__file__).parents[1] / "domain" / "core.yml").read_text(encoding="utf-8"))
    assert "不在综治中心的受理范围" in domain["responses"][response][0]["text"]


async def test_a_question_asked_with_the_story_is_answered_as_the_intake_starts() -> None:
    dispatcher = CollectingDispatcher()
    text = "工伤申请仲裁的材料清单能发我一份吗？我在厂里冲床上压伤了两根手指，工伤认定书已经下来了。顺便问下大概多久能有结果"
    await ActionStartIntake().run(dispatcher, tracker(text, "dispute_labor"), DOMAIN)
    said = " ".join(m.get("text") or "" for m in dispatcher.messages)
    assert "「劳动争议」类纠纷请带上" in said  # the materials for the case told
    plain = CollectingDispatcher()
    await ActionStartIntake().run(plain, tracker("老板欠我三个月工资不给", "dispute_wage_arrears"), DOMAIN)
    assert all(m.get("text") is None for m in plain.messages)  # a story alone gets no consultation answer


async def test_the_phone_question_confirms_a_number_given_before_consent() -> None:
    from actions.conversation import ActionAskPhone

    held = CollectingDispatcher()
    slots = {"consent": True, "held_contact": {"phone": "13822715566"}}
    await ActionAskPhone().run(held, tracker("", "inform", slots), DOMAIN)
    assert held.messages[0]["text"] == "您刚才留的电话是13822715566，就用这个号码吗？"
    assert [b["payload"] for b in held.messages[0]["buttons"]] == ["/affirm", "/deny"]
    plain = CollectingDispatcher()
    await ActionAskPhone().run(plain, tracker("", "inform", {"consent": True}), DOMAIN)
    assert plain.messages[0]["response"] == "utter_ask_phone"
