"""`python -m agent_desk create-agent | serve | migrate | index | seed | bench`.

Passwords are read from a prompt (or the first line of standard input when it is not a terminal), never
from the command line, where they would sit in the shell history and the process list."""

from __future__ import annotations

import argparse
import getpass
import sys

from .agents import ROLES, AgentError, create_agent
from .db import make_engine, session_factory
from .indexer import index_everything
from .schema import migrate
from .settings import DeskSettings
from .web.app import utc_now


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != first:
            raise AgentError("The two passwords differ.")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def _create_agent(settings: DeskSettings, email: str, role: str) -> int:
    migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with session_factory(engine)() as session:
            agent = create_agent(session, email, role, _read_password(), utc_now())
    except AgentError as error:
        print(f"Not created: {error}", file=sys.stderr)
        return 2
    print(f"Created {agent.role} {agent.email}.")
    return 0


def _index(settings: DeskSettings) -> int:
    migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    with session_factory(engine)() as session:
        rebuilt = index_everything(
            session, make_engine(settings.tracker_database_url), settings.low_confidence
        )
    print(f"Indexed {rebuilt} conversations.")
    return 0


def _seed(settings: DeskSettings, count: int, days: int) -> int:
    from .seeding import seed

    written = seed(make_engine(settings.tracker_database_url), count, days)
    print(f"Wrote {count} conversations ({written} events) to the tracker store.")
    return _index(settings)


def _bench(settings: DeskSettings, rounds: int) -> int:
    from .benchmark import run

    _index(settings)
    print("\n".join(run(settings, rounds=rounds)))
    return 0


def _serve(settings: DeskSettings) -> int:
    import uvicorn

    from .web.app import create_app

    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m agent_desk")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-agent", help="add an agent login (the password is asked for)")
    create.add_argument("--email", required=True)
    create.add_argument("--role", choices=ROLES, default="agent")
    commands.add_parser("serve", help="serve the desk (DESK_HOST, DESK_PORT); migrates its database first")
    commands.add_parser("migrate", help="bring the desk's database to the newest schema")
    commands.add_parser("index", help="bring the search index up to date with the tracker store")
    seed = commands.add_parser(
        "seed", help="write realistic conversations into the tracker store, then index"
    )
    seed.add_argument("--conversations", type=int, default=100_000)
    seed.add_argument("--days", type=int, default=90, help="spread over this many days back from now")
    bench = commands.add_parser("bench", help="measure search and transcript load times (p50, p95)")
    bench.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args(argv)
    settings = DeskSettings.from_environment()
    if args.command == "create-agent":
        return _create_agent(settings, args.email, args.role)
    if args.command == "migrate":
        migrate(settings.database_url)
        return 0
    if args.command == "index":
        return _index(settings)
    if args.command == "seed":
        return _seed(settings, args.conversations, args.days)
    if args.command == "bench":
        return _bench(settings, args.rounds)
    return _serve(settings)


if __name__ == "__main__":
    sys.exit(main())
