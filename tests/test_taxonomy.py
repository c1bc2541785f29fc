import pytest

from bot.taxonomy import categories, category, category_for_intent

CONTRACT_CODES = [
    "wage_arrears",
    "labor",
    "family",
    "property",
    "neighbor",
    "debt",
    "traffic",
    "land",
    "other",
]


def test_the_nine_contract_codes_in_order() -> None:
    assert list(categories()) == CONTRACT_CODES


@pytest.mark.parametrize(
    ("intent", "code", "name"),
    [
        ("dispute_wage_arrears", "wage_arrears", "欠薪"),
        ("dispute_family", "family", "婚姻家庭"),
        ("dispute_land", "land", "土地纠纷"),
        ("out_of_scope", "other", "其他"),
    ],
)
def test_intent_maps_to_category(intent: str, code: str, name: str) -> None:
    found = category_for_intent(intent)
    assert found is not None
    assert (found.code, found.name) == (code, name)
    assert found.intent == intent


@pytest.mark.parametrize("intent", [None, "", "greet", "dispute_unknown", "inform"])
def test_non_dispute_intents_have_no_category(intent: str | None) -> None:
    assert category_for_intent(intent) is None


def test_unknown_code_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="wage_arrears"):
        category("wages")


def test_domain_declares_every_dispute_intent() -> None:
    import yaml

    from bot import paths

    domain = yaml.safe_load((paths.DOMAIN / "core.yml").read_text(encoding="utf-8"))
    for found in categories().values():
        assert found.intent in domain["intents"]
