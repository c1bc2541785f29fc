"""The ``intake`` command line against a temporary database."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest
from openpyxl import load_workbook

from bot.cli import main
from bot.storage.store import IntakeRecord


@pytest.fixture
def db(sqlite_store, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", sqlite_store.url)
    for i, category in enumerate(("debt", "family", "neighbor")):
        sqlite_store.file_ticket(
            IntakeRecord(
                f"s{i}",
                "web",
                category,
                "none",
                {"phone": "13912345678", "applicant_name": "王五"},
                f"案件{i}",
            )
        )
    return sqlite_store


def test_list_and_show(db, capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3 and "人民调解窗口" in out[0]
    code = out[0].split()[0]
    assert main(["show", code]) == 0
    assert json.loads(capsys.readouterr().out)["code"] == code
    assert main(["show", "140105-20000101-0001"]) == 1
    assert main(["list", "--category", "family", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["tickets"]) == 1


def test_export_csv_and_xlsx(db, tmp_path, capsys):
    today = date.today().isoformat()
    out_csv = tmp_path / "cases.csv"
    assert (
        main(["export", "--from", "2020-01-01", "--to", "2099-12-31", "--format", "csv", "-o", str(out_csv)])
        == 0
    )
    rows = list(csv.DictReader(out_csv.open(encoding="utf-8-sig")))
    assert len(rows) == 3 and rows[0]["受理编号"].startswith("140105-")
    assert rows[0]["电话"] == "139****5678"
    out_xlsx = tmp_path / "cases.xlsx"
    assert main(["export", "--format", "xlsx", "-o", str(out_xlsx)]) == 0
    sheet = load_workbook(out_xlsx).active
    assert sheet.max_row == 4 and sheet.cell(1, 1).value == "受理编号"
    assert (
        main(["export", "--from", "2000-01-01", "--to", "2000-01-02", "-o", str(tmp_path / "none.csv")]) == 0
    )
    assert "已导出 0 件" in capsys.readouterr().out
    assert today


def test_tokens(db, capsys):
    assert (
        main(
            ["token", "create", "--role", "window_staff", "--window", "labor_inspection", "--name", "王志强"]
        )
        == 0
    )
    token = capsys.readouterr().out.strip()
    assert db.authenticate(token).windows == ("labor_inspection",)
    assert main(["token", "list"]) == 0
    listing = capsys.readouterr().out
    assert "王志强" in listing and token not in listing
    assert main(["token", "revoke", "1"]) == 0
    assert db.authenticate(token) is None
    assert main(["token", "revoke", "1"]) == 1
    assert main(["token", "create", "--role", "window_staff", "--name", "无窗口"]) == 1


def test_purge_and_redeliver_without_url(db, capsys, monkeypatch):
    monkeypatch.delenv("CENTER_WEBHOOK_URL", raising=False)
    assert main(["purge-expired"]) == 0
    assert "已清除 0 件" in capsys.readouterr().out
    assert main(["redeliver"]) == 0
    assert "未配置" in capsys.readouterr().out


def test_grid_worker_token_needs_an_area_and_no_window(db, capsys):
    assert main(["token", "create", "--role", "grid_worker", "--name", "李网格"]) == 1
    assert "--area" in capsys.readouterr().err
    window = ["--window", "labor_inspection", "--area", "东关社区第三网格"]
    assert main(["token", "create", "--role", "grid_worker", "--name", "李网格", *window]) == 1
    assert (
        main(["token", "create", "--role", "grid_worker", "--name", "李网格", "--area", "东关社区第三网格"])
        == 0
    )
    identity = db.authenticate(capsys.readouterr().out.strip())
    assert (identity.role, identity.area, identity.windows) == ("grid_worker", "东关社区第三网格", ())
    assert main(["token", "list"]) == 0
    assert "网格：东关社区第三网格（仅本人代填的案件）" in capsys.readouterr().out
