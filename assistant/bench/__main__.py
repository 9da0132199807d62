"""python -m assistant.bench: see the package's docstring."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from .member import ACCOUNT_NUMBER, PAYMENT_CENTS, TurnResult, converse
from .report import level_figures, table
from .stack import ROOT, Stack

# What Rasa logs when an action call failed and the action's events were dropped (rasa/core/processor.py).
LOST_ACTION_EVENTS = "the actions events are lost"


async def run_level(stack: Stack, members: int, rounds: int) -> dict[str, Any]:
    """`members` concurrent members, each playing the conversation `rounds` times (new sender each)."""
    turns: list[TurnResult] = []
    confirmed = 0
    limits = httpx.Limits(max_connections=members, max_keepalive_connections=members)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:

        async def member() -> None:
            nonlocal confirmed
            for _ in range(rounds):
                results, paid = await converse(client, stack.rasa_url, f"bench-{uuid.uuid4().hex[:12]}")
                turns.extend(results)
                confirmed += paid

        started = time.perf_counter()
        await asyncio.gather(*(member() for _ in range(members)))
        wall = time.perf_counter() - started
    figures = level_figures(members, turns, wall)
    figures["confirmed_payments"] = confirmed
    return figures


def check_billing(stack: Stack, member_number: str, before: set[str], confirmed: int) -> str:
    """Every payment a member saw confirmed is recorded once, none other, the sum matching."""
    try:
        payments = stack.billing_get(f"/accounts/{ACCOUNT_NUMBER}/payments", member=member_number)
    except httpx.HTTPError as error:
        return f"MISMATCH: the billing service did not list the payments ({type(error).__name__})"
    new = [p for p in payments if p["confirmation_number"] not in before]
    total = sum(p["amount_cents"] for p in new)
    if len(new) == confirmed and total == confirmed * PAYMENT_CENTS:
        return f"ok ({confirmed} payments, {total} cents)"
    return f"MISMATCH: {confirmed} confirmed, {len(new)} recorded, {total} cents"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.bench")
    parser.add_argument("--levels", default="1,10,50", help="concurrent members, comma separated")
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "billing-assistant.tar.gz")
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout to run (a git worktree)")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench" / "report.json")
    parser.add_argument("--label", default="", help="a name for this run in the report")
    parser.add_argument("--hold", type=float, default=0, help="seconds to keep the stack up before the run")
    args = parser.parse_args(argv)
    levels = [int(level) for level in args.levels.split(",")]

    report: dict[str, Any] = {"label": args.label, "code": str(args.code), "levels": []}
    work = tempfile.mkdtemp(prefix="bench-")  # kept: the services' logs and databases, to look into
    with Stack(Path(work), args.model, args.code).running() as stack:
        print(f"stack up in {work}: rasa pid {stack.processes['rasa'].pid}", flush=True)
        time.sleep(args.hold)
        member_number = stack.member_number(ACCOUNT_NUMBER, "1985-04-12", "94612")
        asyncio.run(run_level(stack, 1, rounds=1))  # warm-up, not counted: first-call costs in every process
        for members in levels:
            stack.reset_billing()
            payments = stack.billing_get(f"/accounts/{ACCOUNT_NUMBER}/payments", member=member_number)
            before = {p["confirmation_number"] for p in payments}
            lost_before = stack.log_count("rasa", LOST_ACTION_EVENTS)
            cpu_before = stack.process_usage()
            figures = asyncio.run(run_level(stack, members, rounds=3 if members == 1 else 1))
            figures["lost_action_events"] = stack.log_count("rasa", LOST_ACTION_EVENTS) - lost_before
            usage = stack.process_usage()
            figures["processes"] = {
                name: {
                    "cpu_seconds": round(
                        now["cpu_seconds"] - cpu_before.get(name, {}).get("cpu_seconds", 0), 1
                    ),
                    "peak_rss_mb": now["peak_rss_mb"],
                }
                for name, now in usage.items()
            }
            figures["billing_check"] = check_billing(
                stack, member_number, before, figures["confirmed_payments"]
            )
            report["levels"].append(figures)
            print(table([figures]), flush=True)
            print(f"        cpu/peak memory: {figures['processes']}", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    print(f"report: {args.out}")
    failed = any(level["billing_check"].startswith("MISMATCH") for level in report["levels"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
