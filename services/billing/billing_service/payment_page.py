"""The member-facing secure payment page behind a payment link: the only place a full number is entered.

It is its own app on its own listener (BILLING_PAGES_PORT), with no API route, so exposing it to members'
browsers exposes nothing else. Handlers are plain `def`: FastAPI runs them in its threadpool, off the
event loop.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from string import Template

from fastapi import APIRouter, Depends, FastAPI, Form
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from billing_contract.money import dollars_to_cents, format_cents

from .api.deps import LinkToken, get_now, get_processor, get_session, get_settings
from .app_state import attach_state, install_guards
from .clock import Clock, settings_clock
from .errors import BillingError, Unprocessable
from .models import PaymentLink
from .payment_links import amount_due, complete_link, open_link
from .processor import PaymentProcessor, SandboxProcessor
from .settings import BillingSettings

router = APIRouter(include_in_schema=False)
PAGES = Path(__file__).resolve().parent / "pages"
LAYOUT = Template((PAGES / "payment_page.html").read_text())
FORM = Template((PAGES / "payment_form.html").read_text())
HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'",
}
# Dollars and cents as people type them: "25", "25.5", "$1,234.50". Nothing else reaches the parser
# (no exponents, NaN or signs).
AMOUNT = re.compile(r"^\$?\s*(\d{1,3}(,\d{3})+|\d{1,9})(\.\d{1,2})?$")


def create_pages_app(
    settings: BillingSettings | None = None,
    *,
    processor: PaymentProcessor | None = None,
    clock: Clock | None = None,
) -> FastAPI:
    settings = settings or BillingSettings()
    app = FastAPI(title="Secure payment page", docs_url=None, redoc_url=None, openapi_url=None)
    attach_state(app, settings, processor or SandboxProcessor(), clock or settings_clock(settings.fixed_now))
    app.include_router(router)
    install_guards(app, settings, settings.pages_hosts())
    return app


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        LAYOUT.substitute(title=html.escape(title), body=body), status_code=status, headers=HEADERS
    )


def _message_page(error: BillingError) -> HTMLResponse:
    return _page(
        "Payment link", f'<p class="message error">{html.escape(error.message)}</p>', error.status_code
    )


def _form(
    session: Session, token: str, link: PaymentLink, error: str | None = None, status: int = 200
) -> HTMLResponse:
    guest = link.purpose == "guest_payment"
    due = amount_due(session, link) if guest else 0
    amount_field = (
        f'<label for="amount">Amount to pay (amount due {format_cents(due)})</label>'
        f'<input type="text" id="amount" name="amount" inputmode="decimal" value="{due / 100:.2f}" required>'
        if guest
        else ""
    )
    body = FORM.substitute(
        token=html.escape(token),
        error=f'<p class="message error" role="alert">{html.escape(error)}</p>' if error else "",
        intro="Pay this bill securely." if guest else "Add a card or bank account to your billing account.",
        amount_field=amount_field,
        button="Pay now" if guest else "Save payment method",
    )
    return _page("Make a payment" if guest else "Add a payment method", body, status)


@router.get("/pay/{token}", response_class=HTMLResponse)
def payment_page(
    token: LinkToken,
    session: Session = Depends(get_session),
    now: dt.datetime = Depends(get_now),
    settings: BillingSettings = Depends(get_settings),
) -> HTMLResponse:
    try:
        link = open_link(session, settings, token, now)
    except BillingError as error:
        return _message_page(error)
    return _form(session, token, link)


def _field(default: str = "") -> str:
    return Form(default, max_length=200)


@router.post("/pay/{token}", response_class=HTMLResponse)
def submit_payment_page(
    token: LinkToken,
    session: Session = Depends(get_session),
    processor: PaymentProcessor = Depends(get_processor),
    now: dt.datetime = Depends(get_now),
    settings: BillingSettings = Depends(get_settings),
    kind: str = _field(),
    card_number: str = _field(),
    exp_month: str = _field(),
    exp_year: str = _field(),
    cvc: str = _field(),
    routing_number: str = _field(),
    bank_account_number: str = _field(),
    amount: str = _field(),
) -> HTMLResponse:
    method = {
        "kind": kind,
        "card_number": card_number,
        "exp_month": exp_month,
        "exp_year": exp_year,
        "cvc": cvc,
        "routing_number": routing_number,
        "bank_account_number": bank_account_number,
    }
    try:
        message = complete_link(
            session, settings, processor, now, token, method=method, amount_cents=_cents(amount)
        )
    except BillingError as error:
        session.rollback()
        try:
            link = open_link(session, settings, token, now)
        except BillingError:
            return _message_page(error)
        return _form(session, token, link, error.message, status=error.status_code)
    return _page("Thank you", f'<p class="message" role="status">{html.escape(message)}</p>')


def _cents(text: str) -> int | None:
    if not text.strip():
        return None
    if not AMOUNT.match(text.strip()):
        raise Unprocessable("invalid_amount", "Enter the amount as dollars and cents, like 25.00.")
    return dollars_to_cents(text.strip())
