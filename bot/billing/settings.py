"""Billing service settings, read from BILLING_* environment variables."""
from __future__ import annotations

from pydantic import BaseSettings


class BillingSettings(BaseSettings):
    database_url: str = "sqlite:///var/billing.db"
    host: str = "127.0.0.1"
    port: int = 8001
    # Where members reach the secure payment pages; links the service hands out start with it.
    public_url: str = "http://localhost:8001"
    # When set, every API call but the payment pages must carry "Authorization: Bearer <token>".
    api_token: str = ""

    payment_link_minutes: int = 30
    max_body_bytes: int = 64 * 1024

    verify_max_failures: int = 5
    verify_window_minutes: int = 15
    verify_lockout_minutes: int = 30

    plan_min_balance_cents: int = 30000
    plan_min_months: int = 3
    plan_max_months: int = 12
    plan_min_monthly_cents: int = 2500

    class Config:
        env_prefix = "BILLING_"
