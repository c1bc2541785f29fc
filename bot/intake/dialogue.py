"""One turn of the intake form as plain Python: what the citizen's message changes and what the
assistant says. The rasa_sdk actions only translate a ``Turn`` into events and messages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.intake import consent_reading, questions, story_sums, subtypes
from bot.intake.answers import APPROXIMATE_FACTS, facts_from_entities, is_approximate, read_answer
from bot.intake.corrections import apply_correction
from bot.intake.schema import (
    APPROXIMATE_SLOT,
    CATEGORY_SLOT,
    CONFIRMED_SLOT,
    CONSENT_SLOT,
    HELD_CONTACT_SLOT,
    PERSONAL_FACTS,
    STORY_AMOUNT_SLOT,
    UNCONFIRMED_SLOT,
    consent_question_words,
    fact_specs,
    facts_kept_of,
    is_optional,
    unknown_marker,
)
from bot.intake.summary import confirmation_text
from bot.intake.yes import says_yes
from bot.risk import RiskAssessment, screen
from bot.taxonomy import OTHER, categories, category_for_intent, category_named_in

# The top category is taken without asking when it leads the runner-up by this much.
CLEAR_MARGIN = 0.25
CLEAR_CONFIDENCE = 0.5
# Intents that interrupt the form: the validator leaves them to the rules.
INTERRUPTIONS = ("ask_human", "restart", "danger", "bot_challenge", "goodbye", "query_status", "consult")
AFFIRM, DENY = "affirm", "deny"
NO_MONEY = "不涉及金额"
MISUNDERSTOOD_SLOT = "misunderstood"
HUMAN_BUTTON = {"title": "转人工", "payload": "/ask_human"}
# Said to "就用这个号码吗？": a yes (``says_yes``) or one of these.
REUSE_WORDS = ("就用", "用这个", "就这个")
# Unclear answers at the confirmation after which the intake is filed for staff to check by phone.
UNCLEAR_BEFORE_FILING = 3
# Said at the confirmation, these are never filed as a yes, however often: the citizen may be giving up.
_DECLINE_WORDS = ("算了", "不办", "不要", "取消", "不登记", "不用登记", "不对", "错", "不是", "别")
_CHANGE_CATEGORY = ("类别不对", "类型不对", "不是这类", "分类不对", "类别错", "类型错")


@dataclass
class Turn:
    """Slot updates plus the responses to send (domain response names with their variables)."""

    updates: dict[str, Any] = field(default_factory=dict)
    responses: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    question: str | None = None  # asked at a step whose answer is no question: the action answers it

    def say(self, response: str, **variables: Any) -> None:
        self.responses.append((response, variables))


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
    found = category_for_intent(intent) or category_named_in(text)
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


def consents(text: str, intent: str | None) -> bool:
    """Whether the answer to the consent question is a yes: "同意", and to this yes/no question also
    "能啊", "成么？", "管" (``consent_reading.says_yes_to_consent``); never with a no of the citizen's own
    ("同意吗？不同意也行吧")."""
    said = text.strip()
    if consent_reading.own_refusal(said, strong_only=True):
        return False
    return intent == AFFIRM or consent_reading.says_yes_to_consent(said) or consent_reading.comes_round(said)


def refuses_consent(text: str, intent: str | None) -> bool:
    """A no to the consent question, the citizen's own ("不同意", "我不同意留电话", "不想留"). A
    question is none, whatever its words ("对评估不满意是不是要申请复核？", "他家要是不同意离咋整"),
    unless it opens with the no ("不同意，可以吗？"); nor is someone else's no ("我老公不同意")."""
    said = text.strip()
    if questions.asks(said):
        return consent_reading.opens_with_refusal(said)
    if consent_reading.others_refusal_only(said):
        return False
    return intent == DENY or consent_reading.own_refusal(said)


def _consent_answer(
    turn: Turn, slots: dict[str, Any], text: str, intent: str | None, phone: str | None
) -> None:
    if consents(text, intent):
        turn.updates[CONSENT_SLOT] = True
        held = slots.get(HELD_CONTACT_SLOT) or {}
        if held.get("applicant_name") and not slots.get("applicant_name"):
            turn.updates["applicant_name"] = held["applicant_name"]
        if phone and not slots.get("phone") and not held.get("phone"):
            turn.updates["phone"] = phone
    elif refuses_consent(text, intent):
        turn.updates[CONSENT_SLOT] = False
    elif any(word in text for word in consent_question_words()):
        turn.updates[CONSENT_SLOT] = None  # answered; the form asks again
        turn.say("utter_consent_why")
    else:
        reasked = list(slots.get("reasked") or [])
        if CONSENT_SLOT in reasked:
            turn.updates[CONSENT_SLOT] = False  # no clear yes: nothing personal is collected
        else:
            turn.updates["reasked"] = [*reasked, CONSENT_SLOT]
            turn.updates[CONSENT_SLOT] = None
            turn.say("utter_reask_consent")


def _declines(text: str) -> bool:
    return any(word in text for word in _DECLINE_WORDS)


def _answers_step(slots: dict[str, Any], requested: str | None, text: str, intent: str | None) -> bool:
    """Whether a message that reads as a question still answers the step ("可以吗？" to the consent,
    "是劳动争议吗？" to the category)."""
    if requested == CONSENT_SLOT:
        return (
            consents(text, intent)
            or says_yes(text)  # "好的，同意吗？不同意也行吧": an answer, if an unclear one
            or refuses_consent(text, intent)
            or any(w in text for w in consent_question_words())
        )
    if requested == CATEGORY_SLOT:
        return category_named_in(text) is not None
    if requested == subtypes.SUB_TYPE_SLOT:
        return subtypes.read_choice(slots.get(CATEGORY_SLOT), text) != subtypes.OTHER
    if requested in PERSONAL_FACTS:  # "我叫王芳，这样可以吗？", "139…，打这个能找到我吗"
        return re.search(r"\d{3}|叫|姓|名字", text) is not None
    return (
        intent == AFFIRM or says_yes(text, at_confirmation=True) or any(w in text for w in _CHANGE_CATEGORY)
    )


def _confirmation_answer(
    turn: Turn, slots: dict[str, Any], text: str, intent: str | None, entities: list[dict[str, Any]]
) -> None:
    if intent == AFFIRM or (says_yes(text, at_confirmation=True) and not entities):
        turn.updates[CONFIRMED_SLOT] = True
        return
    turn.updates[CONFIRMED_SLOT] = None
    if any(w in text for w in _CHANGE_CATEGORY):
        turn.updates[CATEGORY_SLOT] = None
        turn.updates[subtypes.SUB_TYPE_SLOT] = None
        turn.updates["category_candidates"] = []
        return
    updates = apply_correction(text, intent, entities, slots) if intent != DENY else {}
    if updates:
        turn.updates.update(updates)
        return
    reasked = list(slots.get("reasked") or [])
    if reasked.count(CONFIRMED_SLOT) >= UNCLEAR_BEFORE_FILING and intent != DENY and not _declines(text):
        # Everything was collected; filed for a person to check with the citizen rather than lost.
        turn.updates[CONFIRMED_SLOT] = True
        turn.updates[UNCONFIRMED_SLOT] = text[:100]
        turn.say("utter_filed_unconfirmed")
        return
    turn.updates["reasked"] = [*reasked, CONFIRMED_SLOT]
    if CONFIRMED_SLOT not in reasked:  # from the second time the question itself changes (summary.py)
        turn.say("utter_ask_what_to_change")


CONFIRM_BUTTONS = [{"title": "确认提交", "payload": "/affirm"}, {"title": "要修改", "payload": "/deny"}]
# After the second answer at the confirmation that is neither a yes nor a change, two short wordings
# in turn, with a person to call, instead of the whole summary again.
CONFIRM_AGAIN = (
    "信息没问题请点“确认提交”；要改哪一项直接告诉我，比如“电话是13912345678”。也可以点“转人工”。",
    "抱歉没听明白。登记信息都保存着：点“确认提交”就能提交，或点“转人工”请工作人员帮您。",
)


def confirmation_prompt(slots: dict[str, Any]) -> tuple[str, list[dict[str, str]]]:
    """The confirmation question: the summary, or after two unclear answers a short prompt."""
    unclear = list(slots.get("reasked") or []).count(CONFIRMED_SLOT)
    if unclear < 2:
        return confirmation_text(slots), CONFIRM_BUTTONS
    return CONFIRM_AGAIN[unclear % 2], [*CONFIRM_BUTTONS, HUMAN_BUTTON]


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
        _consent_answer(turn, slots, text, intent, known_phone)
        if turn.updates.get(CONSENT_SLOT):  # "同意，我叫石凤霞": what came with the yes is kept
            for name, value in facts_from_entities(
                entities, fact_specs(), list(PERSONAL_FACTS), text
            ).items():
                turn.updates[name] = value
        return turn
    if requested == CONFIRMED_SLOT:
        _confirmation_answer(turn, slots, text, intent, entities)
        _mark_approximate(turn, slots, entities)
        return turn
    _hold_contact(turn, slots, text, entities)
    specs = fact_specs()
    held_phone = (slots.get(HELD_CONTACT_SLOT) or {}).get("phone")
    if requested == "phone" and held_phone and _confirms(text, intent, entities):
        turn.updates["phone"] = held_phone
    elif requested == "phone" and held_phone and intent == DENY:
        turn.updates[HELD_CONTACT_SLOT] = {**slots[HELD_CONTACT_SLOT], "phone": None}
        turn.updates["phone"] = None
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
        if is_approximate(entities, fact_specs()[name]):
            rough.add(name)
        else:
            rough.discard(name)
    if rough != set(slots.get(APPROXIMATE_SLOT) or []):
        turn.updates[APPROXIMATE_SLOT] = sorted(rough) or None


def _confirms(text: str, intent: str | None, entities: list[dict[str, Any]]) -> bool:
    """A yes to "就用这个号码吗？" (and no other number in the message)."""
    if any(e.get("entity") == "phone" for e in entities or []):
        return False
    said = text.strip().strip("。！!，,.~ ")
    return intent == AFFIRM or says_yes(said) or said.startswith(REUSE_WORDS)


def _hint_for(fact: str) -> str:
    kind = fact_specs()[fact].kind
    return kind if kind in ("name", "phone", "amount", "headcount", "yesno") else "text"


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
