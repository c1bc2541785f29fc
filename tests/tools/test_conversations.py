"""The blind-conversation evaluator: question classifier and scoring on hand-made replies and
tickets (no network), and two personas through the real stack."""

from __future__ import annotations

import pytest

from tests.channels.helpers import STAFF_TOKEN
from tools.conversations import (
    evaluate_consultation,
    evaluate_persona,
    rest_sender,
    run_conversation,
    ticket_fetcher,
)
from tools.persona import Citizen, Reply, classify, pick_button
from tools.scoring import approx_range, asked_to_describe_again, repeated_reply, score_ticket, summary_keeps

CATEGORY_BUTTONS = [
    {"title": "欠薪", "payload": "/dispute_wage_arrears"},
    {"title": "劳动争议", "payload": "/dispute_labor"},
    {"title": "债务借贷", "payload": "/dispute_debt"},
    {"title": "都不是", "payload": "/out_of_scope"},
]

PERSONA = {
    "id": "t001",
    "first_message": "包工头老刘欠我们工钱不给 我们十几个人从五月干到八月一分没拿到",
    "answers": {
        "consent": "同意",
        "name": "我叫马建军",
        "phone": "13822715566",
        "amount": "大概十三万",
        "headcount": "十几个人",
        "period": "五月干到八月",
        "location": "开发区锦绣华庭工地",
        "counterparty": "包工头老刘",
        "evidence": "有考勤表",
        "demand": "把钱结了",
        "confirm": "确认",
        "unknown": "啥意思？",
    },
    "interjections": ["你们今天能来人吗"],
    "expected": {
        "category": "wage_arrears",
        "sub_type": "wages",
        "amount_yuan": 130000,
        "amount_approx": True,
        "headcount": 10,
        "headcount_approx": True,
        "phone": "13822715566",
        "applicant_name": "马建军",
        "risk_level": "elevated",
        "window": "labor_inspection",
    },
}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("登记需要您的姓名和电话，仅用于办理本次纠纷，依法保密（个人信息保护法）。您同意提供吗？", "consent"),
        ("同意就回“同意”，不同意回“不同意”，我们会匿名登记。", "consent"),
        ("请问您怎么称呼？比如：王建国。", "name"),
        ("請問您的姓名是？", "name"),
        ("您的手机号是多少？比如：13912345678。", "phone"),
        ("留个联系电话吧？", "phone"),
        ("您刚才说的号码是15603417789，就用这个号码吗？", "phone_reuse"),
        ("一共涉及多少钱？比如：三万五千元。", "amount"),
        ("涉及的金额大概是？", "amount"),
        ("一共涉及几个人？比如：我们12个人", "headcount"),
        ("你们一共有多少人？", "headcount"),
        ("是什么时候的事？比如：去年十月到今年三月。", "period"),
        ("事情发生在哪里？比如：小店区坞城街道某某小区。", "location"),
        ("具體地址是？", "location"),
        ("是谁欠的工资？比如：包工头老王。", "counterparty"),
        ("对方是谁？比如：前夫、儿子。", "counterparty"),
        ("手里有哪些证据？比如：欠条、聊天记录。", "evidence"),
        ("有没有相关材料？", "evidence"),
        ("您希望怎么解决？比如：让对方赔偿。", "demand"),
        ("您的诉求是什么？", "demand"),
        ("请核对登记信息：\n类别：欠薪\n对方：老刘\n联系电话：138\n没问题请回复“确认”。", "confirm"),
        ("之前找过哪里反映吗？比如：找过社区。", "unknown"),
        ("交警出了事故认定书吗？", "unknown"),
        ("您这个情况有点特殊，能展开讲讲吗？", "unknown"),
        ("请用自己的话说说遇到了什么纠纷，我帮您登记。", "describe"),
        ("明白了，您反映的问题属于「欠薪」类。", None),
        ("已为您登记，受理编号：140105-20261204-0001。请到劳动监察窗口办理。", None),
    ],
)
def test_classifier_reads_the_question(text: str, kind: str | None) -> None:
    assert classify(text) == kind


def test_category_and_sub_type_questions_need_their_words() -> None:
    assert classify("请选一下您的问题属于哪一类：", CATEGORY_BUTTONS) == "category"
    assert classify("想确认一下，您的问题更接近哪一类？", CATEGORY_BUTTONS) == "category"
    subs = [{"title": "拖欠工资", "payload": "/sub_wages"}, {"title": "工伤赔偿", "payload": "/sub_injury"}]
    assert classify("具体是哪种情况？", subs) == "sub_type"
    assert classify("主要是哪方面的问题？", subs) == "sub_type"


def test_buttons_clicked_by_payload() -> None:
    expected = {"category": "debt", "sub_type": "loan"}
    assert pick_button("category", CATEGORY_BUTTONS, expected) == "/dispute_debt"
    assert pick_button("category", CATEGORY_BUTTONS, {"category": "traffic"}) == "/out_of_scope"
    subs = [
        {"title": "借钱不还", "payload": "/sub_loan"},
        {"title": "货款", "payload": "/sub_goods"},
        {"title": "其他", "payload": "/sub_other"},
    ]
    assert pick_button("sub_type", subs, expected) == "/sub_loan"
    assert pick_button("sub_type", subs, {"sub_type": "guarantee"}) == "/sub_other"
    yes_no = [{"title": "是", "payload": "/affirm"}, {"title": "换一个", "payload": "/deny"}]
    assert pick_button("phone_reuse", yes_no, expected) == "/affirm"


def test_citizen_interjects_on_even_turns_and_answers_when_asked_again() -> None:
    citizen = Citizen(PERSONA)
    assert citizen.first() == PERSONA["first_message"]
    consent = [Reply("明白了，您反映的问题属于「欠薪」类。"), Reply("登记需要您的姓名和电话，您同意提供吗？")]
    assert citizen.next_message(consent) == ("你们今天能来人吗", "interjection")  # turn 2
    assert citizen.next_message(consent) == ("同意", "consent")  # turn 3: asked again
    assert citizen.next_message([Reply("您的手机号是多少？")]) == ("13822715566", "phone")
    assert citizen.next_message([Reply("号码是13822715566，就用这个号码吗？")]) == ("是", "phone_reuse")
    assert citizen.next_message([Reply("签过劳动合同吗？回“签了”或“没签”。")]) == ("啥意思？", "unknown")
    assert citizen.next_message([Reply("如有危险请拨打110。")]) == ("好的", None)


def test_conversation_ends_at_the_case_code() -> None:
    script = iter(
        [
            [Reply("请选一下您的问题属于哪一类：", tuple(CATEGORY_BUTTONS))],
            [Reply("登记需要您的姓名和电话，您同意提供吗？")],
            [Reply("已为您登记，受理编号：140105-20261204-0001。")],
        ]
    )
    sent: list[str] = []

    def send(_sender: str, text: str) -> list[Reply]:
        sent.append(text)
        return next(script)

    talk = run_conversation(PERSONA, send)
    assert talk.code == "140105-20261204-0001"
    assert sent == [PERSONA["first_message"], "你们今天能来人吗", "同意"]
    assert talk.turns == 3


def test_an_urgent_code_with_a_question_after_it_does_not_end_the_conversation() -> None:
    script = iter(
        [
            [
                Reply("请马上拨打110。我们已将您的情况标为紧急。\n受理编号：140105-20261204-0007"),
                Reply("登记需要您的姓名和电话，您同意提供吗？"),
            ],
            [Reply("您的手机号是多少？")],
            [Reply("已为您登记，受理编号：140105-20261204-0007。")],
        ]
    )
    sent: list[str] = []

    def send(_sender: str, text: str) -> list[Reply]:
        sent.append(text)
        return next(script)

    talk = run_conversation({**PERSONA, "interjections": []}, send)
    assert sent == [PERSONA["first_message"], "同意", "13822715566"]
    assert talk.code == "140105-20261204-0007"


def ticket(**overrides) -> dict:
    base = {
        "category": "wage_arrears",
        "sub_type": "wages",
        "risk_level": "elevated",
        "route": {"window": "labor_inspection"},
        "facts": {"amount_yuan": 130000, "headcount": 15, "phone": "13822715566", "applicant_name": "马建军"},
        "summary": "欠薪类纠纷。群众原话：包工头老刘欠我们工钱不给",
    }
    for key, value in overrides.items():
        if key in base["facts"]:
            base["facts"] = {**base["facts"], key: value}
        else:
            base[key] = value
    return base


def wrong(persona: dict, t: dict) -> dict:
    return {c.field: c.got for c in score_ticket(persona, t) if not c.ok}


def test_a_right_ticket_scores_every_field() -> None:
    assert wrong(PERSONA, ticket()) == {}


def test_scoring_tolerances() -> None:
    assert wrong(PERSONA, ticket(amount_yuan=150000)) == {}  # approximate: within 20 %
    assert wrong(PERSONA, ticket(amount_yuan=160000)) == {"amount": 160000}
    assert wrong(PERSONA, ticket(headcount=19)) == {}  # 十几 → 10–19
    assert wrong(PERSONA, ticket(headcount=20)) == {"headcount": 20}
    assert wrong(PERSONA, ticket(headcount=None)) == {"headcount": None}
    assert wrong(PERSONA, ticket(applicant_name="马建军师傅")) == {}
    assert wrong(PERSONA, ticket(applicant_name="马")) == {}  # contained either way
    assert wrong(PERSONA, ticket(applicant_name="刘")) == {"applicant_name": "刘"}
    assert wrong(PERSONA, ticket(phone="138-2271-5566")) == {}
    assert wrong(PERSONA, ticket(category="labor")) == {"category": "labor"}
    assert wrong(PERSONA, ticket(route={"window": "people_mediation"})) == {"window": "people_mediation"}
    missing = ticket()
    del missing["sub_type"]
    assert wrong(PERSONA, missing) == {"sub_type": "(missing)"}
    assert approx_range(40) == (40, 49) and approx_range(100) == (100, 199) and approx_range(12) == (12, 12)


def test_exact_null_and_lenient_fields() -> None:
    exact = {**PERSONA, "expected": {**PERSONA["expected"], "amount_yuan": 4800, "amount_approx": False}}
    assert wrong(exact, ticket(amount_yuan=4800)) == {}
    assert wrong(exact, ticket(amount_yuan=4900)) == {"amount": 4900}
    single = {**PERSONA, "expected": {**PERSONA["expected"], "headcount": None, "amount_yuan": None}}
    assert wrong(single, ticket(headcount=1, amount_yuan=None)) == {}
    assert wrong(single, ticket(headcount=None, amount_yuan=0)) == {}
    assert wrong(single, ticket(headcount=20, amount_yuan=3000)) == {"headcount": 20, "amount": 3000}
    anonymous = {**PERSONA, "expected": {**PERSONA["expected"], "phone": None, "applicant_name": None}}
    assert wrong(anonymous, ticket(phone=None, applicant_name=None)) == {}
    assert set(wrong(anonymous, ticket())) == {"phone", "applicant_name"}
    lenient = {**PERSONA, "lenient": ["headcount", "phone"]}
    assert wrong(lenient, ticket(headcount=None, phone=None)) == {}
    assert wrong(lenient, ticket(headcount=3)) == {"headcount": 3}


def test_first_message_kept_and_repeats() -> None:
    first = "您好，我們是城東工業園宏昌電子廠的員工，兩個月工資都沒發"
    assert summary_keeps(first, "欠薪类纠纷。群众原话：我们是城东工业园宏昌电子厂的员工")
    assert not summary_keeps(first, "欠薪类纠纷。对方：宏昌。")
    assert asked_to_describe_again([Reply("请先用一两句话说说遇到了什么纠纷，我再帮您登记。")])
    assert not asked_to_describe_again([Reply("登记需要您的姓名和电话，您同意提供吗？")])
    assert repeated_reply(["a", "b", "b", "b", "c"])
    assert not repeated_reply(["a", "b", "b", "a", "b"])


OUT_OF_SCOPE_REPLY = "抱歉，这个问题不在综治中心的受理范围内。如果您遇到欠薪、劳动……可以直接告诉我经过。"
HOURS_REPLY = "办公时间：周一至周五 9:00-12:00 13:30-17:30（法定节假日除外）。网上登记随时可以。"


@pytest.mark.parametrize(
    ("item", "reply", "ok", "note"),
    [
        ({"text": "周六开门吗", "topic": "hours"}, HOURS_REPLY, True, "answered"),
        ({"text": "周六开门吗", "topic": "hours"}, OUT_OF_SCOPE_REPLY, False, "out of scope"),
        ({"text": "讲个笑话", "topic": "off_topic"}, OUT_OF_SCOPE_REPLY, True, "answered"),
        ({"text": "在哪里", "topic": "address"}, HOURS_REPLY, False, "answered, not about address"),
        (
            {"text": "讨工钱带啥", "topic": "materials", "category": "wage_arrears"},
            "「欠薪」类纠纷请带上：本人身份证；考勤记录。",
            True,
            "answered",
        ),
        (
            {"text": "讨工钱带啥", "topic": "materials", "category": "wage_arrears"},
            "「物业房产」类纠纷请带上：本人身份证。",
            False,
            "answered, not about materials",
        ),
        (
            {"text": "咋查进度", "topic": "progress_how"},
            "请发一下案件编号，比如：140105-20261123-0007。",
            True,
            "answered",
        ),  # fmt: skip
    ],
)
def test_a_consultation_is_right_only_when_it_answers_its_topic(
    item: dict, reply: str, ok: bool, note: str
) -> None:
    result = evaluate_consultation(item, lambda _sender, _text: [Reply(reply)])
    assert (result.ok, result.note) == (ok, note)


def test_a_ticket_less_conversation_is_reported() -> None:
    def send(_sender: str, _text: str) -> list[Reply]:
        return [Reply("抱歉没看明白，能再简单说一下吗？")]

    result = evaluate_persona(PERSONA, send, lambda _sender: None)
    assert result.ticket is None and not result.fully_right
    assert result.talk.turns == 30 and result.repeated


def test_a_question_asked_again_every_turn_is_a_repeat() -> None:
    def send(_sender: str, _text: str) -> list[Reply]:
        return [Reply("好的。登记还没完成。"), Reply("一共涉及几个人？")]

    assert evaluate_persona(PERSONA, send, lambda _sender: None).repeated


def test_two_personas_through_the_stack(stack) -> None:
    """Two personas of the blind set through the real REST channel each file a ticket."""
    import yaml

    from bot import paths

    personas = yaml.safe_load(
        (paths.ROOT / "tests/conversations/blind_round1.yml").read_text(encoding="utf-8")
    )
    send = rest_sender(stack.urls["rest"])
    fetch = ticket_fetcher(f"http://{stack.host}:{stack.intake_port}", STAFF_TOKEN)
    chosen = [p for p in personas if p["id"] in ("c001", "c003")]
    assert len(chosen) == 2
    for persona in chosen:
        result = evaluate_persona(persona, send, fetch)
        assert result.ticket is not None, result.talk.transcript
        assert result.ticket["sender_id"] == result.talk.sender
        assert result.talk.code == result.ticket["code"]
        # scored: the ticket's category is the persona's expected one
        [category] = [c for c in result.checks if c.field == "category"]
        assert category.ok and result.ticket["category"] == persona["expected"]["category"], category
