"""A worried citizen's questions, in sentences of our own: whether what they say is kept from the other
side (the `privacy` topic, answered from the profile, also before agreeing to the consent), whether a
person or the government is answering (the assistant says what it is and whose it is, at any step),
a question about the cost, a lawyer or what the center takes in a dialect, and a request to consult
about a case type with no story yet (the intake of that case type starts)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from bot.intake import consultation
from bot.tickets.profiles import current_profile
from tests.integration.conftest import chat  # noqa: F401 - the REST channel of the shared stack
from tests.integration.rest_client import widget_sender

ROOT = Path(__file__).resolve().parents[2]
Chat = Callable[[str, str], list[str]]


def _privacy_answer() -> str:
    return current_profile().text("consult_privacy")


def _self_description() -> str:
    domain = yaml.safe_load((ROOT / "domain" / "core.yml").read_text(encoding="utf-8"))
    return str(domain["responses"]["utter_iamabot"][0]["text"])


def _nlu_topics() -> set[str]:
    data = yaml.safe_load((ROOT / "nlu_data" / "nlu" / "consultation.yml").read_text(encoding="utf-8"))
    return {item["intent"].split("/", 1)[1] for item in data["nlu"] if "/" in item.get("intent", "")}


def test_every_topic_the_selector_learns_has_an_answer_and_words() -> None:
    profile = current_profile()
    words = consultation._topic_words()
    for topic in _nlu_topics():
        assert profile.text(f"consult_{topic}").strip(), topic
        assert words.get(topic), topic
    assert set(words) - {"police"} == _nlu_topics()  # police is answered by words alone
    assert "privacy" in _nlu_topics()


def test_the_privacy_answer_says_what_the_other_side_gets() -> None:
    said = _privacy_answer()
    assert "保密" in said and "对方" in said and "电话" in said and "匿名" in said
    assert said in consultation.answer(current_profile(), "privacy", "登记了会不会泄露")
    assert "信息保不保密" in current_profile().text("consult_unknown")  # what can be asked


@pytest.mark.parametrize(
    "text",
    [
        "老板会不会晓得是我来反映的",
        "你们找物业的时候会不会说是我举报的",
        "我的电话号码会不会给对方",
        "我嘅資料會唔會俾公司知",
        "个人信息你们会不会泄漏出去",
        "阮的电话敢会予对方",
        "我说的事你们会不会告诉他",
        "is my information kept confidential",
    ],
)
def test_a_question_whether_it_stays_confidential_names_privacy(text: str) -> None:
    assert consultation.topic_by_words(text) == "privacy"


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("我告诉他了他不听，你们能管吗", "scope"),  # a story asking whether it is handled
        ("你们电话号码多少", "address"),
        ("律师费咋个收嘛", "lawyer"),
        ("要带身份证吗", "materials"),
    ],
)
def test_privacy_words_leave_the_other_topics_theirs(text: str, topic: str) -> None:
    assert consultation.topic_by_words(text) == topic


@pytest.mark.parametrize(
    ("selected", "text", "topic"),
    [
        ("scope", "你们会不会把我说的话告诉对方", "privacy"),
        ("hours", "去恁遐登记敢着开钱", "cost"),  # 着开钱: has to spend money (Minnan)
        ("hours", "去你兜调解爱唔爱畀钱", "cost"),
        ("cost", "调解要花钞票伐", "cost"),
        ("online", "有冇律师帮手睇吓份合同", "lawyer"),
        ("materials", "有没有懂法律的人帮我看看合同", "lawyer"),
        ("materials", "是不是跟人扯皮的事都能来找你们评评理", "scope"),
        ("materials", "要不要先开个证明才能来找你们", "scope"),
    ],
)
def test_the_words_correct_a_selector_that_heard_another_topic(selected: str, text: str, topic: str) -> None:
    assert consultation.chosen_topic(selected, text) == topic


def test_the_self_description_says_it_is_the_center_s_own_assistant_not_a_person() -> None:
    said = _self_description()
    assert re.search(r"综治中心自己的.*助手", said), said
    assert "不是真人" in said and "外包" in said and "转人工" in said


def test_the_consent_question_s_why_says_the_other_side_gets_no_phone() -> None:
    domain = yaml.safe_load((ROOT / "domain" / "intake.yml").read_text(encoding="utf-8"))
    said = str(domain["responses"]["utter_consent_why"][0]["text"])
    assert "对方" in said and "电话" in said and "匿名" in said


# ---- what the citizen reads, through the running stack ------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "你系唔系真人嚟架",
        "侬到底是人还是电脑",
        "回短信的是真人还是机器",
        "你们这个是外包出去的吧",
        "汝敢是真人",
        "您这回得也太快了，是机器吧",
    ],
)
def test_asking_whether_a_person_answers_gets_the_self_description(
    chat: Chat,  # noqa: F811 - the fixture imported above
    text: str,
) -> None:
    replies = chat(widget_sender(), text)
    assert replies == [_self_description()], (text, replies)


def test_asking_whether_a_person_answers_at_the_consent_keeps_the_intake(chat: Chat) -> None:  # noqa: F811
    sender = widget_sender()
    consent = chat(sender, "老板欠我三个月工资一万二没给")[-1]
    assert "同意" in consent, consent
    replies = chat(sender, "佢係咪機器人嚟㗎")
    assert replies == [_self_description(), consent], replies


@pytest.mark.parametrize(
    "text",
    ["我的名字会不会让老板知道", "你们联系对方的时候会说是我投诉的吗", "我嘅電話會唔會畀對方知"],
)
def test_a_privacy_question_gets_the_privacy_answer(
    chat: Chat,  # noqa: F811 - the fixture imported above
    text: str,
) -> None:
    replies = chat(widget_sender(), text)
    assert any(_privacy_answer() in r for r in replies), (text, replies)
    assert not any("这个问题我记下了" in r for r in replies), replies


def test_a_privacy_question_before_agreeing_is_answered_and_the_consent_asked_again(chat: Chat) -> None:  # noqa: F811
    sender = widget_sender()
    consent = chat(sender, "邻居天天半夜剁肉吵得睡不着")[-1]
    assert "同意" in consent, consent
    replies = chat(sender, "俺在这登记的事，邻居会知道是我吗")
    assert any(_privacy_answer() in r for r in replies), replies
    assert replies[-1] == consent, replies
    after = chat(sender, "同意")
    assert not any("匿名登记" in r for r in after[:1]), after  # the yes after the answer is a yes


@pytest.mark.parametrize(
    ("text", "category_name"),
    [
        ("你好，想咨询一下遗产继承的事", "婚姻家庭"),
        ("您好，想问一下工伤赔偿的问题", "劳动争议"),
        ("想問下交通意外賠償嘅事", "交通事故"),
        ("你好，问下借钱唔还点算", "债务"),
        ("想咨询下宅基地纠纷", "土地"),
    ],
)
def test_a_request_to_consult_about_a_case_type_starts_its_intake(
    chat: Chat,  # noqa: F811 - the fixture imported above
    text: str,
    category_name: str,
) -> None:
    replies = chat(widget_sender(), text)
    assert not any("请用自己的话说说" in r or "请先用一两句话" in r for r in replies), (text, replies)
    assert any(f"「{category_name}" in r for r in replies), (text, replies)
