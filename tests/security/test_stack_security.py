"""Attacks on the running stack (tests/conftest.py): somebody who knows a citizen's phone number, or
who simply floods the server, must not read or continue that citizen's conversation, open Rasa's
HTTP API, drown the duty officer in urgent tickets or slip danger past the screen."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import stat
import urllib.error
import urllib.request
import uuid
from typing import Any

import pytest

from connectors.channels.limits import MESSAGE as TOO_MANY
from connectors.channels.senders import new_widget_id
from tests.channels.helpers import Hotline, hotline_conversation, new_phone
from tools.stack import StackSettings

DANGER = "我老公拿刀说要杀了我，我现在躲在厕所里"


def request(
    url: str, payload: Any = None, *, headers: dict[str, str] | None = None, method: str | None = None
) -> tuple[int, Any, dict[str, str]]:
    data = None if payload is None else json.dumps(payload, ensure_ascii=False).encode("utf-8")
    req = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None, dict(response.headers)
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            body = json.loads(raw) if raw else None
        except json.JSONDecodeError:
            body = raw.decode("utf-8", "replace")
        return error.code, body, dict(error.headers)


def say(stack: StackSettings, sender: str, text: str, **extra: Any) -> tuple[int, Any]:
    status, body, _ = request(stack.urls["rest"], {"sender": sender, "message": text, **extra})
    return status, body


def texts(body: Any) -> str:
    return "\n".join(r.get("text", "") for r in body or [])


def tracker(stack: StackSettings, conversation: str, token: str | None) -> tuple[int, Any]:
    url = f"http://{stack.host}:{stack.rasa_port}/conversations/{conversation}/tracker"
    if token:
        url += f"?token={token}"
    status, body, _ = request(url)
    return status, body


# ----------------------------------------------------------------- 1. another citizen's conversation


@pytest.mark.parametrize(
    "sender",
    [
        "13912345678",  # a phone number: the hotline's old conversation id
        "it-0123456789",
        "web-0123456789abcdef01234567",  # the widget's old format
        "w-0123456789ABCDEF0123456789ABCDEF",
        "w-0123456789abcdef0123456789abcde",
        "hl-0123456789abcdef01234567",  # a hotline conversation
        "",
        None,
    ],
)
def test_the_rest_channel_accepts_only_widget_ids(stack: StackSettings, sender: Any) -> None:
    status, body = say(stack, sender, "你好")
    assert status == 400, body
    assert body["error"] == "invalid_sender"


def test_a_widget_id_is_accepted(stack: StackSettings) -> None:
    status, body = say(stack, new_widget_id(), "你好")
    assert status == 200 and texts(body)


def test_a_rest_client_cannot_pose_as_the_hotline(stack: StackSettings) -> None:
    sender = new_widget_id()
    status, _ = say(stack, sender, "你好", input_channel="hotline", metadata={"phone": "13912345678"})
    assert status == 200
    status, state = tracker(stack, sender, stack.rasa_token)
    assert status == 200
    assert state["latest_input_channel"] == "rest"
    assert "phone" not in (state["latest_message"].get("metadata") or {})


def test_the_hotline_conversation_id_is_not_the_phone_number(stack: StackSettings) -> None:
    phone = new_phone()
    assert Hotline(stack).post(phone, "你好").status == 200
    conversation = hotline_conversation(phone)
    assert conversation.startswith("hl-") and phone not in conversation
    assert hotline_conversation("+86 " + phone) == conversation
    status, state = tracker(stack, conversation, stack.rasa_token)
    assert status == 200 and state["events"], "the hotline's conversation is under its keyed id"
    assert state["latest_message"]["metadata"]["phone"] == phone  # for the "use this number?" step
    status, state = tracker(stack, phone, stack.rasa_token)
    assert status == 200 and not any(e["event"] == "user" for e in state["events"])
    # and the web channel cannot continue it
    assert say(stack, conversation, "我要查我的记录")[0] == 400


# ----------------------------------------------------------------- 2. Rasa's HTTP API


def test_the_tracker_api_needs_the_generated_token(stack: StackSettings) -> None:
    sender = new_widget_id()
    assert say(stack, sender, "老板拖欠我三个月工资")[0] == 200
    status, _ = tracker(stack, sender, None)
    assert status == 401
    status, _ = tracker(stack, sender, "wrong-token")
    assert status == 401
    status, state = tracker(stack, sender, stack.rasa_token)
    assert status == 200 and state["sender_id"] == sender
    token_file = stack.var_dir / "rasa_token"
    assert token_file.read_text().strip() == stack.rasa_token
    assert stat.S_IMODE(os.stat(token_file).st_mode) == 0o600


def test_browsers_may_call_rasa_only_from_the_widgets_origin(stack: StackSettings) -> None:
    own = f"http://{stack.host}:{stack.intake_port}"
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    _, _, headers = request(stack.urls["rest"], method="OPTIONS", headers={"Origin": own, **preflight})
    assert headers.get("Access-Control-Allow-Origin") == own
    evil = "https://evil.example"
    _, _, headers = request(stack.urls["rest"], method="OPTIONS", headers={"Origin": evil, **preflight})
    assert headers.get("Access-Control-Allow-Origin") in (None, "")
    _, _, headers = request(
        f"http://{stack.host}:{stack.rasa_port}/conversations/x/tracker", headers={"Origin": evil}
    )
    assert headers.get("Access-Control-Allow-Origin") in (None, "")


# ----------------------------------------------------------------- 3. rate limits, urgent cap


def test_one_conversation_is_limited_to_30_messages_a_minute(stack: StackSettings) -> None:
    sender = new_widget_id()
    statuses = [say(stack, sender, "嗯")[0] for _ in range(30)]
    assert statuses == [200] * 30
    status, body = say(stack, sender, "嗯")
    assert status == 429 and body["message"] == TOO_MANY
    assert say(stack, new_widget_id(), "你好")[0] == 200  # others go on


def test_one_client_address_is_limited_to_120_messages_a_minute(stack: StackSettings) -> None:
    address = {"X-Forwarded-For": f"203.0.113.{uuid.uuid4().int % 250 + 1}"}
    for _ in range(120):  # refused requests count too: a flood is a flood
        status, _, _ = request(stack.urls["rest"], {"sender": "x", "message": "嗯"}, headers=address)
        assert status == 400
    status, body, headers = request(
        stack.urls["rest"], {"sender": new_widget_id(), "message": "你好"}, headers=address
    )
    assert status == 429 and body["message"] == TOO_MANY and headers.get("Retry-After") == "60"
    other = {"X-Forwarded-For": "198.51.100.7"}
    status, _, _ = request(stack.urls["rest"], {"sender": new_widget_id(), "message": "你好"}, headers=other)
    assert status == 200


def test_one_hotline_caller_is_limited_to_30_messages_a_minute(stack: StackSettings) -> None:
    hotline, phone = Hotline(stack), new_phone()
    for _ in range(30):
        assert hotline.post(phone, "嗯").status == 200
    reply = hotline.post(phone, "嗯")
    assert reply.status == 429 and reply.body["message"] == TOO_MANY


def test_the_hotline_webhook_is_limited_per_client_address(stack: StackSettings) -> None:
    hotline = Hotline(stack)
    address = {"X-Forwarded-For": f"192.0.2.{uuid.uuid4().int % 250 + 1}"}
    for _ in range(120):
        assert hotline.post(new_phone(), "嗯", secret="forged", headers=address).status == 401
    assert hotline.post(new_phone(), "嗯", headers=address).status == 429


def test_at_most_three_urgent_tickets_per_conversation_an_hour(stack: StackSettings) -> None:
    sender = new_widget_id()
    codes = []
    for round_ in range(4):
        status, body = say(stack, sender, DANGER)
        assert status == 200
        reply = texts(body)
        assert "110" in reply, reply  # the emergency numbers, always
        if round_ < 3:
            assert "受理编号" in reply, reply
            codes.append(reply.split("受理编号：")[1][:20])
        else:
            assert "受理编号" not in reply, reply  # no fourth ticket, no fourth call-out
        assert say(stack, sender, "重新开始")[0] == 200
    assert len(set(codes)) == 3


# ----------------------------------------------------------------- 4. "/" messages, body size


def test_a_typed_slash_message_is_still_screened(stack: StackSettings) -> None:
    status, body = say(stack, new_widget_id(), "/" + DANGER)
    assert status == 200 and "110" in texts(body), texts(body)
    parse = f"{stack.urls['parse']}?token={stack.rasa_token}"
    status, parsed, _ = request(parse, {"text": "/" + DANGER})
    assert status == 200 and parsed["intent"]["name"] == "danger"
    status, parsed, _ = request(parse, {"text": "/affirm 他拿刀要砍我"})
    assert parsed["intent"]["name"] == "danger"
    status, parsed, _ = request(parse, {"text": "/affirm"})  # a real button payload
    assert parsed["intent"]["name"] == "affirm"


@pytest.mark.parametrize("path", ["/webhooks/rest/webhook", "/webhooks/hotline/webhook", "/model/parse"])
def test_a_megabyte_body_is_refused(stack: StackSettings, path: str) -> None:
    body = json.dumps({"sender": new_widget_id(), "message": "啊" * (1024 * 1024 // 3)}).encode()
    connection = http.client.HTTPConnection(stack.host, stack.rasa_port, timeout=30)
    try:
        connection.putrequest("POST", path)
        connection.putheader("Content-Type", "application/json")
        connection.putheader("Content-Length", str(len(body)))
        connection.endheaders()
        # the server may answer and close before the whole body was sent
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.send(body)
        status = connection.getresponse().status
    finally:
        connection.close()
    assert status == 413
