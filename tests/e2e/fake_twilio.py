"""A stand-in for Twilio's Messaging API (POST /2010-04-01/Accounts/{sid}/Messages.json), for the SMS
channel's pushed messages (TWILIO_API_BASE_URL): it checks the account SID and auth token as Twilio does
(basic auth), records each message and answers as Twilio does (201 with a message sid), so a test can
see what a member's phone would have received."""

from __future__ import annotations

import base64
import dataclasses
import json
import re
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

MESSAGES_PATH = re.compile(r"^/2010-04-01/Accounts/(?P<account>AC\w+)/Messages\.json$")


@dataclasses.dataclass(frozen=True)
class Text:
    to: str
    from_: str
    body: str
    sid: str


class FakeTwilio:
    def __init__(self, account_sid: str, auth_token: str):
        self.account_sid = account_sid
        self.auth_token = auth_token
        self._texts: list[Text] = []
        self._lock = threading.Lock()
        self.url = ""

    def texts_to(self, phone: str) -> list[Text]:
        with self._lock:
            return [text for text in self._texts if text.to == phone]

    def wait_for_text_to(self, phone: str, count: int = 1, timeout: float = 30) -> list[Text]:
        """The first `count` texts sent to `phone`, waiting for them to arrive."""
        deadline = time.monotonic() + timeout
        while len(self.texts_to(phone)) < count and time.monotonic() < deadline:
            time.sleep(0.2)
        received = self.texts_to(phone)
        assert len(received) >= count, f"{len(received)} text(s) to {phone}, expected {count}"
        return received[:count]

    def _authorised(self, header: str, account: str) -> bool:
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        return header == f"Basic {expected}" and account == self.account_sid

    def answer(self, path: str, authorization: str, form: dict[str, str]) -> tuple[int, dict]:
        """Twilio's status and JSON body for a request (errors in Twilio's shape: code, message, status)."""
        match = MESSAGES_PATH.match(path)
        if match is None:
            return 404, {"code": 20404, "message": "The requested resource was not found", "status": 404}
        if not self._authorised(authorization, match["account"]):
            return 401, {"code": 20003, "message": "Authenticate", "status": 401}
        missing = [name for name in ("To", "From", "Body") if not form.get(name)]
        if missing:
            return 400, {"code": 21604, "message": f"A '{missing[0]}' is required.", "status": 400}
        text = Text(to=form["To"], from_=form["From"], body=form["Body"], sid="SM" + uuid.uuid4().hex)
        with self._lock:
            self._texts.append(text)
        return 201, {
            "sid": text.sid,
            "account_sid": self.account_sid,
            "to": text.to,
            "from": text.from_,
            "body": text.body,
            "status": "queued",
            "direction": "outbound-api",
            "num_segments": "1",
            "uri": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{text.sid}.json",
        }


def _handler(twilio: FakeTwilio) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # http.server's name for it
            length = int(self.headers.get("Content-Length") or 0)
            form = dict(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
            status, body = twilio.answer(self.path, self.headers.get("Authorization", ""), form)
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:
            pass  # the tests read the recorded texts, not a request log

    return Handler


@contextmanager
def serving_fake_twilio(account_sid: str, auth_token: str, port: int) -> Iterator[FakeTwilio]:
    """The fake on 127.0.0.1:`port` in a thread of the test process, for as long as the block runs."""
    twilio = FakeTwilio(account_sid, auth_token)
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(twilio))
    twilio.url = f"http://127.0.0.1:{port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield twilio
    finally:
        server.shutdown()
        server.server_close()
