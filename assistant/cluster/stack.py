"""Every process of the cluster, with the environment it gets, in the order they start."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import IO

from .. import billing_process
from ..run import DESK_PYTHON, base_environment
from ..service_processes import Service, start
from .databases import ensure_databases
from .nginx import check_config, nginx_command, write_config
from .settings import ClusterSettings

ROOT = billing_process.ROOT


def environment(settings: ClusterSettings) -> dict[str, str]:
    """What every process gets: the secrets (var/ or the environment), the stores, the internal addresses."""
    ports = settings.ports
    site = settings.site_url
    return {
        **base_environment(),
        "TRACKER_DATABASE_URL": settings.database_url("tracker"),
        "SMS_DATABASE_URL": settings.database_url("sms"),
        "CHAT_SESSION_DATABASE_URL": settings.database_url("chat_sessions"),
        "BILLING_DATABASE_URL": settings.database_url("billing"),
        "DESK_DATABASE_URL": settings.database_url("desk"),
        "REDIS_HOST": settings.redis_host,
        "REDIS_PORT": str(settings.redis_port),
        # The widget's sockets: replies from any replica reach the one holding the socket (web_chat.py).
        "SOCKETIO_REDIS_URL": f"redis://{settings.redis_host}:{settings.redis_port}/1",
        "SOCKETIO_REDIS_CHANNEL": f"{settings.database_prefix}-socketio",
        "ACTION_SERVER_URL": f"http://127.0.0.1:{ports.actions}/webhook",
        "BILLING_URL": f"http://127.0.0.1:{ports.billing_api}",
        "BILLING_PUBLIC_URL": site,
        "RASA_URL": f"http://127.0.0.1:{ports.rasa_api}",
        "DESK_URL": f"http://127.0.0.1:{ports.desk_app}",
        "DESK_PORT": str(ports.desk_app),
        "WEBSITE_PORT": str(ports.website),
        "CHAT_SOCKET_URL": site,
        "WEBSITE_ORIGINS": f"{site},http://127.0.0.1:{ports.site},http://localhost:{ports.site}",
        "TWILIO_WEBHOOK_URL": f"{site}/webhooks/twilio_sms/webhook",
    }


def prepare_billing(env: dict[str, str], log: IO) -> None:
    """The billing schema and demo members, once, before its workers start (they would race to do it)."""
    for step in (("migrate",), ("seed",)):
        log.flush()
        subprocess.run(
            billing_process.billing_command(*step),
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=True,
        )


def services(settings: ClusterSettings, nginx_config: Path) -> list[Service]:
    ports = settings.ports
    site = settings.site_url
    found = [
        Service(
            f"Billing worker {i + 1}",
            billing_process.billing_command("serve"),
            f"http://127.0.0.1:{api}/health",
            "",
            env={"BILLING_PORT": str(api), "BILLING_PAGES_PORT": str(pages)},
            group="billing",
        )
        for i, (api, pages) in enumerate(zip(ports.billing_workers, ports.billing_pages, strict=True))
    ]
    found += [
        Service(
            f"Action server {i + 1}",
            [sys.executable, "-m", "assistant.action_server"],
            f"http://127.0.0.1:{port}/health",
            "",
            env={"ACTIONS_PORT": str(port)},
            group="actions",
        )
        for i, port in enumerate(ports.action_servers)
    ]
    found += [
        Service(
            f"Rasa replica {i + 1}",
            [
                sys.executable,
                "-m",
                "assistant.rasa_server",
                "--model",
                settings.model,
                "--port",
                str(port),
                "--credentials",
                str(ROOT / "credentials.yml"),
                "--endpoints",
                str(ROOT / "endpoints.scale.yml"),
            ],
            f"http://127.0.0.1:{port}/",
            "",
            group="rasa",
        )
        for i, port in enumerate(ports.rasa)
    ]
    found += [
        Service(
            "Website",
            [sys.executable, "-m", "website"],
            f"http://127.0.0.1:{ports.website}/health",
            f"{site}/",
        ),
        Service(
            "Agent desk",
            [DESK_PYTHON, "-m", "agent_desk", "serve"],
            f"http://127.0.0.1:{ports.desk_app}/health",
            f"{settings.desk_url}/ (agent logins: see README, Agent desk)",
        ),
        # Last: its health check is the website's, through it.
        Service(
            "nginx",
            nginx_command(settings, nginx_config),
            f"http://127.0.0.1:{ports.site}/health",
            "",
        ),
        Service("REST channel", [], "", f"{site}/webhooks/rest/webhook"),
        Service("Payment page", [], "", f"{site}/pay/..."),
        Service("SMS webhook", [], "", f"{site}/webhooks/twilio_sms/webhook"),
        Service("Widget socket.io", [], "", f"{site}/socket.io/"),
    ]
    return found


def start_cluster(settings: ClusterSettings, env: dict[str, str], log: IO, running: list[Service]) -> None:
    """Everything but training: the databases, nginx's configuration (checked), the billing schema and demo
    members, then every process in order; `running` holds those started, even when one fails."""
    for name in ensure_databases(settings):
        print(f"Created the PostgreSQL database {name}", flush=True)
    config = write_config(settings)
    check_config(settings, config)
    prepare_billing(env, log)
    start(services(settings, config), env, output=log, running=running)
