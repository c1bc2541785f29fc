"""Case codes: format, tolerant parsing of what citizens type, per-(region, day) sequences."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import create_engine

from bot.storage.models import metadata
from bot.storage.sequences import next_case_code
from bot.tickets.codes import CaseCode, normalise_case_code, parse_case_code


def test_format_is_region_date_sequence():
    assert str(CaseCode("140105", date(2026, 11, 23), 7)) == "140105-20261123-0007"
    assert str(CaseCode("140105", date(2026, 11, 23), 12345)) == "140105-20261123-12345"


@pytest.mark.parametrize(
    "typed",
    [
        "140105-20261123-0007",
        " 140105 20261123 0007 ",
        "１４０１０５－２０２６１１２３－０００７",
        "140105—20261123—0007",
        "140105202611230007",
        "140105-20261123-7",
        "受理编号：140105-20261123-0007",
        "140105_20261123_0007",
    ],
)
def test_typed_codes_are_normalised(typed):
    assert normalise_case_code(typed) == "140105-20261123-0007"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "hello",
        "140105-20261332-0001",
        "140105-20261123-0000",
        "14010520261123",
        "1401-20261123-0001",
        "140105-2026112-0001",
        "abc105-20261123-0001",
    ],
)
def test_invalid_codes_are_rejected(typed):
    assert parse_case_code(typed) is None


@given(
    region=st.from_regex(r"\A[0-9]{6}\Z"),
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    seq=st.integers(min_value=1, max_value=99999),
)
def test_roundtrip(region, day, seq):
    code = CaseCode(region, day, seq)
    assert parse_case_code(str(code)) == code
    assert parse_case_code(str(code).replace("-", "")) == code


def test_sequences_count_per_region_and_day():
    engine = create_engine("sqlite://", future=True)
    metadata.create_all(engine)
    d1, d2 = date(2026, 11, 23), date(2026, 11, 24)
    with engine.begin() as conn:
        got = [str(next_case_code(conn, "140105", d1)) for _ in range(3)]
        assert got == ["140105-20261123-0001", "140105-20261123-0002", "140105-20261123-0003"]
        assert str(next_case_code(conn, "140105", d2)) == "140105-20261124-0001"
        assert str(next_case_code(conn, "140106", d1)) == "140106-20261123-0001"
    with engine.connect() as conn:  # a rolled-back reservation gives its number back
        with conn.begin() as tx:
            next_case_code(conn, "140105", d1)
            tx.rollback()
        with conn.begin():
            assert next_case_code(conn, "140105", d1).seq == 4
