"""How long an idle connection between the Rasa server and the action server stays open, on each side.

The rule: the client (Rasa) drops an idle connection well before the server (the action server) would, so
Rasa never sends a request on a connection the server is closing. Issue 11's "Cannot write to closing
transport" at 100 members was the server side of this: Sanic's keep-alive timeout (5 s by default) also
covers a new connection before its first request, and a Rasa process whose event loop lags seconds under
load wrote its request after the action server had already closed the connection.
"""

from __future__ import annotations

# The action server (Sanic's KEEP_ALIVE_TIMEOUT) closes a connection that has carried no request this long:
# longer than any lag measured in Rasa's event loop under load, between connecting and writing a request.
ACTION_SERVER_KEEP_ALIVE_SECONDS = 75

# Rasa's pooled client (assistant/rasa_patches/endpoint_connections.py) drops a connection idle this long.
RASA_IDLE_CONNECTION_SECONDS = 15
