"""The custom NLU components on real Rasa messages, without a trained model."""

from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from connectors.nlu.normalizer import ORIGINAL_TEXT, TextNormalizer
from connectors.nlu.tokenizer import ChineseTokenizer


def _normalizer() -> TextNormalizer:
    return TextNormalizer(TextNormalizer.get_default_config())


def test_normalizer_simplifies_and_keeps_original() -> None:
    message = Message(data={TEXT: "老闆拖欠我三個月工資！！！😭"})
    _normalizer().process([message])
    assert message.get(TEXT) == "老板拖欠我三个月工资！"
    assert message.get(ORIGINAL_TEXT) == "老闆拖欠我三個月工資！！！😭"


def test_normalizer_leaves_intent_payloads_alone() -> None:
    message = Message(data={TEXT: '/dispute_labor{"x": 1}'})
    _normalizer().process([message])
    assert message.get(TEXT) == '/dispute_labor{"x": 1}'


def test_normalizer_normalises_a_typed_slash_message() -> None:
    """Only a button's payload stays as it is: a citizen's "/…" is normalised like any text."""
    typed = Message(data={TEXT: "/老闆欠錢！！！"})
    payload = Message(data={TEXT: '/inform{"name": "張三"}'})
    _normalizer().process([typed, payload])
    assert typed.get(TEXT) == "/老板欠钱！" and typed.get(ORIGINAL_TEXT) == "/老闆欠錢！！！"
    assert payload.get(TEXT) == '/inform{"name": "張三"}' and payload.get(ORIGINAL_TEXT) is None


def test_normalizer_applies_to_training_data() -> None:
    data = TrainingData([Message(data={TEXT: "離婚後撫養費不給", "intent": "dispute_family"})])
    _normalizer().process_training_data(data)
    assert data.training_examples[0].get(TEXT) == "离婚后抚养费不给"


def test_emoji_only_message_still_has_text() -> None:
    message = Message(data={TEXT: "😀😀😀"})
    _normalizer().process([message])
    assert message.get(TEXT)


def test_tokenizer_drops_whitespace_tokens() -> None:
    tokenizer = ChineseTokenizer(ChineseTokenizer.get_default_config(), None, None)  # type: ignore[arg-type]
    tokens = tokenizer.tokenize(Message(data={TEXT: "老板 不给 salary  三个月"}), TEXT)
    words = [t.text for t in tokens]
    assert all(w.strip() for w in words)
    assert "salary" in words
    text = "老板 不给 salary  三个月"
    assert all(text[t.start : t.end] == t.text for t in tokens)


def test_the_danger_screen_reads_the_citizens_own_words_emoji_included() -> None:
    """The normaliser drops emoji for the classifier; the screen must still see 🔪."""
    from connectors.nlu.risk_screener import DANGER_INTENT, RiskScreener

    message = Message(data={TEXT: "老公拿🔪对着我"})
    _normalizer().process([message])
    assert "🔪" not in message.get(TEXT)
    RiskScreener(RiskScreener.get_default_config()).process([message])
    assert message.get("intent")["name"] == DANGER_INTENT


def test_the_classifiers_unsure_danger_without_an_urgent_rule_is_not_danger() -> None:
    """ "我现在住在城关镇" must not send the 110 message because a classifier guessed danger (0.78)."""
    from connectors.nlu.risk_screener import RiskScreener

    guess = Message(data={TEXT: "我现在住在城关镇"})
    guess.set("intent", {"name": "danger", "confidence": 0.78})
    guess.set(
        "intent_ranking", [{"name": "danger", "confidence": 0.78}, {"name": "inform", "confidence": 0.1}]
    )
    sure = Message(data={TEXT: "他拿刀要砍我"})
    sure.set("intent", {"name": "inform", "confidence": 0.6})
    RiskScreener(RiskScreener.get_default_config()).process([guess, sure])
    assert guess.get("intent")["name"] == "inform"
    assert sure.get("intent")["name"] == "danger"


def test_a_one_character_answer_is_never_the_classifiers_danger() -> None:
    """ "有几个人受伤？" — "我": the classifier hears a cry for help (0.96); "救命" it may still hear."""
    from connectors.nlu.risk_screener import RiskScreener

    def judged(text: str) -> str:
        message = Message(data={TEXT: text})
        message.set("intent", {"name": "danger", "confidence": 0.96})
        message.set(
            "intent_ranking",
            [
                {"name": "danger", "confidence": 0.96},
                {"name": "query_status", "confidence": 0.02},  # no cue in "我": never a status query
                {"name": "inform", "confidence": 0.01},
            ],
        )
        RiskScreener(RiskScreener.get_default_config()).process([message])
        return str(message.get("intent")["name"])

    assert judged("我") == "inform"
    assert judged("救命") == "danger"
