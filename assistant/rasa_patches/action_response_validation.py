"""Checks each action server response with one validator built at start-up, not one per call.

Rasa 3.6's `RemoteAction._validate_action_result` calls `jsonschema.validate(result, schema)` on every
custom action call, and `validate` checks the schema itself against its meta-schema before it looks at the
response: with Rasa's large events schema that was 71% of the Rasa process's CPU under load (issue 11).
The replacement keeps Rasa's behaviour: the same schema (`RemoteAction.action_response_format_spec()`),
the same validator class `jsonschema.validate` would pick, the same best-matching `ValidationError` with
Rasa's hint appended to its message.

Rasa's schema allows each event through `oneOf` some 23 event schemas, each naming its own `event` value:
checking one event meant checking it against all 23 (6.5% of the Rasa process's CPU under load, after the
re-check was gone). Since the names differ, an event can only ever match the schema that names it, so a
response is first checked the quick way: the response without the event alternatives, then each event
against the one schema its `event` names. Only a response that fails it goes through the whole schema,
for Rasa's own error.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction

# What `install` replaces; an upgrade that renames or reshapes it must stop the server, not be skipped.
PATCHED_ATTRIBUTE = "_validate_action_result"
EXPECTED_PARAMETERS = ["self", "result"]
# Rasa's own wording after the validation message (rasa/core/actions/action.py in 3.6).
HINT = (
    ". Failed to validate Action server response from API, make sure your response from the Action "
    "endpoint is valid. For more information about the format visit {docs}/custom-actions"
)


class RasaChangedError(RuntimeError):
    """The Rasa code this patch replaces is not where, or not what, it was written for."""


def build_check() -> Callable[[Any, dict[str, Any]], bool]:
    """A drop-in `_validate_action_result` holding one validator for Rasa's response schema."""
    from rasa.shared.constants import DOCS_BASE_URL

    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)  # once, here: the per-call cost this patch removes
    validator = validator_class(schema)
    is_valid = quick_check(schema, validator_class)
    hint = HINT.format(docs=DOCS_BASE_URL)

    def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
        if is_valid(result):
            return True
        error = exceptions.best_match(validator.iter_errors(result))
        if error is not None:
            error.message += hint
            raise error
        return True

    _validate_action_result.__qualname__ = f"RemoteAction.{PATCHED_ATTRIBUTE}"
    return _validate_action_result


def quick_check(schema: dict[str, Any], validator_class: Any) -> Callable[[Any], bool]:
    """Accepts exactly what `schema` accepts, checking each event against only the schema its name picks."""
    event_schema = schema["properties"]["events"]["items"]
    by_name = {}
    for alternative in event_schema["oneOf"]:
        name = alternative.get("properties", {}).get("event", {}).get("const")
        if name is None or name in by_name:
            raise RasaChangedError(
                f"an event schema without a name of its own ({name!r}): the quick check cannot pick one; "
                "update or drop the quick check in assistant/rasa_patches/action_response_validation.py"
            )
        by_name[name] = validator_class(alternative)
    without_alternatives = {key: value for key, value in event_schema.items() if key != "oneOf"}
    envelope = validator_class(
        {
            **schema,
            "properties": {
                **schema["properties"],
                "events": {**schema["properties"]["events"], "items": without_alternatives},
            },
        }
    )

    def is_valid(result: Any) -> bool:
        if not envelope.is_valid(result):
            return False
        # The envelope made sure: an object, any events a list of objects each with a string `event`.
        for event in result.get("events") or ():
            alternative = by_name.get(event["event"])
            if alternative is None or not alternative.is_valid(event):
                return False
        return True

    return is_valid


def install(target: type = RemoteAction) -> None:
    """Replaces `RemoteAction._validate_action_result`; raises RasaChangedError when it is not there."""
    current = target.__dict__.get(PATCHED_ATTRIBUTE)
    if getattr(current, "_prebuilt_validator", False):
        return
    if not callable(current) or list(inspect.signature(current).parameters) != EXPECTED_PARAMETERS:
        raise RasaChangedError(
            f"{target.__module__}.{target.__qualname__}.{PATCHED_ATTRIBUTE}(self, result) is gone or "
            "changed: "
            "check whether Rasa still re-checks the schema per call, then update or drop "
            "assistant/rasa_patches/action_response_validation.py"
        )
    check = build_check()
    check._prebuilt_validator = True  # type: ignore[attr-defined]
    setattr(target, PATCHED_ATTRIBUTE, check)
