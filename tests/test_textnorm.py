import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.textnorm import MAX_CHARS, join_typed_apart, normalize_text, to_halfwidth


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("老闆拖欠我三個月工資", "老板拖欠我三个月工资"),
        ("包工頭跑路了，俺們的血汗錢咋整？？？", "包工头跑路了，俺们的血汗钱咋整？"),
        ("工资１２０００元", "工资12000元"),
        ("ＡＢＣ公司不给钱！！！😡😡", "ABC公司不给钱！"),
        ("  老公又动手了🙏🙏  ", "老公又动手了"),
        ("我的电话是\t139 1234\n5678", "我的电话是 139 1234 5678"),
        ("物业......不管", "物业.不管"),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_halfwidth_keeps_chinese_punctuation() -> None:
    assert to_halfwidth("１３９，好的。") == "139，好的。"


def test_length_is_capped() -> None:
    assert len(normalize_text("欠薪" * 5000)) == MAX_CHARS


@pytest.mark.parametrize("raw", ["", None, "😀😀😀", "\x00\x01\x02", "   "])
def test_empty_or_garbage_gives_empty(raw: str | None) -> None:
    assert normalize_text(raw) == ""


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=5000))
def test_never_crashes_and_never_grows(text: str) -> None:
    out = normalize_text(text)
    assert isinstance(out, str)
    assert len(out) <= MAX_CHARS
    assert out == out.strip()


def test_a_money_emoji_after_a_figure_is_its_unit() -> None:
    from bot.textnorm import normalize_text

    assert normalize_text("买了双鞋899💸 到手是假的😭") == "买了双鞋899元 到手是假的"
    assert normalize_text("💰💰老板跑了") == "老板跑了"


def test_the_fact_extractor_reads_a_money_emoji_after_a_figure_as_yuan() -> None:
    from bot.facts import extract_facts

    amounts = [f.value for f in extract_facts("在网上买了双鞋899💸 到手一看是假的😭") if f.entity == "amount"]
    assert amounts == [899]


def test_text_typed_one_character_at_a_time_is_read_as_one() -> None:
    # every character apart: words, names and the question mark of 吗 are whole again
    assert normalize_text("你 们 能 到 村 里 来 吗 我 腿 脚 不 好") == "你们能到村里来吗我腿脚不好"
    assert join_typed_apart("贾 长 顺") == "贾长顺"
    # digits stay as typed (the phone reader knows them); two words with one space are no typing apart
    assert join_typed_apart("电 话 1 3 4 5") == "电话 1 3 4 5"
    assert join_typed_apart("老板姓王 欠了我三个月工资") == "老板姓王 欠了我三个月工资"
