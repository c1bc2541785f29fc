"""The console shows citizens' own ratings: a rating of 1-2 puts the closed case back in the window's
queue with a 差评待回访 badge and under its filter until a 回访 is recorded; the statistics page gives
满意率 of citizens and of staff apart."""

from __future__ import annotations

from console_helpers import wage_record

from bot.storage.store import TicketStore


def closed_and_rated(store: TicketStore, sender: str, phone: str, rating: int) -> str:
    code = str(store.file_ticket(wage_record(sender, phone=phone))["code"])
    store.claim(code, "王志强")
    store.change_status(code, "resolved", "王志强")
    store.change_status(code, "closed", "王志强")
    assert store.rate_by_phone(phone, rating) is not None
    return code


async def test_a_low_rating_is_back_in_the_queue_until_the_return_visit(client, store, logged_in) -> None:
    low = closed_and_rated(store, "web-low", "13900000011", 1)
    high = closed_and_rated(store, "web-high", "13900000022", 5)
    await logged_in("wang")
    queue = await (await client.get("/console/")).text()
    assert low in queue and high not in queue and 'id="revisit-count">1<' in queue
    only = await (await client.get("/console/?status=all&revisit=1")).text()
    assert low in only and high not in only
    page = await (await client.get(f"/console/tickets/{low}")).text()
    assert "群众自评" in page and "1分" in page and "差评待回访" in page
    store.follow_up(low, 4, "主管回访，已解释", "陈主任")
    assert low not in await (await client.get("/console/?status=all&revisit=1")).text()
    assert low not in await (await client.get("/console/")).text()


async def test_the_statistics_page_separates_citizens_and_staff(client, store, logged_in) -> None:
    closed_and_rated(store, "web-a", "13900000033", 5)
    rated = closed_and_rated(store, "web-b", "13900000044", 2)
    store.follow_up(rated, 5, "回访满意", "陈主任")
    await logged_in("boss")
    page = await (await client.get("/console/stats")).text()
    assert 'id="kpi-citizen-rate">50.0%' in page and "1/2 人评4–5分" in page
    assert 'id="kpi-staff-rate">100.0%' in page and "群众自评分布" in page
