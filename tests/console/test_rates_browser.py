"""The rates page, the 红黄绿 board and the printable 研判 in a real headless Chromium (Debian's chromium
driven by Playwright) against the intake service running in this process on a free port (no Rasa
needed): a window clerk's board holds only their window, the colours carry their marks and names, the
report prints without the console's header and keeps its charts. Saves docs/console-board.png,
docs/console-rates.png and docs/console-analysis.png for the README.

Skipped when Chromium or Playwright is missing.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from console_helpers import PASSWORD

from bot import paths
from bot.service.app import create_app
from bot.storage.store import TicketStore
from bot.tickets.deadlines import utcnow
from tests.tickets.rates_seed import file, seed, walk

CHROMIUM = Path("/usr/bin/chromium")
DOCS = paths.ROOT / "docs"

if not CHROMIUM.exists():
    pytest.skip(
        "/usr/bin/chromium is missing: install Debian's chromium (make setup-machine)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is missing")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(store: TicketStore) -> Iterator[str]:
    """The November month plus today's open tickets (one of each colour and more), served on loopback."""
    seed(store)
    now = utcnow()
    fresh = {
        "urgent": file(store, "U", "family", now - timedelta(hours=1), "北营街道", risk="urgent"),
        "elevated": file(store, "V", "neighbor", now - timedelta(hours=3), "刘家堡乡", risk="elevated"),
        "signed": file(store, "W", "wage_arrears", now - timedelta(hours=5), "坞城街道"),
        "unsigned": file(store, "X", "property", now - timedelta(hours=20), "黄陵街道"),
        "traffic": file(store, "Y", "traffic", now - timedelta(hours=2), "北格镇"),
    }
    for key in ("elevated", "signed", "traffic"):
        walk(store, fresh[key], ("accepted", now - timedelta(minutes=30)))
    port = _free_port()
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(create_app(store, staff_token="admin-test-token", deliver_outbox=False))
    loop.run_until_complete(runner.setup())
    loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", port).start())
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/console"
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


def _log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_board_rates_and_printable_analysis_in_chromium(served: str) -> None:
    DOCS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
            _log_in(page, served, "wang")  # 劳动保障监察窗口
            page.click("nav >> text=红黄绿")
            windows = page.locator("#board-windows tbody tr")
            assert windows.count() == 1 and "劳动保障监察窗口" in windows.inner_text()
            page.click("header button:has-text('退出')")

            _log_in(page, served, "boss")
            page.click("nav >> text=红黄绿")
            assert page.locator("#count-red").inner_text().startswith("▲")
            assert "红色" in page.locator("#count-red").inner_text()
            for colour in ("red", "yellow", "green"):
                assert page.locator(f"#board-tickets tr.row-{colour}").count() >= 1, colour
            urgent = page.locator("#board-tickets tr", has_text="风险等级：紧急")
            assert "红色" in urgent.first.inner_text()
            page.screenshot(path=str(DOCS / "console-board.png"), full_page=True)

            page.click("nav >> text=考核指标")
            page.fill("input[name=from]", "2026-11-01")
            page.fill("input[name=to]", "2026-11-30")
            page.click("form.filters button[type=submit]")
            page.wait_for_url("**/rates?**")
            row = page.locator("#rates tbody tr[data-key=labor_inspection]")
            assert "50.0%（2/4）" in row.inner_text()
            assert page.locator("#definitions").is_visible()
            page.screenshot(path=str(DOCS / "console-rates.png"), full_page=True)

            page.goto(f"{served}/analysis?period=month&date=2026-11-05")
            assert page.locator("svg#chart-category rect").count() >= 4
            page.emulate_media(media="print")
            assert not page.locator("header.top").is_visible()
            assert page.locator("svg#chart-trend").is_visible()
            assert "上升类别：欠薪" in page.locator("#rising").inner_text()
            page.emulate_media(media="screen")
            page.screenshot(path=str(DOCS / "console-analysis.png"), full_page=True)
        finally:
            browser.close()
