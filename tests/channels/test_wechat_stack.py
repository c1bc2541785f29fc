"""The WeChat channel in the running stack (plain mode): a story typed in WeChat is understood and
answered in the passive reply, under a ``wx-`` conversation id."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
import uuid

import xmltodict

from connectors.channels import senders
from tests.channels.helpers import SENDER_ID_KEY
from tests.channels.wechat_fakes import event_xml, signed, text_xml
from tools.stack import StackSettings

STORY = "包工头老王跑路了，欠我们工资不给"


def post(stack: StackSettings, xml: str) -> str:
    query, body = signed(xml)
    url = f"http://{stack.host}:{stack.rasa_port}/webhooks/wechat/webhook?" + urllib.parse.urlencode(query)
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "text/xml"})
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = response.read().decode("utf-8")
    return "" if answer == "success" else str(xmltodict.parse(answer)["xml"]["Content"])


def user_messages(stack: StackSettings, conversation: str) -> list[str]:
    """What the citizen said in a conversation, from Rasa's tracker (HTTP API, the stack's token)."""
    url = (
        f"http://{stack.host}:{stack.rasa_port}/conversations/{conversation}/tracker?token={stack.rasa_token}"
    )
    with urllib.request.urlopen(url, timeout=30) as response:
        events = json.loads(response.read())["events"]
    return [str(e.get("text")) for e in events if e.get("event") == "user"]


def test_a_story_through_wechat_is_answered_passively(channel_stack: StackSettings) -> None:
    openid = "o" + uuid.uuid4().hex[:27]
    greeting = post(channel_stack, event_xml(openid, "subscribe"))
    assert "智能受理助手" in greeting  # following the account greets with the welcome
    reply = post(channel_stack, text_xml(openid, STORY, 900001))
    assert "欠薪" in reply and "回复1" in reply  # understood; buttons as numbered options
    conversation = senders.wechat_sender_id(openid, SENDER_ID_KEY.encode())
    assert conversation.startswith("wx-") and openid not in conversation
    assert STORY in user_messages(channel_stack, conversation)  # the story is kept under the wx- id
