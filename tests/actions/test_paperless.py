"""Paperless billing is changed only as the member asked and only after a "yes" to the read-back."""

from __future__ import annotations

import pytest

from actions.identity import ActionRequireMember
from actions.paperless import ActionAskPaperlessConfirmed, ActionSubmitPaperless
from tests import demo_members as demo
from tests.actions.action_calls import (
    next_step,
    response_names,
    run,
    said,
    signed_in_as,
    slot_events,
    tracker,
)

MARIA = signed_in_as(demo.MARIA)


def asking(intent: str, text: str):
    request = {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}
    return tracker(MARIA, intent=intent, text=text, events=[request])


async def paperless(client, account: str) -> bool:
    return (await client.for_member(demo.MARIA["member"]).account(account)).paperless


async def set_both(client, enabled: bool) -> None:
    maria = client.for_member(demo.MARIA["member"])
    for account in (demo.MARIA["medical"], demo.MARIA["premium"]):
        await maria.set_paperless(account, enabled)


@pytest.mark.parametrize("intent,wanted", [("paperless_on", True), ("paperless_off", False)])
async def test_the_request_is_read_back_before_anything_changes(billing_client, intent, wanted):
    await set_both(billing_client, not wanted)
    messages, events = await run(ActionRequireMember(), asking(intent, "switch my statements"))
    assert next_step(events) == "paperless_form" and messages == []
    changed = slot_events(events)
    assert changed["paperless_wanted"] is wanted
    assert changed["paperless_accounts"] == [demo.MARIA["medical"], demo.MARIA["premium"]]
    assert await paperless(billing_client, demo.MARIA["medical"]) is not wanted  # nothing changed yet

    in_form = {**MARIA, **changed, "requested_slot": "paperless_confirmed"}
    messages, _ = await run(ActionAskPaperlessConfirmed(), tracker(in_form, active_loop="paperless_form"))
    question = said(messages, "utter_ask_paperless_on" if wanted else "utter_ask_paperless_off")
    assert question["accounts"] == "medical bill account ending 0001 and premium account ending 0002"

    messages, _ = await run(ActionSubmitPaperless(), tracker({**in_form, "paperless_confirmed": True}))
    assert response_names(messages) == ["utter_paperless_on" if wanted else "utter_paperless_off"] * 2
    assert await paperless(billing_client, demo.MARIA["medical"]) is wanted
    assert await paperless(billing_client, demo.MARIA["premium"]) is wanted


async def test_no_to_the_read_back_changes_nothing(billing_client):
    await set_both(billing_client, False)
    in_form = {
        **MARIA,
        "paperless_wanted": True,
        "paperless_accounts": [demo.MARIA["medical"]],
        "paperless_confirmed": False,
    }
    messages, _ = await run(ActionSubmitPaperless(), tracker(in_form))
    assert response_names(messages) == ["utter_paperless_not_changed"]
    assert await paperless(billing_client, demo.MARIA["medical"]) is False


async def test_a_named_account_is_the_only_one_changed_and_one_already_so_is_said(billing_client):
    await set_both(billing_client, False)
    _, events = await run(ActionRequireMember(), asking("paperless_on", "paperless for my premium please"))
    assert slot_events(events)["paperless_accounts"] == [demo.MARIA["premium"]]
    await set_both(billing_client, True)
    messages, events = await run(ActionRequireMember(), asking("paperless_on", "go paperless"))
    assert response_names(messages) == ["utter_paperless_already_on"]
    assert next_step(events) is None
