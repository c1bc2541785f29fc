"""spaCy/lexicon rules: counterparty, the citizen's own name, evidence."""

from __future__ import annotations

import pytest
from facts_helpers import facts_of, values_of

from bot.facts import facts_dict


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("包工头老王欠了我们的工钱", "包工头老王", "person"),
        ("阳光物业公司乱收物业费", "阳光物业公司", "company"),
        ("我在富康建筑工程有限公司上班，公司不给交社保", "富康建筑工程有限公司", "company"),
        ("欠我们工资的是宏达劳务有限公司", "宏达劳务有限公司", "company"),
        ("前夫不给孩子抚养费", "前夫", "relative"),
        ("隔壁邻居天天晚上装修", "隔壁邻居", "neighbor"),
        ("老板跑了", "老板", "person"),
        ("房东不退押金", "房东", "person"),
        ("开发商延期交房", "开发商", "company"),
        ("对方司机闯红灯", "对方司机", "person"),
        ("村委会把承包地收回去了", "村委会", "organisation"),
        ("用人单位不给赔偿", "用人单位", "company"),
        ("对门老李家在楼道里堆东西", "对门老李", "neighbor"),
        ("我老公打我", "老公", "relative"),
        ("我哥把房产证拿走了", "我哥", "relative"),
        ("养老钱被儿子拿去做生意了", "儿子", "relative"),
        ("包工頭捲錢跑了", "包工头", "person"),
        ("借给我弟的两万块钱一直没还", "我弟", "relative"),
        ("前年借钱给小舅子，他不认账", "小舅子", "relative"),
        ("去年借给我表弟三万", "表弟", "relative"),
    ],
)
def test_counterparty(text: str, value: str, kind: str) -> None:
    facts = facts_of(text, "counterparty")
    assert facts, text
    assert facts[0].value == value
    assert facts[0].extra["kind"] == kind
    assert text[facts[0].start : facts[0].end] == facts[0].text


@pytest.mark.parametrize(
    "text",
    [
        "我和我老婆都在这个厂里上班",
        "请打我老婆电话",
        "我爸去世了",
        "邻居家的狗咬了我儿子，打狂犬疫苗花了一千二",
        "交了物业费",
    ],
)
def test_family_mentions_that_are_not_counterparties(text: str) -> None:
    relatives = [f.value for f in facts_of(text, "counterparty") if f.extra["kind"] == "relative"]
    assert relatives == []
    if "物业费" in text:
        assert values_of(text, "counterparty") == []


@pytest.mark.parametrize(
    ("text", "name", "surname_only"),
    [
        ("我叫张三，工资没给", "张三", False),
        ("我是李秀英", "李秀英", False),
        ("本人王小明，电话13912345678", "王小明", False),
        ("我叫张建国，电话13934561234", "张建国", False),
        ("俺叫赵铁柱，俺娘今年八十了", "赵铁柱", False),
        ("我的名字叫欧阳娜娜", "欧阳娜娜", False),
        ("本人张伟，男，1985年出生", "张伟", False),
        ("電話號碼13512345678，我叫陳美玲", "陈美玲", False),
        ("我姓王，是这个小区的业主", "王", True),
        ("电话一八六三五一六七八九零，姓刘", "刘", True),
    ],
)
def test_own_name(text: str, name: str, surname_only: bool) -> None:
    (fact,) = facts_of(text, "person_name")
    assert fact.value == name
    assert fact.extra["surname_only"] is surname_only


@pytest.mark.parametrize(
    "text",
    [
        "他叫孙志强，是我们包工头",
        "我是张小红的家属",
        "我就知道他姓张",
        "法人姓刘",
        "我是在建筑工地打零工的",
        "我是包工头",
        "她叫李娟",
        "我是退伍军人",
    ],
)
def test_not_own_name(text: str) -> None:
    assert values_of(text, "person_name") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("有劳动合同，有工资流水，也有打卡记录", ["劳动合同", "银行流水", "考勤"]),
        ("证据有微信聊天记录和转账截图", ["微信记录", "转账记录"]),
        ("我手里有欠条、录音，还有他写的保证书", ["欠条", "录音", "保证书"]),
        ("有事故认定书和病历", ["事故认定书", "病历"]),
        ("有土地承包合同", ["土地承包合同"]),
        ("判决书上写的每月一千五", ["判决书"]),
        ("有照片、视频、收据和房产证", ["照片", "视频", "收据", "房产证"]),
        ("他写了借条", ["借条"]),
        ("有工资条和考勤记录", ["工资条", "考勤"]),
        ("医院开了诊断证明", ["诊断证明"]),
        ("有聊天记录和银行流水", ["聊天记录", "银行流水"]),
        ("欠條在我手裡", ["欠条"]),
        ("就是口头说的，啥也没写", []),
    ],
)
def test_evidence(text: str, expected: list[str]) -> None:
    assert values_of(text, "evidence") == expected


def test_bare_company_after_its_full_name_is_not_repeated() -> None:
    assert values_of("我在华鑫建材有限公司干活，公司不给工资", "counterparty") == ["华鑫建材有限公司"]


def test_negated_evidence_is_flagged() -> None:
    (fact,) = facts_of("没签劳动合同", "evidence")
    assert fact.value == "劳动合同"
    assert fact.extra["negated"] is True


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("我是他爱人，叫龚秀英", "龚秀英"),
        ("我是他家属，名字叫王芳，他在工地摔伤了", "王芳"),
        ("我姓马，叫马建军", "马建军"),
        ("俺姓蔺，叫蔺宝柱，工钱没给", "蔺宝柱"),
        ("俺叫蔺宝柱", "蔺宝柱"),
        ("我是覃满秀", "覃满秀"),
        ("本人晏俊杰", "晏俊杰"),
        ("我叫逯志刚，电话13912345678", "逯志刚"),
    ],
)
def test_own_name_wordings(text: str, name: str) -> None:
    assert values_of(text, "person_name") == [name]
    assert facts_dict(text)["person_name"] == name


@pytest.mark.parametrize(
    ("text", "nick"),
    [("叫我老王就行", "老王"), ("你们叫我小李吧", "小李"), ("喊我老周就行，电话13912345678", "老周")],
)
def test_nickname_the_citizen_asks_for(text: str, nick: str) -> None:
    (fact,) = facts_of(text, "person_name")
    assert fact.value == nick
    assert fact.extra == {"surname_only": True, "nickname": True}


def test_full_name_wins_over_nickname() -> None:
    assert facts_dict("叫我老王就行，我叫王建国")["person_name"] == "王建国"


@pytest.mark.parametrize(
    "text",
    [
        "我是他爱人",
        "我是他爱人，他在工地摔伤了",
        "他是我爱人，叫龚秀英",
        "我老公，叫张三",
        "我是他家属",
        "叫老王来一趟",
    ],
)
def test_relations_are_not_names(text: str) -> None:
    assert values_of(text, "person_name") == []


def test_own_nickname_is_not_a_counterparty() -> None:
    assert values_of("叫我老王就行，包工头老李欠我三万", "counterparty") == ["包工头老李"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Tony，中文名叫陈志远", "陈志远"),
        ("英文名Amy，中文名何晓燕", "何晓燕"),
        ("大名是刘满仓，小名叫狗蛋", "刘满仓"),
        ("我的真名叫罗春燕", "罗春燕"),
    ],
)
def test_a_name_introduced_by_a_name_word(text: str, name: str) -> None:
    assert values_of(text, "person_name") == [name]
    assert facts_dict(text)["person_name"] == name


@pytest.mark.parametrize("text", ["我老板大名叫孙强", "他中文名叫吴迪", "有个名叫郑涛的人来过"])
def test_a_name_word_about_someone_else_is_not_the_own_name(text: str) -> None:
    assert values_of(text, "person_name") == []
