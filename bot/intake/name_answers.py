"""Which name an answer means: the whole answer, a clause that is a name, or a recognised one."""

from __future__ import annotations

import functools
import re
from typing import Any

from bot.facts.contact import spelling_spans, without_spellings
from bot.facts.lexicon import alternation, lexicon, surname_sets
from bot.facts.names import intro_patterns, paper_intro, someone_else_before
from bot.facts.rules import corrected_name
from bot.intake.answer_basics import CORRECTION, SAID_AGAIN, Answer
from bot.intake.schema import FactSpec


def _real_name_words() -> str:
    """Words saying the name after them is the real one (group ``official``): 大名叫/全名/学名/正式名字叫,
    身份证上叫/户口本上是… (bot/facts' lexicon)."""
    lex = lexicon()
    return rf"(?P<official>(?:我|俺|本人)?的?(?:{alternation(lex.get('official_name_intros', []))}|{paper_intro(lex)}))"


def _name_tail() -> str:
    """A name (group ``name``) ending the text, a closing particle left off (…戴家聪嘞). A name never holds
    我/你/他 (我老公叫李强, 叫我王姐就行 are no name); Minnan 阮姓… is a surname said."""
    me = alternation(lexicon().get("clause_self_words", [])) or r"(?!)"
    return (
        rf"\s*(?!(?:{me})姓)(?P<name>(?:(?![我俺咱你您他她])[\u4e00-\u9fa5·]){{2,6}}?)"
        r"[嘞咧哈啊呀哦噢啦咯嘛呢吧哒噻撒喽哟]?$"
    )


@functools.lru_cache(maxsize=1)
def _name_said() -> re.Pattern[str]:
    """A whole answer that is a name, after 我叫/名字是… or Minnan 阮叫/阮是 (阮 = 我; 阮文杰 stays a name),
    or after words saying it is the real one (阿聪 aside: 身份证上叫戴家聪, 大名叫…)."""
    me = alternation(lexicon().get("clause_self_words", [])) or r"(?!)"
    return re.compile(
        rf"^(?:{_real_name_words()}|我叫|我是|本人|叫|名字(?:是|叫)?|姓名(?:是|叫)?|(?:{me})(?:叫|是))?{_name_tail()}"
    )


@functools.lru_cache(maxsize=1)
def _official_name_said() -> re.Pattern[str]:
    """The real name ending a clause, after its words inside the clause (阿聪身份证上叫戴家聪)."""
    return re.compile(_real_name_words() + _name_tail())


@functools.lru_cache(maxsize=1)
def _other_person() -> tuple[dict[str, re.Pattern[str]], re.Pattern[str]]:
    """bot/facts' own-name patterns (the citizen's nicknames) and its words for another person."""
    lex = lexicon()
    me = alternation(lex.get("clause_self_words", [])) or r"(?!)"
    return intro_patterns(lex, me), re.compile(alternation(lex.get("other_person_words", [])) or r"(?!)")


# a number or a Latin alias said with a name ends it as a comma would (汤佳琪 Jessica)
_ENDS_A_NAME = re.compile(r"[\d+\-]{5,}|[A-Za-z]{2,}")
_CLAUSE_TEXT = re.compile(r"[^，,。.；;、！!？?\s…]+")


_WORD_SPACE = re.compile(r"(?<=[\u4e00-\u9fff]{2}) +(?=[\u4e00-\u9fff]{2})")


def _clause_names(text: str) -> list[tuple[int, str, bool]]:
    """(offset, name, official) of each clause that is a name: "闫博文，电话158…", "电话先给你130…，名字
    佟立伟"; a number or a Latin alias said with it ends the name as a comma would ("汤佳琪 Jessica"); "是
    杨再星" after a correction is the name. ``official`` when said as the real name (阿聪，身份证上叫戴家聪 /
    小名叫二蛋，大名叫…), unless another person is spoken of before it (我儿子…，身份证上叫李强: no name)."""
    text = _WORD_SPACE.sub(lambda m: "，" * len(m.group()), text)  # "曹丽娟 我是她女儿": two clauses
    kept = [i for i, ch in enumerate(text) if ch != " "]  # "王 建国": typed apart, one name
    joined = _ENDS_A_NAME.sub(lambda m: "，" * len(m.group()), "".join(text[i] for i in kept))
    names: list[tuple[int, str, bool]] = []
    for clause in _CLAUSE_TEXT.finditer(joined):
        m = _name_said().match(SAID_AGAIN.sub("", clause.group()))
        at = clause.start()
        if m is None:  # 阿聪身份证上叫戴家聪 / 小名阿聪大名戴家聪: typed with no comma
            m = _official_name_said().search(clause.group())
            at += m.start() if m else 0
        if not m or not _looks_like_name(m.group("name")):
            continue
        official = m.group("official") is not None
        if official and someone_else_before(joined, at, *_other_person()):
            continue
        names.append((kept[clause.start()], m.group("name"), official))
    return names


def _entity_names(found: list[dict[str, Any]], spelled: list[tuple[int, int]]) -> list[tuple[int, str, bool]]:
    """(offset, name, surname only) of the name entities, each cut where a spelled-out character starts
    (我叫罗兰兰花的兰: 罗兰)."""
    names: list[tuple[int, str, bool]] = []
    for entity in found:
        value, start = str(entity.get("value") or ""), entity.get("start")
        if not isinstance(start, int):
            start = -1
        for a, _ in spelled:
            if start < a < start + len(value):
                value = value[: a - start]
        if value:
            names.append((start, value, bool((entity.get("extra") or {}).get("surname_only"))))
    return names


_LATIN_GLOSS = re.compile(r"[（(]\s*[A-Za-z][A-Za-z .'-]*[)）]")


def read_name(spec: FactSpec, text: str, intent: str | None, found: list[dict[str, Any]]) -> Answer:
    """The name meant: never a spelled-out character (兰花的兰, 木子李); after a correction the last name
    said (郭秀莲，不对，是郭秀兰), else the first; a full name over a bare surname (我姓郑…郑卫东)."""
    spelled = spelling_spans(text)
    plain = without_spellings(text)
    cues = [m.end() for m in CORRECTION.finditer(plain)]
    # "陈 浩（Chen Hao）": the name with its spelling in Latin letters after it
    bare = _LATIN_GLOSS.sub("", plain).replace(" ", "").strip("，,。.！!~～ ")
    whole = _name_said().match(bare)
    if whole and not found:
        return Answer(whole.group("name"))
    said = _entity_names(found, spelled)
    full = [(start, name) for start, name, surname_only in said if not surname_only]
    named = _clause_names(plain)
    clauses = [(start, name) for start, name, _ in named]
    surnames = [name for _, name, surname_only in said if surname_only]
    if not full and surnames:  # 我姓郑，关耳郑，郑卫东: a full name with the surname said
        clauses = [(start, name) for start, name in clauses if name.startswith(surnames[0])]
    official = [(start, name) for start, name, real in named if real]
    if official and not cues and not any(_official(e) for e in found):
        return Answer(_taken_back(plain, *official[0]))  # 我叫王小二，身份证上叫戴家聪: the real name
    if cues and (full or clauses):  # the first name after the last cue, else the last name said
        after = [c for c in full if c[0] >= cues[-1]] or [c for c in clauses if c[0] >= cues[-1]]
        return Answer(_taken_back(plain, *(after[0] if after else max([*full, *clauses]))))
    if full or clauses:
        return Answer(_taken_back(plain, *(full or clauses)[0]))
    if surnames:
        return Answer(surnames[0])
    return Answer(None, hint="name")


def _official(entity: dict[str, Any]) -> bool:
    """A name bot/facts read as the real one (中文名…, 身份证上是…)."""
    return bool((entity.get("extra") or {}).get("official"))


def _taken_back(plain: str, offset: int, name: str) -> str:
    """王建国，不是王是汪: the name meant when the one said is taken back right after it (bot.facts.rules)."""
    at = plain.find(name, max(offset, 0))
    return corrected_name(plain, name, at) if at >= 0 else name


def _looks_like_name(word: str) -> bool:
    """Starts with a surname (bot/facts' lexicon) and is not a yes/no or skip word."""
    surnames, compound = surname_sets()
    return (word[:1] in surnames or word[:2] in compound) and 2 <= len(word) <= 4
