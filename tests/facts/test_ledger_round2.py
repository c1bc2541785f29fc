"""The sum in dispute reckoned from one message, second round (bot.facts.ledger and the steps that make its
base), in sentences of our own (Mandarin, Cantonese, northern and southern dialects):

- repayments told as the times and then the parts (还了两回，一回八千一回五千 / 分三次还了，每次两千) are
  paid toward the sum said before them;
- rental terms (押二付一, 两按一上) make the rent monthly and the deposit that many months of it; a sum
  kept back (扣了我一千二) is itself the claim.

Both the fact extractor and the intake's answer to the money question must give the same sum."""

from __future__ import annotations

from typing import Any

import pytest

from bot.facts import extract_facts
from bot.facts.extract import facts_dict
from bot.intake.answers import read_answer
from bot.intake.schema import fact_specs


def _answered(text: str) -> Any:
    """The sum the intake keeps from the answer to "一共涉及多少钱？"."""
    entities = [f.as_entity() for f in extract_facts(text)]
    return read_answer(fact_specs()["amount_yuan"], text, None, entities).value


def _both(text: str) -> tuple[Any, Any]:
    return facts_dict(text).get("amount"), _answered(text)


REPAID_IN_INSTALMENTS = [
    # the times, then the parts listed with labels
    ("借给我朋友五万块钱开烧烤店，打了借条，他后来还了两回，一回八千一回五千，去年开始就不还了", 37000),
    ("借给表哥三万块，陆陆续续还过几笔，一笔三千一笔两千，剩下的就拖着", 25000),
    ("他借了我八万，还了两次，第一次一万，第二次五千，后面就说没钱", 65000),
    ("俺借给他两万块，他前后还了三回，头一回五千，第二回三千，第三回两千，剩下的就赖着不给了", 10000),
    ("他借走八千，还了两趟，头趟两千，二趟一千五", 4500),
    # no labels: the parts said one after another, or added up by the citizen
    ("借给邻居一万，他陆续还了好几笔，两千、一千五、一千的", 5500),
    ("钱借给他三万，他零零碎碎还了好几回，加起来七千", 23000),
    # a share each time: that many shares
    ("表弟找我借了两万，分三次还了，每次两千，后面就不还了", 14000),
    ("借给老同学六万，他还过三回，每回一万，现在电话都不接", 30000),
    # handed over by the other side
    ("工钱一万二，老板给过两回，一回两千一回三千", 7000),
    ("货款一共八万，对方分两次打了，每次两万，剩下的一直拖", 40000),
    ("借给他三万，他给过我两回钱，每回五千", 20000),
    ("老板欠了三个月工资，每月四千，给过两回，一回一千一回两千", 9000),  # off a rate times its months
    # dialects: Cantonese 咗, Hunan 哒, Shaanxi 咧
    ("借咗三万蚊俾我老友，佢还咗两次，一次五千，一次三千，之后就冇还过", 22000),
    ("借咗一万蚊俾佢，佢分三次还咗，每次两千蚊", 4000),
    ("借给他四万，他还哒两回，一回五千一回三千，后来人就找不到了", 32000),
    ("他找俺借了一万二，分两回还咧，一回三千，一回两千", 7000),
]


@pytest.mark.parametrize(("text", "amount"), REPAID_IN_INSTALMENTS)
def test_parts_repaid_in_instalments_are_taken_off_the_loan(text: str, amount: int) -> None:
    assert _both(text) == (amount, amount)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("我借给他两回钱，一回八千一回五千，他一分没还", 13000),  # lent twice: the sum itself
        ("借了三回钱给他，每回一万，到现在一分没还", 30000),  # lent three times, a share each
        ("装修款一共八万，我分两次付了，每次两万，他没干完就跑了", 80000),  # the citizen paid
        ("装修款十二万，我分三次付了，每次四万，活干了一半人就跑了", 120000),
        ("借给他五万，他说分三次还，每次还一万多，到现在一分没还", 50000),  # promised, not done
        ("借给他两万，说好分四次还，每次五千，结果一次都没还", 20000),
        ("他欠我一万块，打了三次电话，每次都说没钱", 10000),  # times, but no money in them
        ("我去他家要了三次，每次都说下个月给，欠我两万", 20000),
        ("借出去十万，对方分五次还了，每次一万二，还差四万", 40000),  # what is still owed is said
        ("借给亲戚十万，他断断续续还了三笔，三万、两万、一万，剩下四万他说没钱", 40000),
        ("借给他五万，他还了两回，一回两万，一回三万，全还清了", 50000),  # all paid: nothing left to take
    ],
)
def test_instalments_not_repaid_toward_the_sum_take_nothing_off(text: str, amount: int) -> None:
    assert _both(text) == (amount, amount)


RENTAL_DEPOSITS = [
    # 押N付M: the deposit is N months of the rent, less what came back
    ("押二付一，房租2300，房东说墙要重新刷，最后只退了我800", 3800),
    ("押一付三，月租一千五，押金一分没退", 1500),
    ("押二付一，租金一个月两千五，退房的时候房东一分钱没退", 5000),
    ("押三付一，房租一千二，搬走时一分没退", 3600),
    ("房东收了我押二付一，房租三千五，走的时候一分不退", 7000),
    ("押一付三 租金1800 退租后押金迟迟不退", 1800),
    ("月租两千，押一付三，房东只退了一千押金", 1000),
    ("两按一上，租金每个月四千二，退租嗰阵业主净系退咗三千俾我", 5400),  # Cantonese 两按一上
    ("押金三千，只退了一千", 2000),
    ("房租每月一千，交了押金两千，房东退了五百", 1500),
    # a sum kept back is itself the claim
    ("押金两个月房租，每月1800，扣了我一千二", 1200),
    ("押金是两个月的房租，一个月两千二，扣了我八百", 800),
    ("押金两个月，每月一千八，房东说地板划了扣了八百，退了两千八", 800),
    ("押一付一，房租1600，房东扣了我六百说是卫生费", 600),
    ("两按一上，月租八千五，业主扣咗我两千蚊清洁费", 2000),
    ("押金交了四千，退房时扣了我一千五", 1500),
    ("工资六千，这个月扣了我一千五说是迟到罚款", 1500),
    # the deposit said as a sum, or another month's rent the topic
    ("月租2800，押一付三，押金2800不退", 2800),
    ("押二付一，每个月房租三千，押金六千一直不退", 6000),
    ("押二付一，房租两千，我住了三个月，欠了一个月房租没交", 2000),
]


@pytest.mark.parametrize(("text", "amount"), RENTAL_DEPOSITS)
def test_a_rental_deposit_is_its_months_of_rent_less_what_came_back(text: str, amount: int) -> None:
    assert _both(text) == (amount, amount)


def test_a_rent_said_with_rental_terms_is_monthly_and_the_deposit_its_months() -> None:
    deposit = [f for f in extract_facts("押二付一，房租2300，住了半年") if f.entity == "amount"]
    assert [(f.value, f.extra.get("rate"), f.extra.get("count")) for f in deposit] == [(4600, 2300, 2)]
    plain = [f for f in extract_facts("房租2300，住了半年") if f.entity == "amount"]
    assert [(f.value, f.extra.get("per")) for f in plain] == [(2300, None)]
