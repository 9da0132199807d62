import datetime as dt

import pytest

from actions.assistance import ActionSubmitFaPrescreen, ValidateFaForm
from actions.cases import (
    ActionAskDisputeLine,
    ActionRequestExtension,
    ActionSubmitDispute,
    ValidateDisputeForm,
)
from actions.form_validation import BillingFormValidation
from actions.guest import ActionSubmitGuest
from actions.handoff import ActionHandoff, ActionInQueue, ActionSensitiveNumber, ActionStopForm
from actions.identity_token import verified_member
from actions.premium import ActionWherePayPremium
from actions.session import ActionSessionStart
from actions.unclear_replies import ActionMisunderstood, ActionYesOrNo
from actions.yes_no_answers import READ_BACK_SLOTS
from assistant.member_tokens import issue_member_token
from tests import demo_members as demo
from tests.actions.action_calls import (
    next_step,
    response_names,
    run,
    said,
    signed_in_as,
    slot_events,
    tracker,
    validate,
)

MARIA, JAMES, LINDA = signed_in_as(demo.MARIA), signed_in_as(demo.JAMES), signed_in_as(demo.LINDA)


async def test_a_due_date_extension_is_requested_once(billing_client):
    messages, _ = await run(ActionRequestExtension(), tracker(JAMES, intent="request_extension"))
    assert said(messages, "utter_extension_requested")["due_date"] == "Dec 10, 2026"
    messages, _ = await run(ActionRequestExtension(), tracker(JAMES, intent="request_extension"))
    assert response_names(messages) == ["utter_extension_pending"]


async def test_a_dispute_records_the_chosen_line(billing_client):
    slots = {**MARIA, "account_number": demo.MARIA["medical"]}
    messages, _ = await run(ActionAskDisputeLine(), tracker(slots))
    buttons = said(messages, "utter_ask_dispute_line")["buttons"]
    xray = next(b for b in buttons if "X-ray" in b["title"])
    typed, _ = await validate(ValidateDisputeForm(), "dispute_line", "the x-ray", slots)
    assert f'"line-{typed["dispute_line"]}"' in xray["payload"]
    messages, _ = await run(
        ActionSubmitDispute(),
        tracker({**slots, "dispute_line": typed["dispute_line"], "dispute_reason": "I never had an X-ray"}),
    )
    recorded = said(messages, "utter_dispute_recorded")
    assert recorded["procedure"] == "Chest X-ray, two views"


@pytest.mark.parametrize(
    ("request_text", "answers"),
    [
        (
            "do i qualify for financial assistance? household of 4, income about 2800 a month",
            {"household_size": 4, "annual_income": 3360000},
        ),
        (
            "its just me and my 2 kids, i make about 1800 a month",
            {"household_size": 3, "annual_income": 2160000},
        ),
        ("family of three making 45k", {"household_size": 3, "annual_income": 4500000}),
        ("is there any financial help", {}),
    ],
)
def test_a_prescreen_request_gives_its_own_answers(request_text, answers):
    assert ValidateFaForm().answers_in_request(request_text) == answers


async def test_the_assistance_prescreen_never_promises(billing_client):
    form = ValidateFaForm()
    assert await validate(form, "household_size", "there are 4 of us") == ({"household_size": 4}, [])
    assert await validate(form, "household_size", "just me") == ({"household_size": 1}, [])
    assert await validate(form, "annual_income", "about 35k") == ({"annual_income": 3500000}, [])
    assert await validate(form, "annual_income", "about 1800 a month") == ({"annual_income": 2160000}, [])
    # The billing service applies the plan's income limit: 400% of the poverty guideline by default.
    family_of_four = tracker({"household_size": 4, "annual_income": 4200000})
    messages, events = await run(ActionSubmitFaPrescreen(), family_of_four)
    assert response_names(messages) == ["utter_fa_may_qualify"]
    assert slot_events(events)["household_size"] is None and slot_events(events)["annual_income"] is None
    messages, _ = await run(
        ActionSubmitFaPrescreen(), tracker({"household_size": 1, "annual_income": 50000000})
    )
    assert response_names(messages) == ["utter_fa_may_not_qualify"]


async def test_the_prescreen_without_billing_says_so_and_promises_nothing(billing_down):
    messages, _ = await run(
        ActionSubmitFaPrescreen(), tracker({"household_size": 4, "annual_income": 4200000})
    )
    assert response_names(messages) == ["utter_billing_unavailable"]


async def test_a_guest_sees_only_the_amount_and_a_link(billing_client, payment_pages_url):
    messages, _ = await run(
        ActionSubmitGuest(),
        tracker({"guest_account_number": demo.JAMES["medical"], "guest_last_name": "Carter"}),
    )
    amount = said(messages, "utter_guest_amount")
    assert amount["amount"] == "$84.40" and amount["url"].startswith(f"{payment_pages_url}/pay/")
    messages, _ = await run(
        ActionSubmitGuest(),
        tracker({"guest_account_number": demo.JAMES["medical"], "guest_last_name": "Smith"}),
    )
    assert response_names(messages) == ["utter_guest_not_found"]


async def test_a_guest_may_prove_the_bill_with_the_date_of_birth(billing_client, payment_pages_url):
    messages, _ = await run(
        ActionSubmitGuest(),
        tracker({"guest_account_number": demo.JAMES["medical"], "guest_date_of_birth": "1972-09-30"}),
    )
    assert said(messages, "utter_guest_amount")["amount"] == "$84.40"
    messages, _ = await run(
        ActionSubmitGuest(),
        tracker({"guest_account_number": demo.JAMES["medical"], "guest_date_of_birth": "1972-10-30"}),
    )
    assert response_names(messages) == ["utter_guest_not_found"]


async def test_where_to_pay_a_premium_depends_on_the_state(billing_client):
    messages, _ = await run(ActionWherePayPremium(), tracker(LINDA, intent="where_pay_premium"))
    answer = said(messages, "utter_premium_payonline")
    assert answer["coverage_hint"] == " Yours is COBRA."
    messages, _ = await run(ActionWherePayPremium(), tracker({"member_state": "Maryland"}))
    assert response_names(messages) == ["utter_premium_mas"]
    messages, events = await run(ActionWherePayPremium(), tracker(intent="where_pay_premium"))
    assert messages == [] and next_step(events) == "premium_state_form"
    messages, _ = await run(ActionWherePayPremium(), tracker({"member_state": "other"}))
    assert response_names(messages) == ["utter_premium_other_state"]


async def test_where_to_pay_a_premium_asked_inside_another_form_asks_no_second_question(billing_client):
    inside = tracker(
        intent="where_pay_premium", text="wait where do i pay premiums", active_loop="verification_form"
    )
    messages, events = await run(ActionWherePayPremium(), inside)
    assert response_names(messages) == ["utter_premium_sites_by_state"] and next_step(events) is None


async def test_a_question_about_coverage_types_hears_them_before_the_state_is_asked(billing_client):
    asking = tracker(
        intent="where_pay_premium", text="the premium site asks for coverage type, what are the options"
    )
    messages, events = await run(ActionWherePayPremium(), asking)
    assert response_names(messages) == ["utter_premium_coverage_types"]
    assert next_step(events) == "premium_state_form"


@pytest.mark.parametrize(
    "question,answer",
    [
        ("where do i pay my premium in colorado?", "utter_premium_payonline"),
        ("im in GA where do I pay the premium", "utter_premium_payonline"),
        ("I live in Maryland, where do I pay my premium", "utter_premium_mas"),
        ("southwest washington, where to pay premium bill", "utter_premium_payonline"),
        ("i live in washington dc, where do i pay my premium?", "utter_premium_other_state"),
        ("paying my premium from honolulu hawaii, what site", "utter_premium_payonline"),
    ],
)
async def test_the_state_named_in_the_question_is_taken(billing_client, question, answer):
    messages, _ = await run(ActionWherePayPremium(), tracker(intent="where_pay_premium", text=question))
    assert response_names(messages) == [answer]


@pytest.mark.parametrize(
    "question",
    [
        "where do i pay my premium in washington",  # Southwest Washington or DC: asked
        "hi, where do I pay my premium online or by mail",  # "hi" and "or" are words here
    ],
)
async def test_no_state_or_an_unclear_one_is_asked_for(billing_client, question):
    messages, events = await run(ActionWherePayPremium(), tracker(intent="where_pay_premium", text=question))
    assert messages == [] and next_step(events) == "premium_state_form"


async def test_handoff_records_a_masked_summary_and_puts_the_member_in_the_queue(billing_client):
    said_card = {"event": "user", "text": "my card is 4242 4242 4242 4242", "parse_data": {}}
    messages, events = await run(
        ActionHandoff(),
        tracker(MARIA, intent="human_handoff", events=[said_card], active_loop="payment_form"),
    )
    case_id = said(messages, "utter_handoff")["case_id"]
    assert slot_events(events)["handoff_case"] == str(case_id)  # later messages hear the queue
    messages, _ = await run(ActionInQueue(), tracker({**MARIA, "handoff_case": str(case_id)}))
    assert said(messages, "utter_still_in_queue")["case_id"] == str(case_id)
    case = next(c for c in await billing_client.handoffs("open") if c.id == case_id)
    assert (case.member_number, case.reason, case.conversation_id) == (
        demo.MARIA["member"],
        "requested",
        "conversation-1",
    )
    assert "4242 4242 4242 4242" not in case.summary and "ending 4242 removed" in case.summary


async def test_handoff_summary_never_carries_the_verification_answers(billing_client):
    def user(text):
        return {"event": "user", "text": text, "parse_data": {}}

    events = [
        user("what do I owe"),
        {"event": "active_loop", "name": "verification_form"},
        user(demo.MARIA["medical"]),
        user("04/12/1985"),
        user("94612"),
        {"event": "active_loop", "name": None},
        user("cvv is 123"),
        user("i want a person"),
    ]
    messages, _ = await run(ActionHandoff(), tracker(MARIA, intent="human_handoff", events=events))
    case_id = said(messages, "utter_handoff")["case_id"]
    summary = next(c for c in await billing_client.handoffs("open") if c.id == case_id).summary
    for secret in ("2000100001", "04/12/1985", "94612", "123"):
        assert secret not in summary
    assert "what do I owe" in summary and "i want a person" in summary


async def test_handoff_without_billing_gives_the_phone_line(billing_down):
    messages, events = await run(ActionHandoff(), tracker(MARIA, intent="human_handoff"))
    assert response_names(messages) == ["utter_handoff_unavailable"]
    assert slot_events(events).get("handoff_case") is None  # no case, so no queue to wait in


async def test_verification_details_nobody_asked_for_start_verification():
    details = tracker(intent="inform", text="2000600001 03/08/1979 97201")
    messages, events = await run(ActionMisunderstood(), details)
    assert messages == [] and [(e["event"], e["name"]) for e in events] == [
        ("followup", "action_require_member")
    ]
    messages, events = await run(
        ActionMisunderstood(), tracker(MARIA, intent="inform", text=details.latest_message["text"])
    )
    assert "followup" not in [event["event"] for event in events]  # verified already


async def test_the_second_miss_in_a_row_offers_a_person():
    first = [{"event": "user", "text": "blorp"}]
    messages, _ = await run(ActionMisunderstood(), tracker(events=first))
    assert response_names(messages) == ["utter_ask_rephrase"]
    second = first + [{"event": "action", "name": "action_misunderstood"}, {"event": "user", "text": "zzz"}]
    messages, events = await run(ActionMisunderstood(), tracker(events=second))
    assert response_names(messages) == ["utter_offer_human"]
    assert slot_events(events)["handoff_reason"] == "misunderstood"


async def test_yes_right_after_the_offer_of_a_person_hands_off_and_only_then(billing_client):
    offered = [
        {"event": "user", "text": "zzz"},
        {"event": "action", "name": "action_misunderstood"},
        {"event": "slot", "name": "person_offered", "value": True},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "yes"},
    ]
    messages, events = await run(
        ActionYesOrNo(), tracker({"person_offered": True}, intent="affirm", text="yes", events=offered)
    )
    assert response_names(messages)[0] == "utter_handoff" and slot_events(events)["handoff_case"]
    # "no" to the offer, or a "yes" later on, is no request for a person.
    messages, _ = await run(
        ActionYesOrNo(), tracker({"person_offered": True}, intent="deny", text="no", events=offered)
    )
    assert response_names(messages) == ["utter_anything_else"]
    later = offered[:-1] + [{"event": "action", "name": "utter_faq"}, {"event": "user", "text": "yes"}]
    messages, _ = await run(
        ActionYesOrNo(), tracker({"person_offered": True}, intent="affirm", text="yes", events=later)
    )
    assert response_names(messages) == ["utter_anything_else"]


async def test_off_topic_twice_in_a_row_says_where_it_goes_then_offers_a_person():
    first = [{"event": "user", "text": "asdfgh jkl"}]
    messages, _ = await run(ActionMisunderstood(), tracker(intent="out_of_scope", events=first))
    assert response_names(messages) == ["utter_out_of_scope"]
    second = first + [{"event": "action", "name": "action_misunderstood"}, {"event": "user", "text": "blah"}]
    messages, events = await run(ActionMisunderstood(), tracker(intent="out_of_scope", events=second))
    assert response_names(messages) == ["utter_out_of_scope", "utter_offer_human"]
    assert slot_events(events)["person_offered"] is True


async def test_inside_a_form_a_miss_gets_a_word_and_no_second_question():
    first = [{"event": "user", "text": "hmm wait"}]
    messages, _ = await run(ActionMisunderstood(), tracker(events=first, active_loop="payment_form"))
    assert response_names(messages) == ["utter_not_understood_in_form"] and not messages[0]["buttons"]
    second = first + [{"event": "action", "name": "action_misunderstood"}, {"event": "user", "text": "zzz"}]
    messages, _ = await run(ActionMisunderstood(), tracker(events=second, active_loop="payment_form"))
    assert response_names(messages) == ["utter_person_reminder_in_form"]


async def test_when_two_requests_come_close_the_member_chooses_with_buttons():
    unsure = tracker(intent="nlu_fallback", text="autopay balance thing")
    unsure.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.45},
        {"name": "autopay_status", "confidence": 0.41},
        {"name": "check_balance", "confidence": 0.38},
        {"name": "faq", "confidence": 0.2},
        {"name": "greet", "confidence": 0.01},
    ]
    messages, _ = await run(ActionMisunderstood(), unsure)
    assert response_names(messages) == ["utter_did_you_mean"]
    assert messages[0]["buttons"] == [
        {"title": "Check my autopay", "payload": "/autopay_status"},
        {"title": "Check my balance", "payload": "/check_balance"},
    ]


async def test_stop_leaves_the_form_and_clears_it():
    messages, events = await run(
        ActionStopForm(), tracker({**MARIA, "payment_amount": 5000}, active_loop="payment_form")
    )
    assert response_names(messages) == ["utter_cancelled"]
    assert slot_events(events)["payment_amount"] is None and slot_events(events)["payment_confirmed"] is None
    messages, _ = await run(ActionStopForm(), tracker(MARIA))
    assert response_names(messages) == ["utter_nothing_to_cancel"]


def at_read_back(slot: str, form: str, text: str, intent: str):
    return tracker(
        {**MARIA, "requested_slot": slot, "account_number": "2000100001"},
        intent=intent,
        text=text,
        active_loop=form,
    )


async def test_yes_in_words_to_a_read_back_is_a_yes_whichever_action_the_rules_chose():
    confirm = at_read_back("autopay_confirmed", "autopay_cancel_form", "yes please stop it", "nlu_fallback")
    messages, events = await run(ActionMisunderstood(), confirm)
    assert messages == [] and slot_events(events)["autopay_confirmed"] is True
    confirm = at_read_back("autopay_confirmed", "autopay_cancel_form", "ok yes cancel it", "cancel")
    messages, events = await run(ActionStopForm(), confirm)
    assert messages == [] and slot_events(events)["autopay_confirmed"] is True
    assert "active_loop" not in [event["event"] for event in events]  # the form goes on to turn it off


async def test_a_hedged_or_negative_reply_to_a_read_back_is_no_yes():
    hedged = at_read_back("payment_confirmed", "payment_form", "yes but wait", "nlu_fallback")
    messages, events = await run(ActionMisunderstood(), hedged)
    assert response_names(messages) == ["utter_not_understood_in_form"]
    assert "payment_confirmed" not in slot_events(events)
    leave = at_read_back("autopay_confirmed", "autopay_cancel_form", "no, leave it on actually", "cancel")
    messages, events = await run(ActionStopForm(), leave)
    assert response_names(messages) == ["utter_cancelled"]
    assert slot_events(events)["autopay_confirmed"] is None


def test_every_read_back_is_known_as_a_yes_no_question():
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    read_backs = {cls.read_back_slot for cls in subclasses(BillingFormValidation)} - {None}
    assert read_backs == READ_BACK_SLOTS


async def test_a_typed_card_number_gets_the_safe_way_to_pay():
    messages, _ = await run(ActionSensitiveNumber(), tracker(MARIA))
    assert said(messages, "utter_sensitive_number")["buttons"][0]["payload"] == "/add_payment_method"


async def test_someone_not_yet_verified_who_types_an_ssn_hears_what_finds_them_instead():
    messages, _ = await run(ActionSensitiveNumber(), tracker(text="my ssn is [SSN removed], look me up"))
    assert response_names(messages) == ["utter_sensitive_number_unverified"]


def session_with(member_token):
    """A new session whose website metadata carries a member token."""
    return tracker({"session_started_metadata": {"member_token": member_token}})


async def test_a_signed_website_session_names_the_member(billing_client, monkeypatch):
    monkeypatch.setenv("MEMBER_TOKEN_SECRET", "test-secret")
    maria = demo.MARIA["member"]
    token = issue_member_token(maria, "test-secret", conversation_id="conversation-1")
    _, events = await run(ActionSessionStart(), session_with(token))
    slots = slot_events(events)
    assert (slots["verified"], slots["member_number"], slots["first_name"]) == (True, maria, "Maria")
    assert verified_member(tracker({"identity_token": slots["identity_token"]})) == maria
    forged = issue_member_token(maria, "another-secret", conversation_id="conversation-1")
    _, events = await run(ActionSessionStart(), session_with(forged))
    assert slot_events(events) == {}
    expired = issue_member_token(
        maria,
        "test-secret",
        conversation_id="conversation-1",
        ttl_seconds=60,
        now=dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1),
    )
    _, events = await run(ActionSessionStart(), session_with(expired))
    assert slot_events(events) == {}


async def test_a_member_token_verifies_only_the_conversation_it_was_issued_for(billing_client, monkeypatch):
    monkeypatch.setenv("MEMBER_TOKEN_SECRET", "test-secret")
    maria = demo.MARIA["member"]
    leaked = issue_member_token(maria, "test-secret", conversation_id="web-someone-else")
    _, events = await run(ActionSessionStart(), session_with(leaked))
    assert slot_events(events) == {}
