"""Issue 14 over the REST channel of the running stack: what a citizen sees."""

from __future__ import annotations

from tests.integration.rest_client import widget_sender

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
