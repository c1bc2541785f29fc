"""One turn of the intake form as plain Python: what the citizen's message changes and what the
assistant says. The rasa_sdk actions only translate a ``Turn`` into events and messages."""

from __future__ import annotations

import re
from typing import Any

from bot.intake import consent_reading, questions, story_sums, subtypes
from bot.intake.answers import APPROXIMATE_FACTS, facts_from_entities, is_approximate, read_answer
from bot.intake.confirmation import CHANGE_CATEGORY, confirmation_answer, confirms
from bot.intake.consent_step import consent_answer
from bot.intake.schema import (
    APPROXIMATE_SLOT,
    CATEGORY_SLOT,
    CONFIRMED_SLOT,
    CONSENT_SLOT,
    HELD_CONTACT_SLOT,
    PERSONAL_FACTS,
    STORY_AMOUNT_SLOT,
    consent_question_words,
    fact_specs,
    facts_kept_of,
    is_optional,
    unknown_marker,
)
from bot.intake.turn import AFFIRM, DENY, HUMAN_BUTTON, Turn
from bot.intake.yes import says_yes
from bot.questions import question_sentences
from bot.risk import RiskAssessment, screen
from bot.taxonomy import OTHER, categories, category_for_intent, category_named_in

# The top category is taken without asking when it leads the runner-up by this much.
CLEAR_MARGIN = 0.25
CLEAR_CONFIDENCE = 0.5
# Intents that interrupt the form: the validator leaves them to the rules.
INTERRUPTIONS = ("ask_human", "restart", "danger", "bot_challenge", "goodbye", "query_status", "consult")
NO_MONEY = "不涉及金额"
MISUNDERSTOOD_SLOT = "misunderstood"


def dispute_candidates(ranking: list[dict[str, Any]], limit: int = 3) -> list[str]:
    """Category codes from the NLU ranking, best first."""
    codes = []
    for item in ranking or []:
        found = category_for_intent(item.get("name"))
        if found and found.code not in codes:
            codes.append(found.code)
    return codes[:limit]


def clear_category(intent: dict[str, Any], ranking: list[dict[str, Any]]) -> str | None:
    """The category when the classifier is sure enough; None means ask the citizen."""
    found = category_for_intent(intent.get("name"))
    if found is None:
        return None
    scores = [r.get("confidence", 0.0) for r in ranking or [] if category_for_intent(r.get("name"))]
    top = intent.get("confidence", 0.0)
    runner_up = scores[1] if len(scores) > 1 else 0.0
    if top >= CLEAR_CONFIDENCE and top - runner_up >= CLEAR_MARGIN:
        return found.code
    return None


def _fill_order(slots: dict[str, Any]) -> list[str]:
    """Facts in the order a stated value goes to them: this intake's questions first, then the rest
    (a date fills 事故时间 in a traffic case, 时间 elsewhere; one value fills one fact)."""
    return facts_kept_of(slots)


def _stated_facts(entities: list[dict[str, Any]], slots: dict[str, Any], text: str) -> dict[str, Any]:
    """Every fact the message states (whatever the category asks); personal ones only with consent."""
    consent = slots.get(CONSENT_SLOT)
    wanted = [n for n in _fill_order(slots) if consent or n not in PERSONAL_FACTS]
    return facts_from_entities(entities, fact_specs(), wanted, text)


def _held_contact(entities: list[dict[str, Any]], text: str, slots: dict[str, Any]) -> dict[str, Any]:
    """Name and phone given before consent: held (not recorded) until the citizen consents, then
    confirmed instead of asked again."""
    held = dict(slots.get(HELD_CONTACT_SLOT) or {})
    held.update(facts_from_entities(entities, fact_specs(), list(PERSONAL_FACTS), text))
    return held


def _risk_updates(
    text: str, slots: dict[str, Any], assessment: RiskAssessment | None = None
) -> dict[str, Any]:
    """Elevated signals in any message are kept for the ticket (urgent ones go to the danger rule)."""
    assessment = assessment or screen(text or "")
    if assessment.level == "none":
        return {}
    reasons = list(
        dict.fromkeys([*(slots.get("risk_reasons") or []), *(s.reason_zh for s in assessment.signals)])
    )
    level = slots.get("risk_level") or "none"
    if level != "urgent":
        level = assessment.level
    return {"risk_level": level, "risk_reasons": reasons}


def start_intake(
    text: str,
    intent: dict[str, Any],
    ranking: list[dict[str, Any]],
    entities: list[dict[str, Any]],
    slots: dict[str, Any],
) -> Turn:
    """A new dispute description: reset the previous intake, classify, keep the facts stated."""
    turn = Turn()
    reset = (CONFIRMED_SLOT, "ticket_code", "reasked", "risk_level", "risk_reasons", STORY_AMOUNT_SLOT)
    for name in (*fact_specs(), *reset):
        turn.updates[name] = None
    turn.updates[MISUNDERSTOOD_SLOT] = None
    if not slots.get(CONSENT_SLOT):
        turn.updates[HELD_CONTACT_SLOT] = _held_contact(entities, text, {}) or None
    code = clear_category(intent, ranking)
    if subtypes.outside(code, text):  # a gym card, a clinic, a school: asked, with 其他 among the buttons
        code = None
    turn.updates[CATEGORY_SLOT] = code
    assessment = screen(text or "")  # once: for the sub-type (家暴) and the risk kept on the ticket
    turn.updates[subtypes.SUB_TYPE_SLOT] = subtypes.of_story(code, text, assessment) if code else None
    turn.updates["category_candidates"] = dispute_candidates(ranking)
    turn.updates["description"] = text
    turn.updates.update(
        _stated_facts(
            entities, {**turn.updates, CONSENT_SLOT: slots.get(CONSENT_SLOT), "description": text}, text
        )
    )
    turn.updates.update(_risk_updates(text, {}, assessment))
    _mark_approximate(turn, {}, entities)
    story_sums.defer(turn.updates, entities, text)  # an estate, a guaranteed loan, 三十多万: asked
    if code:
        turn.updates["category_name"] = categories()[code].name
        turn.say("utter_category_identified", category_name=categories()[code].name)
    return turn


def _reask(turn: Turn, slots: dict[str, Any], fact: str, hint: str) -> None:
    """One kind re-ask with a hint; the second miss records the fact as unknown and moves on."""
    reasked = list(slots.get("reasked") or [])
    if fact in reasked:
        turn.updates[fact] = unknown_marker()
        return
    turn.updates["reasked"] = [*reasked, fact]
    turn.updates[fact] = None
    turn.say(f"utter_reask_{hint}")


def _category_answer(turn: Turn, slots: dict[str, Any], text: str, intent: str | None) -> None:
    """The category question: a button, a category name, or another description. The second answer
    that fits no category files the intake as 其他 (a person sorts it) instead of asking forever."""
    named = category_named_in(text)
    found = named or category_for_intent(intent)
    candidates = slots.get("category_candidates") or []
    clicked = text.startswith("/")
    if not clicked and named is None and found is not None and candidates and found.code not in candidates:
        found = None  # "还有俺俩表哥…" is no family case: a guess outside the story's own candidates
    if found is None:
        reasked = list(slots.get("reasked") or [])
        if CATEGORY_SLOT not in reasked:
            turn.updates["reasked"] = [*reasked, CATEGORY_SLOT]
            turn.updates[CATEGORY_SLOT] = None
            turn.updates["category_candidates"] = []
            return
        found = categories()["other"]
        turn.updates[CATEGORY_SLOT] = found.code
        turn.updates["category_name"] = found.name
        turn.say("utter_category_other")
        return
    turn.updates[CATEGORY_SLOT] = found.code
    turn.updates["category_name"] = found.name
    turn.updates[subtypes.SUB_TYPE_SLOT] = subtypes.of_story(found.code, slots.get("description") or text)
    turn.say("utter_category_identified", category_name=found.name)


def channel_phone(channel: str | None, phone: str | None) -> str | None:
    """On the hotline the channel tells the citizen's own mobile number (in the message's metadata;
    the conversation id is a keyed hash of it): no need to ask for it again."""
    digits = re.sub(r"\D", "", phone or "")
    if channel == "hotline" and re.fullmatch(r"1[3-9]\d{9}", digits):
        return digits
    return None


def _answers_step(slots: dict[str, Any], requested: str | None, text: str, intent: str | None) -> bool:
    """Whether a message that reads as a question still answers the step ("可以吗？" to the consent,
    "是劳动争议吗？" to the category)."""
    if requested == CONSENT_SLOT:
        return (
            consent_reading.consents(text, intent)
            or says_yes(text)  # "好的，同意吗？不同意也行吧": an answer, if an unclear one
            or consent_reading.refuses_consent(text, intent)
            or any(w in text for w in consent_question_words())
        )
    if requested == CATEGORY_SLOT:
        return category_named_in(text) is not None
    if requested == subtypes.SUB_TYPE_SLOT:
        return subtypes.read_choice(slots.get(CATEGORY_SLOT), text) != subtypes.OTHER
    if requested in PERSONAL_FACTS:  # "我叫王芳，这样可以吗？", "139…，打这个能找到我吗"
        return re.search(r"\d{3}|叫|姓|名字", text) is not None
    return intent == AFFIRM or says_yes(text, at_confirmation=True) or any(w in text for w in CHANGE_CATEGORY)


def answer_turn(
    slots: dict[str, Any],
    requested: str | None,
    text: str,
    intent: str | None,
    entities: list[dict[str, Any]],
    known_phone: str | None = None,
) -> Turn | None:
    """The citizen answered the question about ``requested``; None leaves the turn to the rules.
    ``known_phone`` is the citizen's number when the channel already tells it (the hotline)."""
    if intent in INTERRUPTIONS and not questions.states_the_fact(intent, requested, text, entities):
        return None
    turn = Turn()
    text = (text or "").strip()
    turn.updates.update(_risk_updates(text, slots))
    if questions.asked_at_step(slots, requested, text) and not _answers_step(slots, requested, text, intent):
        turn.question = text
        turn.updates["reasked"] = [*(slots.get("reasked") or []), questions.step_marker(str(requested))]
        turn.updates[str(requested)] = None
        return turn
    if requested == CATEGORY_SLOT:
        _category_answer(turn, slots, text, intent)
        _keep_stated(turn, slots, None, text, entities)
        return turn
    if requested == subtypes.SUB_TYPE_SLOT:
        turn.updates[subtypes.SUB_TYPE_SLOT] = subtypes.read_choice(slots.get(CATEGORY_SLOT), text)
        _keep_stated(turn, slots, None, text, entities)  # "电话少打了一位，是131…" said in between
        return turn
    if requested == CONSENT_SLOT:
        consent_answer(turn, slots, text, intent, known_phone)
        if turn.updates.get(CONSENT_SLOT) and questions.ends_with_yes(text):
            turn.question = "".join(question_sentences(text))  # answered as the yes is taken
        if turn.updates.get(CONSENT_SLOT):  # "同意，我叫石凤霞": what came with the yes is kept
            for name, value in facts_from_entities(
                entities, fact_specs(), list(PERSONAL_FACTS), text
            ).items():
                turn.updates[name] = value
        return turn
    if requested == CONFIRMED_SLOT:
        confirmation_answer(turn, slots, text, intent, entities)
        _mark_approximate(turn, slots, entities)
        return turn
    _hold_contact(turn, slots, text, entities)
    specs = fact_specs()
    held_phone = (slots.get(HELD_CONTACT_SLOT) or {}).get("phone")
    if requested == "phone" and held_phone and confirms(text, intent, entities):
        turn.updates["phone"] = held_phone
    elif requested == "phone" and held_phone and intent == DENY:
        turn.updates[HELD_CONTACT_SLOT] = {**slots[HELD_CONTACT_SLOT], "phone": None}
        turn.updates["phone"] = None
    elif requested == "amount_yuan" and story_sums.affirmed(turn.updates, slots, text, entities):
        pass  # "对": the figure of the story, confirmed
    elif requested in specs:
        answer = read_answer(specs[requested], text, intent, entities)
        category_code = slots.get(CATEGORY_SLOT)
        if requested == "amount_yuan" and subtypes.no_money(text):
            turn.updates[requested] = NO_MONEY
        elif (
            answer.hint == "skip"
            and specs[requested].kind != "yesno"  # "不清楚" to a yes/no question is an answer
            and not is_optional(category_code, requested, slots.get(subtypes.SUB_TYPE_SLOT))
        ):
            _reask(turn, slots, requested, _hint_for(requested))
        elif answer.ok:
            turn.updates[requested] = answer.value
        else:
            _reask(turn, slots, requested, answer.hint or "text")
    _keep_stated(turn, slots, requested, text, entities, hold=False)
    _also_fill(turn, slots, requested)
    story_sums.when_unknown(turn.updates, slots, requested)  # "不清楚": the story's figure stands
    return turn


# A bare relation ("夫妻", "父子") tells no other party; "我先生，何志远" does.
ALSO_FILL_MIN_CHARS = 3


def _also_fill(turn: Turn, slots: dict[str, Any], requested: str | None) -> None:
    """ "您和对方是什么关系？" — "我先生，何志远": the other party as well, not asked again."""
    spec = fact_specs().get(requested or "")
    value = turn.updates.get(requested or "")
    if spec is None or spec.also_fills is None or not isinstance(value, str):
        return
    other = spec.also_fills
    if len(value) >= ALSO_FILL_MIN_CHARS and not slots.get(other) and not turn.updates.get(other):
        turn.updates[other] = value


def _hold_contact(turn: Turn, slots: dict[str, Any], text: str, entities: list[dict[str, Any]]) -> None:
    """A name or phone said before the consent is held, to be confirmed after it."""
    if not slots.get(CONSENT_SLOT):
        held = _held_contact(entities, text, slots)
        if held != (slots.get(HELD_CONTACT_SLOT) or {}):
            turn.updates[HELD_CONTACT_SLOT] = held


def _keep_stated(
    turn: Turn,
    slots: dict[str, Any],
    requested: str | None,
    text: str,
    entities: list[dict[str, Any]],
    hold: bool = True,
) -> None:
    """Every fact the message states is kept, asked for or not (contact details held before consent)."""
    if hold:
        _hold_contact(turn, slots, text, entities)
    specs = fact_specs()
    consent = slots.get(CONSENT_SLOT)
    taken = (
        specs[requested].entity if requested in specs and turn.updates.get(requested) is not None else None
    )
    wanted = [
        n
        for n in _fill_order(slots)
        if n != requested
        and slots.get(n) in (None, "")
        and (consent or n not in PERSONAL_FACTS)
        and not (taken and specs[n].entity == taken)  # the answer's value already went to the question
    ]
    for name, value in facts_from_entities(entities, specs, wanted, text).items():
        turn.updates.setdefault(name, value)
    _mark_approximate(turn, slots, entities)


def _mark_approximate(turn: Turn, slots: dict[str, Any], entities: list[dict[str, Any]]) -> None:
    """Keep which figures were said roughly (slot ``approximate``), for the ticket and the summary."""
    changed = [n for n in APPROXIMATE_FACTS if n in turn.updates]
    if not changed:
        return
    rough = set(slots.get(APPROXIMATE_SLOT) or [])
    for name in changed:
        if is_approximate(entities, fact_specs()[name], turn.updates[name]):
            rough.add(name)
        else:
            rough.discard(name)
    if rough != set(slots.get(APPROXIMATE_SLOT) or []):
        turn.updates[APPROXIMATE_SLOT] = sorted(rough) or None


def _hint_for(fact: str) -> str:
    kind = fact_specs()[fact].kind
    return kind if kind in ("name", "phone", "amount", "headcount", "yesno", "relation") else "text"


def category_buttons(codes: list[str] | None = None) -> list[dict[str, str]]:
    """One button per category (it sends the category's intent); by default every dispute category."""
    found = categories()
    return [
        {"title": found[c].name, "payload": f"/{found[c].intent}"}
        for c in codes or [c for c in found if c != OTHER]
    ]


def category_question(slots: dict[str, Any]) -> tuple[str, list[dict[str, str]]]:
    """The category question: the likely categories (else all) as buttons, 都不是, and after one
    answer that fit none, a person (转人工)."""
    candidates = slots.get("category_candidates")
    buttons = category_buttons(candidates)
    buttons.append({"title": "都不是", "payload": "/out_of_scope"})
    if CATEGORY_SLOT in (slots.get("reasked") or []):
        buttons.append(dict(HUMAN_BUTTON))
        text = "没对上类别，抱歉。您的问题属于哪一类？请点选最接近的；都不像就点“都不是”，或者转人工。"
    elif candidates:
        text = "想确认一下，您的问题更接近哪一类？"
    else:
        text = "请选一下您的问题属于哪一类："
    return text, buttons


def phone_question(slots: dict[str, Any]) -> tuple[str, list[dict[str, str]]] | None:
    """The phone question as a confirmation of the number given before consent; None to ask plainly."""
    held = (slots.get(HELD_CONTACT_SLOT) or {}).get("phone")
    if not held:
        return None
    buttons = [{"title": "是，就用这个", "payload": "/affirm"}, {"title": "换一个号码", "payload": "/deny"}]
    return f"您刚才留的电话是{held}，就用这个号码吗？", buttons
