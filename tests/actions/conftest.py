"""Actions run against the real billing service, in process, through the same HTTP client."""
from __future__ import annotations

import os
from typing import Any, Dict, List, Optional

import httpx
import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.lookups import use_billing_client
from actions.identity_token import issue_identity
from assistant.billing_client import BillingClient
from assistant.domain_files import load_domain

DOMAIN = load_domain()
DEFAULT_SLOTS = {name: slot.get("initial_value") for name, slot in DOMAIN["slots"].items()}
# Account actions trust only a signed identity: tests sign in the way verification does.
os.environ.setdefault("IDENTITY_TOKEN_SECRET", "test-identity-token-secret-0123")


def signed_in(member_number: str, conversation_id: str = "conversation-1") -> Dict[str, Any]:
    return {"verified": True, "member_number": member_number,
            "identity_token": issue_identity(member_number, conversation_id)}


MARIA = {**signed_in("M100001"), "first_name": "Maria"}


@pytest.fixture
async def billing_client(billing_url):
    client = BillingClient(billing_url)
    use_billing_client(client)
    yield client
    use_billing_client(None)
    await client.aclose()


class Unreachable(httpx.AsyncBaseTransport):
    """A billing service that is down: every request fails to connect."""

    def __init__(self):
        self.requests = 0

    async def handle_async_request(self, request):
        self.requests += 1
        raise httpx.ConnectError("connection refused", request=request)


@pytest.fixture
async def billing_down():
    transport = Unreachable()
    use_billing_client(BillingClient("http://billing.test", transport=transport))
    yield transport
    use_billing_client(None)


def tracker(slots: Optional[Dict[str, Any]] = None, *, intent: Optional[str] = None, text: str = "",
            active_loop: Optional[str] = None, events: Optional[List[dict]] = None,
            sender_id: str = "conversation-1") -> Tracker:
    return Tracker.from_dict({
        "sender_id": sender_id,
        "slots": {**DEFAULT_SLOTS, **(slots or {})},
        "latest_message": {"intent": {"name": intent, "confidence": 1.0}, "entities": [], "text": text},
        "events": events or [],
        "paused": False,
        "followup_action": None,
        "active_loop": {"name": active_loop} if active_loop else {},
        "latest_action_name": "action_listen",
    })


async def run(action, the_tracker: Tracker):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, the_tracker, DOMAIN)
    return dispatcher.messages, events


def responses(messages) -> List[str]:
    return [m.get("response") for m in messages]


def said(messages, response: str) -> dict:
    """The keyword arguments of the first message sent with `response`."""
    for message in messages:
        if message.get("response") == response:
            return message
    raise AssertionError(f"{response} not sent; sent {responses(messages)}")


def slot_events(events) -> Dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def next_step(events) -> Optional[str]:
    """The form the rules start next (the gate actions set next_step)."""
    return slot_events(events).get("next_step")
