"""What may be stored of what a user sent: every event redacted before it is written.

Used by the tracker store (serving/tracker_store.py) for every event, and by the channels
(channels/hardened.py) for metadata as it arrives.

- User text (the event's `text`, and `text`/`value` anywhere in its parse data: the message,
  entities, matched complaints and alarms) is redacted (serving/redaction.py), and only then
  cut when it is over MAX_MESSAGE_CHARS, so no half e-mail address or phone number survives
  the cut.
- Metadata (of the user event, in its parse data, of any other event, and the
  `session_started_metadata` slot) keeps only the keys the bot uses (METADATA_KEYS; none by
  default) plus Rasa's own `model_id` and `assistant_id`; what is kept is redacted.
- Other slots and entity events: every text in their values is redacted.
- Text the bot itself sent (bot events) is stored as it is.
"""
from __future__ import annotations

import json
from typing import Any, Dict, Iterable, Optional

from serving.redaction import NameRedactor, redact, redact_value

OVERLONG_KEPT_CHARS = 200
RASA_METADATA_KEYS = ("model_id", "assistant_id")  # set by Rasa itself, never by the user
SESSION_METADATA_SLOT = "session_started_metadata"
PARSE_DATA_TEXT_KEYS = {"text", "value"}


def metadata_size(metadata: Any) -> int:
    """Characters of the metadata as compact JSON (what the size limit counts)."""
    return len(json.dumps(metadata, ensure_ascii=False, separators=(",", ":"), default=str))


def keep_metadata(metadata: Any, keys: Iterable[str], names: Optional[NameRedactor] = None
                  ) -> Optional[Dict[str, Any]]:
    """Only the allowed keys of the metadata, their values redacted (None stays None)."""
    if metadata is None:
        return None
    if not isinstance(metadata, dict):
        return {}
    allowed = set(keys)
    return {
        key: value if key in RASA_METADATA_KEYS else redact_value(value, names)
        for key, value in metadata.items()
        if key in allowed or key in RASA_METADATA_KEYS
    }


class EventScrubber:
    """Redacts serialised Rasa events (`Event.as_dict()`)."""

    def __init__(self, max_message_chars: int, metadata_keys: Iterable[str],
                 names: Optional[NameRedactor] = None) -> None:
        self.max_message_chars = max_message_chars
        self.metadata_keys = tuple(metadata_keys)
        self.names = names

    def text(self, text: Any) -> Any:
        """A user text as it may be stored: redacted, then cut when overlong."""
        if not isinstance(text, str) or not text:
            return text
        if len(text) <= self.max_message_chars:
            return redact(text, self.names)
        # Redact far more than is kept, so that nothing is cut before it was redacted.
        kept = redact(text[: self.max_message_chars], self.names)[:OVERLONG_KEPT_CHARS]
        return f"{kept} [ingekort: {len(text)} tekens]"

    def metadata(self, metadata: Any) -> Any:
        return keep_metadata(metadata, self.metadata_keys, self.names)

    def parse_data(self, value: Any, key: Optional[str] = None) -> Any:
        if key == "metadata":
            return self.metadata(value)
        if isinstance(value, dict):
            return {k: self.parse_data(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.parse_data(item, key) for item in value]
        if isinstance(value, str) and key in PARSE_DATA_TEXT_KEYS:
            return self.text(value)
        return value

    def event(self, data: Dict[str, Any]) -> Dict[str, Any]:
        """A serialised event with every copy of what the user sent redacted."""
        kind = data.get("event")
        if kind == "bot":
            return data
        data = dict(data)
        if "metadata" in data:
            data["metadata"] = self.metadata(data["metadata"])
        if kind == "user":
            data["text"] = self.text(data.get("text"))
            if data.get("parse_data") is not None:
                data["parse_data"] = self.parse_data(data["parse_data"])
        elif kind == "slot":
            if data.get("name") == SESSION_METADATA_SLOT:
                data["value"] = self.metadata(data.get("value"))
            else:
                data["value"] = redact_value(data.get("value"), self.names)
        elif kind == "entities":
            data["entities"] = self.parse_data(data.get("entities"))
        return data
