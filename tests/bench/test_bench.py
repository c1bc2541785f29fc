"""The pure parts of ``tools.bench`` and ``tools.simulation``: figures, report, profile summary, citizen.

No timing assertions: the benchmark itself is run by ``make bench``, not by the test suite.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest
import yaml

from bot.taxonomy import categories
from tools import simulation
from tools.bench.profile import stage_shares, summarise_profile
from tools.bench.report import render_markdown, write_plot
from tools.bench.results import BenchRun, LevelResult, ProcessStats, percentile, ratios
from tools.bench.targets import baseline_files, nlu_intents, rasa_redis_lock_store


def test_percentile_interpolates_between_ranks() -> None:
    values = [10.0, 20.0, 30.0, 40.0, 50.0]
    assert percentile(values, 0) == 10
    assert percentile(values, 50) == 30
    assert percentile(values, 100) == 50
    assert percentile(values, 95) == pytest.approx(48.0)
    assert percentile([5.0, 1.0, 3.0], 50) == 3  # unsorted input
    assert percentile([7.0], 99) == 7
    assert math.isnan(percentile([], 50))
    with pytest.raises(ValueError):
        percentile(values, 101)


def _level(system: str, concurrency: int, latencies: list[float], seconds: float = 10.0) -> LevelResult:
    return LevelResult(
        system,
        concurrency,
        seconds,
        latencies_ms=latencies,
        intakes=2,
        processes={"rasa": ProcessStats(4.5, 900.0)},
    )


def _run() -> BenchRun:
    return BenchRun(
        levels=[
            _level("ours", 1, [100.0] * 10),
            _level("ours", 10, [200.0] * 100),
            _level("baseline", 1, [50.0] * 20),
            _level("baseline", 10, [100.0] * 200),
        ],
        cold_start_s={"ours": 20.0, "baseline": 12.0},
        training_s=None,
        training_note="",
        settings={"date": "2026-11-27", "model": "intake-x.tar.gz", "seconds": 10},
    )


def test_level_figures() -> None:
    level = _level("ours", 10, [100.0] * 100, seconds=20.0)
    assert level.messages == 100
    assert level.throughput == 5.0
    assert level.intakes_per_minute == 6.0
    assert level.summary()["p95_ms"] == 100.0


def test_ratios_pair_levels_of_both_systems() -> None:
    assert ratios(_run()) == [(1, 2.0, 2.0, 0.5), (10, 2.0, 2.0, 0.5)]


def test_markdown_report_has_every_level_ratios_and_targets() -> None:
    text = render_markdown(_run())
    assert text.count("| ours |") == 2 and text.count("| baseline |") == 2
    assert "| 10 | 2.00 | 2.00 | 0.50 |" in text
    assert "| 4.5 / – / – |" in text  # CPU per process, missing ones as a dash
    assert "ours 20.0 s" in text and "not measured" in text
    assert "p95 ≤ 150 ms at 10 conversations: 200.0 ms — **missed**" in text
    assert "cold start ≤ 30 s: 20.0 s — met" in text


def test_plot_is_written(tmp_path: Path) -> None:
    target = tmp_path / "bench.png"
    write_plot(_run(), target)
    assert target.read_bytes().startswith(b"\x89PNG")


def test_profile_summary_counts_our_functions_once_per_stack() -> None:
    root = str(Path(__file__).resolve().parents[2])
    raw = "\n".join(
        [
            f"run (rasa/core.py:1);process ({root}/connectors/nlu/fact_extractor.py:60);"
            f"amount ({root}/bot/facts/amount.py:9);amount ({root}/bot/facts/amount.py:12) 30",
            f"run (rasa/core.py:1);process ({root}/connectors/nlu/risk_screener.py:40) 10",
            "run (rasa/core.py:1);predict (tensorflow/x.py:3) 60",
        ]
    )
    rows = {f: (inc, own) for f, inc, own in summarise_profile(raw)}
    assert rows["process connectors/nlu/fact_extractor.py"] == (30.0, 0.0)
    assert rows["amount bot/facts/amount.py"] == (30.0, 30.0)  # recursion counted once
    assert rows["process connectors/nlu/risk_screener.py"] == (10.0, 10.0)
    assert summarise_profile("") == []


def test_baseline_domain_answers_every_intent_with_a_rule() -> None:
    intents = nlu_intents()
    assert "dispute_wage_arrears" in intents and "nlu_fallback" in intents
    files = baseline_files(intents)
    assert "RulePolicy" in files["config.yml"] and "TEDPolicy" not in files["config.yml"]
    assert "connectors.nlu.fact_extractor.FactExtractor" in files["config.yml"]
    for intent in intents:
        assert f"utter_{intent}" in files["domain.yml"]
        # restart stays with Rasa's own action_restart: a rule for it would contradict
        assert (f"action: utter_{intent}" in files["rules.yml"]) == (intent != "restart")


def test_baseline_keeps_rasas_own_redis_lock_store() -> None:
    assert rasa_redis_lock_store("redis://10.0.0.5:6380/3") == {
        "type": "redis",
        "url": "10.0.0.5",
        "port": 6380,
        "db": 3,
    }


def test_openings_cover_every_category() -> None:
    openings = simulation.load_openings()
    assert len(openings) >= 40
    assert {o.category for o in openings} == set(categories()) - {"other"}


def test_citizen_answers_by_keyword_and_recognises_the_closing() -> None:
    answers = simulation.pick_answers("wage_arrears", random.Random(1))
    assert answers["哪一类"] == "/dispute_wage_arrears"
    assert (
        simulation.answer_for("一共涉及多少钱？比如：三万五千元。", answers)
        in simulation.ANSWER_VARIANTS["多少钱"]
    )
    assert simulation.answer_for("今天天气好吗", answers) == "不清楚"
    assert simulation.question_of(["明白了。", "您的手机号是多少？\n比如…"]) == "您的手机号是多少？"
    sms = "明白了。\n您同意提供吗？\n回复1：同意\n回复2：不同意，匿名登记"
    assert simulation.last_line_question(["你好", sms]) == "您同意提供吗？"
    assert simulation.last_line_question([]) == ""
    assert simulation.case_code(["已为您登记，受理编号：140105-20261127-0001。"]) == "140105-20261127-0001"
    assert simulation.case_code(["请核对登记信息"]) is None


def test_scripted_intake_asks_in_taxonomy_order_and_confirms() -> None:
    answers = simulation.pick_answers("traffic", random.Random(2))
    script = simulation.scripted_messages("traffic", "被车撞了", answers)
    assert script[0] == "被车撞了" and script[-1] == "确认"
    assert script[4] == answers["事故"]  # accident_date is the first traffic fact


def test_run_intake_follows_the_questions_to_the_case_code() -> None:
    bot = iter([["您同意提供吗？"], ["您的手机号是多少？"], ["已为您登记，受理编号：140105-20261127-0002。"]])
    sent: list[str] = []

    def chat(_sender: str, text: str) -> list[str]:
        sent.append(text)
        return next(bot)

    code, transcript = simulation.run_intake(chat, "欠薪", {"同意": "同意", "手机号": "13812345678"})
    assert code == "140105-20261127-0002"
    assert sent == ["欠薪", "同意", "13812345678"]
    assert transcript[0] == "群众：欠薪"


@pytest.mark.parametrize(
    "stacks, expected",
    [
        (  # Rasa's own functions
            [
                "handle_message (rasa/core/processor.py:5);_validate_action_result (rasa/core/actions/action.py:9) 30",
                "handle_message (rasa/core/processor.py:5);retrieve (rasa/core/tracker_store.py:3) 20",
                "serve (sanic/server/runners.py:1) 50",
            ],
            {
                "handling REST messages (all of it)": 50.0,
                "validating action-server replies (jsonschema)": 30.0,
                "tracker store read (SQLite)": 20.0,
                "NLU pipeline": 0.0,
            },
        ),
        (  # our replacements count in the same stages, not nowhere
            [
                "handle_message (rasa/core/processor.py:5);_validate_action_result (connectors/rasa_speedups.py:9) 10",
                "handle_message (rasa/core/processor.py:5);retrieve (connectors/stores/tracker_store.py:3) 20",
                "handle_message (rasa/core/processor.py:5);save (connectors/stores/tracker_store.py:7) 30",
                "serve (sanic/server/runners.py:1) 40",
            ],
            {
                "validating action-server replies (jsonschema)": 10.0,
                "tracker store read (SQLite)": 20.0,
                "tracker store write (SQLite)": 30.0,
            },
        ),
        (  # several workers (py-spy --subprocesses): the main process only waits, and is left out
            [
                'process 1:"rasa run";serve_multiple (sanic/server/runners.py:1);poll (popen_fork.py:2) 300',
                'process 1:"rasa run";process 2:"rasa run";handle_message (rasa/core/processor.py:5);'
                "lock (connectors/stores/lock_store.py:4) 25",
                'process 1:"rasa run";process 3:"rasa run";handle_message (rasa/core/processor.py:5);'
                "save (connectors/stores/tracker_store.py:7) 75",
            ],
            {
                "handling REST messages (all of it)": 100.0,
                "conversation lock (Redis)": 25.0,
                "tracker store write (SQLite)": 75.0,
            },
        ),
    ],
)
def test_stage_shares_attribute_samples_to_stages(stacks: list[str], expected: dict[str, float]) -> None:
    shares = dict(stage_shares("\n".join(stacks), "rasa"))
    for stage, share in expected.items():
        assert shares[stage] == share, stage


def test_the_baseline_has_one_rule_per_intent_and_none_per_retrieval_answer() -> None:
    """consult/hours, consult/cost … are one intent for the baseline's rules (they contradicted)."""
    from tools.bench.targets import baseline_files, nlu_intents

    intents = nlu_intents()
    assert "consult" in intents and not any("/" in i for i in intents)
    rules = yaml.safe_load(baseline_files(intents)["rules.yml"])["rules"]
    assert len({r["steps"][0]["intent"] for r in rules}) == len(rules)
