"""The secure payment page behind a payment link: the only place a full number is entered."""
from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from string import Template
from typing import Optional

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from ...money import dollars_to_cents, format_cents
from ..errors import BillingError
from ..payment_links import amount_due, complete_link, open_link
from ..processor import PaymentProcessor
from .deps import LinkToken, get_now, get_processor, get_session

router = APIRouter(tags=["payment page"], include_in_schema=False)
PAGES = Path(__file__).resolve().parent.parent / "pages"
LAYOUT = Template((PAGES / "payment_page.html").read_text())
FORM = Template((PAGES / "payment_form.html").read_text())
FIELDS = ("kind", "card_number", "exp_month", "exp_year", "cvc", "routing_number", "bank_account_number", "amount")
HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
}


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(LAYOUT.substitute(title=html.escape(title), body=body), status_code=status, headers=HEADERS)


def _form(session: Session, token: str, link, error: Optional[str] = None, status: int = 200) -> HTMLResponse:
    guest = link.purpose == "guest_payment"
    due = amount_due(session, link) if guest else 0
    amount_field = (
        f'<label for="amount">Amount to pay (amount due {format_cents(due)})</label>'
        f'<input type="text" id="amount" name="amount" inputmode="decimal" value="{due / 100:.2f}" required>'
        if guest else ""
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
def payment_page(token: LinkToken, session: Session = Depends(get_session), now: dt.datetime = Depends(get_now)):
    try:
        link = open_link(session, token, now)
    except BillingError as error:
        return _page("Payment link", f'<p class="message error">{html.escape(error.message)}</p>', error.status_code)
    return _form(session, token, link)


@router.post("/pay/{token}", response_class=HTMLResponse)
async def submit_payment_page(token: LinkToken, request: Request, session: Session = Depends(get_session),
                              processor: PaymentProcessor = Depends(get_processor),
                              now: dt.datetime = Depends(get_now)):
    form = await request.form()
    fields = {name: str(form.get(name, ""))[:40] for name in FIELDS}
    try:
        amount = _cents(fields.pop("amount"))
        message = complete_link(session, processor, now, token, method=fields, amount_cents=amount)
    except BillingError as error:
        session.rollback()
        try:
            link = open_link(session, token, now)
        except BillingError:
            return _page("Payment link", f'<p class="message error">{html.escape(error.message)}</p>',
                         error.status_code)
        return _form(session, token, link, error.message, status=error.status_code)
    return _page("Thank you", f'<p class="message" role="status">{html.escape(message)}</p>')


def _cents(text: str) -> Optional[int]:
    if not text.strip():
        return None
    try:
        return dollars_to_cents(text)
    except ValueError:
        raise BillingError("invalid_amount", "Enter the amount as dollars and cents, like 25.00.") from None
