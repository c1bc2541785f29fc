"""Which of the sums a story names is the citizen's claim: marks on the amount facts (``extra``), read by
every reader of the facts (``extract.facts_dict``, the intake's ``amount_answers.meant_amount``).

- ``claimed``: a sum said to be unpaid or asked for. It wins over a total said before it that is only
  the expense (手术花了三万，说好两家平摊，他该出的一万五一直没给 → 15000; 总共花了两万一…就要他们把一万四
  拿出来 → 14000), and so do the citizen's own share (我要我那份五万) and a sum asked of the citizen
  (银行要我还八万), and a sum the other side kept back (押金两个月房租…扣了我一千二 → 1200), and a sum the
  citizen settles for, smaller than what was spent (地板装修花了八千多，赔我五千就行 → 5000; 给我八千就算了;
  只要一千五; 我要求赔五千), not the other side's offer (他说赔三千就行) nor a sum let go (那两千就算了).
- ``given``: money the other side handed over, told with the other side as the one who 拿/给/送/掏 it
  (厂长来过一回，拿了五千块; 老板俾咗我两千; 佢过咗一千俾我): a part already given, never the sum in
  dispute (``handed_over``; ``ledger`` takes it off a total said before it). Not money
  they took from the citizen (他拿了我五千) nor a gift or loan they want back (彩礼, 借, 要我退).
- ``not_own``: a sum that is not what the citizen claims, so the money question is still asked —
  ``"estate"``, the whole of what a dead parent left to several heirs (老爷子留了二十万存款，我们兄妹四个),
  and ``"guaranteed"``, a loan someone else took that the citizen stood surety for (他贷了十五万，我是
  担保人). A share the citizen names (我要我那份五万) or a sum asked of them (银行要我还八万) is claimed.
"""

from __future__ import annotations

import re

from .model import Fact
from .quantities import other_side

CLAIMED, GIVEN, NOT_OWN = "claimed", "given", "not_own"
# marks set by ``extract``: a sum stated as the citizen's total (一共二十万, 算下来…), or one belittled
# (丧事总共才花三万多: a figure argued against, no claim)
STATED_TOTAL, BELITTLED = "stated_total", "belittled"
_STOP = r"[^，,。！？!?;；\n\d]"
_SENTENCE_END = re.compile(r"[。！？!?;；\n]")
_NEG = r"(?:没有|没|冇|未|不|唔|无|莫)"
# the unit right after a sum (一万五块钱没给, 两千蚊俾我), read before the words after it
UNIT_AFTER = r"(?:块钱|块|元|蚊)?"
_HAND = r"(?:给|出|还|拿|掏|付|交|赔|俾|畀|打|转|结|退)"
# 一万五一直没给 / 一万四他就是不肯出 / 两千蚊佢冇俾 / 三万一分没出
_UNPAID_AFTER = re.compile(
    rf"{UNIT_AFTER}{_STOP}{{0,6}}?(?:{_NEG}(?:肯|愿意|想)?{_HAND}|一分(?:钱)?(?:都|也)?{_NEG}|分文(?:未|没|不))"
)
_ANOTHER_PART = re.compile(r"剩|其余|余下|另外|还有|其他|别的|其中")
# 要他们把一万四拿出来 / 让他出一万五 / 银行要我还八万 / 要求对方赔偿三万
_DEMAND_BEFORE = re.compile(
    rf"(?:要求|要|让|叫|逼|喊|请|找)(?P<who>{_STOP}{{1,5}}?)"
    r"(?:把|将|(?:拿出|掏出|赔偿|补偿|退还|归还|返还|出|赔|给|还|补|掏|拿|退)(?:给)?(?:我们|俺们|我|俺|咱)?"
    r"(?:[\u4e00-\u9fff]{0,3}(?:费|款|金|钱|工资|工钱))?)(?:那|这)?(?:个|笔)?$"
)
_PERSON = re.compile(r"[他她我俺咱佢]|对方|人家|弟|哥|姐|妹|爸|妈|儿|女|叔|舅|姨|家")
# …一万四拿出来 / 三万必须还我
_DEMAND_AFTER = re.compile(
    rf"{UNIT_AFTER}{_STOP}{{0,4}}?"
    r"(?:拿出来|掏出来|吐出来|退回来|还回来|交出来|退给我|还给我|赔给我|补给我|还我|退我|赔我)"
)
# 他该出的一万五 / 两个弟弟该拿一万四 / 该他出的那份 (not 我该出的: the citizen's own share of the cost)
_THEIR_SHARE_BEFORE = re.compile(
    rf"(?P<who>{_STOP}{{0,6}}?)(?:应该|应当|本该|本应|该|应)(?P<who2>他|她|他们|对方|人家)?"
    r"(?:出|摊|分摊|承担|拿|给|付|还|赔)(?:给)?(?:我们|俺们|我|俺|咱)?的?(?:钱|那份|那部分|部分)?(?:是|有)?$"
)
_OWN_SUBJECT_END = re.compile(r"(?:我|俺|咱|阮|自己)(?:们|家)?(?:也|都|就|本来)?$")
# 我要我那份五万 / 我应得的五万 / 应该分给我十二万
_OWN_SHARE_BEFORE = re.compile(
    r"(?:(?:我|俺|咱)的?(?:那|嗰|𠮶)一?份|(?:我|俺|咱)(?:应得|该得|该分|应分|应该分)的?|(?:应该|该|应)?分给?(?:我|俺)的?"
    r"|属于(?:我|俺)的)(?:是|有|就|系|就系)?[，,:：]?\s?$"  # 我要返属于我嗰份，三万蚊 / 我嗰份系三万
)
# 还差一万 / 剩下的两万 / 少发了三千: what is still owed
STILL_OWED_WORDS = ("剩下的?", "剩余的?", "还欠", "尚欠", "还差", "还剩", "仍欠", "仍差", "尚差", "少给了?", "少发了?", "少付了?", "少赔了?")  # fmt: skip
_STILL_OWED_BEFORE = re.compile(rf"(?:{'|'.join(STILL_OWED_WORDS)})(?:我们|俺们|我|俺)?的?$")
# 扣了我一千二 / 工资里扣掉八百 / 克扣咗三千: a sum the other side kept back is itself what is claimed
# (押金两个月房租…扣了我一千二 → 1200), not a part paid; a deduction each period (每月扣五百) is a rate
DEDUCTED_WORDS = ("扣了", "扣掉了?", "扣走了?", "扣下了?", "扣去了?", "扣咗", "克扣了?", "扣除了?")
_DEDUCTED_BEFORE = re.compile(
    rf"(?<!没)(?<!不)(?:{'|'.join(DEDUCTED_WORDS)})(?:我们|俺们|我哋|我|俺|阮)?的?(?:钱)?\s?$"
)
# 拿了五千块 / 给了我两千 / 塞了一千 / 俾咗两千 / 打了五千过来: the other side handing money over
_GIVE_BEFORE = re.compile(
    r"(?P<verb>拿|给|送|掏|塞|撂|丢|扔|留|赔|出|俾|畀|打|转)"
    r"(?P<sfx>了|过|咗|来了|过来了?|来|出来|下了?)(?P<obj>我们|俺们|咱们|我哋|我|俺|咱|阮)?(?:个|点|一笔|一次)?$"
)
# 佢上个月过咗一千俾我 / 他转了两千给我: money sent over to the citizen (过 = 过数, a transfer)
_SENT_BEFORE = re.compile(r"(?P<verb>过|汇|转|打)(?:咗|了|过)(?:一笔|一次)?$")
_TO_ME_AFTER = re.compile(rf"{UNIT_AFTER}\s?(?:俾|畀|给)(?:我们|俺们|我哋|我|俺|阮)")
_GIVEN_TO_OTHERS = re.compile(
    rf"^{UNIT_AFTER}\s?(?:给|交给|送给)(?:他|她|对方|人家|老板)|^(?:块钱|块|元)?就?(?:跑|溜|卷)"
)
# the money is a gift or loan the other side wants back, not a part given: 他给了我五万彩礼，现在要我全退
_WANTED_BACK = re.compile(
    r"彩礼|聘礼|礼金|嫁妆|定金|订金|押金|借|要回|退还|退回|还给他|还他|要我还|要我退|让我还|让我退"
)
# the other side in Cantonese and in titles the lexicon's counterparties leave out
_OTHER_MORE = re.compile(r"佢|老细|老世|事主|领导|经理|队长|组长|东家|车主|肇事")
_OWN_WORD = re.compile(r"我们|俺们|咱们|我哋|我|俺|咱|阮")
# 打我 / 找我 / 给我 / 撞了我: the citizen as an object, not the one acting
_OBJECT_LEAD = set("打骂找给帮借欠跟和同与把让叫被向对替问喊带告催求拉扶送陪等嫁娶了过着")
# the estate: a sum a parent left (老爷子留了二十万存款 / 我妈走的时候留下三十万 / 遗产有五十万)
_ESTATE_BEFORE = re.compile(rf"(?:遗产|遗留|遗下)(?:了|的|有|是|一共|总共)?{_STOP}{{0,8}}$")
_LEFT_BEFORE = re.compile(rf"(?:留下来?|留了|留的|留给|攒下|存下)(?:了|的|有|是)?{_STOP}{{0,8}}$")
_SAVINGS_BEFORE = re.compile(r"(?:存款|积蓄|存折|养老钱)(?:里|上|里面)?(?:有|是|还有|一共|总共)?$")
_LEFT_TO_ME = re.compile(r"留给(?:我|俺|咱)(?!们)")
_ELDER = re.compile(
    r"老爷子|老太太|老爷|老太|老人|老头|父亲|母亲|爸|妈|爹|娘|爷爷|奶奶|外公|外婆|姥爷|姥姥|公公|婆婆|老伴|老豆|阿公|阿婆|阿嬷"
)
_DEATH = re.compile(
    r"去世|过世|走了|走的时候|走之前|走后|没了|死了|病故|病逝|离世|不在了|生前|遗嘱|后事|丧事|过身"
)
_HEIRS = re.compile(
    r"兄妹|兄弟|姐妹|姐弟|兄弟姐妹|子女|[一二两三四五六七八九几\d]个孩子|(?:我们|俺们|咱们)[二两三四五六七八九几\d]个"
    r"|大哥|二哥|大姐|二姐|哥哥|姐姐|弟弟|妹妹|我哥|我姐|我弟|我妹|后妈|继母|大伯|伯伯|叔叔|姑姑"
)
# the citizen stood surety (我是担保人 / 我给他担保 / 让我作保 / 担保人是我)
_SELF_GUARANTOR = re.compile(
    r"(?:我|俺|咱|阮)们?(?:是|给|帮|替|为)?(?:他|她|他们|她们)?(?:当|做|作|签|是)?了?(?:他|她)?的?(?:连带)?"
    r"(?:担保人|保证人|保人|担保|作保|做保|联保)"
    r"|(?:担保人|保证人|保人)(?:是|就是|写的是?|签的是?)(?:我|俺|咱)"
    r"|(?:让|叫|找|求|拉)(?:我|俺|咱)(?:给|帮|替)?(?:他|她)?(?:担保|作保|做保|做担保|当担保人?|当保人|签字担保)"
    # no subject said, the citizen's own act: 前年给表哥贷款做了担保 / 帮朋友在农商行贷款做担保
    r"|(?:^|[，,。！？!?\s]|我|俺|咱|阮)(?:前年|去年|那年|当初|之前|以前|早先)?(?:给|帮|替|为)[^，,。！？!?]{1,12}"
    r"(?:做|作|当|签)了?个?(?:担保人|担保|保人|保证人)"
)
# 我借了 / 我在网贷借了: the citizen borrowed (not 我表哥借了, 我朋友贷了)
_OWN_BORROWER = re.compile(
    r"(?:我|俺|咱)们?(?![表堂哥姐弟妹爸妈老朋同儿女家亲舅叔姑姨侄外公婆岳大二三小媳丈妻])"
)
# 赔我五千就行 / 给我八千就算了 / 要两万就够了 / 赔返五千俾我就得 / 赔俺五千就中 / 五千就行: the sum the
# citizen settles for, smaller than what was spent, is the claim. 算了/得了/拉倒 need a verb of paying before
# the sum (那五千就算了 lets the five thousand go); the others only the sum.
_HAND_TO_ME = re.compile(
    r"(?:赔|给|还|退|补|出|拿|付|俾|畀|要)(?:偿|还|返|回)?(?:给)?(?:我们|俺们|我哋|我|俺|咱|阮)?(?:个|上|点|回)?\s?$"
)
_SETTLES_AFTER = re.compile(
    r"(?:块钱|块|元|蚊|的样子)?\s?(?:(?:俾|畀|给)(?:我们|我|俺|阮))?(?:就|便|也就|那就|就这么)"
    r"(?:行|好|够|成|中|得|可以|妥|要得|ok|OK)(?=$|[^\u4e00-\u9fff]|[了啦喇嘞咯啊吧呀哈嘛咧哒噻撒哦喔])"
)
_LETS_GO_AFTER = re.compile(
    rf"{UNIT_AFTER}\s?(?:(?:俾|畀|给)(?:我们|我|俺|阮))?(?:就|也就|那就)?(?:算了|得了|拉倒|罢了|了事|完事|算数)"
)
# 只要五千 / 我只要他赔六千 / 我要五千 / 我要求赔五千: what the citizen asks for
_ONLY_ASK_BEFORE = re.compile(
    r"(?:(?:只要|只想要|只求)(?:他|她|他们|对方|人家|你们)?(?:赔|给|退|补|出|赔偿|补偿)?"
    r"|(?:我|俺|咱|阮)们?(?:就|只|也|只是|就是)?(?:(?:要|想要)(?:赔偿|补偿)?"  # not 我要出五千: the citizen pays
    r"|要求(?:他|她|他们|对方|人家)?(?:赔偿|补偿|赔|退|给|还|补)?))"
    r"(?:给)?(?:我们|我|俺)?(?:个|回)?\s?$"
)
# 别以为给我五千就算了 / 不是五千就行的: a sum the citizen refuses; 他说赔五千就行 / 佢话俾五千就得: the
# other side's offer
_REFUSED_BEFORE = re.compile(r"别以为|别想|休想|不是|哪能|哪有|没那么|不能|不可能|想得美|想得倒美|凭什么")
_SPOKEN_BY = re.compile(r"以为|觉得|认为|想着|寻思|说|讲|话|表示|答应|同意|愿意|肯")
# 先给五千就行，剩下的慢慢给: a first part, the rest still claimed
_FIRST_PART = re.compile(r"先|头一笔|第一笔")
_REST_LATER = re.compile(r"剩下|剩余|其余|余下|余款|尾款|慢慢|以后再|回头再|往后再|分期")


def _settles_for(fact: Fact, s: str) -> bool:
    """赔我五千就行 / 给我八千就算了 / 要两万就够了 / 只要五千: the sum the citizen settles for (not the
    other side's offer, 他说赔五千就行, nor one refused, 别以为给我五千就算了)."""
    lead = _clause(s, fact.start)
    handed = _HAND_TO_ME.search(lead) is not None
    settles = _SETTLES_AFTER.match(s, fact.end) or (handed and _LETS_GO_AFTER.match(s, fact.end))
    if not (settles or _ONLY_ASK_BEFORE.search(lead)) or _REFUSED_BEFORE.search(lead):
        return False
    rest = _SENTENCE_END.split(s[fact.end : fact.end + 30])[0]
    if _FIRST_PART.search(lead) or _REST_LATER.search(rest):
        return False  # 先给五千就行 / 给五千就行，剩下的慢慢给: a part first, not all that is claimed
    sentence = _sentence_before(s, fact.start)
    spoken = list(_SPOKEN_BY.finditer(sentence))
    if not spoken or not _other_is_subject(sentence[: spoken[-1].start()]):
        return True
    tail = sentence[spoken[-1].end() :]  # 他说最多赔三千，我要五千: the citizen speaks again after
    return any(m.start() > 0 and tail[m.start() - 1] not in _OBJECT_LEAD for m in _OWN_WORD.finditer(tail))


_LOAN_BEFORE = re.compile(rf"(?:贷了|贷款|贷|借了|借款|借|网贷|信用贷|房贷|车贷){_STOP}{{0,4}}$")


def _clause(s: str, start: int, width: int = 14) -> str:
    """The clause right before ``start`` (at most ``width`` characters)."""
    return re.split(r"[，,。！？!?;；\n]", s[max(0, start - width) : start])[-1]


def _sentence_before(s: str, start: int) -> str:
    breaks = [m.end() for m in _SENTENCE_END.finditer(s, 0, start)]
    return s[(breaks[-1] if breaks else 0) : start]


def _other_is_subject(window: str) -> bool:
    """Whether the one acting at the end of ``window`` (a sentence up to a verb) is the other side: the
    last of them named after any 我 that acts (not 打我, 给我; not 我们厂长, where the other side follows)."""
    others = [m.start() for rx in (other_side(), _OTHER_MORE) for m in rx.finditer(window)]
    if not others:
        return False
    own = [
        m.start()
        for m in _OWN_WORD.finditer(window)
        if m.start() == 0 or window[m.start() - 1] not in _OBJECT_LEAD
    ]
    return not own or max(others) > max(own)


def other_acts(s: str, at: int) -> bool:
    """Whether the one acting with the verb at ``at`` is the other side (对方分两次打了, 老板给过两回),
    not the citizen (我分两次付了)."""
    return _other_is_subject(_sentence_before(s, at))


def handed_over(fact: Fact, s: str) -> str | None:
    """The verb (给, 赔, 拿, 过 …) when the other side handed ``fact`` over to the citizen, else None."""
    lead = _clause(s, fact.start, 10)
    m = _GIVE_BEFORE.search(lead)
    if not m:
        m = _SENT_BEFORE.search(lead)
        if not m or not _TO_ME_AFTER.match(s, fact.end):
            return None
    elif m.group("verb") == "拿" and m.group("obj"):
        return None  # 他拿了我五千: taken from the citizen
    if _GIVEN_TO_OTHERS.match(s, fact.end):
        return None  # 拿了五千块给他: the citizen paid
    around = _clause(s, fact.start, 16) + s[fact.end : fact.end + 20]
    if _WANTED_BACK.search(around):
        return None
    verb_at = fact.start - (len(lead) - m.start())
    return m.group("verb") if _other_is_subject(_sentence_before(s, verb_at)) else None


def _claimed(fact: Fact, s: str) -> bool:
    lead = _clause(s, fact.start)
    own_share = _OWN_SHARE_BEFORE.search(s[max(0, fact.start - 16) : fact.start])  # across a comma
    if own_share or _STILL_OWED_BEFORE.search(lead) or _DEMAND_AFTER.match(s, fact.end):
        return True
    if _DEDUCTED_BEFORE.search(lead):
        return True
    demand = _DEMAND_BEFORE.search(lead)
    if demand and (lead[demand.end() - 1] in "把将" or _PERSON.search(demand.group("who"))):
        return True
    share = _THEIR_SHARE_BEFORE.search(lead)
    if share and not _OWN_SUBJECT_END.search(share.group("who")):
        return True
    if _settles_for(fact, s):
        return True
    unpaid = _UNPAID_AFTER.match(s, fact.end)  # not 他给了五千，剩下的没给
    return unpaid is not None and not _ANOTHER_PART.search(s, fact.end, unpaid.end())


def _not_own(fact: Fact, s: str) -> str | None:
    lead = _clause(s, fact.start, 16)
    sentence = _sentence_before(s, fact.start)
    if _ESTATE_BEFORE.search(lead):
        return "estate"  # 爷爷的遗产有五十万
    if not _LEFT_TO_ME.search(lead):
        left = _LEFT_BEFORE.search(lead)
        if left and (_DEATH.search(s) or (_ELDER.search(sentence) and _HEIRS.search(s))):
            return "estate"
        if _SAVINGS_BEFORE.search(lead) and _DEATH.search(s):
            return "estate"
    loan = _LOAN_BEFORE.search(lead)
    if loan and "借给" not in lead and _SELF_GUARANTOR.search(s):
        borrower = lead[: loan.start()]
        if not _OWN_BORROWER.search(borrower) or "保" in borrower:
            return "guaranteed"
    return None


def mark_claims(facts: list[Fact], s: str) -> None:
    """Mark the amount facts that are claimed, given by the other side, or not the citizen's own claim."""
    for fact in facts:
        if fact.entity != "amount" or not isinstance(fact.value, int | float) or "per" in fact.extra:
            continue
        if fact.extra.get("kind") not in (None, "sum"):
            continue  # a difference or a product is the citizen's own reckoning already
        if kind := _not_own(fact, s):
            fact.extra[NOT_OWN] = kind  # 我妈走的时候留下三十万: an estate, not money she handed over
        elif handed_over(fact, s):
            fact.extra[GIVEN] = True  # 他给了五千就再没给过: given, whatever follows
        elif _claimed(fact, s):
            fact.extra[CLAIMED] = True
