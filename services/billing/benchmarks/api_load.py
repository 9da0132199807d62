"""Load on the billing API the way the action server makes it, at several concurrency levels.

Each simulated member does what one bench conversation asks of billing: verify (account number, date
of birth, ZIP, with the conversation id), read the profile and the account (the balance turn), list the
saved methods, pay 10 cents with a read-back's idempotency key, read the account again. The HTTP client
is configured as assistant/billing_client.py's (10 s timeout, 3 s to connect, one pool of 100
connections shared by every member). After each level the account's payment history must hold each
confirmed payment exactly once.

    services/billing/.venv/bin/python benchmarks/api_load.py --levels 50,100,200
    ... --database-url postgresql://postgres@127.0.0.1:5432/billing_load   (an empty database)
    ... --workers 4                                                        (BILLING_WORKERS)
    ... --url http://127.0.0.1:PORT                                        (a running, seeded service)

Prints one line per level and writes the figures as JSON (--report).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

SERVICE_DIR = Path(__file__).resolve().parents[1]
# Demo member Maria (seed.py, pinned numbers): the bench's member too.
MEMBER = "M100001"
ACCOUNT = "2000100001"
VERIFY = {"account_number": ACCOUNT, "date_of_birth": "1985-04-12", "zip_code": "94612"}
AMOUNT_CENTS = 10


async def one_member(http: httpx.AsyncClient, timings: dict[str, list[float]], errors: list[str]) -> int:
    """Returns the cents this member saw confirmed (0 when a step failed)."""
    conversation = uuid.uuid4().hex
    acting = {"X-Member-Number": MEMBER}

    async def call(kind: str, method: str, path: str, **kwargs: object) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = await http.request(method, path, **kwargs)  # type: ignore[arg-type]
        except httpx.HTTPError as error:
            errors.append(f"{kind}: {error.__class__.__name__}")
            return None
        timings[kind].append(time.perf_counter() - started)
        if response.status_code >= 400:
            errors.append(f"{kind}: HTTP {response.status_code} {response.text[:120]}")
            return None
        return response

    if not await call("verify", "POST", "/verify", json=VERIFY, headers={"X-Client-Id": conversation}):
        return 0
    if not await call("member", "GET", f"/members/{MEMBER}", headers=acting):
        return 0
    if not await call("account", "GET", f"/accounts/{ACCOUNT}", headers=acting):
        return 0
    methods = await call("methods", "GET", f"/members/{MEMBER}/payment-methods", headers=acting)
    if not methods:
        return 0
    card = methods.json()[0]["id"]
    paid = await call(
        "pay",
        "POST",
        "/payments",
        json={"account_number": ACCOUNT, "payment_method_id": card, "amount_cents": AMOUNT_CENTS},
        headers={**acting, "Idempotency-Key": f"read-back-{conversation}"},
    )
    if not paid or paid.json()["status"] != "succeeded":
        return 0
    await call("account", "GET", f"/accounts/{ACCOUNT}", headers=acting)
    return AMOUNT_CENTS


async def run_level(url: str, members: int) -> dict[str, object]:
    timings: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    async with httpx.AsyncClient(
        base_url=url,
        timeout=httpx.Timeout(10.0, connect=3.0),
        transport=httpx.AsyncHTTPTransport(retries=1),
    ) as http:
        before = await _paid_cents(http)
        started = time.perf_counter()
        confirmed = await asyncio.gather(*(one_member(http, timings, errors) for _ in range(members)))
        elapsed = time.perf_counter() - started
        recorded = await _paid_cents(http) - before
    calls = sum(len(t) for t in timings.values())
    return {
        "members": members,
        "seconds": round(elapsed, 2),
        "requests_per_second": round(calls / elapsed, 1),
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:8],
        "ms": {kind: _percentiles(values) for kind, values in timings.items()},
        "confirmed_cents": sum(confirmed),
        "recorded_cents": recorded,
    }


async def _paid_cents(http: httpx.AsyncClient) -> int:
    history = await http.get(f"/accounts/{ACCOUNT}/payments", headers={"X-Member-Number": MEMBER}, timeout=60)
    history.raise_for_status()
    return sum(p["amount_cents"] for p in history.json() if p["status"] == "succeeded")


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    cut = statistics.quantiles(ordered, n=100) if len(ordered) > 1 else ordered * 99
    return {
        "p50": round(cut[49] * 1000),
        "p95": round(cut[94] * 1000),
        "max": round(ordered[-1] * 1000),
    }


@contextmanager
def billing_service(database_url: str | None, workers: int) -> Iterator[str]:
    """A seeded service on free ports, on the given (empty) database or a fresh SQLite file."""
    with tempfile.TemporaryDirectory(prefix="billing-load-") as folder:
        env = {
            **os.environ,
            "BILLING_DATABASE_URL": database_url or f"sqlite:///{folder}/billing.db",
            "BILLING_PORT": str(_free_port()),
            "BILLING_PAGES_PORT": str(_free_port()),
            "BILLING_WORKERS": str(workers),
        }
        python = sys.executable
        subprocess.run(
            [python, "-m", "billing_service", "seed", "--pin-member-numbers"],
            check=True,
            env=env,
            cwd=SERVICE_DIR,
            capture_output=True,
        )
        log = open(Path(folder) / "billing.log", "w")  # noqa: SIM115 - closed below
        process = subprocess.Popen(
            [python, "-m", "billing_service", "serve"], env=env, cwd=SERVICE_DIR, stdout=log, stderr=log
        )
        url = f"http://127.0.0.1:{env['BILLING_PORT']}"
        try:
            _wait_healthy(url, process)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=30)
            log.close()
            errors = [line for line in open(log.name) if "Traceback" in line or "ERROR" in line]
            if errors:
                print(f"service log: {len(errors)} error line(s): {errors[0].strip()}", file=sys.stderr)


def _wait_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the billing service exited at start")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError("the billing service did not answer /health")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--levels", default="50,100,200", help="concurrent members per level")
    parser.add_argument("--database-url", default=None, help="an empty database (default: a fresh SQLite)")
    parser.add_argument("--workers", type=int, default=1, help="BILLING_WORKERS for the started service")
    parser.add_argument("--url", default=None, help="load a running, seeded service instead")
    parser.add_argument("--report", type=Path, default=None, help="write the figures here as JSON")
    args = parser.parse_args()
    levels = [int(level) for level in args.levels.split(",")]

    async def all_levels(url: str) -> list[dict[str, object]]:
        results = []
        for members in levels:
            result = await run_level(url, members)
            ms = result["ms"]
            assert isinstance(ms, dict)
            print(
                f"{members:>4} members: {result['seconds']:>6} s, {result['requests_per_second']:>6} req/s, "
                f"errors {result['errors']:>3}, "
                + ", ".join(f"{kind} {m['p50']}/{m['p95']}/{m['max']}" for kind, m in ms.items())
                + " ms (p50/p95/max); "
                + f"confirmed {result['confirmed_cents']} recorded {result['recorded_cents']}"
                + (f"; {result['error_kinds']}" if result["errors"] else ""),
                flush=True,
            )
            results.append(result)
        return results

    if args.url:
        results = asyncio.run(all_levels(args.url))
    else:
        with billing_service(args.database_url, args.workers) as url:
            results = asyncio.run(all_levels(url))
    if args.report:
        args.report.write_text(json.dumps(results, indent=2))
    return 0 if all(r["confirmed_cents"] == r["recorded_cents"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
