"""Each Rasa patch of connectors/rasa_speedups.py gives the same result as Rasa's own method."""

from collections.abc import Iterator

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from connectors import rasa_speedups


@pytest.fixture(autouse=True)
def _patched() -> Iterator[None]:
    """Rasa with the project's patches, as connectors.launcher starts it; plain Rasa again after."""
    rasa_speedups.install()
    yield
    rasa_speedups.uninstall()


GOOD = {"events": [{"event": "slot", "name": "category", "value": "labor"}], "responses": [{"text": "好"}]}


def test_the_patch_is_installed() -> None:
    assert RemoteAction._validate_action_result.__module__ == "connectors.rasa_speedups"


def test_a_valid_reply_passes() -> None:
    assert RemoteAction("action_x", None)._validate_action_result(GOOD) is True


@pytest.mark.parametrize(
    "bad", [{"events": "not a list"}, {"events": [{"no_event_key": 1}]}, {"responses": 3}]
)
def test_an_invalid_reply_raises_rasas_error(bad: dict) -> None:
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        RemoteAction("action_x", None)._validate_action_result(bad)


def test_events_resolve_to_the_same_classes_as_rasas_walk() -> None:
    from rasa.shared.core.events import Event, SlotSet, UserUttered
    from rasa.shared.utils.common import all_subclasses

    from connectors import rasa_speedups

    assert Event.resolve_by_type is rasa_speedups.resolve_event_type
    for cls in all_subclasses(Event):
        assert rasa_speedups._ORIGINAL_RESOLVE(cls.type_name) is Event.resolve_by_type(cls.type_name)
    event = Event.from_parameters({"event": "slot", "name": "category", "value": "labor"})
    assert isinstance(event, SlotSet) and event.value == "labor"
    assert Event.resolve_by_type("user") is UserUttered


def test_unknown_event_names_behave_as_in_rasa() -> None:
    from rasa.shared.core.events import Event, SlotSet

    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")


# --- the reply check selects each event's definition by name: same verdict as Rasa's oneOf ------


def _rasa_verdict(reply: object) -> bool:
    from jsonschema import validators

    schema = RemoteAction.action_response_format_spec()
    return validators.validator_for(schema)(schema).is_valid(reply)


def _our_verdict(reply: object) -> bool:
    from connectors.rasa_speedups import _response_validator

    return next(iter(_response_validator().iter_errors(reply)), None) is None


def _every_event() -> list[dict]:
    """One real event of each kind Rasa and rasa_sdk send, as the action server serialises them."""
    from rasa.shared.core import events as e

    samples = [
        e.UserUttered("工资", {"name": "dispute_wage_arrears", "confidence": 0.9}, [{"entity": "amount", "value": 3}]),
        e.BotUttered("您好", {"buttons": [{"title": "是", "payload": "/affirm"}]}),
        e.SlotSet("amount_yuan", 30000), e.SlotSet("category", None), e.ActionExecuted("intake_form"),
        e.ActiveLoop("intake_form"), e.ActiveLoop(None), e.AllSlotsReset(), e.Restarted(), e.UserUtteranceReverted(),
        e.ActionReverted(), e.ConversationPaused(), e.ConversationResumed(), e.FollowupAction("action_listen"),
        e.StoryExported(), e.SessionStarted(), e.LoopInterrupted(True), e.ActionExecutionRejected("intake_form"),
        e.EntitiesAdded([{"entity": "phone", "value": "13800000000"}]), e.AgentUttered("hi"),
        e.ReminderCancelled(name="r"),
    ]  # fmt: skip
    return [event.as_dict() for event in samples]


def test_every_real_event_gets_rasas_verdict() -> None:
    events = _every_event()
    assert len({event["event"] for event in events}) >= 19
    for event in events:
        reply = {"events": [event], "responses": []}
        assert _our_verdict(reply) is _rasa_verdict(reply) is True, event


@pytest.mark.parametrize(
    "reply",
    [
        {"events": [{"event": "slot", "value": 1}]},  # slot without a name
        {"events": [{"event": "slot", "name": 3, "value": 1}]},
        {"events": [{"event": "no_such_event"}]},
        {"events": [{"event": 7}]},
        {"events": [{"event": "user", "parse_data": "not an object"}]},
        {"events": [{"event": "bot", "timestamp": "yesterday"}]},
        {"events": [{"event": "entities", "entities": "x"}]},
        {"events": [{"event": "slot", "name": "a", "value": 1}, "not an event"]},
        {"events": None},
        {"responses": [3]},
        [],
    ],
)
def test_a_broken_reply_is_rejected_as_rasa_rejects_it(reply: object) -> None:
    assert _rasa_verdict(reply) is False
    assert _our_verdict(reply) is False


def test_mixed_replies_get_rasas_verdict() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    good = _every_event()
    bad = [
        {"event": "slot"},
        {"event": "nope"},
        {"event": "user", "text": 5},
        {"event": "action", "name": []},
    ]
    mutate = st.sampled_from(good + bad)

    @settings(max_examples=150, deadline=None)
    @given(st.lists(mutate, max_size=6), st.sampled_from([[], [{"text": "好"}], "x"]))
    def check(events: list, responses: object) -> None:
        reply = {"events": events, "responses": responses}
        assert _our_verdict(reply) is _rasa_verdict(reply)

    check()


# --- calls to the action server reuse one connection per worker -------------------------------


def _counting_server():
    """An aiohttp app answering like an action server, counting the TCP connections it saw."""
    from aiohttp import web

    peers: list[tuple] = []

    async def webhook(request: web.Request) -> web.Response:
        peers.append(request.transport.get_extra_info("peername"))
        assert request.headers.get("Authorization", "").startswith("Basic ")
        return web.json_response({"events": [], "responses": [{"text": "好"}]})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    return app, peers


def test_calls_to_an_endpoint_share_one_connection_and_survive_idle_time(monkeypatch) -> None:
    import asyncio

    from aiohttp import web
    from rasa.utils.endpoints import EndpointConfig

    from connectors import rasa_speedups

    monkeypatch.setattr(rasa_speedups, "KEEPALIVE_SECONDS", 0.2)

    async def scenario() -> list[tuple]:
        app, peers = _counting_server()
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        endpoint = EndpointConfig(
            f"http://127.0.0.1:{port}/webhook", basic_auth={"username": "u", "password": "p"}
        )
        try:
            replies = [await endpoint.request(json={"n": n}) for n in range(3)]
            await asyncio.sleep(0.5)  # longer than the keep-alive: the next call opens a new connection
            replies.append(await endpoint.request(json={"n": 3}))
        finally:
            await rasa_speedups.close_kept_sessions()
            await runner.cleanup()
        assert all(r == {"events": [], "responses": [{"text": "好"}]} for r in replies)
        return peers

    peers = asyncio.run(scenario())
    assert len(peers) == 4
    assert peers[0] == peers[1] == peers[2]  # one connection for the three calls in a row
    assert peers[3] != peers[0]
    assert not rasa_speedups._KEPT  # closed with the loop's server


def test_action_server_calls_carry_the_json_rasa_would_send() -> None:
    import json

    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

    from connectors.rasa_speedups import dumps_json

    message = UserUttered(
        '老板欠我两万块😡 "急"\n',
        {"name": "dispute_debt", "confidence": 0.9300000071525574},
        [{"entity": "amount", "value": 20000.0, "start": 4, "end": 7}],
    )
    events = [kind() for kind in _event_kinds()] + [message]
    state = DialogueStateTracker.from_events("13912345678", events).current_state(EventVerbosity.ALL)
    body = {"next_action": "validate_intake_form", "tracker": state, "version": "3.6.21"}
    assert json.loads(dumps_json(body)) == json.loads(json.dumps(body))
    assert json.loads(dumps_json({1: "a"})) == {"1": "a"}  # keys as json.dumps writes them
    assert dumps_json({"n": 2**70}) == json.dumps({"n": 2**70})  # beyond orjson: json writes it


# --- applied_events continues from the events seen before: same result as Rasa's walk ----------


def _event_kinds():
    from rasa.shared.core import events as e

    return [
        lambda: e.UserUttered("嗯", {"name": "inform", "confidence": 0.9}),
        lambda: e.ActionExecuted("action_listen"),
        lambda: e.ActionExecuted("intake_form"),
        lambda: e.ActionExecuted("status_form"),
        lambda: e.ActionExecuted("utter_greet"),
        lambda: e.ActiveLoop("intake_form"),
        lambda: e.ActiveLoop("status_form"),
        lambda: e.ActiveLoop(None),
        lambda: e.ActionExecutionRejected("intake_form"),
        lambda: e.SlotSet("category", "debt"),
        lambda: e.ActionReverted(),
        lambda: e.UserUtteranceReverted(),
        lambda: e.SessionStarted(),
        lambda: e.Restarted(),
    ]


def test_applied_events_match_rasas_while_a_conversation_grows() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from rasa.shared.core.trackers import DialogueStateTracker

    from connectors import rasa_speedups

    kinds = _event_kinds()

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.lists(st.integers(0, len(kinds) - 1), min_size=1, max_size=4), max_size=25))
    def check(turns: list[list[int]]) -> None:
        tracker = DialogueStateTracker("c", [])
        for turn in turns:
            for kind in turn:
                tracker.update(kinds[kind]())
            ours = tracker.applied_events()  # continued from the previous call's result
            assert ours == rasa_speedups._ORIGINAL_APPLIED_EVENTS(tracker)
            assert [id(e) for e in ours] == [id(e) for e in rasa_speedups._ORIGINAL_APPLIED_EVENTS(tracker)]
            ours.clear()  # a caller changing the returned list does not change the next answer
        assert tracker.applied_events() == rasa_speedups._ORIGINAL_APPLIED_EVENTS(tracker)

    check()


def _tracker_state(tracker) -> tuple:
    """Everything a tracker's events set, as Rasa's copy leaves it."""
    return (
        [e.as_dict() for e in tracker.events],
        {name: (slot.value, slot.has_been_set) for name, slot in tracker.slots.items()},
        tracker._paused,
        tracker.followup_action,
        tracker.latest_action,
        tracker.latest_message,
        tracker.latest_bot_utterance,
        tracker.active_loop,
        tracker.model_id,
        tracker.assistant_id,
        tracker.sender_id,
        tracker.is_rule_tracker,
        tracker._max_event_history,
        tracker.current_state(),
    )


def _state_event_kinds():
    """Every kind of event that changes a tracker's state."""
    from rasa.shared.core import events as e

    return _event_kinds() + [
        lambda: e.SlotSet("consent", True),
        lambda: e.LoopInterrupted(True),
        lambda: e.LoopInterrupted(False),
        lambda: e.FollowupAction("action_file_ticket"),
        lambda: e.ConversationPaused(),
        lambda: e.ConversationResumed(),
        lambda: e.BotUttered("请问您怎么称呼？"),
        lambda: e.AllSlotsReset(),
    ]


def _untimed(value: object) -> object:
    if isinstance(value, dict):
        return {k: _untimed(v) for k, v in value.items() if k not in ("timestamp", "latest_event_time")}
    if isinstance(value, list | tuple):
        return [_untimed(v) for v in value]
    return value


def test_a_tracker_copy_is_rasas_copy_without_the_replay() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from rasa.shared.core import events as e
    from rasa.shared.core.slots import AnySlot, TextSlot
    from rasa.shared.core.trackers import DialogueStateTracker

    from connectors import rasa_speedups

    kinds = _state_event_kinds()

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.integers(0, len(kinds) - 1), max_size=30), st.sampled_from([None, 12]))
    def check(picks: list[int], max_history: int | None) -> None:
        slots = [TextSlot("category", mappings=[{}]), AnySlot("consent", mappings=[{}])]
        tracker = DialogueStateTracker("13912345678", slots, max_history)
        tracker.model_id = "intake-1"
        for pick in picks:
            tracker.update(kinds[pick]())
        before = _tracker_state(tracker)
        ours = tracker.copy()
        assert _tracker_state(ours) == _tracker_state(rasa_speedups._ORIGINAL_COPY(tracker))
        assert _tracker_state(tracker.init_copy()) == _tracker_state(
            rasa_speedups._ORIGINAL_INIT_COPY(tracker)
        )
        for event in (
            e.LoopInterrupted(True),
            e.ActionExecutionRejected("intake_form"),
            e.SlotSet("category", "x"),
        ):
            ours.update(event)  # the copy changes, the original does not
        assert _tracker_state(tracker) == before

    check()


def test_a_forms_temporary_tracker_is_rasas_without_the_replay() -> None:
    from types import SimpleNamespace

    from hypothesis import given, settings
    from hypothesis import strategies as st
    from rasa.core.actions.forms import FormAction
    from rasa.shared.core import events as e
    from rasa.shared.core.slots import AnySlot, TextSlot
    from rasa.shared.core.trackers import DialogueStateTracker

    from connectors import rasa_speedups

    def domain_slots() -> list:
        return [
            TextSlot("category", mappings=[{}]),
            AnySlot("consent", mappings=[{}]),
            TextSlot("requested_slot", mappings=[{}]),
        ]

    kinds = _state_event_kinds() + [
        lambda: e.SlotSet("requested_slot", "consent"),
        lambda: e.SlotSet("requested_slot", None),
    ]
    form = FormAction("intake_form", None)

    @settings(max_examples=300, deadline=None)
    @given(
        st.lists(st.integers(0, len(kinds) - 1), max_size=30),
        st.lists(st.integers(0, len(kinds) - 1), max_size=3),
    )
    def check(picks: list[int], added: list[int]) -> None:
        domain = SimpleNamespace(slots=domain_slots())
        tracker = DialogueStateTracker("13912345678", domain_slots())
        tracker.model_id = "intake-1"
        for pick in picks:
            tracker.update(kinds[pick]())
        new_events = [kinds[pick]() for pick in added]
        before = _tracker_state(tracker)
        ours = form._temporary_tracker(tracker, new_events, domain)
        rasas = rasa_speedups._ORIGINAL_TEMPORARY_TRACKER(form, tracker, new_events, domain)
        # the two events the form adds are made in each call: all but their time is the same
        assert _untimed(_tracker_state(ours)) == _untimed(_tracker_state(rasas))
        assert ours.applied_events() == rasas.applied_events()
        ours.update(e.LoopInterrupted(True))
        assert _tracker_state(tracker) == before

    check()


def test_applied_events_start_over_when_the_history_is_not_a_continuation() -> None:
    from rasa.shared.core.events import ActionExecuted, ActiveLoop, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from connectors import rasa_speedups

    tracker = DialogueStateTracker("c", [])
    for event in [ActionExecuted("action_listen"), UserUttered("a"), ActionExecuted("my_form"),
                  UserUttered("b"), ActionExecuted("my_form")]:  # fmt: skip
        tracker.update(event)
    before = tracker.applied_events()
    tracker.update(ActiveLoop("my_form"))  # a form name first seen now changes the earlier turns
    rasas = rasa_speedups._ORIGINAL_APPLIED_EVENTS(tracker)
    assert rasas != before + [tracker.events[-1]]  # continuing the kept result would be wrong here
    assert tracker.applied_events() == rasas
    tracker.events.pop()
    tracker.events.pop()  # fewer events than last time, another last event
    tracker.update(UserUttered("c"))
    assert tracker.applied_events() == rasa_speedups._ORIGINAL_APPLIED_EVENTS(tracker)


# --- the graph runner computes what dask computed ---------------------------------------------


def _graph_runs(tmp_path, inputs: dict, targets: list[str] | None) -> tuple:
    """The same small graph (two sources, a sum, a product, an unused node) by dask and by ours."""
    from typing import Any as AnyType

    from rasa.engine.graph import ExecutionContext, GraphComponent, GraphSchema, SchemaNode
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.engine.storage.local_model_storage import LocalModelStorage

    from connectors import rasa_speedups

    class Arithmetic(GraphComponent):
        calls: list[str] = []

        @classmethod
        def create(
            cls, config: dict, model_storage: AnyType, resource: AnyType, execution_context: AnyType
        ) -> "Arithmetic":
            return cls()

        def two(self) -> int:
            Arithmetic.calls.append("two")
            return 2

        def add(self, left: int, right: int) -> int:
            return left + right

        def times(self, left: int, right: int) -> int:
            if right < 0:
                raise ValueError("negative")
            return left * right

    def node(fn: str, **needs: str) -> SchemaNode:
        return SchemaNode(needs=needs, uses=Arithmetic, constructor_name="create", fn=fn, config={})

    schema = GraphSchema(
        {
            "two": node("two"),
            "sum": node("add", left="two", right="__x__"),
            "product": node("times", left="sum", right="two"),
            "unused": node("times", left="two", right="two"),
        }
    )
    results = []
    for run in (rasa_speedups._ORIGINAL_RUN_GRAPH, rasa_speedups.run_graph):
        runner = DaskGraphRunner(schema, LocalModelStorage(tmp_path), ExecutionContext(schema, "t"))
        Arithmetic.calls.clear()
        try:
            results.append((run(runner, inputs, targets), len(Arithmetic.calls)))
        except Exception as error:  # noqa: BLE001 - the comparison is the point
            results.append((type(error), str(error.__cause__ or error)))
    return tuple(results)


@pytest.mark.parametrize(
    "inputs, targets",
    [
        ({"__x__": 3}, ["product"]),
        ({"__x__": 3}, ["sum", "product"]),
        ({"__x__": 3}, ["unused", "sum"]),
        ({"__x__": "not a number"}, ["product"]),  # a component fails: the same exception
    ],
)
def test_graph_runner_gives_dasks_results(tmp_path, inputs: dict, targets: list[str]) -> None:
    dask, ours = _graph_runs(tmp_path, inputs, targets)
    assert ours == dask
    if targets == ["product"] and inputs["__x__"] == 3:
        assert ours == ({"product": 10}, 1)  # (2 + 3) * 2, the shared node computed once
