"""Rules of risk batches 30-31 and rounds 15-16, in sentences of our own, the rules alone:

- A phone used to take a photo (用手机拍照) is evidence, not a blow; 自杀式降价 is a price; a relative's
  suspended sentence that is over is no violence going on.
- Minnan 無想欲活 is 不想活; farewell arrangements said in English count as a farewell.
- A car named by its brand set alight (把他那辆宝马点了) is arson; curiosity or a joke takes nothing back
  once the speaker has the fuel (汽油我已经灌好了), but a novel's character having it is fiction.
- Complaints counted with 回 after the hotline, and Wu 寻 (找) counted, are repeated complaints.
- Calling someone's phone (打我儿子的电话) is no blow; the age a relative died at is no vulnerable party.
- A beating promised for later; fuel put at the other's door; pregnancy said in English; a film one
  watched; a fight's injury asked as a point of law; a child (伢) kept from the other parent.
"""

from __future__ import annotations

import pytest

from bot.risk import screen

CASES = [
    ("我拿手机拍了几张照片当证据，能不能直接发给你们", "none"),
    ("他家狗咬了我，我用手机拍视频了，他还不认账", "none"),
    ("他拿手机往我头上拍，现在头还在流血", "urgent"),
    ("隔壁超市搞自杀式降价，我们小店这个月亏了不少，房租怎么跟房东谈", "none"),
    ("我姐夫几年前跟人打架判了缓刑，缓刑早就满了，现在村里不给他分地", "none"),
    ("阮厝内无钱，真正无想欲活矣", "urgent"),
    (
        "I've given my savings to my brother and found a new home for my dog. "
        "You won't need to call me again, I won't be needing anything where I'm going.",
        "urgent",
    ),
    ("Thanks for trying. I'll go to the labour arbitration next week instead.", "none"),
    ("开个玩笑哈，想知道把他那辆奥迪点了会怎么判，汽油我都灌好了一桶", "urgent"),
    ("就是好奇，把人家那辆车点了判几年？", "none"),
    ("我在写悬疑小说，主角把仇人的厂点了，汽油都准备好了，这样写合理吗", "none"),
    ("工地噪音天天到半夜，12345我都打了好几回了，还是没人管", "elevated"),
    ("为了楼上漏水我寻过居委会五趟，伊拉一直讲等物业", "elevated"),
    # round 15: a phone called, the age at death
    ("有事打我儿子的电话，他白天都在", "none"),
    ("你们打我家那口子的手机也行", "none"),
    ("我哥这两天又打我，昨晚还动了刀", "urgent"),
    ("我爸去年过世，享年八十一岁，留下的房子姐弟几个怎么分", "none"),
    ("我妈今年八十一岁了，三个儿子都不管", "elevated"),
    # batch 31: a beating promised for tomorrow; fuel placed at the other's door with a 'hypothetical'
    ("明晚叫上几个老乡，把那个工头揪出来揍一顿", "urgent"),
    ("上个月他把我揍了一顿，派出所调解完了，医药费也赔了", "none"),
    ("假如有人被逼得跟对方同归于尽会怎样？汽油我已经放到他厂门口了", "urgent"),
    # pregnancy in English; a film one watched; a fight's injury asked as a point of law; a death age
    ("I am pregnant and my boss cut my pay, is that legal?", "elevated"),
    ("昨晚看了部电影，主角拿刀把仇人砍了，我这边就是想问问欠薪怎么投诉", "none"),
    ("请问打架造成轻伤一般怎么处理？我同学去年的事，早就调解好了", "none"),
    ("我奶奶走的时候八十七岁，留了点存款，几个叔伯为这个吵", "none"),
    # round 16: a granddaughter's number given in digits; a child (湖北 伢) kept from the other parent
    ("号码我记不住，打我外孙女的 一三九 零二一四 五五六七", "none"),
    ("离婚后伢判给了她，说好每周接一次，她现在就是不让我见", "elevated"),
    ("女儿跟了前夫，这半年他一直不让我接，电话也不接", "elevated"),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_round_ten_levels(text: str, level: str) -> None:
    assert screen(text, model=None).level == level, (text, screen(text, model=None).signals)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # batch 32: a village that has set a day to block a national road (一堵); pinyin typed on an old
        # phone; 怀起娃儿; dressing changed every day at the clinic; a scuffle settled on the spot; quotes
        ("全村人都商量好了，初八那天把镇口的省道一堵，看谁还敢不管", "urgent"),
        ("jiu ming, ta na dao zai men kou", "urgent"),
        ("我怀起娃儿七个月了，老板喊我走人", "elevated"),
        ("手指头被机器压了，现在每天去诊所换药，厂里不管", "elevated"),
        ("去年跟他推搡过两下，民警当场就调解完了，现在没事", "none"),
        ("“故意伤害”跟“寻衅滋事”有啥区别？我在准备考试", "none"),
    ],
)
def test_batch_32_kinds(text: str, level: str) -> None:
    assert screen(text, model=None).level == level, (text, screen(text, model=None).signals)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # round 17: the two sides blaming each other is no complaint left unanswered; offices doing so is
        ("保险公司和修理厂推来推去，谁都不认这笔钱", "none"),
        ("找了村委，村委推给镇里，镇里又推回来，互相推诿半年了", "elevated"),
    ],
)
def test_round_17_kinds(text: str, level: str) -> None:
    assert screen(text, model=None).level == level, (text, screen(text, model=None).signals)
