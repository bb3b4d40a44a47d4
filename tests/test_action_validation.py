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


def events_to_check():
    """Valid and invalid events of every type the schema names, and replies that are no list."""
    good = [
        {"event": "slot", "name": "site", "value": "lever", "timestamp": None},
        {"event": "slot", "name": "cues", "value": ["pijn"], "metadata": {"a": 1}},
        {"event": "user", "text": "hoi", "parse_data": {"intent": {"name": "greet",
                                                                   "confidence": 0.9}}},
        {"event": "action", "name": "action_listen", "policy": None, "confidence": 1.0},
        {"event": "bot", "text": "Hallo", "data": {}}, {"event": "restart"},
        {"event": "reset_slots"}, {"event": "followup", "name": "utter_greet"},
        {"event": "active_loop", "name": None}, {"event": "entities", "entities": []},
        {"event": "session_started", "timestamp": 1.5},
    ]
    bad = [
        {"event": "slot", "name": 3, "value": "lever"}, {"event": "slot", "value": "lever"},
        {"event": "slot", "name": "site"}, {"event": "slot", "name": "s", "value": 1,
                                            "timestamp": "nu"},
        {"event": "slot", "name": "s", "value": 1, "metadata": []},
        {"event": "user", "parse_data": {"intent": {"confidence": "hoog"}}},
        {"event": "user", "parse_data": {"entities": [{"entity": "site"}]}},
        {"event": "action", "hide_rule_turn": "ja"}, {"event": "entities"},
        {"event": "entities", "entities": [{"value": 1}]},
        {"event": "nonsense"}, {"event": 5}, {"name": "site", "value": 1}, "slot", None, [],
    ]
    return good, bad


def test_the_fast_check_gives_the_full_schemas_answer_for_every_event_type():
    schema = RemoteAction.action_response_format_spec()
    full = jsonschema.validators.validator_for(schema)(schema)
    fast = action_validation.response_validator()
    assert isinstance(fast, action_validation.EventDispatchValidator)
    good, bad = events_to_check()
    replies = [{"events": [event]} for event in good + bad]
    replies += [{"events": good}, {"events": good + bad[:1]}, {"events": "slot"},
                {"events": None}, {}, {"responses": [{"text": "Hallo"}]}, {"responses": "x"},
                {"events": good[:2], "responses": [{"text": "Hallo", "buttons": []}]}, []]
    answers = [(fast.is_valid(reply), full.is_valid(reply)) for reply in replies]
    assert [a for a, _ in answers] == [b for _, b in answers]
    assert sum(valid for valid, _ in answers) >= len(good)  # both answers occur
    assert sum(not valid for valid, _ in answers) >= len(bad)
