"""Sums told in parts (bot/facts/sums.py), 陆续 is no six, and 万五 said without its 一: each in
sentences of our own, with what must stay apart."""

from __future__ import annotations

import pytest

from bot.facts.extract import facts_dict


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("送了三趟货，第一趟五千二，第二趟八千，第三趟三千三，钱一直拖着", 16500),
        ("六月三千一，七月两千九，八月三千，三个月的钱都没给", 9000),
        ("彩礼给了十二万，还有金器两万，女方现在不认了", 140000),
        ("押金一千五，外加多交的房租一千二，房东都不退", 2700),
        ("医药费六千，误工费两千四，对方一分没出", 8400),
        ("他先借了我两万，后来又借了八千，一直不还", 28000),
        ("材料款三万加上人工费一万二，老板都没结", 42000),
    ],
)
def test_parts_of_one_claim_are_added(text: str, amount: int) -> None:
    assert facts_dict(text)["amount"] == amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("借了他十万，还了三万，剩下的不还", 70000),  # what is left, not the parts
        ("说好八千，后来只给了五千", 3000),  # a part paid: what is left, not a sum of parts
        ("修车报价三千二，他只肯出两千", 3200),
        ("工资三千，不对，工资三千五", 3500),  # a correction
        ("房子总价八十万，首付二十万", 800000),
        ("彩礼十八万八加三金一万二，一共二十万", 200000),  # the total said wins
        ("每月三千，欠了两个月", 6000),  # a rate is multiplied, not added
    ],
)
def test_sums_that_are_not_parts_stay_apart(text: str, amount: int) -> None:
    assert facts_dict(text)["amount"] == amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("借了一万二，后来陆陆续续还了四千，剩下的拖着", 8000),
        ("工钱他陆续给了两万", 20000),
        ("修门要万五蚊左右", 15000),
        ("车损大概万八块", 18000),
        ("陆万元整", 60000),  # the formal six is still a six
    ],
)
def test_liu_xu_is_no_six_and_wan_wu_is_fifteen_thousand(text: str, amount: int) -> None:
    assert facts_dict(text)["amount"] == amount


def test_wan_wu_without_money_after_it_is_no_sum() -> None:
    assert "amount" not in facts_dict("他住在万五村")
