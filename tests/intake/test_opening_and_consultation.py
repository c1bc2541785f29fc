"""Issue 14: a story told as an answer starts the intake with all its facts, contact details given
before consent are confirmed instead of asked again, facts the category does not ask are kept,
misunderstandings offer a way out, and questions about the center are answered from the profile."""

from bot.intake import consultation, dialogue, opening
from bot.intake.summary import confirmation_text
from bot.intake.ticketing import ticket_facts
from bot.tickets.profiles import current_profile
from tests.intake.helpers import told_sum

STORY = "我们班组十几个人在开发区装空调外机，五月干到八月，老板欠了我们十三万没结。我姓马，电话13822715566"
ENTITIES = [
    {"entity": "headcount", "value": 10},
    {"entity": "counterparty", "value": "老板"},
    {"entity": "amount", "value": 130000},
    {"entity": "person_name", "value": "马"},
    {"entity": "phone", "value": "13822715566"},
]
RANKING = [{"name": "inform", "confidence": 0.6}, {"name": "dispute_wage_arrears", "confidence": 0.3}]


def test_a_story_classified_as_an_answer_starts_the_intake_with_its_facts() -> None:
    turn = opening.unsolicited_turn(STORY, RANKING, ENTITIES, {})
    assert turn is not None
    assert turn.updates["category"] == "wage_arrears"
    assert told_sum(turn.updates) == 130000 and turn.updates["headcount"] == 10
    assert turn.updates["description"] == STORY
    # name and phone are held until consent, not recorded
    assert turn.updates.get("phone") is None
    assert turn.updates["held_contact"] == {"applicant_name": "马", "phone": "13822715566"}


def test_a_plain_answer_without_a_dispute_is_not_a_story() -> None:
    assert opening.unsolicited_turn("好的", [{"name": "affirm", "confidence": 0.99}], [], {}) is None


def test_out_of_scope_probability_is_not_a_dispute() -> None:
    ranking = [{"name": "inform", "confidence": 0.5}, {"name": "out_of_scope", "confidence": 0.5}]
    assert (
        opening.unsolicited_turn("我叫王芳", ranking, [{"entity": "person_name", "value": "王芳"}], {})
        is None
    )


def test_after_consent_the_held_phone_is_confirmed_not_asked_again() -> None:
    slots = {"category": "wage_arrears", "held_contact": {"applicant_name": "马", "phone": "13822715566"}}
    consent = dialogue.answer_turn(slots, "consent", "同意", "affirm", [])
    assert consent is not None and consent.updates["consent"] is True
    assert consent.updates["applicant_name"] == "马"
    slots.update(consent.updates)
    question = dialogue.phone_question(slots)
    assert question is not None and "13822715566" in question[0] and "就用这个号码吗" in question[0]
    yes = dialogue.answer_turn(slots, "phone", "是的", "affirm", [])
    assert yes is not None and yes.updates["phone"] == "13822715566"
    other = dialogue.answer_turn(
        slots, "phone", "换成13900001111", "inform", [{"entity": "phone", "value": "13900001111"}]
    )
    assert other is not None and other.updates["phone"] == "13900001111"


def test_money_in_a_family_case_is_kept_on_the_ticket_and_in_the_summary() -> None:
    slots = {"category": "family", "consent": False, "relationship": "夫妻"}
    turn = dialogue.answer_turn(
        slots, "relationship", "我是他老婆，彩礼给了十八万", "inform", [{"entity": "amount", "value": 180000}]
    )
    assert turn is not None and turn.updates["amount_yuan"] == 180000
    slots.update(turn.updates)
    assert ticket_facts(slots)["amount_yuan"] == 180000
    assert "180000元" in confirmation_text(slots)


def test_misunderstanding_offers_a_way_out_and_never_repeats_three_times() -> None:
    slots: dict = {}
    replies = []
    for _ in range(5):
        response, text, buttons = opening.not_understood("nlu_fallback", slots)
        replies.append(response or text)
        slots["misunderstood"] = int(slots.get("misunderstood") or 0) + 1
        if text:
            assert any(b["payload"] == "/ask_human" for b in buttons)
    assert replies[0] == "utter_default"
    assert all(not (a == b == c) for a, b, c in zip(replies, replies[1:], replies[2:], strict=False))


def test_the_second_unclear_category_answer_files_as_other() -> None:
    first = dialogue.answer_turn({}, "category", "随便", "inform", [])
    assert first is not None and first.updates["category"] is None
    second = dialogue.answer_turn({"reasked": first.updates["reasked"]}, "category", "不知道", "inform", [])
    assert second is not None and second.updates["category"] == "other"


def test_consultation_answers_come_from_the_center_profile() -> None:
    profile = current_profile()
    hours = consultation.answer(profile, "hours")
    assert profile.hours in hours
    duration = consultation.answer(profile, "duration")
    assert "13710" in duration and "10天" in duration
    assert "免费" in consultation.answer(profile, "cost")
    divorce = consultation.answer(
        profile,
        "materials",
        "离婚要带什么材料",
        [{"name": "consult", "confidence": 0.97}, {"name": "dispute_family", "confidence": 0.01}],
    )
    assert "结婚证" in divorce and "婚姻家庭" in divorce
    mid_intake = consultation.answer(profile, "cost", slots={"category": "labor"})
    assert mid_intake.endswith("我们接着登记：")


def test_the_topic_is_read_from_the_response_selector() -> None:
    def selector(*ranked: tuple[str, float]) -> dict:
        ranking = [{"intent_response_key": f"consult/{k}", "confidence": c} for k, c in ranked]
        return {"consult": {"response": ranking[0], "ranking": ranking}}

    assert consultation.topic_of(selector(("legal_aid", 0.7), ("lawyer", 0.2))) == "legal_aid"
    assert consultation.topic_of({}) is None
    # hardly preferred: no answer from the selector ("工伤认定是在你们这里办吗" is not about the cost)
    assert consultation.topic_of(selector(("cost", 0.19), ("address", 0.18))) is None
    assert consultation.topic_of(selector(("cost", 0.4), ("address", 0.39))) is None
    assert consultation.chosen_topic(None, "工伤认定要带什么材料") == "materials"


def test_rough_figures_stay_rough_on_the_ticket_and_in_the_summary() -> None:
    entities = [{"entity": "amount", "value": 30000, "approximate": True}]
    slots = {"category": "debt", "sub_type": "loan", "consent": False, "counterparty": "表哥"}
    turn = dialogue.answer_turn(
        {**slots, "requested_slot": "amount_yuan"}, "amount_yuan", "三万出头", "inform", entities
    )
    assert turn is not None and turn.updates["amount_yuan"] == 30000
    assert turn.updates["approximate"] == ["amount_yuan"]
    slots.update(turn.updates)
    facts = ticket_facts(slots)
    assert facts["amount_yuan"] == 30000 and facts["amount_approx"] is True
    assert "约30000元" in confirmation_text(slots)
    exact = dialogue.answer_turn(
        slots, "confirmed", "金额是三万二", "correct", [{"entity": "amount", "value": 32000}]
    )
    assert exact is not None and exact.updates.get("amount_yuan") == 32000
    assert exact.updates["approximate"] is None  # corrected to an exact figure


def test_the_same_consultation_twice_mid_question_is_an_unclear_answer() -> None:
    reply = consultation.answer(current_profile(), "duration", slots={"category": "labor"})
    recent = [reply, "一共涉及多少钱？比如：三万五千元。"]
    assert consultation.taken_as_unclear_answer(reply, recent, "amount_yuan", "duration")
    assert not consultation.taken_as_unclear_answer(reply, ["一共涉及多少钱？"], "amount_yuan", "duration")
    assert not consultation.taken_as_unclear_answer(reply, recent, None, "duration")  # no question pending
    # the same answer given at an earlier step ("具体是哪方面…" between): a new question, answered again
    earlier = [reply, "具体是哪方面的问题？", "登记需要您的姓名和电话……您同意提供吗？"]
    assert not consultation.taken_as_unclear_answer(reply, earlier, "consent", "duration")


def test_two_different_questions_no_topic_fits_are_both_noted_not_an_unclear_answer() -> None:
    """Round 11: "你们中心附近有没有奶茶店" at the name, after another question was noted at the consent,
    recorded the name as unknown."""
    noted = consultation.answer(current_profile(), None, slots={"category": "property"})
    recent = [noted, "请问您怎么称呼？"]
    slots = {"citizen_questions": ["房东不接电话你们能找到她吗"]}
    new, again = "对了你们中心附近有没有奶茶店", "房东不接电话你们能找到她吗"
    assert not consultation.taken_as_unclear_answer(noted, recent, "applicant_name", None, new, slots)
    assert consultation.taken_as_unclear_answer(noted, recent, "applicant_name", None, again, slots)


def test_a_question_that_tells_a_whole_story_starts_the_intake_with_it() -> None:
    question = STORY + "，这种事要准备什么材料？"
    turn = opening.story_with_question(question, RANKING, ENTITIES, {})
    assert turn is not None and turn.updates["category"] == "wage_arrears"
    assert told_sum(turn.updates) == 130000 and turn.updates["description"] == question


def test_a_plain_question_about_materials_starts_nothing() -> None:
    ranking = [{"name": "dispute_family", "confidence": 0.6}]
    assert opening.story_with_question("离婚要带什么材料", ranking, [], {}) is None


def test_a_bare_question_is_asked_but_a_long_one_tells_a_story() -> None:
    weak = [{"name": "out_of_scope", "confidence": 0.4}, {"name": "dispute_labor", "confidence": 0.3}]
    assert not opening.reads_as_dispute("调解要钱不", weak, [])
    assert not opening.reads_as_dispute("星期天你们上不上班", weak, [])
    story = (
        "城北那段路的路灯坏了快一个月了，晚上黑咕隆咚的，井盖也不见了，就拿块破板子盖着，"
        "我送外卖天天走这，昨晚差点连人带车栽进去，打12345一直占线，你们能转一下不"
    )
    assert opening.reads_as_dispute(story, [{"name": "out_of_scope", "confidence": 0.5}, *weak[1:]], [])


def test_a_long_account_of_any_matter_is_registered_not_misunderstood() -> None:
    text = (
        "我是大学生村官，想给县里提个建议：我们村通往镇上的那条路一下雨就全是泥，"
        "村民出行很不方便，能不能列进明年的修路计划，不知道在你们这登记合不合适"
    )
    assert opening.reads_as_dispute(text, [{"name": "out_of_scope", "confidence": 0.7}], [])
    assert not opening.reads_as_dispute("今天天气怎么样", [{"name": "out_of_scope", "confidence": 0.7}], [])
