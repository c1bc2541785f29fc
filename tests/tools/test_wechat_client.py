"""The simulated WeChat of tools.conversations: what the client signs and encrypts is what the channel's
own parser accepts, the channel's passive replies are read back, numbered options are answered by their
digit, customer-service messages are collected from the fake API; and two personas of the blind set
through the WeChat channel of the running stack."""

from __future__ import annotations

import json
import urllib.request

import pytest
from wechatpy import parse_message

from connectors.channels import senders
from connectors.channels.wechat import Protocol, WeChatSettings, interpret
from tests.channels.helpers import SENDER_ID_KEY, STAFF_TOKEN
from tools.conversations import evaluate_persona, ticket_fetcher
from tools.persona import Citizen, Reply, question_of
from tools.wechat_client import FakeWeChatApi, WeChatAccount, WeChatClient, text_message, wechat_environment

OPENID = "o" + "a1b2c3d4" * 3 + "abc"


def protocol(account: WeChatAccount) -> Protocol:
    return Protocol(WeChatSettings(account.token, account.app_id, account.app_secret, account.aes_key))


@pytest.mark.parametrize("encrypted", [False, True])
def test_signed_messages_are_opened_by_the_channel(encrypted: bool) -> None:
    account = WeChatAccount.generated(encrypted)
    client = WeChatClient("http://127.0.0.1:9", account)
    query, body = client.sign(text_message(OPENID, "老板欠我工资]]>不给", 42))
    assert ("encrypt_type" in query) is encrypted and (b"Encrypt" in body) is encrypted
    xml = protocol(account).open(query, body)
    assert xml is not None
    incoming = interpret(parse_message(xml))
    assert incoming is not None
    assert (incoming.openid, incoming.text, incoming.kind) == (OPENID, "老板欠我工资]]>不给", "text")
    # a wrong token or another account's key is refused
    other = WeChatAccount.generated(encrypted)
    assert protocol(other).open(query, body) is None


@pytest.mark.parametrize("encrypted", [False, True])
def test_passive_replies_are_read_back(encrypted: bool) -> None:
    account = WeChatAccount.generated(encrypted)
    client = WeChatClient("http://127.0.0.1:9", account)
    query, body = client.sign(text_message(OPENID, "你好", 7))
    message = parse_message(protocol(account).open(query, body))
    sealed, content_type = protocol(account).seal(message, "请选一下：\n回复1：同意\n回复2：不同意", query)
    assert content_type == "application/xml"
    assert client.open_reply(sealed) == "请选一下：\n回复1：同意\n回复2：不同意"
    assert client.open_reply("success") == "" and client.open_reply("") == ""


def test_sender_id_is_the_channels() -> None:
    account = WeChatAccount.generated()
    client = WeChatClient("http://127.0.0.1:9", account)
    assert client.sender_id(OPENID) == senders.wechat_sender_id(OPENID, account.sender_key.encode())
    assert senders.is_wechat_id(client.sender_id(client.new_openid()))


def test_numbered_options_are_answered_by_their_digit() -> None:
    categories = Reply.from_text(
        "明白了，您说的情况我记下了。\n请选一下您的问题属于哪一类：\n回复1：欠薪\n回复2：劳动争议\n回复3：债务借贷\n回复4：都不是"
    )
    assert [b["payload"] for b in categories.buttons] == ["1", "2", "3", "4"]
    citizen = Citizen({"first_message": "x", "expected": {"category": "debt", "sub_type": "loan"}})
    assert citizen.next_message([categories]) == ("3", "category")
    subs = Reply.from_text("具体是哪种情况？\n回复1：借钱不还\n回复2：货款\n回复3：其他")
    assert citizen.next_message([subs]) == ("1", "sub_type")
    reuse = Reply.from_text("您刚才说的号码是13912345678，就用这个号码吗？\n回复1：是\n回复2：换一个")
    assert citizen.answer_kind(*question_of([reuse])) == "1"


def test_a_joined_turn_is_read_for_its_last_question() -> None:
    turn = Reply.from_text(
        "按“13710”时限办理：1天内签收，3天内联系您。\n我们接着登记：\n您的手机号是多少？\n比如：13912345678。"
    )
    assert question_of([turn])[0] == "phone"
    two = Reply.from_text("明白了，您反映的问题属于「劳动争议」类。\n登记需要您的姓名和电话。您同意提供吗？")
    assert question_of([two])[0] == "consent"
    assert question_of([Reply.from_text("已为您登记，受理编号：140105-20261204-0001。")]) == (None, None)
    assert Reply.from_text("回复1：同意").question_text == "" and Reply("回复1：同意").buttons == ()


def test_customer_service_messages_are_collected_in_order() -> None:
    account = WeChatAccount.generated()
    with FakeWeChatApi(account) as api:
        query = f"grant_type=client_credential&appid={account.app_id}&secret={account.app_secret}"
        with urllib.request.urlopen(f"{api.base}/cgi-bin/token?{query}", timeout=5) as response:
            token = json.loads(response.read())["access_token"]
        for text in ("第一条", "第二条"):
            message = {"touser": OPENID, "msgtype": "text", "text": {"content": text}}
            request = urllib.request.Request(
                f"{api.base}/cgi-bin/message/custom/send?access_token={token}",
                data=json.dumps(message).encode(),
            )
            with urllib.request.urlopen(request, timeout=5) as response:
                assert json.loads(response.read())["errcode"] == 0
        assert api.collect(OPENID, first_wait=1, quiet=0.1) == ["第一条", "第二条"]
        assert api.collect(OPENID, first_wait=0.05) == []
        bad = urllib.request.Request(f"{api.base}/cgi-bin/message/custom/send?access_token=x", data=b"{}")
        with urllib.request.urlopen(bad, timeout=5) as response:
            assert json.loads(response.read())["errcode"] == 40001


def test_environment_is_set_for_the_stack_and_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.delenv("WECHAT_TOKEN", raising=False)
    with wechat_environment() as (account, api):
        assert os.environ["WECHAT_TOKEN"] == account.token and len(os.environ["WECHAT_AES_KEY"]) == 43
        assert os.environ["WECHAT_API_BASE"] == api.base
        assert os.environ["SENDER_ID_KEY"] == account.sender_key
        assert not WeChatSettings.load().problems()
    assert "WECHAT_TOKEN" not in os.environ


def test_two_personas_through_wechat(stack) -> None:
    """Two personas of the blind set through the stack's WeChat channel (plain mode, as the shared stack
    configures it) each file a ticket under their ``wx-`` conversation id."""
    import yaml

    from bot import paths

    personas = yaml.safe_load(
        (paths.ROOT / "tests/conversations/blind_round1.yml").read_text(encoding="utf-8")
    )
    account = WeChatAccount("zz-test-token", "wx0123456789abcdef", "test-app-secret", "", SENDER_ID_KEY)
    client = WeChatClient(f"http://{stack.host}:{stack.rasa_port}", account)  # its API is unreachable
    fetch = client.fetcher(ticket_fetcher(f"http://{stack.host}:{stack.intake_port}", STAFF_TOKEN))
    chosen = [p for p in personas if p["id"] in ("c001", "c003")]
    assert len(chosen) == 2
    for persona in chosen:
        result = evaluate_persona(persona, client.send, fetch, client.new_openid)
        assert result.ticket is not None, result.talk.transcript
        assert result.ticket["sender_id"] == client.sender_id(result.talk.sender)
        assert result.ticket["channel"] == "wechat"
        assert result.talk.code == result.ticket["code"]
    assert client.counts["turns"] > 0 and client.counts["unanswered"] == 0, client.delivery()
