"""Rule-based facts on a spaCy pipeline: evidence terms, counterparties and the citizen's own name.

spaCy runs as a blank ``zh`` pipeline with the jieba segmenter (no model weights can be downloaded).
jieba gets a *private* dictionary with the lexicon terms added, so matching works on whole words
(物业费 is not 物业) without changing the global jieba that Rasa's JiebaTokenizer uses.
"""

from __future__ import annotations

import functools
import re
import threading
from typing import Any

from .lexicon import alternation, lexicon, surname_sets
from .model import Fact

_CJK = r"\u4e00-\u9fff"
_CLAUSE_BREAK = re.compile(r"[，,。！？!?;；\n：:]")
_LOCK = threading.Lock()


@functools.lru_cache(maxsize=1)
def _terms() -> dict[str, Any]:
    lex = lexicon()
    evidence = {syn: canon for canon, syns in lex["evidence"].items() for syn in [canon, *syns]}
    counterparty: dict[str, tuple[str, bool]] = {}
    for kind, spec in lex["counterparty"].items():
        for term in spec.get("terms", []):
            counterparty[term] = (kind, False)
        for term in spec.get("needs_verb", []):
            counterparty[term] = (kind, True)
    surnames, compound = surname_sets()
    return {
        "evidence": evidence,
        "counterparty": counterparty,
        "hostile": sorted(lex["hostile_markers"], key=len, reverse=True),
        "surnames": surnames,
        "compound": compound,
        "name_intros": sorted(lex["name_intros"], key=len, reverse=True),
        "clause_name_intros": sorted(lex.get("clause_name_intros", []), key=len, reverse=True),
        "surname_intros": lex["surname_intros"],
        "name_stop": set(lex["name_stop_chars"]),
        "company_suffixes": sorted(lex["company_suffixes"], key=len, reverse=True),
        "company_left_stop": set(lex["company_left_stop"]),
        "nickname_exclude": set(lex.get("nickname_exclude", [])),
        "own_title": re.compile(
            r"(?:^|(?<=[，,。！？!?;；\s]))(?:我|俺|额|本人)(?:就|也|呢)?是"
            rf"[^，,。！？!?;；\n]{{0,14}}?(?:{alternation([*lex.get('own_titles', []), *lex['occupation_nouns']])})"
            r"(?:是|叫)?"
        ),
        "place_suffixes": tuple(lex.get("place_suffixes", [])),
    }


@functools.lru_cache(maxsize=1)
def nlp() -> Any:
    """The blank zh pipeline (jieba segmenter, private dictionary) with an EntityRuler for the lexicon."""
    import jieba
    import spacy

    t = _terms()
    tokenizer = jieba.Tokenizer()
    words = set(t["evidence"]) | set(t["counterparty"])
    for word in words:
        tokenizer.add_word(word, freq=200_000)
    pipeline = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    pipeline.tokenizer.jieba_seg = tokenizer  # type: ignore[union-attr]  # spaCy's zh tokenizer
    ruler = pipeline.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH", "overwrite_ents": True})
    patterns: list[dict[str, Any]] = []
    for term, canon in t["evidence"].items():
        patterns.append({"label": "EVIDENCE", "pattern": term, "id": canon})
    for term, (kind, needs_verb) in t["counterparty"].items():
        patterns.append({"label": "CP", "pattern": term, "id": f"{kind}|{int(needs_verb)}"})
    ruler.add_patterns(patterns)  # type: ignore[attr-defined]  # an EntityRuler
    return pipeline


def _doc(s: str) -> Any:
    with _LOCK:  # jieba's Tokenizer initialises lazily and is not thread-safe on first use
        return nlp()(s)


def _clause_after(s: str, end: int, width: int = 12) -> str:
    tail = s[end : end + width]
    m = _CLAUSE_BREAK.search(tail)
    return tail[: m.start()] if m else tail


def _hostile(s: str, start: int, end: int, next_start: int) -> bool:
    if "被" in s[max(0, start - 2) : start]:
        return True
    if re.search(
        r"(?:借给|借钱给|借了钱给|卖给|租给|垫给)(?:我|俺|我家|俺家)?$", s[max(0, start - 6) : start]
    ):
        return True  # 借给表哥的钱: the borrower
    if re.search(
        r"(?:我|俺|咱)(?:和|跟|与|同)(?:我|俺)?$|(?:和|跟|与)(?:我|俺)$", s[max(0, start - 4) : start]
    ):
        return False
    after = _clause_after(s, end)[: max(0, next_start - end)]
    return any(w in after for w in _terms()["hostile"])


def _companies(s: str, original: str) -> list[Fact]:
    t = _terms()
    suffix = "|".join(re.escape(x) for x in t["company_suffixes"])
    facts = []
    for m in re.finditer(rf"([{_CJK}A-Za-z0-9]{{2,12}}?)(?:{suffix})", s):
        prefix = m.group(1)
        cut = max((i for i, ch in enumerate(prefix) if ch in t["company_left_stop"]), default=-1)
        name_prefix = prefix[cut + 1 :]
        if len(name_prefix) < 2:
            continue
        start = m.start() + cut + 1
        facts.append(
            Fact(
                "counterparty",
                s[start : m.end()],
                start,
                m.end(),
                original[start : m.end()],
                extra={"kind": "company"},
            )
        )
    return facts


def extract_rules(s: str, original: str) -> list[Fact]:
    """Evidence and counterparty facts from the spaCy EntityRuler plus company-name regexes."""
    t = _terms()
    doc = _doc(s)
    evidence: list[Fact] = []
    mentions: list[tuple[int, int, str, bool]] = []
    for ent in doc.ents:
        if ent.label_ == "EVIDENCE":
            negated = bool(
                re.search(
                    r"(?:没|没有|未|无)(?:签|写|打|拿到|给)?$", s[max(0, ent.start_char - 3) : ent.start_char]
                )
            )
            extra = {"negated": True} if negated else {}
            evidence.append(
                Fact(
                    "evidence",
                    ent.ent_id_,
                    ent.start_char,
                    ent.end_char,
                    original[ent.start_char : ent.end_char],
                    extra=extra,
                )
            )
        elif ent.label_ == "CP":
            kind, needs_verb = ent.ent_id_.split("|")
            mentions.append((ent.start_char, ent.end_char, kind, needs_verb == "1"))
    # Nicknames 老王/小李: jieba splits them unpredictably (老 + 刘欠), so match characters, but only where
    # a token starts at 老/小 (养老钱 is 养老 + 钱) and the pair is not an ordinary word (老师, 小时).
    token_starts = {tok.idx for tok in doc}
    for m in re.finditer(r"[老小](.)", s):
        if (
            m.group(1) in t["surnames"]
            and m.start() in token_starts
            and m.group() not in t["nickname_exclude"]
            and not any(a < m.end() and m.start() < b for a, b, _, _ in mentions)
            and not any(e.start_char < m.end() and m.start() < e.end_char for e in doc.ents)
        ):
            mentions.append((m.start(), m.end(), "person", False))
    mentions.sort()
    # Merge a role with the name right after it: 包工头老王, 对门老李.
    merged: list[tuple[int, int, str, bool]] = []
    for start, end, kind, needs_verb in mentions:
        if merged and merged[-1][1] == start and re.fullmatch(r"[老小][\u4e00-\u9fff]", s[start:end]):
            prev = merged.pop()
            merged.append((prev[0], end, prev[2], prev[3]))
            continue
        merged.append((start, end, kind, needs_verb))
    parties: list[Fact] = []
    for i, (start, end, kind, needs_verb) in enumerate(merged):
        next_start = merged[i + 1][0] if i + 1 < len(merged) else len(s)
        if needs_verb and not _hostile(s, start, end, next_start):
            continue
        parties.append(
            Fact("counterparty", s[start:end], start, end, original[start:end], extra={"kind": kind})
        )
    for company in _companies(s, original):
        overlapping = [p for p in parties if p.overlaps([company])]
        if all(company.end - company.start > p.end - p.start for p in overlapping):
            parties = [p for p in parties if p not in overlapping]
            parties.append(company)
    # 富康建筑工程有限公司 … 公司不给交社保: the bare 公司 is the company already named.
    named = [p.value for p in parties if p.extra["kind"] == "company"]
    parties = [p for p in parties if not any(n != p.value and n.endswith(p.value) for n in named)]
    parties.sort(key=lambda f: f.start)
    return evidence + parties


# 我是他爱人，叫龚秀英 / 我姓马，叫马建军: a bare 叫 continuing the citizen's own introduction.
_SELF_CLAUSE = re.compile(
    r"(?:^|[，,。！？!?;；\n\s])(?:我|俺|本人)(?:就|也)?(?:是|姓)[^，,。！？!?;；\n]{0,8}[，,]\s?$"
)
_NICKNAME = re.compile(
    r"(?:叫|喊|称呼)(?:我|俺)(?P<n>[老小][\u4e00-\u9fff])(?:就行|就好|就可以|吧|好了|得了)?"
)


def _read_name(s: str, pos: int, t: dict[str, Any]) -> str | None:
    """A surname plus one or two given-name characters starting at ``pos``, or None (我是他爱人 /
    本人家属: a relation starts with no surname)."""
    if s[pos : pos + 2] in t["compound"]:
        sur_len = 2
    elif s[pos : pos + 1] in t["surnames"]:
        sur_len = 1
    else:
        return None
    given = ""
    for ch in s[pos + sur_len : pos + sur_len + 2]:
        if not re.match(rf"[{_CJK}]", ch) or ch in t["name_stop"]:
            break
        given += ch
    if not given:
        return None
    name = s[pos : pos + sur_len] + given
    end = pos + len(name)
    if s[end : end + 1] == "的" or any(
        name.startswith(term) or term.startswith(name) for term in (*t["counterparty"], *t["evidence"])
    ):
        return None
    return name


def _intro_positions(s: str, t: dict[str, Any]) -> list[int]:
    """Where an own name may start: after 我叫/我是/本人…, or after 叫 continuing 我是…/我姓…, ."""
    positions: list[int] = []
    intro_re = "|".join(re.escape(x) for x in t["name_intros"])
    for m in re.finditer(rf"(?:{intro_re})\s?", s):
        if m.start() > 0 and s[m.start() - 1] in "他她它" and m.group().startswith(("叫", "是")):
            continue
        positions.append(m.end())
    clause_intro = "|".join(re.escape(x) for x in t["clause_name_intros"])
    if clause_intro:  # Lisa，中文名叫周雨桐 / 我的大名是张宝才 / 英文名Lisa，中文名周雨桐
        for m in re.finditer(
            rf"(?:^|(?<=[，,。；;：:！!？?\s])|(?<=[我俺])的?|(?<=本人))(?:{clause_intro})[：:]?\s?", s
        ):
            positions.append(m.end())
    for m in re.finditer(r"(?:名字)?叫\s?", s):
        if _SELF_CLAUSE.search(s[max(0, m.start() - 14) : m.start()]):
            positions.append(m.end())
    return sorted(set(positions))


def _names_a_place(s: str, pos: int, name: str, t: dict[str, Any]) -> bool:
    """石桥村 / 王家庄 / 石桥三(组): a place read as a name (…村, …组, …小区, …公司), never a name."""
    end = pos + len(name)
    return any(name.endswith(x) or s.startswith(x, end) for x in t["place_suffixes"])


def _titled_names(s: str, original: str, t: dict[str, Any]) -> list[Fact]:
    """我是石桥村三组的组长龚德顺 / 我是这个小区的业主代表王海: the name right after the citizen's role,
    ending its clause."""
    facts: list[Fact] = []
    for m in t["own_title"].finditer(s):
        pos = m.end()
        name = _read_name(s, pos, t)
        end = pos + len(name or "")
        if name is None or not (end == len(s) or _CLAUSE_BREAK.match(s, end) or s[end].isspace()):
            continue
        facts.append(Fact("person_name", name, pos, end, original[pos:end], extra={"surname_only": False}))
    return facts


def extract_own_name(s: str, original: str) -> list[Fact]:
    """The citizen's own name after 我叫/我是/本人 (or surname after 我姓, nickname after 叫我, or a name
    after the citizen's role: 我是村里的会计李秀英); never others', never a place."""
    t = _terms()
    facts = _titled_names(s, original, t)
    for pos in _intro_positions(s, t):
        name = _read_name(s, pos, t)
        if name is None or any(f.start <= pos < f.end for f in facts) or _names_a_place(s, pos, name, t):
            continue
        if any(f.start > pos and not _CLAUSE_BREAK.search(s, pos, f.start) for f in facts):
            continue  # 我是组长龚德顺: the name after the role, not the role read as a name
        end = pos + len(name)
        facts.append(Fact("person_name", name, pos, end, original[pos:end], extra={"surname_only": False}))
    for m in re.finditer(r"(?:(?<=[我俺])|(?<=本人)|(?<=^)|(?<=[，,。\s]))姓([\u4e00-\u9fff]{1,2})", s):
        sur = m.group(1)
        if sur not in t["compound"]:
            sur = sur[:1]
            if sur not in t["surnames"]:
                continue
        start = m.start(1)
        if any(f.start <= start < f.end or f.value.startswith(sur) for f in facts):
            continue  # 我姓马，叫马建军: the full name says it all
        facts.append(
            Fact(
                "person_name",
                sur,
                start,
                start + len(sur),
                original[start : start + len(sur)],
                extra={"surname_only": True},
            )
        )
    for m in _NICKNAME.finditer(s):
        nick = m.group("n")
        if nick[1] not in t["surnames"] or nick in t["nickname_exclude"]:
            continue
        start = m.start("n")
        # 叫我老王就行: how to address the citizen; a full name given elsewhere wins in facts_dict
        facts.append(
            Fact(
                "person_name",
                nick,
                start,
                start + 2,
                original[start : start + 2],
                extra={"surname_only": True, "nickname": True},
            )
        )
    facts.sort(key=lambda f: f.start)
    return facts
