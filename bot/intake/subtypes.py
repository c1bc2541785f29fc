"""Sub-types of each category (bot/intake/subtypes.yml): recognised from the citizen's words, each
with its own questions. One mechanism for every category; the data says the rest."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.risk import RiskAssessment, screen
from bot.textnorm import normalize_text

SUBTYPES_FILE = Path(__file__).with_name("subtypes.yml")
SUB_TYPE_SLOT = "sub_type"
OTHER = "other"


@dataclass(frozen=True)
class SubType:
    code: str
    name: str
    keywords: tuple[str, ...]
    required: tuple[str, ...] | None = None
    optional: tuple[str, ...] | None = None
    weight: int = 1


@lru_cache(maxsize=1)
def _raw() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(SUBTYPES_FILE.read_text(encoding="utf-8"))
    return data


@lru_cache(maxsize=1)
def subtypes() -> dict[str, dict[str, SubType]]:
    """Category code → sub-type code → SubType, in the file's order."""
    out: dict[str, dict[str, SubType]] = {}
    for category_code, entries in _raw()["categories"].items():
        out[category_code] = {}
        for code, fields in entries.items():
            required = fields.get("required")
            optional = fields.get("optional")
            out[category_code][code] = SubType(
                code=code,
                name=str(fields["name"]),
                keywords=tuple(str(k) for k in fields.get("keywords", ())),
                required=tuple(required) if required is not None else None,
                optional=tuple(optional) if optional is not None else None,
                weight=int(fields.get("weight", 1)),
            )
    return out


def of(category_code: str | None) -> dict[str, SubType]:
    return subtypes().get(category_code or "", {})


def get(category_code: str | None, code: str | None) -> SubType | None:
    return of(category_code).get(code or "")


def needs_question(category_code: str | None) -> bool:
    """Only a category with more than one sub-type has anything to ask."""
    return len(of(category_code)) > 1


def detect(category_code: str | None, text: str) -> str | None:
    """The sub-type whose keywords the text uses most; None when none is used or two tie (then the
    intake asks)."""
    options = of(category_code)
    if len(options) == 1:
        return next(iter(options))
    said = normalize_text(text or "")
    matched = {k for sub in options.values() for k in sub.keywords if k in said}
    scores = sorted(
        (
            (keyword_hits(_without_longer(said, sub.keywords, matched), sub.keywords) * sub.weight, code)
            for code, sub in options.items()
        ),
        reverse=True,
    )
    if not scores or scores[0][0] == 0:
        return None
    if len(scores) > 1 and scores[1][0] == scores[0][0]:
        return None  # the words point two ways (离婚 and 抚养费): the citizen picks, one button
    return scores[0][1]


def named_category(text: str) -> str | None:
    """The one category whose sub-types' words the text uses most ("楼上噪音问题可以找你们吗" →
    neighbor): the case type a question names. None when none is named or two tie."""
    said = normalize_text(text or "")
    scores = sorted(
        (
            (sum(keyword_hits(said, sub.keywords) * sub.weight for sub in options.values()), code)
            for code, options in subtypes().items()
        ),
        reverse=True,
    )
    if not scores or scores[0][0] == 0 or (len(scores) > 1 and scores[1][0] == scores[0][0]):
        return None
    return scores[0][1]


def _without_longer(said: str, keywords: tuple[str, ...], matched: set[str]) -> str:
    """The text without another sub-type's longer words that contain one of these keywords: 没人受伤
    (damage only) is not a 受伤 (injury), 车被撞 is not 被撞."""
    for longer in matched:
        if longer not in keywords and any(k != longer and k in longer for k in keywords):
            said = said.replace(longer, "·")
    return said


def keyword_hits(said: str, keywords: tuple[str, ...]) -> int:
    """Keyword occurrences, a word inside a longer matched one not counted again (物业费 is one hit,
    not two with 物业)."""
    found = [k for k in keywords if k in said]
    return sum(said.count(k) for k in found if not any(k != other and k in other for other in found))


def read_choice(category_code: str | None, text: str) -> str:
    """The answer to "具体是哪方面的问题？": a button's name, or words that show one; else 其他."""
    said = normalize_text(text or "").strip()
    for code, sub in of(category_code).items():
        if sub.name in said or said in sub.name and said:
            return code
    return detect(category_code, said) or OTHER


def outside(category_code: str | None, text: str) -> bool:
    """The story speaks of a matter outside the categories (``outside_words``) and of none of this
    category's anchors (``anchor_words``: the parties or things that make the category certain): the
    category the classifier chose is better asked than assumed. Sub-type words are no anchor: a gym
    closed "for 装修" is no renovation case, a child hurt at school no traffic injury."""
    said = normalize_text(text or "")
    if not category_code or not any(word in said for word in _raw().get("outside_words", ())):
        return False
    anchors = (_raw().get("anchor_words") or {}).get(category_code, ())
    return not any(word in said for word in anchors)


@lru_cache(maxsize=64)
def money_in_story(text: str) -> bool:
    """Whether the story speaks of money. Cached: the questions are worked out several times a turn
    from the same description, and normalising it (traditional → simplified) is the costly part."""
    said = normalize_text(text or "")
    return any(word in said for word in _raw().get("money_words", ()))


# "没算钱", "不图钱", "不是为了钱": money named only to say it is not the point (no figure said).
_NOT_FOR_MONEY = re.compile(r"(?:没|不|无|冇|唔|不是)(?:算|涉及|要|图|为|为了|谈|关|求|讲|在乎)钱")
# Money said not to matter: 钱不钱的我无所谓, 赔不赔钱都行, 钱唔紧要, 不在乎那点钱 (not 钱多钱少无所谓，但至少…两千:
# a figure said keeps the sum).
_MONEY_WAIVED = re.compile(
    r"钱不钱"
    r"|(?P<v>赔|给|要|退|还|出)不(?P=v)钱?的?(?:我|俺)?(?:都|也)(?:行|成|可以|无所谓|冇所谓|没关系|随便|不要紧|不在乎)"
    r"|(?:钱|赔偿|补偿|赔钱)(?:的事|方面|上)?(?:我|俺|佢)?(?:都|也)?"
    r"(?:无所谓|冇所谓|不在乎|不重要|不要紧|唔紧要|不计较|随便|都行|都可以)"
    r"|不(?:图|为|在乎|稀罕)(?:那点|这点|他的|他那点)?钱"
)
_FIGURE = re.compile(r"[\d一二两三四五六七八九十百千万]")


def no_money(text: str) -> bool:
    """The answer to the amount question says no money is at stake."""
    said = normalize_text(text or "")
    if any(word in said for word in _raw().get("no_money_words", ())):
        return True
    return bool(_NOT_FOR_MONEY.search(said) or _MONEY_WAIVED.search(said)) and not _FIGURE.search(said)


def label(category_code: str | None, code: str | None) -> str:
    """ "（拖欠工资）" after the category's name when the category has several sub-types; else ""."""
    sub = get(category_code, code)
    return f"（{sub.name}）" if sub and needs_question(category_code) else ""


def question(category_code: str | None) -> tuple[str, list[dict[str, str]]]:
    """ "具体是哪方面的问题？" with one button per sub-type and 其他; a button sends its name."""
    buttons = [{"title": sub.name, "payload": sub.name} for sub in of(category_code).values()]
    buttons.append({"title": "其他", "payload": "其他"})
    return "具体是哪方面的问题？点一下最接近的，或者直接说。", buttons


def from_risk(kinds: list[str] | tuple[str, ...], category_code: str | None = None) -> tuple[str, str] | None:
    """(category, sub-type) implied by a danger's kinds, e.g. domestic violence → family; within a
    known category also ``from_risk_in_category`` (violence told in a family case is domestic violence,
    whatever else it names: 要是敢去离婚就拿刀…)."""
    within = ((_raw().get("from_risk_in_category") or {}).get(category_code) or {}) if category_code else {}
    for kind in kinds:
        if kind in within:
            return str(category_code), str(within[kind])
        target = (_raw().get("from_risk") or {}).get(kind)
        if target:
            found, _, sub = str(target).partition("/")
            return found, sub
    return None


def of_story(code: str, story: str, assessment: RiskAssessment | None = None) -> str | None:
    """The sub-type of a story: violence told in a family story is domestic violence, whatever else it
    names (要是敢去离婚就拿刀…); else the one its words show (``detect``)."""
    implied = from_risk((assessment or screen(story or "")).kinds, code)
    if implied is not None and implied[0] == code:
        return implied[1]
    return detect(code, story)
