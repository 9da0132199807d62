"""SMS through Twilio, at /webhooks/twilio_sms/webhook.

- Every request must carry a valid X-Twilio-Signature for TWILIO_WEBHOOK_URL (403 otherwise; with no
  TWILIO_AUTH_TOKEN configured, every request is refused).
- A retried delivery (same MessageSid) is answered once.
- Replies go back as TwiML in the webhook response: no outbound API call, nothing to retry, and the
  async handler never blocks the server. Messages pushed later (agents, the HTTP API) go out through
  the Messaging API with retries (at TWILIO_API_BASE_URL, Twilio's own by default), and never to a
  number that opted out: such a push raises NotDelivered, so the caller (the agent desk, through Rasa's
  HTTP API) learns the text did not go out.
- STOP/STOPALL/UNSUBSCRIBE/CANCEL/END/QUIT opt out (one confirmation, then silence), START/UNSTOP opt
  back in, HELP always answers with the program, the help line and how to stop.
- The conversation id is a keyed hash of the number (SMS_ID_SECRET), never the number itself nor an
  unkeyed hash of it: without SMS_ID_SECRET every message is refused (503).
- The text is masked (billing_contract.redaction.mask) before the message is handled, so Rasa, the
  actions, logs and cases never see a card, bank or social security number typed in a text.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import os
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl

import backoff
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator
from twilio.rest import Client
from twilio.twiml.messaging_response import MessagingResponse

from assistant.domain_files import DOMAIN_DIR, load_domain
from billing_contract.redaction import mask

from .sms_store import SmsStore
from .sms_text import render

log = logging.getLogger(__name__)
STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"}
START_WORDS = {"START", "UNSTOP"}
HELP_WORDS = {"HELP"}
TWILIO_API = "https://api.twilio.com"


class NotDelivered(Exception):
    """A pushed message was not texted. Rasa's HTTP API answers 500 with this text in its message, which
    is how the agent desk tells the agent: keep the "Not delivered by SMS" prefix (services/desk)."""

    def __init__(self, reason: str):
        super().__init__(f"Not delivered by SMS: {reason}")


def conversation_id_for(phone: str, secret: str) -> str:
    if not secret:
        raise ValueError("SMS_ID_SECRET is needed: an unkeyed hash of a phone number is easy to reverse")
    return "sms-" + hmac.new(secret.encode(), phone.encode(), hashlib.sha256).hexdigest()[:32]


def sms_responses(domain_path: str) -> dict[str, str]:
    """The channel's own messages come from the domain, like every other fact the bot says."""
    responses = load_domain(domain_path)["responses"]
    return {
        name: variants[0]["text"] for name, variants in responses.items() if name.startswith("utter_sms_")
    }


def twiml(texts: Iterable[str]) -> response.HTTPResponse:
    reply = MessagingResponse()
    for text in texts:
        reply.message(text)
    return response.text(str(reply), content_type="application/xml")


def _client_error(error: Exception) -> bool:
    """A 4xx from Twilio will not get better by retrying."""
    status = getattr(error, "status", None)
    return status is not None and status < 500


class TwilioSmsOutput(OutputChannel):
    """Messages pushed outside a webhook request: sent with the Messaging API, never to opted-out numbers."""

    @classmethod
    def name(cls) -> str:
        return "twilio_sms"

    def __init__(self, store: SmsStore, client: Client | None, from_number: str, responses: dict[str, str]):
        self.store = store
        self.client = client
        self.from_number = from_number
        self.responses = responses

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._send(recipient_id, [{"text": text}])

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self._send(recipient_id, [{"text": text, "buttons": buttons}])

    async def _send(self, recipient_id: str, messages: list[dict[str, Any]]) -> None:
        phone = self.store.number_of(recipient_id)
        if phone is None:
            raise NotDelivered("no phone number is known for this conversation.")
        if self.store.opted_out(recipient_id):
            log.info("not texting %s: opted out", recipient_id)
            raise NotDelivered("the member opted out of texts (they sent STOP).")
        if self.client is None:
            raise NotDelivered("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are not set on the assistant.")
        texts, payloads = render(messages, self.responses["utter_sms_choose_hint"])
        if payloads:
            self.store.save_menu(recipient_id, payloads)
        for sent, text in enumerate(texts):
            try:
                await asyncio.to_thread(self._create, self.client, phone, text)
            except TwilioRestException as error:
                refused = f"Twilio refused the text ({error.status}, code {error.code})"
                if sent:  # the member has the first part: sending it all again would repeat it
                    refused = f"only the first {sent} of {len(texts)} texts reached the member; {refused}"
                raise NotDelivered(f"{refused}.") from error

    @backoff.on_exception(
        backoff.expo,
        TwilioRestException,
        max_tries=4,
        giveup=_client_error,
    )
    def _create(self, client: Client, phone: str, text: str) -> None:
        client.messages.create(to=phone, from_=self.from_number, body=text)


class TwilioSmsInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "twilio_sms"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls()

    def __init__(self, store: SmsStore | None = None):
        self.auth_token = os.environ.get("TWILIO_AUTH_TOKEN", "")
        self.webhook_url = os.environ.get("TWILIO_WEBHOOK_URL", "")
        self.account_sid = os.environ.get("TWILIO_ACCOUNT_SID", "")
        self.from_number = os.environ.get("TWILIO_FROM_NUMBER", "")
        self.api_base_url = os.environ.get("TWILIO_API_BASE_URL") or TWILIO_API
        self.id_secret = os.environ.get("SMS_ID_SECRET", "")
        if not self.id_secret:
            log.error("SMS_ID_SECRET is not set: the SMS channel refuses every message until it is")
        self.responses = sms_responses(os.environ.get("DOMAIN_PATH", str(DOMAIN_DIR)))
        self.store = store or SmsStore()

    def get_output_channel(self) -> OutputChannel:
        client = None
        if self.account_sid and self.auth_token:
            client = Client(self.account_sid, self.auth_token)
            # The Messaging API's domain takes its address from base_url (a stand-in in the e2e tests).
            client.api.base_url = self.api_base_url
        return TwilioSmsOutput(self.store, client, self.from_number, self.responses)

    def _signed(self, request: Request, params: dict[str, str]) -> bool:
        signature = request.headers.get("X-Twilio-Signature", "")
        if not (self.auth_token and self.webhook_url and signature):
            return False
        return RequestValidator(self.auth_token).validate(self.webhook_url, params, signature)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hook = Blueprint("twilio_sms_webhook", __name__)

        @hook.route("/", methods=["GET"])
        async def health(_request: Request) -> response.HTTPResponse:
            return response.json({"status": "ok"})

        @hook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> response.HTTPResponse:
            # Parsed here: Sanic's form drops blank fields, and Twilio signs them too (an empty Body).
            params = dict(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
            if not self._signed(request, params):
                return response.text("Forbidden", status=403)
            if not self.id_secret:
                return response.json(
                    {"reason": "sms_not_configured", "message": "SMS_ID_SECRET is not set on the assistant."},
                    status=503,
                )
            phone, sid = params.get("From", ""), params.get("MessageSid", "")
            if not phone or not sid:
                return response.text("Missing From or MessageSid", status=400)
            if not self.store.first_delivery(sid):
                return twiml([])
            conversation = conversation_id_for(phone, self.id_secret)
            self.store.remember_number(conversation, phone)
            return twiml(await self._answer(conversation, (params.get("Body") or "").strip(), on_new_message))

        return hook

    async def _answer(
        self, conversation: str, body: str, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> list[str]:
        keyword = body.upper()
        if keyword in STOP_WORDS:
            already = self.store.opted_out(conversation)
            self.store.set_opted_out(conversation, True)
            return [] if already else [self.responses["utter_sms_stopped"]]
        if keyword in START_WORDS:
            self.store.set_opted_out(conversation, False)
            return [self.responses["utter_sms_started"]]
        if keyword in HELP_WORDS:  # asked for by the member, so answered even after STOP (as carriers expect)
            return [self.responses["utter_sms_help"]]
        if self.store.opted_out(conversation):
            return []
        if not body:
            return [self.responses["utter_sms_media_only"]]
        menu = self.store.menu(conversation)
        if body.isdigit() and 1 <= int(body) <= len(menu):
            body = menu[int(body) - 1]
        collector = CollectingOutputChannel()
        body = mask(body)[:1600]
        log.info(
            "sms from %s (%d characters)", conversation, len(body)
        )  # what members type stays out of logs
        await on_new_message(UserMessage(body, collector, conversation, input_channel=self.name()))
        texts, payloads = render(
            [_as_message(m) for m in collector.messages], self.responses["utter_sms_choose_hint"]
        )
        self.store.save_menu(conversation, payloads)
        return texts


def _as_message(collected: dict) -> dict:
    return {
        "text": collected.get("text"),
        "buttons": collected.get("buttons"),
        "image": collected.get("image"),
    }
