"""A tracker's slots are the same copies once a slot is copied by its attributes
(assistant/rasa_patches/slot_copies.py)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.slots import Slot
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.rasa_patches import slot_copies
from assistant.rasa_patches.slot_copies import RasaChangedError

DOMAIN = Path(__file__).resolve().parents[2] / "domain"


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(DOMAIN))


def copied_the_generic_way(slot: Slot) -> Slot:
    """What `copy.copy` does for an object without `__copy__`: its pickle reduction, rebuilt."""
    reductor = slot.__reduce_ex__(4)
    return copy._reconstruct(slot, None, *reductor)  # type: ignore[attr-defined]


def test_every_slot_of_the_domain_copies_as_copy_copy_did(domain: Domain) -> None:
    assert Slot.__dict__.get("__copy__") is slot_copies.copy_slot
    for slot in domain.slots:
        slot.value = ["a list"] if slot.type_name == "list" else slot.initial_value
        copied = copy.copy(slot)
        generic = copied_the_generic_way(slot)
        assert type(copied) is type(slot) and copied is not slot
        assert copied.__dict__ == generic.__dict__
        assert copied.value is slot.value  # shallow, as copy.copy
    assert {type(slot).__name__ for slot in domain.slots} >= {"TextSlot", "FloatSlot", "BooleanSlot"}


def test_a_trackers_slots_are_its_own(domain: Domain) -> None:
    first = DialogueStateTracker.from_events("a", [SlotSet("account_number", "A-1")], domain.slots)
    second = DialogueStateTracker.from_events("b", [], domain.slots)

    assert first.get_slot("account_number") == "A-1"
    assert second.get_slot("account_number") is None
    assert next(s for s in domain.slots if s.name == "account_number").value is None


@pytest.mark.parametrize("own", ["__slots__", "__copy__", "__reduce_ex__", "__getstate__"])
def test_a_slot_class_that_copies_its_own_way_stops_the_install(own: str) -> None:
    class UpgradedSlot:
        pass

    # Kept in a name: a class nothing refers to could be collected before the install looks for it.
    of_its_own = type(
        "SlotOfItsOwn", (UpgradedSlot,), {own: () if own == "__slots__" else (lambda self: None)}
    )

    with pytest.raises(RasaChangedError, match=own):
        slot_copies.install(UpgradedSlot)
    assert of_its_own.__mro__[1] is UpgradedSlot
