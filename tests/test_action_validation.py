"""The action server's replies are still validated, with a validator built once."""
from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

import components  # noqa: F401  (installs the fix, as the Rasa server does)
from components import action_validation


def test_the_fix_is_installed():
    assert RemoteAction._validate_action_result is action_validation._validate_action_result


def test_valid_reply_is_accepted():
    action = RemoteAction("action_answer_question", None)
    reply = {"events": [{"event": "slot", "name": "site", "value": "lever"}],
             "responses": [{"text": "Hallo"}]}
    assert action._validate_action_result(reply) is True


def test_invalid_reply_is_refused_with_rasas_message():
    action = RemoteAction("action_answer_question", None)
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server"):
        action._validate_action_result({"events": "not a list"})
