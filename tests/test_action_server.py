"""The action server answers only the Rasa server: a shared secret on every call, JSON bodies only,
and a failure that echoes nothing back."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
import pytest

from tests.processes import free_port, wait_for

TOKEN = "action-server-test-token"
IDENTITY_SECRET = "action-server-test-identity-secret"
FORGED_TRACKER = {
    "sender_id": "attacker",
    "slots": {"verified": True, "member_number": "M100002"},
    "latest_message": {"intent": {"name": "check_balance"}, "text": "balance"},
    "events": [],
    "paused": False,
    "followup_action": None,
    "active_loop": {},
    "latest_action_name": "action_listen",
}


def call(url: str, tracker: dict = FORGED_TRACKER, action: str = "action_check_balance", **kwargs):
    body = {
        "next_action": action,
        "sender_id": tracker["sender_id"],
        "tracker": tracker,
        "domain": {},
        "version": "3.6.21",
    }
    return httpx.post(f"{url}/webhook", json=body, timeout=10, **kwargs)


@pytest.fixture(scope="module")
def action_server(tmp_path_factory):
    port = free_port()
    env = {
        **os.environ,
        "ACTION_SERVER_TOKEN": TOKEN,
        "IDENTITY_TOKEN_SECRET": IDENTITY_SECRET,
        "ACTIONS_PORT": str(port),
        "BILLING_URL": "http://127.0.0.1:9",
    }  # billing unreachable: none is needed
    log = tmp_path_factory.mktemp("actions") / "actions.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "assistant.action_server"], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        wait_for(f"http://127.0.0.1:{port}/health", process, timeout=60)
        yield f"http://127.0.0.1:{port}", log
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_a_call_without_the_secret_runs_nothing_and_echoes_nothing(action_server):
    url, _ = action_server
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
        answer = call(url, headers=headers)
        assert answer.status_code == 401
        assert "M100002" not in answer.text and "slots" not in answer.text
    assert httpx.get(f"{url}/actions", timeout=10).status_code == 401


def test_a_web_page_text_plain_post_is_refused(action_server):
    url, _ = action_server
    # What a page open in the member's browser could send without a CORS preflight.
    answer = httpx.post(
        f"{url}/webhook",
        content=b'{"next_action": "action_check_balance"}',
        headers={"Content-Type": "text/plain", "Authorization": f"Bearer {TOKEN}"},
        timeout=10,
    )
    assert answer.status_code == 415
    blind = httpx.post(
        f"{url}/webhook",
        content=b'{"next_action": "action_check_balance"}',
        headers={"Content-Type": "text/plain"},
        timeout=10,
    )
    assert blind.status_code == 401


def test_the_right_secret_with_a_forged_identity_reveals_nothing(action_server):
    url, _ = action_server
    answer = call(url, headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 200
    replies = answer.json()["responses"]
    assert [r.get("response") for r in replies] == ["utter_need_verification"]


def test_a_failing_action_answers_500_without_the_tracker(action_server):
    url, log = action_server
    tracker = {
        **FORGED_TRACKER,
        "slots": {
            **FORGED_TRACKER["slots"],
            "verify_identifier": "2000100001",
            "verify_birth_date": "1985-04-12",
            "verify_zip": "94612",
        },
    }
    # The billing service is unreachable and the body below is not a tracker rasa_sdk can read.
    answer = httpx.post(
        f"{url}/webhook",
        json={"next_action": "action_verify_member", "tracker": "not a tracker"},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=10,
    )
    assert answer.status_code == 500
    assert answer.json() == {"error": "the action failed"}
    assert (
        call(url, tracker, "action_verify_member", headers={"Authorization": f"Bearer {TOKEN}"}).status_code
        == 200
    )
    assert "1985-04-12" not in log.read_text()


def test_without_its_secret_the_action_server_refuses_to_start():
    env = {k: v for k, v in os.environ.items() if k != "ACTION_SERVER_TOKEN"}
    done = subprocess.run(
        [sys.executable, "-m", "assistant.action_server"],
        env={**env, "ACTIONS_PORT": str(free_port())},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and "ACTION_SERVER_TOKEN" in done.stderr
