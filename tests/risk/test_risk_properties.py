"""Property tests: screening never crashes, and danger is found wherever it sits in a message."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.risk import LEVELS, NONE, URGENT, emergency_message, screen

URGENT_SENTENCES = ["我不想活了", "老公又动手了", "他说再闹就打死我", "他拿着刀在我家门口", "孩子被打了"]
ORDINARY_SENTENCES = [
    "老板拖欠我三个月工资",
    "楼上漏水把我家天花板泡了",
    "邻居家狗天天叫",
    "打官司要多少钱",
    "我想咨询一下劳动仲裁",
    "物业费太贵了",
    "打电话没人接",
]

mixed_text = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF),
        st.sampled_from(list("，。！？、 \n\t\x00\x07\u200b\u200d\ufe0f\u3000ｱＡ１")),
        st.characters(),
    ),
    max_size=400,
)


def _check(result) -> None:
    assert result.level in LEVELS
    assert all(signal.level in LEVELS for signal in result.signals)
    assert (result.level == NONE) == (not result.signals)
    assert isinstance(emergency_message(result), str)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_text_never_crashes(text: str) -> None:
    _check(screen(text))


@settings(max_examples=200, deadline=None)
@given(mixed_text)
def test_mixed_scripts_emoji_and_controls_never_crash(text: str) -> None:
    _check(screen(text))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=300).map(lambda s: (s * (5000 // len(s) + 1))[:5000]))
def test_5000_characters_never_crash(text: str) -> None:
    _check(screen(text))


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF), max_size=50))
def test_emoji_only_is_none(text: str) -> None:
    result = screen(text)
    _check(result)
    assert result.level != URGENT or any(ch in text for ch in "\U0001f52a\U0001f480")


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(URGENT_SENTENCES),
    st.lists(st.sampled_from(ORDINARY_SENTENCES), max_size=60),
    st.lists(st.sampled_from(ORDINARY_SENTENCES), max_size=60),
)
def test_danger_is_found_anywhere_in_a_long_story(danger: str, before: list[str], after: list[str]) -> None:
    text = "，".join([*before, danger, *after])
    assert screen(text).level == URGENT


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from(ORDINARY_SENTENCES), min_size=1, max_size=40),
    st.sampled_from(["，", "。", " ", "\n"]),
)
def test_ordinary_sentences_stay_none_in_any_combination(sentences: list[str], sep: str) -> None:
    assert screen(sep.join(sentences)).level == NONE


@settings(max_examples=50, deadline=None)
@given(
    st.sampled_from(URGENT_SENTENCES + ORDINARY_SENTENCES), st.sampled_from(["", "😭", "!!!", "  ", "\u200b"])
)
def test_decoration_does_not_change_the_level(sentence: str, decoration: str) -> None:
    assert screen(decoration + sentence + decoration).level == screen(sentence).level


def test_odd_inputs() -> None:
    for value in ["", None, " ", "\x00" * 10, "\ud800", "😀" * 1000, "a" * 50_000, 12345, b"bytes"]:
        _check(screen(value))  # type: ignore[arg-type]
