"""The desk in Debian's headless chromium: sign in, a handoff appears in the open queue by itself, claim
it from the keyboard, reply, see the member's next message arrive without a reload, resolve."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time

import pytest
import uvicorn

from tests.fakes import user
from tests.signing_in import PASSWORD, add_agent

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]

pytestmark = pytest.mark.browser


@pytest.fixture
def database_url(tmp_path, migrated_sqlite):
    """One database is enough here: the storage is tested on both elsewhere."""
    shutil.copy(migrated_sqlite, tmp_path / "desk.db")
    return f"sqlite:///{tmp_path}/desk.db"


@pytest.fixture
def served(app, rasa, tracker):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"{CHROMIUM} is missing; REQUIRE_SERVICES=1 makes this a failure")
        pytest.skip(f"{CHROMIUM} is missing (make test installs it)")
    app.state.sse_ticks = None
    app.state.sse_interval = 0.3
    rasa.tracker = tracker
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page(served):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.set_default_timeout(10_000)
        yield page
        browser.close()


def test_an_agent_answers_a_handoff_without_reloading_a_page(app, served, page, billing, tracker, rasa):
    from playwright.sync_api import expect

    add_agent(app, "ana@plan.example", "agent")
    page.goto(served + "/queue")
    expect(page).to_have_url(served + "/login")
    page.fill("input[name=email]", "ana@plan.example")
    page.fill("input[name=password]", PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("#queue")).to_contain_text("Nobody is waiting")

    tracker.add("web-live", user("I need a person about my bill", "human_handoff", 0.96))
    billing.open_case(
        11, "web-live", summary="Unverified visitor. Last messages:\n- I need a person about my bill"
    )
    row = page.locator("tr.handoff", has_text="#11")
    expect(row).to_contain_text("Website chat")  # arrived by itself

    row.get_by_role("button", name="Claim handoff 11").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(served + "/conversations/web-live")
    page.get_by_label("Reply to the member").fill("Hi, I'm Ana from billing.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("li.turn.agent")).to_contain_text("Hi, I'm Ana from billing.")
    assert rasa.sent_texts("web-live") == ["Hi, I'm Ana from billing."]

    tracker.add("web-live", user("thanks, my bill is $120", "inform", 0.7))
    expect(page.locator("li.turn.member").last).to_contain_text("thanks, my bill is $120")  # no reload

    page.get_by_label("Note for the case").fill("Explained the bill.")
    page.get_by_role("button", name="Resolve and hand back to the assistant").click()
    expect(page).to_have_url(served + "/queue")
    expect(page.locator("#queue")).to_contain_text("Nobody is waiting")
    assert billing.closed == [11]
