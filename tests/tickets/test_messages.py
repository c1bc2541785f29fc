"""Citizen texts: the closing message carries the code, window, room, materials, address and hours."""

from __future__ import annotations

from bot.storage.store import IntakeRecord
from bot.tickets.messages import closing_message, status_message, visit_info


def test_closing_message(sqlite_store, profile):
    t = sqlite_store.file_ticket(
        IntakeRecord("s", "web", "wage_arrears", "urgent", {"migrant_worker": True}, "欠薪")
    )
    text = closing_message(t, profile)
    assert t["code"] in text
    for part in (
        "劳动保障监察窗口（人社）",
        "一楼3号窗口",
        "法律援助窗口",
        profile.address,
        profile.hours,
        "请带上：本人身份证",
        "值班",
    ):
        assert part in text, part
    info = visit_info(t, profile)
    assert info["room"] == "一楼3号窗口" and info["materials"] == t["materials"]


def test_status_message(sqlite_store, profile):
    t = sqlite_store.file_ticket(IntakeRecord("s", "web", "debt", "none", {"phone": "13912345678"}, "借款"))
    text = status_message(sqlite_store.public_status(t["code"], "5678"), profile)
    assert t["code"] in text and "已受理" in text and "人民调解窗口" in text
    assert "核对" in status_message(None, profile)
