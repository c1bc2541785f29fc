"""A danger told in the first message starts the intake with everything in it (issue 14): the group,
the money and the contact details are on the urgent ticket at once."""

from pathlib import Path

from bot.intake.safety import urgent_intake
from bot.storage.store import TicketStore
from tests.intake.helpers import told_sum

TEXT = "俺叫赵铁柱，电话15603417789，俺们四十几个老乡干了大半年，老板欠俺们六十多万工钱，明天一早去县政府大门口堵着"
ENTITIES = [
    {"entity": "person_name", "value": "赵铁柱"},
    {"entity": "phone", "value": "15603417789"},
    {"entity": "headcount", "value": 40, "approximate": True},
    {"entity": "amount", "value": 600000, "approximate": True},
]
RANKING = [
    {"name": "danger", "confidence": 1.0},
    {"name": "dispute_wage_arrears", "confidence": 0.8},
    {"name": "dispute_labor", "confidence": 0.1},
]


def test_an_urgent_first_message_keeps_its_facts_on_the_ticket(tmp_path: Path) -> None:
    store = TicketStore(f"sqlite:///{tmp_path / 'intake.db'}")
    result = urgent_intake(store, "w-1", "rest", {}, TEXT, RANKING, ENTITIES)
    assert "受理编号" in result.message
    assert result.updates["category"] == "wage_arrears"
    assert result.updates["held_contact"] == {"applicant_name": "赵铁柱", "phone": "15603417789"}
    ticket = store.get_ticket(result.updates["ticket_code"])
    assert ticket["risk_level"] == "urgent" and ticket["category"] == "wage_arrears"
    assert ticket["facts"]["amount_yuan"] == 600000 and ticket["facts"]["headcount"] == 40
    # danger: the number the citizen gave is filed at once so the duty officer can call back
    assert ticket["facts"]["phone"] == "15603417789" and ticket["facts"]["applicant_name"] == "赵铁柱"
    store.dispose()


def test_domestic_violence_now_is_a_family_case_whatever_else_the_message_mentions(tmp_path: Path) -> None:
    store = TicketStore(f"sqlite:///{tmp_path / 'intake.db'}")
    text = "我老公刚才又打我了，拿皮带抽的，还说今天晚上回来弄死我，我现在带着女儿躲在邻居家不敢回去"
    ranking = [{"name": "danger", "confidence": 1.0}, {"name": "dispute_neighbor", "confidence": 0.6}]
    result = urgent_intake(store, "w-2", "rest", {}, text, ranking, [])
    assert result.updates["category"] == "family" and result.updates["sub_type"] == "domestic_violence"
    ticket = store.get_ticket(result.updates["ticket_code"])
    assert ticket["route"]["window"] == "family_mediation" and ticket["sub_type"] == "domestic_violence"
    store.dispose()


def test_a_danger_told_while_the_category_is_asked_keeps_the_story(tmp_path: Path) -> None:
    """The story is told, the category asked; the answer is despair about the money. The intake is
    not started again from that answer: the story's sum stays and the category is still asked."""
    store = TicketStore(f"sqlite:///{tmp_path / 'intake.db'}")
    story = "借给发小二十万，他拉黑我了，老婆也跟我闹离婚，我想着今晚从楼顶跳下去算了"
    ranking = [
        {"name": "danger", "confidence": 0.5},
        {"name": "dispute_debt", "confidence": 0.25},
        {"name": "dispute_family", "confidence": 0.19},
    ]
    first = urgent_intake(store, "w-3", "rest", {}, story, ranking, [{"entity": "amount", "value": 200000}])
    assert first.updates["category"] is None and told_sum(first.updates) == 200000
    slots = {**first.updates, "category_candidates": ["debt", "family"]}
    answer = "钱要不回来我活着也没意思"
    again = urgent_intake(
        store,
        "w-3",
        "rest",
        slots,
        answer,
        [{"name": "danger", "confidence": 0.6}, {"name": "dispute_wage_arrears", "confidence": 0.2}],
        [],
    )
    assert "category" not in again.updates and again.updates.get("amount_yuan", 200000) == 200000
    ticket = store.get_ticket(again.updates["ticket_code"])
    assert ticket["category"] == "debt" and ticket["facts"]["amount_yuan"] == 200000
    store.dispose()


def test_violence_told_in_a_family_story_about_divorce_is_domestic_violence(tmp_path: Path) -> None:
    store = TicketStore(f"sqlite:///{tmp_path / 'intake.db'}")
    text = "昨晚他喝了酒又揪着我头发往门上撞，孩子吓得直哭。他说我要是敢提离婚就拿刀把我们都砍了"
    ranking = [{"name": "danger", "confidence": 1.0}, {"name": "dispute_family", "confidence": 0.8}]
    result = urgent_intake(store, "w-9", "rest", {}, text, ranking, [])
    assert result.updates["category"] == "family" and result.updates["sub_type"] == "domestic_violence"
    assert store.get_ticket(result.updates["ticket_code"])["sub_type"] == "domestic_violence"
    store.dispose()
