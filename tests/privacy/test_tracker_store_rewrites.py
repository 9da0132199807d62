"""What the tracker store writes: masked events, and earlier rows rewritten when a later message makes
them sensitive (a number finished in two messages, verification answers once checked)."""

import json

import pytest
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)

from tests.privacy.conversations import open_store, stored_rows, stored_text, turn


@pytest.fixture
def store(tmp_path):
    return open_store(tmp_path / "tracker.db")


def said(text, **metadata):
    return UserUttered(
        text,
        parse_data={"text": text, "intent": {"name": "inform", "confidence": 1.0}, "entities": []},
        metadata=metadata or None,
    )


def texts(store, sender):
    return [
        json.loads(row)["text"] for row in stored_rows(store, sender) if json.loads(row)["event"] == "user"
    ]


async def test_a_card_number_finished_in_a_second_message_masks_the_first_one_too(store):
    await turn(store, "c1", said("my card is 4242 4242"), BotUttered("Sorry?"))
    assert texts(store, "c1") == ["my card is 4242 4242"]  # alone it is nothing: kept as typed
    await turn(store, "c1", said("4242 4242."), SlotSet("dispute_reason", "4242 4242."))
    assert texts(store, "c1") == [
        "my card is [card number ending 4242 removed]",
        "[card number ending 4242 removed].",
    ]
    stored = stored_text(store, "c1")
    assert "4242 4242" not in stored and "42424242" not in stored
    tracker = await store.retrieve("c1")
    assert tracker.get_slot("dispute_reason") == "[card number ending 4242 removed]."


async def test_an_ssn_said_over_three_messages_is_masked_in_all_three(store):
    for part in ("my social is 123", "45", "6789"):
        await turn(store, "c2", said(part), BotUttered("Go on"))
    assert texts(store, "c2") == ["my social is [SSN removed]", "[SSN removed]", "[SSN removed]"]


async def test_a_security_code_answered_on_its_own_is_masked(store):
    await turn(store, "c3", said("do you need the cvv?"))
    await turn(store, "c3", said("123"))
    assert texts(store, "c3") == ["do you need the cvv?", "[security code removed]"]


async def test_an_account_number_then_a_zip_code_are_not_one_number(store):
    # 2000100001 + 94612 would pass Luhn as a 15-digit number; each is a whole answer on its own.
    await turn(store, "c4", said("2000100001"))  # no account words: "account" would make privacy win
    await turn(store, "c4", said("94612"))
    assert texts(store, "c4") == ["2000100001", "94612"]


def verification_turns(starter="pay my bill"):
    return [
        (
            said(starter),
            ActionExecuted("action_require_member"),
            SlotSet("next_step", "verification_form"),
            ActionExecuted("verification_form"),
            ActiveLoop("verification_form"),
            SlotSet("requested_slot", "verify_identifier"),
        ),
        (
            said("it's 2000-1000-01"),
            ActionExecuted("verification_form"),
            SlotSet("verify_identifier", "it's 2000-1000-01"),
            SlotSet("verify_identifier", "2000100001"),
            SlotSet("requested_slot", "verify_birth_date"),
        ),
        (
            said("04/12/1985"),
            ActionExecuted("verification_form"),
            SlotSet("verify_birth_date", "1985-04-12"),
            SlotSet("requested_slot", "verify_zip"),
        ),
        (
            said("94612"),
            ActionExecuted("verification_form"),
            SlotSet("verify_zip", "94612"),
            ActiveLoop(None),
            SlotSet("requested_slot", None),
        ),
    ]


async def test_verification_answers_stay_usable_until_checked_then_are_masked(store):
    for events in verification_turns():
        await turn(store, "c5", *events)
    before = stored_text(store, "c5")
    assert all(
        answer in before for answer in ("2000100001", "2000-1000-01", "04/12/1985", "1985-04-12", "94612")
    )
    tracker = await store.retrieve("c5")
    assert tracker.get_slot("verify_identifier") == "2000100001"  # the check still needs them

    await turn(
        store,
        "c5",
        ActionExecuted("action_verify_member"),
        SlotSet("verify_identifier", None),
        SlotSet("verify_birth_date", None),
        SlotSet("verify_zip", None),
        SlotSet("verified", True),
        BotUttered("Thanks, you're verified."),
    )
    after = stored_text(store, "c5")
    for answer in ("2000100001", "2000-1000-01", "1000", "04/12/1985", "1985-04-12", "1985", "94612"):
        assert answer not in after
    assert texts(store, "c5") == [
        "pay my bill",
        "it's [account number ending 0001 removed]",
        "[date of birth removed]",
        "[ZIP code removed]",
    ]
    slots = [json.loads(row) for row in stored_rows(store, "c5")]
    assert [s["value"] for s in slots if s["event"] == "slot" and s["name"] == "verify_zip"] == [
        "[ZIP code removed]",
        None,
    ]


async def test_the_message_that_started_verification_is_masked_when_it_carried_an_answer(store):
    for events in verification_turns(starter="verify me, account 2000100001"):
        await turn(store, "c6", *events)
    await turn(store, "c6", ActionExecuted("action_verify_member"))
    assert texts(store, "c6")[0] == "verify me, account [account number ending 0001 removed]"


async def test_tokens_never_reach_the_database_but_the_signed_identity_does(store):
    tracker = await turn(
        store,
        "c7",
        ActionExecuted("action_session_start"),
        SessionStarted(metadata={"member_token": "mt-secret"}),
        SlotSet("session_started_metadata", {"member_token": "mt-secret", "channel": "website"}),
        ActionExecuted("action_listen"),
        said("hi", member_token="mt-secret", page="/billing"),
        SlotSet("identity_token", "eyJhbGciOi.signed-identity.sig"),
    )
    stored = stored_text(store, "c7")
    assert "mt-secret" not in stored and "member_token" not in stored
    again = await store.retrieve("c7")
    assert again.get_slot("identity_token") == "eyJhbGciOi.signed-identity.sig"
    assert again.get_slot("session_started_metadata") == {"channel": "website"}
    assert again.latest_message.metadata == {"page": "/billing"}
    # The store only writes: this turn's tracker (what the action server was sent) is untouched.
    assert tracker.latest_message.metadata["member_token"] == "mt-secret"


async def test_bot_text_and_slot_values_are_masked_too(store):
    await turn(
        store,
        "c8",
        said("hello"),
        BotUttered("You typed 4242 4242 4242 4242"),
        SlotSet("dispute_reason", "charged twice on 4242-4242-4242-4242, cvv 123"),
    )
    stored = stored_text(store, "c8")
    assert (
        "4242 4242 4242 4242" not in stored
        and "4242-4242-4242-4242" not in stored
        and "cvv 123" not in stored
    )


async def test_the_request_kept_while_verifying_is_masked_once_checked(store):
    # The gate keeps the request's words in request_text; when they carry the answers, they are masked with
    # the message once action_verify_member has checked them.
    starter = "what do I owe? account 2000400001, born 06/03/1958, zip 96813"
    await turn(
        store,
        "c8",
        said(starter),
        ActionExecuted("action_require_member"),
        SlotSet("request_text", starter),
        SlotSet("verify_identifier", "2000400001"),
        SlotSet("verify_birth_date", "1958-06-03"),
        SlotSet("verify_zip", "96813"),
        ActionExecuted("verification_form"),
        ActiveLoop("verification_form"),
        ActiveLoop(None),
        ActionExecuted("action_verify_member"),
        SlotSet("request_text", None),
    )
    stored = stored_text(store, "c8")
    for answer in ("2000400001", "06/03/1958", "1958", "96813"):
        assert answer not in stored
    assert "what do I owe?" in stored
