"""The confirmation summary the citizen checks, and the one-paragraph summary staff read."""

from __future__ import annotations

from typing import Any

from bot.intake import subtypes
from bot.intake.schema import APPROXIMATE_SLOT, QUESTIONS_SLOT, UNCONFIRMED_SLOT, fact_specs, facts_kept_of
from bot.taxonomy import category


def _display(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def collected(slots: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) pairs of every fact this intake has: the asked ones in asking order, then the rest."""
    specs = fact_specs()
    rows = []
    for name in facts_kept_of(slots):
        value = slots.get(name)
        if value in (None, ""):
            continue
        shown = ("约" if name in (slots.get(APPROXIMATE_SLOT) or []) else "") + _display(value)
        if name == "amount_yuan" and isinstance(value, int | float):
            shown += "元"
        if name == "headcount" and isinstance(value, int | float):
            shown += "人"
        rows.append((specs[name].label, shown))
    return rows


def confirmation_text(slots: dict[str, Any]) -> str:
    found = category(slots["category"]) if slots.get("category") else None
    lines = ["请核对登记信息："]
    if found:
        lines.append(f"类别：{found.name}" + subtypes.label(found.code, slots.get(subtypes.SUB_TYPE_SLOT)))
    lines.extend(f"{label}：{value}" for label, value in collected(slots))
    if not slots.get("consent"):
        lines.append("（匿名登记，不留姓名电话）")
    lines.append("没问题请回复“确认”；要修改直接说，比如“金额是三万”。")
    return "\n".join(lines)


def staff_summary(slots: dict[str, Any], risk_reasons: list[str] | tuple[str, ...] = ()) -> str:
    """One paragraph in Chinese for the window clerk; personal data is not repeated here."""
    found = category(slots.get("category") or "other")
    parts = [f"{found.name}类纠纷" + subtypes.label(found.code, slots.get(subtypes.SUB_TYPE_SLOT))]
    for label, value in collected(slots):
        if label in (fact_specs()["applicant_name"].label, fact_specs()["phone"].label):
            continue
        parts.append(f"{label}：{value}")
    if risk_reasons:
        parts.append("风险提示：" + "；".join(risk_reasons))
    description = (slots.get("description") or "").strip()
    if description:
        parts.append(f"群众原话：{description[:300]}")
    for asked in slots.get(QUESTIONS_SLOT) or []:
        parts.append(f"群众提问（待答复）：{str(asked)[:100]}")
    if slots.get(UNCONFIRMED_SLOT):
        parts.append(f"群众未明确确认登记内容（回复：{str(slots[UNCONFIRMED_SLOT])[:50]}），请联系核对")
    return "。".join(parts) + "。"
