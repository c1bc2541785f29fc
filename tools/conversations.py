"""Blind conversation sets through the real REST channel, scored against the filed tickets.

    python -m tools.conversations tests/conversations/blind_round1.yml \
        tests/conversations/consultation_round1.yml --start-stack --out reports/conversations.md
    python -m tools.conversations tests/conversations/blind_round2.yml --start-stack --channel both

A conversation set (a YAML list of personas) drives each simulated citizen (``tools.persona``) with a
fresh sender id until the closing message's case code (or 30 turns), then reads the ticket back by
sender id from the intake service and scores category, sub_type, amount, headcount, phone, name, risk
level and window. A consultation set (``consultations`` / ``disguised_disputes``) sends each question
as a new conversation: a consultation should be answered (not out of scope, no intake started), a
disguised dispute should start an intake of the right category.

``--channel wechat`` talks through the WeChat official-account channel instead (``tools.wechat_client``:
signed, with ``--start-stack`` in safe mode, buttons as numbered options answered by their digit, slow
answers as customer-service messages to a fake WeChat API); ``--channel both`` runs REST, then WeChat,
and adds their figures side by side.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import yaml

from bot.taxonomy import categories
from tools.persona import INTAKE_KINDS, Citizen, Reply, case_code, classify, question_of
from tools.scoring import (
    FIELDS,
    Check,
    answers_topic,
    asked_to_describe_again,
    out_of_scope,
    repeated_reply,
    score_ticket,
    summary_keeps,
)
from tools.stack import started_stack

CENTER_PROFILE = Path(__file__).resolve().parents[1] / "centers" / "default.yml"

MAX_TURNS = 30

Send = Callable[[str, str], list[Reply]]
Fetch = Callable[[str], "dict | None"]


def widget_sender() -> str:
    return f"w-{uuid.uuid4().hex}"


@dataclass(frozen=True)
class Channel:
    """How the simulated citizens reach the assistant: send a message, read a ticket back, and a
    fresh conversation (the sender the channel is told, the key ``fetch`` reads the ticket by)."""

    name: str
    send: Send
    fetch: Fetch
    new_sender: Callable[[], str] = widget_sender
    delivery: Callable[[], str] | None = None  # a line on how the answers came back


# --- transport ----------------------------------------------------------------------------------------
def _request(url: str, payload: dict | None = None, headers: dict | None = None, timeout: float = 90) -> Any:
    data = json.dumps(payload).encode() if payload is not None else None
    request = urllib.request.Request(
        url, data=data, headers={"Content-Type": "application/json", **(headers or {})}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read() or b"null")


def rest_sender(rasa_url: str) -> Send:
    """Send one message through the REST channel; the bot's replies."""
    url = rasa_url.rstrip("/")
    if not url.endswith("/webhooks/rest/webhook"):
        url += "/webhooks/rest/webhook"

    def send(sender: str, text: str) -> list[Reply]:
        return [Reply.of(r) for r in _request(url, {"sender": sender, "message": text}) or []]

    return send


def ticket_fetcher(intake_url: str, token: str) -> Fetch:
    """The newest ticket of a sender id, or None; read again by its code, since the list masks phones."""
    base, headers = intake_url.rstrip("/"), {"Authorization": f"Bearer {token}"}

    def fetch(sender: str) -> dict | None:
        query = urllib.parse.urlencode({"sender_id": sender})
        found = _request(f"{base}/api/tickets?{query}", headers=headers, timeout=30)
        tickets = (found or {}).get("tickets") or []
        if not tickets:
            return None
        code = urllib.parse.quote(str(tickets[0]["code"]))
        return _request(f"{base}/api/tickets/{code}", headers=headers, timeout=30) or tickets[0]

    return fetch


# --- one conversation ---------------------------------------------------------------------------------
@dataclass
class Conversation:
    id: str
    sender: str
    transcript: list[tuple[str, str]] = field(default_factory=list)  # (speaker, text)
    turns: int = 0  # citizen messages
    code: str | None = None
    first_replies: list[Reply] = field(default_factory=list)
    bot_turns: list[str] = field(default_factory=list)  # each turn's replies, joined
    error: str | None = None

    @property
    def bot_texts(self) -> list[str]:
        return [t for who, t in self.transcript if who == "bot"]


def run_conversation(
    persona: Mapping[str, Any],
    send: Send,
    max_turns: int = MAX_TURNS,
    new_sender: Callable[[], str] = widget_sender,
) -> Conversation:
    citizen = Citizen(persona)
    talk = Conversation(id=str(persona.get("id")), sender=new_sender())
    message, kind = citizen.first(), cast("str | None", "first")
    acks = 0
    try:
        while True:
            talk.transcript.append(("citizen", message))
            talk.turns = citizen.turn
            replies = send(talk.sender, message)
            if talk.turns == 1:
                talk.first_replies = replies
            talk.transcript += [("bot", r.text) for r in replies]
            talk.bot_turns.append("\n".join(r.text for r in replies))
            code = case_code(replies)
            talk.code = code or talk.code
            # an urgent case gets its code at once and the intake goes on: answer until nothing is asked
            asks = any(classify(r.text, r.buttons) for r in replies if not case_code([r]))
            if (code and not asks) or citizen.turn >= max_turns:
                break
            message, kind = citizen.next_message(replies)
            acks = acks + 1 if kind is None else 0
            if acks >= 3:  # the assistant asks nothing any more
                break
    except (urllib.error.URLError, OSError, ValueError) as error:
        talk.error = f"{type(error).__name__}: {error}"
    return talk


# --- scoring ------------------------------------------------------------------------------------------
@dataclass
class Result:
    persona: Mapping[str, Any]
    talk: Conversation
    ticket: dict | None
    checks: list[Check]
    first_lost: bool
    repeated: bool

    @property
    def fully_right(self) -> bool:
        return self.ticket is not None and all(c.ok for c in self.checks)


def evaluate_persona(
    persona: Mapping[str, Any], send: Send, fetch: Fetch, new_sender: Callable[[], str] = widget_sender
) -> Result:
    talk = run_conversation(persona, send, new_sender=new_sender)
    ticket = None
    with contextlib.suppress(urllib.error.URLError, OSError, ValueError):
        ticket = fetch(talk.sender)
    checks = score_ticket(persona, ticket) if ticket else []
    first = str(persona.get("first_message") or "")
    lost = asked_to_describe_again(talk.first_replies) or (
        ticket is not None and not summary_keeps(first, str(ticket.get("summary") or ""))
    )
    repeated = repeated_reply(talk.bot_texts) or repeated_reply(talk.bot_turns)
    return Result(persona, talk, ticket, checks, lost, repeated)


def _pct(n: int, total: int) -> str:
    return f"{n}/{total} ({100 * n / total:.0f}%)" if total else "0/0"


def conversation_report(name: str, results: Sequence[Result]) -> tuple[list[str], list[str]]:
    """(figure lines, markdown lines) of one conversation set."""
    total = len(results)
    filed = [r for r in results if r.ticket]
    coded = [r.talk.turns for r in results if r.talk.code]
    figures = [
        f"conversations: {total}",
        f"tickets fully right: {_pct(sum(r.fully_right for r in results), total)}",
        "tickets fully right except sub_type: "
        + _pct(
            sum(bool(r.ticket) and all(c.ok for c in r.checks if c.field != "sub_type") for r in results),
            total,
        ),
    ]
    for name_ in FIELDS:
        right = sum(any(c.field == name_ and c.ok for c in r.checks) for r in results)
        figures.append(f"  {name_}: {_pct(right, total)}")
    figures += [
        f"median turns to the case code: {statistics.median(coded) if coded else '-'} "
        f"({len(coded)} reached a case code)",
        f"first messages lost: {sum(r.first_lost for r in results)}",
        f"replies repeated (3 in a row): {sum(r.repeated for r in results)}",
        f"conversations without a ticket: {total - len(filed)}",
    ]
    errors = [r for r in results if r.talk.error]
    if errors:
        figures.append(f"transport errors: {len(errors)}")
    md = [f"## {name}", "", "```", *figures, "```", "", "### Failures", "",
          "| id | field | expected | got |", "|---|---|---|---|"]  # fmt: skip
    for r in results:
        pid = r.persona.get("id")
        if not r.ticket:
            last = r.talk.bot_texts[-1] if r.talk.bot_texts else ""
            md.append(f"| {pid} | ticket | filed | none after {r.talk.turns} turns{_cell(' — ' + last)} |")
        for c in r.checks:
            if not c.ok:
                md.append(f"| {pid} | {c.field} | {_cell(c.expected)} | {_cell(c.got)} |")
        if r.first_lost:
            md.append(f"| {pid} | first_message | kept | lost |")
        if r.repeated:
            md.append(f"| {pid} | replies | varied | same reply 3× in a row |")
        if r.talk.error:
            md.append(f"| {pid} | transport | - | {_cell(r.talk.error)} |")
    md += ["", "<details><summary>Transcripts</summary>", ""]
    for r in results:
        md.append(f"#### {r.persona.get('id')} ({r.talk.turns} turns, {r.talk.code or 'no code'})")
        md += (
            ["", "```"]
            + [f"{'群众' if w == 'citizen' else '助手'}：{t}" for w, t in r.talk.transcript]
            + ["```", ""]
        )
    md += ["</details>", ""]
    return figures, md


def _cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")[:160]


# --- consultations ------------------------------------------------------------------------------------
@dataclass
class ConsultResult:
    id: str
    text: str
    dispute: bool
    ok: bool
    note: str
    replies: list[str]


def _starts_intake(replies: Sequence[Reply]) -> bool:
    kind, _ = question_of(replies)
    return kind in INTAKE_KINDS or any("属于「" in r.text for r in replies)


@lru_cache(maxsize=1)
def _center_texts() -> tuple[dict[str, str], dict[str, str]]:
    """The default center's consultation texts and the category names, as the stack started here uses."""
    profile = yaml.safe_load(CENTER_PROFILE.read_text(encoding="utf-8"))
    names = {code: c.name for code, c in categories().items()}
    return {k: str(v) for k, v in (profile.get("texts") or {}).items()}, names


def evaluate_consultation(
    item: Mapping[str, Any], send: Send, new_sender: Callable[[], str] = widget_sender
) -> ConsultResult:
    """A question about the center: answered, without an intake, by the answer for its topic (an
    out-of-scope reply is right only for an off-topic question)."""
    replies = send(new_sender(), str(item["text"]))
    texts = [r.text for r in replies]
    topic = str(item.get("topic") or "")
    out = out_of_scope(texts)
    intake = _starts_intake(replies)
    consult_texts, names = _center_texts()
    on_topic = answers_topic(texts, topic, item.get("category"), consult_texts, names)
    ok = bool(texts) and not intake and on_topic and (not out or topic == "off_topic")
    if intake:
        note = "intake started"
    elif out and topic != "off_topic":
        note = "out of scope"
    elif not texts:
        note = "no reply"
    elif not on_topic:
        note = f"answered, not about {topic}"
    else:
        note = "answered"
    return ConsultResult(str(item.get("id")), str(item["text"]), False, ok, note, texts)


def evaluate_disguised(
    item: Mapping[str, Any], send: Send, fetch: Fetch, new_sender: Callable[[], str] = widget_sender
) -> ConsultResult:
    """A dispute phrased as a question: an intake should start, of the expected category. The citizen
    goes on to the case code with neutral answers (clicking the expected category if asked)."""
    expected = dict(item.get("expected") or {})
    persona = {
        "id": item.get("id"),
        "first_message": item["text"],
        "answers": {"consent": "不同意", "confirm": "确认", "unknown": "不清楚"},
        "expected": expected,
    }
    talk = run_conversation(persona, send, new_sender=new_sender)
    texts = [r.text for r in talk.first_replies]
    if out_of_scope(texts):
        return ConsultResult(str(item.get("id")), str(item["text"]), True, False, "out of scope", texts)
    if not _starts_intake(talk.first_replies):
        return ConsultResult(str(item.get("id")), str(item["text"]), True, False, "no intake started", texts)
    asked = any(classify(t) == "category" for t in talk.bot_texts)
    ticket = None
    with contextlib.suppress(urllib.error.URLError, OSError, ValueError):
        ticket = fetch(talk.sender)
    got = (ticket or {}).get("category")
    ok = got == expected.get("category")
    note = f"category {got or '(no ticket)'}" + (" (asked the citizen)" if asked else "")
    if ticket and "sub_type" in ticket:
        note += f", sub_type {ticket.get('sub_type')}"
    return ConsultResult(str(item.get("id")), str(item["text"]), True, ok, note, texts)


def consultation_report(name: str, results: Sequence[ConsultResult]) -> tuple[list[str], list[str]]:
    plain = [r for r in results if not r.dispute]
    disputes = [r for r in results if r.dispute]
    figures = [
        f"consultations answered as a consultation: {_pct(sum(r.ok for r in plain), len(plain))}",
        f"  out of scope: {sum(r.note == 'out of scope' for r in plain)}, "
        f"intake started: {sum(r.note == 'intake started' for r in plain)}, "
        f"answered another topic: {sum(r.note.startswith('answered, not about') for r in plain)}",
        f"disguised disputes starting an intake of the right category: "
        f"{_pct(sum(r.ok for r in disputes), len(disputes))}",
    ]
    md = [f"## {name}", "", "```", *figures, "```", "", "### Failures", "",
          "| id | question | result | first reply |", "|---|---|---|---|"]  # fmt: skip
    for r in results:
        if not r.ok:
            md.append(f"| {r.id} | {_cell(r.text)} | {_cell(r.note)} | {_cell(' / '.join(r.replies))} |")
    md += [
        "",
        "<details><summary>Every first reply</summary>",
        "",
        "| id | result | first reply |",
        "|---|---|---|",
    ]
    md += [f"| {r.id} | {_cell(r.note)} | {_cell(' / '.join(r.replies))} |" for r in results]
    md += ["", "</details>", ""]
    return figures, md


# --- the command --------------------------------------------------------------------------------------
def run_files(files: Sequence[Path], channel: Channel, workers: int = 4) -> tuple[list[str], list[str]]:
    """(figure lines, markdown lines) of every file through one channel."""
    send, fetch, new = channel.send, channel.fetch, channel.new_sender
    figures: list[str] = []
    md: list[str] = [f"# Blind conversations ({channel.name})", ""]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for path in files:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
            if isinstance(data, dict) and ("consultations" in data or "disguised_disputes" in data):
                jobs = [
                    pool.submit(evaluate_consultation, q, send, new) for q in data.get("consultations") or []
                ]
                jobs += [
                    pool.submit(evaluate_disguised, q, send, fetch, new)
                    for q in data.get("disguised_disputes") or []
                ]
                lines, section = consultation_report(Path(path).name, [j.result() for j in jobs])
            else:
                personas = data if isinstance(data, list) else data.get("conversations", [])
                results = list(pool.map(lambda p: evaluate_persona(p, send, fetch, new), personas))
                lines, section = conversation_report(Path(path).name, results)
            figures += [f"[{Path(path).name}]", *lines]
            md += section
    return figures, md


def side_by_side(figures: Mapping[str, Sequence[str]]) -> list[str]:
    """The figure lines of several channels as one markdown table (same files, so the same lines)."""
    names = list(figures)
    md = ["# Channels side by side", "", "| figure | " + " | ".join(names) + " |",
          "|---|" + "---|" * len(names)]  # fmt: skip
    for row in zip(*(figures[n] for n in names), strict=False):
        label = row[0].split(": ", 1)[0] if ": " in row[0] else row[0]
        values = [line.split(": ", 1)[1] if ": " in line else "" for line in row]
        md.append(f"| {_cell(label.strip())} | " + " | ".join(_cell(v) for v in values) + " |")
    return [*md, ""]


def channels(names: Sequence[str], url: str, fetch: Fetch, wechat: Any = None) -> list[Channel]:
    """The channels to run: REST, and WeChat with the account and fake API of ``wechat`` (started
    stack) or from the environment (``tools.wechat_client.client_for``)."""
    from tools.wechat_client import client_for

    found = [Channel("rest", rest_sender(url), fetch)] if "rest" in names else []
    if "wechat" in names:
        client = client_for(url, wechat)
        found.append(
            Channel("wechat", client.send, client.fetcher(fetch), client.new_openid, client.delivery)
        )
    return found


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--url", default=os.environ.get("RASA_URL", "http://127.0.0.1:5005"))
    parser.add_argument("--intake-url", default=os.environ.get("INTAKE_URL", "http://127.0.0.1:5080"))
    parser.add_argument("--token", default=os.environ.get("INTAKE_STAFF_TOKEN", ""))
    parser.add_argument(
        "--start-stack", action="store_true", help="start the stack on spare ports, stop it after"
    )
    parser.add_argument("--channel", choices=("rest", "wechat", "both"), default="rest")
    parser.add_argument("--wechat-plain", action="store_true", help="WeChat in plain mode, not safe (AES)")
    parser.add_argument("--workers", type=int, default=4, help="conversations at once")
    parser.add_argument("--out", type=Path, default=Path("reports/conversations.md"))
    args = parser.parse_args(argv)
    names = ["rest", "wechat"] if args.channel == "both" else [args.channel]

    figures: dict[str, list[str]] = {}
    md: list[str] = []
    notes: list[str] = []
    with contextlib.ExitStack() as stack:
        url, intake_url, token = args.url, args.intake_url, args.token
        wechat = None
        if args.start_stack:
            if "wechat" in names:
                from tools.wechat_client import wechat_environment

                wechat = stack.enter_context(wechat_environment(encrypted=not args.wechat_plain))
            url, intake_url, token = stack.enter_context(started_stack())
        for channel in channels(names, url, ticket_fetcher(intake_url, token), wechat):
            figures[channel.name], section = run_files(args.files, channel, args.workers)
            md += section
            notes += [channel.delivery()] if channel.delivery else []
    if len(figures) > 1:
        md = side_by_side(figures) + notes + [""] + md
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(md), encoding="utf-8")
    for name, lines in figures.items():
        print(f"== {name}", *lines, sep="\n")
    if len(figures) > 1:
        print("\n".join(side_by_side(figures)))
    print(*notes, sep="\n")
    print(f"report: {args.out}")


if __name__ == "__main__":
    main()
