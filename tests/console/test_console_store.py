"""Store methods the console needs: transfer (转办), accounts with hashed passwords, sessions; the CLI."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from console_helpers import PASSWORD, wage_record
from sqlalchemy import select, update

from bot import cli
from bot.storage import passwords
from bot.storage.models import StaffUser
from bot.storage.store import (
    InvalidInput,
    InvalidTransition,
    TicketNotFound,
    hash_password,
    town_of,
    verify_password,
)


def test_transfer_moves_the_ticket_to_the_new_window_with_an_audited_reason(store):
    t = store.file_ticket(wage_record())
    store.claim(t["code"], "王志强")
    moved = store.transfer(t["code"], "labor_arbitration", "王志强", "涉及解除合同，转仲裁")
    assert moved["route"]["window"] == "labor_arbitration"
    assert moved["route"]["window_name"] == "劳动人事争议仲裁窗口"
    assert moved["assignee"] is None and moved["status"] == "accepted"
    last = moved["history"][-1]
    assert last["kind"] == "transfer" and last["actor"] == "王志强"
    assert "劳动保障监察窗口" in last["note"] and "涉及解除合同，转仲裁" in last["note"]
    assert "涉及解除合同，转仲裁" in moved["route"]["reasons"][-1]
    # the old window no longer sees it, the new one does
    assert store.get_ticket(t["code"], scope=["labor_inspection"]) is None
    assert store.get_ticket(t["code"], scope=["labor_arbitration"]) is not None
    assert [x["code"] for x in store.list_tickets(scope=["labor_arbitration"])] == [t["code"]]
    with pytest.raises(TicketNotFound):
        store.transfer(t["code"], "legal_aid", "王志强", "再转", scope=["labor_inspection"])


def test_transfer_keeps_secondary_windows_and_can_assign_a_mediator(store):
    t = store.file_ticket(wage_record())
    secondary = [s["window"] for s in t["route"]["secondary_windows"]]
    moved = store.transfer(t["code"], "people_mediation", "陈主任", "先行调解", mediator_id="m_zhang")
    assert moved["route"]["mediator_id"] == "m_zhang" and moved["route"]["mediator"] == "张建国"
    assert [s["window"] for s in moved["route"]["secondary_windows"]] == secondary
    for window in secondary:
        assert store.get_ticket(t["code"], scope=[window]) is not None


def test_transfer_validates_its_input(store):
    t = store.file_ticket(wage_record())
    with pytest.raises(InvalidInput, match="原因"):
        store.transfer(t["code"], "labor_arbitration", "王志强", "  ")
    with pytest.raises(InvalidInput, match="未知的窗口"):
        store.transfer(t["code"], "nowhere", "王志强", "原因")
    with pytest.raises(InvalidInput, match="调解员"):
        store.transfer(t["code"], "labor_arbitration", "王志强", "原因", mediator_id="m_nobody")
    with pytest.raises(InvalidInput, match="已在该窗口"):
        store.transfer(t["code"], "labor_inspection", "王志强", "原因")
    for status in ("accepted", "resolved", "closed"):
        store.change_status(t["code"], status, "王志强")
    with pytest.raises(InvalidTransition):
        store.transfer(t["code"], "labor_arbitration", "王志强", "原因")


def test_passwords_are_salted_scrypt_hashes(monkeypatch):
    monkeypatch.setattr(passwords, "N", 2**17)  # the production cost (conftest lowers it)
    first, second = hash_password("秘密password"), hash_password("秘密password")
    assert first != second and first.startswith(f"scrypt${2**17}$8$1$")
    assert verify_password("秘密password", first) and not verify_password("other", first)
    assert not verify_password("x", "garbage")


def test_accounts_login_and_sessions(store):
    with pytest.raises(InvalidInput, match="已存在"):
        store.create_user("wang", PASSWORD, "王志强", "window_staff", ["labor_inspection"])
    with pytest.raises(InvalidInput, match="8 位"):
        store.create_user("new", "short", "某某", "admin")
    with pytest.raises(InvalidInput, match="窗口"):
        store.create_user("new", PASSWORD, "某某", "window_staff")
    users = {u["username"]: u for u in store.list_users()}
    assert users["li"]["mediator_id"] == "m_li" and users["li"]["windows"] == ["family_mediation"]
    assert store.check_login("wang", "bad") is None and store.check_login("ghost", PASSWORD) is None
    account = store.check_login("wang", PASSWORD)
    assert account is not None and account["role"] == "window_staff"

    session_id, csrf = store.open_session(account["id"])
    me = store.session_user(session_id)
    assert me["username"] == "wang" and me["csrf_token"] == csrf
    store.close_session(session_id)
    assert store.session_user(session_id) is None
    expired, _ = store.open_session(account["id"], ttl=timedelta(seconds=-1))
    assert store.session_user(expired) is None

    live, _ = store.open_session(account["id"])
    assert store.disable_user("wang")
    assert store.session_user(live) is None and store.check_login("wang", PASSWORD) is None


def test_statistics_count_by_week_and_satisfaction(store):
    t = store.file_ticket(wage_record())
    for status in ("accepted", "resolved"):
        store.change_status(t["code"], status, "王志强")
    store.follow_up(t["code"], 5)
    stats = store.statistics()
    assert sum(stats["by_week"].values()) == 1 and list(stats["by_week"])[0][4:6] == "-W"
    assert stats["by_satisfaction"] == {"5": 1}


def test_cli_user_create_and_list(store, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", store.url)
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-password\n"))
    argv = ["user", "create", "--username", "sun", "--role", "window_staff", "--window", "petition"]
    assert cli.main([*argv, "--name", "孙丽", "--password-stdin"]) == 0
    assert "已创建账号 sun" in capsys.readouterr().out
    assert store.check_login("sun", "a-long-password")["windows"] == ["petition"]
    assert cli.main(["user", "list"]) == 0
    out = capsys.readouterr().out
    assert "sun" in out and "孙丽" in out and "a-long-password" not in out
    monkeypatch.setattr("sys.stdin", io.StringIO("another-password\n"))
    assert cli.main([*argv, "--name", "孙丽", "--password-stdin"]) == 1
    assert "已存在" in capsys.readouterr().err


@pytest.mark.parametrize(
    "location, town",
    [
        ("山西省太原市小店区坞城街道", "小店区坞城街道"),
        ("太原市小店区北营街道某工地", "小店区北营街道"),
        ("内蒙古自治区呼和浩特市赛罕区敕勒川路街道", "赛罕区敕勒川路街道"),
        ("刘家堡乡", "刘家堡乡"),
        ("市场街道", "市场街道"),
        (None, "未填写"),
    ],
)
def test_town_for_statistics_drops_province_and_city(location, town):
    assert town_of(location) == town


def test_a_login_upgrades_a_password_hashed_with_weaker_parameters(store, monkeypatch):
    monkeypatch.setattr(passwords, "N", 2**17)  # the production cost (conftest lowers it)
    weak = hash_password(PASSWORD, n=2**14)
    with store._write() as session:
        session.execute(update(StaffUser).where(StaffUser.username == "wang").values(password_hash=weak))

    def stored() -> str:
        with store._read() as session:
            return session.execute(
                select(StaffUser.password_hash).where(StaffUser.username == "wang")
            ).scalar()

    assert store.check_login("wang", "wrong-password") is None
    assert stored() == weak  # a wrong password changes nothing
    assert store.check_login("wang", PASSWORD)["username"] == "wang"
    upgraded = stored()
    assert upgraded.startswith(f"scrypt${2**17}$8$1$") and verify_password(PASSWORD, upgraded)
    assert store.check_login("wang", PASSWORD) is not None and stored() == upgraded
