"""Round-6 mechanisms (after blind batch 18): compositional cues, someone else's story, disavowal, and
resolution told in other words.

Earlier rounds added the phrasings each blind batch missed; every fresh batch still found new words for
the same dangers. Round 6 therefore composes two cues that are each everyday speech alone — a means kept
ready (药攒着, 炭买好了) or a high place, said with a farewell or a settling-up (可以走了, 不用再办了,
跟你们说一声); a harm to a person's body said under a condition or for a set time (再敢来…剁了他) — and
judges a hit in its frame: a news story is someone else's, a disavowal right after it takes it back, and
a past fight the other side owned up to is over. Every sentence here was written for this file; batch 18
stays the held-out check (tuned, so no longer independent).
"""

from __future__ import annotations

import pytest

from bot.risk import screen
from bot.risk.rules import RiskRules, load_raw

# --- means kept ready + a farewell or settling-up -----------------------------------------------

MEANS_AND_FAREWELL = [
    "敌敌畏就在我床边，谢谢你们这些年的照顾",
    "我把安眠药都拿出来了，孩子就交给我妈了",
    "炭已经烧起来了，到此为止吧",
    "这病治不起了，药我已经备了一大瓶，等女儿出嫁我就安心走了",
    "我已经写好遗嘱了，绳子也买了，就这样吧",
    "农药就在我手边，你们再逼我，我就喝给你们看",
    "我把家里的安眠药全找出来了，房子的事你们别管了",
    "耗子药我兑在水里了，就是想跟你们告个别",
    "我已經把炭點上了，門也鎖好了，你們不用再找我",
    "百草枯我兑好了水放在桌上，孩子就拜托我姐了",
    "我把这些年攒的药全倒在碗里了，你们以后好好过",
    "木炭和胶带都在车里了，我就是想最后跟你们说说话",
    "老鼠药买回来了，藏在枕头底下，以后你们不用再操心我了",
    "吊扇上的绳子我系好了，该交代的都交代了",
    "这几个月的药我都没吃存起来了，等过完年我就解脱了",
    "汽油我备好了，跟你们说一声，明天就当着他们的面点",
    "我把攢的安眠藥都倒出來了，跟你們說一聲，謝謝這些年照顧",
    "安眠药我一直存着呢，等孩子考完试，我也该走了",
    "老鼠药藏在柜子里了，房子的事不用再管了",
    "一包炭放在后备箱，跟你们说一声，这事别再查了",
    "绳子我挂在房梁上了，就是跟大家说一声",
    "農藥我放在床頭了，你們不用再辦了",
    "那些药片我攒了大半年，事情都安排好了以后我就走了",
    "敌敌畏我搁在灶台底下，等他们来了我就当着他们的面喝下去",
]

MEANS_WITHOUT_FAREWELL = [
    "安眠药拿出来了，医生说睡前吃一片",
    "我把这个月的药都备齐了，跟你们说一声，下个月去复诊",
    "刀片我买好了，明天去刮墙上的腻子",
    "炭买了两袋，冬天取暖用的",
    "绳子买好了，用来捆稻草",
    "药我都备好了，明天跟你们说一声去医院复查",
    "农药我放仓库里了，明天去地里打药",
    "安眠药我一直存着，医生让我睡不着再吃半片",
    "炭买好了，周末跟你们说一声一起去河边烧烤",
    "药我放在冰箱里了，跟你说一声记得给孩子喂",
    "降压药我都备好了，下个月出远门用",
]

# --- a high place + a farewell --------------------------------------------------------------------

HIGH_PLACE_AND_FAREWELL = [
    "我在十八楼的阳台上，我先走一步了",
    "我在18層的窗邊，你們照顧好自己",
    "我在楼顶，一切都结束了",
    "我已经到了江边，回不去了",
    "我站在天台上，累了，不想再撑了",
    "我在高速天桥上，车来车往的，跟你们说最后一句，谢谢",
    "我站在六楼的窗台上了，你们谁也别劝我",
    "我站在楼顶的护栏外面，跟我妈说一声对不起",
    "我在江堤上坐了一下午，不想再拖累你们了",
    "我现在在水库坝上，天黑了，不想回去了，你们保重",
    "我喺橋上面，好凍，同阿媽講聲對唔住",
    "我在楼顶边上坐着，风好大，就想跟你们说声对不起",
    "俺在大桥上头，跟俺娘说一声别等俺吃饭了",
    "我在天台上吹吹风，跟你们说一声，以后就不麻烦大家了",
    "大桥上车不多，我就站这儿，跟家里说一声没脸回去了",
    "人在江边，最后一次给你们打电话",
    "我喺天台，同你哋講聲，唔使再搵我了",
]

HIGH_PLACE_EVERYDAY = [
    "我住18楼的阳台朝南，想问物业能不能封阳台",
    "我在窗台边上坐着看书，跟你们说一声，快递放门口就行",
    "天台上风大，我们在上面烧烤，跟你们说一声晚点回",
    "我在江边的饭店吃饭，回不去了，车坏了",
    "楼顶漏水的事一切都结束了，谢谢你们",
    "窗台上的花我浇了水，跟你们说一声",
    "我在楼顶修太阳能，跟你们说一声下午停水",
    "我在河边散步，跟你们说一声晚点回",
    "我在楼顶晒被子，跟你们说一声下午不在家",
    "我在江边钓鱼，跟你们说一声晚上不回来吃饭",
    "桥上堵车了，跟你们说一声会晚点到",
]

# --- cuts counted in strokes ------------------------------------------------------------------

CUTS = [
    "我手腕上割了好几道，血流了一地",
    "刚才用刀片在手腕上划了两下",
    "手臂上已经割了好几刀了，血一直在流",
    "胳膊上又割了三道，血止不住",
    "我手腕上刚划了好几下",
    "大腿上自己割了几刀",
]

CUTS_EVERYDAY = [
    "手上被铁皮不小心划了一道口子，去诊所包了一下",
    "切菜的时候手划了一道，没事",
]

# --- harm to a person's body under a condition, for a set time, or with "I will pay for it" -------

CONDITIONAL_HARM = [
    "他要是再敢欺负我儿子，我就送他去见阎王",
    "明天他不给钱，我就让他上路",
    "那个老板要是再不给工钱，我就结果了他",
    "他敢再进我家门一步，我就一刀剁了他",
    "那王八蛋要是敢碰我女儿，我让他这辈子下不了床",
    "明天我就带人去，把他两只手都剁了",
    "今晚他不出来，我就把他家人都弄进医院",
    "他今天再敢来要钱，我就拿斧头劈了他",
    "等他下班出来，我就把他两条腿都敲断",
    "老子今晚就去把他娃儿的腿打断",
    "我跟我哥说好了，周末去他家，把他打残",
    "要是法院判了还不给，我就让他全家都进医院",
    "要是再让我碰见他，我非把他腿打瘸不可",
    "他再敢动我闺女一根手指头，我就宰了他",
    "明晚我带几个兄弟去，把他胳膊卸了",
    "后天他不搬走，我就废了他",
    "剁了那狗东西，我认了，大不了偿命",
    "他要是再来我店里闹，我就剁了他",
    "敢再碰我妹一下，我把他手剁掉",
    "明天他家不还钱，我们就把他两条腿打断",
    "今晚他要是还不回话，我废了他",
    "砍了那孙子我自己去自首",
    "捅了他大不了我去坐牢",
    "我一定让他下半辈子躺在床上",
    "佢再敢嚟，我就斬咗佢",
    "再讓我看到他打我媽，我把他腿打斷",
]

CONDITIONAL_EVERYDAY = [
    "菜刀放在门后头，孩子够不着",
    "我把镰刀挂墙上了，明天去割麦子",
    "如果他再来，我就关门不理他",
    "要是老板再拖工资，我们就去劳动局投诉",
    "他明天要是还不还钱，我就把他告上法庭",
    "把他的腿摔断了的那个司机跑了，我们想追责任",
    "要是他再不还钱，我就去法院起诉他",
    "明天把他的车拖走，他违章停车",
    "明天去菜市场剁了排骨给孩子炖汤",
    "要是他再来闹，我就报警",
    "如果商场打折，我就多买两件",
    "他腿打折了，现在在家养着，想问工伤怎么认定",
    "医生说他下半辈子可能要坐轮椅，我们想申请救助",
]

# --- a weapon kept at hand and a dare ------------------------------------------------------------

WEAPON_AND_DARE = [
    "斧头我就放在门口，他再来一次试试",
    "菜刀我枕头底下压着呢，那帮人敢再上门，来一个砍一个",
    "俺把镰刀别在腰上了，今儿个谁敢动俺家的地，俺就劈了谁",
    "鐵鍬我靠在門邊，他們再敢來強拆，我就跟他們拼命",
]

# --- a child taken away and the family cut off ---------------------------------------------------

CHILD_TAKEN = [
    "前老公把女儿抢走了，微信也把我删了，说我再也别想见她",
    "前妻把儿子从补习班接走，把我拉黑了，说我死了这条心吧",
    "我婆婆趁我上班把孩子抱回老家了，电话不接，说这辈子别想见孩子",
    "前夫下午把娃从外婆家抢走了，电话关机，说我再也见不到了",
    "孩子被他爸从学校带走了，说以后休想见",
    "孩子他爸把儿子从学校接走了，电话也拉黑了我",
    "婆家把孩子抱走了，说我一辈子都别想见到",
    "前妻把女儿带走了，手机一直关机，找不到人",
    "前夫把孩子帶走了，說我這輩子休想再見",
]

CHILD_TAKEN_EVERYDAY = [
    "孩子被他奶奶接走了，手机没电，刚联系上",
    "孩子他爸把孩子接走了，说好周日送回来",
    "奶奶把孩子接走了，周末再送回来",
    "我老公把孩子接走了，手机没电关机了，一会儿就到家",
    "爷爷把孙子带走去公园玩了",
]

# --- dangers already under way, told in other words ----------------------------------------------

UNDER_WAY = [
    "安眠药我吃了大半瓶了，现在头晕，想跟你们说再见",
    "那个人把我女儿从小区门口拽上了面包车，车往东开了",
    "村里一百多人已经堵在镇政府门口了，还有人拿着锄头",
    "工友们说好了，明早八点去堵项目部大门，不给钱谁也别想进出",
]

ANIMAL_NOT_PERSON = [
    "他说要是再看见我家狗乱跑就打死它，我们想把狗拴好",
    "邻居扬言要毒死那条狗，我们想请社区协调",
]

# --- someone else's story, for every kind ------------------------------------------------------

REPORTED = [
    "看新闻说有人在售楼处拉横幅，我们业主可不想闹，就想协商退房",
    "电视上说有个男的喝农药了，真可怜，我们这儿的事没那么严重",
    "看到抖音上有人爬塔吊要工资，我们可不敢这么干",
    "新闻里说有人跳楼讨薪，我不会那样，就想正常走仲裁",
    "新闻里说有人在政府门口拉横幅，我们不会那样做，就想好好协商",
    "电视上播有一群工人爬塔吊讨薪，我就是想问问正规怎么讨",
    "看新闻说外地有业主集体上访，我们小区就两户漏水",
]

# --- disavowal after a hit -------------------------------------------------------------------

DISAVOWED_THREAT = [
    "我真想把他揍一顿，不过犯不着为这种人坐牢",
    "恨不得掐死那个老板，但我还是想走正规途径",
    "我恨不得一巴掌扇死他，但我不会动手的，我要讲道理",
    "我真想抽他两个嘴巴子，可我是讲理的人，还是找你们",
    "恨不得把他家砸了，但我是守法公民，请帮我调解",
    "气得我真想弄死他，可我是守法公民，还是找你们调解",
    "恨不得一刀捅了他，不过我犯不着为他坐牢",
    "我当时真想砍了他，我可不干那种傻事，想走法律途径",
]

# Words said in jest or anger are taken back whoever said them.
JUST_WORDS = [
    "气得我想跳楼，哈哈开玩笑，就是问问退货怎么弄",
    "我老公说要是再不还钱就剁手，开玩笑的，他就是嘴上说说",
    "他说要弄死那条狗的主人，都是气话，我们就想让邻居把狗拴好",
]

DISAVOWED_SELF_HARM = [
    "有时候真觉得活够了，不过我不会做傻事的，孩子还小",
    "活着真没意思，不过说说气话罢了，主要是工资一直拖着",
]

# A third person's threat stays a threat whatever the speaker says about themselves afterwards.
OTHERS_THREAT = [
    "他扬言要弄死我，我可不会干傻事，只想请你们管管",
    "对方说要砍了我全家，我是守法公民，不想跟他动手",
]

# --- past and resolved, in other words ------------------------------------------------------------

PAST_RESOLVED = [
    "前年邻居跟我动过手，后来赔礼道歉了，这两年相安无事",
    "他以前拿刀吓唬过我，后来认错了，这几年挺好，今天问孩子户口",
    "那会儿我俩打过一架，后来都道歉了，这几年关系挺好",
    "前两年他打过我，后来保证不再犯，确实没再动过手",
    "以前他打过我几次，后来认错改了，现在就想办个离婚手续",
    "去年他动手推过我一次，后来他道歉了，这一年都挺好的，想咨询离婚财产",
    "以前他喝多了打过我，后来改了，这几年相安无事，今天是问房子过户",
    "前几年兩口子打過一架，後來他認錯了，現在想問孩子上學的事",
]

PAST_NOT_RESOLVED = [
    "去年他动手打过我，到现在还天天骂我",
    "上个月他打了我，后来又打了一次",
]

# --- a group with repeated complaints is elevated, not a gathering -------------------------------

GROUP_REPEATED = [
    "我们二十几户都找过开发商好几次，想问下一步怎么办",
    "我们单元二十多户都被同一个物业坑了，大家都找过物业好几回，没人管",
    "十几家商户都去过市场管理处好多趟，到现在没解决",
]

GROUP_PLANNED = [
    "我们二十多户明天一起去物业公司讨说法",
    "十几家商户约好了后天都去市场管理处门口拉横幅",
]

# Everyday messages that hold one cue of a composite (a farewell word, a condition, a means) and
# must stay calm.
ONE_CUE_ONLY = [
    "我先走一步了，你们慢慢吃",
    "要是明天还下雨，我就把他的车开回来",
    "他要是敢再迟到，我就扣他工资",
    "今晚我们把他的生日蛋糕切了",
    "他妈把孩子接走了，说这辈子都不让孩子受委屈",
    "把孩子从幼儿园接走了，手机关机了在充电",
    "药都攒着呢，社区医生说慢性病可以一次开三个月",
    "明天去医院，医生要把他腿上的钢板取了",
    "最后一次跟你们反映，楼下餐馆油烟太大了",
    "对不起打扰了，我想问一下低保怎么申请",
    "跟你们说一声，我明天去派出所补身份证",
    "我在桥上看到有人摆摊占道，跟你们说一声",
    "农药放在仓库里了，村里统一发的，跟你们说一声",
    "安眠药我一直备着，医生开的，最后一次开药是上个月",
    "如果明天还停水，我就去物业问",
    "明天把他家的狗拴好，再咬人就报警",
    "老公把孩子接走了，说好晚上送回来，手机没电了",
    "我把药都存在冰箱里了，跟你们说一声",
    "我在天台晒了被子，跟你们说一声下雨帮收一下",
    "事情都安排好了，明天就走了，去外地打工",
    "工钱的事不用再办了，老板已经给了",
    "他明天再来闹，我就把他赶出去",
    "孩子他爸把孩子带走了，说这周末归他",
]


@pytest.mark.parametrize(
    "text",
    MEANS_AND_FAREWELL
    + HIGH_PLACE_AND_FAREWELL
    + CUTS
    + CONDITIONAL_HARM
    + WEAPON_AND_DARE
    + CHILD_TAKEN
    + UNDER_WAY
    + OTHERS_THREAT
    + PAST_NOT_RESOLVED
    + GROUP_PLANNED,
)
def test_urgent(text: str) -> None:
    assert screen(text).level == "urgent", screen(text)


@pytest.mark.parametrize(
    "text",
    MEANS_WITHOUT_FAREWELL
    + HIGH_PLACE_EVERYDAY
    + CUTS_EVERYDAY
    + CONDITIONAL_EVERYDAY
    + CHILD_TAKEN_EVERYDAY
    + REPORTED
    + DISAVOWED_THREAT
    + JUST_WORDS
    + ANIMAL_NOT_PERSON
    + PAST_RESOLVED
    + ONE_CUE_ONLY,
)
def test_not_urgent(text: str) -> None:
    # calm, not only "not urgent" (elevated would show the citizen hotline numbers), except where a
    # vulnerable party or a joke about despair is a concern the staff should see
    expected = "elevated" if text in STILL_A_CONCERN else "none"
    assert screen(text).level == expected, screen(text)


STILL_A_CONCERN = (
    "医生说他下半辈子可能要坐轮椅，我们想申请救助",
    "气得我想跳楼，哈哈开玩笑，就是问问退货怎么弄",
)


# Despair told as past and over: a concern (elevated), not an emergency.
PAST_DESPAIR_OVER = ["我以前想过不活了，后来看了心理医生，现在好多了"]


@pytest.mark.parametrize("text", DISAVOWED_SELF_HARM + PAST_DESPAIR_OVER)
def test_disavowed_despair_stays_a_concern(text: str) -> None:
    """Despair taken back is still worth a hotline number: elevated, not dropped."""
    result = screen(text)
    assert result.level == "elevated", result
    assert "12356" in {n.number for n in result.emergency_numbers}


@pytest.mark.parametrize("text", GROUP_REPEATED)
def test_group_with_repeated_complaints_is_elevated(text: str) -> None:
    result = screen(text)
    assert result.level == "elevated", result
    assert "mass_gathering" not in result.kinds


def test_macro_with_alternatives_does_not_split_the_pattern() -> None:
    """A macro is spliced in as one group: `{{A}}X` needs X after every alternative of A."""
    raw = load_raw()
    raw.pop("model")  # its kind is not among this test's kinds
    raw["macros"] = {**raw["macros"], "TWO": "苹果|香蕉"}
    raw["kinds"] = {"test": {"level": "urgent", "patterns": ["{{TWO}}炸了"]}}
    rules = RiskRules.from_dict(raw)
    assert screen("香蕉炸了", rules=rules).level == "urgent"
    assert screen("我买了苹果", rules=rules).level == "none"


def test_disavowal_needs_the_kind_to_opt_in() -> None:
    """`disavowed` is per kind: without it a disavowal after a hit changes nothing."""
    raw = load_raw()
    raw.pop("model")  # its kind is not among this test's kinds
    raw["kinds"] = {"test": {"level": "urgent", "patterns": ["弄死他"]}}
    plain = RiskRules.from_dict(raw)
    raw["kinds"]["test"]["disavowed"] = "none"
    opted = RiskRules.from_dict(raw)
    text = "明天弄死他，可我是守法公民"
    assert screen(text, rules=plain).level == "urgent"
    assert screen(text, rules=opted).level == "none"
    assert screen("明天弄死他。我是守法公民", rules=opted).level == "urgent"


def test_unknown_disavowed_action_is_an_error() -> None:
    raw = load_raw()
    raw["kinds"] = {"test": {"level": "urgent", "patterns": ["x"], "disavowed": "maybe"}}
    with pytest.raises(ValueError, match="disavowed"):
        RiskRules.from_dict(raw)
