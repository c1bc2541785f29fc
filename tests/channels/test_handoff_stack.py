"""Live 转人工 on the real stack (Rasa, action server, intake service) with a center profile whose staff
are on duty at any hour: a citizen in the widget (headless Chromium) asks for a person, a clerk takes
the conversation in the console (a second browser context), messages flow both ways, the clerk hands
back and the bot resumes the intake and files; a hotline caller gets the clerk's message as a signed
SMS callback through the fake gateway.

Skipped without a trained model (``MODELS_DIR``); the browser test also without Chromium/Playwright.
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot import paths
from bot.storage.store import TicketStore
from connectors.channels import sms
from tests.channels.helpers import (
    HOTLINE_SECRET,
    SENDER_ID_KEY,
    STAFF_TOKEN,
    FakeGateway,
    Hotline,
    get_ticket,
    hotline_conversation,
    new_phone,
)
from tools.simulation import WAGE_ANSWERS, continue_intake
from tools.stack import Stack, StackSettings, free_port, patched_environ
from tools.training import latest_model

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "correct-horse-9"
DISPUTE = "包工头老王跑路了，欠我们十几个工友的工资不给"


def staffed_profile(folder: Path) -> Path:
    """The default profile with staff on duty every day, all day (the test runs at any hour)."""
    text = (paths.ROOT / "centers" / "default.yml").read_text(encoding="utf-8")
    head, _, _ = text.partition("\nhandoff:")
    path = folder / "staffed.yml"
    path.write_text(
        head
        + '\nhandoff:\n  weekdays: [1, 2, 3, 4, 5, 6, 7]\n  periods: ["00:00-24:00"]\n  wait_minutes: 30\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def live_stack(tmp_path_factory: pytest.TempPathFactory, gateway: FakeGateway) -> Iterator[StackSettings]:
    model = latest_model()
    if model is None:
        pytest.skip("no trained model: `make test` trains one first (run `make train`)")
    var = tmp_path_factory.mktemp("handoff-var")
    settings = StackSettings(
        rasa_port=free_port(), action_port=free_port(), intake_port=free_port(), var_dir=var, model=model
    )
    env = {
        "CENTER_PROFILE": str(staffed_profile(var)),
        "HOTLINE_SECRET": HOTLINE_SECRET,
        "HOTLINE_CALLBACK_URL": gateway.url,
        "HOTLINE_CALLBACK_BACKOFF": "0.2",
        "INTAKE_STAFF_TOKEN": STAFF_TOKEN,
        "RASA_PUBLIC_URL": f"http://{settings.host}:{settings.rasa_port}",
        "SENDER_ID_KEY": SENDER_ID_KEY,
        "RATE_LIMIT_EXEMPT": "127.0.0.1",
        "RASA_TOKEN": "",
    }
    running = Stack(settings)
    with patched_environ(env):
        running.start()
    try:
        running.wait_ready(timeout=300)
        with patched_environ({"CENTER_PROFILE": env["CENTER_PROFILE"]}):
            store = TicketStore(f"sqlite:///{var / 'intake.db'}")
            store.create_user("wang", PASSWORD, "王志强", "window_staff", ["labor_inspection"])
            store.dispose()
        yield settings
    finally:
        running.stop()


def staff_api(settings: StackSettings, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    request = urllib.request.Request(
        f"http://{settings.host}:{settings.intake_port}{path}",
        data=json.dumps(body or {}).encode()
        if body is not None or path.endswith(("take", "release"))
        else None,
        headers={"Authorization": f"Bearer {STAFF_TOKEN}", "Content-Type": "application/json"},
        method="POST" if body is not None or path.endswith(("take", "release")) else "GET",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.loads(response.read())


def test_hotline_caller_gets_the_clerks_words_as_a_signed_sms(
    live_stack: StackSettings, gateway: FakeGateway
) -> None:
    hotline, phone = Hotline(live_stack), new_phone()
    sender = hotline_conversation(phone)
    assert hotline.post(phone, "老板拖欠我们工资，包工头跑路了").status == 200
    asked = hotline.post(phone, "转人工")
    assert "正在为您转接工作人员" in asked.text, asked.text
    _, listed = staff_api(live_stack, "/api/handoffs")
    assert sender in [h["sender_id"] for h in listed["handoffs"]]

    staff_api(live_stack, f"/api/handoffs/{sender}/take")
    staff_api(
        live_stack, f"/api/handoffs/{sender}/messages", {"text": "您好，我是管理员，请问一共欠了多少钱？"}
    )
    assert hotline.post(phone, "三万五左右").parts == []  # the bot stays silent while a person answers
    sent = wait_for(gateway, phone, "请问一共欠了多少钱")
    assert sms.verify(
        HOTLINE_SECRET,
        sent.body,
        sent.headers.get(sms.TIMESTAMP_HEADER),
        sent.headers.get(sms.SIGNATURE_HEADER),
    ).ok
    staff_api(live_stack, f"/api/handoffs/{sender}/release")
    assert wait_for(gateway, phone, "交回智能助手")


def wait_for(gateway: FakeGateway, phone: str, words: str, timeout: float = 20.0) -> Any:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with gateway.lock:
            found = [
                c for c in gateway.received if c.json.get("to") == phone and words in "".join(c.json["parts"])
            ]
        if found:
            return found[-1]
        time.sleep(0.2)
    raise AssertionError(f"no SMS with {words!r} to the caller")


def test_widget_citizen_and_console_clerk_talk_then_the_bot_files(live_stack: StackSettings) -> None:
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing: install Debian's chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is missing")
    base = f"http://{live_stack.host}:{live_stack.intake_port}"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        try:
            citizen_ctx, staff_ctx = browser.new_context(locale="zh-CN"), browser.new_context(locale="zh-CN")
            citizen_ctx.set_default_timeout(30_000)
            staff_ctx.set_default_timeout(30_000)
            citizen, staff = citizen_ctx.new_page(), staff_ctx.new_page()
            talk(citizen, staff, base, live_stack)
        finally:
            browser.close()


def bot_texts(page: Any) -> list[str]:
    return page.locator(".zzw-msg-bot .zzw-text").all_inner_texts()


def type_in(page: Any, text: str) -> None:
    box = page.get_by_label("输入您要反映的问题")
    box.fill(text)
    box.press("Enter")


def say(page: Any, text: str) -> list[str]:
    before = len(bot_texts(page))
    type_in(page, text)
    page.wait_for_function(
        "n => document.querySelectorAll('.zzw-msg-bot').length > n && document.querySelector('.zzw-typing').hidden",
        arg=before,
    )
    return bot_texts(page)[before:]


def wait_for_widget(page: Any, words: str) -> None:
    page.wait_for_function(
        "w => Array.from(document.querySelectorAll('.zzw-msg-bot')).some(m => m.innerText.includes(w))",
        arg=words,
    )


def talk(citizen: Any, staff: Any, base: str, settings: StackSettings) -> None:
    citizen.goto(base + "/")
    citizen.locator(".zzw-launcher").click()
    say(citizen, DISPUTE)
    asked = "\n".join(say(citizen, "转人工"))
    assert "正在为您转接工作人员" in asked, asked
    code = re.search(r"受理编号：(\S+?)。", asked).group(1)  # type: ignore[union-attr]

    staff.goto(base + "/console/login")
    staff.fill("input[name=username]", "wang")
    staff.fill("input[name=password]", PASSWORD)
    staff.click("button[type=submit]")
    staff.wait_for_url(base + "/console/")
    staff.click("header a:has-text('等待人工')")
    row = staff.locator("tr.handoff", has_text=code)
    assert "群众要求" in row.inner_text()
    row.get_by_role("button", name="接入").click()
    staff.wait_for_url(f"{base}/console/handoffs/{code}")
    assert "转人工" in staff.locator("#handoff-chat").inner_text()
    wait_for_widget(citizen, "王志强已接入")

    staff.fill("#handoff-text", "您好，我是王志强。工钱一共欠了多少？")
    staff.get_by_role("button", name="发送").click()
    wait_for_widget(citizen, "工钱一共欠了多少")
    assert "工作人员 王志强" in citizen.locator(".zzw-msg-staff").last.inner_text()

    type_in(citizen, "大概三万五")  # the bot stays silent; the clerk's pane shows it without a reload
    staff.locator("#handoff-chat li.user", has_text="大概三万五").wait_for()
    assert "没有听明白" not in "\n".join(bot_texts(citizen))

    staff.get_by_role("button", name="交回智能助手").click()
    wait_for_widget(citizen, "交回智能助手")
    citizen.wait_for_function(
        "() => { const m = document.querySelectorAll('.zzw-msg-bot'); return !m[m.length - 1].innerText.includes('交回'); }"
    )  # the bot's next question of the intake follows

    def send(text: str) -> list[str]:
        return say(citizen, text)

    filed, _ = continue_intake(send, bot_texts(citizen)[-1:], WAGE_ANSWERS)
    assert filed == code  # the same case, now complete
    ticket = get_ticket(settings, code)
    assert ticket["category"] == "wage_arrears" and ticket["facts"]["applicant_name"] == "王建国"
    staff.goto(f"{base}/console/tickets/{code}")
    assert "工作人员 王志强" in staff.locator("ol.transcript").inner_text()
