"""The handoff queue: what it lists, live updates, claims, replies that reach the member, and resolve."""

from __future__ import annotations

import threading

from sqlalchemy import select

from agent_desk import handoffs
from agent_desk.db import session_factory
from agent_desk.models import Agent, AuditEntry, Handoff
from tests.fakes import action, slot, user
from tests.signing_in import post


def test_the_queue_lists_open_handoffs_with_channel_member_reason_wait_and_summary(
    agent_client, billing, tracker
):
    tracker.add("sms-1", user("talk to a human", "human_handoff", 0.97, channel="twilio_sms"))
    billing.open_case(
        3,
        "sms-1",
        member_number="M1001",
        reason="payment_failed",
        summary="Verified member M1001. Last messages:\n- pay with [card number ending 4242 removed]",
    )
    billing.open_case(4, "web-2", reason="misunderstood")
    page = agent_client.get("/queue").text
    assert "#3" in page and "#4" in page and page.index("#3") < page.index("#4")
    assert "SMS" in page and "Member M1001" in page and "Visitor" in page
    assert "payment failed" in page and "[card number ending 4242 removed]" in page
    assert "10 min" in page  # opened 14:50, now 15:00


def test_the_queue_says_when_the_billing_service_is_not_answering(agent_client, billing):
    billing.open_case(3, "web-1")
    agent_client.get("/queue")
    billing.down = True
    page = agent_client.get("/queue/rows")
    assert page.status_code == 200
    assert "not answering" in page.text and "#3" in page.text


def test_the_queue_page_listens_for_changes(agent_client):
    page = agent_client.get("/queue").text
    assert 'data-live-queue="/queue/events"' in page and "/static/htmx.min.js" in page
    assert agent_client.get("/static/htmx.min.js").status_code == 200


def test_the_event_stream_announces_the_queue(agent_client, billing):
    billing.open_case(3, "web-1")
    billing.open_case(4, "web-2")
    with agent_client.stream("GET", "/queue/events") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        body = "".join(stream.iter_text())
    assert "event: queue\ndata: 2 " in body  # two waiting


def test_claiming_opens_the_conversation_and_shows_who_has_it(
    agent_client, second_agent_client, billing, tracker, db
):
    tracker.add("web-1", user("I want a person", "human_handoff", 0.95))
    billing.open_case(3, "web-1")
    agent_client.get("/queue")
    claimed = post(agent_client, "/handoffs/3/claim")
    assert claimed.status_code == 303 and claimed.headers["location"] == "/conversations/web-1"
    assert "Reply to the member" in agent_client.get("/conversations/web-1").text
    assert "Claimed by ana@plan.example" in second_agent_client.get("/queue").text
    assert "Claimed by another agent" in second_agent_client.get("/conversations/web-1").text


def test_two_agents_cannot_claim_the_same_handoff(agent_client, second_agent_client, billing, db):
    billing.open_case(3, "web-1")
    agent_client.get("/queue")
    assert post(agent_client, "/handoffs/3/claim").status_code == 303
    second = post(second_agent_client, "/handoffs/3/claim")
    assert second.status_code == 409 and "already claimed" in second.json()["detail"]
    assert post(agent_client, "/handoffs/3/claim").status_code == 303  # a double click is no error
    row = db.execute(select(Handoff, Agent.email).join(Agent, Agent.id == Handoff.claimed_by)).one()
    assert row[1] == "ana@plan.example" and row[0].status == "claimed"


def test_of_claims_at_the_same_moment_the_database_lets_one_through(
    app, agent_client, second_agent_client, billing
):
    billing.open_case(3, "web-1")
    agent_client.get("/queue")
    factory = session_factory(app.state.desk_engine)
    with factory() as session:
        agents = list(session.execute(select(Agent)).scalars())
    outcomes: list[str] = []
    start = threading.Barrier(len(agents))

    def claim(agent: Agent) -> None:
        with factory() as session:
            start.wait()
            try:
                handoffs.claim(session, 3, agent, app.state.clock())
                outcomes.append("claimed")
            except handoffs.HandoffError:
                outcomes.append("refused")

    threads = [threading.Thread(target=claim, args=(agent,)) for agent in agents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["claimed", "refused"]


def test_an_unknown_handoff_is_a_404_and_a_bad_number_a_422(agent_client):
    assert post(agent_client, "/handoffs/99/claim").status_code == 404
    bad = post(agent_client, "/handoffs/abc/claim")
    assert bad.status_code == 422 and "case_id" in bad.json()["detail"]


def test_a_reply_needs_a_claim_first_and_only_the_claimer_replies(
    agent_client, second_agent_client, billing, rasa
):
    billing.open_case(3, "web-1")
    agent_client.get("/queue")
    early = post(agent_client, "/handoffs/3/reply", text="Hello")
    assert early.status_code == 409 and "Claim this handoff" in early.json()["detail"]
    post(agent_client, "/handoffs/3/claim")
    other = post(second_agent_client, "/handoffs/3/reply", text="Hello")
    assert other.status_code == 403
    assert rasa.calls == []


def test_a_reply_reaches_the_member_through_the_channel_they_used(agent_client, billing, rasa, db):
    billing.open_case(3, "web-1")
    agent_client.get("/queue")
    post(agent_client, "/handoffs/3/claim")
    sent = post(agent_client, "/handoffs/3/reply", text="Hi, I'm Ana from billing. Card 4111 1111 1111 1111?")
    assert sent.status_code == 303 and sent.headers["location"] == "/conversations/web-1"
    (call,) = rasa.calls
    assert call.path == "/conversations/web-1/tracker/events"
    assert call.params == {"output_channel": "latest", "execute_side_effects": "true"}
    assert call.claims["user"]["role"] == "admin"
    pause, event = call.events  # the agent's first reply pauses the assistant in this conversation
    assert pause == {"event": "pause"}
    assert event["event"] == "bot" and event["metadata"] == {"desk_agent": "ana@plan.example"}
    assert "4111 1111" not in event["text"] and "Hi, I'm Ana from billing." in event["text"]
    assert (
        db.execute(select(AuditEntry.action).where(AuditEntry.action == "replied")).scalar_one() == "replied"
    )
    post(agent_client, "/handoffs/3/reply", text="Are you still there?")
    assert [e["event"] for e in rasa.calls[-1].events] == ["bot"]  # paused once is enough


def test_a_reply_the_sms_channel_did_not_send_tells_the_agent_and_changes_nothing(
    agent_client, billing, rasa, db
):
    billing.open_case(3, "sms-1")
    agent_client.get("/queue")
    post(agent_client, "/handoffs/3/claim")
    rasa.channel_refusal = "Not delivered by SMS: the member opted out of texts (they sent STOP)."
    refused = post(agent_client, "/handoffs/3/reply", text="Hi, I'm Ana from billing.")
    assert refused.status_code == 409
    assert refused.json()["detail"].startswith(
        "Your reply was not delivered: the member opted out of texts (they sent STOP)."
    )
    row = db.execute(select(Handoff)).scalar_one()
    assert row.status == "claimed" and row.answered_at is None  # the next reply pauses the assistant again
    assert db.execute(select(AuditEntry).where(AuditEntry.action == "replied")).first() is None

    rasa.channel_refusal = "something else broke"
    assert post(agent_client, "/handoffs/3/reply", text="Hello?").status_code == 502  # not a delivery matter


def test_an_empty_or_overlong_reply_is_refused_with_a_reason(agent_client, billing, rasa):
    billing.open_case(3, "web-1")
    agent_client.get("/queue")
    post(agent_client, "/handoffs/3/claim")
    assert post(agent_client, "/handoffs/3/reply", text="").status_code == 422
    long = post(agent_client, "/handoffs/3/reply", text="x" * 2001)
    assert long.status_code == 422 and "text" in long.json()["detail"]
    assert rasa.calls == []


def test_resolve_writes_the_note_closes_the_case_and_hands_the_conversation_back(
    agent_client, billing, rasa, db
):
    billing.open_case(3, "web-1")
    agent_client.get("/queue")
    post(agent_client, "/handoffs/3/claim")
    done = post(agent_client, "/handoffs/3/resolve", note="Explained the statement; member satisfied.")
    assert done.status_code == 303 and done.headers["location"] == "/queue"
    (call,) = rasa.calls
    assert call.events == [{"event": "resume"}, {"event": "slot", "name": "handoff_case", "value": None}]
    assert billing.closed == [3]
    row = db.execute(select(Handoff)).scalar_one()
    assert row.status == "resolved" and row.note == "Explained the statement; member satisfied."
    assert "#3" not in agent_client.get("/queue").text
    assert post(agent_client, "/handoffs/3/reply", text="still there?").status_code == 409


def test_when_rasa_does_not_answer_the_case_stays_claimed_and_open(agent_client, billing, rasa, db):
    billing.open_case(3, "web-1")
    agent_client.get("/queue")
    post(agent_client, "/handoffs/3/claim")
    rasa.down = True
    failed = post(agent_client, "/handoffs/3/resolve", note="done")
    assert failed.status_code == 502 and "nothing changed" in failed.json()["detail"]
    assert billing.closed == [] and db.execute(select(Handoff.status)).scalar_one() == "claimed"
    assert post(agent_client, "/handoffs/3/reply", text="hello").status_code == 502


def test_a_case_closed_in_the_billing_service_leaves_the_queue(agent_client, billing):
    billing.open_case(3, "web-1")
    assert "#3" in agent_client.get("/queue").text
    billing.cases[3]["status"] = "closed"
    assert "#3" not in agent_client.get("/queue").text


def test_the_queue_uses_the_handoff_slot_events_only_through_the_billing_case(agent_client, billing, tracker):
    """A conversation that set handoff_case but whose case is closed is not waiting."""
    tracker.add(
        "web-9",
        user("agent please", "human_handoff", 0.9),
        action("action_handoff"),
        slot("handoff_case", "9"),
    )
    assert "Nobody is waiting" in agent_client.get("/queue").text


def test_the_event_stream_announces_a_new_handoff_and_its_channel_arriving_later(
    agent_client, app, billing, tracker
):
    app.state.sse_ticks = 3
    billing.open_case(3, "web-1")
    ticks = iter(
        [lambda: None, lambda: tracker.add("web-1", user("a person", "human_handoff", 0.9)), lambda: None]
    )
    original = app.state.billing.open_handoffs

    async def open_handoffs():
        next(ticks)()  # between ticks: the tracker store gets the turn after the case was opened
        return await original()

    app.state.billing.open_handoffs = open_handoffs
    with agent_client.stream("GET", "/queue/events") as stream:
        body = "".join(stream.iter_text())
    assert body.count("event: queue") == 2


def test_when_the_billing_service_does_not_close_the_case_resolve_can_be_tried_again(
    agent_client, billing, rasa, db
):
    billing.open_case(3, "web-1")
    agent_client.get("/queue")
    post(agent_client, "/handoffs/3/claim")
    billing.down = True
    failed = post(agent_client, "/handoffs/3/resolve", note="done")
    assert failed.status_code == 502 and "still open" in failed.json()["detail"]
    assert db.execute(select(Handoff.status)).scalar_one() == "claimed"
    billing.down = False
    assert post(agent_client, "/handoffs/3/resolve", note="done").status_code == 303
    assert billing.closed == [3] and db.execute(select(Handoff.status)).scalar_one() == "resolved"


def test_open_queue_pages_share_one_pull_from_the_billing_service(
    agent_client, second_agent_client, app, billing
):
    app.state.queue_sync_seconds = 60
    app.state.queue_synced_at = float("-inf")  # signing in showed the queue already
    asked = []
    original = app.state.billing.open_handoffs

    async def counted():
        asked.append(1)
        return await original()

    app.state.billing.open_handoffs = counted
    billing.open_case(3, "web-1")
    assert "#3" in agent_client.get("/queue").text
    assert "#3" in second_agent_client.get("/queue/rows").text
    assert len(asked) == 1


def test_a_claimed_handoff_can_be_released_by_its_agent_or_a_supervisor(
    agent_client, second_agent_client, supervisor_client, billing, tracker, db
):
    tracker.add("web-1", user("a person please", "human_handoff", 0.9))
    billing.open_case(3, "web-1")
    agent_client.get("/queue")
    post(agent_client, "/handoffs/3/claim")
    refused = post(second_agent_client, "/handoffs/3/release")
    assert refused.status_code == 403 and "or a supervisor" in refused.json()["detail"]
    assert "Release to the queue" in supervisor_client.get("/conversations/web-1").text
    assert "Release to the queue" not in second_agent_client.get("/conversations/web-1").text
    released = post(supervisor_client, "/handoffs/3/release")
    assert released.status_code == 303
    assert db.execute(select(Handoff.status, Handoff.claimed_by)).one() == ("open", None)
    assert post(second_agent_client, "/handoffs/3/claim").status_code == 303
    post(second_agent_client, "/handoffs/3/release")
    assert post(second_agent_client, "/handoffs/3/release").status_code == 409
    actions = db.execute(select(AuditEntry.action).order_by(AuditEntry.id)).scalars().all()
    assert actions.count("released") == 2


def test_a_resolved_case_the_billing_service_still_lists_is_not_queued_again(agent_client, billing, rasa, db):
    billing.open_case(3, "web-1")
    agent_client.get("/queue")
    post(agent_client, "/handoffs/3/claim")
    post(agent_client, "/handoffs/3/resolve", note="done")
    billing.cases[3]["status"] = "open"  # say the close did not stick there
    assert "#3" not in agent_client.get("/queue").text
    assert db.execute(select(Handoff.status)).scalar_one() == "resolved"


def test_releasing_after_a_reply_lets_the_assistant_speak_again(
    agent_client, second_agent_client, billing, rasa, db
):
    billing.open_case(3, "web-1")
    agent_client.get("/queue")
    post(agent_client, "/handoffs/3/claim")
    post(agent_client, "/handoffs/3/release")
    assert rasa.calls == []  # nothing was paused: nothing to resume
    post(agent_client, "/handoffs/3/claim")
    post(agent_client, "/handoffs/3/reply", text="Hello")
    post(agent_client, "/handoffs/3/release")
    assert rasa.calls[-1].events == [{"event": "resume"}]
    post(second_agent_client, "/handoffs/3/claim")
    post(second_agent_client, "/handoffs/3/reply", text="Hello, I'm Ben")
    assert rasa.calls[-1].events[0] == {"event": "pause"}  # the next agent's first reply pauses again
