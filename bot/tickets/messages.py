"""Citizen-facing texts built from a ticket and the center profile (closing message, status reply).

The wording templates live in the profile's ``texts`` section, so a center changes them without code;
these helpers only fill them in. The closing message always contains the case code verbatim
(DESIGN.md contract).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from bot.tickets.centers import CenterProfile
from bot.tickets.profiles import current_profile

DEFAULT_CLOSING = (
    "已为您登记，受理编号：{code}。请到{window_name}（{room}）办理。地址：{address}。办公时间：{hours}。"
)


def public_url() -> str:
    """The intake service's public address: ``PUBLIC_URL``, else its configured host and port (never
    taken from a request's Host header)."""
    configured = os.environ.get("PUBLIC_URL", "").strip().rstrip("/")
    if configured:
        return configured
    host = os.environ.get("INTAKE_HOST") or os.environ.get("HOST") or "127.0.0.1"
    return f"http://{host}:{os.environ.get('INTAKE_PORT') or 5080}"


def status_link(code: str) -> str:
    """The status page of one case: the code only (the page still asks for the phone's last 4 digits)."""
    return f"{public_url()}/status/?code={quote(code, safe='')}"


def visit_info(ticket: Mapping[str, Any], profile: CenterProfile | None = None) -> dict[str, Any]:
    """Where to go and what to bring: code, window, room, other windows, materials, address, hours, phone."""
    p = profile or current_profile()
    route = ticket["route"]
    return {
        "code": ticket["code"],
        "window": route["window"],
        "window_name": route["window_name"],
        "room": route.get("room") or p.window(route["window"]).room,
        "secondary_windows": [
            {"window_name": s["window_name"], "room": s["room"], "reason": s["reason"]}
            for s in route.get("secondary_windows", [])
        ],
        "materials": list(ticket.get("materials") or []),
        "center_name": p.name,
        "address": p.address,
        "hours": p.hours,
        "phone": p.phone,
        "urgent": ticket.get("risk_level") == "urgent",
    }


def closing_message(ticket: Mapping[str, Any], profile: CenterProfile | None = None) -> str:
    """The bot's last message after filing; contains the case code verbatim."""
    p = profile or current_profile()
    info = visit_info(ticket, p)
    template = p.texts.get("closing") or DEFAULT_CLOSING
    lines = [template.format_map({**info})]
    for s in info["secondary_windows"]:
        lines.append(f"同时可到{s['window_name']}（{s['room']}）：{s['reason']}。")
    if info["materials"]:
        lines.append("请带上：" + "；".join(info["materials"]) + "。")
    if info["urgent"] and p.texts.get("duty_notice"):
        lines.append(p.texts["duty_notice"])
    if p.texts.get("progress"):
        lines.append(p.texts["progress"].format_map(info))
    lines.append(f"在线查进度：{status_link(ticket['code'])}")
    text = "\n".join(lines)
    if ticket["code"] not in text:  # a center's template without {code} must not lose the code
        text = f"受理编号：{ticket['code']}\n" + text
    return text


def status_message(public: Mapping[str, Any] | None, profile: CenterProfile | None = None) -> str:
    """Reply to a citizen's progress query (``TicketStore.public_status`` result, or None)."""
    p = profile or current_profile()
    if public is None:
        return p.texts.get("status_not_found") or "没有查到对应的记录，请核对受理编号和手机号后四位。"
    if public.get("locked"):  # too many wrong tries for this code (TicketStore.public_status)
        return str(public.get("message") or f"尝试次数过多，请30分钟后再试，或拨打{p.phone}。")
    return (
        f"受理编号{public['code']}（{public['category_name']}）目前状态：{public['status_name']}。"
        f"承办窗口：{public['window_name']}（{public['room']}）。咨询电话：{p.phone}。"
    )
