"""One-time, expiring links to the service's own page where a member enters a card or bank account.

The number goes from that page to the processor and is never stored or logged here.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from billing_contract.money import format_cents

from . import schemas
from .accounts import method_display
from .errors import Gone, NotFound, Unprocessable
from .ledger import payable_cents
from .models import Account, Member, PaymentLink, PaymentMethod
from .payments import pay
from .processor import PaymentProcessor, Tokenized, store_method
from .settings import BillingSettings


def create_link(
    session: Session,
    settings: BillingSettings,
    now: dt.datetime,
    *,
    purpose: str,
    member: Member,
    account: Account | None = None,
) -> schemas.PaymentLinkOut:
    link = PaymentLink(
        token=secrets.token_urlsafe(24),
        purpose=purpose,
        member_id=member.id,
        account_id=account.id if account else None,
        created_at=now,
        expires_at=now + dt.timedelta(minutes=settings.payment_link_minutes),
    )
    session.add(link)
    session.commit()
    return schemas.PaymentLinkOut(
        url=f"{settings.public_url.rstrip('/')}/pay/{link.token}", expires_at=link.expires_at
    )


def open_link(
    session: Session, settings: BillingSettings, token: str, now: dt.datetime, *, for_update: bool = False
) -> PaymentLink:
    query = select(PaymentLink).where(PaymentLink.token == token)
    if for_update:
        query = query.with_for_update()
    link = session.execute(query).scalar_one_or_none()
    if link is None:
        raise NotFound("unknown_link", "This payment link is not valid.")
    if link.used_at is not None:
        raise Gone("link_used", "This payment link has already been used.")
    if link.expires_at <= now:
        raise Gone("link_expired", "This payment link has expired. Ask the assistant for a new one.")
    if link.declined_count >= settings.payment_link_max_declines:
        raise Gone(
            "link_burned",
            "This payment link can no longer be used after several declined payments. "
            "Ask the assistant for a new one or call the billing line.",
        )
    return link


def amount_due(session: Session, link: PaymentLink) -> int:
    return max(payable_cents(session, link.account_id), 0) if link.account_id else 0


def complete_link(
    session: Session,
    settings: BillingSettings,
    processor: PaymentProcessor,
    now: dt.datetime,
    token: str,
    *,
    method: dict[str, str],
    amount_cents: int | None = None,
) -> str:
    """Tokenises the method entered on the page (a guest link also pays); returns what to tell the payer."""
    link = open_link(session, settings, token, now, for_update=True)
    if link.purpose == "guest_payment":
        return _pay_as_guest(
            session, settings, processor, now, link, method=method, amount_cents=amount_cents
        )
    saved = _save_method(session, processor, now, method, member_id=link.member_id)
    link.payment_method_id = saved.id
    link.used_at = now
    session.commit()
    return f"Your {method_display(saved)} is saved. You can go back to the chat to use it."


def _pay_as_guest(
    session: Session,
    settings: BillingSettings,
    processor: PaymentProcessor,
    now: dt.datetime,
    link: PaymentLink,
    *,
    method: dict[str, str],
    amount_cents: int | None,
) -> str:
    """Pays the amount entered with the method entered, which is saved for no member."""
    if link.account_id is None:  # guest links are always made for an account (api/guest.py)
        raise NotFound("unknown_link", "This payment link is not valid.")
    due = amount_due(session, link)
    if amount_cents is None or amount_cents <= 0:
        raise Unprocessable("invalid_amount", "Enter an amount to pay.")
    if amount_cents > due:
        raise Unprocessable("amount_exceeds_balance", "That is more than the amount due.")
    # Tiny charges are how stolen cards are tested; the whole amount due is always accepted.
    if amount_cents < min(settings.payment_link_min_cents, due):
        raise Unprocessable(
            "amount_below_minimum",
            f"The smallest payment accepted here is {format_cents(settings.payment_link_min_cents)}.",
        )
    saved = _save_method(session, processor, now, method, member_id=None)
    link.payment_method_id = saved.id
    session.commit()
    account = session.get_one(Account, link.account_id)
    payment, _ = pay(
        session,
        processor,
        now,
        account_number=account.account_number,
        payment_method_id=saved.id,
        amount_cents=amount_cents,
        idempotency_key=f"link:{link.token}:{saved.id}",
        source="guest",
    )
    if payment.status != "succeeded":
        # The link stays open after a decline so the payer can try another card, but only a few times.
        link = session.execute(
            select(PaymentLink).where(PaymentLink.id == link.id).with_for_update()
        ).scalar_one()
        link.declined_count += 1
        burned = link.declined_count >= settings.payment_link_max_declines
        session.commit()
        # A declined or failed payment carries its reason; the status stands in should one lack it.
        reason = (payment.failure_reason or payment.status).replace("_", " ")
        return f"The payment did not go through ({reason}). No money was taken." + (
            " This link can no longer be used; ask the assistant for a new one or call the billing line."
            if burned
            else ""
        )
    link = session.execute(
        select(PaymentLink).where(PaymentLink.id == link.id).with_for_update()
    ).scalar_one()
    link.used_at = now
    link.payment_id = payment.id
    session.commit()
    return (
        f"Thank you. Your payment of {format_cents(payment.amount_cents)} was received. "
        f"Confirmation number {payment.confirmation_number}."
    )


def _save_method(
    session: Session,
    processor: PaymentProcessor,
    now: dt.datetime,
    method: dict[str, str],
    *,
    member_id: int | None,
) -> PaymentMethod:
    """Tokenises the method entered on the page and stores the token (for the member, or for no one)."""
    return store_method(session, _tokenize(session, processor, now, method), member_id=member_id, now=now)


def _tokenize(
    session: Session, processor: PaymentProcessor, now: dt.datetime, method: dict[str, str]
) -> Tokenized:
    if method.get("kind") == "bank":
        return processor.tokenize_bank(
            session, method.get("routing_number", ""), method.get("bank_account_number", "")
        )
    if method.get("kind") == "card":
        try:
            exp_month, exp_year = int(method.get("exp_month", "")), int(method.get("exp_year", ""))
        except ValueError:
            raise Unprocessable("invalid_expiry", "Enter the expiry month and year as numbers.") from None
        if exp_year < 100:
            exp_year += 2000
        return processor.tokenize_card(
            session,
            method.get("card_number", ""),
            exp_month,
            exp_year,
            method.get("cvc", "").strip(),
            now.date(),
        )
    raise Unprocessable("invalid_method_kind", "Choose a card or a bank account.")
