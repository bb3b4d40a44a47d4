"""`rasa` with the action server's responses validated by a validator built once (experiment).

Rasa 3.6 checks every response of the action server with `jsonschema.validate(result,
schema)`, which first checks the (large) events schema itself against the JSON Schema
metaschema, on every call: about 18 of the 19 ms it spends per custom action on this machine.
This wrapper replaces that one check by an equivalent validator built once, then runs the
ordinary `rasa` command line. It exists only to measure what such a change would gain
(`python -m bench.bench --variants shipped,shipped-fastvalidate`); the project does not use it.

    python -m bench.fast_validation run --model ... (same arguments as `rasa`)
"""
from __future__ import annotations

import functools
import sys
from typing import Any, Dict, Text


def install() -> None:
    import jsonschema
    from rasa.core.actions.action import RemoteAction

    @functools.lru_cache(maxsize=1)
    def validator() -> Any:
        schema = RemoteAction.action_response_format_spec()
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        return cls(schema)

    original = RemoteAction._validate_action_result

    def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
        if not validator().is_valid(result):
            return original(self, result)  # the original raises with Rasa's own message
        return True

    RemoteAction._validate_action_result = validate_action_result


def main() -> None:
    install()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa"] + sys.argv[1:]
    rasa_main()


if __name__ == "__main__":
    main()
