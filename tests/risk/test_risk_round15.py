"""Round 15 of the risk screen's misreadings, in sentences of our own, the rules alone unless said:

1. A weekday or a date is no headcount (上周五人事找我谈话 is not five people); 人事/人员/人家/人情 after a bare
   numeral or a date's 号 are no persons, a counter makes them people (五个人事专员 is 5).
2. 上吊 read across a thing hung up (墙上吊顶, 挂上吊瓶, 天花板上吊着灯) is none; 想上吊 / 上吊算了 stay urgent.
3. A crowd planned without a number (a group word, a set day or banners, a government gate or a gate or
   road to block) is a mass gathering, urgent; one person going to ask at the county government is none.
4. Hiding at home from 他/她 who beats the speaker or kicks the door now is domestic violence (a family
   case); a neighbour, a debt collector or a stranger named stays violence.
5. An old writer (a grandchild types for them, widowed, 这把老骨头, a bad back and a fall) is a vulnerable
   party, elevated; 我老板的老伴走了 is none.
6. A group implied without a number (组里的老少爷们, 乡亲们, 我们村民小组) counts 10; a family does not.

Also the rules files: the lexicon is every ``risk_lexicon*.yml`` merged key by key, each file well under
500 lines, a macro may be a list of alternatives, a kind's everyday compounds live in ``kind_exclude``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.intake import subtypes
from bot.risk import screen
from bot.risk.messages import emergency_message
from bot.risk.rules import LEXICON_FILE, RULES_FILE, RiskRules, default_rules, lexicon_files, load_raw

# --- 1. weekdays and dates are no headcount ---------------------------------------------------------

NOT_COUNTED = [
    "上周五人事突然找我谈话，说下个月不续签了",
    "星期五人事部门通知我不用来上班了",
    "礼拜五人事打电话叫我去签字",
    "初五人事就把我的工牌收了",
    "5号人事跟我说工资要扣一半",
    "周5人员调整，我被调去了仓库",
    "这周五人家就要把房子收回去",
]


@pytest.mark.parametrize("text", NOT_COUNTED)
def test_a_weekday_or_a_date_is_no_headcount(text: str) -> None:
    result = screen(text, model=None)
    assert result.headcount is None, text
    assert "group" not in result.kinds, text


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("五个人事专员一起被开除了", 5),
        ("我们五人一起被辞退，一分钱补偿都没有", 5),
        ("十几号人都没拿到工钱", 12),
        ("周五那天二十多个工人去公司要工资", 20),
    ],
)
def test_a_counter_still_counts_people(text: str, count: int) -> None:
    result = screen(text, model=None)
    assert result.headcount == count, text
    assert "group" in result.kinds


# --- 2. 上吊 across a thing hung up ------------------------------------------------------------------

THINGS_HUNG = [
    "楼上漏水，我家墙上吊顶都泡烂了",
    "楼上吊顶掉下来砸坏了我的电视",
    "医生给我挂上吊瓶了，单位还催我回去上班",
    "天花板上吊着一盏灯，房东说坏了不管修",
    "装修队把厨房墙上吊柜装歪了",
    "做人别在一棵树上吊死，这份工作不干也罢",
]


@pytest.mark.parametrize("text", THINGS_HUNG)
def test_a_thing_hung_up_is_no_self_harm(text: str) -> None:
    result = screen(text, model=None)
    assert "self_harm" not in result.kinds, text
    assert result.level != "urgent", text


@pytest.mark.parametrize(
    "text",
    ["我真想上吊", "活着没意思，上吊算了", "我已经拿绳子准备上吊了", "找棵歪脖子树上吊", "我想在梁上上吊"],
)
def test_hanging_oneself_stays_urgent(text: str) -> None:
    result = screen(text, model=None)
    assert result.level == "urgent", text
    assert result.kinds[0] == "self_harm"


# --- 3. a crowd planned without a number -------------------------------------------------------------

CROWD_PLANNED = [
    "群里都说好了，明儿早上八点全部去县政府大门口，横幅都印好了，俺是拦不住了",
    "大伙儿商量好了后天一起去市政府门口拉横幅",
    "工友们都说了明天去堵开发商售楼部大门",
    "村里人说好了，礼拜一都去镇政府门口讨个说法",
    "乡亲们合计好了，下周一早上一块儿去县委大门口",
    "横幅都做好了，大家伙准备去市政府门口",
]


@pytest.mark.parametrize("text", CROWD_PLANNED)
def test_a_crowd_planned_without_a_number_is_a_gathering(text: str) -> None:
    result = screen(text, model=None)
    assert result.level == "urgent", text
    assert result.kinds[0] == "mass_gathering", (text, result.kinds)


def test_a_planned_crowd_gets_the_gathering_message_not_the_generic_one() -> None:
    lead = default_rules().messages["lead"]["mass_gathering"]["urgent"]
    result = screen(CROWD_PLANNED[0])
    assert result.level == "urgent"
    assert emergency_message(result).startswith(lead)


@pytest.mark.parametrize(
    "text",
    [
        "我明天去县政府问问这个补偿款的事",
        "我明天去县政府门口等我老公下班",
        "大家都说明天去县政府门口办事要排队",
        "村里人都说县政府门口新开了一家超市",
        "大伙明天早上都堵在路口了，堵车堵得厉害",
        "明天一起去政府门口领补贴",
    ],
)
def test_one_person_or_an_errand_at_the_government_is_no_gathering(text: str) -> None:
    result = screen(text, model=None)
    assert "mass_gathering" not in result.kinds, text
    assert result.level != "urgent", text


# --- 4. hiding at home from him or her -------------------------------------------------------------

HIDING = [
    "他又打我了 我躲在厕所里 他在外面踹门 快来人",
    "他喝了酒又打我，我带着孩子躲在卧室里把门反锁了",
    "我躲在卫生间里，他在外面砸门说要打死我",
    "她拿着刀在客厅转，我把自己锁在房间里",
]


@pytest.mark.parametrize("text", HIDING)
def test_hiding_at_home_from_him_is_domestic_violence(text: str) -> None:
    result = screen(text, model=None)
    assert result.level == "urgent", text
    assert result.kinds[0] == "domestic_violence", (text, result.kinds)
    assert "12338" in [n.number for n in result.emergency_numbers]


def test_hiding_at_home_makes_the_case_a_family_case() -> None:
    assert subtypes.from_risk(screen(HIDING[0]).kinds) == ("family", "domestic_violence")


@pytest.mark.parametrize(
    "text",
    [
        "隔壁那个醉汉又来了，他在门外踹门，我躲在卧室里",
        "收账的又来了，他在外面砸门，我躲在厕所里不敢出声",
        "收账的又来了，我躲在厕所里，他在外面砸门",
        "隔壁老王又打我了，我躲在厕所里",
        "他又打我了，我躲在学校厕所里",
    ],
)
def test_a_neighbour_or_a_collector_hidden_from_stays_violence(text: str) -> None:
    result = screen(text, model=None)
    assert result.level == "urgent", text
    assert "domestic_violence" not in result.kinds, text
    assert "violence" in result.kinds


def test_hiding_without_violence_or_long_ago_is_none() -> None:
    assert screen("我躲在厕所里打游戏，他在外面喊我吃饭", model=None).level == "none"
    assert screen("以前他打我，我就躲在厕所里，现在离婚了", model=None).level == "none"
    # a neighbour's violence heard through the wall stays domestic violence
    heard = screen("隔壁那家男的又在打老婆了 一直听到女的喊救命", model=None)
    assert heard.kinds[0] == "domestic_violence"


# --- 5. an old writer --------------------------------------------------------------------------------

OLD_WRITER = [
    "我是桂英，我孙子帮我打的字，我老头子前年冬天走的，我这腰又不好，前些天还摔了一跤",
    "这些字是我孙女帮我打的，地的事想问问",
    "俺老伴走了三年了，儿子也不管，邻居占了俺的宅基地",
    "我这把老骨头经不起他们这么折腾",
    "俺这腿脚本来就不好，上个月又摔了一跤，开发商还不给修楼梯",
    "我奶奶在超市门口摔了一跤，超市说不归他们管",
]


@pytest.mark.parametrize("text", OLD_WRITER)
def test_an_old_writer_is_a_vulnerable_party(text: str) -> None:
    result = screen(text, model=None)
    assert "vulnerable_party" in result.kinds, text
    assert result.level == "elevated", text


@pytest.mark.parametrize(
    "text",
    [
        "我老板的老伴走了，公司这个月停工",
        "我奶奶摔了一跤，我请假回老家照顾她，公司扣我全勤",
        "我儿子帮我打的字，就是问问离婚财产怎么分",
        "我爷爷去年走了，叔叔要分老房子",
    ],
)
def test_an_old_person_named_in_passing_is_no_party(text: str) -> None:
    assert "vulnerable_party" not in screen(text, model=None).kinds, text


# --- 6. a group implied without a number -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "俺们组的地被占了，组里的老少爷们天天找俺要说法",
        "乡亲们的征地款都被他卷跑了",
        "我们村民小组的地被开发商占了",
        "我们组里的乡亲都没拿到补偿",
    ],
)
def test_a_group_implied_counts_ten(text: str) -> None:
    result = screen(text, model=None)
    assert result.headcount == 10, text
    assert "group" in result.kinds


@pytest.mark.parametrize(
    "text",
    ["我们家的地被占了", "俺们两口子的钱被骗了", "我们组长不讲理，天天骂人", "咱们组的周报谁写"],
)
def test_a_family_or_a_team_word_is_no_group(text: str) -> None:
    result = screen(text, model=None)
    assert result.headcount is None, text
    assert "group" not in result.kinds, text


def test_a_group_implied_with_a_day_set_to_go_is_a_gathering() -> None:
    result = screen("乡亲们商量好了明天一起去县里要说法", model=None)
    assert result.level == "urgent"
    assert "mass_gathering" in result.kinds


# --- the rules files ---------------------------------------------------------------------------------


def test_the_lexicon_is_every_risk_lexicon_file() -> None:
    files = lexicon_files()
    assert files[0] == LEXICON_FILE
    assert set(files) == set(LEXICON_FILE.parent.glob("risk_lexicon*.yml"))
    assert len(files) >= 3
    raw = load_raw()
    # macros from the English file and the scenes file are there
    assert {"HEADCOUNT_EN", "BYE_EN", "CROWD_PLANNED", "HIDING_FROM"} <= set(raw["macros"])
    # a single file passed names its siblings too
    assert RiskRules.load(RULES_FILE, LEXICON_FILE).kinds


@pytest.mark.parametrize("path", sorted(RULES_FILE.parent.glob("*.yml")), ids=lambda p: p.name)
def test_each_data_file_stays_well_under_500_lines(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) < 480, path.name
    # a line growing past this is split into a list of alternatives, one per line
    assert max(len(line) for line in lines) < 1600, path.name


def test_every_kind_exclude_names_a_kind() -> None:
    raw = load_raw()
    assert set(raw["kind_exclude"]) <= set(raw["kinds"])
    # a kind's own exclusions are applied: 吊顶 read as 上吊 is none only with them
    rules = default_rules()
    self_harm = next(k for k in rules.kinds if k.name == "self_harm")
    assert len(self_harm.exclude) == len(raw["kind_exclude"]["self_harm"])


def test_lexicon_files_merge_key_by_key(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yml"
    rules.write_text("kinds: {x: {level: urgent, patterns: ['{{A}}{{B}}']}}\n", encoding="utf-8")
    main = tmp_path / "lex.yml"
    main.write_text("macros: {A: '刀'}\nexclude: ['菜刀']\n", encoding="utf-8")
    (tmp_path / "lex_more.yml").write_text(
        "macros:\n  B:\n    - '砍'\n    - '捅'\nexclude: ['刀捅']\nkind_exclude: {x: ['木刀'], y: ['z']}\n",
        encoding="utf-8",
    )
    loaded = RiskRules.load(rules, main)
    assert screen("拿刀捅人", rules=loaded).level == "none"  # 刀捅: the second file's exclude
    assert screen("他拿刀砍人", rules=loaded).level == "urgent"  # B is 砍|捅
    assert screen("菜刀砍", rules=loaded).level == "none"
    assert screen("木刀砍", rules=loaded).level == "none"  # the kind's exclusion from the lexicon
    only_main = RiskRules.load(rules, [main, tmp_path / "lex_more.yml"])
    assert screen("他拿刀砍人", rules=only_main).level == "urgent"


def test_a_macro_in_two_lexicon_files_is_an_error(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yml"
    rules.write_text("kinds: {}\n", encoding="utf-8")
    main = tmp_path / "lex.yml"
    main.write_text("macros: {A: '刀'}\n", encoding="utf-8")
    (tmp_path / "lex_en.yml").write_text("macros: {A: 'knife'}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"macros\.A .*lex\.yml and lex_en\.yml"):
        RiskRules.load(rules, main)


def test_a_list_macro_reads_as_its_alternatives() -> None:
    raw = yaml.safe_load((RULES_FILE.parent / "risk_lexicon_scenes.yml").read_text(encoding="utf-8"))
    assert isinstance(raw["macros"]["CROWD_PLANNED"], list)
    assert screen("大伙儿商量好了后天一起去市政府门口", model=None).kinds[0] == "mass_gathering"
