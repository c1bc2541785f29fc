"""A real headless Chromium against the real stack: a citizen files a wage claim through the bot, a clerk
signs for it and transfers it, the arbitration window resolves and closes it with a follow-up score,
and the center admin sees the statistics change. Saves the screenshots under docs/ (console-*.png).

Skipped when Chromium, Playwright or a trained model is missing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from console_helpers import PASSWORD

from bot import paths
from bot.storage.store import IntakeRecord, TicketStore
from tools.stack import StackSettings

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
DOCS = paths.ROOT / "docs"

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM}", allow_module_level=True)


@pytest.fixture(scope="module")
def console_stack(stack: StackSettings) -> StackSettings:
    """The shared stack; its intake service fetches transcripts from its Rasa (RASA_URL, RASA_TOKEN)."""
    return stack


@pytest.fixture(scope="module")
def stack_store(console_stack: StackSettings) -> Iterator[TicketStore]:
    store = TicketStore(f"sqlite:///{console_stack.var_dir / 'intake.db'}")
    store.create_user("wang", PASSWORD, "王志强", "window_staff", ["labor_inspection"])
    store.create_user("zhao", PASSWORD, "赵敏", "window_staff", ["labor_arbitration"])
    store.create_user("boss", PASSWORD, "陈主任", "admin")
    yield store
    store.dispose()


def _file_through_the_bot(settings: StackSettings) -> str:
    from tests.integration.rest_client import post_json, widget_sender
    from tools.simulation import WAGE_ANSWERS, run_intake

    def chat(sender: str, text: str) -> list[str]:
        status, replies = post_json(settings.urls["rest"], {"sender": widget_sender(sender), "message": text})
        assert status == 200
        return [r.get("text", "") for r in replies]  # type: ignore[union-attr]

    code, _transcript = run_intake(chat, "包工头老王跑路了，欠我们工资不给", WAGE_ANSWERS)
    return code


def test_clerk_accepts_transfers_and_admin_sees_the_closed_case(console_stack, stack_store):
    code = _file_through_the_bot(console_stack)
    # a second, urgent case so the queue shows the red row first
    stack_store.file_ticket(
        IntakeRecord(
            "kiosk-urgent",
            "kiosk",
            "wage_arrears",
            "urgent",
            {"applicant_name": "刘师傅", "phone": "13700001234", "headcount": 20, "location": "北营街道"},
            "二十多名工人被拖欠工资，有人说明天要去堵项目部大门。",
            risk_reasons=("10人以上可能聚集",),
        )
    )
    base = f"http://{console_stack.host}:{console_stack.intake_port}/console"
    DOCS.mkdir(exist_ok=True)

    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")

        def log_in(username: str) -> None:
            page.goto(f"{base}/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{base}/")

        def log_out() -> None:
            page.click("header button:has-text('退出')")
            page.wait_for_url(f"{base}/login")

        log_in("wang")
        rows = page.locator("table.queue tbody tr")
        assert rows.count() >= 2  # the shared stack also holds other tests' wage tickets
        assert "risk-urgent" in (rows.nth(0).get_attribute("class") or "")
        row = page.locator("table.queue tbody tr", has_text=code)
        assert "剩" in row.inner_text()
        assert "13912345678" not in page.content()
        page.screenshot(path=str(DOCS / "console-queue.png"))

        page.click(f"a:has-text('{code}')")
        page.wait_for_url(f"{base}/tickets/{code}")
        transcript = page.locator("ol.transcript li")
        assert transcript.count() >= 4, "the conversation should come from Rasa's tracker"
        assert "139****5678" in page.content() and "13912345678" not in page.content()
        page.screenshot(path=str(DOCS / "console-ticket.png"), full_page=True)

        page.click("button:has-text('签收')")
        assert page.locator(".flash.ok").inner_text() == "已签收"
        page.click("summary:has-text('转办')")
        page.select_option("select[name=window]", "labor_arbitration")
        page.fill("input[name=reason]", "涉及解除劳动合同，转仲裁窗口")
        page.click("button:has-text('转办')")
        page.wait_for_url(f"{base}/?moved=*")
        assert code not in page.locator("table.queue").inner_text()
        log_out()

        log_in("zhao")
        page.click(f"a:has-text('{code}')")
        for status in ("resolved", "closed"):
            page.select_option("form[action$='/status'] select[name=status]", status)
            page.click("button:has-text('更新状态')")
            assert page.locator(".flash.ok").inner_text() == "状态已更新"
        page.check("input[name=satisfaction][value='5']")
        page.fill("form.follow-up input[name=note]", "当事人表示满意")
        page.click("button:has-text('记录回访')")
        assert page.locator(".flash.ok").inner_text() == "回访已记录"
        history = page.locator("ol.history").inner_text()
        assert "转办" in history and "王志强" in history and "回访满意度5分" in history
        # the ticket page also fits a tablet in portrait without sideways scrolling
        page.set_viewport_size({"width": 820, "height": 1180})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.set_viewport_size({"width": 1366, "height": 768})
        log_out()

        log_in("boss")
        page.click("nav a:has-text('统计')")
        assert page.locator("#kpi-total").inner_text() == str(stack_store.statistics()["total"])
        assert page.locator("#kpi-satisfaction").inner_text() == "5.00"
        assert "欠薪" in page.locator(".charts").inner_text()
        page.screenshot(path=str(DOCS / "console-stats.png"), full_page=True)
        browser.close()

    final = stack_store.get_ticket(code)
    assert final["status"] == "closed" and final["follow_up"]["satisfaction"] == 5
    assert final["route"]["window"] == "labor_arbitration"
