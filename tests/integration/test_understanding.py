"""Issue 14 over the REST channel of the running stack: what a citizen sees."""

from __future__ import annotations

import pytest

from bot.intake.status import find_case_code
from tests.integration.rest_client import widget_sender
from tests.integration.test_intake_flow import get_ticket

STORY = (
    "我们班组十几个人在开发区装空调外机，五月干到八月，老板欠了我们十三万没结。"
    "我姓马，电话13822715566，麻烦帮忙看看。"
)


def _sender() -> str:
    return widget_sender()


def test_a_whole_story_with_contact_details_is_not_lost(chat) -> None:
    sender = _sender()
    replies = chat(sender, STORY)
    assert not any("请先用一两句话" in r for r in replies), replies
    assert any("欠薪" in r for r in replies), replies
    assert any("同意" in r for r in replies), replies  # the consent question comes next
    replies = chat(sender, "同意")
    # the phone given before consent is confirmed, not asked again; the name is already known
    assert any("您刚才留的电话是13822715566" in r for r in replies), replies
    replies = chat(sender, "是的")
    assert not any("手机号是多少" in r for r in replies), replies


def test_a_question_about_the_center_mid_intake_is_answered_and_the_intake_goes_on(chat) -> None:
    sender = _sender()
    chat(sender, "公司把我辞退了，一分钱补偿都没有")
    pending = chat(sender, "不同意")[-1]  # the question the intake is waiting on
    assert "？" in pending, pending
    replies = chat(sender, "要多久能处理？")
    assert any("10天" in r and "办结" in r for r in replies), replies
    assert not any("查询进度" in r and "编号" in r and "核对" not in r for r in replies[:1]), replies
    assert replies[-1] == pending, (pending, replies)  # the pending question again, word for word


def test_questions_about_the_center_are_answered_not_refused(chat) -> None:
    for question, expected in (
        ("你们这里能管什么事", "欠薪"),
        ("离婚要带什么材料", "结婚证"),
        ("调解要钱吗", "免费"),
    ):
        replies = chat(_sender(), question)
        assert not any("不在综治中心的受理范围" in r for r in replies), (question, replies)
        assert any(expected in r for r in replies), (question, replies)


def test_the_same_reply_is_never_sent_three_times_in_a_row(chat) -> None:
    sender = _sender()
    seen = [" ".join(chat(sender, text)) for text in ("啊啊啊", "呃呃", "嗯嗯嗯嗯", "哦哦")]
    assert all(not (a == b == c) for a, b, c in zip(seen, seen[1:], seen[2:], strict=False)), seen
    assert any("转人工" in s for s in seen) or any("哪一类" in s for s in seen), seen


def _to_the_summary(chat, sender: str, replies: list[str], phone_answer: str = "不同意") -> list[str]:
    """Answer every question plainly (consent refused unless a phone answer is given) until the
    confirmation summary shows; the replies that show it."""
    for _ in range(16):
        if any("请核对登记信息" in r for r in replies):
            return replies
        asked = replies[-1] if replies else ""
        if "同意" in asked and "匿名" in asked:
            answer = "同意" if phone_answer != "不同意" else "不同意"
        elif "怎么称呼" in asked:
            answer = "周立"
        elif "手机号" in asked:
            answer = phone_answer
        elif "就用这个号码" in asked:
            answer = "是的"
        else:
            answer = "不清楚"
        replies = chat(sender, answer)
    raise AssertionError(f"no summary: {replies}")


def test_a_greeting_again_gets_the_categories_not_the_welcome_again(chat) -> None:
    sender = _sender()
    seen = [" ".join(chat(sender, "同志您好")) for _ in range(3)]
    assert "综治中心" in seen[0], seen
    assert seen[1] != seen[0] and ("哪一类" in seen[1] or "转人工" in seen[1]), seen


@pytest.mark.parametrize(
    ("story", "yes"),
    [
        ("隔离屋企只狗晚晚吠到天光，讲咗几次都冇用", "啱，冇错"),  # Cantonese
        ("隔壁鸡舍的味道逐工攏臭甲袂食饭，讲几次都无效", "著啦"),  # 闽南
    ],
)
def test_a_dialect_yes_at_the_confirmation_files_the_case(chat, story: str, yes: str) -> None:
    sender = _sender()
    _to_the_summary(chat, sender, chat(sender, story))
    replies = chat(sender, yes)
    assert any("受理编号" in r for r in replies), replies


def test_no_at_the_confirmation_again_and_again_never_repeats_and_offers_a_person(chat) -> None:
    sender = _sender()
    _to_the_summary(chat, sender, chat(sender, "楼上装修把我家卫生间墙弄裂了，物业不管"))
    seen = [" ".join(chat(sender, "算了")) for _ in range(4)]
    assert all(not (a == b == c) for a, b, c in zip(seen, seen[1:], seen[2:], strict=False)), seen
    assert any("转人工" in s for s in seen), seen


def test_a_phone_corrected_in_the_same_message_is_the_one_kept(chat) -> None:
    sender = _sender()
    first = chat(sender, "我借给同事两万块，说好年底还，现在人都联系不上了")
    replies = _to_the_summary(chat, sender, first, phone_answer="139 8812 3456，说错了，是139 8812 3465")
    assert any("13988123465" in r for r in replies), replies
    assert not any("登记还没完成" in r for r in replies), replies


def test_a_question_that_tells_a_whole_story_is_registered(chat) -> None:
    """The story is not lost to the question: a reply to the question, then the intake's next question."""
    replies = chat(
        _sender(),
        "我父亲在镇卫生院打了一针以后全身起疹子，住了五天院花了一万二，卫生院说跟他们没关系。"
        "我叫孙玉兰，电话13700001111，这种事要准备什么材料？",
    )
    assert not any("请先用一两句话" in r for r in replies), replies  # the story is not thrown away
    assert len(replies) >= 2, replies
    # the story is registered: the intake asks its next question (consent, or which kind of case)
    assert any(("同意" in r and "匿名" in r) or "哪一类" in r for r in replies), replies


def test_a_question_at_the_consent_step_is_answered_then_the_consent_asked_again(chat) -> None:
    sender = _sender()
    pending = chat(sender, "我们班组十二个人在工地干了半年，老板欠了九万多工钱不给")[-1]
    assert "同意" in pending, pending
    replies = chat(sender, "我们十二个人都得去窗口吗？")
    assert not replies[0].startswith("同意就回"), replies  # answered, not taken for an unclear yes/no
    assert replies[-1] == pending, replies


def test_questions_at_the_consent_are_answered_or_noted_and_the_intake_goes_on(chat) -> None:
    sender = _sender()
    pending = chat(sender, "俺今年七十三了，三个儿子谁也不给生活费")[-1]
    assert "同意" in pending, pending
    replies = chat(sender, "俺腿脚不好，去恁那儿远不远")
    assert any("地址" in r for r in replies), replies  # the topic in its words: the address
    assert replies[-1] == pending, replies  # the consent asked again, not taken for a no
    replies = chat(sender, "恁遐有講閩南話的人無？")
    assert any("记下了" in r for r in replies), replies  # no topic: kept for staff, and said so
    assert replies[-1] == pending, replies
    replies = chat(sender, "同意")
    assert any("怎么称呼" in r for r in replies), replies


def test_a_confirmation_never_made_clear_is_filed_for_staff_to_check(stack, chat) -> None:
    sender = _sender()
    _to_the_summary(chat, sender, chat(sender, "我借给表哥三万块，说好半年还，两年了还没还"))
    replies: list[str] = []
    for _ in range(4):
        replies = chat(sender, "那个啥我再看看")
    assert any("工作人员联系您时会再和您核对" in r for r in replies), replies
    code = next(filter(None, map(find_case_code, replies)), None)
    assert code, replies
    # the clerk sees why to call: the note is on the ticket's summary, with what the citizen said
    assert "群众未明确确认登记内容（回复：那个啥我再看看）" in get_ticket(stack, code)["summary"]
