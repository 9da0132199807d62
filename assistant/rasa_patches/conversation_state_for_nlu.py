"""Lets the NLU components know whether the member is inside a form when their message is read.

Rasa 3.6 hands the NLU graph only the message (its text and the client's metadata). Whether a question is
pending changes what a short message most likely means: inside a form, "wait, what's my balance first?"
is a billing side question, whereas the same words as a first message could be about any company's
balance. `MessageProcessor._parse_message_with_graph` is wrapped so the message it parses carries, under
`metadata["conversation"]`, the active form (assistant/nlu/similarity_gate.py reads it). The member's own
message and its stored metadata are left as they were: only the copy parsed has it.
"""

from __future__ import annotations

import inspect
from typing import Any

from rasa.core.channels.channel import UserMessage

CONVERSATION_KEY = "conversation"
PATCHED_ATTRIBUTE = "_parse_message_with_graph"
EXPECTED_PARAMETERS = ["self", "message", "tracker", "only_output_properties"]
_MARK = "_with_conversation_state"


class RasaChangedError(RuntimeError):
    """The Rasa code this patch wraps is not where, or not what, it was written for."""


def conversation_state(tracker: Any) -> dict[str, Any]:
    return {"active_loop": tracker.active_loop_name if tracker is not None else None}


def with_state(message: UserMessage, tracker: Any) -> UserMessage:
    """A copy of `message` whose metadata also says where the conversation stands."""
    metadata = {**(message.metadata or {}), CONVERSATION_KEY: conversation_state(tracker)}
    return UserMessage(
        text=message.text,
        output_channel=message.output_channel,
        sender_id=message.sender_id,
        parse_data=message.parse_data,
        input_channel=message.input_channel,
        message_id=message.message_id,
        metadata=metadata,
    )


def install(target: type | None = None) -> None:
    """Wraps `_parse_message_with_graph`; raises RasaChangedError when it is not there as expected."""
    if target is None:
        # Imported here: the NLU components import this module for CONVERSATION_KEY when a model loads.
        from rasa.core.processor import MessageProcessor

        target = MessageProcessor
    original = target.__dict__.get(PATCHED_ATTRIBUTE)
    if getattr(original, _MARK, False):
        return
    if original is None or list(inspect.signature(original).parameters) != EXPECTED_PARAMETERS:
        raise RasaChangedError(
            f"{target.__module__}.{target.__qualname__}.{PATCHED_ATTRIBUTE}(message, tracker, "
            "only_output_properties) is gone or changed: check how Rasa now hands the message to the NLU "
            "graph, then update or drop assistant/rasa_patches/conversation_state_for_nlu.py"
        )

    def parse_with_state(
        self: Any, message: UserMessage, tracker: Any, only_output_properties: bool = True
    ) -> Any:
        return original(self, with_state(message, tracker), tracker, only_output_properties)

    setattr(parse_with_state, _MARK, True)
    setattr(target, PATCHED_ATTRIBUTE, parse_with_state)
