"""The ``mediation:`` section of a center profile, validated like the rest (every error names the file
and line): the people's mediation committee, the court for 司法确认, referral destinations (诉调对接),
how many days before a due date payment reminders go out, the documents' templates and texts."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from bot.tickets.centers import (
    DEFAULT_DOCUMENT_TEMPLATES,
    DOCUMENT_KINDS,
    MediationSettings,
    ReferralDestination,
)

Err = Callable[[tuple[str | int, ...], str], None]
_TEMPLATE_NAME = re.compile(r"^[A-Za-z0-9_-]+\.html$")
KNOWN_KEYS = ("committee", "court", "seal", "referral_destinations", "reminder_days", "templates", "texts")


def build_mediation(raw: Any, windows: Mapping[str, Any], err: Err) -> MediationSettings:
    """``MediationSettings`` from the section's raw data; problems go to ``err(path, message)``.
    A profile without the section gets the defaults (generic names, reminders 3 days ahead)."""
    base = ("mediation",)
    if raw is None:
        return MediationSettings()
    if not isinstance(raw, dict):
        err(base, "section 'mediation' must be a mapping")
        return MediationSettings()
    for key in raw:
        if key not in KNOWN_KEYS:
            err(base + (key,), f"mediation: unknown key '{key}' (use {', '.join(KNOWN_KEYS)})")
    names: dict[str, str] = {}
    for key in ("committee", "court", "seal"):
        value = raw.get(key)
        if value is None and key != "seal":
            err(base, f"mediation: missing '{key}'")
        elif value is not None and (not isinstance(value, str) or not value.strip()):
            err(base + (key,), f"mediation: '{key}' must be a non-empty text")
        elif value is not None:
            names[key] = value.strip()
    days = raw.get("reminder_days", 3)
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 60:
        err(base + ("reminder_days",), "mediation: reminder_days must be a whole number of days, 0–60")
        days = 3
    destinations: dict[str, ReferralDestination] = {}
    raw_dest = raw.get("referral_destinations") or {}
    if not isinstance(raw_dest, dict) or not raw_dest:
        err(base + ("referral_destinations",), "mediation: referral_destinations must map a code to a name")
        raw_dest = {}
    for code, value in raw_dest.items():
        path = base + ("referral_destinations", str(code))
        entry = value if isinstance(value, dict) else {"name": value}
        name, window = entry.get("name"), entry.get("window")
        if not isinstance(name, str) or not name.strip():
            err(path, f"mediation: referral destination '{code}' needs a name")
            continue
        if window is not None and window not in windows:
            err(
                path + ("window",),
                f"mediation: referral destination '{code}' names unknown window '{window}'",
            )
            window = None
        destinations[str(code)] = ReferralDestination(code=str(code), name=name.strip(), window=window)
    templates = dict(DEFAULT_DOCUMENT_TEMPLATES)
    raw_templates = raw.get("templates") or {}
    if not isinstance(raw_templates, dict):
        err(base + ("templates",), "mediation: templates must map a document kind to a file name")
        raw_templates = {}
    for kind, name in raw_templates.items():
        if kind not in DOCUMENT_KINDS:
            err(
                base + ("templates", kind),
                f"mediation: unknown document '{kind}' (use {', '.join(DOCUMENT_KINDS)})",
            )
        elif not isinstance(name, str) or not _TEMPLATE_NAME.match(name):
            err(
                base + ("templates", kind),
                f"mediation: template for '{kind}' must be a file name like agreement.html",
            )
        else:
            templates[kind] = name
    texts = raw.get("texts") or {}
    if not isinstance(texts, dict):
        err(base + ("texts",), "mediation: texts must map a key to a text")
        texts = {}
    defaults = MediationSettings()
    return MediationSettings(
        committee=names.get("committee", defaults.committee),
        court=names.get("court", defaults.court),
        seal=names.get("seal", defaults.seal),
        referral_destinations=destinations,
        reminder_days=days,
        templates=templates,
        texts={str(k): str(v) for k, v in texts.items()},
    )
