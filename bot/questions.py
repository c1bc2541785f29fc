"""Whether a message asks something ("这个收费不？", "去恁那儿远不远", "请问…"): read by the NLU (a
question is no yes or no), the intake (a question at the consent is answered) and the danger screen
(a short question is a consultation, not a story for the trained opinion)."""

from __future__ import annotations

import re

from bot.textnorm import normalize_text

# "…有用吗？", "…告他不", "…水电伐" (吴语), "…的人無" (闽南), "Can I …?"
_QUESTION_END = re.compile(r"(？|\?|吗|么|嘛|呢|咩|㗎|嘅咩)[\s。.!！~]*$")
# a question word ending the message: "大概得多久啊", "几点关门呀", "去哪办"
_WH_END = re.compile(
    r"(多久|多长时间|几天|几点|哪里|哪儿|哪个|(?<!那个)(?<!这个)(?:什么|啥)|咋办|怎么办|多少钱|多少)[啊呀哦嘞咧]?[\s。.!！~]*$"
)
_LONG_QUESTION_END = re.compile(r"^.{3,}?(伐|無|无|不|否)[咯啰哦噻撒嘛]?[\s。.!！~]*$")
# A-not-A anywhere: 能不能, 是不是, 有没有, 远不远, 可不可以
# "我也不知道多少", "忘了是哪个": a question word after "don't know" is an answer, not a question
_UNKNOWN_CLAUSE = re.compile(r"(?:不知道|不清楚|不晓得|忘了|记不清|不记得|说不准|没数)[^，,。！!？?]*$")
_A_NOT_A = re.compile(
    r"(能|是|有|要|可|会|行|好|远|对|去|用|算|管|收|办|得|上|开|在|来|给|退|赔|认|找|接|还|交|走|帮|愿|系|受)[不没唔]\1"
    r"|有冇|定系|定是|系咪|[吗么][，,]\s?还是"
)
_ASKING = re.compile(r"^(请问|想问|问一下|问下|我想问|咨询一下|咨询下)")
# a sentence ending on a wish to know: "…想先了解下你们的服务范围"
_WANTS_TO_KNOW = re.compile(
    r"(?:想|要)(?:先)?(?:了解|知道|问|咨询|打听)(?:一?下)?[^，,。.!！]{0,16}[\s。.!！~]*$"
)
# a question mark or asking words anywhere ("…有啥区别？我就是好奇问问")
_ASKING_ANYWHERE = re.compile(r"[?？]|问问|想问|想知道|想了解|请问|怎么(?:介入|处理|办|判)")


def is_question(text: str) -> bool:
    """ "这个收费不？", "要钱吗", "去恁那儿远不远", "请问…": a question, whatever yes/no word it ends on."""
    said = normalize_text(text or "").strip()
    if not said:
        return False
    return bool(
        _QUESTION_END.search(said)
        or _A_NOT_A.search(said)
        or _ASKING.search(said)
        or _WANTS_TO_KNOW.search(said)
        or _LONG_QUESTION_END.search(said)
        or (_WH_END.search(said) and not _UNKNOWN_CLAUSE.search(said))
    )


# a sentence ends after these; "还是…" after a question goes on asking it ("…告诉我不？还是得我自己打电话问",
# "…是不是要拿户口本？还要别的啥不要")
_SENTENCE_SPLIT = re.compile(r"(?<=[。.!！；;\n?？])")
_GOES_ON_ASKING = re.compile(r"^(?:还是|或者|或是|要不|是不是|能不能|可不可以|还要|还有|另外)")


def last_question(text: str) -> str:
    """The message's last sentence when it asks something, else "": a question ("…要带原件吗"), one
    whose first clause asks ("大概得多久啊，我还得上班"), or one going on asking the question before it
    ("…会发短信告诉我不？还是得我自个儿打电话问"). A story that tells something after its question
    ("…犯不犯法？人我已经弄进来了") ends on no question."""
    sentences = [p for p in _SENTENCE_SPLIT.split(text or "") if p.strip()]
    if not sentences:
        return ""
    last = sentences[-1]
    if len(sentences) > 1 and _GOES_ON_ASKING.match(last.strip()) and is_question(sentences[-2]):
        return sentences[-2] + last
    first_clause = re.split(r"[，,]", last)[0]
    if is_question(last) or (first_clause != last and is_question(first_clause)):
        return last
    return ""


def question_sentences(text: str) -> str:
    """The message's sentences that ask, joined ("…需要带哪些东西？…只有缴费收据，行不行" keeps both);
    "" when none asks."""
    return "".join(p for p in _SENTENCE_SPLIT.split(text or "") if p.strip() and is_question(p))


def has_question(text: str) -> bool:
    """Any sentence of the message asks ("这个要钱不？我们身上实在莫钱了", "大概多久能解决呀？我下个月就要
    生了"): at a step waiting for an answer, a question told with its reason is still a question."""
    return bool(question_sentences(text))


def asks_anywhere(text: str) -> bool:
    """A question at the end or anywhere inside ("故意伤害和寻衅滋事有啥区别？我就是好奇问问"): for a
    message already known to be about something else (the danger screen's "asked in theory")."""
    return is_question(text) or _ASKING_ANYWHERE.search(normalize_text(text or "")) is not None
