"""Rendering templates with what every page shows (the agent, the CSRF token)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from .deps import Signed

templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent / "templates"))


def _waited(since: dt.datetime, now: dt.datetime) -> str:
    minutes = max(0, int((now - since).total_seconds() // 60))
    return f"{minutes} min" if minutes < 120 else f"{minutes // 60} h {minutes % 60} min"


templates.env.filters["waited"] = _waited
templates.env.globals["channel_names"] = {"website": "Website chat", "twilio_sms": "SMS", "rest": "REST"}
templates.env.filters["clock"] = lambda at: at.strftime("%Y-%m-%d %H:%M:%S") if at else ""


def render(
    request: Request, name: str, signed: Signed | None, status_code: int = 200, **context: Any
) -> HTMLResponse:
    context.update(
        agent=signed.agent if signed else None,
        csrf_token=signed.session.csrf_token if signed else context.get("csrf_token"),
        now=request.app.state.clock(),
    )
    return templates.TemplateResponse(request, name, context, status_code=status_code)
