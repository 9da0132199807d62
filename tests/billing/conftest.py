"""The billing service's own tests run every rule on SQLite and on PostgreSQL."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.demo import ACCOUNT_OWNERS, acting_as

MEMBER_PATH = re.compile(r"^/members/([^/?]+)")
ACCOUNT_PATH = re.compile(r"^/accounts/([^/?]+)")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request):
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")


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
