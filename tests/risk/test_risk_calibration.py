"""Calibration of elevated against urgent, and the kinds of phrasing added after held-out batch 14.

Each table holds other wordings of a situation (not the held-out sentences): an injury being treated
and a vulnerable party are ``elevated`` and carry no 110; history and everyday words stay ``none``.
"""

from __future__ import annotations

import pytest

from bot.risk import screen

# An injury being treated now: elevated, whatever caused it, and no police number.
INJURY_TREATED = [
    "孩子头上被掉下来的瓷砖划了个口子，缝了三针，这会儿还在医院",
    "我从梯子上摔下来，腿上打了钢板，现在还住着院",
    "我爸被电动车撞了，现在还躺在市医院骨科",
    "干活时手被机器压断了，人还在医院抢救室外面等着",
    "我妈在菜市场滑倒骨折了，等着做手术，摊主说不关他的事",
    "孩子被邻居家的狗咬了，正在打狂犬疫苗",
]

# Past injuries, illness stays and hospital paperwork: none.
NOT_AN_INJURY_NOW = [
    "去年在工地摔骨折了，现在好了，想问问工伤赔偿怎么算",
    "住院费报销不了该找谁",
    "前年住院的发票丢了，还能报销吗",
    "我在医院做的体检，结果单寄错地址了",
    # an injury told as the ground for a claim, with no sign that treatment goes on
    "骑电动车被出租车刮倒，腿上缝了六针，对方不想赔",
    "上班路上摔断了腿，单位不给报工伤",
    "中暑晕倒被送到医院抢救了两天，出院后公司让我回家休息",
    "我是护工，现在还在医院值班，中介扣了我半个月工资",
]

# Violence told as history after the relationship ended: none.
HISTORY = [
    "好多年前他动手打过我，后来就离婚了，现在只想把房子的事说清楚",
    "以前她老公打过她，早就离了，现在她想要回嫁妆",
    "结婚那会儿他打过我，离婚都八年了，现在为了孩子上学的户口找我",
]

# …but a separation does not make violence going on now a thing of the past.
STILL_URGENT_AFTER_SEPARATION = [
    "已经离婚了，他还天天来打我",
    "早就分开了，前夫刚才又冲进来打我",
]


@pytest.mark.parametrize("text", INJURY_TREATED)
def test_injury_being_treated_is_elevated(text: str) -> None:
    result = screen(text)
    assert result.level == "elevated", result
    assert "injury_treated" in result.kinds
    assert "110" not in [n.number for n in result.emergency_numbers]


@pytest.mark.parametrize("text", NOT_AN_INJURY_NOW)
def test_past_injury_or_hospital_paperwork_is_none(text: str) -> None:
    assert screen(text).level == "none", screen(text)


@pytest.mark.parametrize("text", HISTORY)
def test_violence_as_history_after_separation_is_none(text: str) -> None:
    assert screen(text).level == "none", screen(text)


@pytest.mark.parametrize("text", STILL_URGENT_AFTER_SEPARATION)
def test_violence_now_after_separation_stays_urgent(text: str) -> None:
    assert screen(text).level == "urgent", screen(text)


# Kinds of urgent phrasing added after batch 14, each with other wordings, and the kind expected.
URGENT_KINDS = [
    # a weapon carried with another verb (拎 / 攥 / 操), a threat to kill "the whole family"
    ("他喝醉了攥着一把水果刀在楼道里转", "violence"),
    ("她男人拎了把砍刀在门口骂", "violence"),
    ("他扬言要把我们全家杀了", "threat"),
    ("那个混混说迟早把俺们一家子宰了", "threat"),
    # "whoever …, I'll stab whoever": a threat against anyone in the way
    ("谁来收房子我就砍谁", "threat"),
    ("他说谁敢拦他他就捅谁", "threat"),
    # petrol poured at a home, a threat to set it on fire
    ("有人往我家门上泼了汽油", "threat"),
    ("他在我家门口浇了半桶柴油", "threat"),
    ("他说今晚就点了我家", "threat"),
    ("对方放话要点了你们家的房子", "threat"),
    # an old parent put out of the house and left in the cold
    ("我爹八十了，被我哥赶出来了，这两天晚上都在外面冻着", "child_or_elder_in_danger"),
    ("大冬天的，我们家老人被撵出来在门外头蹲了一夜", "child_or_elder_in_danger"),
    # a small child shut in where the family cannot reach them
    ("孩子被房东锁在屋里了，我们进不去", "child_or_elder_in_danger"),
    ("两岁的宝宝一个人在车里，车门打不开", "child_or_elder_in_danger"),
    ("物业把我家门锁换了，小孩还在里面，喊不应", "child_or_elder_in_danger"),
]

# A road or a gate to be blocked: with a date or an agreement, or by ten or more of "us".
ROAD_BLOCK = [
    "全村人商量好了明天一早把镇政府大门堵上",
    "我们三十多个业主约好周六把售楼处门口堵了",
    "工友们决定后天把工地大门堵死，不给钱谁也别想进",
    "我们四十多个村民要把县道口给拦了",
]

# Everyday senses, other parties' road works, and "I won't" — none of them urgent.
NOT_URGENT = [
    "我想咨询一下打官司要多少钱",
    "商场搞跳楼价清仓，结果买回来是坏的",
    "买菜时跟摊主砍价吵了两句",
    "他们杀价杀得太狠了，我们亏本",
    "气死我了，物业又不修电梯",
    "我家地里打农药，被隔壁说飘到他家菜上了",
    "我不会跳楼也不会去堵路，就想要个说法",
    "我们不会去把路堵了，就想要个说法",
    "明天施工队要把路堵了修管道，我们小区三百户怎么出门",
    "开发商把路堵了，我们村三百多人出不去",
    "修地铁封路了，我们小区三百户出行不便",
    "房东把门锁换了，孩子的东西还在屋里，进不去",
    "房东换了锁，我们进不去拿东西，孩子在奶奶家",
    "谁欠钱就找谁，这是规矩",
    "谁弄坏的谁赔",
    "点了我家附近那家的外卖，结果送错了",
    "老板说要把我们工资砍了一半",
    "老娘不干了，这破厂子欠了三个月工资",
    "我妈天天在门口坐着晒太阳，邻居嫌她挡路",
]


@pytest.mark.parametrize(("text", "kind"), URGENT_KINDS)
def test_new_urgent_kinds(text: str, kind: str) -> None:
    result = screen(text)
    assert result.level == "urgent", result
    assert kind in result.kinds, result


@pytest.mark.parametrize("text", ROAD_BLOCK)
def test_blocking_a_road_or_gate_is_urgent(text: str) -> None:
    result = screen(text)
    assert result.level == "urgent", result
    assert "mass_gathering" in result.kinds


@pytest.mark.parametrize("text", NOT_URGENT)
def test_everyday_senses_and_negations_are_not_urgent(text: str) -> None:
    assert screen(text).level != "urgent", screen(text)


# Vulnerable parties in other words: elevated, never urgent, no 110.
VULNERABLE = [
    "我们屋头老爷子八十五了，村上的补贴一直没发",
    "我奶奶九十多了，住的老房子漏雨",
    "俺爹都七十好几了，宅基地被邻居占了",
    "我媳妇大着肚子还被公司调去搬货",
    "佢有咗三個月，老闆話要佢走",
    "我老婆预产期就在下个月，房东却要涨房租",
    "我外公中风以后，舅舅把他的退休金拿走了",
    "我儿子出门要坐轮椅，小区的坡道被车堵了",
    "我妈腿脚不利索，物业把电梯停了",
    # an injured old person is elevated too
    "我爸七十多了，在超市门口滑倒摔断了胳膊，现在还在医院",
]

# Numbers that are not ages, months that are not pregnancy.
NOT_VULNERABLE = [
    "他不给钱已经有了三个月了",
    "欠薪有五个月了",
    "他欠我六十万",
    "工资一天八十，干了六十天了",
]


@pytest.mark.parametrize("text", VULNERABLE)
def test_vulnerable_party_is_elevated_without_110(text: str) -> None:
    result = screen(text)
    assert result.level == "elevated", result
    assert "110" not in [n.number for n in result.emergency_numbers]


@pytest.mark.parametrize("text", NOT_VULNERABLE)
def test_other_numbers_are_not_a_vulnerable_party(text: str) -> None:
    assert screen(text).level == "none", screen(text)
