"""Calling an action as the action server does, on a tracker built for the test, and reading what it
said and set. Fixtures (the billing service, a billing service that is down) are in conftest.py."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker, utils
from rasa_sdk.executor import CollectingDispatcher

from actions.identity_token import issue_identity
from assistant.domain_files import load_domain

DOMAIN = load_domain()
DEFAULT_SLOTS = {name: slot.get("initial_value") for name, slot in DOMAIN["slots"].items()}


def signed_in(member_number: str, conversation_id: str = "conversation-1") -> dict[str, Any]:
    """The slots verification sets: account actions trust only the signed identity among them."""
    return {
        "verified": True,
        "member_number": member_number,
        "identity_token": issue_identity(member_number, conversation_id),
    }


def signed_in_as(member: dict[str, Any]) -> dict[str, Any]:
    """The slots of a demo member (tests/demo_members.py) who has verified in conversation-1."""
    return {**signed_in(member["member"]), "first_name": member["first_name"]}


def tracker(
    slots: dict[str, Any] | None = None,
    *,
    intent: str | None = None,
    text: str = "",
    active_loop: str | None = None,
    events: list[dict] | None = None,
    sender_id: str = "conversation-1",
) -> Tracker:
    return Tracker.from_dict(
        {
            "sender_id": sender_id,
            "slots": {**DEFAULT_SLOTS, **(slots or {})},
            "latest_message": {"intent": {"name": intent, "confidence": 1.0}, "entities": [], "text": text},
            "events": events or [],
            "paused": False,
            "followup_action": None,
            "active_loop": {"name": active_loop} if active_loop else {},
            "latest_action_name": "action_listen",
        }
    )


async def run(action, the_tracker: Tracker) -> tuple[list[dict], list[dict]]:
    """What the action said and the events it returned."""
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, the_tracker, DOMAIN)
    return dispatcher.messages, events


async def validate(
    form, slot: str, value: Any, slots: dict[str, Any] | None = None, *, active_loop: str | None = None
) -> tuple[dict[str, Any], list[str]]:
    """A form validator's answer for one slot, and the responses it sent."""
    dispatcher = CollectingDispatcher()
    result = await utils.call_potential_coroutine(
        getattr(form, f"validate_{slot}")(value, dispatcher, tracker(slots, active_loop=active_loop), DOMAIN)
    )
    return result, response_names(dispatcher.messages)


def response_names(messages) -> list[str]:
    return [m.get("response") for m in messages]


def said(messages, response: str) -> dict:
    """The keyword arguments of the first message sent with `response`."""
    for message in messages:
        if message.get("response") == response:
            return message
    raise AssertionError(f"{response} not sent; sent {response_names(messages)}")


def slot_events(events) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def next_step(events) -> str | None:
    """The form the rules start next (the gate actions set next_step)."""
    return slot_events(events).get("next_step")
