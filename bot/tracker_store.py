"""SQL tracker store that masks sensitive numbers in user messages before anything is written.

The NLU guard already masks the parsed text; this also masks the raw text Rasa keeps on the
UserUttered event, so no card, bank account or SSN number reaches the database.
"""
from __future__ import annotations

import copy
import os
from typing import Any

from sqlalchemy.engine import make_url

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from .redaction import contains_sensitive_number, mask


DEFAULT_URL = "sqlite:///var/tracker.db"


class RedactingSQLTrackerStore(SQLTrackerStore):
    """Configured by TRACKER_DATABASE_URL (SQLAlchemy URL), SQLite under var/ by default."""

    def __init__(self, domain=None, event_broker=None, **_endpoint_kwargs: Any) -> None:
        url = make_url(os.environ.get("TRACKER_DATABASE_URL", DEFAULT_URL))
        if url.drivername.startswith("sqlite") and url.database:
            os.makedirs(os.path.dirname(os.path.abspath(url.database)), exist_ok=True)
        super().__init__(domain=domain, dialect=url.drivername, host=url.host, port=url.port, db=url.database,
                         username=url.username, password=url.password, event_broker=event_broker,
                         query=dict(url.query))

    async def save(self, tracker: DialogueStateTracker) -> None:
        for event in tracker.events:
            if isinstance(event, UserUttered) and event.text and contains_sensitive_number(event.text):
                _mask_event(event)
        await super().save(tracker)


def _mask_event(event: UserUttered) -> None:
    event.text = mask(event.text)
    parse_data = copy.deepcopy(event.parse_data or {})
    if parse_data.get("text"):
        parse_data["text"] = mask(parse_data["text"])
    event.parse_data = parse_data
