"""`make run` and `make shell`: train the model when the data changed, start every service on
embedded defaults, wait until each answers, print the addresses.

Ctrl-C stops them all; if one exits, the rest are stopped too.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys

from . import billing_process
from .local_secrets import local_secret
from .service_processes import Service, print_addresses, start, stop, wait_while_all_run

MODEL = "models/billing-assistant.tar.gz"
RASA_PORT = int(os.environ.get("RASA_PORT", "5005"))
ACTIONS_PORT = int(os.environ.get("ACTIONS_PORT", "5055"))
WEBSITE_PORT = int(os.environ.get("WEBSITE_PORT", "8080"))
DESK_PORT = int(os.environ.get("DESK_PORT", "8090"))
# The agent desk is its own project with its own environment (services/desk/.venv, built by `make`).
DESK_PYTHON = os.environ.get(
    "DESK_PYTHON", str(billing_process.ROOT / "services" / "desk" / ".venv" / "bin" / "python")
)


# Each service checks its callers with one of these; made once under var/ unless set in the environment.
# They reach the services through the environment only, never the command line.
SECRETS = (
    "RASA_JWT_SECRET",
    "ACTION_SERVER_TOKEN",
    "IDENTITY_TOKEN_SECRET",
    "BILLING_API_TOKEN",
    "MEMBER_TOKEN_SECRET",
    "CHAT_SESSION_SECRET",
    "SMS_ID_SECRET",
    "DESK_API_TOKEN",  # the assistant asks the agent desk whether anyone is at it (GET /availability)
)


def base_environment() -> dict[str, str]:
    """This process's environment with the secrets and the quiet settings every service gets."""
    env = dict(os.environ)
    for name in SECRETS:
        env[name] = local_secret(name)
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    return env


def environment() -> dict[str, str]:
    env = base_environment()
    env.setdefault("BILLING_URL", f"http://{billing_process.HOST}:{billing_process.PORT}")
    env.setdefault("CHAT_SOCKET_URL", f"http://localhost:{RASA_PORT}")
    env.setdefault("WEBSITE_ORIGINS", f"http://localhost:{WEBSITE_PORT},http://127.0.0.1:{WEBSITE_PORT}")
    # The desk calls Rasa's HTTP API (agent replies, hand-back) and reads the tracker store Rasa writes.
    env.setdefault("RASA_URL", f"http://127.0.0.1:{RASA_PORT}")
    env.setdefault("DESK_PORT", str(DESK_PORT))
    return env


def services(env: dict[str, str], *, with_rasa: bool = True) -> list[Service]:
    billing = f"http://{billing_process.HOST}:{billing_process.PORT}"
    found = [
        Service(
            "Billing service",
            billing_process.billing_command("serve", "--seed"),
            f"{billing}/health",
            f"{billing}/docs",
        ),
        Service(
            "Payment page", [], "", f"{billing_process.PUBLIC_URL}/pay/..."
        ),  # served by the billing process
        Service(
            "Action server",
            [sys.executable, "-m", "assistant.action_server"],
            f"http://127.0.0.1:{ACTIONS_PORT}/health",
            f"http://127.0.0.1:{ACTIONS_PORT}/webhook",
        ),
    ]
    if with_rasa:
        found.append(
            Service(
                "Rasa server",
                [
                    sys.executable,
                    "-m",
                    "assistant.rasa_server",
                    "--model",
                    MODEL,
                    "--port",
                    str(RASA_PORT),
                    "--credentials",
                    "credentials.yml",
                    "--endpoints",
                    "endpoints.yml",
                ],
                f"http://127.0.0.1:{RASA_PORT}/",
                f"http://127.0.0.1:{RASA_PORT}/webhooks/rest/webhook",
            )
        )
        found.append(
            Service(
                "Website",
                [sys.executable, "-m", "website"],
                f"http://127.0.0.1:{WEBSITE_PORT}/health",
                f"http://localhost:{WEBSITE_PORT}/",
            )
        )
        found.append(
            Service("SMS webhook", [], "", f"http://127.0.0.1:{RASA_PORT}/webhooks/twilio_sms/webhook")
        )
        found.append(
            Service(
                "Agent desk",
                [DESK_PYTHON, "-m", "agent_desk", "serve"],
                f"http://127.0.0.1:{DESK_PORT}/health",
                f"http://127.0.0.1:{DESK_PORT}/ (agent logins: see README, Agent desk)",
            )
        )
    return found


def train(env: dict[str, str]) -> None:
    """rasa train reuses the last model when config, domain and data are unchanged."""
    rasa = os.path.join(os.path.dirname(sys.executable), "rasa")
    subprocess.run(
        [rasa, "train", "--domain", "domain", "--fixed-model-name", "billing-assistant", "--out", "models"],
        env=env,
        check=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.run")
    parser.add_argument("--shell", action="store_true", help="chat in this terminal instead of serving")
    args = parser.parse_args(argv)
    # Databases, secrets and logs under var/ are for this user only (0600 files, 0700 folders).
    os.umask(0o077)
    os.makedirs("var", mode=0o700, exist_ok=True)
    env = environment()
    running: list[Service] = []
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        train(env)
        start(services(env, with_rasa=not args.shell), env, running=running)
        if args.shell:
            rasa = os.path.join(os.path.dirname(sys.executable), "rasa")
            return subprocess.run(
                [rasa, "shell", "--model", MODEL, "--endpoints", "endpoints.yml"], env=env
            ).returncode
        print_addresses(running)
        print("  Secrets (Rasa API JWT secret, service tokens): under var/, or from the environment")
        print("Chat in a terminal with `make shell`. Press Ctrl-C to stop.\n", flush=True)
        return wait_while_all_run(running)
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop(running)


if __name__ == "__main__":
    sys.exit(main())
