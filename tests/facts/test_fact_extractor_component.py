"""The Rasa component on real rasa Message objects."""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("rasa")

from rasa.shared.nlu.constants import ENTITIES, TEXT  # noqa: E402
from rasa.shared.nlu.training_data.message import Message  # noqa: E402

from connectors.nlu.fact_extractor import FactExtractor  # noqa: E402


@pytest.fixture(scope="module")
def component() -> FactExtractor:
    return FactExtractor.create(FactExtractor.get_default_config(), None, None, None)  # type: ignore[arg-type]


def test_process_adds_entities_with_offsets(component: FactExtractor) -> None:
    text = "我叫张三，电话139 1234 5678，老板欠我們三萬五"
    message = Message.build(text=text)
    component.process([message])
    entities = message.get(ENTITIES)
    by_name = {e["entity"]: e for e in entities}
    assert by_name["person_name"]["value"] == "张三"
    assert by_name["phone"]["value"] == "13912345678"
    assert by_name["amount"]["value"] == 35000
    assert by_name["counterparty"]["value"] == "老板"
    for e in entities:
        assert e["extractor"] == "FactExtractor"
        assert e["confidence_entity"] == 1.0
        assert text[e["start"] : e["end"]] == e["text"]
        assert {"approximate", "valid"} <= set(e)
    assert by_name["amount"]["text"] == "三萬五"


def test_process_keeps_existing_entities(component: FactExtractor) -> None:
    message = Message.build(text="欠我五千块")
    message.set(ENTITIES, [{"entity": "category", "value": "debt", "start": 0, "end": 1}])
    component.process([message])
    names = [e["entity"] for e in message.get(ENTITIES)]
    assert names == ["category", "amount"]


def test_process_uses_message_time(component: FactExtractor) -> None:
    sent = dt.datetime(2025, 1, 15, 9, 0).timestamp()
    message = Message.build(text="上个月底说给钱", time=sent)
    component.process([message])
    (time_entity,) = [e for e in message.get(ENTITIES) if e["entity"] == "time"]
    assert time_entity["value"] == {"start": "2024-12-25", "end": "2024-12-31"}


def test_process_without_time_uses_now(component: FactExtractor) -> None:
    message = Message.build(text="今天被打了")
    component.process([message])
    (time_entity,) = [e for e in message.get(ENTITIES) if e["entity"] == "time"]
    assert time_entity["value"]["start"] == dt.date.today().isoformat()


def test_process_handles_empty_and_missing_text(component: FactExtractor) -> None:
    empty = Message.build(text="")
    no_text = Message(data={})
    assert component.process([empty, no_text]) == [empty, no_text]
    assert not empty.get(ENTITIES)
    assert no_text.get(TEXT) is None


def test_entities_filter() -> None:
    only_phone = FactExtractor.create({"entities": ["phone"]}, None, None, None)  # type: ignore[arg-type]
    message = Message.build(text="电话13912345678，欠我三万")
    only_phone.process([message])
    assert [e["entity"] for e in message.get(ENTITIES)] == ["phone"]


def test_registered_as_entity_extractor() -> None:
    from rasa.engine.recipes.default_recipe import DefaultV1Recipe

    registered = DefaultV1Recipe._from_registry(FactExtractor.__name__)
    assert registered.clazz is FactExtractor
    assert DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR in registered.types
    assert registered.is_trainable is False


def test_rasa_graph_with_fact_extractor_validates() -> None:
    """Rasa's own graph validation accepts the component's signatures (as `rasa train` would)."""
    from rasa.engine import validation
    from rasa.engine.recipes.recipe import Recipe
    from rasa.shared.data import TrainingType

    config = {
        "recipe": "default.v1",
        "language": "zh",
        "pipeline": [
            {"name": "JiebaTokenizer"},
            {"name": "CountVectorsFeaturizer"},
            {"name": "connectors.nlu.fact_extractor.FactExtractor"},
            {"name": "EntitySynonymMapper"},
        ],
        "policies": [],
    }
    model_config = Recipe.recipe_for_name("default.v1").graph_config_for_recipe(
        config, {}, training_type=TrainingType.NLU
    )
    validation.validate(model_config)
