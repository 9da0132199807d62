"""A billing service per test (SQLite by default) with demo data and a movable clock."""
from __future__ import annotations

import datetime as dt
import socket
import threading
import time

import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import text

from bot.billing.app import create_app
from bot.billing.migrate import upgrade
from bot.billing.models import Base
from bot.billing.payment_page import create_pages_app
from bot.billing.seed import seed_demo_data
from bot.billing.settings import BillingSettings
from tests.services import drop_postgres_database, fresh_postgres_database

TODAY = dt.datetime(2026, 11, 22, 15, 0, 0)


class MovableClock:
    def __init__(self, now: dt.datetime):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('billing')}/billing.db"
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def postgres_url():
    url = fresh_postgres_database("billing_test")
    upgrade(url)
    yield url
    drop_postgres_database(url)


@pytest.fixture
def database_url(sqlite_url):
    """SQLite unless a test folder asks for more (tests/billing runs on PostgreSQL too)."""
    return sqlite_url


@pytest.fixture
def clock():
    return MovableClock(TODAY)


@pytest.fixture
def settings(database_url):
    # TestClient sends Host: testserver; ASGI clients in tests/actions use http://billing.test.
    return BillingSettings(database_url=database_url, public_url="http://billing.test",
                           allowed_hosts="localhost,127.0.0.1,testserver,billing.test")


@pytest.fixture
def app(settings, clock):
    app = create_app(settings, clock=clock)
    _empty(app.state.engine)
    with app.state.session_factory() as session:
        seed_demo_data(session, clock().date(), pin_member_numbers=True)
    yield app
    app.state.engine.dispose()


@pytest.fixture
def server_url(app):
    """The app behind a real HTTP server on a free port, for concurrent clients."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def client(app):
    with TestClient(app) as client:
        yield client


@pytest.fixture
def pages_app(app, settings, clock):
    """The payment-page app, apart from the API, on the same database (seeded by `app`)."""
    pages = create_pages_app(settings, processor=app.state.processor, clock=clock)
    yield pages
    pages.state.engine.dispose()


@pytest.fixture
def pages_client(pages_app):
    with TestClient(pages_app, base_url="http://billing.test") as client:
        yield client


def _empty(engine) -> None:
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(t.name for t in Base.metadata.sorted_tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(table.delete())
