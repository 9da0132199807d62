"""`make bench`: simulated members talk to the whole assistant over the REST channel, beside a stock
`rasa init` bot through the same harness, and the figures.

    python -m assistant.bench [--levels 1,10,50,200] [--out var/bench/report.json] [--no-stock]
    python -m assistant.bench --cluster
    python -m assistant.bench --rasa-url URL --billing-database-url URL [--process LABEL=PID|:PORT|WORDS ...]

By default it starts its own stack (stack.py: billing, action server, Rasa; own databases under a temporary
folder, free ports); with --cluster or --rasa-url it measures a stack already running (`make run-cluster`),
its processes found by port, id or command line (processes.py). At each level of concurrent members each
member plays one conversation (member.py: an FAQ, verification, balance, part of the balance paid after the
read-back, an autopay question, goodbye), then the stock bot's members theirs (stock_bot.py). It prints and
writes (report.py, chart.py) p50/p95/p99 per turn kind, messages per second, errors, each process's CPU
seconds and peak memory, ours over the stock bot's at each level and at saturation. After each level it
reads the billing database (payment_check.py): every payment a member saw confirmed is recorded once, none
other, the sums equal; any difference fails the run (exit status 1).

Why an asyncio harness and not Locust: a member here is a scripted conversation whose next message
depends on the last reply (the read-back, "yes"), and the figures we need are per turn kind; one
coroutine per member over httpx (already in the lock) does that in a few dozen lines, runs in the
project's environment with nothing new pinned, and measures from the same process that starts the stack.
Locust's strengths (a web UI, distributed load generators, open-ended user loops) are not needed on one
2-core machine, and its gevent monkey-patching does not sit well beside asyncio code.
"""
