"""A second, trained opinion on risk: the character n-grams of the whole message weighed by a linear
model fitted on labelled citizens' messages (``nlu_data/risk/``).

Why: the rules (``engine.py``) catch what they were written for, and every fresh blind batch showed
phrasings nobody had written a rule for (a rope tied to a beam, a last message with a pet's name). A
model over the messages of every earlier batch generalises to such phrasings. ``engine.screen``
combines both opinions with the thresholds in ``risk.yml`` (``model:``).

Fitting needs scikit-learn (the Rasa environment has it); judging is plain Python over the exported
weights (``models/risk-<fingerprint>.json``), so the intake service needs neither numpy nor a pickle.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot import paths
from bot.risk.rules import lexicon_files

CORPUS = paths.NLU_DATA / "risk"
# Ordinary citizens' dispute descriptions (the NLU examples of the categories): without them the model
# learns from the batches, which are half danger, that any long emotional story is urgent.
ORDINARY = paths.NLU_DATA / "nlu"
ORDINARY_INTENT_PREFIX = "dispute_"
CLASSES = ("none", "elevated", "urgent")
# Character 2-4-grams and C were chosen by scoring each candidate on every batch with a model fitted
# only on the batches written before it; 1-grams added false alarms. No class weights: with the
# ordinary examples the classes are as unbalanced as citizens' messages are.
NGRAM_MIN, NGRAM_MAX = 2, 4
C = 100.0
FORMAT = 1
_WHITESPACE_RUNS = re.compile(r"\s\s+")
_CJK_SPACE = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")


def prepared(text: str) -> str:
    """What the model reads, in fitting and in judging alike: no spaces between Chinese words (older
    citizens type "我 八十二了  对门 加盖"; the n-grams should not depend on it)."""
    return _CJK_SPACE.sub("", text)


def char_ngrams(text: str) -> Iterator[str]:
    """The n-grams scikit-learn's ``analyzer="char"`` yields for ``text`` (runs of whitespace made one
    space, as it does), so the weights fitted there apply here unchanged."""
    text = _WHITESPACE_RUNS.sub(" ", text)
    for n in range(NGRAM_MIN, min(NGRAM_MAX, len(text)) + 1):
        for i in range(len(text) - n + 1):
            yield text[i : i + n]


@dataclass(frozen=True)
class RiskModel:
    """Exported weights: per n-gram its idf and one weight per class, plus the intercepts."""

    classes: tuple[str, ...]
    intercept: tuple[float, ...]
    features: Mapping[str, Sequence[float]]

    def probabilities(self, normalized: str) -> dict[str, float]:
        """P(level) for text already normalised by the risk normaliser (TF-IDF with sublinear tf and
        L2 norm, then the multinomial logistic model, exactly as fitted)."""
        values: dict[str, float] = {}
        for gram, count in Counter(char_ngrams(prepared(normalized))).items():
            feature = self.features.get(gram)
            if feature is not None:
                values[gram] = (1.0 + math.log(count)) * feature[0]
        norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
        scores = list(self.intercept)
        for gram, value in values.items():
            weights = self.features[gram]
            for k in range(len(scores)):
                scores[k] += value / norm * weights[k + 1]
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {name: e / total for name, e in zip(self.classes, exps, strict=True)}

    def evidence(self, normalized: str, level: str, count: int = 3) -> str:
        """The n-grams of ``normalized`` that weigh most towards ``level`` (against the other levels),
        strongest first, none inside another, joined with "、"; "" when none weighs towards it."""
        k = self.classes.index(level)
        weighed = []
        for gram, n in Counter(char_ngrams(prepared(normalized))).items():
            feature = self.features.get(gram)
            if feature is None or not gram.isalnum():  # words only: ",我" or "a b" tells staff nothing
                continue
            others = [w for i, w in enumerate(feature[1:]) if i != k]
            lead = feature[k + 1] - max(others, default=0.0)
            if lead > 0:
                weighed.append(((1.0 + math.log(n)) * feature[0] * lead, gram))
        chosen: list[str] = []
        for _, gram in sorted(weighed, reverse=True):
            if not any(gram in c or c in gram for c in chosen):
                chosen.append(gram)
            if len(chosen) == count:
                break
        return "、".join(chosen)

    def to_json(self, fingerprint: str) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "fingerprint": fingerprint,
                "classes": list(self.classes),
                "intercept": list(self.intercept),
                "features": {g: [round(x, 6) for x in w] for g, w in self.features.items()},
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> RiskModel:
        raw = json.loads(text)
        if raw.get("format") != FORMAT:
            raise ValueError("risk model: unknown format")
        return cls(
            classes=tuple(raw["classes"]),
            intercept=tuple(float(x) for x in raw["intercept"]),
            features={str(g): tuple(float(x) for x in w) for g, w in raw["features"].items()},
        )


# ---------------------------------------------------------------------------------------------------
# Corpus and fitting


def load_corpus(folder: Path = CORPUS) -> list[tuple[str, str]]:
    """(text, level) of every labelled message in ``folder``'s YAML files (``messages: [{text, level}]``)."""
    examples: list[tuple[str, str]] = []
    for path in sorted(folder.glob("*.yml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        items = raw.get("messages") if isinstance(raw, dict) else raw
        for item in items or ():
            if item.get("level") not in CLASSES:
                raise ValueError(f"{path.name}: unknown level {item.get('level')!r}")
            examples.append((str(item["text"]), str(item["level"])))
    return examples


def ordinary_examples(folder: Path = ORDINARY) -> list[str]:
    """The dispute descriptions of the NLU training data (Rasa's ``nlu: [{intent, examples}]``)."""
    texts: list[str] = []
    for path in sorted(folder.glob("*.yml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in raw.get("nlu") or ():
            if not str(item.get("intent", "")).startswith(ORDINARY_INTENT_PREFIX):
                continue
            for line in str(item.get("examples") or "").splitlines():
                text = line.strip().removeprefix("- ").strip()
                if text:
                    texts.append(text)
    return texts


def plain_ordinary(screen_rules: Callable[[str], str]) -> list[tuple[str, str]]:
    """Every ordinary description the rules find nothing in, as ``none`` (one the rules flag may well
    tell of danger, so it is left out rather than labelled)."""
    return [(t, "none") for t in ordinary_examples() if screen_rules(t) == "none"]


def training_examples(screen_rules: Callable[[str], str]) -> list[tuple[str, str]]:
    """The labelled batches plus the plain ordinary descriptions."""
    return [*load_corpus(), *plain_ordinary(screen_rules)]


def fingerprint(folder: Path = CORPUS) -> str:
    """Of everything the fit reads: the corpus, the ordinary examples, the rules that filter them and
    this module (its features and C), so a change of any refits."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    rules = Path(__file__).parent
    for path in [
        *sorted(folder.glob("*.yml")),
        *sorted(ORDINARY.glob("*.yml")),
        rules / "risk.yml",
        *lexicon_files(rules / "risk_lexicon.yml"),
    ]:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def fit(examples: Sequence[tuple[str, str]], normalize: Callable[[str], str]) -> RiskModel:
    """Fit the model with scikit-learn (imported here: only the Rasa environment has it)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = [prepared(normalize(text)) for text, _ in examples]
    vectorizer = TfidfVectorizer(
        analyzer="char", ngram_range=(NGRAM_MIN, NGRAM_MAX), sublinear_tf=True, lowercase=False
    )
    matrix = vectorizer.fit_transform(texts)
    labels = [CLASSES.index(level) for _, level in examples]
    classifier = LogisticRegression(C=C, max_iter=5000)
    classifier.fit(matrix, labels)
    order = [list(classifier.classes_).index(i) for i in range(len(CLASSES))]
    coef = classifier.coef_[order]
    features = {
        gram: (float(vectorizer.idf_[j]), *(float(coef[k][j]) for k in range(len(CLASSES))))
        for gram, j in vectorizer.vocabulary_.items()
    }
    intercept = tuple(float(classifier.intercept_[i]) for i in order)
    return RiskModel(classes=CLASSES, intercept=intercept, features=features)


def model_file(fp: str) -> Path:
    return paths.MODELS / f"risk-{fp}.json"


def build(normalize: Callable[[str], str], screen_rules: Callable[[str], str]) -> Path:
    """Fit and write ``models/risk-<fingerprint>.json`` (atomically), unless it is current."""
    fp = fingerprint()
    target = model_file(fp)
    if target.exists():
        return target
    model = fit(training_examples(screen_rules), normalize)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=target.parent, delete=False, encoding="utf-8") as tmp:
        tmp.write(model.to_json(fp))
    os.chmod(tmp.name, 0o644)
    os.replace(tmp.name, target)
    for old in target.parent.glob("risk-*.json"):
        if old != target:
            old.unlink(missing_ok=True)
    return target


def current_or_newest_file() -> Path | None:
    """The model fitted on the current corpus, else the most recently written one (stale, logged by
    the caller), else None. Reading only: fitting is ``make train``'s job, never a message's."""
    current = model_file(fingerprint())
    if current.exists():
        return current
    found = sorted(paths.MODELS.glob("risk-*.json"), key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None
