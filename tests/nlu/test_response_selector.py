"""The linear response selector: learns the retrieval answers (consult/<topic>), survives a save and
load, and fills ``response_selector`` as Rasa's selector does, only for messages of a retrieval intent."""

from __future__ import annotations

from pathlib import Path

from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from connectors.nlu.response_selector import LinearResponseSelector
from tests.nlu.test_linear_classifier import _messages, _pipeline

TOPICS = {
    "hours": ["几点 上班", "周末 开门 吗", "几点 下班", "中午 有 人 吗"],
    "cost": ["收费 吗", "要 钱 吗", "调解 收 钱 吗", "免费 吗"],
}


def test_learns_topics_survives_save_and_load_and_answers_only_retrieval_intents(tmp_path: Path) -> None:
    storage, context, tokenizer, featurizer = _pipeline(tmp_path)
    examples = [
        Message(data={"text": t, "intent": "consult", "intent_response_key": f"consult/{topic}"})
        for topic, texts in TOPICS.items()
        for t in texts
    ] + [Message(data={"text": "老板 欠 工资", "intent": "dispute_wage_arrears"})]
    data = TrainingData(examples)
    tokenizer.process_training_data(data)
    featurizer.train(data)
    featurizer.process_training_data(data)
    resource = Resource("selector")
    LinearResponseSelector.create({"C": 100.0}, storage, resource, context).train(data)
    selector = LinearResponseSelector.load({"C": 100.0}, storage, resource, context)

    asked, dispute = _messages(tokenizer, featurizer, ["你们 周末 开门 吗", "老板 欠 工资"])
    asked.set("intent", {"name": "consult", "confidence": 0.9})
    dispute.set("intent", {"name": "dispute_wage_arrears", "confidence": 0.9})
    selector.process([asked, dispute])

    answer = asked.get("response_selector")["consult"]["response"]
    assert answer["intent_response_key"] == "consult/hours"
    assert answer["utter_action"] == "utter_consult/hours"
    assert asked.get("response_selector")["all_retrieval_intents"] == ["consult"]
    assert "consult" not in dispute.get("response_selector")  # a dispute gets no answer topic
