"""The normaliser the risk patterns rely on, and its fast t2s against OpenCC itself."""

from __future__ import annotations

from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.risk.normalize import MAX_CHARS, Normalizer, to_simplified
from bot.risk.rules import default_rules

SEEDS = Path("/work/shared/seeds")
_T2S = opencc.OpenCC("t2s")
_S2T = opencc.OpenCC("s2t")
SAMPLES = [
    "老闆拖欠我三個月工資，包工頭跑路了",
    "他說再鬧就打死我，我真的不想活了",
    "我們幾十個人明天去政府門口拉橫幅",
    "這個問題反覆反映了好多次，一直沒人瞭解情況",
    "離婚後孩子撫養費他不給，還揚言報復",
    "樓上漏水把我家天花板泡了",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_t2s_matches_opencc(text: str) -> None:
    assert to_simplified(text) == _T2S.convert(text)


def test_t2s_matches_opencc_on_the_seed_reports() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))] if SEEDS.exists() else []
    texts = texts or SAMPLES
    for text in texts:
        traditional = _S2T.convert(text)
        for start in range(0, len(traditional), 500):
            chunk = traditional[start : start + 500]
            assert to_simplified(chunk) == _T2S.convert(chunk)


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("說鬧打死我們幾個人門口拉橫幅瞭解反覆藉口沈默么麼乾淨a1，。 ")),
        max_size=60,
    )
)
def test_t2s_matches_opencc_on_random_mixes(text: str) -> None:
    assert to_simplified(text) == _T2S.convert(text)


def test_simplified_text_is_returned_unchanged() -> None:
    text = "老板拖欠我三个月工资，请问怎样处理"
    assert to_simplified(text) is text  # nothing t2s would change: not even converted
    assert to_simplified("怎么办") == "怎么办"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ＩＷＡＮＴ　ｔｏ", "iwant to"),
        ("想\u200b不\u200d开\ufe0f", "想不开"),
        ("想 不 开", "想不开"),
        ("以前打过架 现在没事", "以前打过架 现在没事"),
        ("他拿🔪来了", "他拿刀来了"),
        ("他👊🏻我", "他打我"),
        ("他又家爆我", "他又家暴我"),
        ("他說要弄屎我", "他说要弄死我"),
        ("a\x00b\x07c", "a b c"),
        ("第一行\r\n第二行", "第一行\n第二行"),
        ("", ""),
        (None, ""),
        (12, "12"),
    ],
)
def test_normalizer(raw: object, expected: str) -> None:
    assert default_rules().normalizer(raw) == expected


def test_replace_table_keys_are_normalised_too() -> None:
    normalizer = Normalizer({"家爆": "家暴", "ＡＢ": "x"})
    assert normalizer("他家爆我ab") == "他家暴我x"


def test_length_is_bounded() -> None:
    assert len(default_rules().normalizer("打" * (MAX_CHARS * 2))) == MAX_CHARS
