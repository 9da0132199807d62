"""The audit log: what agents did to which conversation, filtered by supervisors."""

from __future__ import annotations

from tests.fakes import user
from tests.signing_in import post


def _activity(agent_client, second_agent_client, tracker, billing, clock) -> None:
    tracker.add("web-1", user("hello", "greet", 0.99))
    tracker.add("web-2", user("a person please", "human_handoff", 0.99))
    billing.open_case(3, "web-2")
    agent_client.get("/conversations/web-1")
    clock.advance(minutes=5)
    second_agent_client.get("/conversations/web-2/export", params={"format": "csv"})
    agent_client.get("/queue")
    post(agent_client, "/handoffs/3/claim")
    post(agent_client, "/handoffs/3/reply", text="Hello from billing")


def _rows(page: str) -> int:
    return page.count('class="audit-entry"')


def test_supervisors_read_and_filter_the_audit_log(
    agent_client, second_agent_client, supervisor_client, tracker, billing, clock
):
    _activity(agent_client, second_agent_client, tracker, billing, clock)
    everything = supervisor_client.get("/audit").text
    assert _rows(everything) == 4
    table = everything.split("<tbody>")[1]
    assert table.index("replied") < table.index("viewed")  # newest first
    by_ben = supervisor_client.get("/audit", params={"agent": "ben@plan.example"}).text
    assert _rows(by_ben) == 1 and "exported" in by_ben and "csv" in by_ben
    replies = supervisor_client.get("/audit", params={"action": "replied"}).text
    assert _rows(replies) == 1 and "web-2" in replies and "ana@plan.example" in replies
    on_web_1 = supervisor_client.get("/audit", params={"conversation": "web-1"}).text
    assert _rows(on_web_1) == 1 and "viewed" in on_web_1
    assert _rows(supervisor_client.get("/audit", params={"date_from": "2026-12-04"}).text) == 4
    assert _rows(supervisor_client.get("/audit", params={"date_to": "2026-12-03"}).text) == 0


def test_a_bad_audit_filter_is_a_422(supervisor_client):
    answer = supervisor_client.get(
        "/audit", params={"action": "deleted"}, headers={"Accept": "application/json"}
    )
    assert answer.status_code == 422 and "action" in answer.json()["detail"]
