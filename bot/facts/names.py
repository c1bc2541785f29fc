"""How the citizen introduces their own name, and where the clause holding it ends (bot.facts.rules reads
the name itself).

Clauses end at punctuation, and also at a wavy dash, an ellipsis or an emoji (叫我小蒋就行～全名蒋一帆,
…😊全名…): chat users put those where a comma goes.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from .lexicon import alternation

CJK = r"\u4e00-\u9fff"
# Emoji blocks (symbols, dingbats, pictographs) and the variation selector that follows many of them.
_EMOJI = "\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff\ufe0f"
_SOFT_MARKS = rf"，,…~～〜{_EMOJI}"  # where a comma goes: 我姓马～叫马建军 continues the introduction
CLAUSE_MARKS = rf"{_SOFT_MARKS}。.；;：:！!？?"
CLAUSE_BREAK = re.compile(rf"[{CLAUSE_MARKS}\n]")
AT_CLAUSE = rf"(?:^|(?<=[{CLAUSE_MARKS}\s]))"
_MINE = rf"(?:{AT_CLAUSE}|(?<=[我俺])的?|(?<=本人)的?)"  # a clause's start, or 我/俺/本人 (+的)


def paper_intro(lex: dict[str, Any]) -> str:
    """The words before a name read off a paper (身份证上是谭治刚 / 身份证名字宁凯 / 户口本上写的梁志强 /
    身份证上头叫… / Cantonese 身份证上嘅名系…): the real name, over a nickname said before it."""
    return (
        rf"(?:{alternation(lex.get('id_papers', []))})(?:上面?|上头|上边|里面?|里头)?(?:的|嘅|写的|登记的|印的)?"
        r"(?:(?:名字|姓名|名)(?:是|叫|为|系|叫做)?|是|叫|为|系|叫做|写着|写的是|写的|写嘅系)[：:]?\s?"
    )


def intro_patterns(lex: dict[str, Any], me: str) -> dict[str, re.Pattern[str]]:
    """Own-name introductions besides 我叫/我是 (see ``rules._intro_positions``), by the kind of name
    after them, and the clauses around an own name (a role before it, 我是…/我姓… before 叫)."""
    words = alternation([*lex.get("clause_name_intros", []), *lex.get("official_name_intros", [])])
    address_end = alternation(lex.get("address_ends", []))
    open_clause = rf"[^{CLAUSE_MARKS}\n]"
    titles = alternation([*lex.get("own_titles", []), *lex["occupation_nouns"]])
    return {
        # Lisa，中文名叫周雨桐 / 我的大名是张宝才 / 英文名Lisa，中文名周雨桐
        "word": re.compile(rf"{_MINE}(?P<w>{words})[：:]?\s?"),
        # 身份证上是谭治刚 / 身份证名字宁凯 / 我户口本上写的是梁志强
        "paper": re.compile(rf"{_MINE}{paper_intro(lex)}"),
        # Jessica 汤佳琪 / 我是Kevin宁凯: a Latin alias, then the name (ending its clause)
        "alias": re.compile(
            rf"{AT_CLAUSE}(?:(?:{alternation(lex['name_intros'])})\s?)?"
            r"(?<![A-Za-z])[A-Z][a-z]{1,15}(?:\s?[A-Z][a-z]{1,15})?\s?(?=[\u4e00-\u9fff])"
        ),
        # 叫汤佳琪就行 / 你们叫我汤佳琪吧: how to address the citizen, opening a clause
        "address": re.compile(rf"{AT_CLAUSE}(?:你们?|您|大家)?(?:就|都)?(?:叫|喊|称呼)(?:我|俺)?\s?"),
        "address_end": re.compile(address_end),
        # 喊我幺妹就得了 / 大家都叫我芳姐: the citizen's own nickname, ending its clause
        "own_address": re.compile(
            rf"(?:叫|喊|称呼)(?:我|俺)\s?(?P<n>[{CJK}]{{1,4}}?)(?:{address_end})?[呀啊嘛哈噻撒]?(?=[{CLAUSE_MARKS}\s]|$)"
        ),
        # 小名叫二蛋 / 外号二哥 / 乳名豆豆: a nickname, ending its clause
        "nickname_word": re.compile(
            rf"(?:{alternation(lex.get('nickname_intros', [])) or '(?!)'})(?:叫做|叫|是|系)?\s?"
            rf"(?P<n>[{CJK}]{{1,4}}?)[呀啊嘛哈噻撒啦嘞咧]?(?=[{CLAUSE_MARKS}\s]|$)"
        ),
        # 聪哥，身份证上叫… / 阿聪～全名…: a bare word of one to four characters opening the message, then
        # the name: how the citizen is called, not another person (我哥 / 他 / 儿子 are)
        "opening_word": re.compile(
            rf"^\s*(?P<n>[{CJK}]{{1,4}})[呀啊嘛哈噻撒啦嘞咧]?\s?(?=[{CLAUSE_MARKS}\s])"
        ),
        # 阮叫洪阿水 / 阮是林金花 (Minnan 阮 = 我), never 阮文杰
        "minnan": re.compile(rf"{AT_CLAUSE}(?:{me})(?:就|也)?(?:叫|是)\s?"),
        # 我是石桥村三组的组长龚德顺: the citizen's role, then the name
        "own_title": re.compile(
            rf"{AT_CLAUSE}(?:我|俺|额|本人|{me})(?:就|也|呢)?是{open_clause}{{0,14}}?(?:{titles})(?:是|叫)?"
        ),
        # 我是他爱人，叫龚秀英 / 我姓马，叫马建军 / 阮姓蔡，叫蔡明德: a bare 叫 continuing the own introduction.
        "self_clause": re.compile(
            rf"(?:^|[{CLAUSE_MARKS}\s])(?:我|俺|本人|{me})(?:就|也)?(?:是|姓){open_clause}{{0,8}}[{_SOFT_MARKS}]\s?$"
        ),
        # 我姓王 / 姓刘 opening a clause / Minnan 阮姓蔡: the citizen's surname
        "surname_after": re.compile(
            rf"(?:(?<=[我俺])|(?<=本人)|(?:^|(?<=[{_SOFT_MARKS}。\s]))(?:{me})?)姓([{CJK}]{{1,2}})"
        ),
    }


class Intro(NamedTuple):
    """How the name after an introduction is read."""

    start: int
    official: bool = False  # 中文名/真名/身份证上是: the real name, over a nickname or an alias
    paper: bool = False  # 身份证上是: someone else's when another person is spoken of just before
    closed: bool = False  # the name must end its word (Jessica 汤佳琪，… / 身份证上是梁志强)
    address: bool = False  # 叫汤佳琪就行: an address word must follow, and 王姐/王师傅 is no name


def merge(a: Intro | None, b: Intro) -> Intro:
    """Two introductions of one name: the least demanding reading, official if either says so."""
    if a is None:
        return b
    return Intro(
        min(a.start, b.start),
        a.official or b.official,
        a.paper and b.paper,
        a.closed and b.closed,
        a.address and b.address,
    )


_SPACED = re.compile(rf"[{CJK}]{{1,2}}(?: [{CJK}]{{1,2}}){{1,3}}(?![{CJK}])")


def spaced_apart(s: str, pos: int) -> tuple[str, list[int]] | None:
    """钱 浩 然 (中文名 钱 浩 然 / 我叫王 建国): characters typed one or two at a time with single spaces
    from ``pos``, as (the characters run together, the offset after each in ``s``), or None."""
    m = _SPACED.match(s, pos)
    if m is None:
        return None
    kept = [i for i in range(m.start(), m.end()) if s[i] != " "]
    return "".join(s[i] for i in kept), [i + 1 for i in kept]


_PRONOUN = re.compile(r"[我俺咱阮你您他她它]")


def own_nicknames(
    s: str, patterns: dict[str, re.Pattern[str]], other: re.Pattern[str]
) -> list[tuple[int, int]]:
    """Spans of the nicknames the citizen gives for themselves (喊我幺妹就得了, 大家都叫我芳姐, 外号叫二哥,
    聪哥，身份证上叫…): no other person, though 妹/姐/哥 are in them. 叫我儿子… (a relative named right after
    叫我), a bare relative (儿子，…) or a word with a pronoun (我哥，…) is no nickname."""
    spans = [m.span("n") for m in patterns["own_address"].finditer(s) if not other.match(m.group("n"))]
    spans += [m.span("n") for m in patterns["nickname_word"].finditer(s) if not other.fullmatch(m.group("n"))]
    opening = patterns["opening_word"].match(s)
    if opening and _called(opening.group("n"), other):
        spans.append(opening.span("n"))
    return spans


_KIN_SUFFIX = re.compile(r"(?<=.)[哥姐妹弟叔姨嫂婶伯]$")
_KIN_PREFIX = re.compile(r"^[表堂亲]")


def _called(word: str, other: re.Pattern[str]) -> bool:
    """聪哥 / 芳姐 / 阿聪 / 幺妹: how the citizen is called, a 哥/姐 after it an address; not another person
    (我哥, 他, 儿子, 同事小王, 表哥)."""
    stem = _KIN_SUFFIX.sub("", word)
    return not (_PRONOUN.search(word) or _KIN_PREFIX.match(word) or other.search(stem))


def someone_else_before(
    s: str, at: int, patterns: dict[str, re.Pattern[str]], other: re.Pattern[str], lookback: int = 20
) -> bool:
    """Whether another person is spoken of in the sentence before ``at`` (我儿子摔伤了，身份证上是李强),
    the citizen's own nicknames (喊我幺妹, 聪哥，…) left out: a name read off a paper there is theirs."""
    start = max(0, at - lookback)
    breaks = [m.end() for m in re.finditer(r"[。！？!?\n]", s[start:at])]
    offset = start + (breaks[-1] if breaks else 0)
    lead = list(s[offset:at])
    for a, b in own_nicknames(s, patterns, other):
        for i in range(max(a, offset), min(b, at)):
            lead[i - offset] = " "
    return bool(other.search("".join(lead)))
