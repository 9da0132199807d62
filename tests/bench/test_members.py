"""The simulated members (assistant/bench/member.py, stock_bot.py): a conversation stops at the first wrong
reply, the payment a member was told about is kept, and the stock bot's members say what that bot was
trained on and expect what it answers."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import httpx
import yaml

from assistant.bench import member
from assistant.bench.member import ConfirmedPayment, Turn, billing_conversation, converse
from assistant.bench.stock_bot import CONVERSATION as STOCK_CONVERSATION
from assistant.bench.stock_bot import initial_project, model_is_current, model_path, training_files

PAID_REPLY = (
    "Done. $0.10 was paid from your Visa ending 4242. Confirmation number KP1A2B3C4D5E. Your balance is now"
    " $140.80. An email confirmation will follow; keep your confirmation number."
)


def rest_channel(replies: dict[str, str]) -> httpx.AsyncClient:
    """A stand-in for Rasa's REST webhook answering each message with the given text."""

    def answer(request: httpx.Request) -> httpx.Response:
        text = replies[json.loads(request.content)["message"]]
        return httpx.Response(200, json=[{"recipient_id": "x", "text": text}])

    return httpx.AsyncClient(transport=httpx.MockTransport(answer))


async def test_the_member_keeps_the_payment_they_were_told_about() -> None:
    script = (
        Turn("read_back", "my visa", "pay $0.10 from your Visa ending 4242"),
        Turn("pay", "yes", "$0.10 was paid"),
        Turn("goodbye", "bye", ""),
    )
    replies = {
        "my visa": "You'll pay $0.10 from your Visa ending 4242 today. Go ahead?",
        "yes": PAID_REPLY,
        "bye": "Bye",
    }

    async with rest_channel(replies) as client:
        turns, paid = await converse(client, "http://rasa", "bench-1", script)

    assert [turn.error for turn in turns] == [None, None, None]
    assert paid == ConfirmedPayment("KP1A2B3C4D5E", 10)


async def test_a_wrong_reply_ends_the_conversation_as_an_error_and_nothing_is_paid() -> None:
    replies = {"who do I call about a claim?": "Sorry, I didn't get that."}

    async with rest_channel(replies) as client:
        turns, paid = await converse(client, "http://rasa", "bench-1", billing_conversation(10))

    assert len(turns) == 1 and turns[0].kind == "faq"
    assert turns[0].error is not None and "didn't get that" in turns[0].error
    assert paid is None


def test_the_billing_member_pays_part_of_the_balance_after_the_read_back_then_asks_about_autopay() -> None:
    kinds = [turn.kind for turn in billing_conversation(10)]

    assert kinds[0] == "faq" and kinds[-1] == "goodbye"
    assert kinds.index("verify") < kinds.index("balance") < kinds.index("read_back") < kinds.index("pay")
    assert kinds.index("pay") < kinds.index("autopay") and kinds.count("pay") == 1
    assert "$0.25" in [turn.message for turn in billing_conversation(25)]


def test_the_stock_bot_s_members_say_its_training_examples_and_expect_its_responses() -> None:
    project = initial_project()
    nlu = yaml.safe_load((project / "data" / "nlu.yml").read_text())["nlu"]
    examples = {
        block["intent"]: [line[2:].strip() for line in block["examples"].splitlines() if line.strip()]
        for block in nlu
    }
    responses = [
        text["text"]
        for variants in yaml.safe_load((project / "domain.yml").read_text())["responses"].values()
        for text in variants
    ]

    for turn in STOCK_CONVERSATION:
        assert turn.message in examples[turn.kind], turn
        assert any(turn.expect in response for response in responses), turn


def test_the_stock_bot_is_retrained_only_when_its_files_are_newer_than_its_model(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    for path in (tmp_path / "config.yml", tmp_path / "domain.yml", tmp_path / "data" / "nlu.yml"):
        path.write_text("version: '3.1'\n")
    assert training_files(tmp_path)[-1] == tmp_path / "data" / "nlu.yml"
    assert not model_is_current(tmp_path)

    model_path(tmp_path).parent.mkdir()
    model_path(tmp_path).write_bytes(b"model")
    assert model_is_current(tmp_path)

    later = time.time() + 10
    os.utime(tmp_path / "data" / "nlu.yml", (later, later))
    assert not model_is_current(tmp_path)


async def test_a_thinking_member_pauses_before_each_message(monkeypatch) -> None:
    happened: list[str] = []

    async def pause(seconds: float) -> None:
        happened.append(f"pause {seconds:.2f}")

    def answer(request: httpx.Request) -> httpx.Response:
        happened.append(f"send {json.loads(request.content)['message']}")
        return httpx.Response(200, json=[{"recipient_id": "x", "text": "ok"}])

    monkeypatch.setattr(member.asyncio, "sleep", pause)
    script = (Turn("faq", "one", "ok"), Turn("faq", "two", "ok"), Turn("goodbye", "bye", ""))
    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
        turns, _ = await converse(client, "http://rasa", "bench-1", script, think_seconds=2)

    assert [event.split()[0] for event in happened] == ["pause", "send"] * 3
    assert [event.split()[1] for event in happened[1::2]] == ["one", "two", "bye"]
    # Half to one and a half times the think time, spread so members do not move in step.
    pauses = [float(event.split()[1]) for event in happened[::2]]
    assert all(1 <= seconds <= 3 for seconds in pauses) and len(set(pauses)) > 1
    assert [turn.error for turn in turns] == [None, None, None]
