"""Round 14's dialogue gaps, in sentences of our own: a dismissal told with overtime is a dismissal;
"don't know" in Cantonese, Minnan and Wu; a question ending on a question word; a question no topic
fits is told what the center handles, not "没太明白"."""

from __future__ import annotations

import pytest

from bot.intake import opening, subtypes
from bot.intake.answers import is_skip
from bot.questions import is_question, last_question


@pytest.mark.parametrize(
    "story",
    [
        "经理先是天天让我加班到十点，后来说我试用期不合格，第二天就把我辞了",
        "试用期不合格被辞，可我加班从来没少过",
        "厂里说我加班不积极，停职一个月，然后让我下岗回家",
    ],
)
def test_a_dismissal_told_in_more_words_than_overtime_is_a_dismissal(story: str) -> None:
    assert subtypes.detect("labor", story) == "dismissal"


@pytest.mark.parametrize("text", ["唔清楚", "我唔知", "阮毋知", "我弗清爽", "不确定", "no idea", "Not sure"])
def test_dont_know_in_dialects_and_english_is_a_skip(text: str) -> None:
    assert is_skip(text)


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("大概得多久啊", True),
        ("下午关门是几点呀", True),
        ("收唔收钱㗎", True),
        ("定系要去法院先得", True),
        ("我也不知道多少", False),
        ("忘了是哪个", False),
        ("嗯那个啥", False),
        ("老板欠了我三千多", False),
    ],
)
def test_a_question_word_at_the_end_asks_unless_it_follows_dont_know(text: str, asks: bool) -> None:
    assert is_question(text) is asks


def test_a_question_no_topic_fits_is_told_what_the_center_handles() -> None:
    response, _, _ = opening.not_understood("nlu_fallback", {}, "请问在你们这能补办驾驶证吗？")
    assert response == "utter_out_of_scope"
    response, _, _ = opening.not_understood("nlu_fallback", {}, "嗯嗯啊")
    assert response == "utter_default"


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("我在厂里干了三年，要申请仲裁。大概得多久啊，我还得上班", "大概得多久啊，我还得上班"),
        ("登记好了，后面会发短信告诉我不？还是得我自己打电话问", "会发短信告诉我不？还是得我自己打电话问"),
        ("把人关在仓库里犯不犯法？人我已经关进去了。", ""),
        ("老板欠我三个月工资，一直拖着不给。", ""),
    ],
)
def test_the_last_sentence_that_asks_is_found(text: str, asked: str) -> None:
    got = last_question(text)
    assert got.endswith(asked) and bool(got) is bool(asked)
