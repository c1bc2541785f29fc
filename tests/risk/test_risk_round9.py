"""Rules of round 11 (blind round 11, risk batches 24-26): each kind in sentences of our own, one table
of exact levels, the rules alone; and the in-theory question kept from the trained opinion.

- Violence again, and the speaker dares not go home: domestic violence, though no partner is named
  (the ticket is then a family case); not when the one who struck is a neighbour or a workmate.
- A classmate's push ending in a fall, and a push in a quarrel ending in a fall, are over: the
  injury counts (elevated when treated), the push is no violence going on.
- A question the speaker says is asked in theory (好奇, 我是说假如, 写小说, 看了个新闻) tells no event.
- A cast or daily physiotherapy is an injury still treated; a complaint counted in English or after 我.
- Batch 27: a blade made ready, lying in wait at someone's door, 闽南 欲共…刣死, 人要是走了 with a second
  farewell, dementia; a scuffle 劝开/劝和 is over; a clip one scrolled onto (刷到) is someone else's story.
"""

from __future__ import annotations

import pytest

from bot.risk import screen

CASES = [
    ("他喝完酒又动手了，我抱着孩子跑到楼上王姐家，到现在都不敢回去", "urgent"),
    ("上周跟同事吵了两句他又动手了，我现在不敢回去上班", "urgent"),  # violence, not the family's
    ("课间跟同学闹着玩，被推倒磕在桌角上，眉骨缝了四针，这几天还在换药", "elevated"),
    ("女儿被同班同学从滑梯上推下来，手腕骨折，还在打石膏", "elevated"),
    ("前天为了地界跟他推搡起来，我妈摔了一跤，髋骨骨折，现在在县医院住着，想让他出医药费", "elevated"),
    ("我就是好奇问问，别人先动手我还手把他打伤了，算正当防卫吗？", "none"),
    ("我在写一篇小说，情节里有人拿刀砍了村干部，想问问现实里会判几年", "none"),
    ("纯属看了个新闻想问问，老公打老婆警察管不管？", "none"),
    # an injury still treated (a cast, daily physiotherapy); complaints counted however they are said
    ("被三轮车刮倒，脚踝骨裂，现在还打着石膏，对方不接电话", "elevated"),
    ("摔伤以后现在天天去卫生院做理疗，老板一分钱不出", "elevated"),
    ("去年打过石膏，早就好了，就想把误工费要回来", "none"),
    ("物业那边我都complain四次了，电梯还是坏的", "elevated"),
    ("市长热线我打了五次了，路灯还是不亮", "elevated"),
    # batch 27: a blade made ready, the speaker's own stabbing asked about, lying in wait, 闽南 threats,
    # "if a person were gone" with a farewell, dementia; a scuffle talked over, a clip scrolled onto
    ("斧头我已经磨好了，他再来占我家地基就别怪我", "urgent"),
    ("我要是把那个老板砍了，会判几年？反正我也不想活了", "urgent"),
    ("这几天我都在他家楼下堵他，看他能躲到几时", "urgent"),
    ("伊講欲共阮囡仔刣死", "urgent"),
    ("人要是走了，房子的贷款还用还吗？我都安排好了，就这几天的事", "urgent"),
    ("我妈有老年痴呆，被保健品店骗着买了两万多的东西", "elevated"),
    ("前几天跟表哥吵了一架，推搡了两下，后来被亲戚劝开了，现在想把账算清楚", "none"),
    ("刚刷到一个外地老板被工人打的视频，我们这边欠薪怎么投诉？", "none"),
    ("镰刀磨好了，明天割麦", "none"),
    ("老人要是走了，宅基地怎么分？", "none"),
    # round 12: kicked out of a chat group, a body shop's 喷漆, 完全康复 are no danger
    ("在业主群里问了一句就被踢了，开发商还是不交房", "none"),
    ("车门被蹭了，4S店说钣金加喷漆要三千", "none"),
    ("去年被电动车撞了住院半个月，现在已经完全康复了，误工费还没给", "none"),
    # batch 28: a farewell tied to tonight, a grip on the throat, a Cantonese banner at the city gate,
    # English on a rooftop; DV evidence as a topic, a childhood beating, a fight one only saw
    ("地的事我不争了，过了今晚我也用不着了", "urgent"),
    ("他刚才掐住我脖子，说下回没这么便宜", "urgent"),
    ("我哋廿几个工友听日去区政府门口拉横额", "urgent"),
    ("I am standing on the roof now, nobody cares", "urgent"),
    ("家暴的证据要准备哪些？我给社区做宣传册", "none"),
    ("小时候我妈打过我，现在她病了要我出医药费，我必须出吗", "none"),
    ("昨天在超市门口看见两个人打架，你们管不管", "none"),
    # round 13: caring for an old parent is no vulnerable party in one's own labour case; a disability
    # employment grant is a sum, not a disabled person
    ("公司要把我调到外地，可我家里有老人要照顾去不了", "none"),
    ("伤残鉴定十级，公司该出的一次性伤残就业补助金一直拖着", "none"),
    # not in theory: a worry told as a question is still read
    ("他天天拿刀在我家门口转，我是不是该报警？", "urgent"),
    # round 14 and batch 29: running a car over someone asked as a point of law; acid on the face,
    # joked about once the acid is bought; lorries parked across a road; a courier "running" for months
    # is work, not complaints; fiction and a drama then a question about real life tell no event
    ("他老在路口拦我，我要是开车从他身上轧过去，法院会怎么判？", "urgent"),
    ("硫酸已经买好了，他再不还钱我就泼他一脸，哈哈", "urgent"),
    ("他再不还钱我就剁了他，哈哈开玩笑的", "none"),
    ("后天一早我们二十几个车主把三轮车开到乡里那条路，全部横着停", "urgent"),
    ("在快递站点跑了半年，站长欠我两个月提成", "none"),
    ("为这点钱我跑了半年，一直没人管", "elevated"),
    ("我在写一本悬疑小说，主角想在村口放火，想了解一下现实中派出所会怎么处理", "none"),
    ("前两天追的电视剧里婆婆天天打儿媳，现实里遇到家暴一般怎么处理？", "none"),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_level(text: str, level: str) -> None:
    assert screen(text, model=None).level == level, (text, screen(text, model=None).signals)


def test_the_domestic_violence_told_without_a_partner_makes_a_family_case() -> None:
    from bot.intake import subtypes

    for text in ("他刚才又动手了，我跑到邻居家躲着，不敢回去", "我老公喝了酒又在砸门，我躲在邻居家"):
        found = screen(text, model=None)
        assert subtypes.from_risk(found.kinds) == ("family", "domestic_violence"), text


def test_a_short_question_about_the_service_is_not_judged_by_the_trained_opinion() -> None:
    """The trained opinion reads stories; a short question, its last sentence asking on (还是…), is a
    consultation. A question followed by a statement is a story and is still read."""
    from bot.risk.engine import _judged_by_model
    from bot.risk.rules import default_rules

    weighing = default_rules().model
    assert weighing is not None
    assert not _judged_by_model("我那件事登记了，后面会打电话通知我不？还是得我隔几天自己打过去问", weighing)
    assert _judged_by_model("我就问一句，把欠钱的人锁在我家仓库里犯法吗？人我已经关进去了。", weighing)


def test_a_question_asked_in_theory_is_not_judged_by_the_trained_opinion() -> None:
    text = "故意伤害和寻衅滋事到底有什么区别？隔壁村那个案子已经判了，我就是好奇问问，没别的意思"
    assert screen(text).level == "none"
