"""Search and transcript load times through the desk's own HTTP app, in process
(`python -m agent_desk bench`): p50 and p95 per kind of request, as the README reports them."""

from __future__ import annotations

import datetime as dt
import random
import secrets
import statistics
import time
from urllib.parse import quote

from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select

from .agents import create_agent
from .models import Agent, AuditEntry, Conversation, DeskSession
from .sessions import start_session
from .settings import DeskSettings
from .web.app import create_app, utc_now
from .web.deps import SESSION_COOKIE

SEARCHES: dict[str, dict[str, str]] = {
    "everything, newest first": {},
    "channel": {"channel": "twilio_sms"},
    "verified member": {"member": "M01234"},
    "intent": {"intent": "payment_plan"},
    "handed off": {"handed_off": "true"},
    "2+ fallbacks": {"min_fallbacks": "2"},
    "low confidence": {"low_confidence": "true"},
    "text": {"text": "paper statements"},
    "last 7 days": {},  # dates filled in at run time
    "channel + intent + 30 days": {"channel": "website", "intent": "setup_autopay"},
}


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)]
    return statistics.median(ordered), p95


def _check(status_code: int, body: str) -> None:
    if status_code != 200:
        raise RuntimeError(f"the desk answered {status_code}: {body[:300]}")


def run(settings: DeskSettings, rounds: int = 20, transcripts: int = 200, seed: int = 7) -> list[str]:
    app = create_app(settings)
    factory = app.state.desk_sessions
    rng = random.Random(seed)
    today = dt.date.today()
    SEARCHES["last 7 days"] = {"date_from": (today - dt.timedelta(days=7)).isoformat()}
    SEARCHES["channel + intent + 30 days"]["date_from"] = (today - dt.timedelta(days=30)).isoformat()
    with factory() as session:
        agent = create_agent(
            session,
            f"bench-{secrets.token_hex(4)}@desk.invalid",
            "agent",
            secrets.token_urlsafe(16),
            utc_now(),
        )
        token, _ = start_session(session, agent, utc_now(), 60)
        total = session.execute(select(func.count()).select_from(Conversation)).scalar_one()
        ids = list(
            session.execute(
                select(Conversation.sender_id).order_by(func.random()).limit(transcripts)
            ).scalars()
        )
    lines = [
        f"{total} conversations indexed; {rounds} rounds of each search (pages 1-5), {len(ids)} transcripts",
        "",
    ]
    timings: dict[str, list[float]] = {name: [] for name in SEARCHES}
    timings["transcript"] = []
    try:
        with TestClient(app) as client:
            client.cookies.set(SESSION_COOKIE, token)
            client.get("/conversations")  # catches the index up; not measured
            for _ in range(rounds):
                for name, query in SEARCHES.items():
                    started = time.perf_counter()
                    answer = client.get("/conversations", params={**query, "page": str(rng.randint(1, 5))})
                    timings[name].append((time.perf_counter() - started) * 1000)
                    _check(answer.status_code, answer.text)
            for sender_id in ids:
                started = time.perf_counter()
                answer = client.get(f"/conversations/{quote(sender_id, safe='')}")
                timings["transcript"].append((time.perf_counter() - started) * 1000)
                _check(answer.status_code, answer.text)
    finally:
        with factory() as session:
            session.execute(delete(AuditEntry).where(AuditEntry.agent_id == agent.id))
            session.execute(delete(DeskSession).where(DeskSession.agent_id == agent.id))
            session.execute(delete(Agent).where(Agent.id == agent.id))
            session.commit()
        app.state.desk_engine.dispose()
        app.state.tracker_engine.dispose()
    all_searches = [t for name, samples in timings.items() if name != "transcript" for t in samples]
    lines.append("| Request | p50 ms | p95 ms |")
    lines.append("| --- | --- | --- |")
    for name, samples in [*timings.items(), ("all searches", all_searches)]:
        p50, p95 = _percentiles(samples)
        lines.append(f"| {name} | {p50:.0f} | {p95:.0f} |")
    return lines
