"""Property-based: no input crashes extract_facts, and offsets always index the input."""

from __future__ import annotations

import random

from facts_helpers import NOW
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.facts import extract_facts, facts_dict
from bot.facts.textnorm import normalise

FAST = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)

_CHINESE = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
_DOMAIN = st.sampled_from(
    list(
        "欠万千百十一二两三四五六七八九零幺块元多来几个人们工友家户号楼岁年月天电话手机身份证叫是姓老板包工头"
        "0123456789０１２３Xx-—/ ，。！？\n\t"
    )
)
_EMOJI = st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF)
_ANY = st.characters(blacklist_categories=())


def _check(text: str) -> None:
    facts = extract_facts(text, NOW)
    for fact in facts:
        assert 0 <= fact.start <= fact.end <= len(text)
        assert text[fact.start : fact.end] == fact.text
    facts_dict(text, NOW)


@FAST
@given(st.text(alphabet=st.one_of(_CHINESE, _DOMAIN, _EMOJI, _ANY), max_size=300))
def test_mixed_text_never_crashes(text: str) -> None:
    _check(text)


@FAST
@given(st.text(alphabet=_DOMAIN, min_size=1, max_size=120))
def test_domain_soup_never_crashes(text: str) -> None:
    _check(text)


_SOUP = list(
    "欠万千百十一二两三四五六七八九零块元多来几个人们工友家户号楼岁年月天电话叫姓老板包工头物业邻居借条0123456789X-，。 😡"
)


@settings(max_examples=4, deadline=None)
@given(st.integers(min_value=0, max_value=2**32))
def test_5000_chars(seed: int) -> None:
    rnd = random.Random(seed)  # one draw per example keeps Hypothesis' buffer small
    text = "".join(
        rnd.choice(_SOUP) if rnd.random() < 0.7 else chr(rnd.randint(0x4E00, 0x9FFF)) for _ in range(5000)
    )
    assert len(text) == 5000
    _check(text)


@FAST
@given(st.text(alphabet=st.characters(whitelist_categories=("Cc", "Cf", "Zs", "Zl", "Zp")), max_size=200))
def test_control_and_space_characters(text: str) -> None:
    _check(text)


@FAST
@given(st.text(alphabet=_EMOJI, max_size=100))
def test_emoji_only(text: str) -> None:
    assert extract_facts(text, NOW) == []


@FAST
@given(st.text(max_size=200))
def test_normalise_preserves_length(text: str) -> None:
    assert len(normalise(text)) == len(text)


def test_fixed_nasty_inputs() -> None:
    for text in [
        "",
        " ",
        "\x00" * 50,
        "😀" * 2000,
        "a" * 5000,
        "1" * 5000,
        "万" * 5000,
        "十几" * 2500,
        "我叫" * 2500,
        "电话" + "1" * 11 + "x" * 4980,
        "\ud800\udfff",
        "ｘ" * 100,
        "¥" * 100,
    ]:
        _check(text)
