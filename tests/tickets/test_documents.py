"""The mediation documents as PDF for fixture tickets of every category: their text (pdftotext) carries
every field, ID numbers only on the agreement and never in the logs; the API serves them by role and
window (another window 403, 404 when the outcome does not call for the kind), matching the OpenAPI
document. Page 1 of each kind is rendered to docs/*.png (pdftoppm) for the README."""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from outcome_fixtures import CASES, SESSION, agreement_payload, failed_payload, file_case

from bot import paths
from bot.service.app import create_app
from bot.service.documents import render_pdf
from bot.storage.store import TicketNotFound

pytestmark = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) is not installed"
)
ADMIN = {"Authorization": "Bearer admin-test-token"}


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout
    return text.decode("utf-8").replace("\n", "").replace(" ", "")


@pytest.mark.parametrize("category", sorted(CASES))
def test_every_document_of_every_category_carries_its_fields(sqlite_store, tmp_path, category, caplog):
    store = sqlite_store
    name, id_number, counterparty, cid, amount, place, summary = CASES[category]
    agreed = file_case(store, category, f"d-{category}-a")["code"]
    failed = file_case(store, category, f"d-{category}-f")["code"]
    for code in (agreed, failed):
        store.record_session(code, SESSION, "张建国")
    store.record_outcome(agreed, agreement_payload(category), "张建国")
    store.record_outcome(failed, failed_payload("litigation"), "张建国")
    caplog.set_level(logging.DEBUG)
    texts = {
        kind: pdf_text(render_pdf(store.document_data(code, kind), store.profile), tmp_path)
        for kind, code in (("agreement", agreed), ("judicial_confirmation", agreed), ("referral", failed))
    }
    half = amount // 2
    a = texts["agreement"]
    for field in (
        "人民调解协议书",
        name,
        id_number,
        counterparty,
        summary,
        place,
        "太原市小店区人民调解委员会",
        "（人民调解委员会印章）",
        f"{amount}元",
        "2027-01-15",
        "2027-02-15",
        str(half),
        str(amount - half),
        "张建国",
        "申请人（签名）",
        "被申请人（签名）",
        "双方互不追究其他责任",
        agreed,
    ):
        assert field in a, f"agreement lacks {field}"
    if cid:
        assert cid in a
    j = texts["judicial_confirmation"]
    for field in (
        "司法确认申请书",
        "太原市小店区人民法院",
        name,
        counterparty,
        "太原市小店区人民调解委员会",
        f"{amount}元",
        agreed,
    ):
        assert field in j, f"application lacks {field}"
    r = texts["referral"]
    for field in (
        "转办函",
        "太原市小店区人民法院诉讼服务中心",
        name,
        counterparty,
        summary,
        "调解不成",
        "双方对金额分歧较大",
        failed,
    ):
        assert field in r, f"referral lacks {field}"
    for kind in ("judicial_confirmation", "referral"):  # ID numbers: on the agreement only
        assert id_number not in texts[kind] and (not cid or cid not in texts[kind])
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert id_number not in logged and (not cid or cid not in logged)


def test_a_document_the_outcome_does_not_call_for_is_not_made(sqlite_store):
    code = file_case(sqlite_store, "debt", "d-none")["code"]
    with pytest.raises(TicketNotFound):
        sqlite_store.document_data(code, "agreement")
    sqlite_store.record_outcome(code, {"result": "withdrawn"}, "张建国")
    for kind in ("agreement", "judicial_confirmation", "referral"):
        with pytest.raises(TicketNotFound):
            sqlite_store.document_data(code, kind)


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="pdftoppm is not installed")
def test_page_one_of_each_document_as_png_for_the_readme(sqlite_store, tmp_path):
    store = sqlite_store
    agreed = file_case(store, "debt", "png-a")["code"]
    failed = file_case(store, "wage_arrears", "png-f")["code"]
    for code in (agreed, failed):
        store.record_session(code, SESSION, "张建国")
    store.record_outcome(agreed, agreement_payload("debt"), "张建国")
    store.record_confirmation(agreed, {"applied_on": "2027-01-08"}, "张建国")
    store.record_outcome(failed, failed_payload("labor_arbitration"), "王志强")
    docs = paths.ROOT / "docs"
    for kind, code in (("agreement", agreed), ("judicial_confirmation", agreed), ("referral", failed)):
        pdf = tmp_path / f"{kind}.pdf"
        pdf.write_bytes(render_pdf(store.document_data(code, kind), store.profile))
        out = tmp_path / kind
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(out)],
            check=True,
        )
        png = out.with_suffix(".png")
        assert png.stat().st_size > 10_000
        shutil.copy(png, docs / f"document-{kind.replace('_', '-')}.png")


@pytest.fixture
async def api(sqlite_store):
    app = create_app(sqlite_store, staff_token="admin-test-token", deliver_outbox=False)
    async with TestClient(TestServer(app)) as c:
        yield c


async def test_api_records_the_outcome_and_serves_documents_by_window(api, sqlite_store, caplog):
    from test_openapi import _check

    from bot.service.openapi import openapi_document

    doc = openapi_document()
    code = file_case(sqlite_store, "wage_arrears", "api-1")["code"]  # labor_inspection (+ legal aid)
    token, _ = sqlite_store.create_token("王志强", "window_staff", ["labor_inspection"])
    other, _ = sqlite_store.create_token("刘海涛", "window_staff", ["property_mediation"])
    own, foreign = {"Authorization": f"Bearer {token}"}, {"Authorization": f"Bearer {other}"}
    url = f"/api/tickets/{code}"
    resp = await api.get(url, headers=ADMIN)
    assert (await _check(resp, "/api/tickets/{code}", "get", doc))["outcome"] is None
    resp = await api.post(url + "/outcome", json={"result": "agreement"}, headers=own)
    body = await _check(resp, "/api/tickets/{code}/outcome", "post", doc)
    assert resp.status == 400 and "协议内容" in body["message"]
    resp = await api.post(url + "/outcome", json=agreement_payload("wage_arrears"), headers=foreign)
    assert resp.status == 403
    resp = await api.post(url + "/outcome", json=agreement_payload("wage_arrears"), headers=own)
    body = await _check(resp, "/api/tickets/{code}/outcome", "post", doc)
    assert resp.status == 200 and body["outcome"]["documents"] == ["agreement", "judicial_confirmation"]
    caplog.set_level(logging.DEBUG)
    resp = await api.get(url + "/documents/agreement.pdf", headers=own)
    assert resp.status == 200 and resp.content_type == "application/pdf"
    assert (await resp.read()).startswith(b"%PDF")
    resp = await api.get(url + "/documents/agreement.pdf", headers=foreign)
    assert resp.status == 403
    resp = await api.get(url + "/documents/referral.pdf", headers=own)
    assert resp.status == 404 and "转办函" in (await resp.json())["message"]
    resp = await api.get(url + "/documents/receipt.pdf", headers=own)
    assert resp.status == 404
    resp = await api.get(url + "/documents/agreement.pdf")
    assert resp.status == 401
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert CASES["wage_arrears"][1] not in logged and CASES["wage_arrears"][3] not in logged
    resp = await api.get("/api/stats", headers=ADMIN)
    stats = await _check(resp, "/api/stats", "get", doc)
    assert stats["mediation"]["outcomes"] == 1 and stats["mediation"]["success_rate"] == 1.0
