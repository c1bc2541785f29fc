"""One intake turn at a time, as plain Python (no Rasa): what is asked, filled, re-asked."""

from __future__ import annotations

from typing import Any

import pytest

from bot.facts import extract_facts
from bot.intake import dialogue, schema, story_sums
from bot.intake.summary import confirmation_text
from bot.intake.turn import Turn
from tests.intake.helpers import told_sum


def entities(text: str) -> list[dict[str, Any]]:
    return [f.as_entity() for f in extract_facts(text)]


def ranking(*pairs: tuple[str, float]) -> list[dict[str, Any]]:
    return [{"name": n, "confidence": c} for n, c in pairs]


def start(text: str, intent: str = "dispute_wage_arrears", confidence: float = 0.95, slots=None) -> Turn:
    rank = ranking((intent, confidence), ("dispute_labor", 0.03))
    return dialogue.start_intake(
        text, {"name": intent, "confidence": confidence}, rank, entities(text), slots or {}
    )


def answer(slots: dict[str, Any], requested: str, text: str, intent: str = "inform") -> Turn:
    turn = dialogue.answer_turn(slots, requested, text, intent, entities(text))
    assert turn is not None
    return turn


def test_first_message_facts_are_kept_and_not_asked_again() -> None:
    turn = start("包工头老王欠我们十五个人去年十月到今年三月的工钱三万五，在小店区")
    slots = {**turn.updates, "consent": False}
    assert slots["category"] == "wage_arrears"
    assert told_sum(slots) == 35000
    assert slots["headcount"] == 15
    assert slots["counterparty"] == "包工头老王"
    assert "2025-10-01" in slots["period"]
    assert "小店区" in slots["location"]
    missing = [s for s in schema.required_slots("wage_arrears", False) if slots.get(s) is None]
    # everything that changes the handling was told: only the sum is asked, to be confirmed, then the
    # summary (evidence is kept when said, never asked)
    assert missing == ["amount_yuan", "confirmed"]
    assert story_sums.held_figure(slots) == "35000元"
    assert ("utter_category_identified", {"category_name": "欠薪"}) in turn.responses


def test_personal_data_is_not_taken_before_consent() -> None:
    turn = start("我叫王建国，电话13912345678，老板欠我工资两万")
    assert turn.updates.get("applicant_name") is None
    assert turn.updates.get("phone") is None
    assert told_sum(turn.updates) == 20000


def test_close_scores_leave_the_category_to_the_citizen() -> None:
    rank = ranking(("dispute_labor", 0.48), ("dispute_wage_arrears", 0.41), ("greet", 0.02))
    turn = dialogue.start_intake("公司不给钱还把我开了", rank[0], rank, [], {})
    assert turn.updates["category"] is None
    assert turn.updates["category_candidates"] == ["labor", "wage_arrears"]


@pytest.mark.parametrize(
    ("text", "intent", "expected"), [("同意", "affirm", True), ("不同意", "deny", False)]
)
def test_consent(text: str, intent: str, expected: bool) -> None:
    turn = answer({"category": "family"}, "consent", text, intent)
    assert turn.updates["consent"] is expected


def test_consent_unclear_is_asked_once_then_anonymous() -> None:
    first = answer({"category": "family"}, "consent", "啥意思", "out_of_scope")
    assert first.updates["consent"] is None
    assert first.responses == [("utter_reask_consent", {})]
    second = answer({"category": "family", **first.updates}, "consent", "嗯？", "out_of_scope")
    assert second.updates["consent"] is False


def test_a_question_about_consent_is_answered_and_does_not_use_up_the_reask() -> None:
    first = answer({"category": "family"}, "consent", "为什么要我的电话？", "out_of_scope")
    assert first.updates["consent"] is None
    assert first.responses == [("utter_consent_why", {})]
    assert "consent" not in (first.updates.get("reasked") or [])
    second = answer({"category": "family", **first.updates}, "consent", "好吧同意", "affirm")
    assert second.updates["consent"] is True


def test_ten_digit_phone_gets_one_kind_reask_with_a_hint() -> None:
    slots = {"category": "debt", "consent": True}
    turn = answer(slots, "phone", "1391234567")
    assert turn.updates["phone"] is None
    assert turn.responses == [("utter_reask_phone", {})]
    turn = answer({**slots, **turn.updates}, "phone", "139 1234 5678")
    assert turn.updates["phone"] == "13912345678"


def test_unknown_amount_is_reasked_once_then_recorded_unknown() -> None:
    slots = {"category": "debt", "consent": False}
    turn = answer(slots, "amount_yuan", "不知道")
    assert turn.updates["amount_yuan"] is None
    assert turn.responses == [("utter_reask_amount", {})]
    turn = answer({**slots, **turn.updates}, "amount_yuan", "真不清楚")
    assert turn.updates["amount_yuan"] == schema.unknown_marker()


def test_optional_fact_accepts_a_skip_at_once() -> None:
    turn = answer({"category": "wage_arrears", "consent": False}, "demand", "跳过")
    assert turn.updates["demand"] == schema.unknown_marker()
    assert turn.responses == []


def test_an_answer_can_fill_other_facts_too() -> None:
    turn = answer({"category": "wage_arrears", "consent": False}, "amount_yuan", "一共六万八，我们二十多个人")
    assert turn.updates["amount_yuan"] == 68000
    assert turn.updates["headcount"] == 20


@pytest.mark.parametrize("intent", ["ask_human", "restart", "danger", "bot_challenge", "goodbye"])
def test_interruptions_are_left_to_the_rules(intent: str) -> None:
    assert dialogue.answer_turn({"category": "labor"}, "counterparty", "转人工", intent, []) is None


def test_correction_at_confirmation_updates_the_summary() -> None:
    slots = {
        "category": "debt",
        "consent": True,
        "applicant_name": "李娜",
        "phone": "13912345678",
        "counterparty": "朋友张三",
        "amount_yuan": 50000,
        "period": "去年",
    }
    turn = answer(slots, "confirmed", "电话写错了，是13800001111", "correct")
    assert turn.updates["phone"] == "13800001111"
    assert turn.updates["confirmed"] is None
    assert "13800001111" in confirmation_text({**slots, **turn.updates})


def test_amount_correction_by_name() -> None:
    slots = {"category": "debt", "consent": False, "counterparty": "朋友", "amount_yuan": 50000}
    turn = answer(slots, "confirmed", "金额不对，是三万", "correct")
    assert turn.updates["amount_yuan"] == 30000


def test_confirm_and_deny() -> None:
    slots = {"category": "debt", "consent": False}
    assert answer(slots, "confirmed", "确认", "affirm").updates["confirmed"] is True
    turn = answer(slots, "confirmed", "不对", "deny")
    assert turn.updates["confirmed"] is None
    assert turn.responses == [("utter_ask_what_to_change", {})]


def test_wrong_category_goes_back_to_the_category_question() -> None:
    turn = answer({"category": "debt", "consent": False}, "confirmed", "类别不对", "deny")
    assert turn.updates["category"] is None


def test_every_category_asks_from_the_taxonomy() -> None:
    for code in (
        "wage_arrears",
        "labor",
        "family",
        "property",
        "neighbor",
        "debt",
        "traffic",
        "land",
        "other",
    ):
        with_consent = [s for s in schema.required_slots(code, True) if s != "sub_type"]
        without = schema.required_slots(code, False)
        assert with_consent[:4] == ["category", "consent", "applicant_name", "phone"]
        assert "phone" not in without and without[-1] == "confirmed"


def test_hotline_number_is_taken_after_consent_not_asked() -> None:
    phone = dialogue.channel_phone("hotline", "13912345678")
    assert phone == "13912345678"
    assert dialogue.channel_phone("rest", "13912345678") is None
    turn = dialogue.answer_turn({"category": "debt"}, "consent", "同意", "affirm", [], known_phone=phone)
    assert turn is not None and turn.updates["phone"] == "13912345678"
    declined = dialogue.answer_turn({"category": "debt"}, "consent", "不同意", "deny", [], known_phone=phone)
    assert declined is not None and "phone" not in declined.updates


@pytest.mark.parametrize(
    ("story", "amount"),
    [
        ("老闆欠我們薪水4萬，喔不對，是4萬2，每次去問都說下個月", 42000),
        ("前年借给朋友五万块钱，不对，是六万，我记岔了，一直不还", 60000),
        ("定亲给了十八万八彩礼，哦不对，是十六万八，那两万是买三金的另算，现在女方悔婚不退", 168000),
        ("看病两年花了两万多，哦不对，光去年就两万多了，总共得三万多，哥哥们都不管", 30000),
        ("老板欠我工资，是三千，不是五千，拖了两个月", 3000),
    ],
)
def test_the_sum_a_citizen_corrects_to_is_the_one_kept(story: str, amount: int) -> None:
    turn = start(story)
    assert told_sum(turn.updates) == amount


@pytest.mark.parametrize(
    ("said", "amount"),
    [("5600，两个月的", 5600), ("一年物业费2760", 2760), ("一个月三百", 300), ("3000左右吧", 3000)],
)
def test_a_bare_figure_or_a_rate_answers_the_money_question(said: str, amount: int) -> None:
    slots = {**start("老板拖着工资不发").updates, "consent": False}
    turn = answer(slots, "amount_yuan", said)
    assert turn.updates["amount_yuan"] == amount
    assert not any("reask" in name for name, _ in turn.responses)


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("同意，我叫石凤霞，是他媳妇", {"applicant_name": "石凤霞"}),
        ("同意，电话就是15923481706", {"phone": "15923481706"}),
        ("好的，我姓钱，叫钱桂兰，手机13812345678", {"applicant_name": "钱桂兰", "phone": "13812345678"}),
    ],
)
def test_a_yes_with_contact_details_is_consent_and_keeps_them(said: str, expected: dict[str, str]) -> None:
    slots = {**start("老板拖着工资不发").updates}
    turn = answer(slots, "consent", said)
    assert turn.updates["consent"] is True
    for name, value in expected.items():
        assert turn.updates[name] == value


@pytest.mark.parametrize("said", ["可以不留名字吗", "不同意，匿名吧", "好像不太方便"])
def test_a_hesitation_is_not_consent(said: str) -> None:
    slots = {**start("老板拖着工资不发").updates}
    assert answer(slots, "consent", said).updates.get("consent") is not True


def test_not_knowing_a_yes_no_answer_is_taken_at_once() -> None:
    slots = {**start("老板不给我交社保，合同上写了交五险").updates, "consent": False}
    turn = answer(slots, "contract_signed", "不清楚")
    assert turn.updates["contract_signed"] == "不清楚"
    assert not turn.responses


def test_a_date_that_only_its_own_question_gives_meaning_to_is_not_filled_from_a_story() -> None:
    turn = start("房东要收回房子，押金两个月不退，我怀孕七个月了", intent="dispute_property")
    slots = {**turn.updates, "consent": False}
    later = answer(slots, "amount_yuan", "押金两个月，六千块")
    filled = {**turn.updates, **later.updates}
    assert filled["amount_yuan"] == 6000
    assert filled.get("dismissal_date") is None and filled.get("accident_date") is None


@pytest.mark.parametrize(
    ("story", "amount"),
    [
        ("他一共借了二十万，还了一些，现在找我要剩下的十二万", 120000),
        ("修车三千五……哦不是，4S店报价单上写的三千八", 3800),
        ("已经还了一万，还欠两万没还", 20000),
        ("老板垫了五千块就不管了，医药费都花了快四万了", 40000),
    ],
)
def test_the_sum_still_owed_is_kept_not_what_was_paid(story: str, amount: int) -> None:
    assert told_sum(start(story, intent="dispute_debt").updates) == amount


def test_an_advance_alone_is_not_the_sum_in_dispute() -> None:
    assert (
        start("老板垫了五千块就不管了，也不给报工伤", intent="dispute_labor").updates["amount_yuan"] is None
    )


def test_damage_only_is_told_apart_from_an_injury() -> None:
    from bot.intake import subtypes

    assert subtypes.detect("traffic", "出租车闯红灯把我车头撞烂了，没人受伤") == "damage"
    assert subtypes.detect("traffic", "车停在停车场被人倒车撞了") == "damage"
    assert subtypes.detect("traffic", "我被电动车撞了，腿骨折住院") == "injury"


@pytest.mark.parametrize("said", ["就我", "只有俺", "我一人", "就我自己"])
def test_the_citizen_alone_is_a_headcount_of_one(said: str) -> None:
    slots = {**start("老板拖着工资不发").updates, "consent": False}
    assert answer(slots, "headcount", said).updates["headcount"] == 1


@pytest.mark.parametrize(
    "story",
    [
        "在车间被机器轧了手，老板只给了三千块就再没露面",
        "怀孕以后公司把我调去仓库，工资从七千降到三千二",
        "他说好包吃住，月薪从五千砍到三千五，我不同意",
    ],
)
def test_a_partial_payment_or_a_level_of_pay_is_not_the_sum_and_the_question_is_asked(story: str) -> None:
    assert start(story, intent="dispute_labor").updates.get("amount_yuan") is None


def test_money_the_citizen_paid_out_stays_the_sum() -> None:
    assert (
        told_sum(start("订婚时我们给了女方八万八彩礼，现在她家悔婚", intent="dispute_family").updates)
        == 88000
    )


def test_a_village_answer_is_kept_as_said_not_read_as_another_province() -> None:
    from bot.facts.extract import extract_facts
    from bot.intake.answers import read_answer
    from bot.intake.schema import fact_specs

    def where(text: str) -> object:
        found = [
            {"entity": f.entity, "value": f.value, "start": f.start, "end": f.end, "text": f.text}
            for f in extract_facts(text)
        ]
        return read_answer(fact_specs()["location"], text, "inform", found).value

    assert where("桃园村") == "桃园村"
    assert where("小店区坞城街道") == "山西省太原市小店区坞城街道"
