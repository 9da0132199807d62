"""GET /availability: how many agents are at the desk, for the assistant, behind a service token."""

from __future__ import annotations

import dataclasses

import pytest
from fastapi.testclient import TestClient

from tests.signing_in import PASSWORD, add_agent, post, sign_in

TOKEN = "desk-api-token-for-the-tests-0123456789"


@pytest.fixture
def settings(database_url):
    from agent_desk.settings import DeskSettings

    return DeskSettings(
        database_url=database_url,
        tracker_database_url=database_url,
        rasa_jwt_secret="test-secret-for-the-desk-tests-32-bytes",
        api_token=TOKEN,
    )


def _available(client: TestClient) -> int:
    answer = client.get("/availability", headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 200
    return answer.json()["agents_available"]


def test_it_counts_agents_who_had_the_desk_open_lately(app, anonymous, clock):
    assert _available(anonymous) == 0
    add_agent(app, "ana@plan.example", "agent")
    with TestClient(app) as ana:
        sign_in(ana, "ana@plan.example", PASSWORD)
        assert _available(anonymous) == 1
        clock.advance(minutes=6)
        assert _available(anonymous) == 0  # signed in, but away
        ana.get("/queue")
        assert _available(anonymous) == 1
        post(ana, "/logout")
        assert _available(anonymous) == 0


def test_it_answers_only_the_service_token(anonymous, app):
    assert anonymous.get("/availability").status_code == 401
    wrong = anonymous.get("/availability", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and "desk API token" in wrong.json()["detail"]
    app.state.settings = dataclasses.replace(app.state.settings, api_token="")
    assert anonymous.get("/availability", headers={"Authorization": "Bearer "}).status_code == 401


def test_an_open_queue_page_keeps_an_agent_available(app, anonymous, clock, agent_client):
    app.state.sse_ticks = 2
    original = app.state.billing.open_handoffs

    passed = []

    async def six_minutes_pass():
        if not passed:  # between the stream's two checks, with no other request
            clock.advance(minutes=6)
            passed.append(True)
        return await original()

    app.state.billing.open_handoffs = six_minutes_pass
    with agent_client.stream("GET", "/queue/events") as stream:
        "".join(stream.iter_text())
    assert _available(anonymous) == 1
