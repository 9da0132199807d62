"""The REST channel (/webhooks/rest/webhook): Rasa's RestInput, for tests, integrations and `make shell`,
with three guards:
- the text is masked (billing_contract.redaction.mask) before the message is handled;
- nothing the client puts in `metadata` (or `input_channel`) is passed on: a REST caller cannot hand the
  assistant a member token or pose as another channel;
- website (`web-...`) and SMS (`sms-...`) conversation ids are refused (403), so a leaked id cannot be
  continued over REST; a body that is not {"sender": str, "message": str} is a 400.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request

from billing_contract.redaction import mask

RESERVED_PREFIXES = ("web-", "sms-")  # conversation ids of the website and SMS channels
SENDER_LIMIT = 128
MESSAGE_LIMIT = 2000


def refusal(request: Request) -> response.HTTPResponse | None:
    """Why this webhook request must not be handled, as the JSON answer; None when it may be."""
    try:
        body = request.json
    except Exception:  # Sanic raises its own error for malformed JSON
        body = None
    if not isinstance(body, dict):
        return _error(400, "invalid_body", 'Send a JSON object: {"sender": "...", "message": "..."}.')
    sender, message = body.get("sender"), body.get("message")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > SENDER_LIMIT:
        return _error(
            400, "invalid_sender", f"sender must be a non-empty string of at most {SENDER_LIMIT} characters."
        )
    if not isinstance(message, str):
        return _error(400, "invalid_message", "message must be a string.")
    if sender.strip().lower().startswith(RESERVED_PREFIXES):
        return _error(
            403,
            "reserved_sender_id",
            "Website and SMS conversations cannot be continued over the REST channel.",
        )
    return None


def _error(status: int, reason: str, message: str) -> response.HTTPResponse:
    return response.json({"reason": reason, "message": message}, status=status)


class MaskingRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def _extract_message(self, req: Request) -> str | None:
        return mask(req.json["message"])[:MESSAGE_LIMIT]

    def _extract_input_channel(self, req: Request) -> str:
        return self.name()

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        return None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        webhook = super().blueprint(on_new_message)

        @webhook.middleware("request")
        async def guard(request: Request) -> response.HTTPResponse | None:
            if request.method == "POST" and request.path.rstrip("/").endswith("/webhook"):
                return refusal(request)
            return None

        return webhook
