"""The billing service's API application (the payment page is a separate app: payment_page.py)."""

from __future__ import annotations

from fastapi import Depends, FastAPI

from .api import accounts, assistance, autopay, cases, guest, identity, members, payments, plans
from .api.deps import require_api_token
from .app_state import attach_state, install_guards
from .clock import Clock, settings_clock
from .processor import PaymentProcessor, SandboxProcessor
from .settings import BillingSettings


def create_app(
    settings: BillingSettings | None = None,
    *,
    processor: PaymentProcessor | None = None,
    clock: Clock | None = None,
) -> FastAPI:
    settings = settings or BillingSettings()
    app = FastAPI(
        title="Health-plan billing service",
        version="1.2.0",
        description="Members, accounts, statements, payments, autopay, payment plans, guest payment and a "
        "financial-assistance pre-screen. Money is integer cents. Errors carry a "
        "machine-readable `reason`. Requests that act for a member send `X-Member-Number` "
        "(403 member_required without it; anything not that member's is 404 not_found).",
    )
    attach_state(app, settings, processor or SandboxProcessor(), clock or settings_clock(settings.fixed_now))
    protected = [Depends(require_api_token)]
    for module in (identity, members, accounts, payments, autopay, plans, guest, cases, assistance):
        app.include_router(module.router, dependencies=protected)
    install_guards(app, settings, settings.api_hosts())
    return app
