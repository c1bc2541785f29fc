"""Answers to questions about the center itself (what it handles, how long, cost, hours, address,
materials, legal aid, lawyers, doing it online, following progress), from the center profile.

The topic comes from the NLU's response selector (retrieval intent ``consult/<topic>``); the words
are the profile's ``texts`` (``consult_<topic>``), so each center says its own hours, address and
limits. A materials question names a case type ("离婚要带什么材料", "撞车了要带啥"): its category is
the one its words name (``case_words``), else the best dispute intent the classifier still sees."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.intake import questions, subtypes
from bot.intake.schema import CONSENT_SLOT, QUESTIONS_SLOT, fact_specs, unknown_marker
from bot.questions import last_question, question_sentences
from bot.taxonomy import categories, category_named_in, dispute_category
from bot.textnorm import normalize_text
from bot.tickets.centers import CenterProfile
from bot.tickets.routing import materials_for, route_ticket

RETRIEVAL_INTENT = "consult"
# A materials question ("离婚要带什么材料") is about the category the classifier ranks first among
# the disputes, when it leads the next one clearly: the question itself is no dispute, so the
# probabilities are small and only their order says which case type was named.
MATERIALS_CATEGORY_MIN = 0.004
MATERIALS_CATEGORY_LEAD = 2.0


TOPIC_WORDS_FILE = Path(__file__).with_name("consultation.yml")


@lru_cache(maxsize=1)
def _config() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(TOPIC_WORDS_FILE.read_text(encoding="utf-8")) or {}
    return data


@lru_cache(maxsize=1)
def _topic_words() -> dict[str, tuple[str, ...]]:
    """Each topic's words as they are matched (normalised, no spaces, lower case), read once."""
    return {
        str(k): tuple(_squeezed(str(w)) for w in v or ())
        for k, v in (_config().get("topic_words") or {}).items()
    }


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", normalize_text(text or "")).lower()


def _hits(text: str) -> dict[str, int]:
    """How many of each topic's words the text says."""
    return _word_hits(_squeezed(text), _topic_words())


def _word_hits(said: str, table: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """How many of each entry's words are said; a word said only as part of a longer word said there
    is not counted (手续费 is a fee, not 手续 of the materials; 免费律师 is legal aid, not 律师 nor 免费;
    查进度 is one word, not two)."""
    spans = [
        (start, start + len(word), word, key)
        for key, words in table.items()
        for word in words
        for start in _starts(said, word)
    ]
    said_alone = {
        (word, key)
        for start, end, word, key in spans
        if not any(e - s > end - start and s < end and start < e for s, e, _, _ in spans)
    }
    return {key: sum((w, key) in said_alone for w in words) for key, words in table.items()}


def _starts(said: str, word: str) -> list[int]:
    """Where the word begins in the text, each place once."""
    found, start = [], said.find(word) if word else -1
    while start >= 0:
        found.append(start)
        start = said.find(word, start + 1)
    return found


def topic_by_words(text: str) -> str | None:
    """The topic a question names in words ("俺腿脚不好，去恁那儿远不远" → address), for a question the
    selector did not place; None when it names none."""
    return _most_named(_hits(text))


def _most_named(hits: dict[str, int]) -> str | None:
    best = max(hits, key=lambda t: hits[t], default=None)  # the first listed wins a tie
    return best if best is not None and hits[best] > 0 else None


def chosen_topic(selected: str | None, text: str) -> str | None:
    """The selector's topic, unless the words name one that overrides it ("我现在要报警吗？" is about
    the police whatever the selector heard), or the question never says the selector's topic while it
    names another ("…要不要另外繳錢？" is about the cost); the words' topic when the selector has none."""
    # a story ending "这种能找你们吗": the sentences that ask name the topic, not the story
    asked = question_sentences(text) or last_question(text) or text
    hits = _hits(asked)
    named = _most_named(hits)
    overriding = _config().get("overrides_selector") or []
    unnamed = selected is not None and bool(_topic_words().get(selected)) and not hits.get(selected)
    if named is not None and (selected is None or named in overriding or unnamed):
        return named
    return selected


def topic_of(selector: dict[str, Any] | None) -> str | None:
    """``hours`` from ``{"consult": {"response": {"intent_response_key": "consult/hours"}}}``; None
    when the selector hardly prefers it (``selector_min_confidence``, ``selector_min_margin``): a
    wrong answer ("工伤认定在哪办" answered with the cost) is worse than "这个问题我记下了"."""
    found = (selector or {}).get(RETRIEVAL_INTENT) or {}
    response = found.get("response") or {}
    key = str(response.get("intent_response_key") or "")
    if not key.startswith(RETRIEVAL_INTENT + "/"):
        return None
    confidence = float(response.get("confidence") or 0.0)
    ranking = found.get("ranking") or []
    runner_up = float(ranking[1].get("confidence") or 0.0) if len(ranking) > 1 else 0.0
    config = _config()
    if confidence < float(config.get("selector_min_confidence", 0.0)) or confidence - runner_up < float(
        config.get("selector_min_margin", 0.0)
    ):
        return None
    return key.split("/", 1)[1]


def _days(limit: Any) -> str:
    days = limit.total_seconds() / 86400
    return f"{days:g}"


@lru_cache(maxsize=1)
def _case_words() -> dict[str, tuple[str, ...]]:
    """Each case type's everyday words, as they are matched, read once."""
    return {
        str(k): tuple(_squeezed(str(w)) for w in v or ())
        for k, v in (_config().get("case_words") or {}).items()
    }


def case_named(text: str) -> str | None:
    """The case type a question names in everyday words ("借钱的事要带啥" → debt, "讨工钱要准备啥" →
    wage_arrears, not labor); None when none is named or two are named as often."""
    counts = _word_hits(_squeezed(text), _case_words())
    hits = sorted(((n, code) for code, n in counts.items()), reverse=True)
    if not hits or hits[0][0] == 0 or (len(hits) > 1 and hits[1][0] == hits[0][0]):
        return None
    return hits[0][1]


def _category_asked(ranking: list[dict[str, Any]], slots: dict[str, Any], text: str) -> str | None:
    """The case type of a materials question: named in its words, else the intake's own category, else
    the dispute the classifier ranks clearly first."""
    by_name = category_named_in(text, disputes_only=True)  # 交通事故要带啥: the category's own name
    for code in (case_named(text), by_name.code if by_name else None, subtypes.named_category(text)):
        if code:
            return code
    if slots.get("category") not in (None, "other"):
        return str(slots["category"])
    disputes = [
        (item.get("confidence", 0.0), found.code)
        for item in ranking or []
        if (found := dispute_category(item.get("name")))
    ]
    disputes.sort(reverse=True)
    if disputes and disputes[0][0] >= MATERIALS_CATEGORY_MIN:
        runner_up = disputes[1][0] if len(disputes) > 1 else 0.0
        if disputes[0][0] >= MATERIALS_CATEGORY_LEAD * runner_up:
            return disputes[0][1]
    return None


def materials_answer(profile: CenterProfile, category_code: str | None, sub_type: str | None = None) -> str:
    if not category_code:
        return profile.text("consult_materials_any")
    route = route_ticket(category_code, {}, "none", profile)
    window = profile.window(route.window)
    items = materials_for(route, category_code, profile, sub_type)
    return profile.text(
        "consult_materials",
        category_name=categories()[category_code].name,
        materials="；".join(items),
        window_name=window.name,
        room=window.room,
    )


# A message asking two things ("要交钱吗 输了是不是还要赔律师费") is answered on both, the first asked first.
MAX_TOPICS_ANSWERED = 2
_ASKING_PART = re.compile(r"(?<=[。.!！；;\n?？])|(?<=[吗么嘛呢])\s+")


def topics_asked(topic: str | None, text: str) -> list[str | None]:
    """The topics to answer: ``topic`` alone, unless the message's questions name two or more in their
    words; then those, in the order asked (the classifier's topic first if none of them is it)."""
    parts = [p for p in _ASKING_PART.split(text or "") if p.strip() and question_sentences(p)]
    named = list(dict.fromkeys(t for t in (_most_named(_hits(p)) for p in parts) if t))
    if len(named) < 2:
        return [topic]
    if topic is None or topic in named[:MAX_TOPICS_ANSWERED]:
        return list(named[:MAX_TOPICS_ANSWERED])
    return [topic, named[0]]


def _topic_reply(
    profile: CenterProfile, topic: str | None, text: str, ranking: list[dict[str, Any]], slots: dict[str, Any]
) -> str:
    if topic == "materials":
        asked = _category_asked(ranking, slots, text)
        return materials_answer(profile, asked, subtypes.detect(asked, text) if asked else None)
    if topic == "scope" and (named := subtypes.named_category(text)):
        # "楼上噪音问题可以找你们吗": yes for this case type, said plainly
        return profile.text("consult_scope_named", category_name=categories()[named].name)
    if topic == "duration":
        limits = {k: _days(v) for k, v in profile.time_limits.default.items()}
        return profile.text("consult_duration", **limits)
    return profile.text(f"consult_{topic}") if topic else ""


def answer(
    profile: CenterProfile,
    topic: str | None,
    text: str = "",
    ranking: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
) -> str:
    """The answer for a topic (and for a second one the message asks); an unknown topic gets the list
    of what can be asked."""
    slots = slots or {}
    replies = [_topic_reply(profile, t, text, ranking or [], slots) for t in topics_asked(topic, text)]
    reply = "\n".join(dict.fromkeys(r for r in replies if r))
    if not reply:
        reply = profile.text("consult_unknown")
    # an intake under way (its category known, or being asked about the story told): back to it
    under_way = (slots.get("category") or slots.get("description")) and (
        not slots.get("ticket_code") or slots.get("requested_slot")
    )  # an urgent case is filed at once while its intake goes on asking
    follow = "consult_back_to_intake" if under_way else "consult_offer"
    return f"{reply}\n{profile.text(follow)}".strip()


def without_offer(profile: CenterProfile, reply: str) -> str:
    """The answer without its invitation to register, for a question whose story is registered at once."""
    return reply.removesuffix(profile.text("consult_offer")).strip()


def reply_to(
    profile: CenterProfile,
    topic: str | None,
    text: str,
    ranking: list[dict[str, Any]] | None,
    slots: dict[str, Any],
) -> tuple[str, dict[str, Any]]:
    """The answer to a question and the slot updates it brings: a question no topic fits is kept for
    staff (the reply says it is noted)."""
    reply = answer(profile, topic, text, ranking, slots)
    return reply, (questions.kept(slots, text) if topic is None else {})


def taken_as_unclear_answer(
    reply: str,
    bot_texts: list[str],
    requested: str | None,
    topic: str | None = None,
    text: str = "",
    slots: dict[str, Any] | None = None,
    earlier: list[str] | tuple[str, ...] = (),
) -> bool:
    """The same answer again, given right before the question now pending (``bot_texts``: the assistant's
    messages of the conversation in order), in the middle of a question: the citizen is not asking
    about the center but struggling with the question. Its fact is then recorded as unknown instead
    of looping. "这个问题我记下了" again counts only for the same question again: two different
    questions no topic fits are two questions noted, not a struggle. A question never asked before
    (``earlier``: the citizen's earlier messages) is a second question on the same worry, answered
    again: "信息会不会给到公司？" then "公司会不会知道是我找的你们" must not make the case anonymous;
    asked again, it is the struggle it always was."""
    asked_before = {*(e.strip() for e in earlier), *((slots or {}).get(QUESTIONS_SLOT) or [])}
    if questions.asks(text) and text.strip() not in asked_before:
        return False
    # at this same step: the answer came right before the question now asked, not at an earlier step
    previous = bot_texts[-2:-1] or bot_texts[-1:]
    if not (requested and (requested in fact_specs() or requested == CONSENT_SLOT)):
        return False
    if not previous or (previous[0] or "").strip() != reply.strip():
        return False
    return topic is not None or text.strip() in ((slots or {}).get(QUESTIONS_SLOT) or [])


def unclear_answer(requested: str) -> tuple[str, Any]:
    """(response, slot value) for a question taken as an unclear answer: a fact is recorded as unknown;
    the consent asked again and again gets no clear yes, and the intake goes on anonymously."""
    if requested == CONSENT_SLOT:
        return "utter_consent_unclear", False
    return "utter_noted_unknown", unknown_marker()
