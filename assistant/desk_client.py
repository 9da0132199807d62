"""Asks the agent desk whether anyone is at it (GET /availability with DESK_API_TOKEN).

DESK_URL, else the desk `make run` starts on DESK_PORT (8090). A member is waiting for the answer, so the
timeout is short (DESK_TIMEOUT_SECONDS, 2), and any failure reads as "nobody there": the member then gets
the phone line rather than a wait nobody will end.
"""

from __future__ import annotations

import logging
import os

import httpx

logger = logging.getLogger(__name__)


class DeskClient:
    def __init__(
        self,
        base_url: str,
        *,
        api_token: str = "",
        timeout: float = 2.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ):
        self._http = httpx.AsyncClient(
            base_url=base_url,
            headers={"Authorization": f"Bearer {api_token}"} if api_token else {},
            timeout=httpx.Timeout(timeout),
            transport=transport,
        )

    @classmethod
    def from_env(cls) -> DeskClient:
        default = f"http://127.0.0.1:{os.environ.get('DESK_PORT', '8090')}"
        return cls(
            os.environ.get("DESK_URL", default),
            api_token=os.environ.get("DESK_API_TOKEN", ""),
            timeout=float(os.environ.get("DESK_TIMEOUT_SECONDS", "2")),
        )

    async def agents_available(self) -> int:
        """How many agents had the desk open lately; 0 when the desk cannot say."""
        try:
            response = await self._http.get("/availability")
            response.raise_for_status()
            count = response.json()["agents_available"]
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as error:
            logger.warning("agent desk availability unknown: %s", error.__class__.__name__)
            return 0
        return count if isinstance(count, int) and count > 0 else 0

    async def aclose(self) -> None:
        await self._http.aclose()


_client: DeskClient | None = None


def desk() -> DeskClient:
    """The action server's one desk client, made on first use (never at import)."""
    global _client
    if _client is None:
        _client = DeskClient.from_env()
    return _client


def use_desk_client(client: DeskClient | None) -> None:
    """Points the actions at another desk (tests)."""
    global _client
    _client = client
