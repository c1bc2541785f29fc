"""How an answer to the consent question ("登记需要您的姓名和电话……您同意提供吗？不同意也可以匿名登记。")
is read, beyond the intake's general yes (``bot.intake.yes``).

- To a yes/no question, northern and central speech says yes with words that are no yes elsewhere:
  "能", "能啊", "管", "成么？", "中哩". "成么" said alone is a yes in Shaanxi and Henan, not a question.
- Telling the assistant to write it down is a yes: "你记吧", "恁记吧", "你們記低啦", "搞快点记", "整吧"
  (``bot.intake.yes.tells_to_record``), even after a hesitation ("算了算了 记吧 不然钱也要不回来"); "别记",
  "先别记我名字" are none.
- A no is the citizen's own: "不同意", "我不同意留电话", "不想留". "他家要是不同意咋整", "我老公不同意"
  tell of someone else's no; said at the consent they are a question or part of the story. A worry
  alone ("不太想留", "有点不放心") is neither: the consent is asked again.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.intake import questions
from bot.intake.schema import yes_words
from bot.intake.turn import AFFIRM, DENY
from bot.intake.yes import PARTICLES, plain, says_not_to_record, says_yes, tells_to_record
from bot.textnorm import content_chars, normalize_text

# Yes only as the answer to a yes/no question such as the consent ("能" to "您同意提供吗？", Henan "管";
# "整吧" in the north-east, "搞嘛" in the south-west, "弄吧": do it).
CONSENT_YES = ("能", "能的", "管", "管哩", "中哩", "成哩", "整", "弄", "搞")
# Endings of a yes: those of ``bot.intake.yes`` and the dialects' own (中哩, 能咧, 行噻).
_PARTICLES = PARTICLES + "哩"
# "成么？", "行嘛？", "可以撒？": a yes that takes a particle a question could end on, said alone.
_ASKING_YES = ("成", "中", "行", "可以", "要得", "得")
_ASKING_PARTICLES = "么嘛撒噻哩"
# Said before a no of one's own: "我", "我还是", "那我就", "我是", "俺们还是想" ("要是" is no such).
_OWN = (
    r"(?:嗯|呃|额|那|那么|哦|噢|算了)?(?:我们|俺们|我|俺|咱|本人)?"
    r"(?:还是|就|也|先|暂时|目前|现在|真|实在)*(?:是)?(?:想|要|选择|希望)?"
)
# A no to the consent, in a clause that starts with it ("算了，我不同意"); "不同意的话…" asks.
REFUSAL_WORDS = ("不同意", "不愿意", "不願意", "不乐意", "匿名")
# "不用匿名" is no such wish
_ANONYMOUS = re.compile(r"(?<!不)(?<!不用)(?<!不要)(?<!不想)(?<!不必)匿名(?!举报|信)")
_OWN_REFUSAL = re.compile(rf"^{_OWN}(?:{'|'.join(REFUSAL_WORDS)})(?!的话)")
# A no to giving the name or phone: "不想留", "不给", "我不想提供电话".
_NOT_GIVING = re.compile(
    r"(?:不想|不愿|不要|不用|不方便|不)(?:留|给|提供|告诉|透露|写|填|报)"
    r"(?:了|吧|啊|呀|哦|嘞|哈|呢)*(?:$|.*(?:电话|手机|号码|名字|姓名|信息|联系方式))"
)
# A worry, no no: "不太想留😶", "有点不放心", "不大愿意给电话" (asked again, never anonymous at once).
_WORRY = re.compile(
    r"^(?:嗯|呃|额|唉|哎|这个|其实|说实话|老实说|我|俺|就是|还是|可能|好像|感觉)*"
    r"(?:(?:不太|不大|不怎么|不是很|不是太)(?:想|愿意|愿|乐意|方便|放心|敢)"
    r"|(?:有点儿?|有些|有一点|一点)(?:不想|不愿意?|不乐意|不方便|不放心|不敢|担心|怕|犹豫|顾虑))"
    r"(?:留|给|提供|告诉|透露|写|填|报|说)?(?:电话|手机|号码|名字|姓名|信息|联系方式)?"
    rf"[{PARTICLES}]*$"
)
_CLAUSE_SPLIT = re.compile(r"[，,。.！!？?；;、\s~]+")


@lru_cache(maxsize=1)
def _yes_pattern() -> re.Pattern[str]:
    words = sorted({*yes_words(), *CONSENT_YES}, key=len, reverse=True)
    alternatives = "|".join(map(re.escape, words))
    # more may follow the yes ("能啊，你们记吧"), but no question ("能，为什么要电话？")
    return re.compile(
        rf"^(?:我|俺)?(?:(?:{alternatives})[{_PARTICLES}]*)+(?:$|[，,。.！!\s~、](?!.*[？?]\s*$))"
    )


_ASKING_YES_PATTERN = re.compile(
    rf"^(?:我|俺)?(?:{'|'.join(_ASKING_YES)})+[{_ASKING_PARTICLES}]+[？?!！。.~\s]*$"
)


def yes_like_a_question(text: str) -> bool:
    """ "成么？", "行嘛", "可以撒？": a yes said alone that ends the way a question may; in Shaanxi, Henan
    and Sichuan it is a yes ("成么？" is "成啊"). "能吗？" and "成不？" are none."""
    return _ASKING_YES_PATTERN.match(normalize_text(text).strip().lower()) is not None


def says_yes_to_consent(text: str) -> bool:
    """A yes to the consent question: the intake's yes ("同意", "中嘞", "可以撒"), one of the words
    that are a yes only to a yes/no question, with more after them or not ("能啊，你记吧", "成么？",
    "管", "OK 可以", "整吧"), or telling the assistant to write it down ("你记吧", "你們記低啦", "搞快点
    记"). "能吗？", "能不能不留", "成不成", "管他呢", "别记" and "先别记我名字" are none."""
    said = plain(text)
    if not said or says_not_to_record(said):
        return False
    return (
        says_yes(said)
        or _yes_pattern().match(said) is not None
        or yes_like_a_question(said)
        or tells_to_record(said)
    )


# 其实我也犹豫……算了，还是登记吧 / 那就留吧: a hesitation that comes round to a yes
_COMES_ROUND = re.compile(
    r"(?:还是|那就|那还是|那我就|最后还是)(?:登记|留|记|给你们|同意|可以|写上|填|整|弄)(?!不)"
)


def comes_round(text: str) -> bool:
    """The answer ends on a yes after hesitating ("算了，还是登记吧，得"); never with anonymity asked."""
    said = normalize_text(text)
    return _COMES_ROUND.search(said) is not None and not _ANONYMOUS.search(said)


def _clauses(text: str) -> list[str]:
    return [c for c in _CLAUSE_SPLIT.split(normalize_text(text).strip()) if c]


def own_refusal(text: str, strong_only: bool = False) -> bool:
    """The citizen's own no: anonymity asked for anywhere ("同意匿名登记", "那就匿名吧"), or a clause
    that starts with a no, after at most 我/那我就/我还是 ("不同意", "算了，我不同意留电话", "不想留").
    Someone else's ("对方不同意调解", "他家要是不同意离", "我老公不同意") is none. ``strong_only``: only
    不同意/不愿意/匿名, not "不想留" (a yes may go on "可以，不方便接的时候发短信")."""
    if _ANONYMOUS.search(normalize_text(text)):
        return True
    return any(_clause_refuses(clause, strong_only) for clause in _clauses(text))


def _clause_refuses(clause: str, strong_only: bool = False) -> bool:
    if _OWN_REFUSAL.match(clause):
        return True
    found = re.match(_OWN, clause)
    return not strong_only and found is not None and _NOT_GIVING.match(clause[found.end() :]) is not None


def others_refusal_only(text: str) -> bool:
    """A no word in the message, but none of the citizen's own: "对方不同意调解怎么办"."""
    said = normalize_text(text)
    return any(word in said for word in REFUSAL_WORDS) and not own_refusal(said)


def opens_with_refusal(text: str) -> bool:
    """The message's first clause is the citizen's own no ("不同意。留电话有什么用？", "我不同意，
    留电话干嘛")."""
    clauses = _clauses(text)
    return bool(clauses) and _clause_refuses(clauses[0])


def consents(text: str, intent: str | None) -> bool:
    """Whether the answer to the consent question is a yes: "同意", and to this yes/no question also
    "能啊", "成么？", "管" (``says_yes_to_consent``); never with a no of the citizen's own
    ("同意吗？不同意也行吧")."""
    said = text.strip()
    if own_refusal(said, strong_only=True) or says_not_to_record(said):
        return False
    return intent == AFFIRM or says_yes_to_consent(said) or comes_round(said)


def refuses_consent(text: str, intent: str | None) -> bool:
    """A no to the consent question, the citizen's own ("不同意", "我不同意留电话", "不想留"). A
    question is none, whatever its words ("对评估不满意是不是要申请复核？", "他家要是不同意离咋整"),
    unless it opens with the no ("不同意，可以吗？"); nor is someone else's no ("我老公不同意")."""
    said = text.strip()
    if questions.asks(said):
        return opens_with_refusal(said)
    if others_refusal_only(said) or only_worried(said):
        return False
    return intent == DENY or own_refusal(said)


def only_worried(text: str) -> bool:
    """The answer is only a worry ("不太想留😶", "有点不放心", "嗯……不大愿意给电话"): no yes and no no; the
    consent is asked again rather than the intake going anonymous on a sigh."""
    said = content_chars(plain(text))
    return bool(said) and _WORRY.match(said) is not None
