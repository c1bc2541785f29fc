"""The one yes reader of the intake: consent, reusing a phone given before consent, confirmation; and
the citizen telling the assistant to write it down ("你记吧", "恁记吧", "你們記低啦", "搞快点记")."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.intake.schema import no_change_words, yes_words
from bot.textnorm import normalize_text

# Endings of a yes word ("对咧", "是嘞", "没错儿": a northern 儿 too).
PARTICLES = "了的吧啦呀啊哦喔嘅咯哈呢个嘞哒咧噻撒喽哇呗嘛哟噢呐滴噶额呃儿"
# What an answer may open with before its words: "……好吧，那登记吧" is "好吧，那登记吧".
_LEADING = " \t…．.。，,、~～-—!！:：;；'\"“”‘’"


def plain(text: str) -> str:
    """The answer as the readers here see it: normalised, lower case, no leading dots or commas."""
    return normalize_text(text).strip().lower().lstrip(_LEADING)


@lru_cache(maxsize=2)
def _starts_with(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
    # one yes word after another, each with its endings: "係啊就係咁樣", "好嘞好嘞", "对对对"
    return re.compile(rf"^(?:我|俺)?(?:(?:{alternatives})[{PARTICLES}]*)+(?:$|[，,。.！!\s~、])")


def says_yes(text: str, at_confirmation: bool = False) -> bool:
    """ "啱，冇錯", "得", "我同意", "嗯嗯", "同意，我叫石凤霞": a yes in the citizen's own words, with more
    after it or not ("可以不留吗" is none); a classifier trained on Mandarin hears 冇 as a no. At the
    confirmation "不用了" (nothing to change) and "是这么回事" (that is how it was) are one too. The one
    yes reader of the intake."""
    words = yes_words() + (no_change_words() if at_confirmation else ())
    return bool(_starts_with(words).match(plain(text)))


# Telling the assistant to write it down: to "您同意提供吗？" a yes. The verb, after whom it is said to
# (您/你/恁/你们) or a hurry (搞快点, 赶紧), with what to write ("把我电话记上") and its endings.
# (a bare 好 or 得 before the verb is none: "好记" is easy to remember, "得记下来" must be written)
_RECORD_LEAD = r"(?:好吧|好嘞|好的|行吧|得嘞|那么|那就|那还是|那|还是|就|算了)*"
_RECORD_TO = r"(?:您们|您|你们|你|恁们|恁|妳|侬|汝)"
_RECORD_HOW = r"(?:就|先|直接|都|给我|帮我|给俺|帮俺|赶紧|赶快|抓紧|麻溜儿?|快点儿?|快些|快|搞快点?|帮忙)"
_RECORD_WHAT = (
    r"(?:(?:我|俺|我们|俺们)的?)?(?:名字|姓名|电话|号码|手机号?|联系方式|信息|资料)"
    r"(?:(?:和|跟|、)(?:名字|姓名|电话|号码|手机号?|联系方式))?"
)
_RECORD_VERB = r"(?:登记|记录|记|写|填|录)(?:下来|上去|上|下|低|好|一下)?"
_RECORD_END = r"[吧啦呗咯嘛哈呀啊嘞喽罢咧哩噻撒嗷]"
_RECORD = re.compile(
    rf"^(?P<lead>{_RECORD_LEAD})(?P<to>{_RECORD_TO})?(?P<how>{_RECORD_HOW}*)"
    rf"(?:把?{_RECORD_WHAT})?{_RECORD_VERB}(?:{_RECORD_WHAT})?(?P<end>{_RECORD_END}*)$"
)
# "别记", "不要登记", "先别记我名字", "不用写电话", "唔好记": not to write it down, wherever it is said
# (a no to giving the number, "不想留", is the consent's own reading: "同意，不想留手机，留座机" is a yes).
_NOT_RECORD = re.compile(
    r"(?:别|不要|不用|甭|莫(?!得?问题)|勿|唔好|唔使|不必|不想|不愿|不准|不许|不让)"
    r"(?:给我|帮我|给俺|先|再)?(?:把|将)?[^，,。.！!？?\s]{0,4}?(?:登记|记|写|录)"
)
_CLAUSE_SPLIT = re.compile(r"[，,。.！!？?；;、\s~…]+")


def tells_to_record(text: str) -> bool:
    """The answer tells the assistant to write it down: a clause "记吧", "你记吧", "恁记吧", "您记",
    "你們記低啦", "搞快点记", "那登记吧", "把我电话记上", however the rest hesitates ("算了算了 记吧 不然钱也
    要不回来"). The bare verb ("登记", "记") is none, nor is a no to writing ("别记", "先别记我名字",
    "不要登记") anywhere in the answer, nor "你记得…" (remembering)."""
    said = plain(text)
    if not said or says_not_to_record(said):
        return False
    for clause in _CLAUSE_SPLIT.split(said):
        found = _RECORD.match(clause)
        if found and any(found.group(part) for part in ("lead", "to", "how", "end")):
            return True
    return False


def says_not_to_record(text: str) -> bool:
    """ "别记", "不要登记", "先别记我名字", "不用写电话": a no to writing something down, said anywhere."""
    return _NOT_RECORD.search(plain(text)) is not None
