"""The one async client the actions use to reach the billing service.

Timeouts are always set. Connection failures, timeouts and 5xx become BillingUnavailable; a 4xx
becomes BillingRefused carrying the service's machine-readable reason.

Retries: a read (GET) that failed in transit or got 502/503/504 is asked again, twice at most, after a
short pause: reading twice changes nothing. Any other call is sent again only when it provably never
reached the service (no connection could be made, or no pooled connection was free); a call that may
have been received (a timeout waiting for the answer, a dropped connection) is never repeated here,
because it may have counted a verification attempt or opened a case. Payments carry an Idempotency-Key,
and their action retries them with the same key (actions/payments.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from typing import Any, TypeVar

import dacite
import httpx

from billing_contract import responses
from billing_contract.headers import CLIENT_HEADER, MEMBER_HEADER

T = TypeVar("T")
DEFAULT_URL = "http://127.0.0.1:8001"
# Pauses before the second and third try of a read; a Retry-After the service sends (503) is used
# instead when it is no longer than MAX_RETRY_PAUSE.
READ_RETRY_PAUSES = (0.2, 0.5)
MAX_RETRY_PAUSE = 2.0
RETRIED_STATUSES = {502, 503, 504}
# Idle connections are dropped well before the billing service's keep-alive (75 s) closes them, so a
# request is never written into a connection the server is closing.
KEEPALIVE_SECONDS = 15.0
# The billing service works on 16 API requests at a time per process (BILLING_CONCURRENT_REQUESTS) and
# queues the rest: more connections only move the queue here. httpcore checks every pooled connection on
# each request (a poll of its socket), so a pool of 100 cost the action server twice the CPU per call at
# 50 members than at 10 (README, Performance). A request waits for a free connection up to the timeout.
POOL_CONNECTIONS = 32


class BillingUnavailable(Exception):
    """The billing service could not be reached or failed; nothing can be assumed to have happened."""


class BillingRefused(Exception):
    def __init__(self, status_code: int, reason: str, message: str, retry_after: int | None = None):
        super().__init__(f"{status_code} {reason}: {message}")
        self.status_code = status_code
        self.reason = reason
        self.message = message
        self.retry_after = retry_after


class BillingClient:
    def __init__(
        self,
        base_url: str = DEFAULT_URL,
        *,
        api_token: str = "",
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ):
        headers = {"Authorization": f"Bearer {api_token}"} if api_token else {}
        self._http = httpx.AsyncClient(
            base_url=base_url,
            headers=headers,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 3.0)),
            transport=transport
            or httpx.AsyncHTTPTransport(
                retries=1,  # connecting again only: nothing was sent
                limits=httpx.Limits(
                    max_connections=POOL_CONNECTIONS,
                    max_keepalive_connections=POOL_CONNECTIONS,
                    keepalive_expiry=KEEPALIVE_SECONDS,
                ),
            ),
        )
        self._extra_headers: dict = {}
        self._owns_pool = True

    def for_member(self, member_number: str) -> BillingClient:
        """A client acting for one verified member: it sends X-Member-Number on every call, so the service
        enforces that accounts, methods and receipts belong to that member. It shares this client's
        connection pool (no new pool per call); closing it leaves the pool to its owner."""
        scoped = object.__new__(BillingClient)
        scoped._http = self._http
        scoped._extra_headers = {**self._extra_headers, MEMBER_HEADER: member_number}
        scoped._owns_pool = False
        return scoped

    @classmethod
    def from_env(cls) -> BillingClient:
        return cls(
            os.environ.get("BILLING_URL", DEFAULT_URL),
            api_token=os.environ.get("BILLING_API_TOKEN", ""),
            timeout=float(os.environ.get("BILLING_TIMEOUT_SECONDS", "10")),
        )

    async def aclose(self) -> None:
        if self._owns_pool:
            await self._http.aclose()

    # --- identity and accounts ----------------------------------------------------------

    async def verify(
        self,
        *,
        date_of_birth: str,
        zip_code: str,
        account_number: str | None = None,
        medical_record_number: str | None = None,
        client_id: str | None = None,
    ) -> responses.MemberOut:
        body: dict[str, str | None] = {"date_of_birth": date_of_birth, "zip_code": zip_code}
        body.update(
            {"account_number": account_number}
            if account_number
            else {"medical_record_number": medical_record_number}
        )
        return await self._call(
            "POST", "/verify", responses.MemberOut, json=body, headers=_client_header(client_id)
        )

    async def member(self, member_number: str) -> responses.MemberOut:
        return await self._call("GET", f"/members/{member_number}", responses.MemberOut)

    async def account(self, account_number: str) -> responses.AccountSummary:
        return await self._call("GET", f"/accounts/{account_number}", responses.AccountSummary)

    async def statements(self, account_number: str) -> list[responses.StatementOut]:
        return await self._call("GET", f"/accounts/{account_number}/statements", list[responses.StatementOut])

    async def set_paperless(self, account_number: str, enabled: bool) -> responses.AccountSummary:
        return await self._call(
            "PUT",
            f"/accounts/{account_number}/paperless",
            responses.AccountSummary,
            json={"enabled": enabled},
        )

    # --- payment methods and payments -------------------------------------------------

    async def payment_methods(self, member_number: str) -> list[responses.PaymentMethodOut]:
        return await self._call(
            "GET", f"/members/{member_number}/payment-methods", list[responses.PaymentMethodOut]
        )

    async def payment_link(
        self, member_number: str, account_number: str | None = None
    ) -> responses.PaymentLinkOut:
        return await self._call(
            "POST",
            f"/members/{member_number}/payment-links",
            responses.PaymentLinkOut,
            json={"account_number": account_number} if account_number else {},
        )

    async def pay(
        self, *, account_number: str, payment_method_id: int, amount_cents: int, idempotency_key: str
    ) -> responses.PaymentOut:
        return await self._call(
            "POST",
            "/payments",
            responses.PaymentOut,
            json={
                "account_number": account_number,
                "payment_method_id": payment_method_id,
                "amount_cents": amount_cents,
            },
            headers={"Idempotency-Key": idempotency_key},
        )

    async def payments(self, account_number: str) -> list[responses.PaymentOut]:
        return await self._call("GET", f"/accounts/{account_number}/payments", list[responses.PaymentOut])

    async def receipt(self, account_number: str, confirmation_number: str) -> responses.ReceiptOut:
        return await self._call(
            "GET", f"/accounts/{account_number}/payments/{confirmation_number}", responses.ReceiptOut
        )

    # --- autopay and plans -------------------------------------------------------------

    async def autopay(self, account_number: str) -> responses.AutopayOut | None:
        try:
            return await self._call("GET", f"/accounts/{account_number}/autopay", responses.AutopayOut)
        except BillingRefused as refused:
            if refused.reason == "no_autopay":
                return None
            raise

    async def set_autopay(
        self,
        account_number: str,
        *,
        payment_method_id: int,
        day_of_month: int,
        amount_rule: str,
        fixed_amount_cents: int | None = None,
    ) -> responses.AutopayOut:
        body = {
            "payment_method_id": payment_method_id,
            "day_of_month": day_of_month,
            "amount_rule": amount_rule,
        }
        if amount_rule == "fixed":
            body["fixed_amount_cents"] = fixed_amount_cents
        return await self._call("PUT", f"/accounts/{account_number}/autopay", responses.AutopayOut, json=body)

    async def cancel_autopay(self, account_number: str) -> responses.AutopayOut:
        return await self._call("DELETE", f"/accounts/{account_number}/autopay", responses.AutopayOut)

    async def plan_eligibility(self, account_number: str) -> responses.PlanEligibilityOut:
        return await self._call(
            "GET", f"/accounts/{account_number}/payment-plan-eligibility", responses.PlanEligibilityOut
        )

    async def create_plan(self, account_number: str, months: int) -> responses.PlanOut:
        return await self._call(
            "POST", f"/accounts/{account_number}/payment-plans", responses.PlanOut, json={"months": months}
        )

    # --- financial assistance, guest, cases ----------------------------------------------

    async def assistance_prescreen(
        self, *, household_size: int, annual_income_cents: int
    ) -> responses.AssistancePrescreenOut:
        body = {"household_size": household_size, "annual_income_cents": annual_income_cents}
        return await self._call("POST", "/assistance/prescreen", responses.AssistancePrescreenOut, json=body)

    async def guest_lookup(
        self,
        account_number: str,
        last_name: str | None = None,
        *,
        date_of_birth: str | None = None,
        client_id: str | None = None,
    ) -> responses.GuestAmountOut:
        return await self._call(
            "POST",
            "/guest/lookup",
            responses.GuestAmountOut,
            json=_guest_body(account_number, last_name, date_of_birth),
            headers=_client_header(client_id),
        )

    async def guest_link(
        self,
        account_number: str,
        last_name: str | None = None,
        *,
        date_of_birth: str | None = None,
        client_id: str | None = None,
    ) -> responses.PaymentLinkOut:
        return await self._call(
            "POST",
            "/guest/payment-links",
            responses.PaymentLinkOut,
            json=_guest_body(account_number, last_name, date_of_birth),
            headers=_client_header(client_id),
        )

    async def handoff(
        self, *, conversation_id: str, reason: str, summary: str, member_number: str | None = None
    ) -> responses.CaseOut:
        body = {"conversation_id": conversation_id, "reason": reason, "summary": summary[:2000]}
        if member_number:
            body["member_number"] = member_number
        return await self._call("POST", "/handoffs", responses.CaseOut, json=body)

    async def handoffs(self, status: str | None = None) -> list[responses.CaseOut]:
        return await self._call(
            "GET", "/handoffs", list[responses.CaseOut], params={"status": status} if status else {}
        )

    async def close_handoff(self, case_id: int) -> responses.CaseOut:
        return await self._call("POST", f"/handoffs/{case_id}/close", responses.CaseOut)

    async def dispute(
        self, account_number: str, *, statement_line_id: int, reason: str, conversation_id: str
    ) -> responses.CaseOut:
        return await self._call(
            "POST",
            f"/accounts/{account_number}/disputes",
            responses.CaseOut,
            json={
                "statement_line_id": statement_line_id,
                "reason": reason[:2000],
                "conversation_id": conversation_id,
            },
        )

    async def request_extension(self, account_number: str, *, conversation_id: str) -> responses.CaseOut:
        return await self._call(
            "POST",
            f"/accounts/{account_number}/due-date-extensions",
            responses.CaseOut,
            json={"conversation_id": conversation_id},
        )

    # --- transport --------------------------------------------------------------------

    async def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """The response, after the retries the module's docstring allows."""
        read = method == "GET"
        pauses = iter(READ_RETRY_PAUSES if read else READ_RETRY_PAUSES[:1])
        while True:
            try:
                response = await self._http.request(method, path, **kwargs)
            except httpx.HTTPError as error:
                pause = next(pauses, None) if read or isinstance(error, NEVER_SENT) else None
                if pause is None:
                    raise BillingUnavailable(f"{method} {path}: {error.__class__.__name__}") from error
                await asyncio.sleep(pause)
                continue
            if read and response.status_code in RETRIED_STATUSES:
                pause = next(pauses, None)
                if pause is not None:
                    await asyncio.sleep(_retry_pause(response, pause))
                    continue
            return response

    async def _call(self, method: str, path: str, model: type[T], **kwargs: Any) -> T:
        if self._extra_headers:
            kwargs["headers"] = {**self._extra_headers, **(kwargs.get("headers") or {})}
        response = await self._send(method, path, **kwargs)
        if response.status_code >= 500:
            raise BillingUnavailable(f"{method} {path}: HTTP {response.status_code}")
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = {}
            retry_after = response.headers.get("Retry-After")
            raise BillingRefused(
                response.status_code,
                body.get("reason", "http_error"),
                body.get("message", ""),
                int(retry_after) if retry_after and retry_after.isdigit() else None,
            )
        return _decode(model, response.json())


NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def _retry_pause(response: httpx.Response, default: float) -> float:
    after = response.headers.get("Retry-After", "")
    return min(float(after), MAX_RETRY_PAUSE) if after.isdigit() else default


def _timestamp(text: str) -> dt.datetime:
    # Python 3.10's fromisoformat does not read the "Z" the service may send for UTC.
    return dt.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)


_READ = dacite.Config(type_hooks={dt.date: dt.date.fromisoformat, dt.datetime: _timestamp})


def _decode(model: Any, body: Any) -> Any:
    """The service's JSON as the contract's types: a dataclass, or a list of them."""
    if getattr(model, "__origin__", None) is list:
        (item,) = model.__args__
        return [dacite.from_dict(item, entry, config=_READ) for entry in body]
    return dacite.from_dict(model, body, config=_READ)


def _client_header(client_id: str | None) -> dict:
    return {CLIENT_HEADER: client_id} if client_id else {}


def _guest_body(account_number: str, last_name: str | None, date_of_birth: str | None) -> dict[str, str]:
    """A guest payer proves the bill with the patient's last name or date of birth (the service takes one)."""
    check = {"date_of_birth": date_of_birth} if date_of_birth else {"last_name": last_name or ""}
    return {"account_number": account_number} | check
