"""Rasa still rejects a malformed action server response, and still takes a valid one, once the per-call
schema re-check is replaced by one prebuilt validator (assistant/rasa_patches/action_response_validation.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import jsonschema
import pytest
from aiohttp import web
from rasa.core.actions.action import RemoteAction
from rasa.core.channels import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    AgentUttered,
    AllSlotsReset,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    EntitiesAdded,
    FollowupAction,
    LoopInterrupted,
    ReminderCancelled,
    ReminderScheduled,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from assistant.rasa_patches import action_response_validation
from assistant.rasa_patches.action_response_validation import RasaChangedError

VALID = {
    "events": [{"event": "slot", "name": "balance_cents", "value": 4250, "timestamp": None}],
    "responses": [{"text": "Your balance is $42.50."}],
}
MALFORMED = [
    {"events": "not a list"},
    {"events": [{"event": "slot", "value": 1}]},  # a slot event without the slot's name
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"name": "balance_cents"}]},  # no event type at all
    {"responses": ["Your balance is $42.50."]},  # a response must be an object
]


@pytest.fixture
async def action_server_answering() -> AsyncIterator[Any]:
    """A stand-in action server that answers every call with the body the test sets."""
    answer: dict[str, Any] = {}

    async def webhook(_: web.Request) -> web.Response:
        return web.json_response(answer["body"])

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def run_action(body: dict[str, Any]) -> list[Any]:
        answer["body"] = body
        action = RemoteAction("action_check_balance", EndpointConfig(f"http://127.0.0.1:{port}/webhook"))
        return await action.run(
            CollectingOutputChannel(),
            TemplatedNaturalLanguageGenerator({}),
            DialogueStateTracker("member", slots=[]),
            Domain.empty(),
        )

    yield run_action
    await runner.cleanup()


async def test_a_valid_response_becomes_the_actions_events(action_server_answering: Any) -> None:
    events = await action_server_answering(VALID)

    assert [type(event) for event in events] == [BotUttered, SlotSet]
    assert events[0].text == "Your balance is $42.50."
    assert (events[1].key, events[1].value) == ("balance_cents", 4250)


@pytest.mark.parametrize("body", MALFORMED)
async def test_a_malformed_response_is_rejected_with_rasas_hint(
    action_server_answering: Any, body: Any
) -> None:
    with pytest.raises(jsonschema.ValidationError) as rejected:
        await action_server_answering(body)

    assert "Failed to validate Action server response from API" in rejected.value.message


@pytest.mark.parametrize("body", MALFORMED)
def test_the_rejection_is_the_one_jsonschema_validate_raises(body: Any) -> None:
    """Same schema, same validator class, same best-matching error as Rasa's own per-call check."""
    with pytest.raises(jsonschema.ValidationError) as expected:
        jsonschema.validate(body, RemoteAction.action_response_format_spec())
    with pytest.raises(jsonschema.ValidationError) as raised:
        RemoteAction("action_check_balance", None)._validate_action_result(body)

    assert raised.value.message.startswith(expected.value.message + ". Failed to validate")
    assert list(raised.value.absolute_path) == list(expected.value.absolute_path)
    assert raised.value.validator == expected.value.validator


def every_kind_of_event() -> list[dict[str, Any]]:
    """One event of each type an action can return, as Rasa writes them, and broken copies of each."""
    whole = [
        UserUttered("hi", {"name": "greet", "confidence": 0.9}).as_dict(),
        ActionExecuted("action_check_balance").as_dict(),
        SlotSet("balance_cents", 4250).as_dict(),
        EntitiesAdded([{"entity": "amount", "value": "30"}]).as_dict(),
        ReminderScheduled("EXTERNAL_reminder", datetime(2026, 12, 6)).as_dict(),
        ReminderCancelled(name="reminder").as_dict(),
        ActionExecutionRejected("payment_form").as_dict(),
        ActiveLoop("payment_form").as_dict(),
        ActiveLoop(None).as_dict(),
        LoopInterrupted(True).as_dict(),
        AllSlotsReset().as_dict(),
        ConversationPaused().as_dict(),
        ConversationResumed().as_dict(),
        FollowupAction("action_listen").as_dict(),
        Restarted().as_dict(),
        UserUtteranceReverted().as_dict(),
        ActionReverted().as_dict(),
        BotUttered("Your balance is $42.50.", {"buttons": []}).as_dict(),
        SessionStarted().as_dict(),
        AgentUttered("hello").as_dict(),
    ]
    broken: list[Any] = []
    for event in whole:
        broken.append({key: value for key, value in event.items() if key != "timestamp"})
        broken.append({**event, "timestamp": "yesterday"})
        broken.append({**event, "event": event["event"].upper()})
        for key, value in event.items():
            if key not in ("event", "timestamp"):
                broken.append({k: v for k, v in event.items() if k != key})
                broken.append({**event, key: [value]})
    return whole + broken + [{"event": 3}, {"event": None}, "slot", None, []]


def test_the_quick_check_accepts_exactly_what_the_schema_accepts() -> None:
    schema = RemoteAction.action_response_format_spec()
    check = RemoteAction("action_check_balance", None)._validate_action_result
    events = every_kind_of_event()
    bodies = [{"events": [event]} for event in events] + [{"events": events[:20]}, *MALFORMED, {}]
    bodies += [{**VALID, "responses": [{"text": None}]}, {"events": None}, {"events": [], "extra": 1}]
    # The quick way alone must agree too: the whole schema behind it hides a quick check refusing too much.
    quick = action_response_validation.quick_check(schema, jsonschema.validators.validator_for(schema))
    accepted = rejected = 0
    for body in bodies:
        try:
            jsonschema.validate(body, schema)
        except jsonschema.ValidationError:
            with pytest.raises(jsonschema.ValidationError):
                check(body)
            assert not quick(body)
            rejected += 1
        else:
            assert check(body) is True
            assert quick(body)
            accepted += 1
    assert accepted > 20 and rejected > 20  # both sides of the schema were tried


def test_the_prebuilt_check_is_what_rasa_runs() -> None:
    assert getattr(RemoteAction._validate_action_result, "_prebuilt_validator", False)
    assert RemoteAction("action_check_balance", None)._validate_action_result(VALID) is True


def test_a_rasa_without_the_method_stops_the_install() -> None:
    class UpgradedRemoteAction:
        """As if an upgrade had moved the check elsewhere."""

        @staticmethod
        def action_response_format_spec() -> dict[str, Any]:
            return {}

    with pytest.raises(RasaChangedError, match="_validate_action_result"):
        action_response_validation.install(UpgradedRemoteAction)


def test_a_rasa_whose_method_changed_shape_stops_the_install() -> None:
    class UpgradedRemoteAction:
        def _validate_action_result(self, result: Any, schema: Any) -> bool:
            return True

    with pytest.raises(RasaChangedError):
        action_response_validation.install(UpgradedRemoteAction)


def test_event_schemas_without_names_of_their_own_stop_the_install() -> None:
    schema = RemoteAction.action_response_format_spec()
    events = schema["properties"]["events"]
    first = events["items"]["oneOf"][0]
    twice = {**events["items"], "oneOf": [first, first]}
    changed = {**schema, "properties": {**schema["properties"], "events": {**events, "items": twice}}}

    with pytest.raises(RasaChangedError, match="name of its own"):
        action_response_validation.quick_check(changed, jsonschema.validators.validator_for(schema))
