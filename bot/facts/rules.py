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

from .contact import spelling_spans
from .lexicon import alternation, lexicon, surname_sets
from .model import Fact
from .names import CLAUSE_BREAK, Intro, intro_patterns, merge, own_nicknames, spaced_apart

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
    me = alternation(lex.get("clause_self_words", [])) or r"(?!)"
    cues = alternation([*lex.get("self_correction_cues", []), "应该是"])
    aside = rf"[^{_CJK}0-9A-Za-z]|[哦噢喔啊呃嗯哎唉诶欸呀哈]|{alternation(lex.get('phone_correction_fillers', []))}"
    intros = intro_patterns(lex, me)
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
        "intros": intros,
        "own_title": intros["own_title"],
        "self_clause": intros["self_clause"],
        "surname_after": intros["surname_after"],
        "official_words": set(lex.get("official_name_intros", [])),
        "other_person": re.compile(alternation(lex.get("other_person_words", [])) or r"(?!)"),
        "address_titles": tuple(lex.get("address_titles", [])),
        "place_suffixes": tuple(lex.get("place_suffixes", [])),
        "aside": re.compile(rf"(?:{aside})*"),
        # 搞错哒，是… / 不对不对，… / 开玩笑的😂 我叫… / 唔系，系…: a name taken back, then the one meant
        "taken_back": re.compile(
            rf"(?:也|又|还是)?(?:{cues}|(?:不是|唔系)(?![{_CJK}]))(?:{cues}|{aside}|[了哒咯咗啦嘞咧喽的嘛呢])*"
            r"(?:其实|应该|本来)?(?:(?:我|俺|本人)的?(?:名字|姓名)?)?(?:应该)?(?:是|系|叫)?\s*"
        ),
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


def _read_name_at(s: str, pos: int, t: dict[str, Any]) -> tuple[str, int] | None:
    """(name, end) of the name at ``pos``, typed as usual or one character at a time after its
    introduction (中文名 钱 浩 然, 我叫 王 建 国): the name then takes the whole run, but for a particle."""
    name = _read_name(s, pos, t)
    if name is not None:
        return name, pos + len(name)
    apart = spaced_apart(s, pos)
    name = _read_name(apart[0], 0, t) if apart else None
    if apart is None or name is None or not _NAME_END.match(apart[0], len(name)):
        return None
    return name, apart[1][len(name) - 1]


def _intro_positions(s: str, t: dict[str, Any]) -> dict[int, Intro]:
    """Where an own name may start and how to read it: after 我叫/我是/本人…, a name word (中文名), a
    paper (身份证上是), a Latin alias (Jessica 汤佳琪), an address (叫汤佳琪就行), Minnan 阮叫/阮是, or after
    叫 continuing 我是…/我姓…."""
    found: dict[int, Intro] = {}

    def add(pos: int, intro: Intro) -> None:
        found[pos] = merge(found.get(pos), intro)

    intro_re = "|".join(re.escape(x) for x in t["name_intros"])
    for m in re.finditer(rf"(?:{intro_re})\s?", s):
        if m.start() > 0 and s[m.start() - 1] in "他她它" and m.group().startswith(("叫", "是")):
            continue
        add(m.end(), Intro(m.start()))
    pats = t["intros"]
    for m in pats["word"].finditer(s):
        add(m.end(), Intro(m.start(), official=m.group("w") in t["official_words"]))
    for m in pats["paper"].finditer(s):
        add(m.end(), Intro(m.start(), official=True, paper=True, closed=True))
    for m in pats["alias"].finditer(s):
        add(m.end(), Intro(m.start(), closed=True))
    for m in pats["address"].finditer(s):
        add(m.end(), Intro(m.start(), address=True))
    for m in pats["minnan"].finditer(s):
        add(m.end(), Intro(m.start()))
    for m in re.finditer(r"(?:名字)?叫\s?", s):
        if t["self_clause"].search(s[max(0, m.start() - 14) : m.start()]):
            add(m.end(), Intro(m.start()))
    return dict(sorted(found.items()))


_NAME_END = re.compile(rf"$|[^{_CJK}]|[就呢啊呀吧哈嘛哦噢喔啦咯]")
_SENTENCE_END = re.compile(r"[。！？!?\n]")
_PAPER_LOOKBACK = 20


def _fits(s: str, end: int, name: str, intro: Intro, facts: list[Fact], t: dict[str, Any]) -> bool:
    """Whether ``name`` (ending at ``end``) read after ``intro`` is the citizen's own: it ends its word
    when it must, an address word follows an address, and no other person is spoken of just before a
    paper (我儿子摔伤了，身份证上是李强); names already read and the citizen's own nickname (喊我幺妹就得了)
    are no other person."""
    if intro.closed and not _NAME_END.match(s, end):
        return False
    if intro.address:
        given = name[2:] if name[:2] in t["compound"] else name[1:]
        if given.startswith(t["address_titles"]) or not t["intros"]["address_end"].match(s, end):
            return False
    if intro.paper:
        lead_start = max(0, intro.start - _PAPER_LOOKBACK)
        breaks = [m.end() for m in _SENTENCE_END.finditer(s, lead_start, intro.start)]
        lead = list(s[breaks[-1] if breaks else lead_start : intro.start])
        offset = intro.start - len(lead)
        own = [(f.start, f.end) for f in facts] + own_nicknames(s, t["intros"], t["other_person"])
        for a, b in own:
            for i in range(max(a, offset), min(b, intro.start)):
                lead[i - offset] = " "
        if t["other_person"].search("".join(lead)):
            return False
    return True


def _names_a_place(s: str, end: int, name: str, t: dict[str, Any]) -> bool:
    """石桥村 / 王家庄 / 石桥三(组): a place read as a name (…村, …组, …小区, …公司), never a name."""
    return any(name.endswith(x) or s.startswith(x, end) for x in t["place_suffixes"])


def _titled_names(s: str, original: str, t: dict[str, Any]) -> list[Fact]:
    """我是石桥村三组的组长龚德顺 / 我是这个小区的业主代表王海: the name right after the citizen's role,
    ending its clause."""
    facts: list[Fact] = []
    for m in t["own_title"].finditer(s):
        pos = m.end()
        name = _read_name(s, pos, t)
        end = pos + len(name or "")
        if name is None or not (end == len(s) or CLAUSE_BREAK.match(s, end) or s[end].isspace()):
            continue
        facts.append(Fact("person_name", name, pos, end, original[pos:end], extra={"surname_only": False}))
    return facts


# 不是王是汪 / 唔系华系桦 / 不是李明，是李铭: the characters meant in place of those just said
_SWAP = re.compile(
    rf"(?:不是|唔系)(?P<old>[{_CJK}]{{1,3}}?)字?[，,、\s]*(?:而是|是|系)(?P<new>[{_CJK}]{{1,3}}?)字?(?![{_CJK}])"
)


def _taken_back(s: str, name: str, start: int, end: int, t: dict[str, Any]) -> tuple[str, int, int] | None:
    """(name meant, its start, end of the correction) when ``name``, said at ``start:end``, is taken back
    right after it was said (only asides between): 我叫彭建华，搞错了，是彭建桦 / 我叫王建国，不是王是汪."""
    at = t["aside"].match(s, end).end()
    swap = _SWAP.match(s, at)
    if swap:
        old, new = swap.group("old"), swap.group("new")
        put = name.replace(old, new, 1)
        ok = len(old) == len(new) and old in name and _read_name(put + "，", 0, t) == put
        return (put, start, swap.end()) if ok else None
    again = t["taken_back"].match(s, at)
    meant = _read_name(s, again.end(), t) if again else None
    if again is None or meant is None or meant == name:
        return None
    pos, meant_end = again.end(), again.end() + len(meant)
    spelled = any(a == meant_end for a, _ in spelling_spans(s))
    if not (_NAME_END.match(s, meant_end) or spelled) or _names_a_place(s, meant_end, meant, t):
        return None  # 不对，王强是我老公: someone else spoken of
    return meant, pos, meant_end


def corrected_name(s: str, name: str, start: int) -> str:
    """The name meant when ``name`` (said at ``start`` in ``s``) is taken back, however often."""
    end = start + len(name)
    while (got := _taken_back(s, name, start, end, _terms())) is not None:
        name, start, end = got
    return name


def _apply_take_backs(s: str, original: str, facts: list[Fact], t: dict[str, Any]) -> list[Fact]:
    """Each full name taken back right after it was said gives way to the name meant, which may be
    taken back again (张伟，不对，张玮，哎也不对，张炜); a name read after the cue is that name."""
    facts, i = sorted(facts, key=lambda f: f.start), 0
    while i < len(facts):
        f = facts[i]
        got = None if f.extra.get("surname_only") else _taken_back(s, str(f.value), f.start, f.end, t)
        if got is None:
            i += 1
            continue
        value, start, end = got
        new = Fact("person_name", value, start, end, original[start:end], extra={"surname_only": False})
        kept = [g for g in facts if g is not f and not start <= g.start < end]  # 我叫… read again
        facts = sorted([*kept, new], key=lambda g: g.start)
        i = facts.index(new)
    return facts


def extract_own_name(s: str, original: str) -> list[Fact]:
    """The citizen's own name after 我叫/我是/本人 (or surname after 我姓, nickname after 叫我, or a name
    after the citizen's role: 我是村里的会计李秀英); never others', never a place. A name said as the real
    one (中文名…, 身份证上是…) is marked ``official`` and the other full names said with it (an alias, a
    first try) are dropped: the official name is the one to file."""
    t = _terms()
    facts = _titled_names(s, original, t)
    official: list[Fact] = []
    for pos, intro in _intro_positions(s, t).items():
        read = _read_name_at(s, pos, t)
        if read is None or any(f.start <= pos < f.end for f in facts):
            continue
        name, end = read
        if _names_a_place(s, end, name, t) or not _fits(s, end, name, intro, facts, t):
            continue
        if any(f.start > pos and not CLAUSE_BREAK.search(s, pos, f.start) for f in facts):
            continue  # 我是组长龚德顺: the name after the role, not the role read as a name
        extra: dict[str, Any] = {"surname_only": False}
        if intro.official:
            extra["official"] = True
        facts.append(Fact("person_name", name, pos, end, original[pos:end], extra=extra))
        if intro.official:
            official.append(facts[-1])
    if official:
        facts = [f for f in facts if f in official or f.value in {o.value for o in official}]
    for m in t["surname_after"].finditer(s):
        sur = m.group(1)
        if sur not in t["compound"]:
            sur = sur[:1]
            if sur not in t["surnames"]:
                continue
        start = m.start(1)
        if s.startswith("的", start + len(sur)):
            continue  # 姓阮的包工头: someone named by the surname
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
    return _apply_take_backs(s, original, facts, t)
