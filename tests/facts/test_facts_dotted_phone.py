"""A mobile number written in groups split by dots (186.2047.5513, or 。 from a Chinese keyboard) is a
phone; a decimal sum, a date, a version or an address with dots never is."""

from __future__ import annotations

import pytest
from facts_helpers import facts_of, values_of

from bot.facts import extract_facts, facts_dict
from bot.intake.answers import read_answer
from bot.intake.schema import fact_specs


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("186.2047.5513", "18620475513"),
        ("电话186.2047.5513", "18620475513"),
        ("139.0776.4521", "13907764521"),
        ("我叫王芳，手机139。0776。4521", "13907764521"),
        ("电话 186 . 2047 . 5513，老板欠我三万", "18620475513"),
        ("联系方式：1862.047.5513", "18620475513"),
        ("１８６．２０４７．５５１３", "18620475513"),  # full-width digits and dot
    ],
)
def test_a_mobile_number_in_dotted_groups(text: str, phone: str) -> None:
    (fact,) = facts_of(text, "phone")
    assert (fact.value, fact.valid, fact.extra["kind"]) == (phone, True, "mobile")
    assert facts_dict(text)["phone"] == phone
    entities = [f.as_entity() for f in extract_facts(text)]
    assert read_answer(fact_specs()["phone"], text, "inform", entities).value == phone


@pytest.mark.parametrize(
    "text",
    [
        "借了1.5万",
        "2026.12.05开庭",
        "版本13.0.776",
        "IP是192.168.100.101",
        "欠款186.2047.5513元",  # a sum, whatever its digits
        "¥186.2047.5513",
        "v139.0776.4521",
        "186.2047.5513.1",  # a longer dotted run
        "123.4567.8901",  # not a mobile number
        "186.2047.551",  # ten digits
    ],
)
def test_dotted_numbers_that_are_no_phone(text: str) -> None:
    assert values_of(text, "phone") == []


def test_a_decimal_sum_stays_a_sum() -> None:
    assert facts_dict("借了1.5万")["amount"] == 15000


def test_a_dotted_phone_corrected_after() -> None:
    assert facts_dict("186.2047.5513，不对，最后是5531")["phone"] == "18620475531"
