import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.tracker_store import RedactingSQLTrackerStore


async def test_card_numbers_never_reach_the_tracker_database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/tracker.db"
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    store = RedactingSQLTrackerStore(domain=Domain.empty())
    tracker = DialogueStateTracker.from_events(
        "conv-1",
        [
            UserUttered(
                "my card is 4242 4242 4242 4242", parse_data={"text": "my card is 4242 4242 4242 4242"}
            ),
            BotUttered("Please don't type card numbers here."),
            UserUttered("what's my balance"),
        ],
    )
    await store.save(tracker)
    raw = sa.create_engine(url).connect().execute(sa.text("SELECT data FROM events")).fetchall()
    stored = " ".join(row[0] for row in raw)
    assert "4242 4242 4242 4242" not in stored
    assert "[card number ending 4242 removed]" in stored
    again = await store.retrieve("conv-1")
    texts = [e.text for e in again.events if isinstance(e, UserUttered)]
    assert texts == ["my card is [card number ending 4242 removed]", "what's my balance"]
