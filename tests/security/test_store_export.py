"""5: citizens' free text that a spreadsheet would run as a formula is neutralised in the exports."""

from __future__ import annotations

import csv
import io
import os

import pytest
from cryptography.fernet import Fernet
from openpyxl import load_workbook

os.environ.setdefault("INTAKE_DATA_KEY", Fernet.generate_key().decode())

from bot.storage.export import to_csv, to_xlsx  # noqa: E402
from bot.storage.store import IntakeRecord, TicketStore  # noqa: E402
from bot.tickets.profiles import load_profile  # noqa: E402

EVIL = ['=HYPERLINK("http://x","点我")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


@pytest.fixture
def rows(tmp_path):
    store = TicketStore(f"sqlite:///{tmp_path / 'intake.db'}", load_profile())
    for i, text in enumerate(EVIL):
        store.file_ticket(
            IntakeRecord(
                f"s-{i}",
                "rest",
                "wage_arrears",
                "none",
                {"applicant_name": text, "counterparty": text, "demand": text, "location": text},
                text,
            )
        )
    yield store.export_rows()
    store.dispose()


def _dangerous(value) -> bool:
    return isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r")


def test_csv_cells_are_neutralised(rows):
    text = to_csv(rows).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    assert not [c for c in cells if _dangerous(c)]
    for evil in EVIL:
        assert "'" + evil in cells


def test_xlsx_cells_are_neutralised(rows):
    ws = load_workbook(io.BytesIO(to_xlsx(rows))).active
    cells = [c for row in ws.iter_rows(values_only=True) for c in row]
    assert not [c for c in cells if _dangerous(c)]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert '\'=HYPERLINK("http://x","点我")' in cells


def test_numbers_and_dates_are_untouched():
    rows = [{"a": -5, "b": "2026-11-01T08:00:00+00:00", "c": "正常文本"}]
    text = to_csv(rows).decode("utf-8-sig")
    assert "-5,2026-11-01T08:00:00+00:00,正常文本" in text
