"""Check the action server's replies with a JSON-schema validator built once, not per call.

Rasa 3.6 checks every reply of the action server with `jsonschema.validate(result, schema)`.
That function first checks the (large) events schema itself against the JSON Schema
metaschema, on every call: measured here, 19.2 ms of the Rasa server's CPU per custom action
against 0.74 ms with a validator built once; under load it made the server CPU-bound at about
57 messages per second (`make bench`, README "Performance").

The events schema is a `oneOf` over 23 event types told apart by `event: {const: ...}`;
jsonschema tries every one of them, with full error lists, for every event (about 0.27 ms per
event, 1.1 ms for an ordinary reply of four slot events). Since an event can match only the
alternative whose constant equals its `event` name, checking the base schema plus that one
alternative gives the same answer: `EventDispatchValidator` does so (0.25 ms for the same
reply), and falls back to the full validator if a Rasa version's schema is not of that shape.

`install()` keeps the check and its result: a valid reply is accepted, an invalid one goes
through Rasa's own check, which raises its usual ValidationError with its usual message. It
is installed when this package is imported, which the Rasa server does as it loads the
model's custom components (config.yml), and only there.
"""
from __future__ import annotations

import functools
from typing import Any, Dict, Text

import jsonschema
from rasa.core.actions.action import RemoteAction

_original = RemoteAction._validate_action_result


class EventDispatchValidator:
    """Rasa's action-response schema, each event checked against its own type's schema only."""

    def __init__(self, schema: Dict[Text, Any], validator_class: Any) -> None:
        item = schema["properties"]["events"]["items"]
        base = {key: value for key, value in item.items() if key != "oneOf"}
        self.outer = validator_class({**schema, "properties": {
            **schema["properties"], "events": {**schema["properties"]["events"], "items": {}}}})
        self.per_event = {alternative["properties"]["event"]["const"]:
                          validator_class({"allOf": [base, alternative]})
                          for alternative in item["oneOf"]}
        if len(self.per_event) != len(item["oneOf"]):
            raise ValueError("two event types share a name")

    def is_valid(self, result: Any) -> bool:
        if not self.outer.is_valid(result):
            return False
        for event in (result.get("events") or []) if isinstance(result, dict) else []:
            name = event.get("event") if isinstance(event, dict) else None
            if not isinstance(name, str) or name not in self.per_event:
                return False  # the full check decides (and raises if it is invalid)
            if not self.per_event[name].is_valid(event):
                return False
        return True


@functools.lru_cache(maxsize=1)
def response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)  # what jsonschema.validate does on every call
    try:
        return EventDispatchValidator(schema, validator_class)
    except (KeyError, TypeError, ValueError):  # a schema of another shape: check it whole
        return validator_class(schema)


def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    if response_validator().is_valid(result):
        return True
    return _original(self, result)  # raises with Rasa's own message


def install() -> None:
    RemoteAction._validate_action_result = _validate_action_result
