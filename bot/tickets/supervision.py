"""督办 (supervision) decisions: which 13710 deadlines of a ticket call for a notice now, what the notice
says, who hears of it, and when an unsigned urgent ticket re-alerts the duty officer.

A stage gets at most two notices: ``near`` once the share ``near_at`` of its time is used (counted from
filing, like the deadline), ``overdue`` once the deadline has passed; neither for a stage done in time.
A ticket first seen after its deadline gets only ``overdue`` (a "deadline near" notice then would only
mislead). Storage makes each notice unique (``bot.storage.supervision``); this module only decides.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from bot.tickets.centers import STAGES, SupervisionSettings
from bot.tickets.deadlines import as_utc, stage_done
from bot.tickets.labels import STAGE_NAMES

NEAR, OVERDUE = "near", "overdue"
KINDS = (NEAR, OVERDUE)
ACTOR = "督办系统"  # the history's actor of the scheduler's entries


@dataclass(frozen=True)
class Notice:
    stage: str  # sign | contact | report | close
    kind: str  # near | overdue
    deadline: datetime


def notices_due(
    status: str,
    created_at: datetime,
    deadlines: Mapping[str, datetime | None],
    now: datetime,
    near_at: float,
    issued: Collection[tuple[str, str]] = (),
) -> list[Notice]:
    """The notices a ticket should get at ``now`` that are not in ``issued`` ((stage, kind) pairs)."""
    start, now = as_utc(created_at), as_utc(now)
    out = []
    for stage in STAGES:
        due = deadlines.get(stage)
        if due is None or stage_done(stage, status):
            continue
        due = as_utc(due)
        if now > due:
            kind = OVERDUE
        elif now >= start + (due - start) * near_at:
            kind = NEAR
        else:
            continue
        if (stage, kind) not in issued:
            out.append(Notice(stage, kind, due))
    return out


def _local(moment: datetime, tz: tzinfo) -> str:
    local = as_utc(moment).astimezone(tz)
    return f"{local.month}月{local.day}日{local:%H:%M}"


def note_for(notice: Notice, tz: tzinfo) -> str:
    """The history note and the notification's text: ``督办：签收期限将至（12月6日09:00前）``."""
    name, when = STAGE_NAMES[notice.stage], _local(notice.deadline, tz)
    if notice.kind == NEAR:
        return f"督办：{name}期限将至（{when}前），请抓紧办理"
    return f"督办：{name}已超过期限（{when}），请立即办理并说明原因"


def recipients(
    settings: SupervisionSettings, window: str, window_name: str, duty_officer: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Who the notice is for, as the center's system needs it to route: the ticket's window lead
    (by name when the profile names one), the center's administrator, the duty officer."""
    out: list[dict[str, Any]] = []
    for role in settings.notify:
        if role == "window_lead":
            lead = settings.leads.get(window)
            out.append({"role": role, "window": window, "window_name": window_name, "name": lead})
        elif role == "duty_officer" and duty_officer:
            out.append({"role": role, "name": duty_officer.get("name"), "phone": duty_officer.get("phone")})
        elif role == "admin":
            out.append({"role": role})
    return out


def duty_realert_due(
    risk_level: str,
    status: str,
    created_at: datetime,
    last_alert: datetime | None,
    now: datetime,
    settings: SupervisionSettings,
) -> bool:
    """An urgent ticket still unsigned ``urgent_unsigned_after`` after filing re-alerts the duty
    officer, and again every ``urgent_realert_every`` until somebody signs for it."""
    if risk_level != "urgent" or stage_done("sign", status):
        return False
    now = as_utc(now)
    if now - as_utc(created_at) < settings.urgent_unsigned_after:
        return False
    return last_alert is None or now - as_utc(last_alert) >= settings.urgent_realert_every


def duty_note(created_at: datetime, now: datetime, duty_officer: Mapping[str, str]) -> str:
    minutes = int((as_utc(now) - as_utc(created_at)).total_seconds() // 60)
    span = f"{minutes // 60}小时{minutes % 60}分钟" if minutes >= 60 else f"{minutes}分钟"
    who = (duty_officer.get("title") or "值班人员") + (duty_officer.get("name") or "")
    return f"紧急案件已{span}无人签收，再次提醒{who}"
