"""Two instances behind HAProxy serve the same conversations correctly, and nothing is lost when an
instance, Redis or PostgreSQL goes away (issue 21). Runs against the module's cluster (conftest.py);
the tests run in file order, the instance is killed last but one."""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import create_engine, text

from tests.cluster.helpers import STAFF_TOKEN, Running, post, widget_chat
from tests.integration.rest_client import widget_sender
from tools.simulation import WAGE_ANSWERS, run_intake

OPENINGS = [
    "包工头老王跑路了，欠我们工资不给",
    "楼上邻居装修把我家墙弄裂了",
    "朋友借了我五万块钱一直不还",
    "物业乱收停车费，还把我车锁了",
]


def get(running: Running, path: str, token: str | None = STAFF_TOKEN) -> tuple[int, bytes, dict]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = urllib.request.Request(running.url + path, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def ticket(running: Running, code: str) -> dict:
    status, body, _ = get(running, f"/api/tickets/{code}")
    assert status == 200, (code, status, body[:200])
    return json.loads(body)


def tickets_of(running: Running, senders: list[str]) -> dict[str, int]:
    """How many tickets each conversation has in the database."""
    engine = create_engine(running.direct_db, future=True)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT sender_id, count(*) FROM tickets WHERE sender_id = ANY(:s) GROUP BY sender_id"),
                {"s": senders},
            ).all()
    finally:
        engine.dispose()
    return {sender: count for sender, count in rows}


def user_texts(events: list[dict]) -> list[str]:
    return [e.get("text") or "" for e in events if e.get("event") == "user"]


def is_subsequence(wanted: list[str], within: list[str]) -> bool:
    it = iter(within)
    return all(any(w == x for x in it) for w in wanted)


def test_the_balancer_serves_only_the_public_paths(running: Running) -> None:
    assert get(running, "/health", None)[0] == 200
    assert get(running, "/api/openapi.json", None)[0] == 200
    status, page, _ = get(running, "/console/", None)  # redirected to the login page
    assert status == 200 and "登录" in page.decode("utf-8")
    assert get(running, "/widget/widget.js", None)[0] == 200
    assert get(running, "/status/", None)[0] == 200
    token = running.cluster.instances[0].settings.rasa_token
    # Rasa's own HTTP API is never routed, even with its token
    for path in ("/model/parse", "/conversations/x/tracker", "/version", "/domain"):
        assert get(running, f"{path}?token={token}", None)[0] == 404, path
    status, body, _ = post(f"{running.url}/model/parse?token={token}", {"text": "你好"})
    assert status in (404, 405) and not (isinstance(body, dict) and "intent" in body)


def test_one_conversation_alternates_instances_and_files_one_ticket(running: Running) -> None:
    served: list[str] = []
    code, transcript = run_intake(widget_chat(running, served), OPENINGS[0], WAGE_ANSWERS)
    assert {"rasa1", "rasa2"} <= set(served), served  # round robin: every other turn on the other instance
    assert sum(a != b for a, b in zip(served, served[1:], strict=False)) >= len(served) // 2
    filed = ticket(running, code)
    assert filed["category"] == "wage_arrears" and filed["facts"]["amount_yuan"] == 35000
    assert code in transcript[-1]


def test_the_same_sender_on_two_instances_at_once_never_interleaves(running: Running) -> None:
    sender = widget_sender()
    first = post(f"{running.rasa(0)}/webhooks/rest/webhook", {"sender": sender, "message": "你好"})
    assert first[0] == 200
    texts = [f"我想问一下第{n}件事" for n in range(8)]
    barrier = threading.Barrier(2)

    def send(index: int, batch: list[str]) -> list[int]:
        statuses = []
        barrier.wait()
        for message in batch:
            statuses.append(
                post(f"{running.rasa(index)}/webhooks/rest/webhook", {"sender": sender, "message": message})[
                    0
                ]
            )
        return statuses

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(send, [0, 1], [texts[0::2], texts[1::2]]))
    assert all(s == 200 for batch in results for s in batch), results
    events = running.tracker(sender, index=1)
    assert sorted(user_texts(events)) == sorted(["你好", *texts])  # none lost, none twice
    # one turn at a time: every message is answered (the bot listens again) before the next is read
    kinds = [
        e["event"] if e["event"] == "user" else e.get("name")
        for e in events
        if e["event"] in ("user", "action")
    ]
    after_first = kinds[kinds.index("user") :]
    turns = "".join("U" if k == "user" else ("L" if k == "action_listen" else "") for k in after_first)
    assert "UU" not in turns, turns


def test_status_attempts_are_limited_across_instances(running: Running) -> None:
    """Ten wrong guesses a minute per client address, counted in Redis: the balancer's round robin
    gives a guesser nothing, and the instances see the client's address, not the balancer's."""
    statuses, served = [], set()
    for n in range(12):  # a new code each time: the per-code lock (5 failures) is another guard
        conn = http.client.HTTPConnection(
            running.cluster.settings.host,
            running.cluster.settings.port,
            timeout=10,
            source_address=("127.0.0.3", 0),
        )
        body = json.dumps({"code": f"140105-20260101-{9900 + n}", "phone_last4": "0000"})
        # a forged X-Forwarded-For is replaced by the balancer
        conn.request(
            "POST",
            "/api/public/status",
            body,
            {"Content-Type": "application/json", "X-Forwarded-For": "10.9.8.7"},
        )
        response = conn.getresponse()
        statuses.append(response.status)
        served.add(response.getheader("X-Served-By"))
        response.read()
        conn.close()
    assert served == {"intake1", "intake2"}
    assert statuses[:10] == [404] * 10 and statuses[10:] == [429, 429], statuses
    # another client (127.0.0.1) is not affected
    assert (
        post(f"{running.url}/api/public/status", {"code": "140105-20260101-9980", "phone_last4": "0000"})[0]
        == 404
    )


def test_redis_restarted_mid_load_recovers_without_an_operator(running: Running) -> None:
    chat = widget_chat(running, tries=30)
    outage: list[tuple[int, object]] = []

    def intake(n: int) -> str:
        return run_intake(chat, OPENINGS[n % len(OPENINGS)], WAGE_ANSWERS)[0]

    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(intake, n) for n in range(4)]
        time.sleep(3)
        running.redis.kill()
        for _ in range(3):  # meanwhile: a clear answer to retry, never a silent empty one
            status, body, _ = post(
                f"{running.url}/webhooks/rest/webhook", {"sender": widget_sender(), "message": "你好"}
            )
            outage.append((status, body))
            time.sleep(0.5)
        running.redis.start()  # empty: locks and counters are gone, nothing needs them back
        codes = [f.result(timeout=300) for f in futures]
    assert len(set(codes)) == 4
    for status, body in outage:
        assert status == 503 and isinstance(body, dict) and "稍后" in body["message"], (status, body)
    for code in codes:
        assert ticket(running, code)["code"] == code
    status, body, _ = post(
        f"{running.url}/webhooks/rest/webhook", {"sender": widget_sender(), "message": "你好"}
    )
    assert status == 200 and body


def test_postgres_briefly_unreachable_loses_no_ticket(running: Running) -> None:
    """The ticket database goes away as a citizen confirms: the assistant says to confirm again later,
    the status API says to retry; once it is back, the same confirmation files the ticket, once."""
    sender = widget_sender()
    chat = widget_chat(running)
    replies = chat(sender, OPENINGS[0])
    for _ in range(25):
        question = replies[-1].splitlines()[0] if replies else ""
        if "核对" in question:
            break
        replies = chat(sender, next((a for k, a in WAGE_ANSWERS.items() if k in question), "不清楚"))
    assert "核对" in replies[-1].splitlines()[0], replies
    running.pg.cut()
    try:
        replies = chat(sender, "确认")
        assert any("请过一两分钟再回复“确认”" in r for r in replies), replies
        status, body, headers = post(
            f"{running.url}/api/public/status", {"code": "140105-20260101-0001", "phone_last4": "1234"}
        )
        assert status == 503 and "稍后" in body["message"] and headers.get("Retry-After"), (status, body)
    finally:
        running.pg.restore()
    time.sleep(1)
    replies = chat(sender, "确认")
    joined = "\n".join(replies)
    assert "受理编号" in joined, replies
    assert tickets_of(running, [sender]) == {sender: 1}


def test_killing_an_instance_during_20_intakes_loses_nothing(running: Running) -> None:
    chat = widget_chat(running, tries=20)
    senders = [widget_sender() for _ in range(20)]

    def intake(n: int) -> str:
        return run_intake(chat, OPENINGS[n % len(OPENINGS)], WAGE_ANSWERS, sender=senders[n])[0]

    with ThreadPoolExecutor(20) as pool:
        futures = [pool.submit(intake, n) for n in range(20)]
        # killed in the middle: once the citizens have had about 3 of their ~10 turns answered
        deadline = time.monotonic() + 120
        while sum(len(running.said.get(s, [])) for s in senders) < 60 and time.monotonic() < deadline:
            time.sleep(0.05)
        running.cluster.kill_instance(1)
        # the kill lands in the middle: most intakes are still going (on a loaded machine a fast one
        # may already have finished; every one is checked below)
        assert sum(not f.done() for f in futures) >= 10
        codes = [f.result(timeout=600) for f in futures]
    assert get(running, "/health", None)[0] == 200  # the other instance carries on
    assert len(set(codes)) == 20
    assert tickets_of(running, senders) == {s: 1 for s in senders}  # 0 lost, 0 duplicate
    for sender in senders:  # every turn the citizen was answered is in the conversation
        stored = user_texts(running.tracker(sender, index=0))
        assert is_subsequence(running.said[sender], stored), (running.said[sender], stored)


def test_every_outbox_event_is_delivered_exactly_once(running: Running) -> None:
    """The center's receiver fails every third request; the surviving instance (and, before, both)
    deliver every event of every ticket above, each accepted once."""
    engine = create_engine(running.direct_db, future=True)
    deadline = time.monotonic() + 180
    try:
        while True:
            with engine.connect() as conn:
                rows = conn.execute(
                    text("SELECT idempotency_key, state FROM outbox WHERE target = 'center'")
                ).all()
            if rows and all(state == "delivered" for _, state in rows) or time.monotonic() > deadline:
                break
            time.sleep(2)
    finally:
        engine.dispose()
    assert rows and all(state == "delivered" for _, state in rows), [r for r in rows if r[1] != "delivered"][
        :5
    ]
    keys = {key for key, _ in rows}
    with running.receiver.lock:
        accepted = dict(running.receiver.accepted)
    assert set(accepted) == keys
    assert all(n == 1 for n in accepted.values()), {k: n for k, n in accepted.items() if n != 1}
    assert running.receiver.requests > len(keys)  # it did fail some
