"""A simulated citizen of a blind conversation set: reads the assistant's replies, recognises the
question from keyword patterns, answers from its persona.

Every pattern lives in the tables at the top of this module (one place to adjust to new wordings).
Pure logic: no network; ``tools.conversations`` sends the messages and scores the tickets.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tools.simulation import CASE_CODE_DIGITS

# --- the data table ----------------------------------------------------------------------------------
# Question kinds in priority order: the first whose pattern is found in the question wins. A kind is
# a key of the persona's `answers`, or one of the special kinds below:
#   category / sub_type  click the button of the expected category / sub-type
#   phone_reuse          a yes/no question about a number already given: answer 是
#   describe             the assistant asks to describe the dispute (again): send the first message
#   unknown              a question the persona has no answer for: its `unknown` answer
QUESTION_PATTERNS: list[tuple[str, str]] = [
    ("confirm", r"核对|确认提交|确认一下.*(信息|登记)|确认.*(无误|对吗|对不对)|没问题请回复"),
    ("category", r"哪一类|哪类|属于哪|哪个类别|什么类型的纠纷"),
    ("sub_type", r"具体是哪|哪方面|具体属于|具体是什么(情况|问题)|哪一种|哪种情况"),
    (
        "phone_reuse",
        r"(这个|该|此|刚才的?|上面的?)(手机)?(号码|号|电话|手机).{0,12}(吗|？|\?)|就用.{0,6}(号码|电话|手机)",
    ),
    ("consent", r"同意|匿名|个人信息"),
    ("name", r"称呼|姓名|怎么称呼|叫什么名字|您贵姓"),
    ("phone", r"手机|电话|号码|联系方式"),
    ("unknown", r"找过|反映过|反映吗|劳动合同|认定书|有孩子|几个孩子|哪里要改|要修改"),
    ("amount", r"多少钱|金额|涉及.{0,4}钱|大概的数|数额|钱数"),
    ("headcount", r"几个人|多少人|人数|几位"),
    ("period", r"什么时候|时间|哪天|哪一天|多久|何时"),
    ("location", r"哪里|地点|地址|在哪|哪个小区|几号楼|哪个村"),
    ("counterparty", r"对方|谁|哪家|哪个单位|什么关系"),
    ("evidence", r"证据|材料|凭证|票据"),
    ("demand", r"怎么解决|诉求|希望|想要.{0,6}(结果|解决)|要求"),
    ("describe", r"说说.{0,8}(纠纷|什么事|情况)|遇到了什么|具体遇到|再说说|经过"),
]
# A reply is a question when it has buttons or one of these.
QUESTION_MARKERS = r"[？?]|吗|请(回|告诉|选|发|说|问)|比如|麻烦|回[“\"「]"
# The question proper ends where its examples begin: patterns are matched there first.
EXAMPLES = r"比如|例如|譬如"
# The closing message of a filed intake (also an urgent case filed at once): its case code.
CASE_CODE = CASE_CODE_DIGITS
# The category question's buttons, by the Chinese name of each category code.
CATEGORY_NAMES: dict[str, str] = {
    "wage_arrears": "欠薪",
    "labor": "劳动争议",
    "family": "婚姻家庭",
    "property": "物业房产",
    "neighbor": "邻里纠纷",
    "debt": "债务借贷",
    "traffic": "交通事故",
    "land": "土地纠纷",
}
NONE_OF_THESE = r"都不是|其他|其它|以上都不"
# A few Chinese keywords per sub-type code, to pick the sub-type question's button.
SUB_TYPE_KEYWORDS: dict[str, tuple[str, ...]] = {
    "wages": ("工资", "工钱", "欠薪", "讨薪", "劳务费"),
    "dismissal": ("辞退", "开除", "解除", "补偿", "裁员"),
    "injury": ("工伤", "受伤", "人身", "伤", "医疗", "医药费"),
    "overtime": ("加班", "休假", "年假", "工时"),
    "social_insurance": ("社保", "保险", "公积金"),
    "transfer": ("调岗", "降薪", "调动"),
    "contract": ("合同", "承包", "流转", "租金", "林"),
    "custody": ("抚养", "探望", "孩子"),
    "divorce": ("离婚", "财产分割", "感情"),
    "domestic_violence": ("家暴", "家庭暴力", "暴力", "打人"),
    "elder_support": ("赡养", "养老", "老人"),
    "bride_price": ("彩礼", "订婚", "婚约"),
    "inheritance": ("继承", "遗产", "遗嘱"),
    "management": ("物业服务", "物业费", "物业", "电梯", "管理"),
    "rental": ("租房", "租赁", "押金", "房租", "出租"),
    "renovation": ("装修", "装饰"),
    "purchase": ("购房", "买房", "交房", "开发商"),
    "demolition": ("拆迁", "征收", "棚改"),
    "noise": ("噪音", "吵", "扰民"),
    "animals": ("养狗", "宠物", "动物", "狗", "鸽"),
    "boundary": ("占道", "堵路", "界", "搭建", "通道", "侵占"),
    "light": ("采光", "遮挡", "日照", "光"),
    "water": ("排水", "漏水", "水"),
    "loan": ("借款", "借钱", "借贷", "欠条", "借条"),
    "goods": ("货款", "买卖", "运费", "账款"),
    "guarantee": ("担保", "保证"),
    "damage": ("财产损失", "车物损失", "损失", "车损", "损坏", "修车", "维修"),
    "homestead": ("宅基地",),
    "married_out": ("外嫁女", "出嫁", "嫁", "户口"),
    "requisition": ("征地", "补偿款", "征收"),
}
# Yes-buttons for a yes/no question (phone_reuse); the text answer is YES.
YES = "是"
YES_TITLES = r"^(是|对|好|就用|用这个|确认)"
ACK = "好的"  # a reply that asks nothing: the citizen acknowledges and waits for the next question
# Buttons as numbered options in one text (WeChat, hotline): ``回复1：同意``, answered by the digit.
NUMBERED_OPTION = r"^\s*回复(\d{1,2})[：:]\s*(.+?)\s*$"
# ------------------------------------------------------------------------------------------------------

_PATTERNS = [(kind, re.compile(pattern)) for kind, pattern in QUESTION_PATTERNS]
_QUESTION = re.compile(QUESTION_MARKERS)
_CODE = re.compile(CASE_CODE)
_EXAMPLES = re.compile(EXAMPLES)
_OPTION = re.compile(NUMBERED_OPTION, re.MULTILINE)
INTAKE_KINDS = frozenset(k for k, _ in QUESTION_PATTERNS) - {"describe", "unknown"}


def simplified(text: str) -> str:
    """Traditional → simplified (so the patterns hold for 繁體 replies too)."""
    from bot.textnorm import to_simplified

    return to_simplified(text or "")


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[dict[str, Any], ...] = ()
    joined: bool = False  # a whole turn in one text, options numbered in it (WeChat)

    @classmethod
    def of(cls, raw: Mapping[str, Any]) -> Reply:
        return cls(str(raw.get("text") or ""), tuple(raw.get("buttons") or ()))

    @classmethod
    def from_text(cls, text: str) -> Reply:
        """A turn as one text (WeChat): its numbered options become buttons whose payload is the digit,
        so the citizen answers a button question by the option's number."""
        options = tuple({"title": m.group(2), "payload": m.group(1)} for m in _OPTION.finditer(text))
        return cls(text, options, joined=True)

    @property
    def question_text(self) -> str:
        """The text without its numbered options (their titles are no question words)."""
        return _OPTION.sub("", self.text).strip() if self.joined else self.text


def case_code(replies: Sequence[Reply]) -> str | None:
    for reply in replies:
        found = _CODE.search(reply.text)
        if found:
            return found.group(0)
    return None


def classify(text: str, buttons: Sequence[Mapping[str, Any]] = ()) -> str | None:
    """The kind of question a reply asks, or None when it asks nothing."""
    plain = simplified(text)
    is_question = bool(buttons) or bool(_QUESTION.search(plain))
    proper = _EXAMPLES.split(plain)[0]
    for part in (proper, plain) if proper != plain else (plain,):
        for kind, pattern in _PATTERNS:
            if kind == "describe" and pattern.search(part):
                return kind  # asking to describe needs no question mark
            if pattern.search(part) and is_question:
                return kind
    return "unknown" if is_question else None


def _classify_reply(reply: Reply) -> str | None:
    """A reply's question; for a joined turn the last one: the shortest tail of its lines that asks a
    known question (a line of examples alone asks nothing known), as a reader takes the last question."""
    if not reply.joined:
        return classify(reply.text, reply.buttons)
    lines = [line for line in reply.question_text.splitlines() if line.strip()]
    for start in range(len(lines) - 1, 0, -1):
        kind = classify("\n".join(lines[start:]), reply.buttons)
        if kind not in (None, "unknown"):
            return kind
    return classify("\n".join(lines), reply.buttons)


def question_of(replies: Sequence[Reply]) -> tuple[str | None, Reply | None]:
    """The question of a turn's replies: the last reply that asks something (and its kind)."""
    for reply in reversed(replies):
        kind = _classify_reply(reply)
        if kind is not None:
            return kind, reply
    return None, None


def _score(title: str, keywords: Sequence[str]) -> int:
    return sum(len(k) for k in keywords if k in title)


def pick_button(kind: str, buttons: Sequence[Mapping[str, Any]], expected: Mapping[str, Any]) -> str | None:
    """The payload the citizen clicks for a category, sub-type or yes/no question, else None."""
    titled = [
        (simplified(str(b.get("title") or "")), str(b.get("payload") or b.get("title") or ""))
        for b in buttons
    ]
    if not titled:
        return None
    none_of_these = next((p for t, p in titled if re.search(NONE_OF_THESE, t)), None)
    if kind == "category":
        name = CATEGORY_NAMES.get(str(expected.get("category")))
        match = next((p for t, p in titled if name and (name in t or t in name)), None)
        return match or none_of_these or titled[-1][1]
    if kind == "sub_type":
        keywords = SUB_TYPE_KEYWORDS.get(str(expected.get("sub_type")), ())
        best = max(titled, key=lambda tp: _score(tp[0], keywords))
        if _score(best[0], keywords) > 0:
            return best[1]
        return none_of_these or titled[-1][1]
    if kind == "phone_reuse":
        return next((p for t, p in titled if re.search(YES_TITLES, t)), None)
    return None


@dataclass
class Citizen:
    """One persona of the blind set, talking until the case code."""

    persona: Mapping[str, Any]
    turn: int = 0  # citizen messages sent so far
    interjections: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.interjections = list(self.persona.get("interjections") or [])

    @property
    def answers(self) -> Mapping[str, str]:
        return self.persona.get("answers") or {}

    def first(self) -> str:
        self.turn = 1
        return str(self.persona["first_message"])

    def answer_kind(self, kind: str | None, reply: Reply | None) -> str:
        expected = self.persona.get("expected") or {}
        if kind is None:
            return ACK
        if kind == "describe":
            return str(self.persona["first_message"])
        if kind in ("category", "sub_type", "phone_reuse"):
            clicked = pick_button(kind, reply.buttons if reply else (), expected)
            if clicked:
                return clicked
            if kind == "phone_reuse":
                return YES
            if kind == "category":
                return CATEGORY_NAMES.get(
                    str(expected.get("category")), self.answers.get("unknown", "不清楚")
                )
            return self.answers.get("unknown", "不清楚")
        return str(self.answers.get(kind) or self.answers.get("unknown") or "不清楚")

    def next_message(self, replies: Sequence[Reply]) -> tuple[str, str | None]:
        """The citizen's next message and the kind of question it answers ('interjection' for one)."""
        self.turn += 1
        if self.turn % 2 == 0 and self.interjections:
            return self.interjections.pop(0), "interjection"
        kind, reply = question_of(replies)
        return self.answer_kind(kind, reply), kind
