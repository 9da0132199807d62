"""Billing service settings, read from BILLING_* environment variables."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The thread pool FastAPI runs synchronous routes on (anyio's default).
ROUTE_THREADS = 40


class BillingSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BILLING_")

    database_url: str = "sqlite:///var/billing.db"
    host: str = "127.0.0.1"
    port: int = 8001
    # Processes serving the API and the payment pages; each keeps nothing of its own that another needs
    # (attempt counters, idempotency keys and links all live in the database).
    workers: int = Field(1, ge=1)
    # Requests each app (the API and the payment pages) works on at once, the rest waiting their turn: both
    # apps' together below the 40 threads of the process the synchronous routes share, and each at most its
    # pooled connections (billing_service/admission.py).
    concurrent_requests: int = Field(16, ge=1)
    # PostgreSQL connections per process and app: pool_size kept, max_overflow more at peaks. Mind the
    # server's max_connections across workers (workers x 2 apps x (size + overflow)).
    db_pool_size: int = Field(8, ge=1)
    db_max_overflow: int = Field(8, ge=0)
    # The member-facing payment page is its own app on its own port, apart from the API.
    pages_port: int = 8002
    # Where members reach the secure payment pages; links the service hands out start with it.
    public_url: str = "http://localhost:8002"
    # When set, every API call must carry "Authorization: Bearer <token>" (the payment pages never need it).
    api_token: str = ""
    # Host headers accepted (comma-separated); the payment pages also accept public_url's host.
    allowed_hosts: str = "localhost,127.0.0.1"

    payment_link_minutes: int = 30
    payment_link_max_declines: int = 3
    payment_link_min_cents: int = 100
    max_body_bytes: int = 64 * 1024

    # One counter per member (account and record numbers count together) ...
    verify_max_failures: int = 5
    verify_window_minutes: int = 15
    verify_lockout_minutes: int = 30
    # ... and one per client (the conversation id, else the peer address).
    verify_client_max_failures: int = 3
    verify_client_window_minutes: int = 30
    guest_client_max_lookups: int = 10
    guest_client_lookup_window_minutes: int = 60
    guest_client_max_failures: int = 5
    guest_client_failure_window_minutes: int = 30

    plan_min_balance_cents: int = 30000
    plan_min_months: int = 3
    plan_max_months: int = 12
    plan_min_monthly_cents: int = 2500

    # Financial-assistance pre-screen: the federal poverty guideline for one person, plus each additional
    # person (HHS 2024, 48 contiguous states), and the share of it the plan uses as its income limit.
    fa_poverty_base_cents: int = 1506000
    fa_poverty_per_person_cents: int = 538000
    fa_poverty_percent: int = 400

    # A clock that stands still at this naive-UTC instant instead of the system's (demos, the assistant's
    # tests); unset in production.
    fixed_now: dt.datetime | None = None

    @model_validator(mode="after")
    def _admitted_requests_have_connections(self) -> BillingSettings:
        if self.concurrent_requests > self.db_pool_size + self.db_max_overflow:
            raise ValueError(
                "BILLING_CONCURRENT_REQUESTS must not exceed BILLING_DB_POOL_SIZE + BILLING_DB_MAX_OVERFLOW: "
                "an admitted request waiting for a connection can jam the service"
            )
        if 2 * self.concurrent_requests >= ROUTE_THREADS:
            raise ValueError(
                f"BILLING_CONCURRENT_REQUESTS must be below {ROUTE_THREADS // 2}: the API and the payment "
                f"pages admit that many each and share the process's {ROUTE_THREADS} route threads"
            )
        return self

    def api_hosts(self) -> list[str]:
        return [host.strip() for host in self.allowed_hosts.split(",") if host.strip()]

    def pages_hosts(self) -> list[str]:
        public_host = urlsplit(self.public_url).hostname
        return self.api_hosts() + ([public_host] if public_host else [])
