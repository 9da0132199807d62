"""A desk per test on SQLite and on PostgreSQL, with Rasa's events table beside it, a fake billing
service holding handoff cases and a fake Rasa HTTP API that records what it was asked."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, delete

from agent_desk.db import make_engine, session_factory
from agent_desk.models import Base
from agent_desk.schema import migrate
from agent_desk.settings import DeskSettings
from agent_desk.tracker_events import metadata as tracker_metadata
from agent_desk.web.app import create_app
from postgres_for_tests import drop_postgres_database, fresh_postgres_database
from tests.fakes import FakeBilling, FakeRasa, MovableClock, Tracker
from tests.signing_in import PASSWORD, add_agent, sign_in

NOW = dt.datetime(2026, 12, 4, 15, 0, 0)


@pytest.fixture(scope="session")
def postgres_url():
    url = fresh_postgres_database("desk_test")
    migrate(url)
    yield url
    drop_postgres_database(url)


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    """Migrated once; each test gets a copy (the migrations themselves are tested in test_migrations)."""
    path = tmp_path_factory.mktemp("template") / "desk.db"
    migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        shutil.copy(request.getfixturevalue("migrated_sqlite"), tmp_path / "desk.db")
        yield f"sqlite:///{tmp_path}/desk.db"
        return
    url = request.getfixturevalue("postgres_url")
    yield url
    engine = create_engine(url)
    with engine.begin() as connection:  # the next test starts from empty tables
        for table in reversed(Base.metadata.sorted_tables + tracker_metadata.sorted_tables):
            if engine.dialect.has_table(connection, table.name):
                connection.execute(delete(table))
    engine.dispose()


@pytest.fixture
def tracker(database_url):
    """Rasa's events table; in the tests it lives in the desk's database (in production its own)."""
    engine = make_engine(database_url)
    tracker_metadata.create_all(engine)
    yield Tracker(engine, NOW)
    engine.dispose()


@pytest.fixture
def clock():
    return MovableClock(NOW)


@pytest.fixture
def billing():
    return FakeBilling()


@pytest.fixture
def rasa():
    return FakeRasa()


@pytest.fixture
def settings(database_url):
    return DeskSettings(
        database_url=database_url,
        tracker_database_url=database_url,
        rasa_jwt_secret="test-secret-for-the-desk-tests-32-bytes",
    )


@pytest.fixture
def app(settings, tracker, clock, billing, rasa):
    desk = create_app(
        settings, clock=clock, billing_transport=billing.transport, rasa_transport=rasa.transport
    )
    desk.state.sse_ticks = 1
    desk.state.sse_interval = 0
    desk.state.queue_sync_seconds = 0  # every request asks the fake billing service (one test says otherwise)
    yield desk
    desk.state.desk_engine.dispose()
    desk.state.tracker_engine.dispose()


@pytest.fixture
def db(app):
    with session_factory(app.state.desk_engine)() as session:
        yield session


@pytest.fixture
def anonymous(app):
    with TestClient(app) as client:
        yield client


@pytest.fixture
def agent_client(app):
    add_agent(app, "ana@plan.example", "agent")
    with TestClient(app) as client:
        sign_in(client, "ana@plan.example", PASSWORD)
        yield client


@pytest.fixture
def second_agent_client(app):
    add_agent(app, "ben@plan.example", "agent")
    with TestClient(app) as client:
        sign_in(client, "ben@plan.example", PASSWORD)
        yield client


@pytest.fixture
def supervisor_client(app):
    add_agent(app, "sue@plan.example", "supervisor")
    with TestClient(app) as client:
        sign_in(client, "sue@plan.example", PASSWORD)
        yield client
