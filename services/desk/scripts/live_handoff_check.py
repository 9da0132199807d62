"""A live check of the whole handoff loop against running services (`make run`), as a newcomer would do it
by hand: a website member asks for a person, an agent claims the handoff in the desk and replies, the reply
arrives in the member's socket, the assistant stays quiet while the member answers the agent, the agent
resolves, and the assistant answers the member's next message.

Run it with the assistant's environment (it speaks socket.io like the widget and signs a chat session with
CHAT_SESSION_SECRET), from the repository root, with an agent login made by `agent_desk create-agent`:

    DESK_EMAIL=ana@plan.example DESK_PASSWORD=... CHAT_SESSION_SECRET=$(cat var/...) \\
        PYTHONPATH=. .venv/bin/python services/desk/scripts/live_handoff_check.py

RASA_URL (http://127.0.0.1:5005), DESK_URL (http://127.0.0.1:8090) and WEBSITE_ORIGIN
(http://localhost:8080) say where things are. It exits 0 when every step held, 1 otherwise.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys

import httpx
import socketio

from assistant.chat_sessions import new_session_token

RASA = os.environ.get("RASA_URL", "http://127.0.0.1:5005")
DESK = os.environ.get("DESK_URL", "http://127.0.0.1:8090")
ORIGIN = os.environ.get("WEBSITE_ORIGIN", "http://localhost:8080")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
REPLY = "Hi, this is the billing team. How can I help?"


class Member:
    """The widget's side of the socket."""

    def __init__(self) -> None:
        self.socket = socketio.AsyncClient()
        self.heard: list[str] = []
        self.conversation = ""
        self.socket.on("bot_uttered", lambda data: self.heard.append(str(data.get("text") or "")))

    async def connect(self) -> None:
        confirmed = asyncio.Event()

        def confirm(conversation_id: str) -> None:
            self.conversation = conversation_id
            confirmed.set()

        self.socket.on("session_confirm", confirm)
        await self.socket.connect(RASA, headers={"Origin": ORIGIN}, transports=["polling"])
        token = new_session_token(os.environ["CHAT_SESSION_SECRET"])
        await self.socket.emit("session_request", {"session_token": token})
        await asyncio.wait_for(confirmed.wait(), 15)

    async def wait_for_reply(self, since: int, seconds: float = 15) -> list[str]:
        for _ in range(int(seconds * 5)):
            if len(self.heard) > since:
                await asyncio.sleep(1)  # the rest of the turn's messages
                break
            await asyncio.sleep(0.2)
        return self.heard[since:]

    async def say(self, text: str) -> list[str]:
        since = len(self.heard)
        await self.socket.emit("user_uttered", {"message": text})
        return await self.wait_for_reply(since)


def check(what: str, held: bool) -> bool:
    print(f"{'ok  ' if held else 'FAIL'} {what}")
    return held


async def main() -> int:
    member = Member()
    await member.connect()
    results = [check("the assistant hands off", bool(await member.say("I want to talk to a person")))]
    desk = httpx.Client(base_url=DESK, timeout=20)
    login = CSRF.search(desk.get("/login").text)
    assert login is not None
    desk.post(
        "/login",
        data={
            "email": os.environ["DESK_EMAIL"],
            "password": os.environ["DESK_PASSWORD"],
            "csrf_token": login.group(1),
        },
    )
    queue = desk.get("/queue").text
    cases = dict(
        (conversation, case)
        for case, conversation in re.findall(r'data-case="(\d+)" data-conversation="([^"]+)"', queue)
    )
    results.append(check("the desk's queue lists the handoff", member.conversation in cases))
    token = CSRF.search(queue)
    if member.conversation not in cases or token is None:
        return 1
    case, csrf = cases[member.conversation], token.group(1)
    claim = desk.post(f"/handoffs/{case}/claim", data={"csrf_token": csrf}, follow_redirects=False)
    results.append(check("the agent claims it", claim.status_code == 303))
    since = len(member.heard)
    desk.post(f"/handoffs/{case}/reply", data={"csrf_token": csrf, "text": REPLY}, follow_redirects=False)
    results.append(
        check("the reply reaches the member's widget", REPLY in await member.wait_for_reply(since))
    )
    while_talking = await member.say("thanks, it is about my last statement")
    results.append(check("the assistant stays quiet while the agent talks", while_talking == []))
    transcript = desk.get(claim.headers["location"]).text
    results.append(check("the agent sees the member's message", "about my last statement" in transcript))
    resolve = desk.post(
        f"/handoffs/{case}/resolve", data={"csrf_token": csrf, "note": "Answered."}, follow_redirects=False
    )
    results.append(check("the agent resolves it", resolve.status_code == 303))
    answer = await member.say("why did I get a bill?")
    results.append(
        check("the assistant answers the next message", bool(answer) and "queue" not in " ".join(answer))
    )
    await member.socket.disconnect()
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
