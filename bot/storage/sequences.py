"""The day's case-code sequence, reserved inside the filing transaction.

The sequence is a counter row per (region, date) in ``case_sequences``, incremented inside the same
transaction that inserts the ticket. On PostgreSQL ``INSERT … ON CONFLICT DO UPDATE … RETURNING``
takes the row lock until commit; on SQLite the store opens write transactions with
``BEGIN IMMEDIATE`` so the whole transaction holds the database write lock. Either way a rolled-back
filing gives its number back.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from bot.storage.models import case_sequences
from bot.tickets.codes import CaseCode


def next_case_code(conn: Connection, region: str, day: date) -> CaseCode:
    """Reserve the next code for (region, day) inside the caller's transaction."""
    key = {"region_code": region, "day": f"{day:%Y%m%d}"}
    dialect = conn.dialect.name
    table = case_sequences
    if dialect == "postgresql":
        stmt = (
            pg_insert(table)
            .values(**key, last_value=1)
            .on_conflict_do_update(
                index_elements=["region_code", "day"], set_={"last_value": table.c.last_value + 1}
            )
            .returning(table.c.last_value)
        )
        seq = conn.execute(stmt).scalar_one()
    elif dialect == "sqlite":
        conn.execute(
            sqlite_insert(table)
            .values(**key, last_value=1)
            .on_conflict_do_update(
                index_elements=["region_code", "day"], set_={"last_value": table.c.last_value + 1}
            )
        )
        seq = conn.execute(select(table.c.last_value).filter_by(**key)).scalar_one()
    else:  # other databases: lock the row, insert it when missing
        current = conn.execute(select(table.c.last_value).filter_by(**key).with_for_update()).scalar()
        if current is None:
            conn.execute(table.insert().values(**key, last_value=1))
            seq = 1
        else:
            seq = current + 1
            conn.execute(table.update().filter_by(**key).values(last_value=seq))
    return CaseCode(region=region, day=day, seq=int(seq))
