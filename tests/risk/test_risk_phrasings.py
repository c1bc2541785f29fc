"""Real phrasings per risk kind, and the ordinary disputes that must stay ``none``.

The tables are the tuning set of ``bot/risk/risk.yml``: when a phrasing is missed, add it here and widen
the YAML. (The blind batches tests/risk/heldout_risk_<N>.yml are the independent check.)
"""

from __future__ import annotations

import pytest

from bot.risk import screen

VIOLENT_KINDS = {"violence", "domestic_violence"}

SELF_HARM = [
    "我真的不想活了",
    "活着没意思，不如死了算了",
    "工资要不回来，我想不开了",
    "我准备从工地楼顶跳下去",
    "他们再不给钱我就喝农药",
    "我刚才割腕了",
    "我今晚就去跳河，一了百了",
    "逼急了我就死给他们看",
    "他要是不还钱我就吊死在他家门口",
    "我老婆说她不想活勒",
    "我有自杀的念头",
    "我妈吃了一瓶安眠药",
    "我想死",
    "这日子过不下去了，真想一死了之",
    "我寻死的心都有了",
    "活着还有什么意思",
    "我已经写好遗书了",
    "我要去跳楼",
    "不想活了😭😭",
    "I want to kill myself",
    "家里的敌敌畏我已经准备好了",
    "活着冒得意思",
    "离婚以后我就想结束自己的生命",
    "活着一点盼头都没有了",
    # means gathered, farewells, a high place or water with a giving-up cue (after batch 9)
    "安眠药我已经攒够了",
    "这半年偷偷攒下的药片全在抽屉里",
    "麻烦你们以后照顾一下我儿子",
    "我走了以后替我照顾好我妈",
    "帮我跟孩子说声对不起",
    "我现在坐在大桥上，这是最后一次给你们发消息",
    "活起没得意思",
    "钱没要回来，我站在楼顶的边上，谢谢你们这些天听我说",
    "存折在抽屉里，孩子以后就托付给我姐了",
    "药我偷偷攒了好几个月",
    "我到湖边了，他们再逼我我就下去",
    "真的不想再熬下去了，现在一个人坐在楼顶",
    "炭买好了，窗户缝也贴死了",
    "今晚睡下去就不想再醒了",
    "该交代的事都写好了，别告诉我妈",
]

VIOLENCE = [
    ("老公又动手了", "domestic_violence"),
    ("他喝了酒就打我", "domestic_violence"),
    ("老公天天家暴我", "domestic_violence"),
    ("我前夫昨天又来家里打我", "domestic_violence"),
    ("我老公打我，我躲在厕所不敢出来", "domestic_violence"),
    ("被老公打得鼻青脸肿", "domestic_violence"),
    ("我被打得住院了", None),
    ("他拿着刀在我家门口骂", None),
    ("邻居把我打伤了", None),
    ("对方动手打人了", None),
    ("包工头带人来揍我们", None),
    ("他一巴掌扇我脸上", None),
    ("那个人天天削我", None),
    ("他捶我，我身上都是青的", None),
    ("保安把我推倒在地上", None),
    ("我媳妇被她哥打了", None),
    ("物业的人把我们打得头破血流", None),
    ("他们几个人围着我拳打脚踢", None),
    ("讨债的上门把我家玻璃砸了", None),
    ("他掏出一把匕首", None),
    ("he beat me last night", None),
    ("隔壁那家人跟我们打起来了，现在还在打", None),
]

THREAT = [
    "他说再闹就打死我",
    "他扬言要报复我",
    "对方威胁要弄死我",
    "他要找人收拾我",
    "讨债的说要杀我全家",
    "他说要炸了我们家",
    "他放话让我走着瞧",
    "他说不还钱就卸我一条腿",
    "他天天发短信恐吓我",
    "对方说要往我脸上泼硫酸",
    "老板说谁敢去告就找人弄我们",
    "他说晚上来烧我家房子",
    "他说要我的命",
    "他扬言要提一桶汽油去村委会",
    "我刀子就揣在兜里，他敢露面试试",
    "我要跟他同归于尽",
    "再不给钱我就杀了他",
]

CHILD_OR_ELDER = [
    "孩子被打了，脸上都是伤",
    "对门家长三天没回来了，孩子一个人在屋里哭",
    "老人没人管，饿着肚子好几天了",
    "他们把老人锁在屋里不让出来",
    "后妈虐待孩子",
    "孩子不见了，找了一晚上",
    "我奶奶被我叔关在柴房",
    "他天天打孩子",
]

GATHERING = [
    ("明天我们几十个人去政府门口拉横幅", None),
    ("工友们要去堵门", None),
    ("我们要集体上访", None),
    ("再不给钱我们就爬塔吊讨薪", None),
    ("有人说要爬上楼顶讨薪", None),
    ("我们二十多个工友明天一起去公司讨说法", None),
    ("三十多户业主周末准备去开发商售楼处闹", None),
    ("我们五十多个农民工打算去县政府找领导", None),
    ("工人们已经在工地门口静坐了", None),
    ("兄弟们明天去把项目部大门堵了", None),
    ("业主们商量好了要去围堵售楼处", None),
    ("村民们要去县里集体上访", None),
    ("明天我们一起去政府", {"headcount": 15}),
]

ELEVATED = [
    ("我们十几个人的工钱都没结", "group"),
    ("二十多个工友的工资被拖欠了", "group"),
    ("包工头欠我们8个人的工资", "group"),
    ("小区全体业主都受影响", "group"),
    ("工资一直没发", {"headcount": 6}),
    ("我父亲七十多岁了，几个儿女都不管", "vulnerable_party"),
    ("我是残疾人，公司不给工伤赔偿", "vulnerable_party"),
    ("我老婆怀孕了还被公司辞退", "vulnerable_party"),
    ("孩子是留守儿童，爷爷奶奶带着", "vulnerable_party"),
    ("我得了癌症，前夫不给抚养费", "vulnerable_party"),
    ("孩子才十四岁，被饭店老板扣了工钱", "vulnerable_party"),
    ("反映好多次了没人管", "repeated"),
    ("这是我第三次来了", "repeated"),
    ("邻居占道的事一直没解决", "repeated"),
    ("投诉了十几次都没用", "repeated"),
    ("几个部门推来推去", "repeated"),
    ("工资要不回来，我们一家真的活不下去了", "self_harm"),
    ("工资再不发我们真的扛不住了，麻烦你们了", "self_harm"),  # despair, not a farewell
]

NONE = [
    "老板拖欠我三个月工资",
    # everyday senses near the farewell and means rules (after batch 9)
    "农药我已经买好了，明天去地里打药",
    "家里存的药过期了，药店不给退",
    "药店囤了好多口罩和药，价格翻倍",
    "我住院那段时间拜托婆婆帮我照顾好孩子，她却把孩子送回了娘家",
    "我们在江边钓鱼，他把我的鱼竿弄坏了，连对不起都没说",
    "我要他跟我说声对不起",
    "楼顶漏水三年了，物业一直不修",
    "加油站加了一桶汽油，发票开错了",
    "问题解决了，谢谢你们一直听我唠叨",
    "我在楼顶晒被子，等会就下去了",
    "房子我爸生前留给我弟了，我不服",
    "我们一家在河边开了个饭店，城管不让摆桌子",
    "邻居把路堵了，我家车出不去",
    "周末烧烤的炭都买好了，结果房东不让在院子里烤",
    "今年冬天窗户缝都封好了还是漏风，物业不管",
    "网上买的菜刀到手就崩了口子，商家不认",
    "我在厂里被开水烫伤了，现在已经好了，厂里不报医药费",
    "刀磨好了没有？隔壁磨刀的师傅收费太贵",
    "楼上漏水把我家天花板泡了",
    "邻居家狗天天叫",
    "我想咨询一下劳动仲裁",
    "打官司要多少钱",
    "打工的钱没给",
    "打电话没人接",
    "他给我打了欠条，现在不认账",
    "有打卡记录能证明加班",
    "我在外面打工三年了",
    "我给他打了二十多个电话都不接",
    "工资一直是打到我卡上的",
    "钱已经打过去了，他说没收到",
    "我想打听一下调解的流程",
    "打车过去要多久",
    "物业费太贵了",
    "楼下烧烤店太吵了",
    "隔壁装修天天电钻响",
    "对门把杂物堆在公共楼道",
    "朋友借了我两万块不还",
    "车被撞了对方不赔",
    "交通事故对方全责，保险公司拖着不赔",
    "宅基地被邻居占了半米",
    "承包地被村里收回去了",
    "土地补偿款分配不公平",
    "开发商延期交房",
    "房东不退押金",
    "公司不给交社保",
    "被公司无故辞退了",
    "加班费一直不给",
    "工伤认定怎么申请",
    "彩礼能不能要回来",
    "父母留下的房子兄弟几个怎么分",
    "笑死我了，物业还好意思涨价",
    "气死我了，快递丢了不赔",
    "累死了，天天加班到十点",
    "他说要去法院告我",
    "老板说不想干就走人",
    "邻居砍了我家地边的两棵树",
    "这是跳楼价吗",
    "血汗钱被拖欠了半年",
    "我们俩吵了一架",
    "我打算申请法律援助",
    "电梯坏了一个月没人修",
    "打印材料要带几份",
    "小区停车位被人占了",
    "孩子上学的事想咨询一下",
    "这个事打死我也想不通",
    "他威胁我说不还钱就起诉我",
    "我的申请被打回来了",
    "装修师傅开始动手拆墙了",
    "你好",
    "谢谢",
    "",
    "？？？",
    "asdf jkl",
    "👍👍👍",
]

NEGATED = [
    "我没有打人",
    "他没打我，就是天天骂",
    "我不会想不开的，放心",
    "以前打过架，现在没事了",
    "他从来没动过手",
    "老公没有家暴，就是不给钱",
    "我不会去跳楼的，就想把钱要回来",
    "以前他威胁过我，现在已经和好了",
    "我们不会去拉横幅的，就想好好解决",
    "i would never kill myself, just want my wages",
]

STILL_URGENT = [
    ("他说再闹就打死我", "threat"),
    ("他没钱了就打我", None),
    ("没想到他会动手打人", None),
    ("他没少打我", None),
    ("他不让我报警，还打我", None),
    ("以前打过架，现在没事了，可是昨天他又动手了", None),
    ("会不会打我啊，他刚才拿着刀", None),
]

VARIANTS = [
    # traditional characters
    ("我真的不想活了，活著沒意思", "self_harm"),
    ("他說再鬧就打死我", "threat"),
    ("老公又動手了", "domestic_violence"),
    ("明天我們幾十個人去政府門口拉橫幅", "mass_gathering"),
    # pinyin-input typos and homophones
    ("想不开了", "self_harm"),
    ("我不想活勒", "self_harm"),
    ("他又家爆我", "domestic_violence"),
    ("我想一了白了", "self_harm"),
    ("准备跳搂", "self_harm"),
    ("我想割碗", "self_harm"),
    ("他威协我", "threat"),
    # dialect
    ("他老揍我", None),
    ("俺男人天天削我", None),
    ("他捶我", None),
    ("我寻死的心都有了", "self_harm"),
    # emoji
    ("他拿🔪在门口转", "violence"),
    ("他👊我", "violence"),
    ("我想💀", "self_harm"),
    # English and mixed scripts
    ("kill myself", "self_harm"),
    ("He hit me again", "violence"),
    ("他threaten我", "threat"),
    # spacing, full width, invisible characters
    ("想 不 开", "self_harm"),
    ("想\u200b不\u200b开", "self_harm"),
    ("ｉ ｗａｎｔ ｔｏ ｋｉｌｌ ｍｙｓｅｌｆ", "self_harm"),
]


@pytest.mark.parametrize("text", SELF_HARM)
def test_self_harm_is_urgent(text: str) -> None:
    result = screen(text)
    assert result.level == "urgent", result
    assert "self_harm" in result.kinds


@pytest.mark.parametrize(("text", "kind"), VIOLENCE)
def test_violence_is_urgent(text: str, kind: str | None) -> None:
    result = screen(text)
    assert result.level == "urgent", result
    assert set(result.kinds) & VIOLENT_KINDS
    if kind:
        assert kind in result.kinds


@pytest.mark.parametrize("text", THREAT)
def test_threat_is_urgent(text: str) -> None:
    result = screen(text)
    assert result.level == "urgent", result
    assert "threat" in result.kinds


@pytest.mark.parametrize("text", CHILD_OR_ELDER)
def test_child_or_elder_in_danger_is_urgent(text: str) -> None:
    result = screen(text)
    assert result.level == "urgent", result
    assert "child_or_elder_in_danger" in result.kinds


@pytest.mark.parametrize(("text", "facts"), GATHERING)
def test_gathering_is_urgent(text: str, facts: dict | None) -> None:
    result = screen(text, facts)
    assert result.level == "urgent", result
    assert "mass_gathering" in result.kinds


@pytest.mark.parametrize(("text", "kind"), ELEVATED)
def test_elevated(text: str, kind: str | dict) -> None:
    facts = kind if isinstance(kind, dict) else None
    result = screen(text, facts)
    assert result.level == "elevated", result
    assert (kind if isinstance(kind, str) else "group") in result.kinds


@pytest.mark.parametrize("text", NONE)
def test_ordinary_disputes_are_none(text: str) -> None:
    result = screen(text)
    assert result.level == "none", result
    assert result.signals == ()
    assert result.emergency_numbers == ()


@pytest.mark.parametrize("text", NEGATED)
def test_negated_or_past_and_resolved_is_not_urgent(text: str) -> None:
    assert screen(text).level == "none", screen(text)


@pytest.mark.parametrize(("text", "kind"), STILL_URGENT)
def test_negation_does_not_reach_too_far(text: str, kind: str | None) -> None:
    result = screen(text)
    assert result.level == "urgent", result
    if kind:
        assert kind in result.kinds


@pytest.mark.parametrize(("text", "kind"), VARIANTS)
def test_variants(text: str, kind: str | None) -> None:
    result = screen(text)
    assert result.level == "urgent", result
    assert (kind in result.kinds) if kind else (set(result.kinds) & VIOLENT_KINDS)
