"""Finds an event's class by its type name in a table, instead of walking every Event subclass per event.

Rasa 3.6's `Event.resolve_by_type` lists all subclasses of Event (recursively, checking each for
abstractness) for every event it deserialises: every stored event of a conversation on each message, and
every event an action returns. Under load that was 4% of the Rasa process's CPU, and 15% of the tracker
store's time per turn (README, Performance). The table keeps Rasa's answer: the first class in
`all_subclasses(Event)` order with that type name; a name it does not hold (an Event subclass defined
after start-up) is looked up Rasa's way and the table rebuilt.
"""

from __future__ import annotations

import inspect
from typing import Any

from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

PATCHED_ATTRIBUTE = "resolve_by_type"
EXPECTED_PARAMETERS = ["type_name", "default"]


class RasaChangedError(RuntimeError):
    """The Rasa code this patch replaces is not where, or not what, it was written for."""


def _table() -> dict[str, type[Event]]:
    table: dict[str, type[Event]] = {}
    for cls in all_subclasses(Event):
        table.setdefault(cls.type_name, cls)
    return table


_classes = _table()


def resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """Rasa's `Event.resolve_by_type`, from the table."""
    global _classes
    found = _classes.get(type_name)
    if found is not None:
        return found
    _classes = _table()
    if type_name in _classes:
        return _classes[type_name]
    if type_name == "topic":
        return None  # as Rasa: old TopicSet events are skipped
    if default is not None:
        return default
    raise ValueError(f"Unknown event name '{type_name}'.")


def install(target: Any = Event) -> None:
    """Replaces `Event.resolve_by_type`; raises RasaChangedError when it is not there as expected."""
    current = target.__dict__.get(PATCHED_ATTRIBUTE)
    function = getattr(current, "__func__", None)
    if function is resolve_by_type:
        return
    if (
        not isinstance(current, staticmethod)
        or list(inspect.signature(current.__func__).parameters) != EXPECTED_PARAMETERS
    ):
        raise RasaChangedError(
            f"{target.__module__}.{target.__qualname__}.{PATCHED_ATTRIBUTE}(type_name, default) is gone or "
            "changed: check whether Rasa still walks every subclass per event, then update or drop "
            "assistant/rasa_patches/event_types.py"
        )
    setattr(target, PATCHED_ATTRIBUTE, staticmethod(resolve_by_type))
