"""The hotline channel in-process (a stand-in dialogue, no Rasa server): after 办结 a reply that is only
a digit 1-5 (also "５", "五") is the caller's rating, stored on the case and thanked for through the
same reply and callback; a digit keeps its old meaning when it chooses a numbered option, while an
intake form is active, or when the caller has no closed case to rate."""

from __future__ import annotations

import json
import uuid
from types import SimpleNamespace
from typing import Any

import pytest

from bot import signing
from bot.storage.store import IntakeRecord, TicketStore
from connectors.channels import senders, sms
from connectors.channels.channel_outbox import ChannelOutbox
from connectors.channels.hotline import HotlineInput, HotlineSettings
from connectors.channels.limits import RateLimiter

SECRET = "hotline-rating-secret"
PHONE = "13912345678"


class Dialogue:
    """Stands in for Rasa: echoes what it received."""

    def __init__(self) -> None:
        self.received: list[str] = []

    async def __call__(self, message: Any) -> None:
        self.received.append(message.text)
        await message.output_channel.send_response(message.sender_id, {"text": f"收到：{message.text}"})


class Agent:
    """Rasa's agent as the channel sees it: a tracker store whose conversation may be inside a form
    or paused while a person answers it."""

    def __init__(self, active_loop: str | None, paused: bool = False) -> None:
        tracker = SimpleNamespace(active_loop_name=active_loop, is_paused=lambda: paused)

        async def retrieve(conversation: str) -> Any:
            return tracker

        self.tracker_store = SimpleNamespace(retrieve=retrieve)


@pytest.fixture
def store(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("SENDER_ID_KEY", "hotline-rating-test-key")
    s = TicketStore(f"sqlite:///{tmp_path / 'intake.db'}")
    yield s
    s.dispose()


@pytest.fixture
def channel(store: TicketStore) -> HotlineInput:
    settings = HotlineSettings(secret=SECRET, callback_url="http://127.0.0.1:9/callback")
    return HotlineInput(settings, RateLimiter(30, 0, redis_url=""), ChannelOutbox(store))


def closed_case(store: TicketStore, phone: str = PHONE) -> str:
    facts = {"applicant_name": "张三", "phone": phone, "counterparty": "王某"}
    code = store.file_ticket(IntakeRecord("hl-x", "hotline", "neighbor", "none", facts, "噪音"))["code"]
    store.claim(code, "李四")
    store.change_status(code, "resolved", "李四")
    store.change_status(code, "closed", "李四")
    return str(code)


async def post(channel: HotlineInput, text: str, dialogue: Dialogue, agent: Any = None) -> dict[str, Any]:
    body = json.dumps(
        {"message_id": uuid.uuid4().hex, "from": PHONE, "text": text}, ensure_ascii=False
    ).encode()
    request = SimpleNamespace(
        body=body,
        headers=signing.signed_headers(SECRET, body),
        ip="127.0.0.1",
        app=SimpleNamespace(ctx=SimpleNamespace(agent=agent)),
    )
    answer = await channel.handle(request, dialogue)  # type: ignore[arg-type]
    assert answer.status == 200
    return dict(json.loads(answer.body))


@pytest.mark.parametrize("digit", ["5", "５", "五"])
async def test_a_digit_after_closing_is_the_rating(
    channel: HotlineInput, store: TicketStore, digit: str
) -> None:
    code = closed_case(store)
    dialogue = Dialogue()
    answer = await post(channel, digit, dialogue, Agent(None))
    assert dialogue.received == []  # the dialogue is not disturbed
    assert "感谢您的评价（5分）" in "".join(answer["replies"]) and answer["callback"] is True
    ticket = store.get_ticket(code)
    assert ticket is not None and ticket["citizen_rating"] == 5
    again = await post(channel, "3", dialogue, Agent(None))  # rated: a digit is a message again
    assert dialogue.received == ["3"] and again["replies"] == ["收到：3"]


async def test_a_low_rating_tells_the_citizen_a_supervisor_will_call(
    channel: HotlineInput, store: TicketStore
) -> None:
    code = closed_case(store)
    answer = await post(channel, "1", Dialogue())
    assert "主管" in "".join(answer["replies"])
    ticket = store.get_ticket(code)
    assert ticket is not None and ticket["citizen_feedback"]["revisit_due"] is True


async def test_a_digit_inside_an_intake_still_answers_its_question(
    channel: HotlineInput, store: TicketStore
) -> None:
    code = closed_case(store)
    dialogue = Dialogue()
    answer = await post(channel, "5", dialogue, Agent("intake_form"))  # "how many people?" → 5
    assert dialogue.received == ["5"] and answer["replies"] == ["收到：5"]
    ticket = store.get_ticket(code)
    assert ticket is not None and ticket["citizen_rating"] is None


async def test_a_digit_choosing_a_numbered_option_is_not_a_rating(
    channel: HotlineInput, store: TicketStore
) -> None:
    closed_case(store)
    conversation = senders.hotline_sender_id(PHONE, channel.sender_key)
    await channel.options.remember(
        conversation, [sms.Option("同意", "/affirm"), sms.Option("不同意", "/deny")]
    )
    dialogue = Dialogue()
    await post(channel, "1", dialogue)
    assert dialogue.received == ["/affirm"]


async def test_a_digit_without_a_closed_case_is_an_ordinary_message(
    channel: HotlineInput, store: TicketStore
) -> None:
    closed_case(store, phone="13800001111")  # somebody else's case
    dialogue = Dialogue()
    answer = await post(channel, "4", dialogue)
    assert dialogue.received == ["4"] and answer["replies"] == ["收到：4"]


async def test_a_digit_to_a_person_answering_live_is_passed_on(
    channel: HotlineInput, store: TicketStore
) -> None:
    code = closed_case(store)
    dialogue = Dialogue()
    await post(channel, "5", dialogue, Agent(None, paused=True))  # 转人工: staff read the conversation
    assert dialogue.received == ["5"]
    ticket = store.get_ticket(code)
    assert ticket is not None and ticket["citizen_rating"] is None
