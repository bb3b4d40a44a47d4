"""No user text in any log line, at any level: Rasa's own warnings and error reports included.

`install()` (called by serving/cli.py, before Rasa starts) sets up three things:

1. Every message that reaches Rasa, from any channel, is remembered for a while: the text and
   every text in its metadata (`rasa.core.channels.channel.UserMessage`, the last
   RECENT_MESSAGES messages, texts of at least MIN_CHARS characters).
2. `UserTextFilter`, a logging filter, masks in every log record:
   - those texts, also as they appear escaped in JSON or in a Python repr;
   - in Rasa's structured (JSON) log lines, the values of the keys that carry message
     content (`text`, `user_text`, `metadata`, `parse_data`, slot values, ...), and the local
     variables Rasa adds to the frames of a traceback;
   - Rasa's "Failed to parse arguments in line '...'" warnings, which quote the message.
   It runs on every record as it is created (logging's record factory), so no handler sees an
   unmasked record: not Rasa's, not coloredlogs', not Sanic's, not one added later.
3. Python warnings are logged (`logging.captureWarnings`), so they pass the filter too.

Rasa's structured log lines are always JSON here (FORCE_JSON_LOGGING, set by serving/cli.py):
its console renderer for terminals prints values, and tracebacks with local variables, in a
form that cannot be masked reliably.
"""
from __future__ import annotations

import json
import logging
import re
import threading
import traceback
from collections import OrderedDict
from typing import Any, Iterable, List

MASK = "[tekst verborgen]"
RECENT_MESSAGES = 300
MIN_CHARS = 4
# keys of Rasa's structured log events that carry what the user sent (rasa/utils/log_utils.py
# lists most of them for Rasa Pro's anonymisation), and what this project adds
CONTENT_KEYS = {
    "text", "user_text", "message", "messages", "metadata", "parse_data", "parse_data_text",
    "parse_data_entities", "slot_values", "values", "value", "tracker_latest_message",
    "user_message", "json_message", "response_text", "rasa_event", "rasa_events",
    "prediction_events", "tracker_states", "current_states", "old_states", "states",
    "entity", "entities", "token_text", "prefilled_slots", "slot_candidates", "successes",
    "current_entity", "next_entity", "events", "tracker", "body", "data", "latest_message",
}
ANSI = re.compile(r"\x1b\[[0-9;]*m")
UNPARSED_SHORTCUT = re.compile(r"Failed to parse arguments in line '[^\x1b]*")
UNPARSED_SHORTCUT_SUMMARY = (
    "Failed to parse arguments in line '[tekst verborgen]': a message started with '/' but "
    "is no intent shortcut of this bot; it is handled as ordinary text."
)


class RecentTexts:
    """What users sent lately, in the forms it can take in a log line."""

    def __init__(self, size: int = RECENT_MESSAGES) -> None:
        self._forms: "OrderedDict[str, List[str]]" = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def add(self, text: Any) -> None:
        if not isinstance(text, str) or len(text.strip()) < MIN_CHARS:
            return
        forms = {text, text.strip(), json.dumps(text)[1:-1],
                 json.dumps(text, ensure_ascii=False)[1:-1], repr(text)[1:-1]}
        with self._lock:
            self._forms[text] = sorted(forms, key=len, reverse=True)
            self._forms.move_to_end(text)
            while len(self._forms) > self._size:
                self._forms.popitem(last=False)

    def add_values(self, value: Any) -> None:
        """Every text in a value (metadata): strings, dict keys and values, list items."""
        for text in _texts_in(value):
            self.add(text)

    def mask(self, line: str) -> str:
        with self._lock:
            groups = list(self._forms.values())
        for forms in groups:
            for form in forms:
                if form and form in line:
                    line = line.replace(form, MASK)
        return line


def _texts_in(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts_in(key)
            yield from _texts_in(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _texts_in(item)


RECENT = RecentTexts()


def _mask_structure(value: Any, key: Any = None) -> Any:
    """A structured log event with message content masked and traceback locals dropped."""
    if key in CONTENT_KEYS and value not in (None, "", [], {}) and not isinstance(value, bool):
        return MASK
    if isinstance(value, dict):
        return {k: _mask_structure(v, k) for k, v in value.items() if k != "locals"}
    if isinstance(value, list):
        return [_mask_structure(item) for item in value]
    if isinstance(value, str):
        return RECENT.mask(value)
    return value


def mask_line(line: str) -> str:
    """A log line with user text masked."""
    stripped = line.lstrip()
    if stripped.startswith("{"):
        try:
            event = json.loads(stripped)
        except ValueError:
            event = None
        if isinstance(event, dict):
            line = json.dumps(_mask_structure(event), ensure_ascii=False)
    line = UNPARSED_SHORTCUT.sub(UNPARSED_SHORTCUT_SUMMARY, line)
    return RECENT.mask(line)


class UserTextFilter(logging.Filter):
    """Masks user text in a log record: its message, its traceback and its stack."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed log call: keep what it said, unformatted
            message = str(record.msg)
        if record.name == "py.warnings":  # Rasa colours its warnings for a terminal
            message = ANSI.sub("", message).strip()
        record.msg, record.args = mask_line(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        if record.exc_text:
            record.exc_text = mask_line(record.exc_text)
        record.exc_info = None
        if record.stack_info:
            record.stack_info = mask_line(record.stack_info)
        return True


_installed = False


def install() -> None:
    """Mask user text in every log record from now on (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    user_text_filter = UserTextFilter()
    make_record = logging.getLogRecordFactory()

    def masked_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        user_text_filter.filter(record)
        return record

    logging.setLogRecordFactory(masked_record)
    logging.captureWarnings(True)
    _remember_user_messages()


def _remember_user_messages() -> None:
    from rasa.core.channels import channel

    original_init = channel.UserMessage.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        RECENT.add(self.text)
        RECENT.add_values(self.metadata)

    channel.UserMessage.__init__ = init
