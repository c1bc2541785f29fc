"""Risk screening: apply the patterns of ``risk.yml`` and ``risk_lexicon.yml`` to one citizen message.

Screening runs on every message, before and independent of NLU, because a message that says "他拿着刀在
门口" must reach the duty officer even when the classifier has never seen such a sentence. It is plain
regex work on normalised text (well under a millisecond per message): every decision about WHAT is risky
is data (``risk.yml``: kinds, headcount, hotlines, texts; ``risk_lexicon.yml``: normalisation, macros,
context cues, exclusions); this module only implements HOW a hit is judged — negation, exclusions, past and
resolved statements, headcounts — so the lexicon can grow without code changes.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Literal, cast

from bot.questions import asks_anywhere, is_question, last_question
from bot.risk.model import RiskModel, build, current_or_newest_file, fingerprint, model_file
from bot.risk.numerals import parse_count
from bot.risk.rules import (
    _RANK,
    ELEVATED,
    NONE,
    URGENT,
    Level,
    ModelWeighing,
    RiskRules,
    _Kind,
    _PatternGroup,
    default_rules,
)

# The trained model reads this much of a message (chat messages are capped at 2,000 characters).
MODEL_CHARS = 2000
# The trained opinion's finding shows the message's start when no n-gram stands out.
EVIDENCE_CHARS = 20
# How far back (characters, within the clause) a negation cue may stand before a hit.
NEGATION_WINDOW = 8
# Separators that end a clause: negation and "以前…" do not reach across them. Whitespace counts
# only next to Chinese text, so "i want to kill myself" stays one clause.
_CLAUSE_SEPARATORS = re.compile(r"[，。!?；;,.\n、…~：:\s]")
_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[a-z]")
# Latin letters more than this many times the Chinese characters: a pinyin or English message.
MOSTLY_LATIN = 2
# Exclusions are looked for around a hit only, this many characters either side (longer than any
# exclusion pattern needs).
EXCLUSION_WINDOW = 24
# A headcount's exclusions (a festival crowd) are looked for this far either side: the crowd's words and
# what it gathered for may stand a clause apart.
HEADCOUNT_WINDOW = 48
# How far after a hit (characters, within the sentence) the speaker's disavowal may stand.
DISAVOWAL_WINDOW = 40
# How far before a disavowal its retraction may start ("也不全是开玩笑" takes back the 开玩笑 in it).
RETRACTION_BEFORE = 8
# A past cue ending at most this many characters before a hit told as going on now (a pattern's
# ``now: true``) is the time of that hit ("前年我妈住在医院"); one farther back tells another event.
NOW_PAST_GAP = 4
# A nearer time than a story's "三年前": the hit after it is not told as past.
_RECENT = re.compile(r"昨天|昨晚|今天|今早|今晚|刚才|刚刚|现在|这两天|这几天|最近|又|还在|前天")
_SENTENCE_END = re.compile(r"[。!?\n]")
# words that make means got the speaker's own: a first person, or done already
_OWN_MEANS = ("我", "俺", "老子", "已经", "早")


@dataclass(frozen=True)
class RiskSignal:
    """One reason for concern found in a message.

    ``matched_text`` is the span as the screener saw it (simplified, lower case), so staff see exactly
    which words triggered the flag.
    """

    kind: str
    level: Level
    matched_text: str
    reason_zh: str


@dataclass(frozen=True)
class EmergencyNumber:
    """A hotline fitting the signals, with its Chinese label (e.g. 心理援助热线 12356)."""

    number: str
    label: str

    def __str__(self) -> str:
        return f"{self.label} {self.number}"


@dataclass(frozen=True)
class RiskAssessment:
    """The result of screening one message: the contract level plus why and whom to call."""

    level: Level = NONE
    signals: tuple[RiskSignal, ...] = ()
    emergency_numbers: tuple[EmergencyNumber, ...] = ()
    # People the message (or the facts) speak of, when a number was stated; None otherwise.
    headcount: int | None = None

    @property
    def urgent(self) -> bool:
        return self.level == URGENT

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(signal.kind for signal in self.signals)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able form, for slots, tickets and logs."""
        return {
            "level": self.level,
            "signals": [
                {
                    "kind": s.kind,
                    "level": s.level,
                    "matched_text": s.matched_text,
                    "reason_zh": s.reason_zh,
                }
                for s in self.signals
            ],
            "emergency_numbers": [{"number": n.number, "label": n.label} for n in self.emergency_numbers],
            "headcount": self.headcount,
        }


# ---------------------------------------------------------------------------------------------------
# Screening


class _Text:
    """The normalised message with the lookups a hit needs, computed once and only when a hit occurs.

    Most messages have no hit at all, so clause boundaries and exclusion spans are not worth computing
    up front.
    """

    def __init__(self, text: str, rules: RiskRules) -> None:
        self.text = text
        self.rules = rules

    @cached_property
    def separators(self) -> list[int]:
        text = self.text
        return [
            i
            for m in _CLAUSE_SEPARATORS.finditer(text)
            if not text[(i := m.start())].isspace() or self._cjk_near(i)
        ]

    def _cjk_near(self, i: int) -> bool:
        """Whitespace ends a clause next to Chinese text only: "kill myself" stays one clause."""
        text = self.text
        return bool((i > 0 and _CJK.match(text[i - 1])) or (i + 1 < len(text) and _CJK.match(text[i + 1])))

    @cached_property
    def resolved(self) -> bool:
        return self.rules.resolved.search(self.text) is not None

    @cached_property
    def in_theory(self) -> bool:
        """Said to be asked in theory, and asking: a question anywhere in it, not only at its end.
        Not once the means are got ("好奇问问…汽油我已经灌了两瓶"): curiosity takes nothing back then."""
        if self.rules.in_theory.search(self.text) is None or self.own_means_ready:
            return False
        return asks_anywhere(self.text)

    @cached_property
    def own_means_ready(self) -> bool:
        """The speaker says they have already got the means (汽油我已经灌了两瓶), not a character's."""
        return any(
            any(w in m.group() for w in _OWN_MEANS) for m in self.rules.means_ready.finditer(self.text)
        )

    def excluded(self, start: int, end: int, kind: _Kind) -> bool:
        """Whether an everyday compound (global or the kind's own `exclude`) overlaps start..end."""
        patterns = (*self.rules.exclude, *kind.exclude) if kind.global_exclude else kind.exclude
        return self.overlaps((*patterns, self.rules.reported), start, end)

    def overlaps(
        self, patterns: Iterable[re.Pattern[str]], start: int, end: int, window: int = EXCLUSION_WINDOW
    ) -> bool:
        """Whether a match of one of ``patterns`` within ``window`` of start..end overlaps it."""
        text = self.text
        low, high = max(0, start - window), min(len(text), end + window)
        for pattern in patterns:
            for m in pattern.finditer(text, low, high):
                if m.start() < end and start < m.end():
                    return True
        return False

    def disavowed(self, clause_start: int, start: int, end: int) -> bool:
        """Whether the hit is taken back just after it: by the speaker ("恨不得掐死他，可我是守法公民")
        when no third person speaks or acts before it ("他扬言要弄死我，我可不会干傻事" stays a threat),
        or as words said in jest or anger by anyone ("他说要剁手，开玩笑的"); not when the disavowal is
        itself taken back (`retracted`: "开玩笑的（也不全是开玩笑）")."""
        text = self.text
        after = text[end : end + DISAVOWAL_WINDOW]
        stop = _SENTENCE_END.search(after)
        if stop is not None:
            after = after[: stop.start()]
        found = self.rules.disavowal.search(after) if after else None
        if found is None or self.retracted(end + found.start(), end + found.end()):
            return False
        if self.rules.just_words.search(after) is not None:
            # "开玩笑的" takes the words back whoever said them, unless the means are already got
            return self.rules.means_ready.search(text) is None
        return self.rules.other_agent.search(text, clause_start, start) is None

    def retracted(self, start: int, end: int) -> bool:
        """The disavowal at start..end taken back around or after it (`context.retraction`)."""
        low, high = max(0, start - RETRACTION_BEFORE), end + DISAVOWAL_WINDOW
        return any(m.end() > start for m in self.rules.retraction.finditer(self.text, low, high))

    def clause(self, start: int, end: int) -> tuple[int, int]:
        i = bisect.bisect_left(self.separators, start)
        clause_start = self.separators[i - 1] + 1 if i else 0
        j = bisect.bisect_left(self.separators, end)
        clause_end = self.separators[j] if j < len(self.separators) else len(self.text)
        return clause_start, clause_end


def _judge(m: re.Match[str], group: _PatternGroup, kind: _Kind, ctx: _Text) -> str | None:
    """The level this hit counts for, or None when it does not count.

    The pivot is the `act` group when the pattern names one ("老公没打过我": the negation sits between
    the subject and the act), else the start of the hit.
    """
    start, end = m.span()
    for act in group.act_groups:
        if m.start(act) >= 0:
            start, end = m.span(act)
            break
    if ctx.excluded(start, end, kind):
        return None
    text = ctx.text
    clause_start, clause_end = ctx.clause(start, end)
    before = text[max(clause_start, start - NEGATION_WINDOW) : start]
    if before and ctx.rules.negation.search(before):
        return None
    level = group.level
    if group.now:
        in_past = _past_right_before(ctx, m, clause_start)
    else:
        in_past = ctx.rules.past.search(text, clause_start, clause_end) is not None
    if not in_past and ctx.resolved and not group.now:
        # a story told as resolved: "三年前…吵起来，他推了我一把，…早好利索了" sets the time once,
        # at the start of its sentence, for every clause after it
        # (unless a nearer time comes between: "以前打过架，现在没事了，可是昨天他又动手了")
        sentence_start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
        told = [m.end() for m in ctx.rules.past.finditer(text, sentence_start, start)]
        in_past = bool(told) and not _RECENT.search(text, told[-1], start)
    if ctx.in_theory or (ctx.resolved and (in_past or "过" in text[start : end + 1])):
        action = kind.past_resolved
    elif in_past:
        action = kind.past
    else:
        action = "keep"
    if action == "keep" and kind.disavowed != "keep" and ctx.disavowed(clause_start, start, end):
        action = kind.disavowed
    if action == NONE:
        return None
    if action == ELEVATED and _RANK[level] > _RANK[ELEVATED]:
        level = ELEVATED
    return level


def _past_right_before(ctx: _Text, m: re.Match[str], clause_start: int) -> bool:
    """Whether a hit told as going on now (``now: true``) is set in the past by a cue inside it or
    ending just before it ("上个月还在医院住着", "前年我妈住在医院"), with no word of the present
    (``context.now``) after the cue ("上个月摔了现在还在医院"). A cue farther back in a run-on clause
    ("上个月右手被压了…还在医院住着") is the time of another event."""
    text = ctx.text
    for cue in ctx.rules.past.finditer(text, clause_start, m.end()):
        if cue.end() >= m.start() - NOW_PAST_GAP and not ctx.rules.now.search(text, cue.end(), m.end()):
            return True
    return False


def _scan_kind(kind: _Kind, ctx: _Text, headcount: int) -> tuple[str, str, str] | None:
    """Best (level, matched text, reason) of one kind, or None."""
    text = ctx.text
    best: tuple[str, str, str] | None = None
    for group in kind.groups:
        if best is not None and _RANK[best[0]] >= _RANK[group.level]:
            break  # groups are sorted by level: nothing better can come
        if group.min_headcount and headcount < group.min_headcount:
            continue
        pos = 0
        while pos <= len(text):
            m = group.regex.search(text, pos)
            if m is None:
                break
            if m.end() == m.start():
                # an empty match shows staff nothing and means nothing (rules.py refuses such
                # patterns; this guards a caller's own rules)
                pos = m.start() + 1
                continue
            level = _judge(m, group, kind, ctx)
            if level is None:
                # A dropped hit may hide a valid one starting inside it: resume right after its start.
                pos = m.start() + 1
                continue
            if best is None or _RANK[level] > _RANK[best[0]]:
                best = (level, m.group(), group.reason_zh)
            if level == group.level:
                break
            pos = max(m.end(), m.start() + 1)
    return best


def _headcount(ctx: _Text, facts: Mapping[str, Any] | None) -> tuple[int, str]:
    """Largest headcount stated in the message or given in facts, and the words that stated it.

    Words inside the group kind's own ``exclude`` (a crowd at a festival or a wedding) are no affected
    group. "me and 6 other teachers" counts the speaker too (a ``me_and`` / ``and_me`` group)."""
    best, words = 0, ""
    group = next((k for k in ctx.rules.kinds if k.name == ctx.rules.group_kind), None)
    not_counted = group.exclude if group is not None else ()
    for m in ctx.rules.headcount.finditer(ctx.text):
        found = m.groupdict()
        numeral = found.get("num") or found.get("num2") or found.get("num_en") or ""
        value = parse_count(numeral)
        if value is not None and (found.get("me_and") or found.get("and_me")):
            value += 1
        if value is not None and value > best and not ctx.overlaps(not_counted, *m.span(), HEADCOUNT_WINDOW):
            best, words = value, m.group()
    if best < ctx.rules.implied_count:
        implied = next(
            (
                m
                for m in ctx.rules.implied_headcount.finditer(ctx.text)
                if not ctx.overlaps(not_counted, *m.span(), HEADCOUNT_WINDOW)
            ),
            None,
        )
        if implied is not None:
            best, words = ctx.rules.implied_count, implied.group()
    if facts:
        given = facts.get("headcount")
        if isinstance(given, int) and not isinstance(given, bool) and given > best:
            best, words = given, f"{given}人"
    return best, words


def screen(
    text: str | None,
    facts: Mapping[str, Any] | None = None,
    rules: RiskRules | None = None,
    model: RiskModel | None | Literal["default"] = "default",
) -> RiskAssessment:
    """Screen one citizen message for risk (see DESIGN.md "Risk levels — contract").

    ``facts`` are the facts known so far (``facts["headcount"]`` from earlier turns makes "明天我们去政府
    门口" a gathering of that many people). The trained model (``bot.risk.model``) gives its opinion
    beside the rules, weighed by ``risk.yml`` ``model:``; ``model=None`` screens with the rules alone
    (and so does a caller's own ``rules``, unless it passes a model). Never raises on odd input: the
    worst case is ``none``.
    """
    if model == "default":
        model = default_model() if rules is None else None
    rules = rules or default_rules()
    facts = facts if isinstance(facts, Mapping) else None
    try:
        normalized = rules.normalizer(text)
    except Exception:  # noqa: BLE001 - screening must never break the conversation
        normalized = ""
    if not normalized and not (facts and facts.get("headcount")):
        return RiskAssessment()
    ctx = _Text(normalized, rules)
    headcount, headcount_words = _headcount(ctx, facts)

    found: dict[str, RiskSignal] = {}
    for kind in rules.kinds:
        hit = _scan_kind(kind, ctx, headcount)
        if hit is not None:
            found[kind.name] = RiskSignal(kind.name, cast(Level, hit[0]), hit[1], hit[2])
    if headcount >= rules.group_min and rules.group_kind not in found:
        group = next((k for k in rules.kinds if k.name == rules.group_kind), None)
        if group is not None:
            found[group.name] = RiskSignal(
                group.name, cast(Level, group.level), headcount_words, group.reason_zh
            )

    order = {kind.name: i for i, kind in enumerate(rules.kinds)}
    signals = tuple(sorted(found.values(), key=lambda s: (-_RANK[s.level], order.get(s.kind, 99))))
    level: Level = signals[0].level if signals else NONE
    weighing = rules.model
    # Latin letters not counted: the model was fitted on Chinese stories and knows nothing of English.
    if (
        model is not None
        and weighing is not None
        and not ctx.in_theory
        and _judged_by_model(normalized, weighing)
    ):
        level, signals = _weigh(level, signals, normalized, model, rules)
    return RiskAssessment(
        level=level,
        signals=signals,
        emergency_numbers=_numbers(signals, rules, normalized, facts),
        headcount=headcount or None,
    )


def _judged_by_model(normalized: str, weighing: ModelWeighing) -> bool:
    """A story long enough for the model (Latin letters not counted, a clause said again counted once:
    "打电话没人接" sent five times tells no more than once), and no short question."""
    length = _story_length(normalized)
    if length < weighing.min_chars:
        return False
    if length >= weighing.question_min_chars:
        return True
    # a short message that asks, or whose last sentence asks, is a consultation ("…会发短信告诉我不？
    # 还是得我自个儿打电话问"); one that tells something after its question is a story
    return not is_question(normalized) and not last_question(normalized)


def _story_length(normalized: str) -> int:
    """Characters of the message without Latin letters, each repeated clause counted once. A message
    mostly in Latin letters (pinyin, English) counts only its Chinese characters: the model, fitted on
    Chinese, cannot read it ("paizhao 晋a 7 3 2 x x, si ji zou le"); one that mixes in English words
    ("my ex 一直在我楼下等…tonight i won't let you live") is read as before."""
    cjk, latin = len(_CJK.findall(normalized)), len(_LATIN.findall(normalized))
    if cjk * MOSTLY_LATIN < latin:
        return cjk
    text = _LATIN.sub("", normalized)
    seen: set[str] = set()
    repeated = 0
    for clause in _CLAUSE_SEPARATORS.split(text):
        if clause in seen:
            repeated += len(clause)
        elif clause:
            seen.add(clause)
    return len(text) - repeated


def _weigh(
    level: Level, signals: tuple[RiskSignal, ...], text: str, model: RiskModel, rules: RiskRules
) -> tuple[Level, tuple[RiskSignal, ...]]:
    """The rules' finding with the trained model's opinion of a story added (``risk.yml`` ``model:``):
    urgent when the rules saw less and the model is confident. It never lowers what the rules found:
    tried both ways, a veto also silenced "老公又动手了" told beside a wage claim."""
    weighing = rules.model
    assert weighing is not None
    if level == URGENT or model.probabilities(text[:MODEL_CHARS]).get(URGENT, 0.0) < weighing.urgent_add:
        return level, signals
    kind = next(k for k in rules.kinds if k.name == weighing.kind)
    # staff see the words that weighed most, never an empty match
    words = model.evidence(text[:MODEL_CHARS], URGENT) or text[:EVIDENCE_CHARS]
    return URGENT, (RiskSignal(kind.name, URGENT, words, kind.reason_zh), *signals)


def _numbers(
    signals: Iterable[RiskSignal], rules: RiskRules, text: str, facts: Mapping[str, Any] | None
) -> tuple[EmergencyNumber, ...]:
    """Hotlines of the signals' kinds, most serious signal first, each number once."""
    kinds = {kind.name: kind for kind in rules.kinds}
    chosen: dict[str, EmergencyNumber] = {}
    category = facts.get("category") if facts else None
    category = category if isinstance(category, str) else None
    for signal in signals:
        kind = kinds.get(signal.kind)
        for rule in kind.numbers if kind else ():
            if rule.number in chosen or not rule.applies(signal.level, text, category):
                continue
            spec = rules.numbers[rule.number]
            chosen[rule.number] = EmergencyNumber(rule.number, str(spec.get("label", "")))
    return tuple(chosen.values())


@lru_cache(maxsize=1)
def default_model() -> RiskModel | None:
    """The trained opinion as ``make train`` left it in ``models/``: read once per process, never
    fitted here (a fit takes most of a minute; no citizen's message waits for it). None, logged,
    when there is no model on disk: the rules screen alone."""
    path = current_or_newest_file()
    log = logging.getLogger(__name__)
    if path is None:
        log.warning("risk model: none in models/ (run make train); the rules screen alone")
        return None
    if path != model_file(fingerprint()):
        log.warning("risk model %s is not fitted on the current corpus (run make train)", path.name)
    return RiskModel.from_json(path.read_text(encoding="utf-8"))


def build_default_model() -> Path:
    """Fit (when its inputs changed) with the packaged rules' normaliser, the rules alone choosing
    which ordinary examples are plain. For ``make train`` and the test session, not for messages."""
    return build(default_rules().normalizer, rules_level)


def rules_level(text: str) -> str:
    """The level the rules alone give ``text`` (the trained opinion left out)."""
    return screen(text, model=None).level
