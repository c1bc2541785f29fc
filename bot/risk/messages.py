"""The short, calm text shown on the citizen's phone when a message was screened as risky.

Hotlines come first because someone in danger may read only the first line; the wording lives in
``risk.yml`` so a center can adjust it without a release.
"""

from __future__ import annotations

from bot.risk.engine import RiskAssessment
from bot.risk.rules import NONE, URGENT, RiskRules, default_rules


def emergency_message(assessment: RiskAssessment, rules: RiskRules | None = None) -> str:
    """Chinese text for the phone screen: the fitting hotlines, then what happens next.

    Urgent: the lead text of the most serious kind, a one-line note for every fitting number the lead
    does not show yet, and the closing ("我们已将您的情况标为紧急…"). Elevated: the kind's gentle lead or the
    notes of its numbers (e.g. 12333 for a group wage claim), or "" when there is nothing to call.
    None: "" (nothing to show).
    """
    if assessment is None or assessment.level == NONE:
        return ""
    rules = rules or default_rules()
    texts = rules.messages
    leads = texts.get("lead") or {}
    parts: list[str] = []
    for signal in assessment.signals:
        lead = (leads.get(signal.kind) or {}).get(signal.level)
        if lead and signal.level == assessment.level:
            parts.append(str(lead))
            break
    if not parts and assessment.level == URGENT and not assessment.emergency_numbers:
        fallback = (texts.get("fallback") or {}).get(URGENT)
        if fallback:
            parts.append(str(fallback))
    shown = "".join(parts)
    for number in assessment.emergency_numbers:
        if number.number in shown:
            continue
        spec = rules.numbers.get(number.number) or {}
        note = str(spec.get("note") or f"也可拨打{number.label} {number.number}。")
        parts.append(note)
        shown += note
    if not parts:
        return ""
    closing = (texts.get("closing") or {}).get(assessment.level)
    if closing:
        parts.append(str(closing))
    return "".join(parts)
