"""Rules of rounds 8-10: what blind rounds 8-10 and risk batches 22-25 showed the screen missing or
over-reading, each kind in sentences of our own (one table, exact levels, the rules alone).

- A child involved in a family case (unpaid child support, access refused, a young age given) is a
  vulnerable party: elevated. Every blind writer so far labelled these so (seven of nine custody cases).
- An age typed with spaces before 了, or after 今年 with nothing after it ("今年六十五 买了…").
- 闽南话 刣 (kill) and 这马 (now); revenge aimed at the other side's child; the hotline count after it.
- Cutting pay (砍我半个月工资) is no blade; a shop's customer service passing the buck and knocking on
  a neighbour's door are no complaints to an office.
- Batch 23: Cantonese threats, pets given away as a farewell, a deaf party, interns as a group,
  passing the buck and figurative robbery; a school fight told as over.
- Batches 24-25: fuel poured or made ready, a kick landing on the body, Cantonese self-harm; a
  hypothetical or a question about the law, a boss's catchphrase and a settled past are no event.
"""

from __future__ import annotations

import pytest

from bot.risk import screen

CASES = [
    # round 8 (batch 22): a child in a family case, ages, 闽南, revenge, the hotline count, no danger
    ("离婚的时候孩子判给我，他说好每月给一千二抚养费，快一年一分没给了", "elevated"),
    ("前妻把孩子带回娘家，半年不让我见孩子", "elevated"),
    ("邻居家的狗把我七岁的外孙女手上咬破了", "elevated"),
    ("我 是 看大门的  今年 六十八 了  厂里 两个月 没发钱", "elevated"),
    ("我今年七十一 儿女都不来看我", "elevated"),
    ("伊講我擱去討錢就欲共我刣死，這馬閣佇阮兜門口", "urgent"),
    ("他再不还钱，我就去他儿子学校门口等着，让他也尝尝家里出事的滋味", "urgent"),
    ("物业的事12345打了七次了，每回都说转给社区，到现在没人来看", "elevated"),
    ("想咨询一下抚养费一般怎么算", "none"),
    ("我儿子三十五岁了，自己在外地打工", "none"),
    ("工程款今年60，明年40，合同写得清清楚楚", "none"),
    ("主管说再请假就砍我一个月奖金，这样可以吗", "none"),
    ("在网上买的鞋子开胶了，商家和平台客服一直推来推去", "none"),
    ("对门装修天天电钻响，我过去敲了好几回门，他们说快完了", "none"),
    # batch 23
    ("讨数的人讲今晚唔还钱就淋汽油烧我间铺", "urgent"),
    ("工资卡的钱我都转给我妈了，狗也托给隔壁阿姨养了，以后用不着你们了", "urgent"),
    ("我要是没了，这笔工钱我儿子能接着要吗？我不打算再撑下去了", "urgent"),
    ("我是聋人，公司说我听不见开会，要把我调去扫地", "elevated"),
    ("我们六个实习生在酒店干了两个月，补贴一分没给", "elevated"),
    ("物业和社区踢皮球踢得我头都大了，到底谁管", "elevated"),
    ("他这个要价简直是抢劫，一个门要八千", "none"),
    ("对方说要告到法院让我赔得倾家荡产，这算不算威胁？", "none"),
    ("这个店我不打算再开下去了，房租太贵", "none"),
    # round 9: a school fight told as over (伤好了) with a schoolchild: elevated, not urgent
    ("女儿读三年级，上学期被同学打了，额头缝了三针，现在伤好了，对方家长不肯出医药费", "elevated"),
    # batches 24 and 25
    ("征地的人再敢来，我就往院子里泼上汽油，谁来烧谁", "urgent"),
    ("我怀孕五个月，他刚刚一拳打在我肚子上，现在疼得站不起来", "urgent"),
    ("我真系顶唔顺喇，绳子已经揸喺手度，唔想再拖累屋企人", "urgent"),
    ("如果我跟那个老板同归于尽，我的债是不是就清了？", "urgent"),
    ("假如被人打成轻伤，对方要赔多少钱？我就是了解一下", "none"),
    ("帮朋友问问，家暴的话可以申请保护令吗", "none"),
    ("什么样才算家庭暴力？我写论文用", "none"),
    ("我们主任口头禅就是再出错就弄死你，其实人不坏，我想问加班费", "none"),
    ("前年他动过手，现在早就没联系了，我想问房子能不能重新分", "none"),
    ("拆迁的人说明天来推房子，柴油我已经备好了，谁敢动我就点了它", "urgent"),
    ("柴油备好了，明天一早拖拉机下地", "none"),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_level(text: str, level: str) -> None:
    assert screen(text, model=None).level == level, (text, screen(text, model=None).signals)


def test_a_short_question_about_what_the_center_handles_is_no_story_for_the_model() -> None:
    """Consultation round 6: the trained opinion called a question about road-building levies urgent."""
    assert screen("老师傅问一哈，你们这里管不管村头修路分摊钱这种事情嘛，我就先问问").level == "none"
