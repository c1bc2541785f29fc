import pytest

from bot.intake.status import find_case_code, find_last4
from bot.intake.summary import confirmation_text, staff_summary


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("查一下140105-20261123-0007", "140105-20261123-0007"),
        ("我的编号是 １４０１０５ ２０２６１１２３ ０００７", "140105-20261123-0007"),
        ("140105202611230007 尾号5678", "140105-20261123-0007"),
        ("查询进度", None),
        ("13912345678", None),
    ],
)
def test_find_case_code(text: str, code: str | None) -> None:
    assert find_case_code(text) == code


@pytest.mark.parametrize(
    ("text", "last4"),
    [("5678", "5678"), ("尾号是 0351", "0351"), ("140105-20261123-0007 尾号5678", "5678"), ("123", None)],
)
def test_find_last4(text: str, last4: str | None) -> None:
    assert find_last4(text) == last4


def test_confirmation_lists_every_fact_in_one_message() -> None:
    slots = {
        "category": "wage_arrears",
        "consent": True,
        "applicant_name": "王建国",
        "phone": "13912345678",
        "counterparty": "包工头老王",
        "amount_yuan": 35000.0,
        "headcount": 15,
        "period": "去年十月到今年三月",
        "location": "太原市小店区",
    }
    text = confirmation_text(slots)
    for expected in ("欠薪", "王建国", "13912345678", "包工头老王", "35000元", "15人", "小店区", "确认"):
        assert expected in text


def test_staff_summary_leaves_out_personal_data() -> None:
    slots = {
        "category": "debt",
        "consent": True,
        "applicant_name": "李娜",
        "phone": "13912345678",
        "amount_yuan": 50000,
        "description": "朋友借钱不还",
    }
    summary = staff_summary(slots, ["群体"])
    assert "李娜" not in summary and "13912345678" not in summary
    assert "债务借贷" in summary and "50000元" in summary and "朋友借钱不还" in summary
