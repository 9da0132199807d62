"""The NLU components see whether a form is active when a member's message is parsed
(assistant/rasa_patches/conversation_state_for_nlu.py), and the member's own message is left as it was."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import ActiveLoop, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.message import Message

from assistant.rasa_patches import conversation_state_for_nlu
from assistant.rasa_patches.conversation_state_for_nlu import RasaChangedError


class GraphRunner:
    """Stands in for the NLU graph: keeps the message it was given and parses nothing."""

    def __init__(self) -> None:
        self.given: list[UserMessage] = []

    def run(self, inputs: dict[str, Any], targets: list[str]) -> dict[str, Any]:
        (message,) = inputs["__message__"]
        self.given.append(message)
        return {"nlu": [Message({"text": message.text})]}


def parsed_with(tracker: DialogueStateTracker, message: UserMessage) -> UserMessage:
    runner = GraphRunner()
    processor = SimpleNamespace(graph_runner=runner, model_metadata=SimpleNamespace(nlu_target="nlu"))
    MessageProcessor._parse_message_with_graph(processor, message, tracker)
    return runner.given[0]


def test_a_message_inside_a_form_says_which_form() -> None:
    tracker = DialogueStateTracker.from_events(
        "member", [ActiveLoop("payment_form"), SlotSet("requested_slot", "amount")]
    )
    said = UserMessage("wait, what's my balance first?", sender_id="member", metadata={"channel": "web"})
    given = parsed_with(tracker, said)
    assert given.text == said.text and given.message_id == said.message_id
    assert given.metadata == {
        "channel": "web",
        "conversation": {"active_loop": "payment_form"},
    }
    assert said.metadata == {"channel": "web"}  # what the tracker stores is the member's own


def test_a_first_message_says_no_form_is_active() -> None:
    tracker = DialogueStateTracker.from_events("member", [SlotSet("requested_slot", "amount")])
    given = parsed_with(tracker, UserMessage("hi", sender_id="member"))
    assert given.metadata["conversation"] == {"active_loop": None}


def test_a_changed_rasa_is_refused_at_start_up() -> None:
    class ChangedProcessor:
        def _parse_message_with_graph(self, message: Any, only_output_properties: bool = True) -> None:
            return None

    with pytest.raises(RasaChangedError):
        conversation_state_for_nlu.install(ChangedProcessor)
