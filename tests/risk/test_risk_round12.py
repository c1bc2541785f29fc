"""Round 12 of the risk screen's misreadings, in sentences of our own, one table of exact levels, the
rules alone:

- An animal, not a person, hit or killed (狗被邻居打伤了, 把我家的鸡打死了两只, 拿棍子把羊打瘸了,
  佢打死咗我只猫): a neighbours' dispute over property, none. A person hurt or threatened in the same
  story (他连我一起打, 还拿着刀说下一个就是我) or the citizen's own revenge (他再打我家狗我就弄死他) stays
  urgent; people nicknamed after animals (二狗子, 狗蛋) and insults (那狗东西) are people.
- A child hit by schoolmates or other children, told as something that happened (孩子在学校被同学打了,
  叫高年级的打了, 娃儿遭同学打了, 畀同学打咗, 跟同学打了一架): a child involved, elevated, not urgent.
  It stays urgent when it goes on or comes again (天天堵着打, 又被…打了, 总被同学打), is threatened
  (放学就要来打他, 敢告诉老师就弄死他), is grave (拿刀, 烟头烫, 打晕了) or is a parent beating a child.
"""

from __future__ import annotations

import pytest

from bot.risk import screen

CASES = [
    # 1. an animal hit or killed: none
    ("我家狗被邻居打伤了 能管不", "none"),
    ("隔壁老王把我家大黄打瘸了一条腿，要他赔他不认", "none"),
    ("我养的几只鸭子叫他拿石头砸死了", "none"),
    ("邻居嫌我家狗叫，拿棍子把狗腿打断了", "none"),
    ("我家的羊跑到他地里吃了点麦苗，他就把羊打死了，还不赔钱", "none"),
    ("佢打死咗我只猫，仲话系我只猫抓烂佢啲花", "none"),
    ("我家牛被对门的人用铁锹拍伤了", "none"),
    ("鄰居把我家的貓打傷了，這種事你們管嗎", "none"),
    ("我家狗狗被小区保安打了一顿，现在走路一瘸一拐的", "none"),
    ("隔壁那个人把我屋头的鸡儿打死了两只", "none"),
    ("他故意开车把我家狗撞死了", "none"),
    ("他拿竹竿打我家的鸽子，打死了好几只", "none"),
    ("狗被他用气枪打死了", "none"),
    ("我家猪叫他们用棍子打伤了，兽医说要养半个月", "none"),
    ("我家的猫昨晚上让人打死了扔在门口", "none"),
    ("鄰居用棍子把我家的狗打死了，我要他賠錢", "none"),
    ("他拿鐵鍬拍死了我家兩隻鵝", "none"),
    ("邻居家的熊孩子拿石头砸死了我的鸽子", "none"),
    # ...unless a person is hurt or threatened too, or the citizen threatens revenge
    ("他再打我家狗我就弄死他", "urgent"),
    ("他打死了我家狗，我去找他理论，他又把我打了一顿", "urgent"),
    ("邻居把我家狗打死了，还拿着刀说下一个就是我", "urgent"),
    ("他拿棍子打我家狗，我上去拦，他连我一起打", "urgent"),
    ("我家羊被他打瘸了，我爸去拦也被他打伤了", "urgent"),
    ("狗被他们打死了，他们还扬言要放火烧我家房子", "urgent"),
    ("我和狗都被他打了", "urgent"),
    ("他把狗拴好了就打我", "urgent"),
    ("他拿棍子打我，还打死了我家狗", "urgent"),
    ("我去遛狗，路上被他打了", "urgent"),
    ("二狗子被人打了，满脸是血", "urgent"),
    ("狗蛋被他爸打了", "urgent"),
    ("那狗东西把我打伤了", "urgent"),
    ("他像打狗一样打我", "urgent"),
    ("他打了我马上就跑了", "urgent"),
    # 2. a child hit by schoolmates, told as over: elevated
    ("孩子在学校被同学打了 你们管不管", "elevated"),
    ("我儿子上周在学校叫高年级的打了，脸都肿了，学校不管", "elevated"),
    ("闺女在幼儿园让别的小朋友打了，脸上抓了几道印子，老师说小孩子打闹很正常", "elevated"),
    ("娃儿在学校遭同学打了，鼻子都出血了，老师也不管", "elevated"),
    ("我个仔喺学校畀同学打咗，块面肿晒，学校话唔关佢哋事", "elevated"),
    ("细路喺学校畀人哋个仔打咗几拳，学校话小朋友玩", "elevated"),
    ("兒子昨天在學校被同學打了一頓，眼睛都青了，老師說只是小孩打鬧", "elevated"),
    ("我孫子在學校被同學打了，耳朵到現在還嗡嗡響", "elevated"),
    ("我家孩子上礼拜跟同学打了一架，嘴都打破了，对方家长一分钱不肯出", "elevated"),
    ("你好，我想反映一下，我家孩子在镇中学读初二，上周五被班上几个男生打了，眼睛都肿了", "elevated"),
    ("孙子在学校挨了同学一顿揍，回来不敢说，我今天才发现身上有伤", "elevated"),
    ("女儿说被同桌扇了一巴掌，我想让学校给个说法", "elevated"),
    ("俺家小子在学校叫人家孩子踹了一脚，腿青了，老师光说小孩闹着玩", "elevated"),
    ("我儿子和同学打架，把人家鼻子打出血了，对方要我们赔五千", "elevated"),
    ("孩子放学路上叫几个大孩子打了一顿，书包也扔河里了", "elevated"),
    ("孩子被同学打了，学校一直不处理", "elevated"),
    ("孩子被同学打了，我想问问要不要打官司", "elevated"),
    ("孩子被同学打了，明天要去学校找老师", "elevated"),
    # ...unless it goes on, is threatened, is grave, or a parent beats the child
    ("孩子在学校被几个高年级的天天堵着打，现在都不敢去上学了", "urgent"),
    ("那几个同学说放学就要来打他，孩子吓得不敢出门", "urgent"),
    ("儿子被同学打了，那几个还说明天要弄死他", "urgent"),
    ("孩子被同学打了，那几个说谁敢告诉老师就弄死他", "urgent"),
    ("孩子刚才给我打电话，说现在正被几个同学围在厕所里打", "urgent"),
    ("我女儿又被班上那几个女生打了，这学期已经第三回了", "urgent"),
    ("孩子在学校总被同学打，我去找了好几次老师都没用", "urgent"),
    ("孩子被同学打了好几次，学校一直不管", "urgent"),
    ("儿子说班上有几个人每天放学都堵他，打他耳光", "urgent"),
    ("天天堵着他打", "urgent"),
    ("孩子被同学拿刀划伤了脸", "urgent"),
    ("孩子在学校叫高年级的拿烟头烫了手", "urgent"),
    ("孩子被同学打晕了，现在还没醒", "urgent"),
    ("孩子在学校被同学打了，我去找对方家长，对方家长把我推倒了", "urgent"),
    ("他爸一喝酒就打孩子，昨天把孩子打得鼻青脸肿", "urgent"),
    ("我老公把儿子打了一顿，孩子脸都肿了", "urgent"),
    ("孩子被老师打了", "urgent"),
    ("我被同事打了", "urgent"),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round_twelve_levels(text: str, level: str) -> None:
    result = screen(text, model=None)
    assert result.level == level, (text, result.signals)


def test_a_hurt_animal_tells_staff_no_violence() -> None:
    """The ticket shows no violence signal for a dog hit by a neighbour, and no emergency numbers."""
    result = screen("我家狗被邻居打伤了，能不能让他赔", model=None)
    assert "violence" not in result.kinds and not result.emergency_numbers


def test_a_child_hit_at_school_is_flagged_as_a_child_involved() -> None:
    """Not urgent, but staff see why it needs care: the child's part is named, no hotlines pop up."""
    result = screen("孩子在学校被同学打了，脸都肿了", model=None)
    assert result.level == "elevated" and result.kinds == ("vulnerable_party",)
    assert not result.emergency_numbers
