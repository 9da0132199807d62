"""The audit log, for supervisors only."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from ..audit import ACTIONS, AuditFilters, entries
from .deps import Refused, Signed, get_db, supervisor
from .pages import render

router = APIRouter()


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request, signed: Signed = Depends(supervisor), db: Session = Depends(get_db)
) -> HTMLResponse:
    given = {key: value for key, value in request.query_params.items() if value.strip()}
    try:
        filters = AuditFilters.model_validate(given)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors())
        raise Refused(422, f"The filter could not be read: {problems}") from error
    size = request.app.state.settings.page_size
    rows = entries(db, filters, size)
    query = {k: v for k, v in given.items() if k != "page"}
    return render(
        request,
        "audit.html",
        signed,
        filters=filters,
        rows=rows[:size],
        actions=ACTIONS,
        next_url="/audit?" + urlencode({**query, "page": filters.page + 1}) if len(rows) > size else None,
    )
