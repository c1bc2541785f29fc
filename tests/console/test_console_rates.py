"""The console's rates page, 红黄绿 board and 研判 (page and XLSX) on the hand-made month of
``tests/tickets/rates_seed.py``: hand-computed figures on the page, window staff kept to their windows,
the workbook opens with the figures, the printable page carries its SVG charts."""

from __future__ import annotations

import io
import re

import pytest
from console_helpers import PASSWORD
from openpyxl import load_workbook

from tests.tickets.rates_seed import seed

NOVEMBER = "from=2026-11-01&to=2026-11-30"


@pytest.fixture
def codes(store):
    return seed(store)


def _row(html: str, key: str) -> str:
    match = re.search(rf'<tr data-key="{re.escape(key)}">(.*?)</tr>', html, re.S)
    assert match, f"no row {key}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1)))


async def test_admin_sees_every_window_with_figures_and_definitions(codes, logged_in):
    client = await logged_in("boss")
    html = await (await client.get(f"/console/rates?{NOVEMBER}")).text()
    labor = _row(html, "labor_inspection")
    assert labor.split()[:2] == ["劳动保障监察窗口（人社）", "4"]
    assert "50.0%（2/4）" in labor  # 响应率: A and C on time; B late; D past its day (hand-computed)
    assert "66.7%（2/3）" not in labor
    people = _row(html, "people_mediation")
    assert "100.0%（1/1）" in people  # 化解率 and 满意率 of E
    assert "—（0/0）" in people  # no staff-recorded satisfaction
    assert (
        "统计口径" in html and "在签收时限内签收的案件" in html and "群众本人评价 4 分或 5 分的案件" in html
    )
    towns = await (await client.get(f"/console/rates?{NOVEMBER}&by=town")).text()
    assert "刘家堡乡" in _row(towns, "刘家堡乡")
    mediators = await (await client.get(f"/console/rates?{NOVEMBER}&by=mediator")).text()
    assert "王志强" in _row(mediators, "m_wang")


async def test_window_staff_see_only_their_own_window(codes, logged_in):
    client = await logged_in("wang")  # 劳动保障监察窗口
    html = await (await client.get(f"/console/rates?{NOVEMBER}")).text()
    assert 'data-key="labor_inspection"' in html
    assert 'data-key="people_mediation"' not in html and "人民调解窗口" not in html
    towns = await (await client.get(f"/console/rates?{NOVEMBER}&by=town")).text()
    assert "刘家堡乡" not in towns
    board = await (await client.get("/console/board")).text()
    assert codes["C"] in board and codes["F"] not in board  # F is 人民调解窗口's
    analysis = await (await client.get("/console/analysis?period=month&date=2026-11-05")).text()
    assert "邻里纠纷" not in analysis


async def test_a_mediator_sees_only_their_own_cases(codes, store, logged_in):
    store.create_user("zhangjg", PASSWORD, "张建国", "mediator")  # the profile's m_zhang, by name
    client = await logged_in("zhangjg")
    html = await (await client.get(f"/console/rates?{NOVEMBER}&by=mediator")).text()
    assert "张建国" in _row(html, "m_zhang")
    assert 'data-key="m_wang"' not in html and "王志强" not in html
    board = await (await client.get("/console/board")).text()
    assert codes["F"] in board and codes["C"] not in board
    li = await logged_in("li")  # 李秀英 (m_li) has no case this month
    assert "所选期间没有登记的案件" in await (await li.get(f"/console/rates?{NOVEMBER}")).text()


async def test_board_labels_every_colour_in_words(codes, logged_in):
    client = await logged_in("boss")
    html = await (await client.get("/console/board")).text()
    for text in ("▲", "红色", "◆", "黄色", "●", "绿色", "中心分管领导督办，值班长当日跟进", "签收已超时"):
        assert text in html, text
    counts = dict(
        re.findall(
            r'id="count-(\w+)">\s*<span class="n"><span class="mark" aria-hidden="true">.</span> (\d+)', html
        )
    )
    # every open ticket of the month (C, D, F) and October's four are past a deadline by now: red
    assert counts == {"red": "7", "yellow": "0", "green": "0"}
    assert 'data-code="' + codes["A"] + '"' not in html  # closed tickets are not on the board
    assert html.count('<span class="badge badge-red"><span aria-hidden="true">▲</span> 红色</span>') == 7


async def test_analysis_page_prints_with_charts_and_flags_the_rising_category(codes, logged_in):
    client = await logged_in("boss")
    html = await (await client.get("/console/analysis?period=month&date=2026-11-05")).text()
    assert "2026年11月" in html and "2026年10月" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="chart-category"' in html
    assert 'id="chart-trend"' in html and "<polyline" in html
    assert "上升类别：<strong>欠薪</strong>" in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")  # no CDN
    assert "@media print" in await (await client.get("/console/static/console.css")).text()


async def test_analysis_xlsx_opens_with_the_figures(codes, logged_in):
    client = await logged_in("boss")
    resp = await client.get("/console/analysis.xlsx?period=month&date=2026-11-05")
    assert resp.status == 200
    assert resp.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(await resp.read()))
    assert wb.sheetnames == ["类别", "乡镇", "每日", "指标"]
    rows = [list(r) for r in wb["类别"].iter_rows(min_row=3, values_only=True)]
    assert ["欠薪", 4, 1, 3, 3.0, "上升"] in rows
    assert ["邻里纠纷", 2, 3, -1, -0.3333, "否"] in rows
    rates = {r[0]: r for r in wb["指标"].iter_rows(min_row=2, values_only=True) if r and r[0]}
    assert rates["劳动保障监察窗口（人社）"][1] == 4
    assert rates["劳动保障监察窗口（人社）"][4] == 0.5  # 办结率 2/4
    assert wb["每日"]["C31"].value == 1  # 11-30: D


async def test_pages_need_a_login(client):
    resp = await client.get("/console/rates", allow_redirects=False)
    assert resp.status == 302 and "/console/login" in resp.headers["Location"]
    resp = await client.get("/console/analysis.xlsx", allow_redirects=False)
    assert resp.status == 302


async def test_garbage_parameters_fall_back_to_this_month(codes, logged_in, store):
    client = await logged_in("boss")
    resp = await client.get("/console/rates?from=昨天&to=2026-99-99&by=<script>")
    assert resp.status == 200
    html = await resp.text()
    today = store.today()
    assert f"{today.replace(day=1).isoformat()} 至 {today.isoformat()} 登记的案件" in html
    assert "<script>" not in html.split("<main>")[1]
    resp = await client.get("/console/analysis?period=decade&date=🙂")
    assert resp.status == 200 and f"{today.year}年{today.month}月" in await resp.text()
    resp = await client.get("/console/rates?from=2026-11-30&to=2026-11-01")  # reversed: swapped
    assert "2026-11-01 至 2026-11-30" in await resp.text()
