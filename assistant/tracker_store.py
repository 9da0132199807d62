"""SQL tracker store that writes every event masked (assistant/event_redaction.py says what that means).

Rasa's SQLTrackerStore only appends the events it has not stored yet. This store also rewrites rows it
already holds when a new event changes how they must be masked: a card number finished in this message
masks the earlier half, and action_verify_member masks the verification answers it just checked.
The tracker in memory is not touched: the store only writes, so this turn's actions still see it whole.
"""

from __future__ import annotations

import json
import os
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.engine import make_url

from .event_redaction import redact_events

DEFAULT_URL = "sqlite:///var/tracker.db"


class RedactingSQLTrackerStore(SQLTrackerStore):
    """Configured by TRACKER_DATABASE_URL (SQLAlchemy URL), SQLite under var/ by default."""

    def __init__(
        self, domain: Domain | None = None, event_broker: EventBroker | None = None, **_endpoint_kwargs: Any
    ) -> None:
        url = make_url(os.environ.get("TRACKER_DATABASE_URL", DEFAULT_URL))
        if url.drivername.startswith("sqlite") and url.database:
            os.makedirs(os.path.dirname(os.path.abspath(url.database)), exist_ok=True)
        super().__init__(
            domain=domain,
            dialect=url.drivername,
            host=url.host,
            port=url.port,
            db=url.database,
            username=url.username,
            password=url.password,
            event_broker=event_broker,
            query=dict(url.query),
        )

    async def save(self, tracker: DialogueStateTracker) -> None:
        events = list(tracker.events)
        originals = [event.as_dict() for event in events]
        redacted = redact_events(originals)
        with self.session_scope() as session:
            stored = self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False).all()
            # The stored rows are the first events of the tracker: zip stops at the last of them.
            for row, event, original, masked in zip(stored, events, originals, redacted, strict=False):
                if masked != original and row.type_name == event.type_name and row.data != json.dumps(masked):
                    row.data = json.dumps(masked)
            new = list(zip(events, redacted, strict=True))[len(stored) :]
            for event, data in new:
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=(data.get("parse_data") or {}).get("intent", {}).get(INTENT_NAME_KEY),
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.commit()
        self._publish(tracker.sender_id, [data for _, data in new])

    def _publish(self, sender_id: str, events: list[dict[str, Any]]) -> None:
        """The event broker, when one is configured, gets the masked events too."""
        if self.event_broker is None:
            return
        for data in events:
            self.event_broker.publish({"sender_id": sender_id, **data})
