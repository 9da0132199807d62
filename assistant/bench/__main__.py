"""python -m assistant.bench: see the package's docstring."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any, Protocol

import httpx

from . import processes
from .chart import write_chart
from .member import (
    ACCOUNT_NUMBER,
    PAYMENT_CENTS,
    ConfirmedPayment,
    Turn,
    TurnResult,
    billing_conversation,
    converse,
)
from .payment_check import BillingDatabase, check_summary
from .report import check_line, comparison, comparison_table, failed, level_figures, table, write
from .stack import ROOT, RunningStack, Stack, cluster_stack
from .stock_bot import CONVERSATION as STOCK_CONVERSATION
from .stock_bot import StockBot


class Target(Protocol):
    rasa_url: str

    def process_groups(self) -> dict[str, set[int]]: ...


async def run_level(
    rasa_url: str, script: tuple[Turn, ...], members: int, rounds: int, think_seconds: float = 0
) -> tuple[dict[str, Any], list[ConfirmedPayment]]:
    """`members` concurrent members, each playing the script `rounds` times (a new sender each time)."""
    turns: list[TurnResult] = []
    confirmed: list[ConfirmedPayment] = []
    limits = httpx.Limits(max_connections=members, max_keepalive_connections=members)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:

        async def member() -> None:
            for _ in range(rounds):
                results, paid = await converse(
                    client, rasa_url, f"bench-{uuid.uuid4().hex[:12]}", script, think_seconds
                )
                turns.extend(results)
                if paid:
                    confirmed.append(paid)

        started = time.perf_counter()
        await asyncio.gather(*(member() for _ in range(members)))
        wall = time.perf_counter() - started
    return level_figures(members, turns, wall), confirmed


def measured_level(
    target: Target, script: tuple[Turn, ...], members: int, think_seconds: float = 0
) -> tuple[dict[str, Any], list[ConfirmedPayment]]:
    """One level with each process's CPU seconds over it and peak memory, and the machine's load after."""
    before = processes.usage(target.process_groups())
    figures, confirmed = asyncio.run(
        run_level(
            target.rasa_url, script, members, rounds=3 if members == 1 else 1, think_seconds=think_seconds
        )
    )
    # Found again: a worker started during the level counts whole (it had no CPU before it).
    figures["processes"] = processes.usage_between(before, processes.usage(target.process_groups()))
    figures["load_average_1m"] = round(os.getloadavg()[0], 2)
    return figures, confirmed


def machine() -> dict[str, Any]:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "",
    )
    pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gb": round(pages / 2**30, 1),
        "load_average_1m_at_start": round(os.getloadavg()[0], 2),
    }


def process_spec(text: str) -> tuple[str, str]:
    label, _, spec = text.partition("=")
    if not label or not spec:
        raise argparse.ArgumentTypeError(f"expected LABEL=PID, LABEL=:PORT or LABEL=WORDS, got {text!r}")
    return label, spec


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m assistant.bench")
    parser.add_argument("--levels", default="1,10,50,200", help="concurrent members, comma separated")
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "billing-assistant.tar.gz")
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout to run (a git worktree)")
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "var" / "bench" / "report.json",
        help="the chart goes beside it (.png)",
    )
    parser.add_argument("--label", default="", help="a name for this run in the report")
    parser.add_argument("--hold", type=float, default=0, help="seconds to keep the stack up before the run")
    parser.add_argument("--payment-cents", type=int, default=PAYMENT_CENTS, help="what each member pays")
    parser.add_argument("--no-stock", action="store_true", help="skip the stock rasa init bot")
    parser.add_argument(
        "--think-seconds",
        type=float,
        default=0,
        help="each member pauses about this long before each message, as a person reads and types (0: none, "
        "every member sends its next message the moment the reply comes: the harshest load)",
    )
    running = parser.add_argument_group("a stack already running (cluster mode) instead of the bench's own")
    running.add_argument(
        "--cluster", action="store_true", help="make run-cluster's (its CLUSTER_* settings): all of the below"
    )
    running.add_argument("--rasa-url", help="its Rasa base URL, the REST channel's (e.g. through nginx)")
    running.add_argument("--billing-database-url", help="its billing database, for the payment check")
    running.add_argument(
        "--process",
        type=process_spec,
        action="append",
        default=[],
        metavar="LABEL=PID|WORDS",
        help="processes to sample CPU and memory from: an id, :PORT (whatever listens on it) or words of a "
        "command line (every match and its children); repeat, also with the same label",
    )
    args = parser.parse_args(argv)
    if args.rasa_url and not args.billing_database_url:
        parser.error("--rasa-url needs --billing-database-url: every run checks the payments")
    if args.cluster and (args.rasa_url or args.process):
        parser.error("--cluster finds its own addresses and processes")
    if args.process and not args.rasa_url:
        parser.error("--process samples a running stack's processes (with --rasa-url)")
    args.levels = [int(level) for level in args.levels.split(",")]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-"))  # kept: the services' logs and databases, to look into
    target: Stack | RunningStack
    if args.cluster:
        target = cluster_stack()
    elif args.rasa_url:
        specs: dict[str, list[str]] = {}
        for label, spec in args.process:
            specs.setdefault(label, []).append(spec)
        target = RunningStack(args.rasa_url, args.billing_database_url, specs)
    else:
        target = Stack(work, args.model, args.code)
    report: dict[str, Any] = {
        "label": args.label,
        "started_at": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "code": str(args.code),
        "machine": machine(),
        "payment_cents": args.payment_cents,
        "think_seconds": args.think_seconds,
        "bots": {"ours": {"levels": []}, **({} if args.no_stock else {"stock": {"levels": []}})},
    }
    ours_script = billing_conversation(args.payment_cents)
    stock = None if args.no_stock else StockBot(work)
    with contextlib.ExitStack() as running:
        running.enter_context(target.running())
        report["bots"]["ours"]["target"] = target.describe()
        if stock:
            running.enter_context(stock.running())
        print(f"{target.describe()}; logs in {work}", flush=True)
        time.sleep(args.hold)
        database = BillingDatabase(target.billing_database_url, ACCOUNT_NUMBER)
        running.callback(database.close)
        # Warm-up, not counted: first-call costs in every process.
        asyncio.run(run_level(target.rasa_url, ours_script, 1, rounds=1))
        if stock:
            asyncio.run(run_level(stock.rasa_url, STOCK_CONVERSATION, 1, rounds=1))
        for members in args.levels:
            target.reset_billing()
            last_payment = database.last_payment_id()
            lost_before = target.lost_action_events()
            figures, confirmed = measured_level(target, ours_script, members, args.think_seconds)
            lost_after = target.lost_action_events()
            if lost_before is not None and lost_after is not None:
                figures["lost_action_events"] = lost_after - lost_before
            figures["billing_check"] = check_summary(confirmed, database.payments_after(last_payment))
            report["bots"]["ours"]["levels"].append(figures)
            print(f"ours:\n{table([figures])}\n        processes: {figures['processes']}", flush=True)
            if stock:
                stock_figures, _ = measured_level(stock, STOCK_CONVERSATION, members, args.think_seconds)
                report["bots"]["stock"]["levels"].append(stock_figures)
                print(f"stock rasa init bot:\n{table([stock_figures])}", flush=True)
                print(f"        processes: {stock_figures['processes']}", flush=True)
            write(report, args.out)  # after each level: a run cut short keeps what it measured
    if stock:
        report["comparison"] = comparison(report["bots"]["ours"]["levels"], report["bots"]["stock"]["levels"])
        print(f"ours / stock rasa init bot:\n{comparison_table(report['comparison'])}")
    report["failed"] = failed(report)
    write(report, args.out)
    chart = args.out.with_suffix(".png")
    write_chart(report, chart)
    print(f"report: {args.out}\nchart: {chart}")
    for level in report["bots"]["ours"]["levels"]:
        if not level["billing_check"]["ok"]:
            print(f"FAILED at {level['members']} members: billing check {check_line(level['billing_check'])}")
    return 1 if report["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
