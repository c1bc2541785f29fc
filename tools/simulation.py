"""A simulated citizen that answers the assistant's questions by keywords, as a person would.

Shared by the integration tests (one intake, checked in detail) and ``tools.bench`` (many intakes at
once, timed), so both drive the assistant the same way. Pure logic: the caller sends the messages.
"""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot import paths

CASE_CODE_DIGITS = r"\d{6}-\d{8}-\d{4}"  # a case code (一案一码), e.g. 140105-20261127-0001
CASE_CODE = re.compile(rf"受理编号：({CASE_CODE_DIGITS})")
# A button of a text-only channel (hotline SMS, WeChat): a numbered line 回复1：…
OPTION_LINE = re.compile(r"^回复\d+：")
OPENINGS = paths.ROOT / "tests" / "bench" / "openings.yml"
DEFAULT_ANSWER = "不清楚"

# Most specific keywords first: the citizen answers the first one found in the question. Each
# keyword has a few phrasings; ``pick_answers`` chooses one per intake.
ANSWER_VARIANTS: dict[str, tuple[str, ...]] = {
    "核对": ("确认",),
    "反映": ("没有", "还没找过"),
    "同意": ("同意", "同意的"),
    "称呼": ("我叫张秀兰", "我叫李国强", "王建军", "我姓刘，叫刘红梅"),
    "手机号": ("13812345678", "13912345678", "我的手机是15034567890"),
    "哪家物业": ("阳光物业", "绿城物业服务公司"),
    "几号楼": ("阳光小区3号楼", "幸福家园12号楼"),
    "认定书": ("有", "没有"),
    "事故": ("上周五下午", "昨天早上八点多"),
    "合同": ("没签", "签了"),
    "辞退": ("上个月15号", "不清楚"),
    "关系": ("夫妻", "母子", "兄妹"),
    "孩子": ("一个儿子8岁", "没有", "两个女儿"),
    "单位": ("宏达物流有限公司", "华盛建筑公司"),
    "谁欠": ("包工头老李", "老板张军"),
    "对方": ("对方叫王强", "隔壁邻居老张", "我的同事小赵"),
    "多少钱": ("两万块", "三万五", "大概八千左右"),
    "几个人": ("就我一个", "我们15个人", "3个人"),
    "什么时候": ("去年开始的", "去年十月到今年三月", "今年五月"),
    "哪里": ("太原市小店区坞城街道", "迎泽区桥东街道", "晋源区义井村"),
    "证据": ("有聊天记录", "有借条和转账记录", "没有"),
    "怎么解决": ("希望调解解决", "让对方赔偿", "尽快把钱给我"),
}

# One fixed wage-arrears citizen (王建国, 13912345678, 35000 yuan, 15 workers), for tests that check
# exactly what reached the ticket.
WAGE_ANSWERS = {
    "核对": "确认",
    "反映": "没有",
    "同意": "同意",
    "称呼": "我叫王建国",
    "手机号": "13912345678",
    "谁欠": "包工头老王",
    "多少钱": "三万五",
    "几个人": "我们15个人",
    "什么时候": "去年十月到今年三月",
    "哪里": "太原市小店区坞城街道",
    "证据": "有聊天记录和考勤表",
    "怎么解决": "尽快把工钱结了",
}

# The fact each question asks for, answered in taxonomy order by the baseline's scripted citizen.
FACT_KEYWORDS: dict[str, str] = {
    "counterparty": "对方",
    "amount_yuan": "多少钱",
    "headcount": "几个人",
    "period": "什么时候",
    "location": "哪里",
    "evidence": "证据",
    "demand": "怎么解决",
    "tried_before": "反映",
    "contract_signed": "合同",
    "dismissal_date": "辞退",
    "relationship": "关系",
    "children": "孩子",
    "property_company": "哪家物业",
    "building": "几号楼",
    "accident_date": "事故",
    "accident_report": "认定书",
}


@dataclass(frozen=True)
class Opening:
    """One citizen's first message and the category it is about."""

    category: str
    text: str


def load_openings(path: Path = OPENINGS) -> list[Opening]:
    """The benchmark's pool of openings, category by category."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Opening(category, text) for category, texts in data.items() for text in texts]


def pick_answers(category: str, rng: random.Random) -> dict[str, str]:
    """One citizen's answers: a phrasing per keyword, plus the click on its category's button."""
    answers = {"哪一类": f"/dispute_{category}"}
    answers.update({key: rng.choice(variants) for key, variants in ANSWER_VARIANTS.items()})
    return answers


def question_of(replies: Sequence[str]) -> str:
    """What the assistant asks last: the first line of its last reply."""
    return replies[-1].splitlines()[0] if replies else ""


def last_line_question(replies: Sequence[str]) -> str:
    """What the assistant asks last in a text-only channel, where its buttons follow the question as
    numbered lines: the last line of its last reply that is not an option."""
    text = replies[-1] if replies else ""
    lines = [line for line in text.splitlines() if line.strip() and not OPTION_LINE.match(line)]
    return lines[-1] if lines else ""


def answer_for(question: str, answers: Mapping[str, str]) -> str:
    """The first answer whose keyword is in the question, else ``不清楚``."""
    return next((a for k, a in answers.items() if k in question), DEFAULT_ANSWER)


def case_code(replies: Sequence[str]) -> str | None:
    """The case code of the closing message, if these replies close the intake."""
    found = CASE_CODE.search("\n".join(replies))
    return found.group(1) if found else None


def scripted_messages(category: str, opening: str, answers: Mapping[str, str]) -> list[str]:
    """The messages of a whole intake in asking order, for a bot that does not ask (the baseline)."""
    from bot.taxonomy import category as category_spec

    spec = category_spec(category)
    facts = [*spec.required, *spec.optional]
    messages = [opening, answers["同意"], answers["称呼"], answers["手机号"]]
    messages += [answers[FACT_KEYWORDS[fact]] for fact in facts if fact in FACT_KEYWORDS]
    return [*messages, answers["核对"]]


def run_intake(
    chat: Callable[[str, str], list[str]],
    first: str,
    answers: Mapping[str, str],
    limit: int = 25,
    *,
    sender: str | None = None,
    question: Callable[[Sequence[str]], str] = question_of,
) -> tuple[str, list[str]]:
    """Talk until the closing message; returns the case code and the transcript. ``sender`` defaults
    to a new widget id (the only id format the REST channel takes); ``question`` reads the question
    off the replies (:func:`last_line_question` for a text-only channel)."""
    sender = sender or f"w-{uuid.uuid4().hex}"
    replies = chat(sender, first)
    return continue_intake(
        lambda text: chat(sender, text), replies, answers, limit, question=question, said=[first]
    )


def continue_intake(
    say: Callable[[str], list[str]],
    replies: list[str],
    answers: Mapping[str, str],
    limit: int = 25,
    *,
    question: Callable[[Sequence[str]], str] = question_of,
    said: Sequence[str] = (),
) -> tuple[str, list[str]]:
    """Answer from ``replies`` on until the closing message (``say`` sends one message and returns the
    replies to it); returns the case code and the transcript, which starts with ``said``."""
    transcript = [f"群众：{text}" for text in said]
    for _ in range(limit):
        transcript += [f"助手：{r}" for r in replies]
        code = case_code(replies)
        if code:
            return code, transcript
        answer = answer_for(question(replies), answers)
        transcript.append(f"群众：{answer}")
        replies = say(answer)
    raise AssertionError(f"no case code after {limit} turns:\n" + "\n".join(transcript))
