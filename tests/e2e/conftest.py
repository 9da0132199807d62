"""The whole assistant: the trained model behind Rasa's REST channel, the real action server and
the billing service, each a separate process on free ports with their own databases; and a stand-in for
Twilio's Messaging API, which receives the texts the assistant pushes (an agent's reply by SMS)."""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import ExitStack

import pytest
from playwright.sync_api import sync_playwright

from assistant.billing_process import billing_command
from tests.e2e.fake_twilio import serving_fake_twilio
from tests.e2e.stack import (
    MODEL,
    PLAN_NUMBER,
    ROOT,
    SECRETS,
    TWILIO_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN,
    Assistant,
    desk_settings,
)
from tests.processes import free_port, wait_for


@pytest.fixture(scope="session")
def assistant(tmp_path_factory):
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: `make test` trains it first (or run `make model`)", pytrace=False)
    work = tmp_path_factory.mktemp("e2e")
    billing_port, actions_port, rasa_port, website_port = free_port(), free_port(), free_port(), free_port()
    pages_port, twilio_port = free_port(), free_port()
    env = {
        **os.environ,
        "BILLING_DATABASE_URL": f"sqlite:///{work}/billing.db",
        "BILLING_PORT": str(billing_port),
        "BILLING_PUBLIC_URL": f"http://127.0.0.1:{pages_port}",
        "BILLING_URL": f"http://127.0.0.1:{billing_port}",
        "TRACKER_DATABASE_URL": f"sqlite:///{work}/tracker.db",
        "SMS_DATABASE_URL": f"sqlite:///{work}/sms.db",
        "TWILIO_WEBHOOK_URL": f"http://127.0.0.1:{rasa_port}/webhooks/twilio_sms/webhook",
        "TWILIO_API_BASE_URL": f"http://127.0.0.1:{twilio_port}",
        "TWILIO_ACCOUNT_SID": TWILIO_ACCOUNT_SID,
        "TWILIO_FROM_NUMBER": PLAN_NUMBER,
        "CHAT_SESSION_DATABASE_URL": f"sqlite:///{work}/chat_sessions.db",
        **SECRETS,
        **desk_settings(work, free_port()),
        "ACTIONS_PORT": str(actions_port),
        "BILLING_PAGES_PORT": str(pages_port),
        "RASA_TELEMETRY_ENABLED": "false",
        "WEBSITE_PORT": str(website_port),
        "WEBSITE_URL": f"http://127.0.0.1:{website_port}",
        "WEBSITE_ORIGINS": f"http://127.0.0.1:{website_port}",
        "CHAT_SOCKET_URL": f"http://127.0.0.1:{rasa_port}",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
    }
    endpoints = work / "endpoints.yml"
    endpoints.write_text(
        (ROOT / "endpoints.yml").read_text().replace("127.0.0.1:5055", f"127.0.0.1:{actions_port}")
    )
    logs = {name: open(work / f"{name}.log", "w") for name in ("billing", "actions", "rasa", "website")}
    processes = []
    stand_ins = ExitStack()
    twilio = stand_ins.enter_context(serving_fake_twilio(TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, twilio_port))

    def start(name, command, health):
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=logs[name], stderr=subprocess.STDOUT)
        processes.append(process)
        try:
            wait_for(health, process)
        except RuntimeError as error:
            pytest.fail(f"{name} did not start: {error}; see {work}/{name}.log", pytrace=False)

    try:
        start("billing", billing_command("serve", "--seed"), f"http://127.0.0.1:{billing_port}/health")
        start(
            "actions",
            [sys.executable, "-m", "assistant.action_server"],
            f"http://127.0.0.1:{actions_port}/health",
        )
        start(
            "rasa",
            [
                sys.executable,
                "-m",
                "assistant.rasa_server",
                "--model",
                str(MODEL),
                "--port",
                str(rasa_port),
                "--credentials",
                str(ROOT / "credentials.yml"),
                "--endpoints",
                str(endpoints),
            ],
            f"http://127.0.0.1:{rasa_port}/",
        )
        start("website", [sys.executable, "-m", "website"], f"http://127.0.0.1:{website_port}/health")
        running = Assistant(f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{billing_port}", env, twilio)
        running.keep_seeded_billing()
        yield running
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        stand_ins.close()


# Debian's chromium for the browser tests (a test tool's own browser download fails here).
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()
