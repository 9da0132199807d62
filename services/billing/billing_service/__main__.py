"""Command line: python -m billing_service {serve,migrate,seed,autopay-run}."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import ipaddress
import json
import logging
import multiprocessing
import os
import signal
import socket
import sys
from collections.abc import Sequence

from .autopay import run_autopay
from .clock import settings_clock
from .db import make_engine, make_session_factory
from .errors import BillingError
from .migrate import upgrade
from .processor import SandboxProcessor
from .seed import seed_demo_data
from .settings import BillingSettings


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m billing_service", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve", help="migrate, optionally seed, and serve the API and the payment page"
    )
    serve.add_argument("--seed", action="store_true", help="add the demo members first")
    commands.add_parser("migrate", help="bring the database to the newest schema")
    seed = commands.add_parser("seed", help="add the demo members (idempotent)")
    seed.add_argument(
        "--pin-member-numbers",
        action="store_true",
        help="give the demo members their fixed numbers (M100001...) instead of random ones: for tests",
    )
    run = commands.add_parser(
        "autopay-run", help="charge the autopay due on a date, once per account and cycle"
    )
    run.add_argument(
        "--date", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD, default today (UTC)"
    )
    args = parser.parse_args(argv)

    # The database and anything else created under var/ is for this user only (files 0600, dirs 0700).
    os.umask(0o077)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = BillingSettings()
    if args.command == "serve":
        refusal = exposure_refusal(settings)
        if refusal:
            print(refusal, file=sys.stderr)
            return 2
    upgrade(settings.database_url)
    if args.command == "migrate":
        return 0
    if args.command in ("seed", "serve") and (args.command == "seed" or args.seed):
        _seed(settings, pin_member_numbers=getattr(args, "pin_member_numbers", False))
    if args.command == "autopay-run":
        return _autopay_run(settings, args.date or settings_clock(settings.fixed_now)().date())
    if args.command == "serve":
        _serve(settings)
    return 0


def exposure_refusal(settings: BillingSettings) -> str:
    """Why the service must not start: listening beyond this machine with no API token. Empty when fine."""
    if settings.api_token or _is_loopback(settings.host):
        return ""
    return (
        f"Refusing to start: BILLING_HOST={settings.host} is reachable from other machines but "
        "BILLING_API_TOKEN is not set. Set a token (the assistant sends the same one) or bind 127.0.0.1."
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _serve(settings: BillingSettings) -> None:
    """The API and, apart from it, the member-facing payment page, in one process or in
    BILLING_WORKERS processes sharing both listening sockets."""
    print(
        f"Billing service: http://{settings.host}:{settings.port}  (API docs at /docs); "
        f"payment pages: http://{settings.host}:{settings.pages_port} (links use {settings.public_url})"
        + (f"; {settings.workers} workers" if settings.workers > 1 else ""),
        flush=True,
    )
    if settings.workers <= 1:
        _serve_both(settings, None)
        return
    sockets = [
        socket.create_server((settings.host, port), backlog=2048)
        for port in (settings.port, settings.pages_port)
    ]
    # Forked before any engine or event loop exists: each worker makes its own.
    workers = [
        multiprocessing.get_context("fork").Process(target=_serve_both, args=(settings, sockets))
        for _ in range(settings.workers)
    ]
    for worker in workers:
        worker.start()

    def stop_workers(_signum: int, _frame: object) -> None:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()

    signal.signal(signal.SIGINT, stop_workers)
    signal.signal(signal.SIGTERM, stop_workers)
    for worker in workers:
        worker.join()
    for listener in sockets:
        listener.close()


def _serve_both(settings: BillingSettings, sockets: list[socket.socket] | None) -> None:
    import uvicorn

    from .app import create_app
    from .payment_page import create_pages_app

    class Server(uvicorn.Server):
        def install_signal_handlers(self) -> None:  # one handler below stops both
            pass

    # The payment page's paths carry the link's token (/pay/<token>), a bearer secret: no access log there.
    apps = [
        (create_app(settings), settings.port, True),
        (create_pages_app(settings), settings.pages_port, False),
    ]
    servers = [
        # Keep-alive above the assistant's client's 15 s, so the client always drops an idle connection first.
        Server(
            uvicorn.Config(
                app,
                host=settings.host,
                port=port,
                log_level="info",
                access_log=access_log,
                timeout_keep_alive=75,
            )
        )
        for app, port, access_log in apps
    ]

    async def serve_both() -> None:
        def stop_both() -> None:
            for server in servers:
                server.should_exit = True

        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop_both)
        await asyncio.gather(
            *(
                server.serve(sockets=[sockets[index]] if sockets else None)
                for index, server in enumerate(servers)
            )
        )

    asyncio.run(serve_both())


def _seed(settings: BillingSettings, *, pin_member_numbers: bool = False) -> None:
    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as session:
        added = seed_demo_data(
            session, settings_clock(settings.fixed_now)().date(), pin_member_numbers=pin_member_numbers
        )
    engine.dispose()
    logging.getLogger(__name__).info("demo data: %d member(s) added", added)


def _autopay_run(settings: BillingSettings, run_date: dt.date) -> int:
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as session:
            results = run_autopay(session, SandboxProcessor(), settings_clock(settings.fixed_now)(), run_date)
    except BillingError as error:
        print(f"{error.reason}: {error.message}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    json.dump([dataclasses.asdict(r) for r in results], sys.stdout, default=str, indent=2)
    print()
    return 0 if all(r.status in ("succeeded", "skipped") for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
