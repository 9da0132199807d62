"""The changes this project makes to Rasa's own code at run time, each in its own module.

- action_response_validation: one prebuilt validator for action server responses, not one per call;
- endpoint_connections: pooled keep-alive connections to the action server, and a retry only for a request
  that cannot have reached it;
- event_types: an event's class found in a table, not by walking every Event subclass per event;
- conversation_state_for_nlu: the message the NLU components read says whether a form is active;
- slot_copies: a slot copied by copying its attributes, without the pickle protocol's detour.

`install()` is called once by `assistant/rasa_server.py` before the server starts; each patch checks that
the Rasa code it replaces is still there and raises otherwise, so a Rasa upgrade fails at start-up (and in
tests/rasa_patches/) instead of silently running without it.
"""

from __future__ import annotations


def install() -> None:
    # Imported here: Rasa reads settings from the environment at import time (assistant/rasa_server.py).
    from . import (
        action_response_validation,
        conversation_state_for_nlu,
        endpoint_connections,
        event_types,
        slot_copies,
    )

    action_response_validation.install()
    endpoint_connections.install()
    event_types.install()
    conversation_state_for_nlu.install()
    slot_copies.install()
