"""The transcript an agent reads, suggested better answers, exports, and the audit rows they leave."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import select

from agent_desk.models import AuditEntry, TurnNote
from agent_desk.tracker_events import latest_event_id
from agent_desk.web import conversation_routes
from tests.fakes import action, bot, identity_token, slot, user
from tests.signing_in import post


def _conversation(tracker) -> None:
    tracker.add(
        "web-1",
        {"event": "session_started"},
        {
            **user("why did i get a bill", "faq", 0.92),
            "parse_data": {
                "intent": {"name": "faq", "confidence": 0.92},
                "response_selector": {"faq": {"response": {"intent_response_key": "faq/why_bill"}}},
            },
        },
        action("utter_faq"),
        bot("A bill lists what your plan did not cover."),
        user("blorp the thing", "nlu_fallback", 0.31),
        action("action_misunderstood"),
        bot("Sorry, could you rephrase?"),
        user("my balance", "check_balance", 0.48),
        slot("identity_token", identity_token("M1001")),
        action("action_handoff"),
        slot("handoff_case", "3"),
        bot("You're in the queue."),
        bot("Hi, Ana here from billing.", desk_agent="ana@plan.example"),
    )


def test_the_transcript_shows_every_turn_in_order_with_intents_and_flags(agent_client, tracker):
    _conversation(tracker)
    page = agent_client.get("/conversations/web-1")
    assert page.status_code == 200
    text = page.text
    order = [
        "why did i get a bill",
        "A bill lists",
        "blorp the thing",
        "Sorry, could you rephrase?",
        "my balance",
        "You&#39;re in the queue.",
        "Hi, Ana here from billing.",
    ]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    assert "faq/why_bill · 0.92" in text and "nlu_fallback · 0.31" in text
    assert text.count('class="flag">Fallback<') == 1
    assert text.count('class="flag">Low confidence<') == 2  # 0.31 and 0.48, below 0.5
    assert "Agent ana@plan.example" in text
    assert "session started" in text
    assert "Action <code>action_handoff</code>" in text and "Slot <code>handoff_case</code>" in text
    assert "<summary>1 action</summary>" in text and "<summary>1 action, 2 slot changes</summary>" in text


def test_the_identity_token_is_never_shown(agent_client, tracker):
    _conversation(tracker)
    token = identity_token("M1001")
    page = agent_client.get("/conversations/web-1").text
    assert token not in page and "[hidden]" in page
    assert token not in agent_client.get("/conversations/web-1/export?format=json").text


def test_an_unknown_conversation_is_a_404(agent_client, tracker):
    answer = agent_client.get("/conversations/web-nobody", headers={"Accept": "text/html"})
    assert answer.status_code == 404 and "no conversation with this id" in answer.text


def test_viewing_is_audited(agent_client, tracker, db):
    _conversation(tracker)
    agent_client.get("/conversations/web-1")
    entry = db.execute(select(AuditEntry)).scalar_one()
    assert (entry.action, entry.conversation_id) == ("viewed", "web-1")


def _event_id_of(db_tracker_text: str, page: str) -> str:
    marker = page.index(db_tracker_text)
    start = page.rindex('id="turn-', 0, marker) + len('id="turn-')
    return page[start : page.index('"', start)]


def test_a_suggested_better_answer_is_shown_and_exported(agent_client, tracker, db):
    _conversation(tracker)
    page = agent_client.get("/conversations/web-1").text
    event_id = _event_id_of("Sorry, could you rephrase?", page)
    saved = post(
        agent_client,
        f"/conversations/web-1/turns/{event_id}/suggestions",
        text="Offer the balance buttons; card 4242 4242 4242 4242 never",
    )
    assert saved.status_code == 303
    page = agent_client.get("/conversations/web-1").text
    assert "Better answer suggested by ana@plan.example: Offer the balance buttons" in page
    assert "4242 4242 4242 4242" not in db.execute(select(TurnNote.text)).scalar_one()
    exported = json.loads(agent_client.get("/conversations/web-1/export?format=json").text)
    turn = next(t for t in exported["turns"] if t["event_id"] == int(event_id))
    assert turn["suggestions"][0]["by"] == "ana@plan.example"
    assert turn["suggestions"][0]["text"].startswith("Offer the balance buttons")


def test_a_suggestion_on_a_turn_of_another_conversation_is_refused(agent_client, tracker):
    _conversation(tracker)
    tracker.add("web-2", user("hello", "greet", 0.99))
    other_page = agent_client.get("/conversations/web-2").text
    event_id = _event_id_of("hello", other_page)
    refused = post(agent_client, f"/conversations/web-1/turns/{event_id}/suggestions", text="x")
    assert refused.status_code == 404 and "not part of this conversation" in refused.json()["detail"]
    assert post(agent_client, "/conversations/web-1/turns/1/suggestions", text="").status_code == 422


def test_the_json_export_has_the_turns_intents_and_flags(agent_client, tracker, db):
    _conversation(tracker)
    answer = agent_client.get("/conversations/web-1/export?format=json")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    assert 'filename="conversation-web-1.json"' in answer.headers["content-disposition"]
    turns = json.loads(answer.text)["turns"]
    members = [t for t in turns if t["kind"] == "member"]
    assert [(t["intent"], t["fallback"], t["low_confidence"]) for t in members] == [
        ("faq/why_bill", False, False),
        ("nlu_fallback", True, True),
        ("check_balance", False, True),
    ]
    assert [t["kind"] for t in turns if t["kind"] in ("assistant", "agent")][-1] == "agent"
    assert db.execute(select(AuditEntry.detail).where(AuditEntry.action == "exported")).scalar_one() == "json"


def test_the_csv_export_keeps_member_text_from_running_as_a_formula(agent_client, tracker):
    tracker.add("web-3", user('=HYPERLINK("http://x")', "out_of_scope", 0.7))
    answer = agent_client.get("/conversations/web-3/export?format=csv")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert rows[0]["text"] == '\'=HYPERLINK("http://x")' and rows[0]["intent"] == "out_of_scope"


def test_an_unknown_export_format_is_a_422(agent_client, tracker):
    _conversation(tracker)
    answer = agent_client.get("/conversations/web-1/export?format=xml")
    assert answer.status_code == 422 and "format" in answer.json()["detail"]


def test_a_conversation_in_the_queue_updates_itself(agent_client, app, tracker, billing, monkeypatch):
    _conversation(tracker)
    tracker.add("web-2", user("hello", "greet", 0.99))
    billing.open_case(3, "web-1")
    agent_client.get("/queue")
    assert 'data-live-turns="/conversations/web-1/events"' in agent_client.get("/conversations/web-1").text
    assert "data-live-turns" not in agent_client.get("/conversations/web-2").text  # not in the queue
    app.state.sse_ticks = 2
    ticks = iter([lambda: None, lambda: tracker.add("web-1", user("are you there?", "ask_status", 0.8))])

    def newest_after_a_tick(connection, sender_id):
        next(ticks)()  # between the stream's checks the member writes again
        return latest_event_id(connection, sender_id)

    monkeypatch.setattr(conversation_routes, "latest_event_id", newest_after_a_tick)
    with agent_client.stream("GET", "/conversations/web-1/events") as stream:
        body = "".join(stream.iter_text())
    assert body.count("event: turns") == 2
    fragment = agent_client.get("/conversations/web-1/turns")
    assert "<html" not in fragment.text and "are you there?" in fragment.text
    assert (
        agent_client.get("/conversations/web-1/turns", headers={"Accept": "application/json"}).status_code
        == 200
    )


def test_the_reply_box_says_where_the_reply_goes(agent_client, tracker, billing):
    tracker.add("sms-1", user("person please", "human_handoff", 0.9, channel="twilio_sms"))
    tracker.add("rest-1", user("person please", "human_handoff", 0.9, channel="rest"))
    tracker.add("web-1", user("person please", "human_handoff", 0.9))
    for case_id, conversation in [(1, "sms-1"), (2, "rest-1"), (3, "web-1")]:
        billing.open_case(case_id, conversation)
    agent_client.get("/queue")
    for case_id in (1, 2, 3):
        post(agent_client, f"/handoffs/{case_id}/claim")
    assert "texted to them, unless they have texted STOP" in agent_client.get("/conversations/sms-1").text
    assert "cannot take a message pushed to it" in agent_client.get("/conversations/rest-1").text
    web = agent_client.get("/conversations/web-1").text
    assert "texted" not in web and "cannot take a message" not in web


def test_pauses_and_resumes_are_marked(agent_client, tracker):
    tracker.add(
        "web-4",
        user("a person", "human_handoff", 0.9),
        {"event": "pause"},
        bot("Hi, Ana here.", desk_agent="ana@plan.example"),
        {"event": "resume"},
    )
    page = agent_client.get("/conversations/web-4").text
    assert "assistant paused: an agent is answering" in page and "assistant resumed" in page
