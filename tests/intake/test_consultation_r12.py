"""Questions about the center asked in other words (dialects, 繁體, English, everyday case names), in
sentences of our own: each gets the center's answer for its topic, not the out-of-scope reply, "这个问
题我记下了" or another topic's answer. The materials of a case type named in everyday words are that
type's (讨工钱 is a wage claim, not a labour dispute); a lawyer's fee is the lawyer topic, free legal
help is legal aid; stories that use the same words are still stories."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.intake import consultation
from bot.taxonomy import categories
from bot.tickets.profiles import current_profile
from connectors.nlu.answer_detector import taking_over, without_unsupported
from tests.integration.conftest import chat  # noqa: F401 - the REST channel of the shared stack
from tests.integration.rest_client import widget_sender


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("你哋星期日有冇人返工", "hours"),
        ("五一那几天开不开门", "hours"),
        ("晌午头歇不歇嘛", "hours"),
        ("你们挪地方没有，还在老大院不", "address"),
        ("开车过去停车方便吗", "address"),
        ("你们那嘎达坐啥车能到", "address"),
        ("手机上能直接登记不", "online"),
        ("我那事办到哪了咋查", "progress_how"),
        ("受理码丢了咋整", "progress_how"),
        ("律师费咋个收嘛", "lawyer"),
        ("有没有律师在中心坐班", "lawyer"),
        ("法援要开啥子证明", "legal_aid"),
        ("请不起律师，国家能不能派个律师", "legal_aid"),
        ("劳动仲裁要等几耐", "duration"),
        ("你们跟派出所有啥区别", "scope"),
        ("是不是啥纠纷都能来找你们", "scope"),
        ("侬搿搭调解要几钿", "cost"),
        ("会不会另外收手续费", "cost"),
    ],
)
def test_a_question_in_other_words_names_its_topic(text: str, topic: str) -> None:
    assert consultation.topic_by_words(text) == topic


@pytest.mark.parametrize(
    ("selected", "text", "topic"),
    [
        ("cost", "律师费咋个收嘛", "lawyer"),  # the fee is a lawyer's
        ("cost", "残疾人打官司能免费吗", "legal_aid"),  # free legal help, not the center's cost
        ("lawyer", "没钱请律师国家管不管", "legal_aid"),
        ("materials", "要不要交手续费", "cost"),  # 手续费 is a fee, not 手续 (papers)
        ("online", "司法确认一般要几耐", "duration"),
        ("duration", "你们端午节放几天", "hours"),
        ("materials", "跟居委会有啥区别", "scope"),
    ],
)
def test_a_longer_word_of_another_topic_beats_the_selector(selected: str, text: str, topic: str) -> None:
    assert consultation.chosen_topic(selected, text) == topic


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("两辆车撞了，来调解要带些啥子", "traffic"),
        ("借出去的钱的事还得准备啥东西", "debt"),
        ("承包地的事用带承包证不", "land"),
        ("闹离婚的话户口本要带不", "family"),
        ("老乡讨工钱的事要带些啥", "wage_arrears"),
    ],
)
def test_the_case_type_named_in_everyday_words_gets_its_materials(text: str, category: str) -> None:
    # the classifier hears a labour dispute first: the words still name the case type
    ranking = [{"name": "dispute_labor", "confidence": 0.3}, {"name": "dispute_neighbor", "confidence": 0.01}]
    reply = consultation.answer(current_profile(), "materials", text, ranking)
    assert f"「{categories()[category].name}」类纠纷请带上" in reply


def test_a_materials_question_in_an_intake_gets_the_intake_s_case_type() -> None:
    ranking = [{"name": "dispute_debt", "confidence": 0.2}, {"name": "dispute_land", "confidence": 0.01}]
    reply = consultation.answer(
        current_profile(), "materials", "要带什么材料", ranking, {"category": "family"}
    )
    assert "「婚姻家庭」类纠纷请带上" in reply


@pytest.mark.parametrize(
    ("intent", "text"),
    [
        ("dispute_wage_arrears", "老乡工钱的事带些啥子"),
        ("out_of_scope", "星期天有冇人返工"),
        ("out_of_scope", "中心搬了没有"),
        ("out_of_scope", "我那个事处理到哪了"),
        ("dispute_property", "物业的事是找住建局还是找你们"),
        ("out_of_scope", "跟派出所有啥区别？"),
        ("out_of_scope", "请不起律师咋办"),
    ],
)
def test_questions_the_classifier_misplaced_are_about_the_center(intent: str, text: str) -> None:
    taken = taking_over({"name": intent, "confidence": 0.6}, text)
    assert taken is not None and taken["name"] == "consult"


@pytest.mark.parametrize(
    ("intent", "text"),
    [
        ("dispute_traffic", "周末开车被人追尾了，对方不肯赔"),
        ("dispute_neighbor", "邻居搬家了把垃圾全堆在楼道里"),
        ("dispute_property", "小区里不好停车，物业还乱收停车费"),
        ("dispute_debt", "他什么证据都没留，借钱的时候也没打借条"),
        ("dispute_wage_arrears", "佢唔俾钱，拖咗三个月"),
    ],
)
def test_stories_with_the_same_words_stay_stories(intent: str, text: str) -> None:
    assert taking_over({"name": intent, "confidence": 0.6}, text) is None


def test_asking_to_talk_to_the_mediator_is_a_call_for_a_person_not_a_question() -> None:
    ranking = [{"name": "consult", "confidence": 0.66}, {"name": "ask_human", "confidence": 0.32}]
    assert without_unsupported(ranking[0], ranking, "能不能和调解员当面讲")["name"] == "ask_human"
    assert without_unsupported(ranking[0], ranking, "要不要给调解员辛苦费")["name"] == "consult"


def _topic_answer(topic: str, category: str | None = None) -> str:
    profile = current_profile()
    if topic == "materials":
        return consultation.materials_answer(profile, category)
    return consultation.answer(profile, topic).split("\n")[0]


@pytest.mark.parametrize(
    ("text", "topic", "category"),
    [
        ("礼拜天你们有人值班没得", "hours", None),
        ("你們週末開唔開門", "hours", None),
        ("中心是不是搬地方了", "address", None),
        ("手机上能申请调解不", "online", None),
        ("案件进度咋个查嘛", "progress_how", None),
        ("能不能给推荐个律师", "lawyer", None),
        ("国家免费帮打官司的怎么申请", "legal_aid", None),
        ("劳动仲裁一般要拖多久", "duration", None),
        ("你们跟信访局有什么区别", "scope", None),
        ("撞车了来调解要拿啥", "materials", "traffic"),
        ("讨工钱要准备哪些东西", "materials", "wage_arrears"),
    ],
)
def test_the_citizen_reads_the_answer_for_the_topic(
    chat: Callable[[str, str], list[str]],  # noqa: F811 - the fixture imported above
    text: str,
    topic: str,
    category: str | None,
) -> None:
    replies = chat(widget_sender(), text)
    expected = _topic_answer(topic, category)
    assert any(expected in r for r in replies), (text, replies)
