"""Sub-types: recognised from the story, their own questions, money asked whenever it is in the
story, and the sub-type on the stored ticket with its own materials."""

from pathlib import Path

import pytest

from bot.intake import dialogue, schema, subtypes
from bot.intake.ticketing import build_record
from bot.storage.store import TicketStore


@pytest.mark.parametrize(
    ("category", "story", "expected"),
    [
        ("labor", "在车间干了八年，现在查出来尘肺病，厂里不认", "injury"),
        ("labor", "把我从技术岗调去看大门，工资降了一半", "transfer"),
        ("labor", "公司三年没给我交社保", "social_insurance"),
        ("family", "订婚给了女方十八万八彩礼，现在她悔婚了", "bride_price"),
        ("family", "我爸去世了，大哥把老宅占了不让我们分", "inheritance"),
        ("traffic", "电动车被小轿车撞倒，腿骨折了还在住院", "injury"),
        ("land", "我是外嫁女，户口没迁，村里征地款不给我分", "married_out"),
        ("neighbor", "楼上天天半夜蹦迪，吵得睡不着", "noise"),
        ("debt", "我给表哥借钱做了担保人，他跑了银行找我还", "guarantee"),
        ("wage_arrears", "包工头跑了", "wages"),
        # the rent paid since a house was pulled down is no rental case; dirty water that floods is water
        (
            "property",
            "城中村改造把我家三间平房拆掉了，补偿协议上的钱只给了一半，现在只能租房子住，每月房租一千二",
            "demolition",
        ),
        ("neighbor", "后头那家养鸭子的棚子比我家高，一下雨脏水就流进我家灶屋", "water"),
    ],
)
def test_the_sub_type_is_recognised_from_the_story(category: str, story: str, expected: str) -> None:
    assert subtypes.detect(category, story) == expected


def test_a_story_without_a_sign_of_its_sub_type_is_asked() -> None:
    assert subtypes.detect("labor", "跟公司有点矛盾") is None
    assert "sub_type" in schema.required_slots("labor", False)
    assert "sub_type" not in schema.required_slots("wage_arrears", False)  # one sub-type: nothing to ask
    text, buttons = subtypes.question("labor")
    assert "哪方面" in text and [b["title"] for b in buttons][:2] == ["辞退与补偿", "工伤或职业病"]
    turn = dialogue.answer_turn({"category": "labor"}, "sub_type", "工伤或职业病", "inform", [])
    assert turn is not None and turn.updates["sub_type"] == "injury"


def test_an_occupational_disease_is_not_asked_when_the_dismissal_was() -> None:
    injury = schema.facts_to_ask("labor", False, "injury")
    assert "dismissal_date" not in injury and "period" in injury
    assert "dismissal_date" in schema.facts_to_ask("labor", False, "dismissal")


def test_money_is_asked_whenever_it_is_in_the_story_and_no_money_is_an_answer() -> None:
    plain = schema.facts_to_ask("neighbor", False, "noise", "楼上太吵了")
    with_money = schema.facts_to_ask("neighbor", False, "noise", "楼上太吵了，还把我家玻璃砸了要赔钱")
    assert "amount_yuan" not in plain and "amount_yuan" in with_money
    turn = dialogue.answer_turn(
        {"category": "debt", "sub_type": "goods"}, "amount_yuan", "不涉及钱", "inform", []
    )
    assert turn is not None and turn.updates["amount_yuan"] == dialogue.NO_MONEY


def test_the_ticket_carries_the_sub_type_and_its_materials(tmp_path: Path) -> None:
    store = TicketStore(f"sqlite:///{tmp_path / 'intake.db'}")
    record = build_record(
        "web-sub-1",
        "rest",
        {"category": "family", "sub_type": "bride_price", "consent": False, "description": "彩礼纠纷"},
    )
    ticket = store.file_ticket(record)
    assert ticket["sub_type"] == "bride_price"
    assert "sub_type" not in ticket["facts"]
    assert any("彩礼给付凭证" in m for m in ticket["materials"])
    assert store.get_ticket(ticket["code"])["sub_type"] == "bride_price"
    store.dispose()


@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("闫博文，电话15803716642，微信同号", "闫博文"),
        ("任秀英，家里三口人都靠这几亩田吃饭", "任秀英"),
        ("方志钢，哎打错了，是刚强的刚，方志刚", "方志刚"),
    ],
)
def test_a_name_answer_with_more_after_it_is_read(said: str, name: str) -> None:
    """ "怎么称呼？" answered with the name and something else: the name is taken, not asked again."""
    from bot.intake.answers import read_answer

    assert read_answer(schema.fact_specs()["applicant_name"], said, "inform", []).value == name


def test_words_that_point_two_ways_are_asked_and_the_specific_sub_type_wins() -> None:
    # 物业费 is one word, not 物业 + 物业费: a late handover with fees asked is still a purchase
    assert (
        subtypes.detect("property", "期房拖到今年才交房，开发商不给违约金，还要先交物业费才给钥匙")
        == "purchase"
    )
    # a guarantee is told with a loan; custody with a divorce: the specific one decides
    assert subtypes.detect("family", "离婚时判他每月给抚养费，一年没给") == "custody"
    # nothing decides between two equally named sub-types: the citizen picks one button
    assert subtypes.detect("labor", "公司要辞退我，还说我加班不算") is None


@pytest.mark.parametrize(
    ("category", "story", "asked"),
    [
        ("wage_arrears", "办了张健身年卡，才用了两个月健身房就关门了，卡里还剩三千八", True),
        ("labor", "在口腔诊所种的牙半年就松了，诊所不肯退钱也不肯重做", True),
        ("wage_arrears", "我在学校食堂干活，老板欠了我三个月工资", False),  # its own words: kept
        ("traffic", "被车撞了在医院住着，保险公司不赔", False),
        # a sub-type word is no anchor: a gym shut "for 装修", a heat company's fee, a push at school
        ("property", "美容院说要装修停业一个月，办的年卡还剩两千多不给退", True),
        ("property", "热力公司收了取暖费，屋里才十五度，打电话报修没人来", True),
        ("traffic", "儿子课间被同学推了一下，门牙磕掉了，在医院补牙花了四千", True),
        ("debt", "网上刷单被骗了三万多，有一部分还是网贷", True),
        # the category's own parties said beside an outside word: kept
        ("property", "物业说暖气费涨了，可小区的暖气一直不热", False),
        ("traffic", "送孩子去学校的路上，一辆车把我的电动车撞了", False),
        ("wage_arrears", "我在快递站分拣了四个月，最后一个月工资没给", False),
    ],
)
def test_a_matter_outside_the_categories_is_asked_not_assumed(category: str, story: str, asked: bool) -> None:
    intent = {"name": f"dispute_{category}", "confidence": 0.95}
    ranking = [intent, {"name": "dispute_debt", "confidence": 0.02}]
    turn = dialogue.start_intake(story, intent, ranking, [], {})
    assert (turn.updates["category"] is None) == asked


def test_only_optional_facts_that_change_the_handling_are_asked() -> None:
    from bot.intake import schema

    # a wage claim told in full: nothing optional is asked (evidence is kept when said)
    asked = schema.required_slots("wage_arrears", False, None, "包工头欠我们工钱")
    assert "evidence" not in asked and "demand" not in asked
    # money in a family story: its amount is the one optional question
    assert "amount_yuan" in schema.required_slots("family", False, "inheritance", "老人留下的存款兄弟不肯分")


def test_a_wall_across_the_lane_is_a_boundary_not_a_drain() -> None:
    assert subtypes.detect("neighbor", "邻居砌了一道墙，把我家出门的巷子堵了一半") == "boundary"
    assert subtypes.detect("neighbor", "楼上下水道堵了，污水往我家返") == "water"
