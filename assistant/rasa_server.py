"""Starts the Rasa server with its secrets from the environment, never on the command line (where `ps`
shows them to every user of the machine).

    python -m assistant.rasa_server --model models/billing-assistant.tar.gz [--port 5005] ...

Before Rasa starts, `assistant.rasa_patches` changes the parts of Rasa's own code that this project replaces
(the per-call schema re-check of action responses, a new connection per action call); it refuses to start
when an upgrade moved them.

The HTTP API is on and takes only JWTs signed with RASA_JWT_SECRET (see assistant/rasa_api.py); without that
secret the server refuses to start. RASA_HOST (default 127.0.0.1) is the interface it listens on.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from . import rasa_patches
from .rasa_api import ALGORITHM

# Rasa waits up to 300 s for an action; a Redis conversation lock must outlive that, or a second
# replica could take the conversation while the first is still inside an action (Rasa's default is 60 s).
LOCK_LIFETIME_SECONDS = 330


def apply_runtime_defaults() -> None:
    """Settings Rasa reads from the environment at import time: call before importing rasa."""
    os.environ.setdefault("TICKET_LOCK_LIFETIME", str(LOCK_LIFETIME_SECONDS))
    # One thread per TensorFlow op (Rasa's own settings, read by setup_tf_environment): the sentence
    # encoder's matrices are small, and a second thread per op cost more CPU in hand-offs than it saved in
    # time, while the other core serves other members, the action server and billing (README, Performance).
    os.environ.setdefault("TF_INTRA_OP_PARALLELISM_THREADS", "1")
    os.environ.setdefault("TF_INTER_OP_PARALLELISM_THREADS", "1")
    # numpy's OpenBLAS, read when numpy loads: its second thread spun between the similarity gate's and
    # the classifier's small products, a third of the process's CPU under load (38 -> 26 ms a message).
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.rasa_server")
    parser.add_argument("--model", required=True)
    parser.add_argument("--port", type=int, default=int(os.environ.get("RASA_PORT", "5005")))
    parser.add_argument("--credentials", default="credentials.yml")
    parser.add_argument("--endpoints", default="endpoints.yml")
    args = parser.parse_args(argv)
    secret = os.environ.get("RASA_JWT_SECRET", "")
    if len(secret) < 16:
        print(
            "RASA_JWT_SECRET is missing or shorter than 16 characters: the Rasa server refuses to start "
            "(`make run` makes one under var/).",
            file=sys.stderr,
        )
        return 2

    apply_runtime_defaults()
    # The project's changes to Rasa's own code, each checked against the installed Rasa (README, Performance).
    rasa_patches.install()
    import rasa.api
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog
    from rasa.utils.tensorflow.environment import setup_tf_environment

    # Both, as `rasa run` does: Rasa's structured events (user text, slot values) are debug-level and
    # must stay out of the log at the default level.
    level = logging.getLevelName(os.environ.get("LOG_LEVEL", "INFO"))
    configure_logging_and_warnings(level)
    configure_structlog(level)
    setup_tf_environment()
    rasa.api.run(
        model=args.model,
        endpoints=args.endpoints,
        credentials=args.credentials,
        port=args.port,
        interface=os.environ.get("RASA_HOST", "127.0.0.1"),
        enable_api=True,
        jwt_secret=secret,
        jwt_method=ALGORITHM,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
