"""Round 12's answer gaps, in other words: a phone tail corrected in digits, the citizen alone (就我自个儿)
or the speaker's group (额们三个), the own name after a role, the sum claimed over what the other side
paid or offered, a unit price's total, a sum over a rate, and the sum restated after 算错了."""

from __future__ import annotations

from typing import Any

import pytest

from bot.facts import extract_facts
from bot.intake import dialogue
from bot.intake.answers import facts_from_entities, is_approximate, read_answer
from bot.intake.schema import fact_specs
from tests.intake.helpers import told_sum


def entities(text: str) -> list[dict[str, Any]]:
    return [f.as_entity() for f in extract_facts(text)]


def read(fact: str, text: str) -> Any:
    return read_answer(fact_specs()[fact], text, "inform", entities(text)).value


@pytest.mark.parametrize(
    ("said", "phone"),
    [
        ("152 6677 3091，哎不对，最后是3019", "15266773019"),
        ("139 0011 2248，嫑急，最后一位打错咧，是2249", "13900112249"),
        ("13633335555，唉说错了，最后两位是66", "13633335566"),
    ],
)
def test_a_phone_tail_corrected_in_digits(said: str, phone: str) -> None:
    assert read("phone", said) == phone


@pytest.mark.parametrize(
    ("said", "count"),
    [
        ("就我自个儿", 1),
        ("我自个一个人", 1),
        ("俺自己一个", 1),
        ("就额自己", 1),
        ("额们三个", 3),
        ("俺们六个人", 6),
        ("额们村四家", 4),
    ],
)
def test_the_headcount_answer_alone_or_as_a_group(said: str, count: int) -> None:
    assert read("headcount", said) == count


@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("我是石榴村五组的组长姜永福", "姜永福"),
        ("我是村里的会计邓春花", "邓春花"),
        ("我是这个小区的业主代表曹亮", "曹亮"),
    ],
)
def test_the_own_name_after_a_role_is_never_a_place(said: str, name: str) -> None:
    assert read("applicant_name", said) == name


@pytest.mark.parametrize(
    ("said", "amount"),
    [
        ("厂里先拿了八千…后面康复啥的得要三万来块，老板不认", 30000),
        ("对方说不是他的责任，只愿意出一千。我问了修车行，修好得五千多", 5000),
        ("保险公司只肯赔三千，医药费算下来一共一万二", 12000),
        ("老板只认五千，我算了应该是七千八", 7800),
    ],
)
def test_the_first_message_sum_is_the_claim_not_the_offer(said: str, amount: int) -> None:
    filled = facts_from_entities(entities(said), fact_specs(), ["amount_yuan"], said)
    assert filled["amount_yuan"] == amount


def test_an_offer_alone_is_still_not_read_as_something_else() -> None:
    said = "对方只愿意出两千，别的不管"
    assert facts_from_entities(entities(said), fact_specs(), ["amount_yuan"], said) == {"amount_yuan": 2000}


def test_a_claimed_rough_sum_in_the_first_message_is_approximate() -> None:
    said = "包工头就给了两千，剩下的工钱算下来得有一万多"
    ents = entities(said)
    assert facts_from_entities(ents, fact_specs(), ["amount_yuan"], said) == {"amount_yuan": 10000}
    assert is_approximate(ents, fact_specs()["amount_yuan"])


def test_the_claim_over_the_offer_in_a_started_intake() -> None:
    said = "干了三个月，老板只肯给三千，我算下来一共得九千多"
    intent = {"name": "dispute_wage_arrears", "confidence": 0.95}
    turn = dialogue.start_intake(said, intent, [intent], entities(said), {})
    assert told_sum(turn.updates) == 9000  # held for the citizen to confirm
    assert turn.updates["story_amount"]["approx"]


@pytest.mark.parametrize(
    ("said", "amount"),
    [
        ("一只鸭八十块，死了五只，四百，就要这个数", 400),
        ("一袋化肥一百二，拉走八袋，九百六", 960),
        ("每斤两块五，一共四百斤，一千", 1000),
        ("每斤三块，一共两千斤，六千", 6000),
    ],
)
def test_the_total_after_a_unit_price(said: str, amount: int) -> None:
    assert read("amount_yuan", said) == amount


@pytest.mark.parametrize(
    ("said", "amount"),
    [
        ("7200，三个月，每月2400", 7200),
        ("4500，一个月1500，干了三个月", 4500),
        ("两万三……不对我算错了，中间预支过三千，是两万", 20000),
        ("九千六，等下说错了，他借支过一千，应该是八千六", 8600),
    ],
)
def test_the_sum_over_a_rate_or_an_advance(said: str, amount: int) -> None:
    assert read("amount_yuan", said) == amount


def test_a_rate_alone_is_still_the_answer() -> None:
    assert read("amount_yuan", "每月3400") == 3400
