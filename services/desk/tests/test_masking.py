"""Only masked text lands in the desk's own tables, whatever an agent types or a summary carries."""

from __future__ import annotations

from sqlalchemy import select

from agent_desk.models import Base
from tests.fakes import user
from tests.signing_in import post

RAW = {
    "card": "4111 1111 1111 1111",
    "ssn": "123-45-6789",
    "bank account": "checking account 123456789012",
}


def _every_stored_value(db) -> str:
    values = []
    for table in Base.metadata.sorted_tables:
        for row in db.execute(select(table)).all():
            values.extend(str(value) for value in row)
    return "\n".join(values)


def test_numbers_typed_anywhere_are_masked_in_the_desks_tables(agent_client, billing, tracker, rasa, db):
    typed = "; ".join(RAW.values())
    tracker.add("web-1", user("help", "human_handoff", 0.9))
    billing.open_case(3, "web-1", summary=f"Unverified visitor. Last messages:\n- {typed}")
    page = agent_client.get("/queue")
    assert RAW["card"] not in page.text
    post(agent_client, "/handoffs/3/claim")
    post(agent_client, "/handoffs/3/reply", text=f"Please never send {typed}")
    transcript = agent_client.get("/conversations/web-1").text
    event_id = transcript.split('id="turn-')[1].split('"')[0]
    post(agent_client, f"/conversations/web-1/turns/{event_id}/suggestions", text=f"Better: {typed}")
    post(agent_client, "/handoffs/3/resolve", note=f"Member typed {typed}")
    stored = _every_stored_value(db)
    for kind, raw in RAW.items():
        assert raw not in stored, kind
        digits = "".join(c for c in raw if c.isdigit())
        assert digits not in stored.replace(" ", "").replace("-", ""), kind  # nor with other separators
    sent = " ".join(e.get("text", "") for call in rasa.calls for e in call.events)
    assert RAW["card"] not in sent and RAW["ssn"] not in sent
