"""The seed and bench commands the README's measured figures come from, on a small scale."""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy import func, select

from agent_desk.models import Agent, Conversation


def _desk(settings, *args):
    env = {
        "DESK_DATABASE_URL": settings.database_url,
        "TRACKER_DATABASE_URL": settings.tracker_database_url,
        "PATH": "/usr/bin:/bin",
    }
    return subprocess.run(
        [sys.executable, "-m", "agent_desk", *args], env=env, capture_output=True, text=True, timeout=300
    )


def test_seeding_writes_searchable_conversations_and_the_bench_reports_p95(app, settings, db, agent_client):
    seeded = _desk(settings, "seed", "--conversations", "60", "--days", "10")
    assert seeded.returncode == 0, seeded.stderr
    assert "Wrote 60 conversations" in seeded.stdout and "Indexed 60 conversations" in seeded.stdout
    assert db.execute(select(func.count()).select_from(Conversation)).scalar_one() == 60
    assert (
        db.execute(
            select(func.count()).select_from(Conversation).where(Conversation.member_number.is_not(None))
        ).scalar_one()
        > 0
    )
    page = agent_client.get("/conversations", params={"channel": "website"})
    assert page.status_code == 200 and "seed-web-" in page.text
    bench = _desk(settings, "bench", "--rounds", "2")
    assert bench.returncode == 0, bench.stderr
    assert "| all searches |" in bench.stdout and "| transcript |" in bench.stdout
    assert db.execute(select(Agent.email)).scalars().all() == ["ana@plan.example"]  # the bench cleans up
