"""The WeChat channel in the running stack (plain mode): a story typed in WeChat is understood and
answered in the passive reply, under a ``wx-`` conversation id."""

from __future__ import annotations

import urllib.parse
import urllib.request
import uuid

import xmltodict

from tests.channels.wechat_fakes import event_xml, signed, text_xml
from tools.stack import StackSettings


def post(stack: StackSettings, xml: str) -> str:
    query, body = signed(xml)
    url = f"http://{stack.host}:{stack.rasa_port}/webhooks/wechat/webhook?" + urllib.parse.urlencode(query)
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "text/xml"})
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = response.read().decode("utf-8")
    return "" if answer == "success" else str(xmltodict.parse(answer)["xml"]["Content"])


def test_a_story_through_wechat_is_answered_passively(channel_stack: StackSettings) -> None:
    openid = "o" + uuid.uuid4().hex[:27]
    greeting = post(channel_stack, event_xml(openid, "subscribe"))
    assert greeting  # following the account greets
    reply = post(channel_stack, text_xml(openid, "包工头老王跑路了，欠我们工资不给", 900001))
    assert "欠薪" in reply and "回复1" in reply  # understood; buttons as numbered options
