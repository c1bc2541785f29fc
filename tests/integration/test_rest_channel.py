"""A Chinese message through the real REST channel and HTTP API of a running stack."""

from __future__ import annotations

import urllib.request
from collections.abc import Callable

from tests.integration.rest_client import post_json, widget_sender
from tools.stack import StackSettings

Chat = Callable[[str, str], list[str]]


def test_wage_arrears_reply_names_the_category(chat: Chat) -> None:
    replies = chat(widget_sender(), "老板拖欠我三个月工资")
    assert any("欠薪" in r for r in replies), replies


def test_greeting_says_what_the_assistant_does(chat: Chat) -> None:
    replies = chat(widget_sender(), "你好")
    assert any("综治中心" in r and "不是律师" in r for r in replies), replies


def test_parse_requires_the_token(stack: StackSettings) -> None:
    status, _ = post_json(stack.urls["parse"], {"text": "老板拖欠我三个月工资"})
    assert status == 401
    url = f"{stack.urls['parse']}?token={stack.rasa_token}"
    status, parsed = post_json(url, {"text": "老板拖欠我三个月工资"})
    assert status == 200
    assert parsed["intent"]["name"] == "dispute_wage_arrears"  # type: ignore[index]


def test_intake_service_answers(stack: StackSettings) -> None:
    with urllib.request.urlopen(stack.urls["intake_health"], timeout=10) as response:
        assert response.status == 200
