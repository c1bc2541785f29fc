"""研判 (``/console/analysis``): the week's or month's tickets by category and town against the period
before, rising ones flagged by the profile's rule, the daily trend and the rates per 主办窗口; as a
printable page with server-side SVG charts and as an XLSX download (``/console/analysis.xlsx``).

Scoped like the rates page (``rates.scope_of``).
"""

from __future__ import annotations

import asyncio
import io
import logging
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote, urlencode

from aiohttp import web

from bot.service.console.auth import ConsoleUser, staff_page
from bot.service.console.charts import grouped_bars, trend_lines
from bot.service.console.pages import USER, date_param, render, store_of
from bot.service.console.rates import percent, scope_of
from bot.storage.export import neutralise
from bot.storage.store import TicketStore
from bot.tickets.analysis import PERIODS, Period, period_of
from bot.tickets.rates import UnitScope, definitions

log = logging.getLogger(__name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period(request: web.Request, today: date) -> Period:
    kind = request.query.get("period", "month")
    day = date_param(request.query.get("date")) or today
    return period_of(kind if kind in PERIODS else "month", day)


def _report(store: TicketStore, period: Period, scope: UnitScope) -> dict[str, Any]:
    return {
        "analysis": store.analysis(period, scope),
        "rates": store.rates("window", scope, period.start, period.end),
    }


def _change(row: dict[str, Any]) -> str:
    pct = f"，{row['change_pct'] * 100:+.0f}%" if row["change_pct"] is not None else ""
    return f"{row['change']:+d}{pct}"


@staff_page
async def analysis_page(request: web.Request) -> web.StreamResponse:
    user: ConsoleUser = request[USER]
    store = store_of(request)
    period = _period(request, store.today())
    report = await asyncio.to_thread(_report, store, period, scope_of(user))
    a = report["analysis"]
    series_names = (f"本期（{a['period']['label']}）", f"上期（{a['previous']['label']}）")

    def bars(chart_id: str, rows: list[dict[str, Any]]) -> Any:
        labels = [r["name"] for r in rows]
        return grouped_bars(
            chart_id,
            labels,
            [
                (series_names[0], [r["current"] for r in rows]),
                (series_names[1], [r["previous"] for r in rows]),
            ],
        )

    query = urlencode({"period": period.kind, "date": period.start.isoformat()})
    return render(
        request,
        "analysis.html",
        a=a,
        rates=report["rates"],
        definitions=definitions().rates,
        percent=percent,
        change=_change,
        period=period,
        periods=PERIODS,
        previous_date=(period.start - timedelta(days=1)).isoformat(),
        next_date=(period.end + timedelta(days=1)).isoformat(),
        category_chart=bars("chart-category", a["by_category"]),
        town_chart=bars("chart-town", a["by_town"]),
        trend_chart=trend_lines(
            "chart-trend",
            [(series_names[0], a["daily"]["current"]), (series_names[1], a["daily"]["previous"])],
        ),
        xlsx_query="?" + query,
    )


def analysis_workbook(report: dict[str, Any]) -> bytes:
    """Sheets 类别, 乡镇, 每日, 指标: the figures of the page (text cells neutralised against formulas)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    a, rates = report["analysis"], report["rates"]
    wb = Workbook()
    heading = ["本期件数", "上期件数", "增减", "增幅", "是否上升"]
    for index, (title, key, first) in enumerate(
        (("类别", "by_category", "类别"), ("乡镇", "by_town", "乡镇（街道）"))
    ):
        ws = wb.active if index == 0 else wb.create_sheet()
        ws.title = title
        ws.append(
            [
                f"研判：{a['period']['label']}（{a['period']['from']} 至 {a['period']['to']}），对比上期 {a['previous']['label']}"
            ]
        )
        ws.append([first, *heading])
        for r in a[key]:
            ws.append(
                [
                    neutralise(r["name"]),
                    r["current"],
                    r["previous"],
                    r["change"],
                    r["change_pct"],
                    "上升" if r["rising"] else "否",
                ]
            )
        ws.append(["合计", a["total"]["current"], a["total"]["previous"], a["total"]["change"]])
        ws["A1"].font = Font(bold=True)
    ws = wb.create_sheet("每日")
    ws.append(["第几天", "本期日期", "本期件数", "上期日期", "上期件数"])
    start, before = date.fromisoformat(a["period"]["from"]), date.fromisoformat(a["previous"]["from"])
    for day in range(max(len(a["daily"]["current"]), len(a["daily"]["previous"]))):
        row: list[Any] = [day + 1]
        for begin, values in ((start, a["daily"]["current"]), (before, a["daily"]["previous"])):
            row += (
                [(begin + timedelta(days=day)).isoformat(), values[day]] if day < len(values) else ["", None]
            )
        ws.append(row)
    ws = wb.create_sheet("指标")
    defs = definitions().rates
    ws.append(["主办窗口", "案件", *[d.name for d in defs], "督办"])
    for g in [*rates["groups"], {"name": "合计", **rates["total"]}]:
        ws.append(
            [
                neutralise(g["name"]),
                g["tickets"],
                *[g["rates"][d.key]["value"] for d in defs],
                g["supervisions"],
            ]
        )
    ws.append([])
    for d in defs:
        ws.append([d.name, f"分子：{d.numerator_text}", f"分母：{d.denominator_text}"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@staff_page(page=False)
async def analysis_xlsx(request: web.Request) -> web.StreamResponse:
    user: ConsoleUser = request[USER]
    store = store_of(request)
    period = _period(request, store.today())
    report = await asyncio.to_thread(_report, store, period, scope_of(user))
    body = await asyncio.to_thread(analysis_workbook, report)
    name = f"研判-{period.start.isoformat()}-{period.end.isoformat()}.xlsx"
    log.info("console analysis export (%s %s) by %s", period.kind, period.start, user.username)
    return web.Response(
        body=body,
        headers={
            "Content-Type": XLSX,
            "Content-Disposition": f"attachment; filename=\"analysis.xlsx\"; filename*=UTF-8''{quote(name)}",
        },
    )
