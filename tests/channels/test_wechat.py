"""The WeChat official-account channel (connectors/channels/wechat.py) in-process, with a stand-in
dialogue and a fake WeChat API server on loopback: signatures and AES against published and independent
vectors, the passive reply and the customer-service path when the dialogue is slow (through the ticket
database's outbox, delivered by the intake service's ``WeChatMessages``), order and retries, numbered
options, menu, voice, duplicates (the same reply again), configuration."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from typing import Any

import pytest
import xmltodict

from bot.service.channels import WeChatMessages
from bot.service.wechat_api import WeChatApi
from bot.storage import outbox
from bot.storage.store import TicketStore
from connectors.channels import senders, sms
from connectors.channels.channel_outbox import ChannelOutbox
from connectors.channels.limits import RateLimiter
from connectors.channels.wechat import (
    MENU_FILE,
    MENU_MESSAGES,
    PLEASE_TYPE,
    Protocol,
    WeChatConfigError,
    WeChatInput,
    WeChatSettings,
    publish_menu,
    split_parts,
)
from tests.channels.wechat_fakes import (
    AES_KEY,
    APP_ID,
    APP_SECRET,
    TOKEN,
    FakeWeChat,
    aes_decrypt,
    aes_encrypt,
    event_xml,
    sha1_signature,
    signed,
    text_xml,
)

KEY = b"wechat-test-sender-key"
OPENID = "oABCD1234openid"

# ------------------------------------------------------------ published vectors
# The WXBizMsgCrypt sample of WeChat's documentation as wechatpy's own test suite uses it
# (github.com/wechatpy/wechatpy, tests/test_crypto.py): the same algorithm for official accounts.
DOC_TOKEN = "123456"
DOC_AES_KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"
DOC_ID = "wx49f0ab532d5d035a"
DOC_ENCRYPT = (
    "RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGym"
    "zxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4h"
    "IiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWY"
    "EvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0="
)


def doc_protocol() -> Protocol:
    return Protocol(WeChatSettings(DOC_TOKEN, DOC_ID, "secret", DOC_AES_KEY, max_age=0))


def test_published_signature_vector() -> None:
    echo = "4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q=="
    from connectors.channels.wechat import signature

    assert signature(DOC_TOKEN, "1411443780", "437374425", echo) == "dd6b9c95b495b3f7e2901bfbc76c664930ffdb96"
    assert signature(DOC_TOKEN, "1411443780", "437374424", echo) != "dd6b9c95b495b3f7e2901bfbc76c664930ffdb96"


def test_published_encrypted_message_is_opened() -> None:
    query = {
        "timestamp": "1411525903",
        "nonce": "461056294",
        "encrypt_type": "aes",
        "msg_signature": "74d92dfeb87ba7c714f89d98870ae5eb62dff26d",
    }
    body = f"<xml><ToUserName><![CDATA[{DOC_ID}]]></ToUserName><Encrypt><![CDATA[{DOC_ENCRYPT}]]></Encrypt></xml>"
    xml = doc_protocol().open(query, body.encode())
    assert xml is not None
    message = xmltodict.parse(xml)["xml"]
    assert (message["Content"], message["FromUserName"]) == ("test", "messense")
    # the independent implementation (cryptography only) reads the same
    plain, appid = aes_decrypt(DOC_ENCRYPT, DOC_AES_KEY)
    assert appid == DOC_ID and "<Content><![CDATA[test]]></Content>" in plain
    # a wrong signature, or the message for another account, is refused
    assert doc_protocol().open({**query, "msg_signature": "0" * 40}, body.encode()) is None
    other = Protocol(WeChatSettings(DOC_TOKEN, "wx_other_account", "secret", DOC_AES_KEY, max_age=0))
    assert other.open(query, body.encode()) is None


def test_independent_vectors_both_ways() -> None:
    protocol = Protocol(WeChatSettings(TOKEN, APP_ID, APP_SECRET, AES_KEY))
    xml = text_xml(OPENID, "老板欠我工资", 1001)
    query, body = signed(xml, encrypted=True)
    assert protocol.open(query, body) == xml  # encrypted by cryptography, opened by the channel
    assert protocol.open({**query, "encrypt_type": ""}, xml.encode()) is None  # plain refused in safe mode
    fixed = aes_encrypt("<xml/>", random16=b"0123456789abcdef")
    from wechatpy.crypto import PrpCrypto

    key = __import__("base64").b64decode(AES_KEY + "=")
    assert PrpCrypto(key).decrypt(fixed, APP_ID) == "<xml/>"  # wechatpy reads what cryptography wrote

    from wechatpy import parse_message

    sealed, _ = protocol.seal(parse_message(xml), "您好", query)  # and the reverse
    envelope = xmltodict.parse(sealed)["xml"]
    expected = sha1_signature(TOKEN, envelope["TimeStamp"], envelope["Nonce"], envelope["Encrypt"])
    assert envelope["MsgSignature"] == expected
    reply, appid = aes_decrypt(envelope["Encrypt"])
    assert appid == APP_ID
    inner = xmltodict.parse(reply)["xml"]
    assert (inner["ToUserName"], inner["Content"], inner["MsgType"]) == (OPENID, "您好", "text")


def test_plain_signature_url_check_and_freshness() -> None:
    protocol = Protocol(WeChatSettings(TOKEN, APP_ID, APP_SECRET))
    query = {"timestamp": "1795000000", "nonce": "42", "echostr": "hello"}
    assert protocol.verify_url({**query, "signature": sha1_signature(TOKEN, "1795000000", "42")}) == "hello"
    assert protocol.verify_url({**query, "signature": "0" * 40}) is None
    stale_query, body = signed(text_xml(OPENID, "hi", 1), timestamp=1_000_000_000)
    assert protocol.open(stale_query, body) is None
    fresh_query, body = signed(text_xml(OPENID, "hi", 1))
    assert protocol.open(fresh_query, body) is not None
    assert protocol.open({**fresh_query, "signature": sha1_signature("other", "1", "2")}, body) is None


def test_long_replies_are_cut_between_lines_within_wechats_limit() -> None:
    text = "\n".join(f"第{i}行：" + "请带上身份证和欠条。" * 8 for i in range(30))
    parts = split_parts(text)
    assert len(parts) > 1 and all(len(p.encode()) <= 1800 for p in parts)
    assert "\n".join(parts) == text


# ------------------------------------------------------------ configuration


def test_settings_and_configuration_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("WECHAT_TOKEN", "WECHAT_APP_ID", "WECHAT_APP_SECRET", "WECHAT_AES_KEY", "WECHAT_API_BASE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert WeChatInput.name() == "wechat"  # recorded on tickets as their channel
    off = WeChatInput.from_credentials(None)  # nothing set: off, Rasa still starts
    assert isinstance(off, WeChatInput) and off.verify({})[0] == 503
    assert WeChatSettings.load().api_base == "https://api.weixin.qq.com"
    monkeypatch.setenv("WECHAT_TOKEN", TOKEN)
    with pytest.raises(WeChatConfigError, match="WECHAT_APP_ID, WECHAT_APP_SECRET"):
        WeChatInput.from_credentials(None)
    monkeypatch.setenv("WECHAT_APP_ID", APP_ID)
    monkeypatch.setenv("WECHAT_APP_SECRET", APP_SECRET)
    monkeypatch.setenv("WECHAT_AES_KEY", "too-short")
    with pytest.raises(WeChatConfigError, match="43-character"):
        WeChatInput.from_credentials(None)
    monkeypatch.setenv("WECHAT_AES_KEY", AES_KEY)
    channel = WeChatInput.from_credentials(None)
    assert isinstance(channel, WeChatInput) and channel.settings.encrypted


async def test_unconfigured_channel_answers_503() -> None:
    channel = WeChatInput(WeChatSettings(), limiter=RateLimiter(0, 0, redis_url=""), sender_key=KEY)
    query, body = signed(text_xml(OPENID, "你好", 1))
    assert (await channel.handle(query, body, Dialogue()))[0] == 503


# ------------------------------------------------------------ the channel with a stand-in dialogue


class Dialogue:
    """Stands in for Rasa: records what it was told, answers after ``delay`` seconds."""

    def __init__(self, delay: float = 0.0, buttons: bool = False) -> None:
        self.delay, self.buttons = delay, buttons
        self.received: list[Any] = []

    async def __call__(self, message: Any) -> None:
        self.received.append(message)
        await asyncio.sleep(self.delay)
        answer: dict[str, Any] = {"text": f"收到：{message.text}"}
        if self.buttons:
            answer["buttons"] = [
                {"title": "同意", "payload": "/affirm"},
                {"title": "不同意", "payload": "/deny"},
            ]
        await message.output_channel.send_response(message.sender_id, answer)


@pytest.fixture()
async def fake() -> AsyncIterator[FakeWeChat]:
    server = FakeWeChat()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture()
def store(tmp_path: Any) -> Any:
    s = TicketStore(f"sqlite:///{tmp_path / 'intake.db'}")
    yield s
    s.dispose()


def make_channel(
    fake: FakeWeChat, monkeypatch: pytest.MonkeyPatch, store: TicketStore, **overrides: Any
) -> WeChatInput:
    monkeypatch.delenv("REDIS_URL", raising=False)
    settings = WeChatSettings(TOKEN, APP_ID, APP_SECRET, api_base=fake.base)
    return WeChatInput(
        replace(settings, **overrides),
        limiter=RateLimiter(30, 0, redis_url=""),
        sender_key=KEY,
        outbox=ChannelOutbox(store),
    )


async def deliver_all(channel: WeChatInput, store: TicketStore, fake: FakeWeChat) -> None:
    """What the intake service does: send the outbox's customer-service messages until none waits."""
    await asyncio.wait_for(channel.pending.drain(), 10)
    sender = WeChatMessages(store, WeChatApi(APP_ID, APP_SECRET, fake.base), base_delay=0.0)
    try:
        for _ in range(50):
            await sender.deliver_pending()
            if not await channel.outbox.waiting(outbox.WECHAT, OPENID):
                return
        raise AssertionError("customer-service messages still pending")
    finally:
        await sender.close()


def passive_text(body: str, encrypted: bool = False) -> str:
    xml = aes_decrypt(xmltodict.parse(body)["xml"]["Encrypt"])[0] if encrypted else body
    return str(xmltodict.parse(xml)["xml"]["Content"])


Handler = Callable[[Any], Awaitable[None]]


async def post(
    channel: WeChatInput, xml: str, dialogue: Handler, encrypted: bool = False
) -> tuple[int, str, str]:
    query, body = signed(xml, encrypted=encrypted)
    return await channel.handle(query, body, dialogue)


@pytest.mark.parametrize("encrypted", [False, True])
async def test_fast_dialogue_answers_in_the_passive_reply(
    fake: FakeWeChat, monkeypatch: pytest.MonkeyPatch, store: TicketStore, encrypted: bool
) -> None:
    channel = make_channel(fake, monkeypatch, store, aes_key=AES_KEY if encrypted else "")
    dialogue = Dialogue()
    status, body, content_type = await post(
        channel, text_xml(OPENID, "老板欠我工资", 11), dialogue, encrypted
    )
    assert (status, content_type) == (200, "application/xml")
    assert passive_text(body, encrypted) == "收到：老板欠我工资"
    [message] = dialogue.received
    assert message.sender_id == senders.wechat_sender_id(OPENID, KEY)
    assert senders.is_wechat_id(message.sender_id) and OPENID not in message.sender_id
    assert message.input_channel == "wechat" and OPENID not in json.dumps(message.metadata)
    assert fake.sent == [] and fake.tokens == []  # no customer-service message needed


async def test_slow_dialogue_gets_an_empty_reply_then_customer_service_messages_in_order(
    fake: FakeWeChat, monkeypatch: pytest.MonkeyPatch, store: TicketStore
) -> None:
    channel = make_channel(fake, monkeypatch, store, passive_timeout=0.05)
    dialogue = Dialogue(delay=0.2)
    fake.fail_next = 2  # the API refuses twice: nothing may be lost
    first = await post(channel, text_xml(OPENID, "第一句", 21), dialogue)
    assert first == (200, "success", "text/plain")
    # a fast answer to the next message must not overtake the pending one
    dialogue.delay = 0.0
    second = await post(channel, text_xml(OPENID, "第二句", 22), dialogue)
    assert second == (200, "success", "text/plain")
    await asyncio.wait_for(channel.pending.drain(), 10)
    assert fake.sent == []  # nothing is sent by the Rasa process: the answers wait in the outbox
    await deliver_all(channel, store, fake)
    assert fake.texts(OPENID) == ["收到：第一句", "收到：第二句"]
    assert fake.refused == 2 and fake.tokens == ["token-1"]  # one token, cached
    # once the queue is empty, a fast answer is passive again
    third = await post(channel, text_xml(OPENID, "第三句", 23), dialogue)
    assert passive_text(third[1]) == "收到：第三句"


async def test_an_expired_token_is_refreshed(
    fake: FakeWeChat, monkeypatch: pytest.MonkeyPatch, store: TicketStore
) -> None:
    channel = make_channel(fake, monkeypatch, store, passive_timeout=0.0)
    fake.expire_next = 1
    await post(channel, text_xml(OPENID, "你好", 31), Dialogue(delay=0.05))
    await deliver_all(channel, store, fake)
    assert fake.texts(OPENID) == ["收到：你好"] and fake.tokens == ["token-1", "token-2"]


async def test_repeated_msgid_gets_the_same_reply_without_a_second_turn(
    fake: FakeWeChat, monkeypatch: pytest.MonkeyPatch, store: TicketStore
) -> None:
    channel = make_channel(fake, monkeypatch, store)
    dialogue = Dialogue()
    xml = text_xml(OPENID, "老板欠我工资", 41)
    first = await post(channel, xml, dialogue)
    assert passive_text(first[1]) == "收到：老板欠我工资"
    again = await post(channel, xml, dialogue)  # WeChat's retry: our answer was lost on the way
    assert again == first and passive_text(again[1]) == "收到：老板欠我工资"
    assert len(dialogue.received) == 1
    event = event_xml(OPENID, "subscribe", create_time=1795000000)
    await post(channel, event, dialogue)
    await post(channel, event, dialogue)  # events: FromUserName + CreateTime
    assert len(dialogue.received) == 2


async def test_buttons_become_numbered_options_and_a_digit_answers(
    fake: FakeWeChat, monkeypatch: pytest.MonkeyPatch, store: TicketStore
) -> None:
    channel = make_channel(fake, monkeypatch, store)
    dialogue = Dialogue(buttons=True)
    reply = passive_text((await post(channel, text_xml(OPENID, "我要登记", 51), dialogue))[1])
    assert reply.endswith(
        sms.render_options(sms.options_from_buttons([{"title": "同意"}, {"title": "不同意"}]))
    )
    await post(channel, text_xml(OPENID, "1", 52), dialogue)
    assert dialogue.received[-1].text == "/affirm"
    assert dialogue.received[-1].metadata["wechat"]["option"] == "同意"


async def test_menu_voice_subscribe_and_other_kinds(
    fake: FakeWeChat, monkeypatch: pytest.MonkeyPatch, store: TicketStore
) -> None:
    channel = make_channel(fake, monkeypatch, store)
    dialogue = Dialogue()
    for key, text in MENU_MESSAGES.items():
        await post(channel, event_xml(OPENID, "CLICK", key), dialogue)
        assert dialogue.received[-1].text == text
    await post(channel, event_xml(OPENID, "subscribe"), dialogue)
    assert dialogue.received[-1].text == "你好"
    voice = text_xml(OPENID, "", 61, "voice", "<Recognition><![CDATA[老板欠我工资。]]></Recognition>")
    await post(channel, voice, dialogue)
    assert dialogue.received[-1].text == "老板欠我工资"
    count = len(dialogue.received)
    silent = text_xml(OPENID, "", 62, "voice", "<Recognition><![CDATA[]]></Recognition>")
    assert passive_text((await post(channel, silent, dialogue))[1]) == PLEASE_TYPE
    image = text_xml(OPENID, "", 63, "image", "<PicUrl><![CDATA[http://x/y.jpg]]></PicUrl>")
    assert "文字" in passive_text((await post(channel, image, dialogue))[1])
    assert await post(channel, event_xml(OPENID, "unsubscribe"), dialogue) == (200, "success", "text/plain")
    assert len(dialogue.received) == count  # none of these reached the dialogue


async def test_bad_signature_is_refused(
    fake: FakeWeChat, monkeypatch: pytest.MonkeyPatch, store: TicketStore
) -> None:
    channel = make_channel(fake, monkeypatch, store)
    query, body = signed(text_xml(OPENID, "你好", 71), token="wrong-token")
    assert (await channel.handle(query, body, Dialogue()))[0] == 401


class Crashing(Dialogue):
    """Fails on the first message it is given (a worker dying mid-turn), then answers."""

    async def __call__(self, message: Any) -> None:
        if not self.received:
            self.received.append(message)
            raise RuntimeError("the dialogue crashed")
        await super().__call__(message)


async def test_a_message_that_crashed_is_handled_on_wechats_retry(
    fake: FakeWeChat, monkeypatch: pytest.MonkeyPatch, store: TicketStore
) -> None:
    channel = make_channel(fake, monkeypatch, store)
    dialogue = Crashing()
    xml = text_xml(OPENID, "老板欠我工资", 81)
    assert (await post(channel, xml, dialogue))[0] == 500
    retry = await post(channel, xml, dialogue)  # not remembered as seen: handled this time
    assert passive_text(retry[1]) == "收到：老板欠我工资"
    assert await post(channel, xml, dialogue) == retry and len(dialogue.received) == 2


async def test_the_answered_memory_is_shared_through_redis(
    fake: FakeWeChat, monkeypatch: pytest.MonkeyPatch, store: TicketStore, redis_url: tuple[str, str]
) -> None:
    url, prefix = redis_url
    first, second = (make_channel(fake, monkeypatch, store) for _ in range(2))
    from connectors.channels.replies import reply_memory

    for channel in (first, second):  # two workers sharing one Redis
        channel.answered = reply_memory(url, prefix)
    xml = text_xml(OPENID, "老板欠我工资", 91)
    dialogue = Dialogue()
    answer = await post(first, xml, dialogue)
    assert await post(second, xml, dialogue) == answer and len(dialogue.received) == 1


async def test_menu_file_is_published(fake: FakeWeChat) -> None:
    settings = WeChatSettings(TOKEN, APP_ID, APP_SECRET, api_base=fake.base)
    await publish_menu(MENU_FILE, settings)
    [menu] = fake.menus
    assert [b["name"] for b in menu["button"]] == ["我要反映", "查询进度", "办事指南"]
    assert {b["key"] for b in menu["button"]} == set(MENU_MESSAGES)
