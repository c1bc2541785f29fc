"""The mediation documents as PDF: 人民调解协议书, 司法确认申请书 and the referral letter (转办函).

HTML/CSS templates (Jinja, ``templates/``, named per center in the profile's ``mediation.templates``)
rendered by WeasyPrint with a CJK font from the distribution (WenQuanYi Zen Hei, fonts-wqy-zenhei, with
Noto CJK and the system's sans-serif as fallbacks). Why WeasyPrint: the layout of a 协议书 (title,
parties' table, numbered terms, signature blocks, seal placeholders) is ordinary HTML and CSS that
centers can edit without code; it shapes Chinese text with Pango and embeds only the glyphs used.

The data comes from ``TicketStore.document_data`` with ID numbers in clear, for the document only:
nothing here logs it.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from bot.taxonomy import categories
from bot.tickets import outcome as domain
from bot.tickets.centers import CenterProfile

TEMPLATES = Path(__file__).resolve().parent / "templates"
CONTENT_TYPE = "application/pdf"


def cn_date(value: date | str | None) -> str:
    """2027-01-05 → 2027年1月5日."""
    if not value:
        return "    年  月  日"
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.year}年{day.month}月{day.day}日"


def yuan_upper(amount: float | None) -> str:
    """The sum in Chinese capitals as contracts write it (人民币壹万元整)."""
    if amount is None:
        return ""
    import cn2an

    return str(cn2an.an2cn(f"{float(amount):.2f}", "rmb"))


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    env.filters.update(cn_date=cn_date, yuan=domain.format_yuan, yuan_upper=yuan_upper)
    return env


def render_html(data: dict[str, Any], profile: CenterProfile) -> str:
    """The document's HTML (``data`` from ``TicketStore.document_data``)."""
    kind = data["kind"]
    ticket, outcome = data["ticket"], data["outcome"]
    sessions = data["sessions"]
    last = sessions[-1] if sessions else None
    mediator = (last or {}).get("mediator") or ticket["route"].get("mediator") or ""
    category = categories().get(ticket["category"])
    template = profile.mediation.templates.get(kind, f"{kind}.html")
    return (
        _environment()
        .get_template(template)
        .render(
            kind=kind,
            title=domain.DOCUMENT_NAMES[kind],
            center=profile,
            mediation=profile.mediation,
            texts=profile.mediation.texts,
            t=ticket,
            facts=ticket["facts"],
            outcome=outcome,
            terms=outcome.get("terms") or {},
            referral=outcome.get("referral"),
            confirmation=outcome.get("judicial_confirmation"),
            sessions=sessions,
            last_session=last,
            method_names=domain.METHOD_NAMES,
            mediator=mediator,
            applicant=data["applicant"],
            counterparty=data["counterparty"],
            category_name=category.name if category else ticket["category"],
            today=data["today"],
            number=f"{profile.short_name}调字〔{data['today'].year}〕{ticket['code'][-4:]}号",
        )
    )


def render_pdf(data: dict[str, Any], profile: CenterProfile) -> bytes:
    """The document as PDF bytes. Its metadata keeps only the document's kind as title: no author,
    dates or producing software (a file passed on should say nothing the page does not)."""
    from weasyprint import HTML

    html = render_html(data, profile)
    pdf: bytes = HTML(string=html, base_url=str(TEMPLATES)).write_pdf(finisher=_plain_metadata)
    return pdf


def _plain_metadata(document: Any, pdf: Any) -> None:
    for key in ("Producer", "Creator", "Author", "CreationDate", "ModDate", "Keywords", "Subject"):
        pdf.info.pop(key, None)


def filename(kind: str, code: str) -> str:
    return f"{domain.DOCUMENT_NAMES[kind]}-{code}.pdf"
