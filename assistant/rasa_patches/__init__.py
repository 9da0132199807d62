"""The changes this project makes to Rasa's own code at run time, each in its own module.

`install()` is called once by `assistant/rasa_server.py` before the server starts; each patch checks that
the Rasa code it replaces is still there and raises otherwise, so a Rasa upgrade fails at start-up (and in
tests/rasa_patches/) instead of silently running without it.
"""

from __future__ import annotations


def install() -> None:
    from . import action_response_validation

    action_response_validation.install()
