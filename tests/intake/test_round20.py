"""Round 20: facts said in passing keep their recognised span; the whole story is no answer."""

from __future__ import annotations

from bot.facts import extract_facts
from bot.intake import consultation, dialogue, opening, schema, story_sums, subtypes
from bot.intake.ticketing import offline_intake, ticket_facts
from bot.tickets.profiles import current_profile
from tests.intake.helpers import answer


def _start(text: str, category: str) -> dict:
    entities = [f.as_entity() for f in extract_facts(text)]
    intent = {"name": f"dispute_{category}", "confidence": 0.9}
    return dialogue.start_intake(text, intent, [intent], entities, {}).updates


def test_the_other_party_named_in_a_story_is_not_the_whole_story() -> None:
    story = "我在华联超市做收银，上个月老板把我调到冷库去搬货，工资还降了一千二，我不肯去，他讲要开除我"
    updates = _start(story, "labor")
    assert updates["counterparty"] == "老板"


def test_a_sum_the_story_settles_is_asked_to_be_confirmed_not_taken_silently() -> None:
    updates = _start("老同学前年借了我五万块，写了借条，说好去年年底还，到现在电话不接", "debt")
    assert updates.get("amount_yuan") is None
    slots = {"category": "debt", "sub_type": "loan", **updates}
    assert story_sums.held_figure(slots) == "50000元"
    # the citizen was paid part since: the figure said now is the sum
    assert (
        answer(slots, "amount_yuan", "借了五万，去年三月他还过八千，现在还欠四万二").updates["amount_yuan"]
        == 42000
    )
    # "对": the story's figure stands, confirmed
    assert answer(slots, "amount_yuan", "对，没错").updates["amount_yuan"] == 50000


def test_an_approximate_story_sum_stays_approximate_when_confirmed() -> None:
    updates = _start("装修师傅来看了，墙上吊顶都泡烂了，修好要八千左右，物业一直推", "property")
    slots = {"category": "property", "sub_type": "management", **updates}
    assert story_sums.held_figure(slots) == "约8000元"
    turn = answer(slots, "amount_yuan", "是的")
    assert turn.updates["amount_yuan"] == 8000
    assert "amount_yuan" in turn.updates["approximate"]


def test_the_ticket_keeps_the_story_sum_when_the_question_is_never_asked() -> None:
    updates = _start("老同学前年借了我五万块，写了借条，说好去年年底还，到现在电话不接", "debt")
    facts = ticket_facts({"category": "debt", "sub_type": "loan", **updates})
    assert facts["amount_yuan"] == 50000


def test_not_sure_to_a_yes_no_question_is_recorded_not_asked_again() -> None:
    slots = {"category": "traffic", "sub_type": "damage", "consent": False}
    for said in ("这玩意儿我整不明白", "这个不太确定", "搞不清楚"):
        turn = answer(slots, "accident_report", said)
        assert turn.updates["accident_report"] == "不清楚", said


def test_a_group_told_without_a_count_is_asked_how_many() -> None:
    story = (
        "俺们组的地前年流转给了一个种植合作社，头一年给了，打去年开始两年一分没给，组里的老少爷们天天找俺要"
    )
    asked = schema.facts_to_ask("land", False, "contract", story)
    assert "headcount" in asked
    # one household's story is not asked how many
    assert "headcount" not in schema.facts_to_ask(
        "land", False, "contract", "俺家的承包地流转给了合作社，两年没给钱"
    )


def test_a_remark_at_the_category_question_is_no_category_outside_the_story() -> None:
    slots = {
        "category": None,
        "category_candidates": ["wage_arrears", "property"],
        "description": "俺们装修干活的钱让老板给扣下了",
    }
    turn = answer(slots, "category", "不光俺一个 还有俺俩表哥跟邻屯仨老爷们儿", "dispute_family")
    assert turn.updates["category"] is None  # asked again
    clicked = answer(slots, "category", "/dispute_family", "dispute_family")
    assert clicked.updates["category"] == "family"  # a button is the citizen's choice
    typed = answer(slots, "category", "欠薪", "dispute_wage_arrears")
    assert typed.updates["category"] == "wage_arrears"


def test_a_remark_is_no_relation_and_a_relation_is_kept_as_said() -> None:
    slots = {"category": "family", "sub_type": "elder_support", "consent": False}
    remark = answer(slots, "relationship", "我不是要告他，就是想让他把钱拿出来")
    assert remark.updates["relationship"] is None
    assert ("utter_reask_relation", {}) in remark.responses
    said = answer(slots, "relationship", "他是我二儿子")
    assert said.updates["relationship"] == "他是我二儿子"
    assert answer(slots, "relationship", "女方老豆叫李振兴").updates["relationship"] == "女方老豆叫李振兴"


def test_a_place_without_a_recognised_entity_taken_for_a_question_is_the_answer() -> None:
    said = "开发区物流园那个分拣中心"
    turn = dialogue.answer_turn(
        {"category": "wage_arrears", "consent": False}, "location", said, "consult", []
    )
    assert turn is not None and turn.updates["location"] == said
    # a question stays a question
    assert (
        dialogue.answer_turn({"category": "wage_arrears"}, "location", "你们中心在哪", "consult", []) is None
    )


def test_a_second_privacy_question_at_the_consent_is_answered_not_taken_as_unclear() -> None:
    reply = consultation.answer(current_profile(), "privacy", slots={"category": "labor"})
    recent = [reply, "登记需要您的姓名和电话……您同意提供吗？"]
    first = "你们先说下信息会不会给到公司？……好吧，那登记吧"
    second = "如果申请仲裁，公司会不会知道是我找的你们"
    assert not consultation.taken_as_unclear_answer(reply, recent, "consent", "privacy", second, {}, [first])
    # a question asked before, again, is a struggle with the question, not a new question
    assert consultation.taken_as_unclear_answer(
        reply, recent, "consent", "privacy", first, {}, [first, second]
    )


def test_sons_owing_their_mother_a_monthly_sum_is_elder_support() -> None:
    story = "老头子走的时候交代了，三个儿子一人一个月给我五百块，老大老三都给着，老二一年了一分没给"
    assert subtypes.detect("family", story) == "elder_support"


def test_a_long_question_naming_a_party_but_no_dispute_is_answered_not_registered() -> None:
    question = (
        "我今年七十四了，眼神不好，这是外孙女帮我打的字。就想问问，你们这个中心是不是老百姓心里有啥疙瘩、"
        "跟人掰扯不清的事都能来说道说道？还是得先去村委会开个证明才让进？"
    )
    ranking = [{"name": "consult", "confidence": 0.83}, {"name": "dispute_family", "confidence": 0.01}]
    entities = [{"entity": "counterparty", "value": "村委会"}]
    assert opening.story_with_question(question, ranking, entities, {}) is None


def test_a_case_filed_when_nobody_is_on_duty_keeps_what_the_citizen_came_for() -> None:
    said = [
        "我想问下个体户营业执照变更法人在你们这办吗",
        "那市场监管局在哪啊",
        "好的",
        "周六上班不",
        "好的",
        "/ask_human",
    ]
    description = offline_intake({}, said)["description"]
    assert description.startswith("我想问下个体户营业执照变更法人") and "周六上班不" in description


def test_an_answer_naming_only_what_was_refunded_keeps_the_reckoned_story_sum() -> None:
    updates = _start("合租单间到期搬走了，押二付一，房租2300，房东说墙要重新刷，最后只退了我800", "property")
    slots = {"category": "property", "sub_type": "rental", **updates}
    assert story_sums.held_figure(slots) == "3800元"
    said = answer(slots, "amount_yuan", "押金就是两个月房租 退了800 剩下的都被扣了")
    assert said.updates["amount_yuan"] == 3800
    # a new sum said is still the answer
    assert answer(slots, "amount_yuan", "其实扣了我两千五").updates["amount_yuan"] == 2500


def test_an_exact_claim_beside_a_rough_cost_is_exact() -> None:
    slots = {"category": "property", "sub_type": "management", "consent": False}
    turn = answer(slots, "amount_yuan", "地板当时装修花了八千多，算了，赔我五千就行")
    assert turn.updates["amount_yuan"] == 5000
    assert "amount_yuan" not in (turn.updates.get("approximate") or [])
    rough = answer(slots, "amount_yuan", "修好要八千左右")
    assert "amount_yuan" in rough.updates["approximate"]


def test_a_question_then_a_go_ahead_at_the_consent_consents_and_is_answered() -> None:
    said = "你们先说下信息会不会给到公司？……好吧，那登记吧"
    turn = dialogue.answer_turn({"category": "labor", "sub_type": "transfer"}, "consent", said, "consult", [])
    assert turn is not None and turn.updates["consent"] is True
    assert turn.question is not None and "会不会给到公司" in turn.question
    # a question alone at the consent is still only a question
    asked = dialogue.answer_turn({"category": "labor"}, "consent", "信息会不会给到公司？", "consult", [])
    assert asked is None
