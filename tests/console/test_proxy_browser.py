"""A real headless Chromium at phone width (375 px) against the intake service alone (in its own
environment when there is one; no Rasa: the core understands): a grid worker files for a citizen
with the 代填 form, attaches a photo on the ticket page and sees its thumbnail; a citizen attaches a
PDF in the widget on the demo page.

Skipped when Chromium or Playwright is missing.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from console_helpers import PASSWORD
from cryptography.fernet import Fernet
from PIL import Image

from bot import paths
from bot.storage.store import TicketStore
from tools.stack import intake_python

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM}", allow_module_level=True)

PHONE = {"width": 375, "height": 740}
STORY = "包工头老刘拖欠我们8个人两个月工资，一共四万二，电话13800001111"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> Iterator[tuple[str, TicketStore]]:
    var = tmp_path_factory.mktemp("proxy-var")
    port = _free_port()
    key = Fernet.generate_key().decode()
    env = {
        **os.environ,
        "VAR_DIR": str(var),
        "DATABASE_URL": f"sqlite:///{var / 'intake.db'}",
        "INTAKE_DATA_KEY": key,
        "INTAKE_PORT": str(port),
        "INTAKE_HOST": "127.0.0.1",
        "RASA_URL": f"http://127.0.0.1:{_free_port()}",  # nothing there: the core understands
        "RASA_PUBLIC_URL": f"http://127.0.0.1:{_free_port()}",
        "PAYMENT_REMINDER_INTERVAL": "0",
    }
    env.pop("CENTER_WEBHOOK_URL", None)
    python, _warning = intake_python()  # .venv-intake (aiohttp 3.14, no spaCy) when there is one
    log = open(var / "intake.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([python, "-m", "bot.service"], cwd=paths.ROOT, env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(base + "/health", timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the intake service did not start: " + (var / "intake.log").read_text()[-2000:])
        os.environ["INTAKE_DATA_KEY"], previous = key, os.environ.get("INTAKE_DATA_KEY")
        store = TicketStore(env["DATABASE_URL"])
        store.create_user("grid1", PASSWORD, "李网格", "grid_worker", area="城关镇东关社区第三网格")
        yield base, store
        store.dispose()
        if previous is not None:
            os.environ["INTAKE_DATA_KEY"] = previous
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


@pytest.fixture
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def _photo(tmp_path: Path) -> Path:
    path = tmp_path / "欠条.jpg"
    Image.new("RGB", (800, 600), (30, 90, 160)).save(path, "JPEG")
    return path


def _fits(page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def test_grid_worker_files_on_a_phone_and_attaches_a_photo(service, browser, tmp_path):
    base, store = service
    page = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto(f"{base}/console/login")
    page.fill("input[name=username]", "grid1")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/console/")
    page.click("nav a:has-text('代填登记')")
    page.fill("textarea[name=text]", STORY)
    assert _fits(page)
    page.click("button:has-text('识别类别和要素')")
    page.wait_for_selector("#proxy-form")
    assert page.locator("select[name=category]").input_value() == "wage_arrears"
    assert page.locator("input[name=fact_amount_yuan]").input_value() == "42000"
    assert page.locator("input[name=fact_phone]").input_value() == "13800001111"
    assert _fits(page)
    page.fill("input[name=fact_applicant_name]", "王大山")
    page.click("button:has-text('登记')")
    assert page.locator("input[name=consent]:invalid").count() == 1  # the browser asks for consent first
    page.check("input[name=consent]")
    page.select_option("select[name=consent_method]", "oral")
    page.click("button:has-text('登记')")
    page.wait_for_selector("text=已代填登记")
    code = page.locator("h1 .code").inner_text()
    ticket = store.get_ticket(code)
    assert ticket["channel"] == "grid" and ticket["filed_by"]["name"] == "李网格"
    assert ticket["facts"]["applicant_name"] == "王大山"

    page.set_input_files("#evidence input[type=file]", str(_photo(tmp_path)))
    page.click("#evidence button[type=submit]")
    page.wait_for_selector("text=证据材料已上传")
    thumb = page.locator("#evidence img")
    thumb.wait_for()
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", thumb.element_handle())
    assert _fits(page)


def test_citizen_attaches_a_pdf_in_the_widget(service, browser, tmp_path):
    base, store = service
    pdf = tmp_path / "合同.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    page = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto(f"{base}/")
    page.click(".zzw-launcher")
    page.set_input_files(".zzw-form input[type=file]", str(pdf))
    page.wait_for_selector("text=已收到您的文件")
    sender = page.evaluate("window.ZZIntakeWidget.sessionId()")
    with store._read() as session:
        from bot.storage.models import EvidenceFile

        rows = session.query(EvidenceFile).filter(EvidenceFile.sender_id == sender).all()
        assert [r.media_type for r in rows] == ["application/pdf"]
    exe = tmp_path / "照片.jpg"
    exe.write_bytes(b"MZ" + b"\x00" * 500)
    page.set_input_files(".zzw-form input[type=file]", str(exe))
    page.wait_for_selector("text=只能上传照片")
