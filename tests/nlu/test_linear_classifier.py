"""The linear intent classifier: learns from n-gram counts, ranks intents like Rasa's classifiers,
survives a save and load of the model, and never fails on a message without features."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers import LABEL_RANKING_LENGTH
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from connectors.nlu.linear_classifier import LinearIntentClassifier, LinearModel

EXAMPLES = {
    "dispute_wage_arrears": ["老板 欠 工资", "工资 拖欠 半年", "包工头 不 给 工钱", "工钱 没 结"],
    "dispute_debt": ["朋友 借钱 不 还", "欠条 到期 不 还钱", "借 了 五万 不 还", "货款 不 给"],
    "greet": ["你好", "您好 在 吗", "早上好", "哈喽"],
}


def test_linear_model_learns_and_gives_probabilities() -> None:
    counts = scipy.sparse.csr_matrix(np.array([[2, 0, 1], [3, 0, 0], [0, 2, 1], [0, 1, 0]]))
    model = LinearModel.fit(counts, ["a", "a", "b", "b"], c=10.0, seed=1)
    probabilities = model.probabilities(scipy.sparse.csr_matrix(np.array([[1, 0, 0], [0, 1, 0]])))
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    assert [model.labels[i] for i in probabilities.argmax(axis=1)] == ["a", "b"]


def test_two_intents_give_a_two_way_ranking() -> None:
    counts = scipy.sparse.csr_matrix(np.array([[1, 0], [0, 1]]))
    model = LinearModel.fit(counts, ["yes", "no"], c=10.0, seed=1)
    assert model.coef.shape[0] == 2
    assert model.probabilities(counts).argmax(axis=1).tolist() == [
        model.labels.index("yes"),
        model.labels.index("no"),
    ]


def _pipeline(
    tmp_path: Path,
) -> tuple[LocalModelStorage, ExecutionContext, WhitespaceTokenizer, CountVectorsFeaturizer]:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    featurizer = CountVectorsFeaturizer.create(
        CountVectorsFeaturizer.get_default_config(), storage, Resource("cv"), context
    )
    return storage, context, tokenizer, featurizer


def _messages(tokenizer, featurizer, texts: list[str]) -> list[Message]:
    messages = [Message(data={"text": t}) for t in texts]
    tokenizer.process(messages)
    featurizer.process(messages)
    return messages


@pytest.fixture
def trained(tmp_path: Path):
    storage, context, tokenizer, featurizer = _pipeline(tmp_path)
    data = TrainingData(
        [Message(data={"text": t, "intent": i}) for i, texts in EXAMPLES.items() for t in texts]
    )
    tokenizer.process_training_data(data)
    featurizer.train(data)
    featurizer.process_training_data(data)
    resource = Resource("linear")
    classifier = LinearIntentClassifier.create({"C": 100.0}, storage, resource, context)
    classifier.train(data)
    return storage, context, tokenizer, featurizer, resource, classifier


def test_ranks_intents_and_survives_save_and_load(trained) -> None:
    storage, context, tokenizer, featurizer, resource, _ = trained
    loaded = LinearIntentClassifier.load({"C": 100.0}, storage, resource, context)
    messages = _messages(tokenizer, featurizer, ["老板 欠 我 工资", "他 借钱 不 还", "你好 啊"])
    loaded.process(messages)
    assert [m.get("intent")["name"] for m in messages] == ["dispute_wage_arrears", "dispute_debt", "greet"]
    ranking = messages[0].get("intent_ranking")
    assert 1 < len(ranking) <= LABEL_RANKING_LENGTH
    assert ranking[0] == messages[0].get("intent")
    confidences = [r["confidence"] for r in ranking]
    assert confidences == sorted(confidences, reverse=True) and abs(sum(confidences) - 1.0) < 1e-6


def test_unknown_words_and_missing_features_do_not_fail(trained) -> None:
    _, _, tokenizer, featurizer, _, classifier = trained
    unknown = _messages(tokenizer, featurizer, ["zzz qqq"])
    classifier.process(unknown)
    assert unknown[0].get("intent")["name"] in EXAMPLES
    bare = [Message(data={"text": ""})]
    classifier.process(bare)
    assert bare[0].get("intent") == {"name": None, "confidence": 0.0}
    assert bare[0].get("intent_ranking") == []


def test_an_untrained_model_loads_and_classifies_nothing(tmp_path: Path) -> None:
    storage, context, tokenizer, featurizer = _pipeline(tmp_path)
    classifier = LinearIntentClassifier.load({}, storage, Resource("never-trained"), context)
    message = Message(data={"text": "你好"})
    classifier.process([message])
    assert message.get("intent")["name"] is None


def test_fast_scoring_equals_the_full_matrix_product() -> None:
    counts = scipy.sparse.random(40, 300, density=0.05, random_state=8, format="csr")
    counts.data = np.ceil(counts.data * 3)
    labels = [f"i{n % 5}" for n in range(40)]
    model = LinearModel.fit(counts, labels, c=50.0, seed=1)
    probe = scipy.sparse.random(6, 300, density=0.05, random_state=9, format="csr")
    probe.data = np.ceil(probe.data * 2)
    scores = np.asarray(LinearModel.weigh(probe, model.idf) @ model.coef.T) + model.intercept
    expected = np.exp(scores - scores.max(axis=1, keepdims=True))
    expected /= expected.sum(axis=1, keepdims=True)
    assert np.allclose(model.probabilities(probe), expected)


def test_sentence_vector_is_rasas_combined_sentence_features(tmp_path: Path) -> None:
    """Same columns in the same order as ``get_sparse_features``, with two featurizers side by side."""
    from rasa.nlu.featurizers.sparse_featurizer.lexical_syntactic_featurizer import (
        LexicalSyntacticFeaturizer,
    )

    from connectors.nlu.linear_classifier import sentence_vector

    storage, context, tokenizer, words = _pipeline(tmp_path)
    chars = CountVectorsFeaturizer.create(
        {**CountVectorsFeaturizer.get_default_config(), "analyzer": "char_wb", "max_ngram": 3},
        storage, Resource("chars"), context,
    )  # fmt: skip
    lexical = LexicalSyntacticFeaturizer.create(
        LexicalSyntacticFeaturizer.get_default_config(), storage, Resource("lex"), context
    )
    data = TrainingData([Message(data={"text": t, "intent": i}) for i, ts in EXAMPLES.items() for t in ts])
    tokenizer.process_training_data(data)
    for featurizer in (words, chars, lexical):
        featurizer.train(data)
    messages = [Message(data={"text": t}) for t in ["老板 欠 我 工资 工资", "你好"]]
    tokenizer.process(messages)
    for featurizer in (words, chars, lexical):
        featurizer.process(messages)
    for message in messages:
        _, rasas = message.get_sparse_features("text")
        ours = sentence_vector(message)
        assert ours.shape == rasas.features.shape and ours.shape[1] > 20
        assert (ours != scipy.sparse.csr_matrix(rasas.features)).nnz == 0
