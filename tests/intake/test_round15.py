"""Round 15's dialogue gaps, in sentences of our own: a question told with its reason at the consent is
answered (never a refusal); yes in Hakka and Hunan; 人工 as wages is no call for a person; questions
about the center that only ask in a question; the words of a question beat the selector's topic when
it names none of its own; an intake still asking after an urgent filing is not offered to register."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.facts import extract_facts
from bot.intake import consultation, opening, subtypes
from bot.intake.yes import says_yes
from bot.questions import has_question, last_question
from bot.tickets.profiles import current_profile
from connectors.nlu.answer_detector import supported, taking_over
from tests.intake.helpers import answer

WAGES = {"category": "wage_arrears", "sub_type": "wages", "description": "包工头欠了我们三个人工钱"}


@pytest.mark.parametrize(
    "text",
    [
        "登记收钱不？我们几个兜里真没钱了",
        "要等好久才有结果哦？我月底就要回老家了",
        "你们周末上班吗？平时我走不开",
    ],
)
def test_a_question_with_its_reason_at_the_consent_is_answered_not_a_refusal(text: str) -> None:
    turn = answer(WAGES, "consent", text)
    assert turn.question == text
    assert turn.updates["consent"] is None  # asked again after the answer, not registered anonymously


@pytest.mark.parametrize("text", ["不同意。留电话有什么用？", "我不同意"])
def test_a_no_with_or_without_a_question_is_still_a_no(text: str) -> None:
    assert answer(WAGES, "consent", text).updates["consent"] is False


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("交费吗？家里困难", True),
        ("补办的话要我自己掏钱不咯", True),
        ("这个月工钱又没发。老板说下个月一起给", False),
        ("钱的事先不说了。人没事就好", False),
    ],
)
def test_any_sentence_asking_is_a_question(text: str, expected: bool) -> None:
    assert has_question(text) is expected


@pytest.mark.parametrize("text", ["做得", "使得", "好额", "做得，登记吧", "会使"])
def test_yes_in_hakka_hunan_wu_and_minnan(text: str) -> None:
    assert says_yes(text)


@pytest.mark.parametrize("text", ["做得不好", "使得我好苦"])
def test_words_that_only_begin_like_a_yes_are_none(text: str) -> None:
    assert not says_yes(text)


@pytest.mark.parametrize(
    ("text", "human"),
    [
        ("老细唔俾人工，点算", False),
        ("拖咗我哋人工两个月", False),
        ("佢人工冇出过", False),
        ("转人工", True),
        ("我要人工服务", True),
        ("有没有真的人工？", True),
    ],
)
def test_wages_called_rengong_are_no_call_for_a_person(text: str, human: bool) -> None:
    assert supported({"name": "ask_human", "confidence": 0.6}, text) is human


@pytest.mark.parametrize(
    "text",
    [
        "离婚调解是不是要拿结婚证？还要别的啥不",
        "我在外地打工，老家的事能不能在网上先登记？",
        "想问下你们能处理网购退货这种吗？",
    ],
)
def test_words_that_ask_about_the_center_only_in_a_question_take_over(text: str) -> None:
    taken = taking_over({"name": "dispute_family", "confidence": 0.5}, text)
    assert taken is not None and taken["name"] == "consult"


@pytest.mark.parametrize("text", ["他要拿走我的结婚证", "老板在网上骂我们几个", "他要带孩子回老家"])
def test_the_same_words_in_a_story_do_not(text: str) -> None:
    assert taking_over({"name": "dispute_family", "confidence": 0.5}, text) is None


def test_a_follow_up_asking_on_is_part_of_the_question() -> None:
    assert last_question("房子怎么分有分歧。是不是要带房产证？还要别的不") == "是不是要带房产证？还要别的不"


@pytest.mark.parametrize(
    ("selected", "text", "topic"),
    [
        ("materials", "来调解要不要另外缴钱？", "cost"),
        ("online", "你们中午午休吗？", "hours"),
        ("materials", "离婚要带什么材料，收费吗", "materials"),  # the selector's own words: it stays
        ("duration", "要多久？", "duration"),
    ],
)
def test_the_question_s_words_beat_a_selector_topic_it_never_names(
    selected: str, text: str, topic: str
) -> None:
    assert consultation.chosen_topic(selected, text) == topic


def test_an_intake_still_asking_after_an_urgent_filing_is_not_offered_to_register() -> None:
    profile = current_profile()
    slots = {"category": "wage_arrears", "ticket_code": "X-1", "requested_slot": "consent"}
    reply = consultation.answer(profile, "cost", "要钱吗", [], slots)
    assert profile.text("consult_back_to_intake") in reply
    assert profile.text("consult_offer") not in reply
    done = consultation.answer(
        profile, "cost", "要钱吗", [], {"category": "wage_arrears", "ticket_code": "X-1"}
    )
    assert profile.text("consult_offer") in done


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("楼下天天半夜唱歌，这种可以找你们吗", "neighbor"),
        ("彩礼退不回来的事你们管吗", "family"),
        ("宅基地纠纷能在这里调解吗", "land"),
        ("你们能管什么事", None),
    ],
)
def test_the_case_type_a_question_names(text: str, category: str | None) -> None:
    assert subtypes.named_category(text) == category


def test_a_scope_question_naming_a_case_type_is_told_it_is_handled() -> None:
    profile = current_profile()
    reply = consultation.answer(profile, "scope", "楼下天天半夜唱歌，这种可以找你们吗", [], {})
    assert "「邻里纠纷」问题属于我们受理的范围" in reply
    assert profile.text("consult_scope") in consultation.answer(profile, "scope", "你们都管啥", [], {})


def test_a_question_asked_again_is_registered_in_the_case_type_it_names() -> None:
    slots: dict[str, Any] = {}
    text = "楼下天天半夜唱歌，这种可以找你们吗"
    reply = consultation.answer(current_profile(), "scope", text, [], slots)
    turn = opening.question_registered(text, reply, ["您好", reply], slots)
    assert turn is not None and turn.updates["category"] == "neighbor"


@pytest.mark.parametrize(
    ("text", "ranking", "dispute"),
    [
        (
            "请问在这边怎么办居住证？房东说要有居住证才给我登记",
            [{"name": "out_of_scope", "confidence": 0.8}, {"name": "dispute_property", "confidence": 0.05}],
            False,
        ),
        (
            "房东扣了我三千押金不退。请问这种怎么办？",
            [{"name": "out_of_scope", "confidence": 0.7}, {"name": "dispute_property", "confidence": 0.2}],
            True,
        ),
        (
            "我叫周平，电话13912345678，房东不给办居住证怎么办？",
            [{"name": "out_of_scope", "confidence": 0.8}, {"name": "dispute_property", "confidence": 0.05}],
            True,
        ),
    ],
)
def test_a_question_for_another_office_is_no_story(
    text: str, ranking: list[dict[str, Any]], dispute: bool
) -> None:
    entities = [f.as_entity() for f in extract_facts(text)]
    assert opening.reads_as_dispute(text, ranking, entities) is dispute


@pytest.mark.parametrize(
    "text",
    [
        "我刚搬来县城，想先了解下你们的服务范围",
        "我是外地来的，想知道一下你们都管些啥",
    ],
)
def test_a_sentence_ending_on_a_wish_to_know_asks(text: str) -> None:
    assert has_question(text)
    assert last_question(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "Hi, can you handle 网购退款 cases？还是只管邻居之间的 dispute",
        "乜嘢纠纷都可以搵你哋㗎？定系要去法院",
        "Does your center help foreigners? 我在这边教书，想先了解下你们的服务范围和流程",
    ],
)
def test_scope_questions_in_english_and_cantonese_take_over(text: str) -> None:
    taken = taking_over({"name": "dispute_neighbor", "confidence": 0.4}, text)
    assert taken is not None and taken["name"] == "consult"


def test_a_story_ending_on_a_scope_question_keeps_its_dispute_category() -> None:
    # the take-over moves the dispute to the end of the ranking; the most likely dispute still leads
    ranking = [
        {"name": "consult", "confidence": 0.5},
        {"name": "dispute_labor", "confidence": 0.01},
        {"name": "dispute_neighbor", "confidence": 0.9},
    ]
    assert opening.dispute_ranking(ranking)[0]["name"] == "dispute_neighbor"


def test_the_topic_of_a_story_ending_on_a_question_is_the_question_s() -> None:
    story = "楼上天天半夜蹦迪，我第二天还要上班，敲过门也没用。这种能找你们吗"
    assert consultation.chosen_topic("hours", story) == "scope"


def test_a_question_asked_again_goes_to_the_named_case_type_only_when_told_it_is_handled() -> None:
    text = "社保卡丢了在哪补办，要带啥"
    reply = current_profile().text("consult_materials_any")
    turn = opening.question_registered(text, reply, [reply], {})
    assert turn is not None and turn.updates["category"] == "other"


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("房款一共付了四十万，我算下来违约金一万八左右", 18000),
        ("一个月八百，拖了一年，一年就是九千六", 9600),
        ("base 8000, total 24000", 24000),
        ("卡里存了十五万多，他全取走了，说办丧事，可丧事总共才花两万", 150000),
    ],
)
def test_the_intake_reads_the_sum_the_citizen_reckons_as_the_fact_extractor_does(
    text: str, amount: int
) -> None:
    from bot.facts.extract import facts_dict
    from bot.intake.answers import read_answer
    from bot.intake.schema import fact_specs

    entities = [f.as_entity() for f in extract_facts(text)]
    assert read_answer(fact_specs()["amount_yuan"], text, "inform", entities).value == amount
    assert facts_dict(text)["amount"] == amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("征收补偿说好四十万，只给了二十五万，剩下的一直拖", 150000),  # a part given: what is left
        ("货款一共九千八，佢上个月先俾咗四千", 5800),  # Cantonese 俾咗
        ("修车花了八千，对方司机只垫了三千", 5000),  # the other side's driver advanced part
        ("医药费三万出头，对方保险垫咧一万", 20000),  # 咧 for 了
        ("月租2800，押一付三，押金2800不退", 2800),  # a monthly rent is a rate, not a part of the sum
        ("老房子卖了九十万，兄妹三个，我应该分三十万", 300000),  # the share claimed
        ("说好的补偿按标准是八万，结果只到账六万五，少了一万五", 15000),  # the shortfall
    ],
)
def test_the_sum_left_the_share_claimed_and_the_shortfall(text: str, amount: int) -> None:
    from bot.intake.answers import read_answer
    from bot.intake.schema import fact_specs

    entities = [f.as_entity() for f in extract_facts(text)]
    assert read_answer(fact_specs()["amount_yuan"], text, "inform", entities).value == amount


def test_a_zero_in_a_story_is_no_sum_and_the_question_is_asked() -> None:
    from bot.intake.answers import facts_from_entities
    from bot.intake.schema import fact_specs

    text = "工资条上加班费那栏一直是0，一个月加班八十个小时"
    entities = [f.as_entity() for f in extract_facts(text)]
    assert "amount_yuan" not in facts_from_entities(entities, fact_specs(), ["amount_yuan"], text)


@pytest.mark.parametrize(
    ("kinds", "category", "implied"),
    [
        (("violence",), "family", ("family", "domestic_violence")),
        (("threat",), "family", ("family", "domestic_violence")),
        (("violence",), "neighbor", None),
        (("violence",), None, None),
        (("domestic_violence",), None, ("family", "domestic_violence")),
    ],
)
def test_violence_told_in_a_family_case_is_domestic_violence(
    kinds: tuple[str, ...], category: str | None, implied: tuple[str, str] | None
) -> None:
    assert subtypes.from_risk(kinds, category) == implied


def test_a_question_offering_two_ways_is_a_question() -> None:
    assert has_question("我们几个都得去吗，还是我一个人去就行")
    assert says_yes("行么")


def test_a_family_story_with_violence_chosen_by_button_is_domestic_violence() -> None:
    story = "昨晚他喝醉又揪我头发往墙上撞，还说我敢提离婚就拿刀砍我们全家"
    slots = {"description": story, "category": None}
    turn = answer(slots, "category", "/dispute_family", intent="dispute_family")
    assert turn.updates["category"] == "family" and turn.updates["sub_type"] == "domestic_violence"
    calm = answer(
        {"description": "感情不和想离婚，孩子归谁没谈好"}, "category", "婚姻家庭", intent="dispute_family"
    )
    assert calm.updates["sub_type"] != "domestic_violence"


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("我们两口子加上我小舅子在工地干活，老板欠我们三个人两万多", 3),  # the largest, not the first
        ("车间连我十个人，老王上月辞了，钱也结了，剩下我们九个都没拿到", 9),  # the group left
        ("我和我爸两个人的那份补偿款村里没给", 2),
    ],
)
def test_the_group_the_dispute_is_about(text: str, count: int) -> None:
    from bot.facts.extract import facts_dict
    from bot.intake.answers import facts_from_entities
    from bot.intake.schema import fact_specs

    entities = [f.as_entity() for f in extract_facts(text)]
    assert facts_from_entities(entities, fact_specs(), ["headcount"], text)["headcount"] == count
    assert facts_dict(text)["headcount"] == count


@pytest.mark.parametrize(
    ("text", "human"),
    [
        ("转人工", True),
        ("我不跟机器说话，换人", True),
        ("能安排个人跟我谈吗", True),
        ("你们那儿有没有律师坐班？想当面问问合同的事", False),
        ("晚上有没有延时服务？白天我走不开", False),
    ],
)
def test_a_call_for_a_person_says_so(text: str, human: bool) -> None:
    assert supported({"name": "ask_human", "confidence": 0.7}, text) is human


def test_a_short_story_ending_on_a_scope_question_is_registered_as_well() -> None:
    text = "我们七八个人跟包工头干了四个月，工钱一分没结，这种能找你们吗"
    entities = [f.as_entity() for f in extract_facts(text)]
    ranking = [{"name": "consult", "confidence": 0.6}, {"name": "dispute_wage_arrears", "confidence": 0.4}]
    turn = opening.story_with_question(text, ranking, entities, {})
    assert turn is not None and turn.updates["category"] == "wage_arrears"
    assert opening.story_with_question("离婚要带什么材料", ranking, [], {}) is None


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("押金两千块一分不退", 2000),  # no jiao after hundreds: 一分不退 is 'not a cent'
        ("评估给我三十万，隔壁一样的房子给了三十六万，凭什么差六万", 60000),  # the gap claimed
        ("定损只给五千，修车要七千四，差的这两千四谁出", 2400),
        ("补偿款十万零六百，村里扣了一万二说是提留", 12000),  # the sum withheld
        ("房子能卖五十来万，我要一半，二十五万左右", 250000),  # a half share claimed
        ("修车一千五，货损了两千出头，加一块三千五上下", 3500),  # 加一块: added up
        ("打针一共一千六，后面还要复查，先算一千六", 1600),  # the same sum said again is no part
    ],
)
def test_round_17_sums(text: str, amount: int) -> None:
    from bot.intake.answers import read_answer
    from bot.intake.schema import fact_specs

    entities = [f.as_entity() for f in extract_facts(text)]
    assert read_answer(fact_specs()["amount_yuan"], text, "inform", entities).value == amount


def test_the_same_answer_at_the_consent_again_is_no_clear_yes() -> None:
    profile = current_profile()
    noted = consultation.answer(profile, None, "你们记一下", [], {"category": "wage_arrears"})
    recent = ["登记需要您的姓名和电话…", noted, "登记需要您的姓名和电话…"]
    slots = {"category": "wage_arrears", consultation.QUESTIONS_SLOT: ["你们记一下"]}
    assert consultation.taken_as_unclear_answer(noted, recent, "consent", None, "你们记一下", slots)
    assert not consultation.taken_as_unclear_answer(
        noted, ["登记需要…"], "consent", None, "你们记一下", slots
    )


async def test_the_consult_action_stops_asking_the_consent_after_the_same_reply() -> None:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.conversation import ActionConsult

    profile = current_profile()
    noted = consultation.answer(profile, None, "你们记", [], {"category": "wage_arrears"})
    latest = {"text": "你们记", "intent": {"name": "consult"}, "entities": [], "intent_ranking": []}
    events = [
        {"event": "bot", "text": "登记需要您的姓名和电话"},
        {"event": "bot", "text": noted},
        {"event": "bot", "text": "登记需要您的姓名和电话"},
        {"event": "user", "text": "你们记", "parse_data": latest},
    ]
    slots = {"category": "wage_arrears", "requested_slot": "consent", consultation.QUESTIONS_SLOT: ["你们记"]}
    tracker = Tracker("w-c1", slots, latest, events, False, None, {"name": "intake_form"}, "action_listen")
    dispatcher = CollectingDispatcher()
    result = await ActionConsult().run(dispatcher, tracker, {})
    assert {"event": "slot", "timestamp": None, "name": "consent", "value": False} in result
    assert dispatcher.messages[0]["response"] == "utter_consent_unclear"
    said = yaml.safe_load(Path("domain/consultation.yml").read_text(encoding="utf-8"))["responses"]
    assert "匿名登记" in said["utter_consent_unclear"][0]["text"]  # what the citizen reads


@pytest.mark.parametrize(
    ("text", "taken"),
    [
        ("调解一趟要几日啊？屋里老人身体不好", True),
        ("二楼的家事调解室在哪边啊？转了一圈没找到", True),
        ("帮我推荐一个靠谱的律师吧，打离婚的那种？", True),
        ("老板说工资要几天才能发，都拖了两个月了", False),  # a story, not a question
    ],
)
def test_round_17_questions_about_the_center(text: str, taken: bool) -> None:
    found = taking_over({"name": "dispute_family", "confidence": 0.5}, text)
    assert (found is not None and found["name"] == "consult") is taken


def test_the_topic_is_read_in_every_sentence_that_asks() -> None:
    text = "跟物业的事想申请调解，需要带哪些东西？物业合同早弄丢了，只有缴费收据，行不行"
    assert consultation.chosen_topic("materials", text) == "materials"
    assert consultation._category_asked([], {}, "讨工钱的话得带啥材料过去？") == "wage_arrears"


def test_a_gap_per_month_then_its_total_is_the_total() -> None:
    from bot.intake.answers import read_answer
    from bot.intake.schema import fact_specs

    text = "每个月差一千八，到现在四个月了，一共七千二"
    entities = [f.as_entity() for f in extract_facts(text)]
    assert read_answer(fact_specs()["amount_yuan"], text, "inform", entities).value == 7200


@pytest.mark.parametrize(
    ("text", "count"),
    [("我同另外两个同事都未出粮", 3), ("我和另外四个工友都没拿到钱", 5), ("我跟其他三个老乡一起干的", 4)],
)
def test_the_citizen_and_n_others_are_n_plus_one(text: str, count: int) -> None:
    from bot.facts.extract import facts_dict

    assert facts_dict(text)["headcount"] == count


def test_an_unclear_answer_is_unknown_and_at_the_consent_anonymous() -> None:
    from bot.intake.schema import unknown_marker

    assert consultation.unclear_answer("consent") == ("utter_consent_unclear", False)
    assert consultation.unclear_answer("amount_yuan") == ("utter_noted_unknown", unknown_marker())
