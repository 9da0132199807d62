"""How long a trained model takes to parse typical member messages, the way the server parses them.

    .venv/bin/python scripts/bench_parse.py [--model models/billing-assistant.tar.gz] [--rounds 20]

Prints the median and 95th percentile per message and over all parses (a measurement, not a test:
the figure depends on the machine and on what else runs on it)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import time
from collections.abc import Sequence

TYPICAL_MESSAGES = [
    "hi",
    "what's my balance",
    "I want to pay my bill",
    "why did I get a bill for my daughter's visit last month?",
    "can I set up autopay with my saved card",
    "where do I pay my premium",
    "I can't afford this, is there financial assistance",
    "talk to a person",
    "who do I call about a claim that was denied",
    "how do I get a copy of last month's statement and turn on paperless billing",
]


def percentile_95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))]


async def time_parses(model: str, messages: Sequence[str], rounds: int) -> dict[str, list[float]]:
    from rasa.core.agent import Agent  # heavy: imported after the arguments are read
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)
    agent = Agent.load(model)
    for message in messages:  # the first parse of a shape builds TensorFlow's functions: not timed
        await agent.parse_message(message)
    timings: dict[str, list[float]] = {message: [] for message in messages}
    for _ in range(rounds):
        for message in messages:
            started = time.perf_counter()
            await agent.parse_message(message)
            timings[message].append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="models/billing-assistant.tar.gz")
    parser.add_argument("--rounds", type=int, default=20)
    options = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    timings = asyncio.run(time_parses(options.model, TYPICAL_MESSAGES, options.rounds))
    print(f"{'message':60s} {'median ms':>10s} {'p95 ms':>8s}")
    for message, values in timings.items():
        print(f"{message[:60]:60s} {statistics.median(values):10.1f} {percentile_95(values):8.1f}")
    every = [value for values in timings.values() for value in values]
    label = f"all {len(every)} parses"
    print(f"{label:60s} {statistics.median(every):10.1f} {percentile_95(every):8.1f}")


if __name__ == "__main__":
    main()
