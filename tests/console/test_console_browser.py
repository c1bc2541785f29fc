"""A real headless Chromium against the real stack: a citizen files a wage claim through the bot, a clerk
signs for it and transfers it, the arbitration window resolves and closes it with a follow-up score,
and the center admin sees the statistics change. A clerk records a mediation session and an agreement
with a payment schedule and downloads the 人民调解协议书 (its text read with pdftotext); a clerk of
another window gets 403 on it. Saves the screenshots under docs/ (console-*.png).

Skipped when Chromium, Playwright or a trained model is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from console_helpers import PASSWORD, wage_record

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


def _log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def _fill_and_submit(form, **fields: str) -> None:
    """Fill a console form's fields by name (a select gets the option of that value) and submit it."""
    for name, value in fields.items():
        field = form.locator(f"[name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    form.locator("button[type=submit]").click()


def _log_out(page, base: str) -> None:
    page.click("header button:has-text('退出')")
    page.wait_for_url(f"{base}/login")


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
            _log_in(page, base, username)

        def log_out() -> None:
            _log_out(page, base)

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


def test_clerk_records_mediation_and_downloads_the_agreement(console_stack, stack_store, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) is not installed")
    code = stack_store.file_ticket(
        wage_record("web-outcome-ui", applicant_name="张秀兰", id_number="14010519800101001X")
    )["code"]
    base = f"http://{console_stack.host}:{console_stack.intake_port}/console"
    DOCS.mkdir(exist_ok=True)

    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(
            viewport={"width": 1366, "height": 768}, locale="zh-CN", accept_downloads=True
        )
        page = context.new_page()
        _log_in(page, base, "wang")
        page.click(f"a:has-text('{code}')")
        page.wait_for_url(f"{base}/tickets/{code}")

        session = page.locator("#session-form")
        _fill_and_submit(
            session,
            held_on="2027-01-05",
            method="in_person",
            place="一楼调解室",
            participants="张秀兰、刘德福",
            mediator="王志强",
        )
        page.wait_for_url(f"{base}/tickets/{code}?done=session")
        assert page.locator(".flash.ok").inner_text() == "调解记录已保存"
        assert "现场" in page.locator("ol.sessions").inner_text()

        outcome = page.locator("#outcome-form")
        assert outcome.is_visible(), "after a session the outcome form is open"
        _fill_and_submit(
            outcome,
            result="agreement",
            terms_text="刘德福分两期付清拖欠的工资",
            amount_yuan="18000",
            payments="2027-01-15 9000\n2027-02-15 9000",
            payer="被申请人刘德福",
            payee="申请人张秀兰",
            counterparty_name="刘德福",
            counterparty_id_number="140105197502023456",
        )
        page.wait_for_url(f"{base}/tickets/{code}?done=outcome")
        assert page.locator(".flash.ok").inner_text() == "调解结果已记录"
        assert page.locator("#outcome-result").inner_text() == "达成协议"
        dues = page.locator("table.payments tbody tr td:nth-child(2)").all_inner_texts()
        assert dues == ["2027-01-15", "2027-02-15"]
        amounts = page.locator("table.payments tbody tr td:nth-child(3)").all_inner_texts()
        assert amounts == ["9000", "9000"]
        assert page.locator("#outcome-parties").inner_text() == "被申请人刘德福 → 申请人张秀兰"
        # ID numbers are printed on the agreement only, never shown in the console
        assert "140105197502023456" not in page.content() and "14010519800101001X" not in page.content()
        page.locator("#mediation").screenshot(path=str(DOCS / "console-outcome.png"))

        with page.expect_download() as download_info:
            page.click("a:has-text('人民调解协议书（PDF）')")
        download = download_info.value
        assert download.suggested_filename.endswith(".pdf")
        pdf = tmp_path / "agreement.pdf"
        download.save_as(pdf)
        assert pdf.read_bytes().startswith(b"%PDF")
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
        ).stdout.decode("utf-8")
        text = text.replace("\n", "").replace(" ", "")
        for field in (
            "人民调解协议书",
            code,
            "张秀兰",
            "14010519800101001X",
            "刘德福",
            "140105197502023456",
            "18000元",
            "2027-01-15",
            "2027-02-15",
            "9000",
            "王志强",
        ):
            assert field in text, f"the agreement lacks {field}"
        document_url = page.url.split("?")[0] + "/documents/agreement.pdf"
        _log_out(page, base)

        _log_in(page, base, "zhao")  # labor_arbitration: not this ticket's window
        response = page.goto(document_url)
        assert response is not None and response.status == 403
        assert "无权查看" in page.content()
        browser.close()

    t = stack_store.get_ticket(code)
    assert t["outcome"]["result"] == "agreement" and len(t["mediation_sessions"]) == 1
