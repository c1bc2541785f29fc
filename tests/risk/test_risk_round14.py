"""Round 14 of the risk screen's misreadings, in sentences of our own (dialect, 繁體, English, mixed), one
table of exact levels, the rules alone:

1. A veiled armed threat under a condition on the other side (他再敢来…我这杆猎枪可不是挂着看的, 话我撂这儿了…
   砍刀不是吃素的): urgent. A gun on the wall as an heirloom, a policy of handing in guns, a knife "no
   ornament but for chopping wood", or 我也不是吃素的 (no weapon) are none.
2. English (or mixed) signs that someone may end their life: a farewell (said goodbye, done with
   everything, can't go on) with possessions given away (his keys, his dog, his savings) or the person
   out of reach (phone's off): urgent. A worker done with a job, keys left to lock up, a tenant moving
   out, a leaving party or a holiday are none.
3. A threat to "sort out" (收拾) a whole family (迟早把我们一家子都收拾了, 额们), or a menace with someone
   prowling at the door at night: urgent. 收拾屋子 / 收拾行李 / 收拾东西 is housework.
4. A crowd about to sit on a highway exit or a road, in Hakka or Cantonese (𠊎兜, 佢兜, 明朝, 坐喺国道度,
   宁愿畀车撞死都要堵): urgent (10+ people, or a crowd named with a set day). A jam at the exit is none.
"""

from __future__ import annotations

import pytest

from bot.risk import screen
from bot.risk.rules import default_rules

CASES = [
    # 1. a weapon the speaker keeps, "no ornament", under a condition on the other side: urgent
    ("他再敢来我家闹，我这杆猎枪可不是挂着看的", "urgent"),
    ("话我撂这儿了，他们要是再来拆我的房子，我这把砍刀可不是吃素的", "urgent"),
    ("那帮人再敢上门，我屋里那杆土枪可不是摆设", "urgent"),
    ("要是他再来偷我家的羊，我家那杆猎枪不是摆着看的", "urgent"),
    ("話我撂這兒了，他再敢動我家祖墳，我這把斧頭不是吃素的", "urgent"),
    ("我这杆猎枪可不是挂着看的，他再敢来一次你们看着办", "urgent"),
    ("他再来闹，我手里的砍刀可不长眼", "urgent"),
    ("丑话说在前头，谁再敢来推我家的墙，我家那把铡刀可不认人", "urgent"),
    ("他们要是再来强拆，俺家那杆鸟铳可不是摆设", "urgent"),
    ("那个老赖再上门闹，老子的杀猪刀不是吃素的", "urgent"),
    # ...a weapon in a harmless context, or no weapon at all: none
    ("墙上挂着的老猎枪是爷爷留下的，早就不能用了，他们说要收走", "none"),
    ("村里在搞收缴猎枪的政策，我家那杆老枪要不要交？", "none"),
    ("他再来闹我就报警，我也不是吃素的", "none"),
    ("这把砍刀不是摆设，是我上山砍柴用的", "none"),
    ("他再敢来，我就去法院告他，话我撂这儿了", "none"),
    ("我家那杆猎枪早就上交派出所了，他再来闹我就报警", "none"),
    ("话我撂这儿了，他再不还钱我就去法院起诉", "none"),
    ("我这把菜刀不是摆设，是天天切菜用的，他再来借我也不借", "none"),
    # 2. English (or mixed) farewell with possessions given away or the person out of reach: urgent
    (
        "My brother said he's done with everything, gave me his keys and his dog, and now his phone is off",
        "urgent",
    ),
    ("my dad said goodbye to everyone last night and gave away his savings, we can't reach him", "urgent"),
    ("My son texted me goodbye, said he's done with everything, and his phone's off now", "urgent"),
    ("She gave me her cat and her bank card and said goodbye, now she is not answering her phone", "urgent"),
    ("my friend told me he can't go on, he gave me all his savings yesterday", "urgent"),
    ("我朋友昨晚说 he's done with everything，把存折给了我，现在手机关机了", "urgent"),
    (
        "My uncle said he's sorry for everything, gave his cat to the neighbour and now no one can reach him",
        "urgent",
    ),
    (
        "Her last message said goodbye forever, she left me her savings and her phone is switched off",
        "urgent",
    ),
    ("我表哥 wrote a goodbye note, 手机关机了", "urgent"),
    # ...a job, a move, a trip, a party, a phone off for the night: none
    ("My worker said he's done with this job and gave me the keys to lock up the shop", "none"),
    ("the tenant gave me his keys and said goodbye, he moved out and wants his deposit back", "none"),
    ("my colleague said goodbye at his farewell party and gave me his desk plant", "none"),
    ("my phone is off at night so I missed the landlord's call", "none"),
    ("he said he's done with everything about this case and will let the lawyer handle it", "none"),
    ("He said goodbye and went on holiday, his phone is off because of roaming", "none"),
    ("My son said he's done with everything for today and his phone is off, he's sleeping", "none"),
    ("the old owner said goodbye and gave me his keys when we bought the house, but the roof leaks", "none"),
    ("he left without saying goodbye and his phone is off, he owes me 3000 yuan", "none"),
    ("I want to say goodbye to this apartment, the agent is not replying", "none"),
    # 3. a whole family to be "sorted out", a menace with prowling at the door: urgent
    ("他放话说迟早把我们一家子都收拾了，昨晚还在我家门口转了两圈", "urgent"),
    ("那家人说要把额们一家子都收拾咧，黑了还在额家门口转了两圈", "urgent"),
    ("那个人说迟早收拾额们，昨天半夜在门口转了两圈", "urgent"),
    ("那伙人放话迟早把你们全家都修理了", "urgent"),
    ("他撂下一句：收拾你们一家子是迟早的事", "urgent"),
    ("他说跟我们没完，昨天半夜还在我家窗户外头转悠", "urgent"),
    ("你们全家都给我等着！昨晚那人又在我家楼下晃来晃去", "urgent"),
    # ...housework, the speaker at their own door, accounts settled: none
    ("周末要收拾屋子，把我们一家子的东西都收拾好了准备搬家", "none"),
    ("他说要收拾行李搬走，昨晚在门口转了两圈找钥匙", "none"),
    ("房东让我们一家子把东西收拾了赶紧搬", "none"),
    ("晚上有个人在我家门口转了两圈，不知道是不是找错门了", "none"),
    ("我妈让我把我们一家子的衣服都收拾好", "none"),
    ("你们等着吧，明天物业来修，昨晚我在门口转了两圈也没找到猫", "none"),
    ("收拾屋子收拾到半夜，还在门口转了两圈找猫", "none"),
    ("我跟他们算账算了一下午，账对不上", "none"),
    # 4. a crowd to sit on a highway exit or a road (Hakka, Cantonese): urgent
    ("𠊎兜村几十个老人家明朝去坐在高速出口，宁愿畀车撞死都要堵", "urgent"),
    ("佢兜讲好了，明朝三十几个人去坐在国道中间，征地款不给就不起来", "urgent"),
    ("佢兜几十个人明朝要躺在收费站度，唔畀钱唔起身", "urgent"),
    ("我哋村几十个阿婆听日一齐去坐喺高速出口", "urgent"),
    ("村民们讲好了明朝去坐在国道中间", "urgent"),
    ("大家伙宁可被车轧死也要去拦高速", "urgent"),
    # ...a jam at the exit, waiting for a bus there, a meal: none, or a group (elevated) at most
    ("高速出口堵车堵了两个钟头，几十辆车排队", "none"),
    ("明朝去高速出口接人，路口好堵", "none"),
    ("昨天高速出口堵了几十辆车，我迟到了被扣钱", "none"),
    ("明朝去坐在高速出口那家店吃饭", "none"),
    ("几十个人在高速出口排队等车", "elevated"),
    ("我们几十个老乡明天都坐在高速出口等大巴回老家", "elevated"),
    ("几十个老人家明天一起去县城看病", "elevated"),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round_fourteen_levels(text: str, level: str) -> None:
    result = screen(text, model=None)
    assert result.level == level, (text, result.signals)


@pytest.mark.parametrize(("text", "level"), [c for c in CASES if c[1] != "urgent"])
def test_round_fourteen_near_misses_page_nobody_with_the_trained_opinion(text: str, level: str) -> None:
    """As the product runs (the trained opinion beside the rules): no near miss pages the duty officer."""
    assert screen(text).level != "urgent", text


def test_a_veiled_armed_threat_is_a_threat_for_the_police() -> None:
    result = screen("他再敢来我家闹，我这杆猎枪可不是挂着看的", model=None)
    assert result.kinds[0] == "threat"
    assert result.emergency_numbers[0].number == "110"


def test_an_english_farewell_of_a_third_person_leads_with_the_crisis_line() -> None:
    result = screen(
        "My brother said he's done with everything, gave me his keys and his dog, and now his phone is off",
        model=None,
    )
    assert result.kinds[0] == "self_harm"
    assert "12356" in {n.number for n in result.emergency_numbers}


def test_a_crowd_on_the_highway_exit_is_a_gathering() -> None:
    result = screen("𠊎兜村几十个老人家明朝去坐在高速出口，宁愿畀车撞死都要堵", model=None)
    assert result.kinds[0] == "mass_gathering"
    assert result.headcount is not None and result.headcount >= 10


def test_a_farewell_told_of_a_trip_taken_back() -> None:
    """The same words said of a holiday or a move stay none; said of nothing ordinary they page."""
    assert (
        screen("she said goodbye and her phone is off, she flew abroad on holiday", model=None).level
        == "none"
    )
    assert screen("she said goodbye and her phone is off since last night", model=None).level == "urgent"


def test_northwestern_we_reads_as_we() -> None:
    normalize = default_rules().normalizer
    assert normalize("额们一家子") == "我们一家子"
    assert normalize("额家门口") == "我家门口"
    # the Ming dynasty stays a dynasty: 明朝 is read as tomorrow only as a set day (not before 的, 代, 年间)
    assert screen("明朝的老房子几十个人去参观，把路口堵了", model=None).level != "urgent"
