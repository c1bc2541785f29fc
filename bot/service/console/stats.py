"""Administrators' statistics page (counts by category, town, channel, week, status, risk, window and
satisfaction, as bar charts) and the CSV/XLSX export of tickets in a date range."""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import quote, urlencode

from aiohttp import web

from bot.service.console.auth import staff_page
from bot.service.console.formatting import bars
from bot.service.console.pages import USER, date_param, render, store_of
from bot.storage.export import to_csv, to_xlsx
from bot.taxonomy import categories
from bot.tickets.deadlines import utcnow
from bot.tickets.labels import CHANNEL_NAMES, RISK_NAMES, STATUS_NAMES

log = logging.getLogger(__name__)


@staff_page(admin=True)
async def stats_page(request: web.Request) -> web.StreamResponse:
    store = store_of(request)
    date_from, date_to = date_param(request.query.get("from")), date_param(request.query.get("to"))
    stats = await asyncio.to_thread(store.statistics, date_from=date_from, date_to=date_to)
    profile = store.profile
    window_names = {c: w.name for c, w in profile.windows.items()}
    destinations = {d.code: d.name for d in profile.mediation.referral_destinations.values()}
    charts = [
        ("按类别", bars(stats["by_category"], {c: cat.name for c, cat in categories().items()})),
        ("按乡镇（街道）", bars(stats["by_town"])),
        ("按渠道", bars(stats["by_channel"], CHANNEL_NAMES)),
        ("按周", bars(stats.get("by_week", {}))),
        ("按状态", bars(stats["by_status"], STATUS_NAMES)),
        ("按风险等级", bars(stats["by_risk"], RISK_NAMES)),
        ("按主办窗口", bars(stats["by_window"], window_names)),
        ("满意度分布（回访）", bars({f"{k}分": v for k, v in stats.get("by_satisfaction", {}).items()})),
        ("群众自评分布", bars({f"{k}分": v for k, v in stats.get("by_citizen_rating", {}).items()})),
        ("转办去向（诉调对接）", bars(stats["mediation"]["referrals_by_destination"], destinations)),
    ]
    mediation_tables = [
        ("按窗口", [(window_names.get(k, k), v) for k, v in stats["mediation"]["by_window"].items()]),
        ("按调解员", list(stats["mediation"]["by_mediator"].items())),
        ("按乡镇（街道）", list(stats["mediation"]["by_town"].items())),
    ]
    query = urlencode({k: v for k, v in (("from", date_from), ("to", date_to)) if v})
    return render(
        request,
        "stats.html",
        stats=stats,
        charts=charts,
        mediation=stats["mediation"],
        mediation_tables=mediation_tables,
        date_from=date_from.isoformat() if date_from else "",
        date_to=date_to.isoformat() if date_to else "",
        export_query=("?" + query) if query else "",
    )


@staff_page(admin=True, page=False)
async def export(request: web.Request) -> web.StreamResponse:
    fmt = request.match_info["fmt"]
    store = store_of(request)
    date_from, date_to = date_param(request.query.get("from")), date_param(request.query.get("to"))
    rows = await asyncio.to_thread(store.export_rows, date_from, date_to)
    body = await asyncio.to_thread(to_csv if fmt == "csv" else to_xlsx, rows)
    name = f"案件导出-{utcnow().astimezone(store.tz()).strftime('%Y%m%d-%H%M')}.{fmt}"
    content_type = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    log.info("console export (%s, %d rows) by %s", fmt, len(rows), request[USER].username)
    return web.Response(
        body=body,
        headers={
            "Content-Type": content_type,
            "Content-Disposition": f"attachment; filename=\"export.{fmt}\"; filename*=UTF-8''{quote(name)}",
        },
    )
