"""Progress messages to the citizen and the citizen's own rating, independent of storage and channels.

A ticket's stage changes (签收, first contact, 反馈, 办结, 转办) each give the citizen one short message
on their own channel, only when they consented to be contacted (a ticket keeps a phone only then).
Which change is worth a message and its wording are decided here; the wording itself is the center
profile's ``texts`` (``notice_<stage>``), so a center changes it without code. The closing (办结)
message asks for a rating 1-5; :func:`parse_rating` reads a reply such as ``5``, ``５`` or ``五分``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from bot.facts.numbers import CN_DIGITS
from bot.tickets.centers import CenterProfile
from bot.tickets.labels import STATUS_NAMES
from bot.tickets.messages import status_link

# the stage a status change reaches (the first time: statuses only move forward)
STAGE_OF_STATUS = {
    "accepted": "accepted",  # 签收
    "in_mediation": "contacted",  # first contact: mediation under way
    "resolved": "resolved",  # 反馈: the dispute is resolved
    "referred": "referred",  # 转办 to another body
    "closed": "closed",  # 办结, with the rating prompt
}
TRANSFER_STAGE = "transferred"  # 转办 to another window of the center
RATABLE_STATUSES = ("closed",)  # a citizen rates after 办结
LOW_RATING = 2  # this or lower opens a return visit by a supervisor (差评待回访)
RATING_WINDOW = timedelta(days=30)  # a bare digit on the hotline rates a case closed this recently

# A profile without a text of its own (``notice_*``, ``rating_*``, ``widget_*``) still says something
# sensible; the wording of the default center is in ``centers/default.yml``.
FALLBACK = {
    "notice": "受理编号{code}，目前状态：{status_name}。进度：{link}",
    "rating": "感谢您的反馈（受理编号{code}）。",
    "widget": "受理编号{code}，目前状态：{status_name}。",
}


def progress_stage(kind: str, from_status: str | None, to_status: str | None) -> str | None:
    """The stage a change of a ticket reaches that the citizen hears about, else None (a note, a
    staff-only change, or no change of status)."""
    if kind == "transfer":
        return TRANSFER_STAGE
    if to_status and to_status != from_status:
        return STAGE_OF_STATUS.get(to_status)
    return None


def _text(profile: CenterProfile, key: str, values: Mapping[str, Any]) -> str:
    """The profile's text ``key`` with ``values`` and the center's fields (else a plain fallback)."""
    if not profile.texts.get(key):
        return FALLBACK[key.split("_", 1)[0]].format_map(dict(values))
    return profile.text(key, **values)


def ticket_values(ticket: Mapping[str, Any]) -> dict[str, Any]:
    """What a message may say about a ticket: code, status, window, the status page link."""
    route = ticket.get("route") or {}
    status = str(ticket.get("status") or "")
    return {
        "code": ticket["code"],
        "status_name": STATUS_NAMES.get(status, status),
        "window_name": route.get("window_name") or "",
        "link": status_link(str(ticket["code"])),
    }


def progress_message(profile: CenterProfile, stage: str, ticket: Mapping[str, Any]) -> str:
    """The citizen's message for ``stage``; always names the case code."""
    values = ticket_values(ticket)
    text = _text(profile, f"notice_{stage}", values).strip()
    return text if values["code"] in text else f"受理编号{values['code']}：{text}"


def rating_reply(profile: CenterProfile, outcome: str, code: str, rating: int | None = None) -> str:
    """The answer to a rating: ``thanks`` (``thanks_low`` for 1-2), ``already`` or ``not_ready``."""
    if outcome == "thanks" and rating is not None and rating <= LOW_RATING:
        outcome = "thanks_low"
    return _text(profile, f"rating_{outcome}", {"code": code, "rating": rating or ""})


def widget_texts(profile: CenterProfile) -> dict[str, str]:
    """The widget's update banner and rating prompt (``{code}``/``{status_name}`` filled by the page)."""
    keep = {"code": "{code}", "status_name": "{status_name}", "link": ""}
    return {k: _text(profile, k, keep) for k in ("widget_update", "widget_rate")}


_RATING = re.compile(r"^\s*(?:评分|打分|评价)?\s*([1-5一二两三四五])\s*(?:分|星)?\s*[。.!！]?\s*$")


def parse_rating(text: str) -> int | None:
    """A reply that is only a rating 1-5 (``5``, ``５``, ``五``, ``4分``), else None."""
    match = _RATING.match(unicodedata.normalize("NFKC", (text or "")[:20]))  # ５ → 5
    if not match:
        return None
    value = match.group(1)
    return int(value) if value.isdigit() else CN_DIGITS[value]


def check_rating(rating: Any) -> int:
    """The rating as an int 1-5, else ValueError (with a short Chinese message)."""
    if isinstance(rating, bool):
        raise ValueError("评分须为 1 到 5 的整数")
    if isinstance(rating, str):
        parsed = parse_rating(rating)
        if parsed is None:
            raise ValueError("评分须为 1 到 5 的整数")
        return parsed
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValueError("评分须为 1 到 5 的整数")
    return rating


def clean_comment(comment: Any, limit: int = 500) -> str | None:
    """An optional comment: stripped, at most ``limit`` characters, None when empty."""
    text = str(comment or "").strip()
    return text[:limit] or None
