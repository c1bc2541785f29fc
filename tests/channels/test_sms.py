"""The hotline channel's pure logic (connectors/channels/sms.py), without Rasa."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from connectors.channels import sms

SECRET = "gateway-secret"
BODY = '{"message_id":"m1","from":"13912345678","text":"老板欠我工资"}'.encode()
NOW = 1_780_000_000.0


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


# ---------------------------------------------------------------- signatures


def test_signature_is_hmac_sha256_of_timestamp_dot_body() -> None:
    expected = hmac.new(SECRET.encode(), b"1780000000." + BODY, hashlib.sha256).hexdigest()
    assert sms.sign(SECRET, 1780000000, BODY) == "sha256=" + expected
    headers = sms.signed_headers(SECRET, BODY, now=NOW)
    assert headers == {sms.TIMESTAMP_HEADER: "1780000000", sms.SIGNATURE_HEADER: "sha256=" + expected}


def test_good_signature_passes() -> None:
    headers = sms.signed_headers(SECRET, BODY, now=NOW)
    verdict = sms.verify(
        SECRET, BODY, headers[sms.TIMESTAMP_HEADER], headers[sms.SIGNATURE_HEADER], now=NOW + 10
    )
    assert verdict.ok


def test_bare_hex_and_upper_case_signatures_pass() -> None:
    signature = sms.sign(SECRET, 1780000000, BODY).removeprefix("sha256=")
    assert sms.verify(SECRET, BODY, "1780000000", signature, now=NOW).ok
    assert sms.verify(SECRET, BODY, "1780000000", "sha256=" + signature.upper(), now=NOW).ok


@pytest.mark.parametrize(
    "secret, body, timestamp, reason",
    [
        ("another-secret", BODY, "1780000000", "bad_signature"),  # signed with a different key
        (SECRET, BODY + b" ", "1780000000", "bad_signature"),  # body changed after signing
        (SECRET, BODY, "1780000001", "bad_signature"),  # timestamp changed after signing
    ],
)
def test_wrong_signatures_fail(secret: str, body: bytes, timestamp: str, reason: str) -> None:
    signature = sms.sign(secret, 1780000000, BODY)
    verdict = sms.verify(SECRET, body, timestamp, signature, now=NOW)
    assert not verdict.ok and verdict.reason == reason


@pytest.mark.parametrize("age", [301, -301, 3600])
def test_stale_or_future_requests_fail(age: float) -> None:
    headers = sms.signed_headers(SECRET, BODY, now=NOW - age)
    verdict = sms.verify(
        SECRET, BODY, headers[sms.TIMESTAMP_HEADER], headers[sms.SIGNATURE_HEADER], now=NOW, max_age=300
    )
    assert not verdict.ok and verdict.reason == "stale"


@pytest.mark.parametrize(
    "timestamp, signature, reason",
    [
        (None, None, "missing"),
        ("1780000000", None, "missing"),
        (None, "sha256=00", "missing"),
        ("", "", "missing"),
        ("yesterday", "sha256=00", "malformed"),
        ("1780000000", "sha256=不是十六进制", "bad_signature"),
    ],
)
def test_missing_or_malformed_headers_fail(timestamp: str | None, signature: str | None, reason: str) -> None:
    verdict = sms.verify(SECRET, BODY, timestamp, signature, now=NOW)
    assert not verdict.ok and verdict.reason == reason


def test_no_secret_configured_refuses_everything() -> None:
    headers = sms.signed_headers("", BODY, now=NOW)
    verdict = sms.verify("", BODY, headers[sms.TIMESTAMP_HEADER], headers[sms.SIGNATURE_HEADER], now=NOW)
    assert not verdict.ok and verdict.reason == "not_configured"


# ---------------------------------------------------------------- splitting

CLOSING = (
    "已为您登记，受理编号：140105-20261126-0007。请在工作日到一楼3号窗口（劳动保障监察窗口）办理。"
    "请带上：本人身份证；能证明干过活的材料，比如考勤记录、工牌、工作群聊天记录；欠薪数额的依据，"
    "比如工资条、欠条、结算单。查询进度请访问 http://zz.example.gov.cn/status?code=140105-20261126-0007 ，"
    "或拨打0351-0000000。"
)


def test_short_reply_is_one_unnumbered_part() -> None:
    assert sms.split_sms("请问您怎么称呼？") == ["请问您怎么称呼？"]
    assert sms.split_sms("  \n ") == []


def test_exactly_seventy_characters_stay_in_one_part() -> None:
    text = "好" * 70
    assert sms.split_sms(text) == [text]
    assert len(sms.split_sms(text + "了")) == 2


def test_long_reply_is_split_numbered_and_within_the_limit() -> None:
    parts = sms.split_sms(CLOSING)
    assert len(parts) >= 3
    assert all(sms.sms_length(p) <= sms.SMS_LIMIT for p in parts)
    assert [p.split(" ", 1)[0] for p in parts] == [f"{i}/{len(parts)}" for i in range(1, len(parts) + 1)]
    rejoined = "".join(p.split(" ", 1)[1] for p in parts)
    assert rejoined.replace(" ", "") == CLOSING.replace(" ", "")


def test_codes_phone_numbers_and_links_are_never_cut() -> None:
    parts = sms.split_sms(CLOSING)
    for whole in ("140105-20261126-0007", "http://zz.example.gov.cn/status?code=140105-20261126-0007"):
        assert any(whole in p for p in parts), parts
    assert any("0351-0000000" in p for p in parts)


def test_parts_end_at_sentence_ends_when_possible() -> None:
    text = "第一句话说明情况，内容稍微长一点。" * 8
    parts = sms.split_sms(text)
    assert all(p.endswith("。") for p in parts), parts


def test_line_breaks_are_kept_and_preferred() -> None:
    text = "请核对登记信息：\n" + "\n".join(f"第{i}项：{'内容' * 6}" for i in range(1, 9))
    parts = sms.split_sms(text)
    assert all(sms.sms_length(p) <= 70 for p in parts)
    assert all("\n第" not in p[-3:] for p in parts)
    assert "\n" in parts[0]


def test_many_parts_get_wider_numbering_within_the_limit() -> None:
    parts = sms.split_sms("很" * 1000)
    assert len(parts) >= 15
    assert parts[0].startswith(f"1/{len(parts)} ") and parts[-1].startswith(f"{len(parts)}/{len(parts)} ")
    assert all(sms.sms_length(p) <= 70 for p in parts)
    assert sum(len(p.split(" ", 1)[1]) for p in parts) == 1000


def test_emoji_count_twice() -> None:
    assert sms.sms_length("好😀") == 3
    parts = sms.split_sms("😀" * 40)
    assert len(parts) == 2 and all(sms.sms_length(p) <= 70 for p in parts)


# ---------------------------------------------------------------- numbered options

CONSENT = {
    "text": "登记需要您的姓名和电话，您同意提供吗？",
    "buttons": [{"title": "同意", "payload": "/affirm"}, {"title": "不同意，匿名登记", "payload": "/deny"}],
}


def test_buttons_become_numbered_options() -> None:
    text, options = sms.render_reply([{"text": "明白了，属于「欠薪」类。"}, CONSENT])
    assert text == (
        "明白了，属于「欠薪」类。\n登记需要您的姓名和电话，您同意提供吗？\n回复1：同意\n回复2：不同意，匿名登记"
    )
    assert options == [sms.Option("同意", "/affirm"), sms.Option("不同意，匿名登记", "/deny")]


def test_options_are_numbered_across_the_messages_of_a_turn() -> None:
    second = {"text": "还是这两类？", "buttons": [{"title": "欠薪", "payload": "/dispute_wage_arrears"}]}
    text, options = sms.render_reply([CONSENT, second])
    assert "回复3：欠薪" in text and len(options) == 3


@pytest.mark.parametrize("answer", ["1", "１", " 1 ", "1。", "回复1", "选1", "第1个"])
def test_a_digit_picks_its_option(answer: str) -> None:
    _, options = sms.render_reply([CONSENT])
    chosen = sms.pick_option(answer, options)
    assert chosen is not None and chosen.payload == "/affirm"


@pytest.mark.parametrize("answer", ["3", "0", "12", "1万", "我同意", "13912345678", ""])
def test_other_answers_pick_nothing(answer: str) -> None:
    _, options = sms.render_reply([CONSENT])
    assert sms.pick_option(answer, options) is None


async def test_option_memory_maps_digits_only_for_the_last_reply() -> None:
    memory = sms.OptionMemory()
    _, options = sms.render_reply([CONSENT])
    await memory.remember("13912345678", options)
    assert await resolve(memory, "13912345678", "2") == "/deny"
    assert await resolve(memory, "13800000000", "2") == "2"  # another sender's options never apply
    await memory.remember("13912345678", [])  # the next question has no buttons: "1" is an answer again
    assert await resolve(memory, "13912345678", "1") == "1"


async def test_option_memory_expires() -> None:
    clock = Clock()
    memory = sms.OptionMemory(ttl=60, clock=clock)
    await memory.remember("13912345678", [sms.Option("同意", "/affirm")])
    clock.now = 61
    assert await resolve(memory, "13912345678", "1") == "1"


async def resolve(memory: sms.OptionMemory, sender: str, text: str) -> str:
    """What the channel passes on: the payload when ``text`` picks one of the sender's options."""
    chosen = sms.pick_option(text, await memory.options(sender))
    return chosen.payload if chosen else text


# ---------------------------------------------------------------- phone numbers


@pytest.mark.parametrize(
    "raw, phone",
    [
        ("13912345678", "13912345678"),
        ("+86 139-1234-5678", "13912345678"),
        ("008613912345678", "13912345678"),
        ("0351-1234567", "03511234567"),
        ("12345", "12345"),
        ("老王", None),
        ("", None),
        (None, None),
        ("139123456781234567890", None),
    ],
)
def test_sender_is_the_normalised_phone_number(raw: str | None, phone: str | None) -> None:
    assert sms.normalise_sender(raw) == phone


def test_phone_numbers_are_masked_for_logs() -> None:
    assert sms.mask("13912345678") == "139****5678"
    assert sms.mask("03511234567") == "035****4567"
    assert sms.mask("12345") == "*2345"


# ---------------------------------------------------------------- shared memories (several workers)


def _shared(url: str, prefix: str) -> sms.OptionMemory:
    return sms.RedisOptionMemory(url, prefix=f"{prefix}:options:")


async def test_two_workers_share_options(redis_url) -> None:
    options_a = _shared(*redis_url)
    options_b = _shared(*redis_url)
    await options_a.remember(
        "13912345678", [sms.Option("拖欠工资", '/choose_category{"category":"wage_arrears"}')]
    )
    assert await resolve(options_b, "13912345678", "1") == '/choose_category{"category":"wage_arrears"}'
    assert await options_b.options("13800000000") == []
    await options_b.remember("13912345678", [])
    assert await options_a.options("13912345678") == []


async def test_phone_numbers_are_not_stored_in_clear(redis_url) -> None:
    import redis

    url, prefix = redis_url
    options = _shared(url, prefix)
    await options.remember("13912345678", [sms.Option("是", "/affirm")])
    keys = [k.decode() for k in redis.Redis.from_url(url).scan_iter(f"{prefix}*")]
    assert keys and not any("13912345678" in k for k in keys)


def test_memories_are_per_process_without_redis() -> None:
    assert type(sms.option_memory(None)) is sms.OptionMemory
