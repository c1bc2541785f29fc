"""How a mediation ends, independent of storage and web: the outcome staff record (result, agreed terms
with a payment schedule, referral when mediation fails), the mediation sessions and the 司法确认
application, which documents an outcome calls for, and the payment schedule's 履约 logic (what is due,
overdue, which reminders go out N days before a due date).

Every validation error is a short Chinese ``InvalidInput`` message (400 in the API, shown in the console).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from bot.tickets.centers import DOCUMENT_KINDS
from bot.tickets.records import InvalidInput

RESULTS = ("agreement", "partial", "failed", "withdrawn")
RESULT_NAMES = {
    "agreement": "达成协议",
    "partial": "部分达成协议",
    "failed": "调解不成",
    "withdrawn": "撤回申请",
}
AGREED = ("agreement", "partial")  # results with agreed terms (an 调解协议书)
METHODS = ("in_person", "video", "phone", "home")
METHOD_NAMES = {"in_person": "现场调解", "video": "视频调解", "phone": "电话调解", "home": "上门调解"}
CONFIRMATION_RESULTS = ("pending", "confirmed", "rejected")
CONFIRMATION_NAMES = {"pending": "审查中", "confirmed": "裁定确认有效", "rejected": "裁定驳回申请"}
PAYMENT_STATUSES = ("pending", "paid", "not_paid")
PAYMENT_NAMES = {"pending": "待履行", "paid": "已支付", "not_paid": "未支付"}
PERFORMANCE_NAMES = {"on_track": "正常履行", "overdue": "逾期未履行", "fulfilled": "已全部履行"}
DOCUMENT_NAMES = {
    "agreement": "人民调解协议书",
    "judicial_confirmation": "司法确认申请书",
    "referral": "转办函",
}
MAX_PAYMENTS = 60
MAX_AMOUNT = 1e10
TEXT_LIMIT = 4000


@dataclass(frozen=True)
class Payment:
    due: date
    amount_yuan: float


@dataclass(frozen=True)
class Terms:
    text: str
    amount_yuan: float | None = None
    payments: tuple[Payment, ...] = ()
    obligations: str = ""  # other obligations (apology, repairs, returning items …)
    payer: str = ""  # who pays
    payee: str = ""  # whom
    payer_reminders: bool = False  # the paying party consented to reminders on their contact

    def as_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "amount_yuan": self.amount_yuan,
            "payments": [{"due": p.due.isoformat(), "amount_yuan": p.amount_yuan} for p in self.payments],
            "obligations": self.obligations,
            "payer": self.payer,
            "payee": self.payee,
            "payer_reminders": self.payer_reminders,
        }


@dataclass(frozen=True)
class Referral:
    to: str
    note: str = ""


@dataclass(frozen=True)
class OutcomeInput:
    result: str
    terms: Terms | None = None
    referral: Referral | None = None
    counterparty_name: str = ""
    counterparty_id_number: str = ""


@dataclass(frozen=True)
class SessionInput:
    held_on: date
    place: str
    method: str
    participants: str
    mediator: str
    note: str = ""


@dataclass(frozen=True)
class ConfirmationInput:
    court: str
    applied_on: date
    result: str = "pending"
    ruling_no: str = ""
    decided_on: date | None = None


# ---------------------------------------------------------------- parsing and validation


def _text(value: Any, what: str, *, required: bool = False, limit: int = TEXT_LIMIT) -> str:
    if value is None or value == "":
        if required:
            raise InvalidInput(f"请填写{what}")
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"{what}须为文字")
    text = value.strip()
    if required and not text:
        raise InvalidInput(f"请填写{what}")
    if len(text) > limit:
        raise InvalidInput(f"{what}过长（最多{limit}字）")
    return text


def parse_amount(value: Any, what: str, *, required: bool = False, positive: bool = False) -> float | None:
    """A sum in yuan (number, or text such as "5000" / "5,000.50"), at most two decimals."""
    if value is None or value == "":
        if required:
            raise InvalidInput(f"请填写{what}")
        return None
    if isinstance(value, bool):
        raise InvalidInput(f"{what}须为数字（元）")
    try:
        number = float(str(value).replace(",", "").replace("，", "").strip())
    except ValueError:
        raise InvalidInput(f"{what}须为数字（元），如 5000") from None
    if not math.isfinite(number) or number < 0 or number > MAX_AMOUNT:
        raise InvalidInput(f"{what}须为不小于0的金额")
    if positive and number == 0:
        raise InvalidInput(f"{what}须大于0")
    if round(number, 2) != number:
        raise InvalidInput(f"{what}最多保留两位小数（分）")
    return int(number) if number.is_integer() else number


def parse_day(value: Any, what: str, *, required: bool = True) -> date | None:
    if value in (None, ""):
        if required:
            raise InvalidInput(f"请填写{what}（如 2027-01-15）")
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInput(f"{what}须为日期，格式如 2027-01-15") from None


def parse_payments(raw: Any) -> tuple[Payment, ...]:
    if raw in (None, ""):
        return ()
    if not isinstance(raw, list):
        raise InvalidInput("付款计划（payments）须为列表，每期含 due 和 amount_yuan")
    if len(raw) > MAX_PAYMENTS:
        raise InvalidInput(f"付款计划最多{MAX_PAYMENTS}期")
    payments = []
    for i, item in enumerate(raw, 1):
        if not isinstance(item, Mapping):
            raise InvalidInput(f"第{i}期付款须包含到期日（due）和金额（amount_yuan）")
        due = parse_day(item.get("due"), f"第{i}期付款的到期日")
        amount = parse_amount(item.get("amount_yuan"), f"第{i}期付款的金额", required=True, positive=True)
        assert due is not None and amount is not None
        payments.append(Payment(due, amount))
    dues = [p.due for p in payments]
    if len(set(dues)) != len(dues):
        raise InvalidInput("付款计划中有重复的到期日，请合并为一期")
    return tuple(sorted(payments, key=lambda p: p.due))


def parse_terms(raw: Any) -> Terms:
    if not isinstance(raw, Mapping):
        raise InvalidInput("达成协议时须填写协议内容（terms.text）")
    amount = parse_amount(raw.get("amount_yuan"), "协议金额")
    payments = parse_payments(raw.get("payments"))
    scheduled = round(sum(p.amount_yuan for p in payments), 2)
    if payments and amount is not None and scheduled > amount + 1e-9:
        raise InvalidInput(f"各期付款合计{scheduled:g}元，超过协议金额{amount:g}元")
    if payments and amount is None:
        amount = int(scheduled) if float(scheduled).is_integer() else scheduled
    consent = raw.get("payer_reminders", False)
    if not isinstance(consent, bool):
        raise InvalidInput("payer_reminders 须为 true 或 false")
    return Terms(
        text=_text(raw.get("text"), "协议内容（terms.text）", required=True),
        amount_yuan=amount,
        payments=payments,
        obligations=_text(raw.get("obligations"), "其他义务"),
        payer=_text(raw.get("payer"), "付款方", limit=100),
        payee=_text(raw.get("payee"), "收款方", limit=100),
        payer_reminders=consent,
    )


def parse_outcome(data: Mapping[str, Any], destinations: Collection[str]) -> OutcomeInput:
    """The outcome payload of ``POST /api/tickets/{code}/outcome`` (and the console's form), checked:
    an agreement has terms, a failed mediation may be referred to one of ``destinations``."""
    result = data.get("result")
    if result not in RESULTS:
        raise InvalidInput(
            "调解结果（result）须为 agreement（达成协议）、partial（部分达成）、failed（调解不成）或 withdrawn（撤回）"
        )
    raw_terms = data.get("terms")
    terms = None
    if result in AGREED:
        terms = parse_terms(raw_terms)
    elif raw_terms not in (None, {}):
        raise InvalidInput(f"调解结果为“{RESULT_NAMES[result]}”时不能填写协议内容")
    referral = parse_referral(data.get("referral"), destinations) if data.get("referral") else None
    if referral is not None and result not in ("failed", "partial"):
        raise InvalidInput("只有调解不成或部分达成时才转办")
    counterparty = data.get("counterparty") or {}
    if not isinstance(counterparty, Mapping):
        raise InvalidInput("counterparty 须为对象（name、id_number）")
    id_number = _text(counterparty.get("id_number"), "对方身份证号", limit=18).upper()
    if id_number and not (
        len(id_number) == 18 and id_number[:17].isdigit() and id_number[17] in "0123456789X"
    ):
        raise InvalidInput("对方身份证号须为18位")
    return OutcomeInput(
        result=str(result),
        terms=terms,
        referral=referral,
        counterparty_name=_text(counterparty.get("name"), "对方姓名或名称", limit=200),
        counterparty_id_number=id_number,
    )


def parse_referral(raw: Any, destinations: Collection[str]) -> Referral:
    if not isinstance(raw, Mapping):
        raise InvalidInput("转办（referral）须包含去向（to）和说明（note）")
    to = raw.get("to")
    if to not in destinations:
        raise InvalidInput("转办去向（referral.to）须为：" + "、".join(destinations))
    return Referral(to=str(to), note=_text(raw.get("note"), "转办说明"))


def parse_session(data: Mapping[str, Any]) -> SessionInput:
    method = data.get("method")
    if method not in METHODS:
        raise InvalidInput("调解方式须为现场（in_person）、视频（video）、电话（phone）或上门（home）")
    held_on = parse_day(data.get("held_on") or data.get("date"), "调解日期")
    assert held_on is not None
    return SessionInput(
        held_on=held_on,
        place=_text(data.get("place"), "调解地点", required=method in ("in_person", "home"), limit=200),
        method=str(method),
        participants=_text(data.get("participants"), "参加人员", required=True, limit=1000),
        mediator=_text(data.get("mediator"), "调解员", required=True, limit=100),
        note=_text(data.get("note"), "调解情况"),
    )


def parse_confirmation(data: Mapping[str, Any], default_court: str) -> ConfirmationInput:
    result = data.get("result") or "pending"
    if result not in CONFIRMATION_RESULTS:
        raise InvalidInput("司法确认结果须为审查中（pending）、确认有效（confirmed）或驳回（rejected）")
    ruling_no = _text(data.get("ruling_no"), "裁定书文号", limit=100)
    if result != "pending" and not ruling_no:
        raise InvalidInput("法院已作出裁定时请填写裁定书文号")
    applied_on = parse_day(data.get("applied_on"), "申请日期")
    decided_on = parse_day(data.get("decided_on"), "裁定日期", required=False)
    assert applied_on is not None
    if decided_on and decided_on < applied_on:
        raise InvalidInput("裁定日期不能早于申请日期")
    return ConfirmationInput(
        court=_text(data.get("court"), "法院", limit=200) or default_court,
        applied_on=applied_on,
        result=str(result),
        ruling_no=ruling_no,
        decided_on=decided_on,
    )


def documents_for(result: str | None, has_referral: bool) -> tuple[str, ...]:
    """The documents an outcome calls for: an agreement (full or partial) its 调解协议书 and the
    application for 司法确认; a referral its 转办函."""
    kinds = []
    if result in AGREED:
        kinds += ["agreement", "judicial_confirmation"]
    if has_referral:
        kinds.append("referral")
    return tuple(k for k in DOCUMENT_KINDS if k in kinds)


# ---------------------------------------------------------------- 履约 (performance)


@dataclass(frozen=True)
class ScheduledPayment:
    """A payment of the schedule as stored: ``status`` is pending / paid / not_paid (staff mark it)."""

    seq: int
    due: date
    amount_yuan: float
    status: str = "pending"
    reminded: bool = False
    raised: bool = False


def payment_state(p: ScheduledPayment, today: date) -> str:
    """paid, not_paid (marked by staff), overdue (due date passed), due (today) or upcoming."""
    if p.status in ("paid", "not_paid"):
        return p.status
    if p.due < today:
        return "overdue"
    return "due" if p.due == today else "upcoming"


def is_missed(p: ScheduledPayment, today: date) -> bool:
    return payment_state(p, today) in ("not_paid", "overdue")


def performance(payments: Sequence[ScheduledPayment], today: date) -> str | None:
    """None without a schedule; ``overdue`` when a payment was missed, ``fulfilled`` when all are
    paid, else ``on_track``."""
    if not payments:
        return None
    if any(is_missed(p, today) for p in payments):
        return "overdue"
    return "fulfilled" if all(p.status == "paid" for p in payments) else "on_track"


def performance_warning(payments: Sequence[ScheduledPayment], today: date) -> str | None:
    missed = [p for p in payments if is_missed(p, today)]
    if not missed:
        return None
    parts = "、".join(f"第{p.seq}期（{p.due.isoformat()}，{format_yuan(p.amount_yuan)}元）" for p in missed)
    return f"履约预警：{parts}未按期支付"


def reminders_due(payments: Iterable[ScheduledPayment], today: date, days: int) -> list[ScheduledPayment]:
    """Payments still pending whose due date is ``days`` days away or nearer (today included) and
    for which no reminder went out yet."""
    return [
        p
        for p in payments
        if p.status == "pending" and not p.reminded and today <= p.due <= today + timedelta(days=days)
    ]


def newly_missed(payments: Iterable[ScheduledPayment], today: date) -> list[ScheduledPayment]:
    """Missed payments not yet raised back to the queue."""
    return [p for p in payments if is_missed(p, today) and not p.raised]


def format_yuan(amount: float | None) -> str:
    if amount is None:
        return "—"
    return f"{amount:.2f}".rstrip("0").rstrip(".") if not float(amount).is_integer() else str(int(amount))


def agreement_summary(code: str, terms: Mapping[str, Any], template: str, phone: str) -> str:
    """The short message the citizen gets on their channel once an agreement is recorded."""
    text = str(terms.get("text") or "").strip().rstrip("。")
    payments = terms.get("payments") or []
    schedule = ""
    if payments:
        items = "；".join(f"{p['due']}前{format_yuan(p['amount_yuan'])}元" for p in payments)
        schedule = f"付款安排：{items}。"
    template = (
        template or "您反映的纠纷（受理编号{code}）经调解已达成协议：{terms}{payments}如有问题请联系{phone}。"
    )
    return template.format(code=code, terms=text + "。", payments=schedule, phone=phone)
