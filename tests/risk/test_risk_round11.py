"""Round 11 of the risk screen's misreadings, in sentences of our own, one table of exact levels, the
rules alone:

- A crowd the other side says it will bring over to wreck a home or a shop (带十几个人来拆我家房子, Wu
  伊讲…拆阿拉屋, Cantonese 叫班兄弟嚟拆我间铺) is a threat: urgent. An office, a developer or a builder
  sending people to take something down (城管带人来拆摊子, 物业找人来拆违建) is not.
- 闽南: 摃 / 拍 (hit), 咧 (is …-ing), 即马 / 这马 (now), 阮尪 (my husband), 啉酒 (drinking): violence now is
  urgent; 拍电话 / 拍字 / 拍照片 are no blow. Cantonese 而家打紧我 likewise.
- English self-harm said casually, with the means at hand (the rope is ready, pills saved up), asking
  why one is still here, not going to be around much longer: urgent, and "lol" takes nothing back.
- A child kept by the other parent past the agreed time or held back (不送回来, 扣着孩子): elevated, a
  child involved; not urgent without a threat. A thing of the child's not given back is no child kept.
- Violence told as history and now over (分居了没联系, 离婚后没来往, 离了三年): not urgent; violence that
  keeps happening (昨天又打了, 分居了可昨晚又来打) still is.
- A bedridden, paralysed or dependent relative (中咗风 瘫咗, 失能, 生活不能自理) is a vulnerable party.
- A threat whose content is money or the law (威胁说要扣押金, 扬言不退钱, threatened to keep the deposit)
  is not urgent; a threat to a body is, also when money is named beside it.
- A machine or a noise that 打得我… (电钻打得我脑壳疼, 打桩打得墙裂) is no blow, unless someone holds it.
"""

from __future__ import annotations

import pytest

from bot.risk import screen

CASES = [
    # 1. a crowd to be brought over to wreck a home or a shop
    ("对方放话说今晚要带十几个人来拆我家房子", "urgent"),
    ("他讲明天要叫一帮兄弟来砸了我的店", "urgent"),
    ("伊拉讲夜里要叫一帮人来拆阿拉屋里", "urgent"),
    ("佢话听日叫班兄弟嚟拆我间舖", "urgent"),
    ("他说过两天喊上兄弟们来掀了我的摊子", "urgent"),
    ("包工头放话，说今晚就叫一帮兄弟过来把我家门窗砸了", "urgent"),
    ("隔壁那家伙说迟早叫几个混混来烧了我家车", "urgent"),
    ("伊讲夜里要叫人来敲脱阿拉屋里的门窗", "urgent"),
    ("債主講聽日帶人上門拆咗我間屋", "urgent"),
    ("开发商说要带人来拆我家房子，可补偿款一直没谈妥", "none"),
    ("城管说明天带人来拆我的摊子，我该怎么办", "none"),
    ("物业说明天找人来拆我家阳台上的违建", "none"),
    ("装修师傅说明天叫两个工人来拆我家旧门窗", "none"),
    # 2. 闽南 and Cantonese violence going on now
    ("阮尪這馬咧摃我，囡仔嘛咧哭", "urgent"),
    ("伊即馬啉酒啉甲醉茫茫，咧拍阮", "urgent"),
    ("阮翁閣啉酒，提椅仔欲摃我", "urgent"),
    ("阮兜彼个查埔人逐工啉酒拍人", "urgent"),
    ("我老公而家打緊我，我匿咗喺廁所", "urgent"),
    ("伊提柴仔咧摃阮老母", "urgent"),
    ("伊咧拍電話予我，講工錢欲閣拖", "none"),
    ("伊咧拍照片做證據，講欲告", "none"),
    ("阮翁較早會拍人，這馬離婚矣，無聯絡", "none"),
    # 3. English self-harm, said casually
    ("the rope is ready lol", "urgent"),
    ("pills saved up, tonight's the night", "urgent"),
    ("honestly why am I still here", "urgent"),
    ("I'm not gonna be around much longer lol", "urgent"),
    ("I've been saving up my pills for a while now haha", "urgent"),
    ("everyone would be better off without me lol", "urgent"),
    ("what's the point of being alive anymore", "urgent"),
    ("honestly I don't see the point in living anymore lol", "urgent"),
    ("I bought a rope and tied a noose yesterday", "urgent"),
    ("the movers said the rope is tied to the truck already, can you check the contract?", "none"),
    ("the rope is ready for the tent, can we use the park on saturday?", "none"),
    ("why am I still here waiting, it's been two hours at the window", "none"),
    ("I'm not going to be around next week, can someone else take my call?", "none"),
    ("what's the point of going to court if they never pay", "none"),
    # 4. a child kept by the other parent
    ("前夫周末把孩子接走，说好周日晚上送回来，到现在都不送回来", "elevated"),
    ("孩子她妈扣着孩子不给我见，已经两个月了", "elevated"),
    ("约好的探视时间到了，他不按时送回孩子，一拖就是好几天", "elevated"),
    ("暑假孩子去他那边，开学了还不送回来", "elevated"),
    ("她把女儿带回娘家就不让回来了，我去接也不给", "elevated"),
    ("孙子被他外婆接走了，说好国庆后送回来，到现在都没送回", "elevated"),
    ("他爷爷奶奶把孙子扣在乡下，我去接都不让接", "elevated"),
    ("法院判了探视，他就是不配合，每次都推说孩子生病", "elevated"),
    ("前夫把孩子抢走了，还说敢来要就打断我的腿", "urgent"),
    ("孩子的压岁钱他拿去了，到现在都不还给我", "none"),
    ("我儿子借了他的车，说好周末送回来，到现在都不还车", "none"),
    ("女儿的手机被他扣着不给", "none"),
    # 5. violence told as history and over; violence that keeps happening
    ("他以前喝了酒会动手，现在分居了没联系，想问存款怎么分", "none"),
    ("过去打过我，离婚后没来往了，现在想问财产怎么分", "none"),
    ("前夫以前经常家暴，现在我们分开了，他也不来找我，就是房子没过户", "none"),
    ("结婚那几年他老打我，现在已经离了三年，就是抚养费不给", "elevated"),
    ("他经常打我，昨天又打了", "urgent"),
    ("以前他就打我，现在分居了，可他昨晚又跑来把我打了一顿", "urgent"),
    ("我们分居了，他还天天来砸门", "urgent"),
    ("离婚三年了，他今天又喝了酒跑来打我", "urgent"),
    # 6. a bedridden or dependent relative
    ("阿爸中咗风，瘫咗喺床度，兄弟唔肯出钱", "elevated"),
    ("老公公失能了，需要人24小时照顾，护工费谁出", "elevated"),
    ("我爸脑溢血后半边身子不能动，姐姐不管", "elevated"),
    ("婆婆生活不能自理，几个儿子谁都不接", "elevated"),
    ("公司说失能险不赔，怎么投诉", "none"),
    # 7. a threat about money or the law
    ("房东威胁说要扣押金", "none"),
    ("老板扬言不退钱", "none"),
    ("房东威胁我不搬走就扣全部押金", "none"),
    ("老板威胁说我要是辞职就扣半个月工资", "none"),
    ("物业威胁要停我家的水电", "none"),
    ("他威胁说要把我的事发到网上", "none"),
    ("网贷的人威胁要打电话给我通讯录的人", "none"),
    ("房东恐吓说再拖房租就换锁", "none"),
    ("学校威胁不给我儿子发毕业证", "none"),
    ("my landlord threatened to keep my whole deposit", "none"),
    ("the boss threatened to dock my pay if I complain", "none"),
    ("他威胁我不还钱就卸我一条腿", "urgent"),
    ("他扬言要扣我工资，还要找人打断我的腿", "urgent"),
    ("他威胁我，说要扣押金，还说再闹就弄死我", "urgent"),
    ("my ex threatened to kill me if I take the kids", "urgent"),
    ("he threatened me again last night", "urgent"),
    # 8. a machine or a noise as what 打
    ("楼上电钻打得我脑壳疼", "none"),
    ("空调打得我睡不着，外机就在我窗口", "none"),
    ("冲击钻天天打，打得我头都要炸了", "none"),
    ("打桩打得我家墙都裂了", "none"),
    ("楼下的鼓风机一晚上打得我睡不好", "none"),
    ("隔壁工地打桩机打得整栋楼在震", "elevated"),  # a whole building affected, no blow
    ("他抓起电钻打我", "urgent"),
    ("他拿着冲击钻打得我手都破了", "urgent"),
    ("电钻声一响他就冲进来，打得我头破血流", "urgent"),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round_eleven_levels(text: str, level: str) -> None:
    result = screen(text, model=None)
    assert result.level == level, (text, result.signals)


def test_a_sentence_sent_again_tells_no_longer_story() -> None:
    """The trained opinion reads stories (30+ characters); a short sentence sent five times is still a
    short sentence: it stays with the rules alone, which find nothing in it."""
    for sep in ("，", " ", "\n"):
        assert screen(sep.join(["打电话没人接"] * 5)).level == "none"
    # a long story in which one clause comes again is still read whole
    assert (
        screen("他又喝多了在屋里砸东西，孩子吓得一直哭，我躲在厕所不敢出去，孩子吓得一直哭").level == "urgent"
    )
