"""Round 13 of the risk screen's misreadings, in sentences of our own (dialect, 繁體, English, pinyin), one
table of exact levels, the rules alone:

1. A person just cut or stabbed the citizen with a blade, scissors or glass (拿剪刀戳我, 用刀片割我的脸,
   他划了我胳膊, 被他用剪子扎了一下): violence, urgent, led by the police, never read as self-harm.
2. English: men at the door, banging, a threat to drag or throw the family out now: a threat, urgent.
3. "If a person is no longer here, who gets the money" with "tonight I'll settle this": urgent.
4. Complaints counted by the citizen (第五回了, 物业社区都找过了, complained five times): elevated.
5. A child bitten or hurt and being treated (狂犬疫苗打到第三针, 缝了几针在住院): elevated.
6. English group sizes ("me and 6 other teachers" is 7, "seven of us"): a group, elevated.
7. A crowd at a festival, a dance, a wedding or a temple fair is no protest and no affected group.
8. A pinyin message (a licence plate with X's) was judged urgent by the trained opinion, with an empty
   matched word: the spaces between pinyin words counted as story. Pinyin and English are no story for
   the model, the model's finding names the words that weighed, and no pattern may match nothing.
9. A shove in a quarrel that is over, nobody hurt: none.
"""

from __future__ import annotations

import pytest

from bot.risk import RiskRules, parse_count, screen
from bot.risk.engine import _judged_by_model
from bot.risk.model import RiskModel
from bot.risk.rules import default_rules, load_raw

CASES = [
    # 1. someone just cut or stabbed the citizen with a blade, scissors or glass: urgent (an everyday
    # slip with a knife, a doctor's lancet, a parcel cut open, a car scratched, English "cut me off" are none)
    ("他刚才拿剪刀戳我胳膊，流了好多血，人还在门口", "urgent"),
    ("那男的掏出美工刀划了我的脸，血止不住", "urgent"),
    ("刚刚被他用刀片割了一下，手上全是血", "urgent"),
    ("邻居拿剪子戳伤了我，他人还在楼下骂", "urgent"),
    ("佢頭先用𠝹刀𠝹咗我隻手，流好多血，佢仲喺度", "urgent"),
    ("他拿碎玻璃往我脖子上划", "urgent"),
    ("房東拿螺絲刀捅了我一下，流了好多血", "urgent"),
    ("我胳膊被他划了一刀，现在还在流血", "urgent"),
    ("他冲上来划了我胳膊，血流了一地", "urgent"),
    ("he slashed my arm with a box cutter and he's still outside", "urgent"),
    ("the neighbour came at me with scissors, my hand is bleeding", "urgent"),
    ("我切菜不小心用刀划了手，流了好多血", "none"),
    ("他拿刀划开了快递，说里面东西是坏的", "none"),
    ("医生用刀片给我割了个小口子放脓，收了五百块", "none"),
    ("我用刀片刮胡子划破了脸", "none"),
    ("他把我的车划了好几道，要他赔", "none"),
    ("the driver cut me off and I want to report him", "none"),
    ("my boss cut my hours again", "none"),
    # 2. English: men at the door, the door banged on, a threat to drag or throw the family out now:
    # urgent; an eviction told as a future step, a power cut over rent, knocking for the rent: none
    ("My landlord is at the door with three men, they say they will drag me out tonight", "urgent"),
    (
        "The landlord brought some guys, they're banging on the door and cut off the power, saying they'll throw us out tonight",
        "urgent",
    ),
    (
        "landlord and his friends are pounding on our door right now, they said they'll haul my kids out",
        "urgent",
    ),
    ("There are men kicking my door, the owner says he will throw my stuff out tonight", "urgent"),
    ("My landlord says he will kick us out next month if we don't pay", "none"),
    ("the landlord cut off the power because we're late with the rent", "none"),
    ("my landlord is throwing a party tonight and it's so loud", "none"),
    ("the landlord keeps knocking on my door asking for the rent", "none"),
    # 3. who gets the money "if a person is no longer here", with "tonight I'll settle this": urgent;
    # a plain demand that the matter be settled today, or a legal question about an heir: none
    ("如果一个人不在了，这赔偿款归谁？今晚就把这事了结了", "urgent"),
    ("要是人没了，补偿金给谁领？不想拖了，今晚做个了断", "urgent"),
    ("人要是走了，那笔工伤赔偿谁来拿？今天晚上我就把这一切了结", "urgent"),
    ("今晚我就做个了断，如果我不在了，拆迁款给我女儿", "urgent"),
    ("如果一個人不在了，賠償金歸誰？今晚就把這事了結了", "urgent"),
    ("if a person is no longer here who gets the compensation money? I'll end this tonight", "urgent"),
    ("这事今天必须了结，他欠我的三万块钱今天必须还", "none"),
    ("这事今天必须解决，不然我就去法院起诉", "none"),
    ("如果当事人死了，赔偿款归谁继承？", "none"),
    ("今天就把这事了结了，我要他把工钱结清", "none"),
    # 4. complaints counted by the citizen, offices all tried: elevated (a quarrel counted, a month of
    # arrears, the offices coming to the citizen, calls to the other side: none)
    ("楼上漏水这已经是第五回了", "elevated"),
    ("这都第三次了，物业还是推给开发商", "elevated"),
    ("物业、社区、街道都找过了，漏水还是那样", "elevated"),
    ("物业社区都找过，也没个结果", "elevated"),
    ("物业找了，社区也找了，街道也去了", "elevated"),
    ("為了這件事，物業和居委會都找過了", "elevated"),
    ("I've complained 5 times and nobody does anything", "elevated"),
    ("this is the fourth time I have called about the noise", "elevated"),
    ("I reported it to the council six times", "elevated"),
    ("我和他为这事吵了好几回", "none"),
    ("第五个月没发工资了", "none"),
    ("物业和开发商都找过我，说要涨价", "none"),
    ("这是我第一次反映", "none"),
    ("I called him 5 times but he did not answer", "none"),
    # 5. a child (or anyone) bitten or hurt and being treated: elevated (a routine vaccine, a bite long
    # healed: none)
    ("娃儿遭狗咬咯，疫苗打到第二针了", "elevated"),
    ("孩子狂犬疫苗打到第三针了，对方一分钱不出", "elevated"),
    ("小孩缝了几针在住院，对方不管", "elevated"),
    ("我女儿被开水烫伤了，还在医院换药", "elevated"),
    ("孫子被隔壁的狗咬了，狂犬疫苗打到第二針了", "elevated"),
    ("my son was bitten by the neighbour's dog and is getting rabies shots", "elevated"),
    ("my daughter needed six stitches and is in the hospital now", "elevated"),
    ("孩子乙肝疫苗打到第三针了，社区让补材料", "none"),
    ("孩子去年被狗咬过，打完疫苗早就好了", "none"),
    # 6. English group sizes: "me and 6 other teachers" (7), "seven of us": a group of 5+, elevated
    ("me and 6 other teachers haven't been paid for three months", "elevated"),
    ("seven of us were fired without notice", "elevated"),
    ("There are 8 of us workers owed wages", "elevated"),
    ("me and four colleagues have not been paid since March", "elevated"),
    ("twenty-five families lost their deposits to the same agent", "elevated"),
    ("me and two friends rented the flat together", "none"),
    ("I worked there 6 months without a contract", "none"),
    ("3 other people saw it happen", "none"),
    # 7. a crowd gathered for a dragon dance, a wedding, a temple fair, a rehearsal: no protest, no
    # affected group (the dispute decides: none here); a crowd pressing a claim stays urgent
    ("几十号人在村口集合舞龙，邻居嫌锣鼓吵", "none"),
    ("过年村里几十个人集合排练舞狮，吵得睡不着", "none"),
    ("庙会那天上百人聚集在广场，把我家门口堵了", "none"),
    ("明天婚礼，几十号人在我家门口集合，邻居不让停车", "none"),
    ("村里二十多个人晚上在文化广场排练秧歌，音响太吵了", "none"),
    ("about 30 people gathered for the temple fair and parked on my land", "none"),
    ("几十个工人明天集合去公司讨薪", "urgent"),
    ("我们三十多个村民明天在村口集合，去镇政府要说法", "urgent"),
    ("婚礼上对方带了十几个人来闹事，把我爸打了", "urgent"),
    ("我们几十个人明天一起去市里参加比赛", "elevated"),
    # 9. a shove in a quarrel that is over and hurt nobody: none; not while it goes on, or with a
    # knife or a threat after it
    ("吵了一架还推搡了两下，谁也没伤着", "none"),
    ("两个人推搡了几下，都没事，就是想要回押金", "none"),
    ("我跟邻居为了车位吵起来，互相推了几下，人都没事，就是想让物业划清车位", "none"),
    ("他跟我老公拉扯了一下，没受伤，现在想要个说法", "none"),
    ("上礼拜跟房东吵架推了他两下，谁都没事，押金他不退", "none"),
    ("他们现在还在推搡，没人受伤，你们快来", "urgent"),
    ("推搡了几下，我妈没事，他又拿刀出来了", "urgent"),
    ("他推搡我，还说要弄死我", "urgent"),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round_thirteen_levels(text: str, level: str) -> None:
    result = screen(text, model=None)
    assert result.level == level, (text, result.signals)


PINYIN = [
    "ni hao, wo zuo tian wan shang zai lu kou bei yi liang che ca le, paizhao 晋A 7 3 2 X X, si ji mei"
    " ting che jiu zou le, wo yao zen me ban",
    "lao ban qian wo gong zi san ge yue le, ta de che paizhao 晋A 7 3 2 X X, wo zhi dao ta zhu na li",
    "dui fang che paizhao 晋A 7 3 2 X X, zhuang le wo de dian dong che jiu pao le, xian zai zhao bu dao ren",
    "paizhao 京B X X 1 2 3, ting zai wo jia men kou yi ge yue le, wu ye bu guan, zen me ban a",
]


@pytest.mark.parametrize("text", PINYIN)
def test_a_pinyin_message_with_a_plate_is_no_emergency(text: str) -> None:
    """With the trained opinion as the product runs: a plate with X's in pinyin pages nobody."""
    result = screen(text)
    assert result.level != "urgent", result.signals


@pytest.mark.parametrize("text", PINYIN + ["ta na dao zhui wo", "paizhao 晋A 7 3 2 X X"])
def test_a_pinyin_message_is_no_story_for_the_trained_opinion(text: str) -> None:
    rules = default_rules()
    assert rules.model is not None
    assert not _judged_by_model(rules.normalizer(text), rules.model)


@pytest.mark.parametrize("text", PINYIN + ["ta na dao zhui wo", *(t for t, _ in CASES)])
def test_no_signal_shows_staff_an_empty_match(text: str) -> None:
    for signal in screen(text).signals:
        assert signal.matched_text.strip(), (text, signal)


@pytest.mark.parametrize("pattern", ["(?:家暴)?", "(?=刀)", "家暴|", "(?<![a-z])(?:x\\s*)*"])
def test_the_rules_refuse_a_pattern_that_can_match_nothing(pattern: str) -> None:
    raw = load_raw()
    raw["kinds"] = {**raw["kinds"], "extra": {"level": "urgent", "patterns": [pattern]}}
    with pytest.raises(ValueError, match="empty string"):
        RiskRules.from_dict(raw)
    raw = load_raw()
    raw["headcount"] = {**raw["headcount"], "pattern": f"(?P<num>\\d*)(?:{pattern})"}
    with pytest.raises(ValueError, match="empty string"):
        RiskRules.from_dict(raw)


def test_the_trained_opinion_names_the_words_that_weighed() -> None:
    """A story only the model finds urgent shows staff the n-gram that decided, not an empty match."""
    model = RiskModel(
        classes=("none", "elevated", "urgent"),
        intercept=(0.0, 0.0, 0.0),
        features={"院子": (1.0, -5.0, -5.0, 10.0), "邻居": (1.0, 1.0, 0.0, -1.0)},
    )
    text = "我家院子和邻居家院子中间有一条小路，两家一直说不清楚归哪家，想请你们派人来现场看看，帮忙量一量"
    result = screen(text, model=model)
    assert result.level == "urgent"
    assert result.signals[0].kind == "judged" and result.signals[0].matched_text == "院子"


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("me and 6 other teachers haven't been paid for three months", 7),
        ("seven of us were fired without notice", 7),
        ("Me & my 5 coworkers were told not to come back", 6),
        ("4 other drivers and me were never paid for June", 5),
        ("twenty-five families lost their deposits", 25),
        ("a dozen workers are still owed wages", 12),
        ("me and two friends rented the flat together", 3),  # no group of five
    ],
)
def test_a_group_counted_in_english(text: str, count: int | None) -> None:
    assert screen(text, model=None).headcount == count


def test_english_numerals() -> None:
    assert parse_count("seven") == 7
    assert parse_count("twenty-five") == 25
    assert parse_count("a dozen") == 12
    assert parse_count("several") is None


def test_a_cut_by_another_person_pages_the_police_not_the_crisis_line() -> None:
    result = screen("他拿刀片把我手臂划了一道口子，现在还在流血", model=None)
    assert result.kinds[0] == "violence" and "self_harm" not in result.kinds
    assert result.emergency_numbers[0].number == "110"


def test_a_festival_crowd_is_no_affected_group() -> None:
    """Nobody's headcount is recorded for a dragon dance; a group named in the facts still counts."""
    text = "几十号人在村口集合舞龙，锣鼓敲到半夜"
    assert screen(text, model=None).headcount is None
    assert screen(text, facts={"headcount": 30}, model=None).level == "elevated"


def test_a_message_mixing_english_words_into_chinese_is_a_story_for_the_model_and_pinyin_is_not() -> None:
    from bot.risk.engine import _story_length
    from bot.textnorm import normalize_text

    mixed = normalize_text(
        "my ex 每天都在我公司门口堵我，刚才又发消息说 you will regret it tonight，我不敢下班"
    )
    pinyin = normalize_text(
        "wo jia menkou de lu bei ren du le, chepai 冀B 5 6 X X, ta shuo bu yi kai jiu bu zou"
    )
    assert _story_length(mixed) >= 30
    assert _story_length(pinyin) < 5


def test_an_injury_said_to_be_healed_now_is_history() -> None:
    from bot.risk import screen

    assert (
        screen("前年在砖厂叫机器轧了脚，住了二十来天院，现在是好了，就是走路还有点瘸，厂里不认工伤").level
        == "none"
    )
    assert screen("脚叫机器轧了，现在还在住院，厂里一分钱不出").level == "elevated"
