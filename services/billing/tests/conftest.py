"""A billing service per test with demo data and a movable clock.

Every rule runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
import socket
import threading
import time

import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import text

from billing_service.app import create_app
from billing_service.migrate import upgrade
from billing_service.models import Base
from billing_service.payment_page import create_pages_app
from billing_service.seed import seed_demo_data
from billing_service.settings import BillingSettings
from postgres_for_tests import drop_postgres_database, fresh_postgres_database
from tests.demo import ACCOUNT_OWNERS, acting_as

MEMBER_PATH = re.compile(r"^/members/([^/?]+)")
ACCOUNT_PATH = re.compile(r"^/accounts/([^/?]+)")

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


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request):
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")


@pytest.fixture
def clock():
    return MovableClock(TODAY)


@pytest.fixture
def settings(database_url):
    # TestClient sends Host: testserver; ASGI clients in tests/actions use http://billing.test.
    return BillingSettings(
        database_url=database_url,
        public_url="http://billing.test",
        allowed_hosts="localhost,127.0.0.1,testserver,billing.test",
    )


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


class OwnerActingClient(TestClient):
    """Acts, as the assistant does after verification, for the member who owns the account or member
    number a request names, unless the test sends X-Member-Number itself. The tests of the member
    header's enforcement (test_member_scope.py) use a plain TestClient."""

    def request(self, method, url, **kwargs):
        headers = dict(kwargs.pop("headers", None) or {})
        if not any(name.lower() == "x-member-number" for name in headers):
            owner = owner_of(str(url), kwargs.get("json"))
            if owner:
                headers.update(acting_as(owner))
        return super().request(method, url, headers=headers, **kwargs)


def owner_of(path: str, body) -> str:
    member = MEMBER_PATH.match(path)
    if member:
        return member.group(1)
    account = ACCOUNT_PATH.match(path)
    if account:
        return ACCOUNT_OWNERS.get(account.group(1), "")
    if path.startswith("/payments") and isinstance(body, dict):
        return ACCOUNT_OWNERS.get(str(body.get("account_number")), "")
    return ""


@pytest.fixture
def client(app):
    with OwnerActingClient(app) as client:
        yield client


@pytest.fixture
def plain_client(app):
    with TestClient(app) as client:
        yield client
