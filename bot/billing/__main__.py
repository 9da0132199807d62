"""Command line: python -m bot.billing {serve,migrate,seed,autopay-run}."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys

from .autopay import run_autopay
from .clock import system_clock
from .db import make_engine, make_session_factory
from .migrate import upgrade
from .processor import SandboxProcessor
from .seed import seed_demo_data
from .settings import BillingSettings


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.billing", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="migrate, optionally seed, and serve the API")
    serve.add_argument("--seed", action="store_true", help="add the demo members first")
    commands.add_parser("migrate", help="bring the database to the newest schema")
    commands.add_parser("seed", help="add the demo members (idempotent)")
    run = commands.add_parser("autopay-run", help="charge the autopay due on a date, once per account and cycle")
    run.add_argument("--date", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD, default today (UTC)")
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = BillingSettings()
    upgrade(settings.database_url)
    if args.command == "migrate":
        return 0
    if args.command in ("seed", "serve") and (args.command == "seed" or args.seed):
        _seed(settings)
    if args.command == "autopay-run":
        return _autopay_run(settings, args.date or system_clock().date())
    if args.command == "serve":
        import uvicorn

        from .app import create_app

        print(f"Billing service: http://{settings.host}:{settings.port}  (API docs at /docs)", flush=True)
        uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")
    return 0


def _seed(settings: BillingSettings) -> None:
    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as session:
        added = seed_demo_data(session, system_clock().date())
    engine.dispose()
    logging.getLogger(__name__).info("demo data: %d member(s) added", added)


def _autopay_run(settings: BillingSettings, run_date: dt.date) -> int:
    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as session:
        results = run_autopay(session, SandboxProcessor(), system_clock(), run_date)
    engine.dispose()
    json.dump([r.dict() for r in results], sys.stdout, default=str, indent=2)
    print()
    return 0 if all(r.status in ("succeeded", "skipped") for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
