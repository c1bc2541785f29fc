"""CSV and XLSX renderings of ``TicketStore.export_rows`` (used by ``intake export`` and the console).

Cells hold citizens' free text: one starting with ``= + - @`` (or a tab or carriage return) would be
taken for a formula by Excel/WPS/LibreOffice (CSV/formula injection), so every such text cell is
written with a leading single quote, which spreadsheets show as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

DEFAULT_HEADERS = ["受理编号", "受理时间", "类别", "状态"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A text cell that a spreadsheet would read as a formula, prefixed with a single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _safe(row: dict[str, Any]) -> dict[str, Any]:
    return {k: neutralise(v) for k, v in row.items()}


def headers_of(rows: Sequence[dict[str, Any]]) -> list[str]:
    return list(rows[0]) if rows else list(DEFAULT_HEADERS)


def to_csv(rows: Sequence[dict[str, Any]]) -> bytes:
    """UTF-8 with a BOM, so Excel opens the Chinese headers correctly."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=headers_of(rows))
    writer.writeheader()
    writer.writerows(_safe(row) for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(rows: Sequence[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook

    headers = headers_of(rows)
    wb = Workbook()
    ws = wb.active
    ws.title = "案件"
    ws.append(headers)
    for row in rows:
        ws.append([neutralise(row.get(h)) for h in headers])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
