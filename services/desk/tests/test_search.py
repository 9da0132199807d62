"""Conversation search: every filter, pages, bad input, and an index that holds masked text only."""

from __future__ import annotations

import dataclasses
import json

from sqlalchemy import select, update

from agent_desk.db import make_engine
from agent_desk.models import Conversation
from agent_desk.tracker_events import events
from tests.fakes import action, bot, identity_token, slot, user


def _conversations(tracker) -> None:
    tracker.add("web-a", user("where do I pay my premium", "faq/pay_premium", 0.95), bot("Pay online."))
    tracker.add(
        "sms-b",
        user("bal", "check_balance", 0.41, channel="twilio_sms"),
        slot("identity_token", identity_token("M2002")),
        user("qwzx", "nlu_fallback", 0.2, channel="twilio_sms"),
        action("action_misunderstood"),
        user("zzz", "nlu_fallback", 0.2, channel="twilio_sms"),
        action("action_misunderstood"),
        action("action_handoff"),
        slot("handoff_case", "5"),
    )
    tracker.add(
        "web-c",
        user("set up autopay", "setup_autopay", 0.88),
        slot("identity_token", identity_token("M3003")),
    )


def _ids(client, **query) -> list[str]:
    page = client.get("/conversations", params=query)
    assert page.status_code == 200, page.text
    return sorted(sid for sid in ("web-a", "sms-b", "web-c") if f">{sid}</a>" in page.text)


def test_every_filter_narrows_the_list(agent_client, tracker):
    _conversations(tracker)
    assert _ids(agent_client) == ["sms-b", "web-a", "web-c"]
    assert _ids(agent_client, channel="twilio_sms") == ["sms-b"]
    assert _ids(agent_client, member="M3003") == ["web-c"]
    assert _ids(agent_client, intent="faq/pay_premium") == ["web-a"]
    assert _ids(agent_client, handed_off="true") == ["sms-b"]
    assert _ids(agent_client, handed_off="false") == ["web-a", "web-c"]
    assert _ids(agent_client, min_fallbacks="2") == ["sms-b"]
    assert _ids(agent_client, min_fallbacks="3") == []
    assert _ids(agent_client, low_confidence="true") == ["sms-b"]
    assert _ids(agent_client, text="PREMIUM") == ["web-a"]
    assert _ids(agent_client, text="100%") == []  # LIKE wildcards are searched for, not obeyed
    assert _ids(agent_client, channel="website", member="M3003", intent="setup_autopay") == ["web-c"]


def test_dates_filter_by_the_day_the_conversation_started(agent_client, tracker):
    _conversations(tracker)
    assert _ids(agent_client, date_from="2026-12-04", date_to="2026-12-04") == ["sms-b", "web-a", "web-c"]
    assert _ids(agent_client, date_from="2026-12-05") == []
    assert _ids(agent_client, date_to="2026-12-03") == []


def test_bad_filters_are_a_422_that_names_the_field(agent_client):
    reversed_dates = agent_client.get(
        "/conversations", params={"date_from": "2026-12-05", "date_to": "2026-12-01"}
    )
    assert (
        reversed_dates.status_code == 422 and "date_from must be on or before date_to" in reversed_dates.text
    )
    for query, field in [
        ({"date_from": "yesterday"}, "date_from"),
        ({"min_fallbacks": "-1"}, "min_fallbacks"),
        ({"page": "0"}, "page"),
        ({"channel": "Web Chat!"}, "channel"),
        ({"bogus": "1"}, "bogus"),
    ]:
        answer = agent_client.get("/conversations", params=query, headers={"Accept": "application/json"})
        assert answer.status_code == 422 and field in answer.json()["detail"], query


def test_results_come_a_page_at_a_time_newest_first(app, agent_client, tracker):
    app.state.settings = dataclasses.replace(app.state.settings, page_size=2)
    _conversations(tracker)
    first = agent_client.get("/conversations")
    assert first.text.index(">web-c</a>") < first.text.index(">sms-b</a>")
    assert ">web-a</a>" not in first.text and "page=2" in first.text
    second = agent_client.get("/conversations", params={"page": 2})
    assert ">web-a</a>" in second.text and "Next" not in second.text and "page=1" in second.text


def test_htmx_gets_only_the_results(agent_client, tracker):
    _conversations(tracker)
    fragment = agent_client.get(
        "/conversations", params={"channel": "website"}, headers={"HX-Request": "true"}
    )
    assert "<html" not in fragment.text and ">web-a</a>" in fragment.text


def test_new_events_are_indexed_as_they_arrive(agent_client, tracker, db):
    _conversations(tracker)
    assert _ids(agent_client, handed_off="true") == ["sms-b"]
    tracker.add("web-a", user("agent", "human_handoff", 0.9), slot("handoff_case", "6"))
    assert _ids(agent_client, handed_off="true") == ["sms-b", "web-a"]
    assert (
        db.execute(select(Conversation.member_turns).where(Conversation.sender_id == "web-a")).scalar_one()
        == 2
    )


def test_the_index_never_keeps_text_the_tracker_store_masked_later(agent_client, tracker, db):
    """The tracker store rewrites an earlier row when a later message completes a card number; the
    desk's index is rebuilt from the rewritten rows."""
    tracker.add("web-d", user("my card is 4242 4242", "inform", 0.6))
    agent_client.get("/conversations")
    with tracker.engine.begin() as connection:
        row = connection.execute(
            select(events.c.id, events.c.data).where(events.c.sender_id == "web-d")
        ).one()
        data = json.loads(row.data)
        data["text"] = "my card is [card number removed]"
        connection.execute(update(events).where(events.c.id == row.id).values(data=json.dumps(data)))
    tracker.add("web-d", user("[card number ending 4242 removed]", "inform", 0.6))
    agent_client.get("/conversations")
    stored = db.execute(
        select(Conversation.search_text).where(Conversation.sender_id == "web-d")
    ).scalar_one()
    assert "4242 4242" not in stored and "[card number removed]" in stored


def test_a_card_number_typed_into_the_search_is_masked_like_the_index(agent_client, tracker):
    tracker.add("web-e", user("pay with [card number ending 1111 removed]", "pay", 0.9))
    assert "web-e" in agent_client.get("/conversations", params={"text": "4111 1111 1111 1111"}).text


def test_a_tracker_store_rasa_has_not_created_yet_is_an_empty_search(app, agent_client):
    app.state.tracker_engine = make_engine("sqlite://")
    page = agent_client.get("/conversations")
    assert page.status_code == 200 and "No conversation matches" in page.text
