"""The rules of ``risk.yml`` and the lexicon files compiled for screening: levels, pattern groups per
kind with their level, reason and headcount condition, macros and emergency-number rules. Loaded once;
the engine (``bot.risk.engine``) judges each hit.

``risk.yml`` holds the kinds, headcount, hotlines and texts; the lexicon, ``risk_lexicon.yml`` and every
``risk_lexicon_*.yml`` beside it, the normalisation table, macros, context cues, global exclusions and
each kind's everyday compounds (``kind_exclude``). The lexicon files are merged key by key (a macro or a
replacement defined in two of them is an error; ``exclude`` lists are joined); a top-level key defined
both in ``risk.yml`` and in the lexicon is an error. A macro may be written as a YAML list of
alternatives, one per line."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Final, Literal

import yaml

from bot.risk.fastscan import can_match_empty, with_start_lookahead
from bot.risk.normalize import Normalizer

RULES_FILE = Path(__file__).with_name("risk.yml")
LEXICON_FILE = Path(__file__).with_name("risk_lexicon.yml")

URGENT: Final = "urgent"
ELEVATED: Final = "elevated"
NONE: Final = "none"
LEVELS = (URGENT, ELEVATED, NONE)
Level = Literal["urgent", "elevated", "none"]
# What happens to a hit told as past (``past``) or as past and resolved (``past_resolved``).
_PAST_ACTIONS = ("keep", ELEVATED, NONE)
_RANK = {NONE: 0, ELEVATED: 1, URGENT: 2}

# The lexicon: one file (its ``<stem>_*.yml`` siblings loaded too), exactly the files listed, or none.
Lexicon = str | Path | Sequence[str | Path] | None

_MACRO = re.compile(r"\{\{(\w+)\}\}")
_ACT_GROUP = "(?P<act>"


# ---------------------------------------------------------------------------------------------------
# Compiled rules


@dataclass(frozen=True)
class _PatternGroup:
    """Patterns of one kind sharing level, reason and headcount condition, joined into one regex."""

    regex: re.Pattern[str]
    level: str
    reason_zh: str
    min_headcount: int
    act_groups: tuple[str, ...]
    # The pattern tells by its own words that it goes on now (还在…住着, 正在输液): a past cue elsewhere in
    # a long clause tells another event; only one inside the hit or right before it makes it past.
    now: bool = False


@dataclass(frozen=True)
class _NumberRule:
    number: str
    only: str | None
    when: re.Pattern[str] | None
    unless: re.Pattern[str] | None
    # facts["category"] values that count as `when` matching / `unless` matching.
    when_category: frozenset[str]
    unless_category: frozenset[str]

    def applies(self, level: str, text: str, category: str | None) -> bool:
        if self.only and self.only != level:
            return False
        if self.when is not None and not (self.when.search(text) or category in self.when_category):
            return False
        return not (
            self.unless is not None and (self.unless.search(text) or category in self.unless_category)
        )


@dataclass(frozen=True)
class _Kind:
    name: str
    level: str
    reason_zh: str
    past: str
    past_resolved: str
    groups: tuple[_PatternGroup, ...]
    exclude: tuple[re.Pattern[str], ...]
    numbers: tuple[_NumberRule, ...]
    global_exclude: bool = True
    # What happens to a hit the speaker disavows right after it ("…，可我是守法公民").
    disavowed: str = "keep"


@dataclass(frozen=True)
class ModelWeighing:
    """When the trained model's opinion adds to the rules (``risk.yml`` ``model:``)."""

    # The model judges messages at least this long, Latin letters not counted: stories, where rules miss
    # danger told in passing. Short statements are the rules' alone: on them the model's n-grams
    # mistake everyday words (刀, 农药, 楼顶) for danger.
    min_chars: int
    # The rules found less than urgent and P(urgent) is at least this: urgent, as a signal of ``kind``.
    urgent_add: float
    kind: str
    # A question shorter than this ("你们管不管村头修路分摊钱这种事情嘛") is a consultation: the rules alone.
    question_min_chars: int = 0


@dataclass(frozen=True)
class RiskRules:
    """``risk.yml`` and ``risk_lexicon.yml`` compiled once: regexes, numbers and texts."""

    kinds: tuple[_Kind, ...]
    normalizer: Normalizer
    exclude: tuple[re.Pattern[str], ...]
    negation: re.Pattern[str]
    past: re.Pattern[str]
    resolved: re.Pattern[str]
    headcount: re.Pattern[str]
    implied_headcount: re.Pattern[str]
    implied_count: int
    group_kind: str
    group_min: int
    numbers: Mapping[str, Mapping[str, str]]
    messages: Mapping[str, Any] = field(default_factory=dict)
    # Someone else's story (news, a film, hearsay): hits inside it are dropped for every kind.
    reported: re.Pattern[str] = re.compile(r"(?!)")
    # The speaker taking back what they just said, and a third person as the one speaking or acting.
    disavowal: re.Pattern[str] = re.compile(r"(?!)")
    other_agent: re.Pattern[str] = re.compile(r"(?!)")
    # A disavowal taken back in turn (开玩笑的（也不全是开玩笑）, 说着玩的，不过真急了我啥都干得出来).
    retraction: re.Pattern[str] = re.compile(r"(?!)")
    # A question the speaker says is asked in theory (好奇问问, 我是说假如, 写网文): no event in it.
    in_theory: re.Pattern[str] = re.compile(r"(?!)")
    just_words: re.Pattern[str] = re.compile(r"(?!)")
    # The means of harm already got (硫酸我都买咗啦, 刀买好了): no joke takes such a threat back.
    means_ready: re.Pattern[str] = re.compile(r"(?!)")
    # Words that tell the present (现在, 目前, 至今): after a past cue they set a nearer time.
    now: re.Pattern[str] = re.compile(r"(?!)")
    model: ModelWeighing | None = None

    @classmethod
    def load(cls, path: str | Path = RULES_FILE, lexicon: Lexicon = LEXICON_FILE) -> RiskRules:
        """Compile ``path`` merged with ``lexicon``: one file with the ``<stem>_*.yml`` files beside it,
        or exactly the files listed (None: ``path`` holds everything)."""
        rules_name = Path(path).name
        files = lexicon_files(lexicon)
        lexicon_name = ", ".join(f.name for f in files) if files else rules_name
        return cls.from_dict(load_raw(path, lexicon), rules_name, lexicon_name)

    @classmethod
    def from_dict(
        cls,
        raw: Mapping[str, Any],
        rules_name: str = RULES_FILE.name,
        lexicon_name: str = LEXICON_FILE.name,
    ) -> RiskRules:
        """Compile the merged rules; an error names the file of the entry (``rules_name`` for kinds and
        headcount, ``lexicon_name`` for context cues and global exclusions)."""
        macros = {str(k): _alternatives(v) for k, v in (raw.get("macros") or {}).items()}

        def expand(source: str) -> str:
            # Macros may use macros; three rounds are plenty and stop accidental recursion.
            for _ in range(3):
                # Wrapped, so a macro with alternatives never splits the pattern around it.
                source = _MACRO.sub(lambda m: f"(?:{_macro(macros, m.group(1))})", source)
            return source

        def compile_(source: str, where: str = rules_name) -> re.Pattern[str]:
            # No IGNORECASE: the text is lower-cased before matching, and case-sensitive patterns let
            # the start-character lookahead work.
            try:
                return re.compile(with_start_lookahead(_name_acts(expand(source), [])))
            except re.error as exc:
                raise ValueError(f"{where}: bad regex {source!r}: {exc}") from None
            except UnknownMacro as exc:
                raise ValueError(f"{where}: {exc}") from None

        def lexicon_(source: str) -> re.Pattern[str]:
            return compile_(source, lexicon_name)

        def counted(source: str | None) -> re.Pattern[str]:
            """A headcount pattern: its words are shown to staff, so it may never match nothing."""
            if not source:
                return re.compile(r"(?!)")
            pattern = compile_(source)
            if can_match_empty(pattern.pattern):
                raise ValueError(f"{rules_name}: headcount pattern {source!r} can match an empty string")
            return pattern

        numbers = {str(k): dict(v) for k, v in (raw.get("emergency_numbers") or {}).items()}
        # A kind's everyday compounds kept in the lexicon; entries for kinds not defined are ignored (a
        # caller's own rules may define other kinds).
        kind_exclude = raw.get("kind_exclude") or {}
        kinds = []
        for name, spec in (raw.get("kinds") or {}).items():
            kind = _compile_kind(str(name), spec, compile_, expand, numbers, f"{rules_name}: kind {name}")
            extra = tuple(lexicon_(p) for p in kind_exclude.get(name) or ())
            kinds.append(replace(kind, exclude=(*kind.exclude, *extra)) if extra else kind)
        context = raw.get("context") or {}
        headcount = raw.get("headcount") or {}
        return cls(
            kinds=tuple(kinds),
            normalizer=Normalizer(raw.get("replace") or {}),
            exclude=tuple(lexicon_(p) for p in raw.get("exclude") or ()),
            negation=lexicon_(context.get("negation", r"(?!)")),
            past=lexicon_(context.get("past", r"(?!)")),
            resolved=lexicon_(context.get("resolved", r"(?!)")),
            headcount=counted(headcount.get("pattern")),
            implied_headcount=counted((headcount.get("implied") or {}).get("pattern")),
            implied_count=int((headcount.get("implied") or {}).get("count", 0)),
            group_kind=str(headcount.get("kind", "group")),
            group_min=int(headcount.get("group_min", 5)),
            numbers=numbers,
            messages=raw.get("messages") or {},
            reported=lexicon_(context.get("reported", r"(?!)")),
            disavowal=lexicon_(context.get("disavowal", r"(?!)")),
            other_agent=lexicon_(context.get("other_agent", r"(?!)")),
            retraction=lexicon_(context.get("retraction", r"(?!)")),
            in_theory=lexicon_(context.get("in_theory", r"(?!)")),
            just_words=lexicon_(context.get("just_words", r"(?!)")),
            means_ready=lexicon_(context.get("means_ready", r"(?!)")),
            now=lexicon_(context.get("now", r"(?!)")),
            model=_weighing(raw.get("model"), {k.name for k in kinds}, rules_name),
        )


def _weighing(spec: Mapping[str, Any] | None, kinds: set[str], where: str) -> ModelWeighing | None:
    if not spec:
        return None
    kind = str(spec.get("kind", ""))
    if kind not in kinds:
        raise ValueError(f"{where}: model.kind {kind!r} is not a kind")
    return ModelWeighing(
        min_chars=int(spec["min_chars"]),
        urgent_add=float(spec["urgent_add"]),
        kind=kind,
        question_min_chars=int(spec.get("question_min_chars", 0)),
    )


def lexicon_files(lexicon: Lexicon = LEXICON_FILE) -> tuple[Path, ...]:
    """The lexicon's files: one file and the ``<stem>_*.yml`` files beside it in name order
    (``risk_lexicon.yml``, ``risk_lexicon_en.yml`` …), or exactly the files listed."""
    if lexicon is None:
        return ()
    if isinstance(lexicon, (str, Path)):
        main = Path(lexicon)
        return (main, *sorted(main.parent.glob(f"{main.stem}_*.yml")))
    return tuple(Path(p) for p in lexicon)


def load_raw(path: str | Path = RULES_FILE, lexicon: Lexicon = LEXICON_FILE) -> dict[str, Any]:
    """The rules file merged with the lexicon files, as plain YAML data (``version`` may be in all)."""
    raw: dict[str, Any] = dict(yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {})
    extra, origin = _merged_lexicon(lexicon_files(lexicon))
    for key, value in extra.items():
        if key in raw and key != "version":
            raise ValueError(f"risk rules: {key!r} is defined in both {Path(path).name} and {origin[key]}")
        raw.setdefault(key, value)
    return raw


def _merged_lexicon(files: Sequence[Path]) -> tuple[dict[str, Any], dict[str, str]]:
    """The lexicon files as one mapping, and the file each top-level key came from first. Mappings
    (macros, replace, context, kind_exclude) are merged, an entry defined twice an error; lists
    (exclude) are joined; any other key but ``version`` may be in one file only."""
    merged: dict[str, Any] = {}
    origin: dict[str, str] = {}
    entry_origin: dict[tuple[str, str], str] = {}
    for file in files:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        for key, value in data.items():
            if key == "version":
                merged.setdefault(key, value)
                continue
            if key not in merged:
                merged[key], origin[key] = _copied(value), file.name
            elif isinstance(value, list) and isinstance(merged[key], list):
                merged[key].extend(value)
                continue
            elif not (isinstance(value, dict) and isinstance(merged[key], dict)):
                raise ValueError(f"risk rules: {key!r} is defined in both {origin[key]} and {file.name}")
            for entry, item in value.items() if isinstance(value, dict) else ():
                if (key, str(entry)) in entry_origin:
                    first = entry_origin[(key, str(entry))]
                    raise ValueError(f"risk rules: {key}.{entry} is defined in both {first} and {file.name}")
                merged[key][entry] = item
                entry_origin[(key, str(entry))] = file.name
    return merged, origin


def _copied(value: Any) -> Any:
    """A fresh dict or list (merging must not change the parsed YAML), other values as they are."""
    if isinstance(value, dict):
        return dict(value)
    return list(value) if isinstance(value, list) else value


def _alternatives(value: Any) -> str:
    """A macro's regex: a string, or a list of alternatives (one per line in YAML) joined by ``|``."""
    if isinstance(value, list):
        return "|".join(str(item) for item in value)
    return str(value)


class UnknownMacro(ValueError):
    """A pattern uses a macro the lexicon does not define."""


def _macro(macros: Mapping[str, str], name: str) -> str:
    try:
        return macros[name]
    except KeyError:
        raise UnknownMacro(f"unknown macro {{{{{name}}}}}") from None


def _name_acts(source: str, acts: list[str]) -> str:
    """Each `(?P<act>` of ``source`` named on from ``acts`` (act0, act1 …), the names added to ``acts``."""
    while _ACT_GROUP in source:
        act = f"act{len(acts)}"
        acts.append(act)
        source = source.replace(_ACT_GROUP, f"(?P<{act}>", 1)
    return source


def _compile_kind(
    name: str,
    spec: Mapping[str, Any],
    compile_: Callable[[str], re.Pattern[str]],
    expand: Callable[[str], str],
    numbers: Mapping[str, Any],
    where: str,
) -> _Kind:
    """One kind compiled; ``where`` (file and kind) starts its error messages."""
    level = spec.get("level", URGENT)
    reason = spec.get("reason_zh", "")
    if level not in LEVELS:
        raise ValueError(f"{where}: unknown level {level!r}")
    for key in ("past", "past_resolved", "disavowed"):
        if spec.get(key, "keep") not in _PAST_ACTIONS:
            raise ValueError(f"{where}: {key} must be one of {_PAST_ACTIONS}")
    # Group patterns by (level, reason, min_headcount, now) so each kind costs one or two regex scans.
    buckets: dict[tuple[str, str, int, bool], list[str]] = {}
    for item in spec.get("patterns") or ():
        if isinstance(item, str):
            item = {"pattern": item}
        bucket = (
            item.get("level", level),
            item.get("reason_zh", reason),
            int(item.get("min_headcount", 0)),
            bool(item.get("now", False)),
        )
        if bucket[0] not in LEVELS:
            raise ValueError(f"{where}: unknown level {bucket[0]!r}")
        # alone first, so an error names the pattern, not the whole group
        if can_match_empty(compile_(item["pattern"]).pattern):
            # an empty match would flag a message with no words to show staff
            raise ValueError(f"{where}: pattern {item['pattern']!r} can match an empty string")
        buckets.setdefault(bucket, []).append(expand(item["pattern"]))
    groups = []
    for (p_level, p_reason, min_headcount, now), sources in buckets.items():
        acts: list[str] = []
        parts = []
        for source in sources:
            parts.append(f"(?:{_name_acts(source, acts)})")
        groups.append(
            _PatternGroup(
                regex=compile_("|".join(parts)),
                level=p_level,
                reason_zh=p_reason,
                min_headcount=min_headcount,
                act_groups=tuple(acts),
                now=now,
            )
        )
    # Urgent groups first: once a kind has an urgent hit the rest need not run.
    groups.sort(key=lambda g: -_RANK[g.level])
    rules = []
    for item in spec.get("numbers") or ():
        if isinstance(item, str):
            item = {"number": item}
        number = str(item["number"])
        if number not in numbers:
            raise ValueError(f"{where}: number {number} missing from emergency_numbers")
        rules.append(
            _NumberRule(
                number=number,
                only=item.get("only"),
                when=compile_(item["when"]) if item.get("when") else None,
                unless=compile_(item["unless"]) if item.get("unless") else None,
                when_category=frozenset(item.get("when_category") or ()),
                unless_category=frozenset(item.get("unless_category") or ()),
            )
        )
    return _Kind(
        name=name,
        level=level,
        reason_zh=reason,
        past=spec.get("past", "keep"),
        past_resolved=spec.get("past_resolved", "keep"),
        groups=tuple(groups),
        exclude=tuple(compile_(p) for p in spec.get("exclude") or ()),
        numbers=tuple(rules),
        global_exclude=bool(spec.get("global_exclude", True)),
        disavowed=spec.get("disavowed", "keep"),
    )


@lru_cache(maxsize=1)
def default_rules() -> RiskRules:
    """The packaged rules, compiled once per process."""
    return RiskRules.load(RULES_FILE, LEXICON_FILE)
