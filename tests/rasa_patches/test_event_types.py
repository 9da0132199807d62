"""Events read back from the tracker store and returned by actions are the same events once their classes
come from a table (assistant/rasa_patches/event_types.py)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Event,
    LegacyForm,
    SessionStarted,
    SlotSet,
    UserUttered,
    deserialise_events,
)
from rasa.shared.utils.common import all_subclasses

from assistant.rasa_patches import event_types
from assistant.rasa_patches.event_types import RasaChangedError


def rasas_own_answer(type_name: str) -> Any:
    """What Rasa 3.6's resolve_by_type returns: the first subclass in all_subclasses order."""
    return next((cls for cls in all_subclasses(Event) if cls.type_name == type_name), None)


def test_every_event_type_resolves_to_the_class_rasa_would_pick() -> None:
    for cls in all_subclasses(Event):
        assert Event.resolve_by_type(cls.type_name) is rasas_own_answer(cls.type_name)
    assert Event.resolve_by_type("active_loop") is ActiveLoop
    assert Event.resolve_by_type("form") is LegacyForm


def test_a_conversation_reads_back_as_the_same_events() -> None:
    conversation = [
        SessionStarted(),
        ActionExecuted("action_listen"),
        UserUttered("what's my balance?", {"name": "check_balance", "confidence": 0.98}),
        SlotSet("requested_slot", "verify_identifier"),
        ActiveLoop("verification_form"),
        BotUttered("What's your account number?"),
    ]

    assert deserialise_events([event.as_dict() for event in conversation]) == conversation


def test_unknown_and_retired_event_names_are_answered_as_rasa_does() -> None:
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")


def test_an_event_class_defined_after_start_up_is_found() -> None:
    class MemberNoted(SlotSet):
        type_name = "member_noted_for_test"

    assert Event.resolve_by_type("member_noted_for_test") is MemberNoted


def test_the_installed_lookup_is_the_table() -> None:
    assert Event.__dict__["resolve_by_type"].__func__ is event_types.resolve_by_type


def test_a_rasa_whose_lookup_changed_shape_stops_the_install() -> None:
    class UpgradedEvent:
        @classmethod
        def resolve_by_type(cls, type_name: str) -> None:
            return None

    with pytest.raises(RasaChangedError, match="resolve_by_type"):
        event_types.install(UpgradedEvent)
