"""How the service is exposed: loopback by default, no open API beyond it, files for its user only,
two listeners (API and payment page), Host headers checked, and nothing the chat does not need."""

from __future__ import annotations

import os
import re
import socket
import stat
import subprocess
import sys
import time

import httpx
from fastapi.testclient import TestClient

from billing_service.accounts import get_member
from billing_service.db import make_engine, make_session_factory
from billing_service.migrate import upgrade
from billing_service.seed import DEMO_MEMBERS, seed_demo_data
from billing_service.settings import BillingSettings
from tests.conftest import TODAY
from tests.demo import MARIA


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _billing(args, tmp_path, **env):
    environment = {
        **os.environ,
        "BILLING_DATABASE_URL": f"sqlite:///{tmp_path}/var/billing.db",
        "BILLING_API_TOKEN": "",
        **env,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "billing_service", *args],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_defaults_are_loopback_with_the_page_on_its_own_port():
    settings = BillingSettings(_env_file=None)
    assert (settings.host, settings.port, settings.pages_port) == ("127.0.0.1", 8001, 8002)
    assert settings.public_url == "http://localhost:8002"
    assert settings.api_hosts() == ["localhost", "127.0.0.1"]


def test_it_refuses_to_listen_beyond_loopback_without_a_token(tmp_path):
    process = _billing(["serve"], tmp_path, BILLING_HOST="0.0.0.0")
    out, err = process.communicate(timeout=60)
    assert process.returncode != 0
    assert "BILLING_API_TOKEN" in err and "0.0.0.0" in err
    assert not (tmp_path / "var" / "billing.db").exists()  # refused before touching anything


def test_files_it_creates_are_for_its_user_only(tmp_path):
    process = _billing(["migrate"], tmp_path)
    process.communicate(timeout=60)
    assert process.returncode == 0
    assert stat.S_IMODE((tmp_path / "var").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "var" / "billing.db").stat().st_mode) == 0o600


def test_serve_starts_the_api_and_the_payment_page_on_two_listeners(tmp_path):
    api_port, pages_port = _free_port(), _free_port()
    process = _billing(
        ["serve", "--seed"],
        tmp_path,
        BILLING_PORT=str(api_port),
        BILLING_PAGES_PORT=str(pages_port),
        BILLING_PUBLIC_URL=f"http://localhost:{pages_port}",
    )
    try:
        api, pages = f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{pages_port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{api}/health").status_code == httpx.get(f"{pages}/health").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        member = httpx.post(
            f"{api}/verify",
            json={
                "account_number": MARIA["medical"],
                "date_of_birth": MARIA["dob"],
                "zip_code": MARIA["zip"],
            },
        ).json()["member_number"]
        link = httpx.post(
            f"{api}/members/{member}/payment-links", json={}, headers={"X-Member-Number": member}
        ).json()["url"]
        assert link.startswith(f"http://localhost:{pages_port}/pay/")
        assert httpx.get(link).status_code == 200
        assert httpx.get(link.replace(str(pages_port), str(api_port))).status_code == 404
        assert httpx.get(f"{pages}/openapi.json").status_code == 404
        # Another Host header (a DNS-rebinding page) is turned away.
        assert httpx.get(f"{api}/health", headers={"Host": "attacker.example"}).status_code == 400
    finally:
        process.terminate()
        process.communicate(timeout=30)


def test_unexpected_host_headers_are_refused(client):
    assert client.get("/health", headers={"Host": "attacker.example"}).status_code == 400
    assert client.get("/health").status_code == 200


def test_member_numbers_are_random_unless_pinned_and_the_demo_answers_still_work(tmp_path):
    url = f"sqlite:///{tmp_path}/seeded.db"
    upgrade(url)
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            assert seed_demo_data(session, TODAY.date()) == len(DEMO_MEMBERS)
            assert seed_demo_data(session, TODAY.date()) == 0  # seeding twice changes nothing
        from billing_service.app import create_app

        app = create_app(BillingSettings(database_url=url, allowed_hosts="testserver"))
        with TestClient(app) as client:
            member = client.post(
                "/verify",
                json={
                    "account_number": MARIA["medical"],
                    "date_of_birth": MARIA["dob"],
                    "zip_code": MARIA["zip"],
                },
            ).json()["member_number"]
        assert re.fullmatch(r"M[A-Z0-9]{10}", member) and member != MARIA["member"]
        app.state.engine.dispose()
    finally:
        engine.dispose()


def test_pinned_member_numbers_are_the_demo_ones(app):
    with app.state.session_factory() as session:
        assert get_member(session, MARIA["member"]).first_name == "Maria"
    assert [m.member_number for m in DEMO_MEMBERS][:2] == ["M100001", "M100002"]


def test_statement_lines_carry_no_diagnosis_codes(client):
    statements = client.get(f"/accounts/{MARIA['medical']}/statements").json()
    lines = [line for statement in statements for line in statement["lines"]]
    assert lines and not any("diagnosis" in key for line in lines for key in line)
    assert "J06.9" not in str(statements)
