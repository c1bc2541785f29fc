"""A Chinese message through the real REST channel and HTTP API of a running stack."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid

import pytest

from bot.stack import StackSettings


def _post(url: str, payload: dict) -> tuple[int, object]:
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, None


def _chat(stack: StackSettings, sender: str, text: str) -> list[str]:
    status, replies = _post(stack.urls["rest"], {"sender": sender, "message": text})
    assert status == 200
    return [r.get("text", "") for r in replies]  # type: ignore[union-attr]


def test_wage_arrears_reply_names_the_category(stack: StackSettings) -> None:
    replies = _chat(stack, f"it-{uuid.uuid4().hex[:8]}", "老板拖欠我三个月工资")
    assert any("欠薪" in r for r in replies), replies


def test_greeting_says_what_the_assistant_does(stack: StackSettings) -> None:
    replies = _chat(stack, f"it-{uuid.uuid4().hex[:8]}", "你好")
    assert any("综治中心" in r and "不是律师" in r for r in replies), replies


def test_parse_requires_the_token(stack: StackSettings) -> None:
    status, _ = _post(stack.urls["parse"], {"text": "老板拖欠我三个月工资"})
    assert status == 401
    status, parsed = _post(stack.urls["parse"] + "?token=test-token", {"text": "老板拖欠我三个月工资"})
    assert status == 200
    assert parsed["intent"]["name"] == "dispute_wage_arrears"  # type: ignore[index]


@pytest.mark.parametrize("path", ["intake_health"])
def test_intake_service_answers(stack: StackSettings, path: str) -> None:
    with urllib.request.urlopen(stack.urls[path], timeout=10) as response:
        assert response.status == 200
