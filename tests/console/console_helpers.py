"""Helpers shared by the console tests (a module of its own: ``conftest`` names clash between folders)."""

from __future__ import annotations

import re

from aiohttp.client import ClientResponse
from aiohttp.test_utils import TestClient

from bot.storage.store import IntakeRecord

PASSWORD = "correct-horse-9"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def wage_record(sender: str = "web-1", **facts: object) -> IntakeRecord:
    return IntakeRecord(
        sender,
        "web",
        "wage_arrears",
        "none",
        {
            "applicant_name": "张三",
            "phone": "13912345678",
            "counterparty": "包工头老刘",
            "amount_yuan": 18000,
            "location": "刘家堡乡工地",
            **facts,
        },
        "张三在刘家堡乡工地干活，包工头老刘欠工资18000元。",
    )


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF field in the page"
    return match.group(1)


async def login(client: TestClient, username: str, password: str = PASSWORD) -> ClientResponse:
    client.session.cookie_jar.clear()
    page = await client.get("/console/login")
    token = csrf_of(await page.text())
    return await client.post(
        "/console/login",
        data={"username": username, "password": password, "csrf": token, "next": "/console/"},
        allow_redirects=False,
    )
