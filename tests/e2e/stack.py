"""The whole assistant as the e2e tests see it: its secrets, and an Assistant that talks to the running
stack."""

from __future__ import annotations

import sqlite3
import subprocess
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import httpx
from twilio.request_validator import RequestValidator

from assistant.rasa_api import api_headers
from tests.e2e.fake_twilio import FakeTwilio
from tests.processes import wait_for

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "billing-assistant.tar.gz"
RASA_JWT_SECRET = "e2e-rasa-jwt-secret-0123456789"
BILLING_API_TOKEN = "e2e-billing-api-token"
TWILIO_AUTH_TOKEN = "e2e-twilio-auth-token"
TWILIO_ACCOUNT_SID = "AC" + "e2e0" * 8
PLAN_NUMBER = "+15550000000"  # the plan's texting number: members text it, and pushed texts come from it
MEMBER_TOKEN_SECRET = "e2e-member-token-secret"
# Every secret the services get, so tests can look for them where they must never appear.
SECRETS = {
    "RASA_JWT_SECRET": RASA_JWT_SECRET,
    "BILLING_API_TOKEN": BILLING_API_TOKEN,
    "ACTION_SERVER_TOKEN": "e2e-action-server-token",
    "IDENTITY_TOKEN_SECRET": "e2e-identity-token-secret",
    "MEMBER_TOKEN_SECRET": MEMBER_TOKEN_SECRET,
    "CHAT_SESSION_SECRET": "e2e-chat-session-secret",
    "SMS_ID_SECRET": "e2e-sms-id-secret",
    "TWILIO_AUTH_TOKEN": TWILIO_AUTH_TOKEN,
    "DESK_API_TOKEN": "e2e-desk-api-token",
}
DESK_PYTHON = ROOT / "services" / "desk" / ".venv" / "bin" / "python"
AGENT_PASSWORD = "e2e-agent-password-0123"


def desk_settings(work: Path, port: int) -> dict[str, str]:
    """What the stack's processes need to know of the agent desk. The desk itself starts only for the tests
    that ask for it (start_desk), so the others pay nothing for it: for them it is a desk nobody is at.
    Specialists' hours are always on here, so what a member hears does not depend on when the tests run."""
    return {
        "DESK_URL": f"http://127.0.0.1:{port}",
        "DESK_PORT": str(port),
        "DESK_DATABASE_URL": f"sqlite:///{work}/desk.db",
        "HANDOFF_DAYS": "Mon-Sun",
        "HANDOFF_HOURS": "00:00-24:00",
    }


@contextmanager
def serving_desk(assistant: Assistant, *agents: str) -> Iterator[str]:
    """The agent desk on the stack's databases and Rasa, with these agents (AGENT_PASSWORD); its URL."""
    env = {**assistant.env, "RASA_URL": assistant.rasa_url}
    log_path = Path(env["DESK_DATABASE_URL"][len("sqlite:///") :]).with_name("desk.log")
    with open(log_path, "a") as log:
        for email in agents:
            subprocess.run(
                [str(DESK_PYTHON), "-m", "agent_desk", "create-agent", "--email", email, "--role", "agent"],
                cwd=ROOT,
                env=env,
                input=AGENT_PASSWORD + "\n",
                text=True,
                stdout=log,
                stderr=subprocess.STDOUT,
                check=True,
            )
        process = subprocess.Popen(
            [str(DESK_PYTHON), "-m", "agent_desk", "serve"], cwd=ROOT, env=env, stdout=log, stderr=log
        )
        try:
            wait_for(f"{env['DESK_URL']}/health", process, timeout=60)
            yield env["DESK_URL"]
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


class Assistant:
    def __init__(self, rasa_url: str, billing_url: str, env: dict, twilio: FakeTwilio):
        self.rasa_url = rasa_url
        self.twilio = twilio  # what Twilio's Messaging API was asked to text
        self.billing_url = billing_url
        self.env = env
        self.sms_url = f"{rasa_url}/webhooks/twilio_sms/webhook"
        self.website_url = env["WEBSITE_URL"]

    @property
    def billing_database(self) -> Path:
        return Path(self.env["BILLING_DATABASE_URL"][len("sqlite:///") :])

    def keep_seeded_billing(self) -> None:
        """Copies the billing data as seeded, for reset_billing (SQLite's backup works under its locks)."""
        with (
            closing(sqlite3.connect(self.billing_database)) as source,
            closing(sqlite3.connect(self.billing_database.with_name("seeded.db"))) as copy,
        ):
            source.backup(copy)

    def reset_billing(self) -> None:
        """Back to the seeded billing data: the running service reads the restored rows on its next query."""
        with (
            closing(sqlite3.connect(self.billing_database.with_name("seeded.db"))) as source,
            closing(sqlite3.connect(self.billing_database)) as live,
        ):
            source.backup(live)

    def say(self, sender: str, text: str) -> list:
        response = httpx.post(
            f"{self.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60
        )
        response.raise_for_status()
        return response.json()

    def texts(self, sender: str, text: str) -> str:
        return "\n".join(m.get("text", "") for m in self.say(sender, text))

    def billing(self, path: str, *, member: str | None = None):
        """GET from the billing API as the assistant does: with its token, acting for `member`."""
        headers = {"Authorization": f"Bearer {BILLING_API_TOKEN}"}
        if member:
            headers["X-Member-Number"] = member
        return httpx.get(f"{self.billing_url}{path}", headers=headers, timeout=10).json()

    def member_number(self, account_number: str, date_of_birth: str, zip_code: str) -> str:
        """Member numbers are random: learn one the way the assistant does, by verifying."""
        answer = httpx.post(
            f"{self.billing_url}/verify",
            json={"account_number": account_number, "date_of_birth": date_of_birth, "zip_code": zip_code},
            headers={"Authorization": f"Bearer {BILLING_API_TOKEN}", "X-Client-Id": "e2e-tests"},
            timeout=10,
        )
        answer.raise_for_status()
        return answer.json()["member_number"]

    @property
    def api_headers(self) -> dict:
        """What an outside caller (the agent desk, a push) sends to Rasa's HTTP API: a signed JWT."""
        return api_headers(RASA_JWT_SECRET)

    def tracker(self, sender: str) -> dict:
        return httpx.get(
            f"{self.rasa_url}/conversations/{sender}/tracker", headers=self.api_headers, timeout=10
        ).json()


class Phone:
    """A member texting the SMS webhook, with requests signed the way Twilio signs them."""

    def __init__(self, assistant, number=None):
        self.assistant = assistant
        self.number = number or f"+1555{uuid.uuid4().int % 10**7:07d}"

    def post(self, body="", sign_with=TWILIO_AUTH_TOKEN, sid=None, **extra):
        params = {
            "From": self.number,
            "To": PLAN_NUMBER,
            "Body": body,
            "MessageSid": sid or "SM" + uuid.uuid4().hex,
            "NumMedia": "0",
            **extra,
        }
        headers = {}
        if sign_with:
            url = self.assistant.env["TWILIO_WEBHOOK_URL"]
            headers["X-Twilio-Signature"] = RequestValidator(sign_with).compute_signature(url, params)
        return httpx.post(self.assistant.sms_url, data=params, headers=headers, timeout=60)

    def text(self, body, **kwargs) -> list:
        response = self.post(body, **kwargs)
        assert response.status_code == 200, response.text
        return [m.text or "" for m in ET.fromstring(response.text).iter("Message")]
