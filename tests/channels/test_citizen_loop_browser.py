"""The closed loop in a real headless Chromium against the stack: a citizen files a wage claim in the web
widget (leaving a phone), staff sign for it and close it in the console, the citizen comes back to the
widget, sees "您的案件有新进展" with the new status, rates 5 with a button, and the stored ticket has
``citizen_rating`` 5 (docs/widget-progress.png shows the update). The fake SMS gateway received the progress messages (签收, 反馈, 办结 with the rating
prompt), signed, in order. Skipped when Chromium, Playwright or a trained model is missing."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot import signing
from bot.storage.store import TicketStore
from tests.channels.helpers import HOTLINE_SECRET, FakeGateway, get_ticket
from tools.simulation import WAGE_ANSWERS, continue_intake
from tools.stack import StackSettings

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("/usr/bin/chromium is missing: apt-get install -y chromium", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is missing")

from tests.channels.test_widget_browser import (  # noqa: E402 - after the skips
    CHROMIUM_ARGS,
    bot_messages,
    open_widget,
    say,
    wait_for_reply,
)

DISPUTE = "包工头老王跑路了，欠我们十几个工友的工资不给"
PASSWORD = "loop-notify-pass-9"
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "widget-progress.png"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


def file_in_the_widget(page: Any, settings: StackSettings) -> str:
    open_widget(page)
    say(page, DISPUTE)
    before = len(bot_messages(page))
    page.get_by_role("button", name="同意", exact=True).click()
    reply = wait_for_reply(page, before)

    def send(text: str) -> list[str]:
        before = len(bot_messages(page))
        if text == WAGE_ANSWERS["核对"]:
            page.get_by_role("button", name="确认提交").click()
            wait_for_reply(page, before)
        else:
            say(page, text)
        return bot_messages(page)[before:]

    code, _ = continue_intake(send, [reply], WAGE_ANSWERS, said=[DISPUTE, "同意"])
    return str(code)


def staff_sign_and_close(browser: Any, settings: StackSettings, code: str) -> None:
    base = f"http://{settings.host}:{settings.intake_port}/console"
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{base}/")
        page.fill("input[name=username]", "loopclerk")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")
        page.click(f"a:has-text('{code}')")
        page.wait_for_url(f"{base}/tickets/{code}")
        page.click("button:has-text('签收')")
        assert page.locator(".flash.ok").inner_text() == "已签收"
        for status in ("resolved", "closed"):
            page.select_option("form[action$='/status'] select[name=status]", status)
            page.click("button:has-text('更新状态')")
            assert page.locator(".flash.ok").inner_text() == "状态已更新"
    finally:
        context.close()


def notices_for(gateway: FakeGateway, code: str, count: int, timeout: float = 20.0) -> list[Any]:
    deadline = time.monotonic() + timeout
    while True:
        with gateway.lock:
            found = [c for c in gateway.received if c.json.get("code") == code and c.status == 200]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def test_the_citizen_sees_the_progress_in_the_widget_and_rates_it(
    browser: Any, channel_stack: StackSettings, gateway: FakeGateway
) -> None:
    store = TicketStore(f"sqlite:///{channel_stack.var_dir / 'intake.db'}")
    try:
        store.create_user("loopclerk", PASSWORD, "孙晓", "window_staff", ["labor_inspection"])
    finally:
        store.dispose()
    context = browser.new_context(viewport={"width": 1180, "height": 820}, locale="zh-CN")
    context.set_default_timeout(30_000)
    citizen = context.new_page()
    citizen.goto(f"http://{channel_stack.host}:{channel_stack.intake_port}/")
    try:
        code = file_in_the_widget(citizen, channel_stack)
        assert get_ticket(channel_stack, code)["facts"]["phone"] == "13912345678"
        citizen.close()

        staff_sign_and_close(browser, channel_stack, code)

        again = context.new_page()  # the same browser comes back later
        again.goto(f"http://{channel_stack.host}:{channel_stack.intake_port}/")
        again.locator(".zzw-launcher").wait_for(state="attached")
        if not again.get_by_role("dialog").is_visible():
            open_widget(again)
        news = again.locator(".zzw-msg-bot", has_text="您的案件有新进展")
        news.wait_for()
        assert code in news.inner_text() and "已办结" in news.inner_text()
        again.screenshot(path=str(SCREENSHOT))  # the update with the rating buttons, for the README
        before = len(bot_messages(again))
        news.get_by_role("button", name="5分").click()
        thanks = wait_for_reply(again, before)
        assert "感谢您的评价（5分）" in thanks
        assert news.get_by_role("button", name="5分").count() == 0  # answered buttons go away
    finally:
        context.close()

    ticket = get_ticket(channel_stack, code)
    assert ticket["citizen_rating"] == 5 and ticket["status"] == "closed"
    assert [h["kind"] for h in ticket["history"]][-1] == "rating"

    sent = notices_for(gateway, code, 3)
    assert [c.json["notice"] for c in sent] == ["accepted", "resolved", "closed"]
    assert all(c.json["to"] == "13912345678" for c in sent)
    assert "回复1到5" in "".join(sent[-1].json["parts"])
    for c in sent:
        verdict = signing.verify(
            HOTLINE_SECRET,
            c.body,
            c.headers.get(signing.TIMESTAMP_HEADER),
            c.headers.get(signing.SIGNATURE_HEADER),
        )
        assert verdict.ok, verdict.reason
