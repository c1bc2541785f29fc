"""One CORS policy for what the widget calls on the intake service: the origins of WIDGET_ORIGINS are
echoed, any other origin gets no header (never "*"), errors included."""

from __future__ import annotations

import json

from aiohttp import FormData

SENDER = "w-" + "cd" * 16
OWN = "https://zzzx.example.gov.cn"


def _upload(sender: str = SENDER) -> FormData:
    form = FormData()
    form.add_field("sender", sender)
    form.add_field("file", b"not a photo", filename="a.jpg", content_type="image/jpeg")
    return form


async def test_the_widget_origins_are_echoed_and_no_other(client, monkeypatch):
    monkeypatch.setenv("WIDGET_ORIGINS", f"{OWN}, https://www.example.gov.cn")
    calls = [
        ("/api/public/evidence", lambda: {"data": _upload()}),  # refused content: an error, still readable
        ("/api/public/evidence", lambda: {"data": _upload("w-1")}),
        ("/widget/handoff", lambda: {"data": json.dumps({"sender": SENDER, "after": 0})}),
        (
            "/api/public/rating",
            lambda: {"json": {"code": "140105-20261205-9999", "phone_last4": "1234", "score": 5}},
        ),
    ]
    for path, body in calls:
        mine = await client.post(path, headers={"Origin": OWN}, **body())
        assert mine.headers.get("Access-Control-Allow-Origin") == OWN, path
        other = await client.post(path, headers={"Origin": "https://evil.example.com"}, **body())
        assert "Access-Control-Allow-Origin" not in other.headers, path
    monkeypatch.delenv("WIDGET_ORIGINS")
    alone = await client.post("/widget/handoff", headers={"Origin": OWN}, data="{}")
    assert "Access-Control-Allow-Origin" not in alone.headers  # same origin only: no header needed
