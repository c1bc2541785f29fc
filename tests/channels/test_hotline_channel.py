"""The hotline text channel through the running Rasa server: signatures, duplicates (the same replies
again), SMS parts, numbered answers, callbacks through the outbox (delivered by the intake service) with
retries, and a whole intake ending with a ticket of channel "hotline".
"""

from __future__ import annotations

import json
import sqlite3
import time
import urllib.request
import uuid

import pytest

from connectors.channels import sms
from tests.channels.helpers import (
    HOTLINE_SECRET,
    FakeGateway,
    Hotline,
    get_ticket,
    hotline_conversation,
    new_phone,
)
from tools.simulation import WAGE_ANSWERS, last_line_question, run_intake
from tools.stack import StackSettings

WAGE_ARREARS = "包工头老王跑路了，欠我们工资不给"

# The fixed wage-arrears citizen of tools.simulation; a button is answered by its number (回复1：…).
ANSWERS = {"确认": "1", **WAGE_ANSWERS, "同意": "1"}


def test_channel_name_and_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from connectors.channels.hotline import HotlineInput, HotlineSettings

    assert HotlineInput.name() == "hotline"  # recorded on tickets as their channel
    for name in ("HOTLINE_SECRET", "HOTLINE_CALLBACK_URL", "HOTLINE_MAX_AGE"):
        monkeypatch.delenv(name, raising=False)
    credentials = {"max_age_seconds": 120, "secret": "never-from-the-file"}
    settings = HotlineSettings.load(credentials)
    assert (settings.secret, settings.max_age) == ("", 120.0)
    monkeypatch.setenv("HOTLINE_SECRET", "s")
    monkeypatch.setenv("HOTLINE_MAX_AGE", "60")
    monkeypatch.setenv("HOTLINE_CALLBACK_URL", "https://sms.example.cn/callback")
    settings = HotlineSettings.load(credentials)
    assert settings == HotlineSettings(
        secret="s", callback_url="https://sms.example.cn/callback", max_age=60.0
    )


def test_health_says_the_channel_is_configured(hotline: Hotline) -> None:
    with urllib.request.urlopen(hotline.url.removesuffix("webhook"), timeout=10) as response:
        assert json.loads(response.read()) == {"status": "ok", "configured": True}


def test_unsigned_requests_are_refused(hotline: Hotline) -> None:
    reply = hotline.post(new_phone(), WAGE_ARREARS, secret=None)
    assert reply.status == 401
    assert reply.body["error"] == "unauthorized" and reply.body["reason"] == "missing"


def test_wrongly_signed_requests_are_refused(hotline: Hotline) -> None:
    reply = hotline.post(new_phone(), WAGE_ARREARS, secret="not-the-secret")
    assert reply.status == 401 and reply.body["reason"] == "bad_signature"


def test_stale_requests_are_refused(hotline: Hotline) -> None:
    reply = hotline.post(new_phone(), WAGE_ARREARS, timestamp=time.time() - 3600)
    assert reply.status == 401 and reply.body["reason"] == "stale"


def test_requests_without_a_phone_number_are_rejected(hotline: Hotline) -> None:
    reply = hotline.post("老王", WAGE_ARREARS)
    assert reply.status == 400


def test_long_reply_is_split_into_numbered_sms_parts_with_numbered_options(hotline: Hotline) -> None:
    reply = hotline.post(new_phone(), WAGE_ARREARS)
    assert reply.status == 200, reply.body
    parts = reply.parts
    assert len(parts) >= 2, parts
    assert all(sms.sms_length(p) <= sms.SMS_LIMIT for p in parts), parts
    assert [p.split(" ", 1)[0] for p in parts] == [f"{i}/{len(parts)}" for i in range(1, len(parts) + 1)]
    assert "欠薪" in reply.text
    assert "回复1：同意" in reply.text and "回复2：不同意，匿名登记" in reply.text


def test_a_digit_answers_the_numbered_options(hotline: Hotline) -> None:
    phone = new_phone()
    first = hotline.post(phone, WAGE_ARREARS)
    assert "回复1：同意" in first.text
    second = hotline.post(phone, "1")
    assert second.status == 200
    assert "称呼" in second.text, second.text  # consent given: the assistant asks for the name


def test_a_repeated_message_id_gets_the_same_replies(hotline: Hotline, gateway: FakeGateway) -> None:
    phone = new_phone()
    message_id = f"dup-{uuid.uuid4().hex}"
    first = hotline.post(phone, WAGE_ARREARS, message_id=message_id)
    assert first.status == 200 and first.parts
    again = hotline.post(phone, WAGE_ARREARS, message_id=message_id)
    assert again.status == 200
    assert again.body["duplicate"] is True and again.parts == first.parts
    time.sleep(0.5)
    assert len(gateway.for_message(message_id)) == 1  # one reply delivered, not two
    # The conversation did not move on: the consent question is still open, "1" still means 同意.
    assert "称呼" in hotline.post(phone, "1").text


def test_replies_are_delivered_to_the_callback_url_signed(
    hotline: Hotline, gateway: FakeGateway, channel_stack: StackSettings
) -> None:
    phone = new_phone()
    message_id = uuid.uuid4().hex
    database = channel_stack.var_dir / "intake.db"
    with sqlite3.connect(database) as db:
        [(last_row,)] = db.execute("SELECT COALESCE(MAX(id), 0) FROM outbox").fetchall()
    reply = hotline.post(phone, WAGE_ARREARS, message_id=message_id)
    assert reply.body["callback"] is True
    [callback] = gateway.for_message(message_id)
    assert callback.json == {"to": phone, "in_reply_to": message_id, "parts": reply.parts}
    verdict = sms.verify(
        HOTLINE_SECRET,
        callback.body,
        callback.headers.get(sms.TIMESTAMP_HEADER),
        callback.headers.get(sms.SIGNATURE_HEADER),
    )
    assert verdict.ok, verdict.reason
    # the callback went through the ticket database's outbox (the one row this message wrote, marked
    # delivered once the gateway took it), the number never stored in clear
    deadline = time.monotonic() + 15
    while True:
        with sqlite3.connect(database) as db:
            rows = db.execute("SELECT * FROM outbox WHERE id > ?", (last_row,)).fetchall()
            states = db.execute("SELECT target, state FROM outbox WHERE id > ?", (last_row,)).fetchall()
        if states != [("hotline", "pending")] or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert states == [("hotline", "delivered")], states
    assert phone not in repr(rows)


def test_a_refused_callback_is_retried(hotline: Hotline, gateway: FakeGateway) -> None:
    message_id = f"flaky-{uuid.uuid4().hex}"
    reply = hotline.post(new_phone(), "你好", message_id=message_id)
    assert reply.status == 200
    attempts = gateway.for_message(message_id, count=2)
    assert [a.status for a in attempts] == [500, 200]
    assert attempts[0].body == attempts[1].body


def test_a_whole_intake_through_the_hotline_files_a_ticket(
    hotline: Hotline, channel_stack: StackSettings
) -> None:
    phone = new_phone()

    def text(_sender: str, message: str) -> list[str]:
        reply = hotline.post(phone, message)
        assert reply.status == 200, reply.body
        assert all(sms.sms_length(p) <= sms.SMS_LIMIT for p in reply.parts)
        return [reply.text]

    code, _ = run_intake(text, WAGE_ARREARS, ANSWERS, sender=phone, question=last_line_question)
    ticket = get_ticket(channel_stack, code)
    assert ticket["channel"] == "hotline"
    assert ticket["category"] == "wage_arrears"
    assert ticket["sender_id"] == hotline_conversation(phone)  # not the phone number
    assert ticket["sender_id"].startswith("hl-") and phone not in ticket["sender_id"]
    assert ticket["facts"]["applicant_name"] == "王建国"
    assert ticket["facts"]["amount_yuan"] == 35000
    assert ticket["facts"]["phone"] == phone  # taken from the hotline, not asked again
