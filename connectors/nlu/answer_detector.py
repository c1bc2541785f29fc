"""Intents the words do not support are not taken, and a short message that mostly consists of a
stated fact is an answer (``inform``).

Course-changing intents need their cue words: ``restart`` throws the unfinished intake away (Rasa's
``action_restart``), ``goodbye`` parks it, ``consult`` answers a question instead of reading the
answer and ``query_status`` looks a ticket up; a word classifier hears them in answers ("上个月开始",
"按市场价重新评估", "您再说一遍", "什么"). Each is taken only with its cue words and confidence
(``nlu_data/intent_cues.yml``), else the next supported intent of the ranking (``nlu_fallback`` when
none is). A question is no yes or no: ``affirm``/``deny`` for "这个收费不？" go to the next intent ranked
(other than yes/no) when it has at least ``QUESTION_RUNNER_UP``, unless the message starts with a plain
yes/no word ("同意吗" is still a yes). The demoted intent goes to the end of the ranking.

Then bare facts: "我们15个人", "13912345678" or "去年三月" answer the question the assistant just
asked, but a classifier trained on words can take a bare number or name for a goodbye or small talk,
and the dialogue would then not hear the answer. The facts found by ``FactExtractor`` show what the
message is; this component runs after it and turns only chit-chat intents (``CHITCHAT``, or the
fallback) into ``inform``, never a dispute, danger, affirm/deny or a correction.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot import paths
from bot.intake.consent_reading import says_yes_to_consent, yes_like_a_question
from bot.intake.opening import CONTACT_FACTS, DISPUTE_FACTS
from bot.intake.questions import asks_in_other_words
from bot.intake.turn import AFFIRM
from bot.questions import has_question, is_question, last_question
from bot.taxonomy import OUT_OF_SCOPE_INTENT, dispute_category
from bot.textnorm import content_chars
from connectors.nlu.component import RuleComponent
from connectors.nlu.fact_extractor import FactExtractor

INFORM = "inform"
CONSULT = "consult"
# A question with a dispute below this probability and no dispute facts is asked, not told …
WEAK_DISPUTE = 0.5
# … when the classifier ranks a consultation at least this high.
CONSULT_RUNNER_UP = 0.05
# a dispute's own facts or a person's contact: told, not only asked (the opening reads them alike)
STORY_FACTS = frozenset({*DISPUTE_FACTS, *CONTACT_FACTS})
# Intents a bare fact is mistaken for; the rest (disputes, danger, affirm, deny, correct) keep theirs.
CHITCHAT = frozenset(
    {"greet", "goodbye", "thank", "bot_challenge", "ask_human", "query_status", "restart", "out_of_scope"}
)
CUES_FILE = paths.NLU_DATA / "intent_cues.yml"
# A question classified as yes/no goes to the next intent when that one has at least this much.
QUESTION_RUNNER_UP = 0.1
# Plain yes/no that may end in a question particle ("是不是" is no answer either, but "行不" is).
_PLAIN_YES_NO = ("同意", "不同意", "可以", "好的", "是的", "对", "不用", "算了")
# Words that open with one of them and are none: the other party, the one opposite.
_NOT_YES_NO = ("对方", "对面", "对象", "对手", "对于", "对待")
# Letters and digits (spaces and punctuation not counted: "188 1297 6650，打错了，是…").
MAX_ANSWER_CHARS = 30
MIN_COVERAGE = 0.5
ANSWER_CONFIDENCE = 0.9
_NOT_CONTENT = re.compile(r"[\s\W_]", re.UNICODE)


def fact_coverage(text: str, entities: list[dict[str, Any]]) -> float:
    """Share of the message's letters and digits that lie inside the facts ``FactExtractor`` found."""
    content = [i for i, ch in enumerate(text) if not _NOT_CONTENT.match(ch)]
    if not content:
        return 0.0
    covered: set[int] = set()
    for entity in entities:
        if entity.get("extractor") == FactExtractor.__name__ and isinstance(entity.get("start"), int):
            covered.update(range(entity["start"], entity.get("end", entity["start"])))
    return sum(1 for i in content if i in covered) / len(content)


def is_fact_answer(text: str, intent: str | None, entities: list[dict[str, Any]]) -> bool:
    """True when a short message classified as chit-chat is mostly a stated fact."""
    if intent not in CHITCHAT and intent != DEFAULT_NLU_FALLBACK_INTENT_NAME:
        return False
    if not text or len(content_chars(text)) > MAX_ANSWER_CHARS:
        return False
    return fact_coverage(text, entities) >= MIN_COVERAGE


@lru_cache(maxsize=1)
def intent_cues() -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = yaml.safe_load(CUES_FILE.read_text(encoding="utf-8")) or {}
    return data


def supported(intent: dict[str, Any], text: str) -> bool:
    """Whether the message says what its (course-changing) intent claims, by ``intent_cues.yml``."""
    rule = intent_cues().get(str(intent.get("name")))
    if rule is None:
        return True
    said = text.lower()
    if (intent.get("confidence") or 0.0) < float(rule.get("min_confidence", 0.0)):
        return False
    if len(content_chars(said)) < int(rule.get("min_chars", 0)):
        return False
    if len(content_chars(said)) > int(rule.get("max_chars", 10**6)):
        return False
    if any(str(word).lower() in said for word in rule.get("unless") or ()):
        return False
    cues = rule.get("cues")
    return not cues or any(_has_cue(said, str(cue).lower()) for cue in cues)


def _has_cue(said: str, cue: str) -> bool:
    """The cue in the message; a cue of digits ("88", "886") only as a number of its own, never
    inside a phone number ("188 1297 6650")."""
    if not cue.isdigit():
        return cue in said
    digits_apart = re.sub(r"(?<=\d)[\s-]+(?=\d)", "", said)
    return bool(re.search(rf"(?<!\d){re.escape(cue)}(?!\d)", digits_apart))


YES_NO = ("affirm", "deny")


def supported_yes_no(text: str) -> bool:
    """A yes or no that may end like a question: "同意吗", "行不", "成么？" (a yes in Shaanxi)."""
    said = text.strip()
    if said.startswith(_NOT_YES_NO):  # "对方要是不同意咋整" opens with no 对
        return False
    return any(said.startswith(w) for w in _PLAIN_YES_NO) or yes_like_a_question(said)


def taking_over(intent: dict[str, Any], text: str) -> dict[str, Any] | None:
    """An intent whose ``takes_over`` words are in the message, when the classifier chose one it may
    take over from (``takes_over_from``: names or name prefixes): "离婚要带什么材料" is a question
    about the center although the classifier hears a divorce."""
    said = text.lower()
    name = str(intent.get("name") or "")
    asking = is_question(text)  # once per message: it normalises the text
    for other, rule in intent_cues().items():
        words, sources = rule.get("takes_over") or (), list(rule.get("takes_over_from") or ())
        if asking:  # "我们十二个人都得去窗口吗？" is no answer, whatever facts it holds
            sources += list(rule.get("takes_over_from_if_question") or ())
        from_this = other != name and any(name.startswith(str(s)) for s in sources)
        longest = int(rule.get("takes_over_max_chars") or 0)
        whole = not longest or len(content_chars(said)) <= longest
        asked = said if whole else last_question(said)
        # a whole story that mentions 小程序 is no question about the center; one that ends asking
        # "这种事要准备什么材料？" is (the dialogue then registers the story as well). Some words take
        # over only in a question: "是不是要拿户口本？" asks, "他要拿走房产证" tells.
        if asked and (asking or not whole or has_question(asked)):
            words = [*words, *(rule.get("takes_over_if_question") or ())]
        if from_this and any(str(w).lower() in asked for w in words):
            return {"name": other, "confidence": float(intent.get("confidence") or 0.0)}
    return None


def without_unsupported(intent: dict[str, Any], ranking: list[dict[str, Any]], text: str) -> dict[str, Any]:
    """The intent to act on: a course-changing intent only when the words support it, else the next
    one ranked that is supported; and a question is no yes or no ("这个收费不？" is not 不). An intent
    whose take-over words are said wins over a dispute (``taking_over``)."""
    takes_over = taking_over(intent, text)
    if takes_over is not None:
        return takes_over
    asking = is_question(text) or asks_in_other_words(text)  # "对方要是不同意咋整" is no no
    if intent.get("name") in YES_NO and asking and not supported_yes_no(text):
        others = [r for r in ranking if r.get("name") not in YES_NO and supported(r, text)]
        if others and (others[0].get("confidence") or 0.0) >= QUESTION_RUNNER_UP:
            return dict(others[0])
    if supported(intent, text):
        return intent
    others = [r for r in ranking if r.get("name") != intent.get("name") and supported(r, text)]
    return dict(others[0]) if others else {"name": DEFAULT_NLU_FALLBACK_INTENT_NAME, "confidence": 0.0}


def question_not_story(
    intent: dict[str, Any], ranking: list[dict[str, Any]], text: str, entities: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """A question the classifier half-heard as a dispute ("调解要钱不", "礼拜天有人没", "Is the
    mediation free?"), with no fact of a dispute or a person in it, is a consultation when that is
    ranked too: answering it beats asking "您的问题更接近哪一类？" of someone who only asked."""
    name = str(intent.get("name") or "")
    if not dispute_category(name) or float(intent.get("confidence") or 0.0) >= WEAK_DISPUTE:
        return None
    if {e.get("entity") for e in entities} & STORY_FACTS or not is_question(text):
        return None
    consult = next((r for r in ranking if r.get("name") == CONSULT), None)
    if consult is None or float(consult.get("confidence") or 0.0) < CONSULT_RUNNER_UP:
        return None
    return {"name": CONSULT, "confidence": float(consult.get("confidence") or 0.0)}


def plain_yes(intent: dict[str, Any], text: str) -> dict[str, Any] | None:
    """A message that opens with a yes and asks nothing ("要得嘛，你们记", "中，你们看着办", "能啊",
    "成么？" — a yes in Shaanxi) is a yes, whatever question about the center the classifier heard in
    it: taken as one, the consent was asked again and again."""
    if intent.get("name") not in (CONSULT, OUT_OF_SCOPE_INTENT, DEFAULT_NLU_FALLBACK_INTENT_NAME):
        return None
    if not says_yes_to_consent(text) or (has_question(text) and not yes_like_a_question(text)):
        return None
    return {"name": AFFIRM, "confidence": ANSWER_CONFIDENCE}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class AnswerDetector(RuleComponent):
    """Turns chit-chat predictions for bare facts into ``inform`` and drops course-changing intents
    the words do not support (ranking updated to match)."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            ranking = message.get(INTENT_RANKING_KEY) or []
            original = message.get(INTENT) or {}
            text = message.get(TEXT)
            said = text if isinstance(text, str) else ""
            chosen = (
                plain_yes(original, said)
                or question_not_story(original, ranking, said, message.get(ENTITIES) or [])
                or without_unsupported(original, ranking, said)
            )
            if chosen is not original:  # the unsupported intent goes to the end of the ranking
                ranking = [r for r in ranking if r.get("name") != original.get("name")] + [original]
                message.set(INTENT, chosen, add_to_output=True)
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
            intent = chosen.get("name")
            if not isinstance(text, str) or not is_fact_answer(text, intent, message.get(ENTITIES) or []):
                continue
            answer = {"name": INFORM, "confidence": ANSWER_CONFIDENCE}
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != INFORM]
            message.set(INTENT, answer, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [answer, *ranking], add_to_output=True)
        return messages
