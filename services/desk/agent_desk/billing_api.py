"""The billing service's handoff cases, the queue's source of truth (BILLING_URL, BILLING_API_TOKEN)."""

from __future__ import annotations

import datetime as dt

import httpx
from pydantic import BaseModel

TIMEOUT = httpx.Timeout(5.0)


class BillingUnreachable(Exception):
    """The billing service did not answer or answered with an error."""


class HandoffCase(BaseModel):
    id: int
    status: str
    reason: str
    summary: str
    conversation_id: str | None = None
    member_number: str | None = None
    created_at: dt.datetime


class BillingCases:
    def __init__(self, base_url: str, token: str, transport: httpx.AsyncBaseTransport | None = None):
        self.base_url = base_url.rstrip("/")
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.transport = transport

    def _client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=self.base_url, headers=self.headers, timeout=TIMEOUT, transport=self.transport
        )

    async def open_handoffs(self) -> list[HandoffCase]:
        async with self._client() as client:
            try:
                answer = await client.get("/handoffs", params={"status": "open"})
                answer.raise_for_status()
            except httpx.HTTPError as error:
                raise BillingUnreachable(str(error)) from error
        return [HandoffCase.model_validate(case) for case in answer.json()]

    async def close_handoff(self, case_id: int) -> None:
        async with self._client() as client:
            try:
                answer = await client.post(f"/handoffs/{case_id}/close")
                answer.raise_for_status()
            except httpx.HTTPError as error:
                raise BillingUnreachable(str(error)) from error
