"""One simulated citizen per category, through the REST channel to a filed ticket.

The citizen answers each question from its keywords, as a person would; the test checks the
category, the window of the design's routing table, and how many turns it took.
"""

from __future__ import annotations

import statistics

import pytest

from bot import paths
from tests.integration.test_intake_flow import get_ticket
from tools.simulation import run_intake

# Most specific first; "不清楚" for anything else.
ANSWERS = {
    "核对": "确认",
    "反映": "没有",
    "同意": "同意",
    "称呼": "我叫张秀兰",
    "手机号": "13812345678",
    "哪家物业": "阳光物业",
    "几号楼": "阳光小区3号楼",
    "认定书": "有",
    "事故": "上周五下午",
    "合同": "没签",
    "辞退": "上个月15号",
    "关系": "夫妻",
    "孩子": "一个儿子8岁",
    "单位": "宏达物流有限公司",
    "谁欠": "包工头老李",
    "对方": "对方叫王强",
    "多少钱": "两万块",
    "几个人": "就我一个",
    "什么时候": "去年开始的",
    "哪里": "太原市小店区坞城街道",
    "证据": "有聊天记录",
    "怎么解决": "希望调解解决",
}

CASES = [
    ("wage_arrears", "labor_inspection", "在工地干了半年活，工钱一分没拿到"),
    ("labor", "labor_arbitration", "公司突然把我辞退了，也不给经济补偿"),
    ("family", "family_mediation", "老公要跟我离婚，孩子的抚养费他一分不想出"),
    ("property", "property_mediation", "物业费年年涨，小区电梯坏了三个月没人修"),
    ("neighbor", "people_mediation", "隔壁邻居家的狗天天晚上叫，吵得老人睡不着"),
    ("debt", "people_mediation", "朋友借了我两万块钱，打了借条，拖了一年不还"),
    ("traffic", "traffic_mediation", "骑电动车被小轿车撞了，对方不肯赔医药费"),
    ("land", "land_mediation", "村里征地补偿款分配，没有我家的份"),
]
TURNS: dict[str, int] = {}


@pytest.mark.parametrize(("category", "window", "first"), CASES, ids=[c[0] for c in CASES])
def test_every_category_reaches_its_window(stack, chat, category: str, window: str, first: str) -> None:
    button = f"/dispute_{category}"  # a click on the category button, if the assistant asks
    code, transcript = run_intake(chat, first, {"哪一类": button, **ANSWERS})
    ticket = get_ticket(stack, code)
    assert ticket["category"] == category, "\n".join(transcript)
    assert ticket["route"]["window"] == window
    assert ticket["facts"]["phone"] == "13812345678"
    turns = sum(1 for line in transcript if line.startswith("群众："))
    assert turns <= 16, "\n".join(transcript)
    TURNS[category] = turns
    if len(TURNS) == len(CASES):
        report = paths.ROOT / "reports" / "intake_turns.md"
        report.parent.mkdir(exist_ok=True)
        rows = "\n".join(f"| {c} | {n} |" for c, n in TURNS.items())
        report.write_text(
            "| category | citizen turns to a filed ticket |\n|---|---|\n"
            f"{rows}\n\nmedian: {statistics.median(TURNS.values())}\n",
            encoding="utf-8",
        )
