"""Round 16 of the risk screen's misreadings, in sentences of our own, the rules alone unless said:

1. An injury being treated now is elevated (the contract): someone in hospital now (还在…医院…住着, 在医院
   躺着, 住在骨科, 人在icu, 还在打吊针, 天天去医院换药, 刚做完手术) counts even when a past cue told the
   accident earlier in a voice-to-text run-on without punctuation (上个月右手被压了现在还在医院住着). A stay
   told as past (上个月还在医院住着, 前年我妈住在医院那会儿), healed (去年住过院现在好了, 出院半年了), a hospital
   as a workplace (在医院当护工) or a place passed by (医院门口, 住在医院旁边, 去医院看我妈) is none.
2. A matter left unanswered (还是没动静, 至今没答复, 没下文) is a repeated complaint only when the message
   tells of the complaint (投诉过, 反映过两回, 12345打了三次, 找了物业, 去了好几趟劳动局): a developer's delay,
   a landlord's deposit or the boss asked about wages is none. "这事一直没解决" names a matter put to
   someone to resolve and still counts.
"""

from __future__ import annotations

import pytest

from bot.risk import screen
from bot.risk.rules import RiskRules

# --- 1. an injury being treated now -----------------------------------------------------------------

TREATED_NOW = [
    # voice-to-text run-ons: the accident told with a past cue, the stay told as going on now
    "我是上个月在砖厂干活右手被制砖机压了现在还在县人民医院骨科住着医生说两根手指保不住了老板一分钱不给",
    "我老公上个礼拜在工地从架子上掉下来摔断了腿现在人还在医院躺着包工头电话都不接",
    "去年来的这个厂上个月胳膊被传送带卷了还在市医院手外科住着厂里说是我自己不小心",
    "我爸之前在矿上砸伤了腰现在还在打吊针矿上一直拖着不赔",
    "我儿子去年在厂里被机器轧了手指头到现在还天天去医院换药厂里只给了两千块",
    "上个月我在工地摔了一跤刚做完手术老板说不算工伤",
    "以前签的合同上个月我被铲车撞了人在icu已经三天了工地不认账",
    # the other ways of saying it, with punctuation
    "我在医院躺着呢，老板连个电话都没有",
    "我爸住在骨科病房，腿断了，厂里不管",
    "我老婆从梯子上摔下来，现在还住在县医院，物业说跟他们没关系",
    "我还在打吊针呢，公司就让我回去上班",
    "孩子他爸刚做完手术，工头就把他的工钱扣了",
]


@pytest.mark.parametrize("text", TREATED_NOW)
def test_an_injury_treated_now_is_elevated(text: str) -> None:
    result = screen(text, model=None)
    assert result.level == "elevated", (text, result.signals)
    assert "injury_treated" in result.kinds, text


NOT_TREATED_NOW = [
    # past and healed
    "去年住过院现在好了，想问问工伤认定怎么弄",
    "出院半年了单位还没报销医药费",
    "我爸以前在医院躺过三个月现在能走路了想问问赔偿",
    "去年在工地受伤住院现在已经痊愈了想要赔偿",
    # a stay told as past, right before it
    "上个月还在医院住着现在已经回家了老板还不给报销",
    "前年我妈住在医院那会儿我请了一个月假公司扣了我工资",
    "去年我住在骨科的时候认识了一个律师",
    # a hospital as a workplace, a neighbourhood, an errand or a visit
    "我在医院当护工老板拖欠三个月工资",
    "我在县医院食堂上班老板拖欠三个月工资",
    "我住在人民医院旁边楼下天天吵",
    "我现在在医院门口等我老婆",
    "我在医院排队挂号人太多了想投诉",
    "今天去医院看我妈顺便问问社保的事",
    "昨天有人在医院闹事把门诊的玻璃砸了",
]


@pytest.mark.parametrize("text", NOT_TREATED_NOW)
def test_no_treatment_going_on_is_no_injury(text: str) -> None:
    result = screen(text, model=None)
    assert "injury_treated" not in result.kinds, (text, result.signals)


def test_a_past_cue_right_before_a_stay_told_now_sets_it_in_the_past() -> None:
    """The engine rule behind 1 (`now: true`), with rules of our own: a past cue far back in a clause is
    another event's time; right before the hit it is the stay's, unless a word of the present follows."""
    rules = RiskRules.from_dict(
        {
            "context": {"past": "上个月|去年", "now": "现在"},
            "kinds": {
                "hurt": {
                    "level": "elevated",
                    "past": "none",
                    "patterns": [{"pattern": "还在医院", "now": True}, "住院了"],
                }
            },
        }
    )
    assert screen("上个月厂里的机器把我手压了还在医院", rules=rules).level == "elevated"
    assert screen("上个月摔了现在还在医院", rules=rules).level == "elevated"
    assert screen("上个月还在医院", rules=rules).level == "none"
    # a pattern without `now` is judged as before: any past cue in its clause
    assert screen("上个月厂里的机器把我手压了住院了", rules=rules).level == "none"


# --- 2. unanswered only counts with a complaint told ------------------------------------------------

RAISED_UNANSWERED = [
    "找了物业好几次，到现在也没人管",
    "12345打了三次，还是没下文",
    "去镇上反映过两回，至今没答复",
    # run-ons and other words
    "这个事我向社区反映过到现在也没个答复",
    "噪音的事打了12345还是没人处理",
    "给市长信箱写过信石沉大海",
    "我们去镇政府问过两次一直没下文",
    "到现在也没人管我都投诉过三回了",
    "报了警到现在也没个说法",
    "为这点钱我跑了半年，一直没人管",
    "物业也找了社区也找了一点动静都没有",
    # a matter said to be unresolved all along
    "邻居占道的事一直没解决",
    "这个问题到现在都没有解决",
]


@pytest.mark.parametrize("text", RAISED_UNANSWERED)
def test_a_complaint_left_unanswered_is_repeated(text: str) -> None:
    result = screen(text, model=None)
    assert result.level == "elevated", (text, result.signals)
    assert "repeated" in result.kinds, text


NOT_RAISED = [
    "售楼部一直说快了，国庆都过了还是没动静",
    "售楼部一直说快了国庆都过了还是没动静想问问能不能退房",
    "交房日期都过了半年了开发商一直没动静",
    "合同到期了房东还是没退押金",
    "问了老板几次工资，还是没结",
    "问了老板好几次工资还是没给",
    "面试完一直没下文",
    "简历投了十几份都石沉大海",
    "快递寄了一个礼拜还是没动静",
    "老公一直不理我，我想离婚",
    # a complaint asked about or not made yet
    "想打12345投诉售楼部还是没动静",
    "售楼部还是没动静，我也想投诉他们",
    "售楼部还是没动静，能不能投诉",
    "我还没投诉过物业就是电梯坏了到现在也没人管",
]


@pytest.mark.parametrize("text", NOT_RAISED)
def test_a_delay_without_a_complaint_is_none(text: str) -> None:
    result = screen(text, model=None)
    assert "repeated" not in result.kinds, (text, result.signals)
    assert result.level == "none", (text, result.signals)
