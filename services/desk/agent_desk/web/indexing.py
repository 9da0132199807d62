"""Bringing the search index up to date on the requests that read it (search, the queue and its event
stream), so the desk needs no worker of its own."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from ..indexer import index_new_events


def catch_up(app: FastAPI, db: Session) -> None:
    """A tracker store that Rasa has not created yet is simply empty; when two requests catch up at once,
    the one that loses (a row the other just added) leaves the work to it."""
    try:
        index_new_events(db, app.state.tracker_engine, app.state.settings.low_confidence)
    except (IntegrityError, OperationalError, ProgrammingError):
        db.rollback()
