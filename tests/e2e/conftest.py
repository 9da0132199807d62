"""The whole assistant: the trained model behind Rasa's REST channel, the real action server and
the billing service, each a separate process on free ports with their own databases."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional

import httpx
import pytest

from assistant.billing_process import billing_command
from assistant.rasa_api import api_headers

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "billing-assistant.tar.gz"
RASA_JWT_SECRET = "e2e-rasa-jwt-secret-0123456789"
BILLING_API_TOKEN = "e2e-billing-api-token"
TWILIO_AUTH_TOKEN = "e2e-twilio-auth-token"
MEMBER_TOKEN_SECRET = "e2e-member-token-secret"
# Every secret the services get, so tests can look for them where they must never appear.
SECRETS = {"RASA_JWT_SECRET": RASA_JWT_SECRET, "BILLING_API_TOKEN": BILLING_API_TOKEN,
           "ACTION_SERVER_TOKEN": "e2e-action-server-token", "IDENTITY_TOKEN_SECRET": "e2e-identity-token-secret",
           "MEMBER_TOKEN_SECRET": MEMBER_TOKEN_SECRET, "CHAT_SESSION_SECRET": "e2e-chat-session-secret",
           "SMS_ID_SECRET": "e2e-sms-id-secret", "TWILIO_AUTH_TOKEN": TWILIO_AUTH_TOKEN}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[:3]} exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer in {timeout}s")


class Assistant:
    def __init__(self, rasa_url: str, billing_url: str, env: dict):
        self.rasa_url = rasa_url
        self.billing_url = billing_url
        self.env = env
        self.sms_url = f"{rasa_url}/webhooks/twilio_sms/webhook"
        self.website_url = env["WEBSITE_URL"]

    def say(self, sender: str, text: str) -> list:
        response = httpx.post(f"{self.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                              timeout=60)
        response.raise_for_status()
        return response.json()

    def texts(self, sender: str, text: str) -> str:
        return "\n".join(m.get("text", "") for m in self.say(sender, text))

    def billing(self, path: str, *, member: Optional[str] = None):
        """GET from the billing API as the assistant does: with its token, acting for `member`."""
        headers = {"Authorization": f"Bearer {BILLING_API_TOKEN}"}
        if member:
            headers["X-Member-Number"] = member
        return httpx.get(f"{self.billing_url}{path}", headers=headers, timeout=10).json()

    def member_number(self, account_number: str, date_of_birth: str, zip_code: str) -> str:
        """Member numbers are random: learn one the way the assistant does, by verifying."""
        answer = httpx.post(f"{self.billing_url}/verify", json={"account_number": account_number,
                                                                 "date_of_birth": date_of_birth, "zip_code": zip_code},
                            headers={"Authorization": f"Bearer {BILLING_API_TOKEN}", "X-Client-Id": "e2e-tests"},
                            timeout=10)
        answer.raise_for_status()
        return answer.json()["member_number"]

    @property
    def api_headers(self) -> dict:
        """What an outside caller (the agent desk, a push) sends to Rasa's HTTP API: a signed JWT."""
        return api_headers(RASA_JWT_SECRET)

    def tracker(self, sender: str) -> dict:
        return httpx.get(f"{self.rasa_url}/conversations/{sender}/tracker", headers=self.api_headers,
                         timeout=10).json()


@pytest.fixture(scope="session")
def assistant(tmp_path_factory):
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: `make test` trains it first (or run `make model`)", pytrace=False)
    work = tmp_path_factory.mktemp("e2e")
    billing_port, actions_port, rasa_port, website_port = free_port(), free_port(), free_port(), free_port()
    pages_port = free_port()
    env = {**os.environ,
           "BILLING_DATABASE_URL": f"sqlite:///{work}/billing.db", "BILLING_PORT": str(billing_port),
           "BILLING_PUBLIC_URL": f"http://127.0.0.1:{pages_port}",
           "BILLING_URL": f"http://127.0.0.1:{billing_port}",
           "TRACKER_DATABASE_URL": f"sqlite:///{work}/tracker.db",
           "SMS_DATABASE_URL": f"sqlite:///{work}/sms.db",
           "TWILIO_WEBHOOK_URL": f"http://127.0.0.1:{rasa_port}/webhooks/twilio_sms/webhook",
           "CHAT_SESSION_DATABASE_URL": f"sqlite:///{work}/chat_sessions.db",
           **SECRETS, "ACTIONS_PORT": str(actions_port), "BILLING_PAGES_PORT": str(pages_port),
           "RASA_TELEMETRY_ENABLED": "false",
           "WEBSITE_PORT": str(website_port), "WEBSITE_URL": f"http://127.0.0.1:{website_port}",
           "WEBSITE_ORIGINS": f"http://127.0.0.1:{website_port}",
           "CHAT_SOCKET_URL": f"http://127.0.0.1:{rasa_port}",
           "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}
    endpoints = work / "endpoints.yml"
    endpoints.write_text((ROOT / "endpoints.yml").read_text().replace("127.0.0.1:5055", f"127.0.0.1:{actions_port}"))
    logs = {name: open(work / f"{name}.log", "w") for name in ("billing", "actions", "rasa", "website")}
    processes = []

    def start(name, command, health):
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=logs[name], stderr=subprocess.STDOUT)
        processes.append(process)
        try:
            wait_for(health, process)
        except RuntimeError as error:
            pytest.fail(f"{name} did not start: {error}; see {work}/{name}.log", pytrace=False)

    try:
        start("billing", billing_command("serve", "--seed"),
              f"http://127.0.0.1:{billing_port}/health")
        start("actions", [sys.executable, "-m", "assistant.action_server"], f"http://127.0.0.1:{actions_port}/health")
        start("rasa", [sys.executable, "-m", "assistant.rasa_server", "--model", str(MODEL), "--port", str(rasa_port),
                       "--credentials", str(ROOT / "credentials.yml"), "--endpoints", str(endpoints)],
              f"http://127.0.0.1:{rasa_port}/")
        start("website", [sys.executable, "-m", "website"], f"http://127.0.0.1:{website_port}/health")
        yield Assistant(f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{billing_port}", env)
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
