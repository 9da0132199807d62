"""`make bench`: simulated members talk to the whole assistant over the REST channel, and the figures.

    python -m assistant.bench [--levels 1,10,50] [--out var/bench/report.json]

It starts its own stack (billing, action server, Rasa; own databases under a temporary folder, free
ports), plays one realistic conversation per member (member.py) at each level of concurrent members, and
prints p50/p95/p99 per turn kind, messages per second, errors, and each process's CPU and peak memory.
After each level it checks the billing service: every payment a member saw confirmed is recorded once,
none other, and the sum matches.

Why an asyncio harness and not Locust: a member here is a scripted conversation whose next message
depends on the last reply (the read-back, "yes"), and the figures we need are per turn kind; one
coroutine per member over httpx (already in the lock) does that in a few dozen lines, runs in the
project's environment with nothing new pinned, and measures from the same process that starts the stack.
Locust's strengths (a web UI, distributed load generators, open-ended user loops) are not needed on one
2-core machine, and its gevent monkey-patching does not sit well beside asyncio code.
"""
