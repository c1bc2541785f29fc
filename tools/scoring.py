"""Scoring one simulated citizen's conversation: the filed ticket against the persona's expected
ticket, field by field, and the conversation's own failures (first message lost, replies repeated)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tools.persona import Reply, question_of, simplified

SPAN = 6  # characters of the first message that the ticket's summary must contain
AMOUNT_TOLERANCE = 0.2
SMALL_HEADCOUNT = 5  # "not a group case": null or a small number of the citizen's own side
# The bot's out-of-scope reply ("这个问题不在综治中心的受理范围内"), in any wording that says so.
OUT_OF_SCOPE = re.compile(r"不在.{0,8}受理范围")
FIELDS = ("category", "sub_type", "amount", "headcount", "phone", "applicant_name", "risk_level", "window")


@dataclass(frozen=True)
class Check:
    field: str
    ok: bool
    expected: Any
    got: Any


def _digits(value: Any) -> str:
    return re.sub(r"\D", "", str(value or ""))


def _number(value: Any) -> float | None:
    try:
        return None if value is None or value == "" else float(value)
    except (TypeError, ValueError):
        return None


def approx_range(n: int) -> tuple[int, int]:
    """十几 → 10–19, 四十几 → 40–49, 一百多 → 100–199: the expected figure up to its next unit."""
    unit = 10 ** (len(str(abs(int(n)))) - 1) if n >= 10 else 1
    return n, (n + unit - 1 if n % unit == 0 else n)


def score_ticket(persona: Mapping[str, Any], ticket: Mapping[str, Any]) -> list[Check]:
    """The scored fields of one ticket against the persona's ``expected``."""
    exp = persona.get("expected") or {}
    lenient = set(persona.get("lenient") or [])
    facts = ticket.get("facts") or {}
    route = ticket.get("route") or {}
    checks: list[Check] = []

    def add(name: str, ok: bool, expected: Any, got: Any) -> None:
        if got is None and name in lenient:
            ok = True
        checks.append(Check(name, bool(ok), expected, got))

    add(
        "category", ticket.get("category") == exp.get("category"), exp.get("category"), ticket.get("category")
    )
    got_sub = ticket.get("sub_type", "(missing)")
    add("sub_type", got_sub == exp.get("sub_type") or (got_sub == "(missing)" and exp.get("sub_type") is None),
        exp.get("sub_type"), got_sub)  # fmt: skip

    want, got = _number(exp.get("amount_yuan")), _number(facts.get("amount_yuan"))
    if want is None:
        ok = got in (None, 0)
    elif got is None:
        ok = False
    elif exp.get("amount_approx"):
        ok = abs(got - want) <= AMOUNT_TOLERANCE * want
    else:
        ok = abs(got - want) < 0.5
    add("amount", ok, exp.get("amount_yuan"), facts.get("amount_yuan"))

    want, got = _number(exp.get("headcount")), _number(facts.get("headcount"))
    if want is None:
        ok = got is None or 1 <= got <= SMALL_HEADCOUNT
    elif got is None:
        ok = False
    elif exp.get("headcount_approx"):
        low, high = approx_range(int(want))
        ok = low <= got <= high or abs(got - want) <= AMOUNT_TOLERANCE * want
    else:
        ok = got == want
    add("headcount", ok, exp.get("headcount"), facts.get("headcount"))

    want_phone, got_phone = _digits(exp.get("phone")), _digits(facts.get("phone"))
    add("phone", want_phone == got_phone, exp.get("phone"), facts.get("phone"))

    want_name = simplified(str(exp.get("applicant_name") or "")).strip()
    got_name = simplified(str(facts.get("applicant_name") or "")).strip()
    if not want_name:
        ok = not got_name
    else:
        ok = bool(got_name) and (want_name in got_name or got_name in want_name)
    add("applicant_name", ok, exp.get("applicant_name"), facts.get("applicant_name"))

    add("risk_level", ticket.get("risk_level") == exp.get("risk_level"), exp.get("risk_level"),
        ticket.get("risk_level"))  # fmt: skip
    add("window", route.get("window") == exp.get("window"), exp.get("window"), route.get("window"))
    return checks


def _plain(text: str) -> str:
    from bot.textnorm import to_halfwidth

    return re.sub(r"\s+", "", to_halfwidth(simplified(text or "")))


def summary_keeps(first_message: str, summary: str) -> bool:
    """Whether the summary contains a 6-character span of the first message (simplified)."""
    first, kept = _plain(first_message), _plain(summary)
    if len(first) < SPAN:
        return first in kept
    return any(first[i : i + SPAN] in kept for i in range(len(first) - SPAN + 1))


def asked_to_describe_again(first_replies: Sequence[Reply]) -> bool:
    kind, _ = question_of(first_replies)
    return kind == "describe" and not out_of_scope([r.text for r in first_replies])


def repeated_reply(bot_texts: Sequence[str], times: int = 3) -> bool:
    """The same bot text ``times`` times in a row (texts, or each turn's replies joined)."""
    run, last = 0, None
    for text in bot_texts:
        run = run + 1 if text == last else 1
        last = text
        if run >= times:
            return True
    return False


def out_of_scope(texts: Sequence[str]) -> bool:
    return any(OUT_OF_SCOPE.search(t) for t in texts)


# Topics answered by the status flow as well as by the profile's text: asking for the case code is how
# the bot shows a citizen where their case stands.
_ALSO_ANSWERS = {"progress_how": ("案件编号", "受理编号")}


def _opening(text: str) -> str:
    """The fixed start of a profile text, up to its first placeholder: what every reply from it shows."""
    return text.split("{", 1)[0][:14]


def answers_topic(texts: Sequence[str], topic: str, category: str | None, consult_texts: Mapping[str, str],
                  category_names: Mapping[str, str]) -> bool:  # fmt: skip
    """Whether the replies answer the question's topic: the center profile's answer for that topic
    (``consult_<topic>``); for materials of a named case type, that type's list; an off-topic question
    is answered by anything but an intake."""
    joined = "\n".join(texts)
    if topic == "off_topic":
        return True
    if topic == "materials" and category:
        name = category_names.get(category, category)
        return f"「{name}」类纠纷请带上" in joined
    keys = [f"consult_{topic}"] + (["consult_scope_named"] if topic == "scope" else [])
    openings = [_opening(consult_texts[k]) for k in keys if consult_texts.get(k)]
    return any(o and o in joined for o in openings) or any(w in joined for w in _ALSO_ANSWERS.get(topic, ()))
