"""The handoff queue page, its live updates (server-sent events), and claim, reply and resolve."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from sqlalchemy.orm import Session

from billing_contract.redaction import mask

from .. import audit, handoffs
from ..billing_api import BillingUnreachable
from ..sessions import mark_seen
from .deps import Signed, get_db, get_now, signed_in
from .indexing import catch_up
from .pages import render
from .streams import event_stream

router = APIRouter()
CaseId = Path(ge=1, le=2**31 - 1)


async def refresh(request: Request, db: Session) -> bool:
    """Pulls the open cases from the billing service; False when it is unreachable (the last known
    queue is shown). Every open queue page polls: one pull per `queue_sync_seconds` serves them all."""
    state = request.app.state
    catch_up(request.app, db)  # the queue shows each handoff's channel from the index
    if time.monotonic() - state.queue_synced_at < state.queue_sync_seconds:
        return True
    try:
        cases = await state.billing.open_handoffs()
    except BillingUnreachable:
        return False
    handoffs.sync_open_cases(db, cases)
    state.queue_synced_at = time.monotonic()
    return True


async def _rows(request: Request, db: Session, signed: Signed, name: str) -> HTMLResponse:
    reachable = await refresh(request, db)
    return render(request, name, signed, waiting=handoffs.waiting(db), billing_reachable=reachable)


@router.get("/queue", response_class=HTMLResponse)
async def queue_page(
    request: Request, signed: Signed = Depends(signed_in), db: Session = Depends(get_db)
) -> HTMLResponse:
    return await _rows(request, db, signed, "queue.html")


@router.get("/queue/rows", response_class=HTMLResponse)
async def queue_rows(
    request: Request, signed: Signed = Depends(signed_in), db: Session = Depends(get_db)
) -> HTMLResponse:
    return await _rows(request, db, signed, "queue_rows.html")


@router.get("/queue/events")
async def queue_events(request: Request, signed: Signed = Depends(signed_in)) -> StreamingResponse:
    """A `queue` event whenever the waiting handoffs change (and once on connecting); data: how many."""

    async def probe() -> str:
        db = request.app.state.desk_sessions()
        try:
            mark_seen(db, signed.session, request.app.state.clock())  # the page is still open
            await refresh(request, db)
            rows = handoffs.waiting(db)
        finally:
            db.close()
        # The channel too: a case can reach the billing service before Rasa has stored the turn.
        seen = repr([(r.case_id, r.status, r.claimed_by, channel) for r, _, channel in rows])
        return f"{len(rows)} {hashlib.sha256(seen.encode()).hexdigest()}"

    return event_stream(request, "queue", probe)


def _to_conversation(conversation_id: str) -> RedirectResponse:
    return RedirectResponse(f"/conversations/{quote(conversation_id, safe='')}", status_code=303)


@router.post("/handoffs/{case_id}/claim")
async def claim(
    case_id: int = CaseId,
    signed: Signed = Depends(signed_in),
    db: Session = Depends(get_db),
    now: dt.datetime = Depends(get_now),
) -> Response:
    row = handoffs.claim(db, case_id, signed.agent, now)
    audit.record(db, signed.agent, "claimed", row.conversation_id, now, f"handoff {case_id}")
    return _to_conversation(row.conversation_id)


@router.post("/handoffs/{case_id}/release")
async def release(
    request: Request,
    case_id: int = CaseId,
    signed: Signed = Depends(signed_in),
    db: Session = Depends(get_db),
    now: dt.datetime = Depends(get_now),
) -> Response:
    row = handoffs.releasable(db, case_id, signed.agent)
    if row.answered_at is not None:  # the agent had spoken: the assistant must answer the member again
        await request.app.state.rasa.resume(row.conversation_id, signed.agent.email)
    handoffs.release(db, row)
    audit.record(db, signed.agent, "released", row.conversation_id, now, f"handoff {case_id}")
    return RedirectResponse("/queue", status_code=303)


@router.post("/handoffs/{case_id}/reply")
async def reply(
    request: Request,
    case_id: int = CaseId,
    text: str = Form(..., min_length=1, max_length=2000),
    signed: Signed = Depends(signed_in),
    db: Session = Depends(get_db),
    now: dt.datetime = Depends(get_now),
) -> Response:
    row = handoffs.claimed_by_agent(db, case_id, signed.agent)
    message = mask(text.strip())
    if not message:
        return render(request, "error.html", signed, 422, message="The reply is empty.")
    await request.app.state.rasa.send_reply(
        row.conversation_id, message, signed.agent.email, pause=row.answered_at is None
    )
    handoffs.mark_answered(db, row, now)
    audit.record(db, signed.agent, "replied", row.conversation_id, now, f"handoff {case_id}")
    return _to_conversation(row.conversation_id)


@router.post("/handoffs/{case_id}/resolve")
async def resolve(
    request: Request,
    case_id: int = CaseId,
    note: str = Form(..., min_length=1, max_length=2000),
    signed: Signed = Depends(signed_in),
    db: Session = Depends(get_db),
    now: dt.datetime = Depends(get_now),
) -> Response:
    row = handoffs.claimed_by_agent(db, case_id, signed.agent)
    # The conversation goes back to the assistant first: a failure there leaves the case claimed, so the
    # agent can try again, rather than closed with the member still held in the queue.
    await request.app.state.rasa.hand_back(row.conversation_id, signed.agent.email)
    await request.app.state.billing.close_handoff(case_id)
    handoffs.mark_resolved(db, row, note.strip(), now)
    audit.record(db, signed.agent, "resolved", row.conversation_id, now, f"handoff {case_id}")
    return RedirectResponse("/queue", status_code=303)
