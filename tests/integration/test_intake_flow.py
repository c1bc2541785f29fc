"""Whole intakes through the real REST channel of the running stack, read back from the ticket API.

A simulated citizen answers whatever the assistant asks, from the keywords of the question.
"""

from __future__ import annotations

import json
import urllib.request

from tests.integration.rest_client import widget_sender
from tools.simulation import WAGE_ANSWERS, run_intake
from tools.stack import StackSettings


def get_ticket(stack: StackSettings, code: str) -> dict:
    request = urllib.request.Request(
        f"http://{stack.host}:{stack.intake_port}/api/tickets/{code}",
        headers={"Authorization": "Bearer staff-test-token"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_wage_arrears_intake_files_a_complete_ticket(stack: StackSettings, chat) -> None:
    code, transcript = run_intake(chat, "包工头老王跑路了，欠我们工资不给", WAGE_ANSWERS)
    ticket = get_ticket(stack, code)
    assert ticket["category"] == "wage_arrears"
    assert ticket["route"]["window"] == "labor_inspection"
    facts = ticket["facts"]
    assert facts["amount_yuan"] == 35000
    assert facts["headcount"] == 15
    assert facts["applicant_name"] == "王建国"
    assert facts["phone"] == "13912345678"
    assert "老王" in facts["counterparty"]
    assert ticket["risk_level"] in ("elevated", "urgent")  # 15 workers: a group case
    closing = transcript[-1]
    assert code in closing and "请带上" in closing


def test_declined_consent_files_an_anonymous_ticket(stack: StackSettings, chat) -> None:
    answers = {**WAGE_ANSWERS, "同意": "不同意"}
    code, transcript = run_intake(chat, "楼上邻居装修把我家墙弄裂了", answers)
    ticket = get_ticket(stack, code)
    assert ticket["facts"]["applicant_name"] is None
    assert ticket["facts"]["phone"] is None
    assert not any("手机号" in line for line in transcript if line.startswith("助手"))


def test_restart_forgets_the_unfinished_intake(chat) -> None:
    sender = widget_sender()
    chat(sender, "邻居天天堵我家门口")
    assert any("重新开始" in r for r in chat(sender, "重新开始"))
    replies = chat(sender, "同意")  # no question pending any more: asks for the dispute
    assert any("说说" in r for r in replies), replies


def test_an_answer_that_sounds_like_restart_keeps_the_intake(chat) -> None:
    """上个月开始 (since last month) is an answer, whatever was asked, not 重新开始."""
    sender = widget_sender()
    chat(sender, "楼上天天半夜蹦迪，吵得孩子睡不着")
    chat(sender, "不同意")
    replies = chat(sender, "上个月开始")
    assert not any("重新开始" in r for r in replies), replies
    assert any("？" in r or "核对" in r for r in replies), replies  # the intake goes on


def test_status_query_answers_after_the_phone_digits(stack: StackSettings, chat) -> None:
    code, _ = run_intake(chat, "朋友借了我五万块钱一直不还", {**WAGE_ANSWERS, "谁": "朋友张三"})
    sender = widget_sender()
    chat(sender, "查询进度")
    chat(sender, code)
    replies = chat(sender, "5678")
    assert any(code in r and "已受理" in r for r in replies), replies
