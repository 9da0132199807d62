"""What a member who asks for a person hears about the wait, against the real billing service and a desk
that says how many agents are at it (or does not answer): the place and the wait in hours with an agent
there; the hours and the phone line outside them, with nobody there or with the desk down; leaving the
queue for the assistant, by asking or by restarting; a new session keeps the wait."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from rasa_sdk import Tracker

from actions.handoff import ActionHandoff, ActionInQueue
from actions.session import ActionSessionStart
from assistant import business_hours
from assistant.desk_client import DeskClient, use_desk_client
from tests import demo_members as demo
from tests.actions.action_calls import response_names, run, said, signed_in_as, slot_events, tracker

MARIA = signed_in_as(demo.MARIA)
DESK_TOKEN = "test-desk-token"
# Seed-facts' Customer Service hours, the default: Monday to Friday, 8 a.m. to 6 p.m. Pacific time.
WEDNESDAY_10AM_PACIFIC = dt.datetime(2026, 12, 2, 18, 0, tzinfo=dt.timezone.utc)
WEDNESDAY_7PM_PACIFIC = dt.datetime(2026, 12, 3, 3, 0, tzinfo=dt.timezone.utc)
SATURDAY_NOON_PACIFIC = dt.datetime(2026, 12, 5, 20, 0, tzinfo=dt.timezone.utc)
PHONE = "1-800-218-1059"


class Desk:
    """The desk's GET /availability: `agents` at it, or down when None."""

    def __init__(self, agents: int | None):
        self.agents = agents
        self.asked = 0

    def transport(self) -> httpx.MockTransport:
        def answer(request: httpx.Request) -> httpx.Response:
            self.asked += 1
            if self.agents is None:
                raise httpx.ConnectError("connection refused", request=request)
            if request.headers.get("Authorization") != f"Bearer {DESK_TOKEN}":
                return httpx.Response(401, json={"detail": "A valid desk API token is required."})
            return httpx.Response(200, json={"agents_available": self.agents})

        return httpx.MockTransport(answer)


@pytest.fixture
def at(monkeypatch):
    """Sets the clock the business hours are read against."""

    def set_clock(when: dt.datetime) -> None:
        monkeypatch.setattr(business_hours, "utc_now", lambda: when)

    for name in ("HANDOFF_DAYS", "HANDOFF_HOURS", "HANDOFF_TIMEZONE", "HANDOFF_MINUTES_PER_PLACE"):
        monkeypatch.delenv(name, raising=False)
    return set_clock


@pytest.fixture
def desk_with():
    clients = []

    def make(agents: int | None, token: str = DESK_TOKEN) -> Desk:
        desk = Desk(agents)
        client = DeskClient("http://desk.test", api_token=token, transport=desk.transport())
        clients.append(client)
        use_desk_client(client)
        return desk

    yield make
    use_desk_client(None)


async def ask_for_person(sender: str, slots=None):
    return await run(ActionHandoff(), tracker(slots, intent="human_handoff", sender_id=sender))


def text_of(messages) -> str:
    return " ".join(str(value) for message in messages for value in message.values())


async def test_in_hours_with_an_agent_the_member_hears_their_place_and_the_wait(
    billing_client, at, desk_with
):
    at(WEDNESDAY_10AM_PACIFIC)
    desk_with(agents=1)
    already_waiting = len(await billing_client.handoffs("open"))
    await ask_for_person("someone-else-1")
    await ask_for_person("someone-else-2")

    messages, events = await ask_for_person("conversation-1", MARIA)

    assert response_names(messages) == ["utter_handoff", "utter_handoff_queue_place"]
    place = said(messages, "utter_handoff_queue_place")
    assert place["place"] == already_waiting + 3
    assert place["wait_minutes"] == place["place"] * 5  # the documented estimate: 5 minutes a place
    assert slot_events(events)["handoff_case"]


async def test_the_place_moves_up_as_those_ahead_are_answered(billing_client, at, desk_with):
    at(WEDNESDAY_10AM_PACIFIC)
    desk_with(agents=2)
    messages, _ = await ask_for_person("someone-ahead")
    ahead = said(messages, "utter_handoff")["case_id"]
    messages, events = await ask_for_person("conversation-1", MARIA)
    case = slot_events(events)["handoff_case"]
    first = said(messages, "utter_handoff_queue_place")["place"]

    waiting = tracker({**MARIA, "handoff_case": case}, intent="greet", text="hello? anyone there?")
    messages, events = await run(ActionInQueue(), waiting)
    assert said(messages, "utter_still_in_queue")["place"] == first
    assert events == []  # still waiting

    await billing_client.close_handoff(ahead)  # an agent resolved the one ahead
    messages, _ = await run(ActionInQueue(), waiting)
    assert said(messages, "utter_still_in_queue")["place"] == first - 1


async def test_the_wait_per_place_is_configurable(billing_client, at, desk_with, monkeypatch):
    at(WEDNESDAY_10AM_PACIFIC)
    desk_with(agents=1)
    monkeypatch.setenv("HANDOFF_MINUTES_PER_PLACE", "8")
    messages, _ = await ask_for_person("conversation-1", MARIA)
    told = said(messages, "utter_handoff_queue_place")
    assert told["wait_minutes"] == told["place"] * 8


@pytest.mark.parametrize("when", [WEDNESDAY_7PM_PACIFIC, SATURDAY_NOON_PACIFIC])
async def test_outside_hours_the_member_gets_the_hours_and_the_case_waits_for_morning(
    billing_client, at, desk_with, when
):
    at(when)
    desk = desk_with(agents=3)  # someone at the desk after hours does not change what is promised
    messages, events = await ask_for_person("conversation-1", MARIA)

    assert response_names(messages) == ["utter_handoff", "utter_handoff_after_hours"]
    assert said(messages, "utter_handoff_after_hours")["hours"] == (
        "Monday to Friday, 8 a.m. to 6 p.m. Pacific time"
    )
    case = slot_events(events)["handoff_case"]
    assert int(case) in [c.id for c in await billing_client.handoffs("open")]  # still queued
    assert desk.asked == 0


async def test_hours_come_from_the_environment(billing_client, at, desk_with, monkeypatch):
    monkeypatch.setenv("HANDOFF_DAYS", "Sat-Sun")
    monkeypatch.setenv("HANDOFF_HOURS", "09:30-13:00")
    monkeypatch.setenv("HANDOFF_TIMEZONE", "America/New_York")
    desk_with(agents=1)
    at(SATURDAY_NOON_PACIFIC)  # 3 p.m. Eastern: closed
    messages, _ = await ask_for_person("conversation-1", MARIA)
    assert said(messages, "utter_handoff_after_hours")["hours"] == (
        "Saturday to Sunday, 9:30 a.m. to 1 p.m. Eastern time"
    )
    at(SATURDAY_NOON_PACIFIC - dt.timedelta(hours=4))  # 11 a.m. Eastern: open
    messages, _ = await ask_for_person("conversation-2")
    assert "utter_handoff_queue_place" in response_names(messages)


async def test_unreadable_hours_fall_back_to_the_published_ones(billing_client, at, desk_with, monkeypatch):
    monkeypatch.setenv("HANDOFF_HOURS", "all day")
    monkeypatch.setenv("HANDOFF_TIMEZONE", "Mars/Olympus")
    desk_with(agents=1)
    at(SATURDAY_NOON_PACIFIC)
    messages, _ = await ask_for_person("conversation-1", MARIA)
    assert said(messages, "utter_handoff_after_hours")["hours"] == (
        "Monday to Friday, 8 a.m. to 6 p.m. Pacific time"
    )


@pytest.mark.parametrize(
    "agents, token",
    [(0, DESK_TOKEN), (None, DESK_TOKEN), (1, "wrong-token")],
    ids=["nobody at the desk", "desk down", "desk refuses the token"],
)
async def test_in_hours_without_an_agent_the_member_gets_the_phone_line(
    billing_client, at, desk_with, agents, token
):
    at(WEDNESDAY_10AM_PACIFIC)
    desk_with(agents=agents, token=token)
    messages, events = await ask_for_person("conversation-1", MARIA)

    assert response_names(messages) == ["utter_handoff", "utter_handoff_nobody_free"]
    assert "place" not in said(messages, "utter_handoff_nobody_free")  # no wait promised
    case = slot_events(events)["handoff_case"]
    assert int(case) in [c.id for c in await billing_client.handoffs("open")]  # waits for an agent


def test_the_answers_without_an_agent_give_the_phone_line_and_the_hours():
    from tests.actions.action_calls import DOMAIN

    for name in ("utter_handoff_after_hours", "utter_handoff_nobody_free"):
        text = DOMAIN["responses"][name][0]["text"]
        assert PHONE in text and "{hours}" in text
    for name in ("utter_handoff_queue_place", "utter_handoff_after_hours", "utter_still_in_queue"):
        # How to stop waiting, in words that work by SMS too, where CANCEL opts out of every text.
        text = DOMAIN["responses"][name][0]["text"]
        assert '"never mind"' in text and '"cancel"' not in text
    assert "{place}" in DOMAIN["responses"]["utter_handoff_queue_place"][0]["text"]
    assert "{wait_minutes}" in DOMAIN["responses"]["utter_handoff_queue_place"][0]["text"]


@pytest.mark.parametrize(
    "intent, text",
    [
        ("cancel", "cancel"),
        ("cancel", "never mind, go back to the bot"),
        ("human_handoff", "back to the assistant"),  # NLU reads it as a request for a person
        ("out_of_scope", "Never mind, I'll call instead"),
    ],
)
async def test_the_member_can_stop_waiting_and_go_back_to_the_assistant(
    billing_client, at, desk_with, intent, text
):
    at(WEDNESDAY_10AM_PACIFIC)
    desk_with(agents=1)
    _, events = await ask_for_person("conversation-1", MARIA)
    case = slot_events(events)["handoff_case"]

    messages, events = await run(
        ActionInQueue(), tracker({**MARIA, "handoff_case": case}, intent=intent, text=text)
    )

    assert response_names(messages) == ["utter_handoff_cancelled"]
    assert slot_events(events) == {"handoff_case": None}  # the assistant answers again
    assert int(case) not in [c.id for c in await billing_client.handoffs("open")]  # no agent picks it up


async def test_stopping_a_wait_whose_case_is_already_closed_still_goes_back(billing_client):
    messages, events = await run(ActionHandoff(), tracker(MARIA, intent="human_handoff"))
    case = slot_events(events)["handoff_case"]
    await billing_client.close_handoff(int(case))
    for reference in (case, "999999", "not-a-number"):
        messages, events = await run(
            ActionInQueue(), tracker({**MARIA, "handoff_case": reference}, intent="cancel", text="cancel")
        )
        assert response_names(messages) == ["utter_handoff_cancelled"]
        assert slot_events(events) == {"handoff_case": None}


async def test_with_billing_down_the_member_stays_in_the_queue(billing_down):
    messages, events = await run(
        ActionInQueue(), tracker({**MARIA, "handoff_case": "12"}, intent="cancel", text="cancel")
    )
    assert response_names(messages) == ["utter_handoff_cancel_failed"]
    assert events == []
    messages, _ = await run(ActionInQueue(), tracker({**MARIA, "handoff_case": "12"}, intent="greet"))
    assert response_names(messages) == ["utter_still_in_queue_no_place"]  # no place to tell, still waiting


async def test_a_restart_while_waiting_closes_the_case_then_restarts(billing_client, at, desk_with):
    at(WEDNESDAY_10AM_PACIFIC)
    desk_with(agents=1)
    _, events = await ask_for_person("conversation-1", MARIA)
    case = slot_events(events)["handoff_case"]

    messages, events = await run(
        ActionInQueue(), tracker({**MARIA, "handoff_case": case}, intent="restart", text="/restart")
    )

    assert int(case) not in [c.id for c in await billing_client.handoffs("open")]  # out of the desk's queue
    assert response_names(messages) == ["utter_handoff_cancelled"]
    assert slot_events(events) == {"handoff_case": None}
    assert events[-1] == {"event": "followup", "name": "action_restart", "timestamp": None}


async def test_a_restart_while_billing_is_down_keeps_the_member_in_the_queue(billing_down):
    messages, events = await run(
        ActionInQueue(), tracker({**MARIA, "handoff_case": "12"}, intent="restart", text="/restart")
    )
    assert response_names(messages) == ["utter_handoff_cancel_failed"]
    assert events == []  # no restart: the case an agent would answer is still open


@pytest.mark.parametrize("paused", [False, True], ids=["waiting", "an agent is answering"])
async def test_a_new_session_keeps_the_wait_and_an_agents_pause(paused):
    waiting = tracker({**MARIA, "handoff_case": "12"}, intent="greet", text="hello again")
    waiting = Tracker.from_dict({**waiting.current_state(), "paused": paused})

    _, events = await run(ActionSessionStart(), waiting)

    assert slot_events(events)["handoff_case"] == "12"  # still in the queue, as the desk shows the case
    assert any(event["event"] == "pause" for event in events) is paused
    _, fresh = await run(ActionSessionStart(), tracker(MARIA, intent="greet"))
    assert "handoff_case" not in slot_events(fresh) and all(e["event"] != "pause" for e in fresh)


async def test_the_summary_for_the_agent_has_the_members_words_not_payloads(billing_client):
    def user(text):
        return {"event": "user", "text": text, "parse_data": {}}

    typed = ["/greet", "why is my bill so high", '/choose{"account": "2"}', "a person"]
    events = [user(text) for text in typed]
    messages, _ = await run(ActionHandoff(), tracker(intent="human_handoff", events=events))
    case_id = said(messages, "utter_handoff")["case_id"]
    summary = next(c for c in await billing_client.handoffs("open") if c.id == case_id).summary
    assert summary == "Unverified visitor. Last messages:\n- why is my bill so high\n- a person"
