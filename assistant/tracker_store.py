"""SQL tracker store that writes every event masked (assistant/event_redaction.py says what that means).

Rasa's SQLTrackerStore only appends the events it has not stored yet. This store also rewrites rows it
already holds when a new event changes how they must be masked: a card number finished in this message
masks the earlier half, and action_verify_member masks the verification answers it just checked.
The tracker in memory is not touched: the store only writes, so this turn's actions still see it whole.

What it costs (measured with py-spy under load, README "Performance"): Rasa already reads only the events
since the latest session start. This store adds indexes for the two lookups that does (the session start,
then the events after it), so a long-lived conversation (an SMS number texting for months) does not scan
its whole history each turn; reads back only the ids of the rows it already holds, and the data of those
whose masking changed; and on SQLite writes through a write-ahead log, where a commit is one fsync at most
instead of a rollback journal's several (and readers, such as the agent desk, do not block the writer).
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm
import sqlalchemy.pool
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.engine import make_url

from .event_redaction import redact_events

DEFAULT_URL = "sqlite:///var/tracker.db"
log = logging.getLogger(__name__)

# What Rasa's `_event_query` asks, per message: the latest session start of a conversation, then its events
# from that time on (Rasa's own table has an index on sender_id alone).
INDEXES = {
    "ix_events_sender_type_timestamp": "sender_id, type_name, timestamp",
    "ix_events_sender_timestamp": "sender_id, timestamp",
}
# Write-ahead log: a commit appends to the log instead of rewriting pages through a rollback journal.
# synchronous=NORMAL syncs the log at checkpoints, not at every commit: a crash of the process loses
# nothing, a power cut may lose the last turns written (never the database's consistency). Money is not
# here: payments live in the billing service's own database.
SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL")


class RedactingSQLTrackerStore(SQLTrackerStore):
    """Configured by TRACKER_DATABASE_URL (SQLAlchemy URL), SQLite under var/ by default."""

    engine: sa.engine.Engine

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
        if url.drivername.startswith("sqlite") and url.database not in (None, "", ":memory:"):
            self._keep_sqlite_connections_open()
        self._create_indexes()

    def _keep_sqlite_connections_open(self) -> None:
        """SQLAlchemy 1.4 opens a file SQLite database per session and closes it after (NullPool): on
        every retrieve and save, and the close of the last connection checkpoints the write-ahead log and
        deletes it. That close was 9% of the Rasa process's time under load (README, Performance). A pool
        keeps them open, as SQLAlchemy 2 does by default; each session still commits as before."""
        self.engine.dispose()
        self.engine = sa.create_engine(
            self.engine.url, poolclass=sa.pool.QueuePool, connect_args={"check_same_thread": False}
        )
        sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)

    def _create_indexes(self) -> None:
        for name, columns in INDEXES.items():
            try:
                with self.engine.begin() as connection:
                    connection.execute(sa.text(f"CREATE INDEX IF NOT EXISTS {name} ON events ({columns})"))
            except sa.exc.DBAPIError as error:
                # Replicas starting together may race to create it; one of them did.
                log.warning("index %s not created: %s", name, error.__class__.__name__)

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        """Rasa's `_retrieve` (same query, same tracker), reading only the `data` column: Rasa builds an ORM
        object per stored event and uses only that column."""
        with self.session_scope() as session:
            query = self._event_query(session, sender_id, fetch_events_from_all_sessions)
            events = [json.loads(data) for (data,) in query.with_entities(self.SQLEvent.data)]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    async def save(self, tracker: DialogueStateTracker) -> None:
        events = list(tracker.events)
        originals = [event.as_dict() for event in events]
        redacted = redact_events(originals)
        with self.session_scope() as session:
            query = self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False)
            stored = query.with_entities(self.SQLEvent.id, self.SQLEvent.type_name).all()
            # The stored rows are the first events of the tracker: zip stops at the last of them. Only a row
            # whose event masks differently than it reads may need rewriting: only those rows' data is read.
            rewritable = {
                row.id: masked
                for row, event, original, masked in zip(stored, events, originals, redacted, strict=False)
                if masked != original and row.type_name == event.type_name
            }
            if rewritable:
                for row in session.query(self.SQLEvent).filter(self.SQLEvent.id.in_(rewritable)):
                    rewritten = json.dumps(rewritable[row.id])
                    if row.data != rewritten:
                        row.data = rewritten
            new = list(zip(events, redacted, strict=True))[len(stored) :]
            if new:
                # One INSERT for the turn's rows, not an ORM object and a statement per row (nothing reads
                # their ids back here): the ORM's bookkeeping was a sixth of a save under load.
                session.execute(
                    self.SQLEvent.__table__.insert(),
                    [_row(tracker.sender_id, event.type_name, data) for event, data in new],
                )
            session.commit()
        self._publish(tracker.sender_id, [data for _, data in new])

    def _publish(self, sender_id: str, events: list[dict[str, Any]]) -> None:
        """The event broker, when one is configured, gets the masked events too."""
        if self.event_broker is None:
            return
        for data in events:
            self.event_broker.publish({"sender_id": sender_id, **data})


def _row(sender_id: str, type_name: str, data: dict[str, Any]) -> dict[str, Any]:
    """The events table's columns for one (masked) event, as Rasa's SQLTrackerStore fills them."""
    return {
        "sender_id": sender_id,
        "type_name": type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": (data.get("parse_data") or {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()
