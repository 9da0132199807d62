"""What the cluster runs and where, from CLUSTER_* environment variables. The defaults stay clear of
`make run`'s ports (5005, 5055, 8001, 8002, 8080, 8090)."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from .. import billing_process


def _ports(first: int, count: int) -> list[int]:
    return [first + i for i in range(count)]


@dataclasses.dataclass(frozen=True)
class ClusterPorts:
    # Public, through nginx: the website, the payment page and the chat channels; the agent desk.
    site: int = 8180
    desk: int = 8190
    # Internal, through nginx on 127.0.0.1 only: Rasa's HTTP API (for the desk), the action servers, the
    # billing API.
    rasa_api: int = 7105
    actions: int = 7155
    billing_api: int = 7101
    # The processes themselves, on 127.0.0.1.
    rasa: list[int] = dataclasses.field(default_factory=lambda: _ports(7005, 2))
    action_servers: list[int] = dataclasses.field(default_factory=lambda: _ports(7055, 2))
    billing_workers: list[int] = dataclasses.field(default_factory=lambda: _ports(7011, 2))
    billing_pages: list[int] = dataclasses.field(default_factory=lambda: _ports(7021, 2))
    website: int = 7080
    desk_app: int = 7090

    @classmethod
    def from_environment(cls) -> ClusterPorts:
        env = os.environ

        def port(name: str, default: int) -> int:
            return int(env.get(name, str(default)))

        rasa_replicas = port("CLUSTER_RASA_REPLICAS", 2)
        action_servers = port("CLUSTER_ACTION_SERVERS", 2)
        billing_workers = port("CLUSTER_BILLING_WORKERS", 2)
        if min(rasa_replicas, action_servers, billing_workers) < 1:
            raise ValueError(
                "CLUSTER_RASA_REPLICAS, CLUSTER_ACTION_SERVERS and CLUSTER_BILLING_WORKERS must be at least 1"
            )
        return cls(
            site=port("CLUSTER_SITE_PORT", cls.site),
            desk=port("CLUSTER_DESK_PORT", cls.desk),
            rasa_api=port("CLUSTER_RASA_API_PORT", cls.rasa_api),
            actions=port("CLUSTER_ACTIONS_PORT", cls.actions),
            billing_api=port("CLUSTER_BILLING_PORT", cls.billing_api),
            rasa=_ports(port("CLUSTER_FIRST_RASA_PORT", 7005), rasa_replicas),
            action_servers=_ports(port("CLUSTER_FIRST_ACTION_SERVER_PORT", 7055), action_servers),
            billing_workers=_ports(port("CLUSTER_FIRST_BILLING_WORKER_PORT", 7011), billing_workers),
            billing_pages=_ports(port("CLUSTER_FIRST_BILLING_PAGES_PORT", 7021), billing_workers),
            website=port("CLUSTER_WEBSITE_PORT", cls.website),
            desk_app=port("CLUSTER_DESK_APP_PORT", cls.desk_app),
        )


@dataclasses.dataclass(frozen=True)
class ClusterSettings:
    ports: ClusterPorts = dataclasses.field(default_factory=ClusterPorts)
    # Generated nginx configuration, its logs and every process's log.
    work_dir: Path = billing_process.ROOT / "var" / "cluster"
    # A PostgreSQL server URL without a database; each store gets <database_prefix>_<store>.
    postgres_url: str = "postgresql://postgres@127.0.0.1:5432"
    database_prefix: str = "billing_assistant_cluster"
    redis_host: str = "127.0.0.1"
    redis_port: int = 6379
    # The interface the public listeners bind (0.0.0.0 to serve other machines) and the name members use.
    public_interface: str = "127.0.0.1"
    public_name: str = "localhost"
    nginx: str = "/usr/sbin/nginx"
    model: str = str(billing_process.ROOT / "models" / "billing-assistant.tar.gz")

    @classmethod
    def from_environment(cls) -> ClusterSettings:
        env = os.environ
        return cls(
            ports=ClusterPorts.from_environment(),
            work_dir=Path(env.get("CLUSTER_DIR", str(cls.work_dir))),
            postgres_url=env.get("CLUSTER_POSTGRES_URL", cls.postgres_url).rstrip("/"),
            database_prefix=env.get("CLUSTER_DATABASE_PREFIX", cls.database_prefix),
            redis_host=env.get("REDIS_HOST", cls.redis_host),
            redis_port=int(env.get("REDIS_PORT", str(cls.redis_port))),
            public_interface=env.get("CLUSTER_PUBLIC_INTERFACE", cls.public_interface),
            public_name=env.get("CLUSTER_PUBLIC_NAME", cls.public_name),
            nginx=env.get("NGINX", cls.nginx),
        )

    def database_url(self, store: str) -> str:
        return f"{self.postgres_url}/{self.database_prefix}_{store}"

    @property
    def site_url(self) -> str:
        return f"http://{self.public_name}:{self.ports.site}"

    @property
    def desk_url(self) -> str:
        return f"http://{self.public_name}:{self.ports.desk}"


# The stores on PostgreSQL: Rasa's conversations (the desk reads them too), the SMS channel's state,
# signed-out chat sessions, the billing service, the agent desk.
STORES = ("tracker", "sms", "chat_sessions", "billing", "desk")
