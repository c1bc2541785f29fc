"""Questions asked where the answer is never a question (consent, category, confirmation), yes in
dialect at the confirmation, and a confirmation that never becomes clear (blind round 8's loops)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.facts import extract_facts
from bot.intake import opening, questions
from bot.intake.summary import staff_summary
from bot.questions import is_question
from tests.intake.helpers import answer

FAMILY = {"category": "family", "sub_type": "elder_support", "description": "三个儿子都不给生活费"}


@pytest.mark.parametrize(
    "text",
    [
        "俺腿脚不好 去恁那儿远不远",
        "恁遐有講閩南話的人無？",
        "伊拉真个好停阿拉水电伐？",
        "Can I upload 截图 here?",
    ],
)
def test_a_question_at_the_consent_is_answered_and_never_taken_for_a_no(text: str) -> None:
    turn = answer(FAMILY, "consent", text)
    assert turn.question == text
    assert turn.updates["consent"] is None
    assert "consent" not in turn.updates["reasked"]  # not the one unclear answer before anonymity
    assert turn.responses == []  # the action answers it (consultation), then the form asks again


@pytest.mark.parametrize(
    ("step", "text"), [("applicant_name", "对了你们中心附近有没有停车的地方？"), ("phone", "座机行不行？")]
)
def test_a_question_at_the_name_or_the_phone_is_answered_not_taken_for_the_answer(
    step: str, text: str
) -> None:
    turn = answer({**FAMILY, "consent": True}, step, text)
    assert turn.question == text and not turn.updates.get(step)


@pytest.mark.parametrize(
    ("step", "text"),
    [("applicant_name", "我叫王秀英，这样写可以吗？"), ("phone", "13912345678，打这个能找到我吗")],
)
def test_a_name_or_a_phone_asked_about_is_still_the_answer(step: str, text: str) -> None:
    turn = answer({**FAMILY, "consent": True}, step, text, "inform")
    assert turn.question is None


def test_a_question_the_classifier_reads_as_a_no_is_no_refusal_of_consent() -> None:
    turn = answer(FAMILY, "consent", "对评估不满意是不是要申请复核？有没有期限？", "deny")
    assert turn.question is not None and turn.updates["consent"] is None
    assert answer(FAMILY, "consent", "不行", "deny").updates["consent"] is False
    husband = answer(FAMILY, "consent", "他不同意离婚的话怎么办是不是只能去法院", "deny")
    assert husband.question is not None and husband.updates["consent"] is None


def test_questions_at_one_step_are_answered_twice_then_count_as_unclear() -> None:
    slots = dict(FAMILY)
    for _ in range(2):
        turn = answer(slots, "consent", "你们那里远不远啊？")
        assert turn.question is not None
        slots.update(turn.updates)
    third = answer(slots, "consent", "你们那里远不远啊？")
    assert third.question is None
    assert third.responses == [("utter_reask_consent", {})]


@pytest.mark.parametrize("text", ["可以吗？", "好的，同意吗？不同意也行吧", "为什么要我电话？"])
def test_a_question_that_answers_the_consent_is_read_as_an_answer(text: str) -> None:
    assert answer(FAMILY, "consent", text).question is None


def test_a_question_at_the_category_step_picks_no_category() -> None:
    turn = answer(
        {"description": "我弟把老娘锁在老房子里"}, "category", "能不能现在就让村里的人过去？", "dispute_land"
    )
    assert turn.question is not None
    assert turn.updates["category"] is None


def test_a_category_named_in_a_question_is_taken() -> None:
    turn = answer({"description": "厂里不给交社保"}, "category", "这算劳动争议吗？", "inform")
    assert turn.question is None
    assert turn.updates["category"] == "labor"


@pytest.mark.parametrize(
    "text",
    ["对个", "著啦", "著，無毋著", "中 是这", "是嘞", "对头，就是这个", "好个", "好额", "能成", "成，同意"],
)
def test_yes_in_dialect_confirms(text: str) -> None:
    turn = answer({**FAMILY, "consent": True}, "confirmed", text, "nlu_fallback")
    assert turn.updates["confirmed"] is True


@pytest.mark.parametrize("text", ["着急死了", "就是他不还钱", "好多地方不对"])
def test_words_that_only_begin_like_a_yes_do_not_confirm(text: str) -> None:
    assert answer({**FAMILY, "consent": True}, "confirmed", text, "nlu_fallback").updates["confirmed"] is None


def test_a_confirmation_that_never_becomes_clear_is_filed_for_staff_to_check() -> None:
    slots: dict[str, Any] = {**FAMILY, "consent": True}
    for _ in range(3):
        turn = answer(slots, "confirmed", "嗯那个啥", "nlu_fallback")
        assert turn.updates["confirmed"] is None
        slots.update(turn.updates)
    fourth = answer(slots, "confirmed", "嗯那个啥", "nlu_fallback")
    assert fourth.updates["confirmed"] is True
    assert fourth.responses == [("utter_filed_unconfirmed", {})]
    summary = staff_summary({**slots, **fourth.updates})
    assert "群众未明确确认登记内容（回复：嗯那个啥）" in summary


def test_questions_kept_for_staff_appear_in_the_summary_once() -> None:
    slots = {**FAMILY, **questions.kept({}, "有会讲闽南话的人吗？")}
    slots.update(questions.kept(slots, "有会讲闽南话的人吗？"))
    summary = staff_summary(slots)
    assert summary.count("群众提问（待答复）：有会讲闽南话的人吗？") == 1


def test_the_same_unanswerable_question_again_is_registered_as_other() -> None:
    reply = "这个问题我记下了…"
    assert opening.question_registered("身份证丢了去哪补办？", reply, ["欢迎"], {}) is None
    turn = opening.question_registered("身份证丢了去哪补办？", reply, [reply, "请先说说纠纷"], {})
    assert turn is not None
    assert turn.updates["category"] == "other"
    assert turn.updates["description"] == "身份证丢了去哪补办？"
    assert turn.updates["citizen_questions"] == ["身份证丢了去哪补办？"]  # for staff to answer


def test_no_registration_while_an_intake_is_under_way() -> None:
    reply = "这个问题我记下了…"
    assert opening.question_registered("有人讲闽南话吗？", reply, [reply], FAMILY) is None


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("调解不成能上法院告他不", True),
        ("他就是不管", False),
        ("无", False),
        ("请问几点上班", True),
        ("我不", False),
        ("星期天你们上不上班", True),
        ("借的钱他到底还不还", True),
    ],
)
def test_is_question(text: str, asks: bool) -> None:
    assert is_question(text) is asks


def test_giving_up_at_the_confirmation_is_never_filed() -> None:
    slots: dict[str, Any] = {**FAMILY, "consent": True}
    for _ in range(5):
        turn = answer(slots, "confirmed", "算了", "nlu_fallback")
        assert turn.updates["confirmed"] is None
        slots.update(turn.updates)


def test_the_relation_answer_names_the_other_party_once() -> None:
    slots = {"category": "family", "sub_type": "divorce", "consent": True}
    turn = answer(slots, "relationship", "我先生，何志远", "inform")
    assert turn.updates["relationship"] == "我先生，何志远"
    assert turn.updates["counterparty"] == "我先生，何志远"  # not asked as a second question
    assert answer(slots, "relationship", "夫妻", "inform").updates.get("counterparty") is None


@pytest.mark.parametrize(
    ("text", "none"),
    [
        ("没算钱，就要他修电梯", True),
        ("老板不给钱", False),
        ("不图钱，要个说法", True),
        ("钱的事先不说，主要是房子", True),
        ("没啥钱的事", True),
        ("钱不钱的俺不在乎，叫他把猪圈挪走就行", True),
        ("赔不赔都无所谓，道个歉就行", True),
        ("錢唔緊要，佢停咗嘈就得", True),
        ("钱多钱少无所谓，但至少赔我两千", False),
    ],
)
def test_money_named_only_to_say_it_is_not_the_point(text: str, none: bool) -> None:
    from bot.intake import subtypes

    assert subtypes.no_money(text) is none


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("俺腿脚不好 去恁那儿远不远", "address"),
        ("我 不会 弄 手机  能 让 我 孙子 帮我 去吗", "online"),
        ("调解要钱不", "cost"),
        ("恁遐有講閩南話的人無？", None),
    ],
)
def test_a_question_names_its_topic_in_words(question: str, topic: str | None) -> None:
    from bot.intake.consultation import topic_by_words

    assert topic_by_words(question) == topic


def test_a_question_about_calling_the_police_is_answered_with_110_whatever_the_selector_heard() -> None:
    from bot.intake.consultation import answer, chosen_topic
    from bot.tickets.profiles import current_profile

    assert chosen_topic("cost", "我现在要报警吗？") == "police"
    assert chosen_topic("cost", "调解要钱吗") == "cost"
    assert chosen_topic(None, "调解要钱吗") == "cost"
    assert "110" in answer(current_profile(), "police", "我现在要报警吗？")


def test_every_yes_word_is_read_as_text() -> None:
    """YAML reads a bare yes as true: the word list must keep it as the word."""
    from bot.intake.schema import yes_words

    assert "yes" in yes_words()
    assert all(isinstance(w, str) and w not in ("True", "False") for w in yes_words())


@pytest.mark.parametrize("text", ["agree", "yes，没问题", "Yes✅", "好个"])
def test_yes_in_english_and_emoji(text: str) -> None:
    from bot.intake.yes import says_yes

    assert says_yes(text)


def test_a_name_and_a_phone_with_a_matter_of_ones_own_is_no_lost_message() -> None:
    text = "我 叫 杨 春 华 电话 135 9372 0418 户口 在 老家 乡里 人 在 县城 住 证件 能 在 县城 办 吗"
    entities = [f.as_entity() for f in extract_facts(text)]
    assert opening.reads_as_dispute(text, [], entities)
    short = "你好，我叫王芳，电话13812345678，我想咨询一下"
    assert not opening.reads_as_dispute(short, [], [f.as_entity() for f in extract_facts(short)])


@pytest.mark.parametrize(
    "story",
    [
        "邻居家的狗把我家两只羊咬死了，他说羊是自己跑过去的",
        "我和老公分居两年了想离婚，家里的存款他一分都不想分",
        "上游的鱼塘放水，把我家两亩秧苗全淹死了",  # a crop lost is money
        "隔壁烧荒把我家的果树烧坏了一排",
    ],
)
def test_damage_or_property_to_divide_puts_money_in_the_story(story: str) -> None:
    from bot.intake import subtypes

    assert subtypes.money_in_story(story)


def test_a_question_at_the_category_question_goes_back_to_the_intake_not_to_the_offer() -> None:
    from bot.intake.consultation import answer
    from bot.tickets.profiles import current_profile

    profile = current_profile()
    asked = answer(profile, "scope", "医疗纠纷你们管不管？", [], {"description": "医院多收了四万医药费"})
    assert asked.endswith(profile.text("consult_back_to_intake"))
    before = answer(profile, "scope", "你们管什么事？", [], {})
    assert before.endswith(profile.text("consult_offer"))


def test_a_question_no_topic_fits_is_kept_and_one_answered_is_not() -> None:
    from bot.intake.consultation import reply_to
    from bot.tickets.profiles import current_profile

    profile = current_profile()
    reply, kept = reply_to(profile, None, "有会讲闽南话的人吗？", [], FAMILY)
    assert reply.startswith("这个问题我记下了") and kept == {"citizen_questions": ["有会讲闽南话的人吗？"]}
    reply, kept = reply_to(profile, "cost", "要钱吗？", [], FAMILY)
    assert "免费" in reply and kept == {}
