"""Conversation search, the transcript, suggested better answers and exports."""

from __future__ import annotations

import asyncio
import datetime as dt
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from .. import audit, exports, notes
from ..models import Handoff
from ..search import CHANNELS, SearchFilters, search
from ..tracker_events import conversation_events, latest_event_id
from ..transcript import Turn, blocks, turns
from .deps import Refused, Signed, get_db, get_now, signed_in
from .indexing import catch_up
from .pages import render
from .streams import event_stream

router = APIRouter()
ConversationId = Path(min_length=1, max_length=255)


def _filters(request: Request) -> SearchFilters:
    given = {key: value for key, value in request.query_params.items() if value.strip()}
    try:
        return SearchFilters.model_validate(given)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'search'}: {e['msg']}" for e in error.errors()
        )
        raise Refused(422, f"The search could not be read: {problems}") from error


@router.get("/conversations", response_class=HTMLResponse)
def search_page(
    request: Request, signed: Signed = Depends(signed_in), db: Session = Depends(get_db)
) -> HTMLResponse:
    filters = _filters(request)
    catch_up(request.app, db)
    found = search(db, filters, request.app.state.settings.page_size)
    query = {k: v for k, v in request.query_params.items() if v.strip() and k != "page"}
    template = "search_rows.html" if request.headers.get("HX-Request") else "search.html"
    return render(
        request,
        template,
        signed,
        filters=filters,
        found=found,
        channels=CHANNELS,
        previous_url="/conversations?" + urlencode({**query, "page": found.page - 1})
        if found.page > 1
        else None,
        next_url="/conversations?" + urlencode({**query, "page": found.page + 1}) if found.has_next else None,
    )


def _turns(request: Request, conversation_id: str) -> list[Turn]:
    try:
        with request.app.state.tracker_engine.connect() as connection:
            events = conversation_events(connection, conversation_id)
    except (OperationalError, ProgrammingError):
        events = []
    if not events:
        raise Refused(404, "There is no conversation with this id.")
    return turns(events, request.app.state.settings.low_confidence)


@router.get("/conversations/{conversation_id}", response_class=HTMLResponse)
def transcript(
    request: Request,
    conversation_id: str = ConversationId,
    signed: Signed = Depends(signed_in),
    db: Session = Depends(get_db),
    now: dt.datetime = Depends(get_now),
) -> HTMLResponse:
    read = _turns(request, conversation_id)
    handoff = db.execute(
        select(Handoff)
        .where(Handoff.conversation_id == conversation_id)
        .order_by(Handoff.case_id.desc())
        .limit(1)
    ).scalar_one_or_none()
    audit.record(db, signed.agent, "viewed", conversation_id, now)
    return render(
        request,
        "transcript.html",
        signed,
        conversation_id=conversation_id,
        quoted_id=quote(conversation_id, safe=""),
        blocks=blocks(read),
        notes=notes.notes_by_event(db, conversation_id),
        handoff=handoff,
        channel=_last_channel(read),
        # A conversation in the queue is live: the member may write while the agent reads.
        live=handoff is not None and handoff.status in ("open", "claimed"),
    )


def _last_channel(read: list[Turn]) -> str | None:
    """Where the member wrote last: where Rasa sends an agent's reply (output_channel=latest)."""
    return next((turn.channel for turn in reversed(read) if turn.kind == "member" and turn.channel), None)


@router.get("/conversations/{conversation_id}/turns", response_class=HTMLResponse)
def transcript_turns(
    request: Request,
    conversation_id: str = ConversationId,
    signed: Signed = Depends(signed_in),
    db: Session = Depends(get_db),
) -> HTMLResponse:
    """The turns alone, for the live transcript (the page view was audited already)."""
    return render(
        request,
        "transcript_turns.html",
        signed,
        quoted_id=quote(conversation_id, safe=""),
        blocks=blocks(_turns(request, conversation_id)),
        notes=notes.notes_by_event(db, conversation_id),
    )


@router.get("/conversations/{conversation_id}/events")
async def transcript_events(
    request: Request, conversation_id: str = ConversationId, signed: Signed = Depends(signed_in)
) -> StreamingResponse:
    """A `turns` event whenever the conversation has a new event in the tracker store."""

    async def probe() -> str:
        def newest() -> int:
            try:
                with request.app.state.tracker_engine.connect() as connection:
                    return latest_event_id(connection, conversation_id)
            except (OperationalError, ProgrammingError):
                return 0

        return str(await asyncio.to_thread(newest))

    return event_stream(request, "turns", probe)


@router.post("/conversations/{conversation_id}/turns/{event_id}/suggestions")
def suggest(
    request: Request,
    conversation_id: str = ConversationId,
    event_id: int = Path(ge=1, le=2**62),
    text: str = Form(..., min_length=1, max_length=notes.MAX_LENGTH),
    signed: Signed = Depends(signed_in),
    db: Session = Depends(get_db),
    now: dt.datetime = Depends(get_now),
) -> Response:
    if not any(turn.event_id == event_id for turn in _turns(request, conversation_id)):
        raise Refused(404, "That turn is not part of this conversation.")
    if not text.strip():
        raise Refused(422, "The suggestion is empty.")
    notes.add_note(db, conversation_id, event_id, signed.agent, text.strip(), now)
    audit.record(db, signed.agent, "suggested", conversation_id, now, f"event {event_id}")
    return RedirectResponse(
        f"/conversations/{quote(conversation_id, safe='')}#turn-{event_id}", status_code=303
    )


@router.get("/conversations/{conversation_id}/export")
def export(
    request: Request,
    conversation_id: str = ConversationId,
    format: str = Query("json", pattern=r"^(json|csv)$"),
    signed: Signed = Depends(signed_in),
    db: Session = Depends(get_db),
    now: dt.datetime = Depends(get_now),
) -> Response:
    read = _turns(request, conversation_id)
    found = notes.notes_by_event(db, conversation_id)
    audit.record(db, signed.agent, "exported", conversation_id, now, format)
    safe_name = "".join(c if c.isalnum() or c in "-_" else "_" for c in conversation_id)[:80]
    disposition = {"Content-Disposition": f'attachment; filename="conversation-{safe_name}.{format}"'}
    if format == "csv":
        return Response(
            exports.as_csv(read, found), media_type="text/csv; charset=utf-8", headers=disposition
        )
    return Response(
        exports.as_json(conversation_id, read, found), media_type="application/json", headers=disposition
    )
