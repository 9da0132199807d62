"""The action server: rasa_sdk's app for the `actions` package, callable only by the Rasa server.

Every call but /health must carry `Authorization: Bearer <ACTION_SERVER_TOKEN>` (Rasa sends it from
endpoints.yml) and a JSON body; anything else is a 401/415 with nothing run and nothing echoed. An action
that fails answers a bare 500: rasa_sdk's own handler would echo the whole tracker, and Rasa would log it.

    python -m assistant.action_server            # ACTIONS_HOST (127.0.0.1), ACTIONS_PORT (5055)
"""

from __future__ import annotations

import logging
import os
import secrets
import sys
import traceback

from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request

from .action_server_keep_alive import ACTION_SERVER_KEEP_ALIVE_SECONDS

log = logging.getLogger(__name__)
OPEN_PATHS = frozenset({"/health"})


def build_app(token: str, package: str = "actions") -> Sanic:
    if not token:
        raise ValueError("the action server needs ACTION_SERVER_TOKEN")
    # No CORS: browsers have no business calling the action server.
    app = create_app(package, cors_origins=None)
    # Longer than Rasa keeps an idle connection: Rasa drops it first (assistant/action_server_keep_alive.py).
    app.config.KEEP_ALIVE_TIMEOUT = ACTION_SERVER_KEEP_ALIVE_SECONDS
    expected = f"Bearer {token}".encode()

    @app.middleware("request")
    async def only_rasa(request: Request) -> response.HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        provided = request.headers.get("authorization", "").encode()
        if not secrets.compare_digest(provided, expected):
            return response.json({"error": "unauthorized"}, status=401)
        if (
            request.method == "POST"
            and request.headers.get("content-type", "").split(";")[0].strip() != "application/json"
        ):
            # Sanic would read a text/plain body as JSON: a web page could fire it without a CORS check.
            return response.json({"error": "a JSON body is required"}, status=415)
        return None

    async def failed(request: Request, exception: Exception) -> response.HTTPResponse:
        # Where it failed, not the exception's message: that can carry what the member typed.
        where = "".join(traceback.format_tb(exception.__traceback__))
        log.error("action call failed: %s\n%s", exception.__class__.__name__, where)
        return response.json({"error": "the action failed"}, status=500)

    app.error_handler.add(Exception, failed)
    return app


def main() -> int:
    logging.basicConfig(
        level=os.environ.get("LOG_LEVEL", "INFO"), format="%(asctime)s %(levelname)-8s %(name)s - %(message)s"
    )
    host = os.environ.get("ACTIONS_HOST", "127.0.0.1")
    port = int(os.environ.get("ACTIONS_PORT", "5055"))
    token = os.environ.get("ACTION_SERVER_TOKEN", "")
    if not token:
        print(
            "ACTION_SERVER_TOKEN is not set: the action server refuses to start without it "
            "(`make run` makes one under var/).",
            file=sys.stderr,
        )
        return 2
    if not os.environ.get("IDENTITY_TOKEN_SECRET"):
        print(
            "IDENTITY_TOKEN_SECRET is not set: the action server cannot sign verified identities.",
            file=sys.stderr,
        )
        return 2
    app = build_app(token)
    app.run(host=host, port=port, workers=1, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
