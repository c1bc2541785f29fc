"""The console's 督办 filter with its count, the 督办 records on the ticket page, and "此前反映N次" with
links scoped to what the viewer may open."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from console_helpers import wage_record

from bot.storage.store import IntakeRecord

NOW = datetime.now(timezone.utc)


def family(sender: str) -> IntakeRecord:
    return IntakeRecord(
        sender,
        "web",
        "family",
        "none",
        {"applicant_name": "张三", "phone": "13912345678"},
        "离婚后孩子抚养费没给",
    )


def _count(html: str) -> int:
    found = re.search(r'id="supervised-count">(\d+)<', html)
    assert found, "no 督办 count on the queue page"
    return int(found.group(1))


def _codes(html: str) -> set[str]:
    return set(re.findall(r'class="code">(\d{6}-\d{8}-\d{4})<', html))


async def test_queue_filter_shows_the_supervised_tickets_and_their_count(store, logged_in):
    late = store.file_ticket(wage_record("w-1"), now=NOW - timedelta(hours=30))["code"]  # sign overdue
    near = store.file_ticket(wage_record("w-2", phone="13800002222"), now=NOW - timedelta(hours=21))["code"]
    fresh = store.file_ticket(wage_record("w-3", phone="13800003333"), now=NOW - timedelta(hours=1))["code"]
    other = store.file_ticket(family("f-1"), now=NOW - timedelta(hours=30))["code"]  # another window
    store.supervise(NOW)

    client = await logged_in("boss")
    page = await (await client.get("/console/")).text()
    assert _count(page) == 3
    assert {late, near, fresh, other} <= _codes(page)
    filtered = await (await client.get("/console/?supervised=1")).text()
    assert _codes(filtered) == {late, near, other}
    assert "督办" in filtered and _count(filtered) == 3

    client = await logged_in("wang")  # labor_inspection only: the family ticket is not counted
    page = await (await client.get("/console/?supervised=1")).text()
    assert _count(page) == 2
    assert _codes(page) == {late, near}


async def test_ticket_page_lists_the_supervision_records(store, logged_in):
    code = store.file_ticket(wage_record("w-1"), now=NOW - timedelta(hours=30))["code"]
    store.supervise(NOW - timedelta(hours=9))  # near (80 % of the day)
    store.supervise(NOW)  # overdue
    client = await logged_in("wang")
    page = await (await client.get(f"/console/tickets/{code}")).text()
    assert "督办 <small>2 次</small>" in page
    assert "时限将至" in page and "已超时" in page
    assert "督办：签收已超过期限" in page  # the history entry


async def test_repeats_link_to_earlier_tickets_the_viewer_may_open(store, logged_in):
    wage = store.file_ticket(wage_record("w-1"), now=NOW - timedelta(days=20))["code"]  # labor_inspection
    fam = store.file_ticket(family("f-1"), now=NOW - timedelta(days=10))["code"]  # family_mediation
    latest = store.file_ticket(wage_record("w-2", amount_yuan=5000), now=NOW)["code"]
    assert store.get_ticket(latest)["repeat_count"] == 2

    client = await logged_in("wang")
    page = await (await client.get(f"/console/tickets/{latest}")).text()
    assert "此前反映2次" in page
    assert f'href="/console/tickets/{wage}"' in page  # his window's ticket: a link
    assert f'href="/console/tickets/{fam}"' not in page  # another window's: the code only
    assert f'title="不在您的权限范围内">{fam}<' in page
    denied = await client.get(f"/console/tickets/{fam}")
    assert denied.status == 403

    client = await logged_in("boss")
    page = await (await client.get(f"/console/tickets/{latest}")).text()
    assert f'href="/console/tickets/{fam}"' in page
