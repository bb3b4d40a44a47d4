"""The conversation store: Rasa's SQLTrackerStore, configured from serving.settings, that
redacts personal data from what the user typed before anything is written.

endpoints.yml names it (`tracker_store: type: serving.tracker_store.PrivateSQLTrackerStore`);
with no settings it is an SQLite file (data-store/conversations.db), with DB_HOST or
TRACKER_DB_URL it is PostgreSQL, shared by any number of Rasa processes.

Stored per user message: the redacted text (cut to MAX_MESSAGE_CHARS), intent and entities,
with the same redaction applied to the text copies inside `parse_data`.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Dict, Optional, Text

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from serving import settings as settings_module
from serving.redaction import NameRedactor, redact

logger = logging.getLogger(__name__)
OVERLONG_KEPT_CHARS = 200


class PrivateSQLTrackerStore(SQLTrackerStore):
    """SQL tracker store (SQLite or PostgreSQL) that stores user text only redacted."""

    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[Text] = None,
        event_broker: Optional[EventBroker] = None,
        **kwargs: Any,
    ) -> None:
        self.settings = settings_module.load()
        url = self.settings.tracker_db_url
        if self.settings.uses_sqlite:
            Path(url.split(":///", 1)[1]).parent.mkdir(parents=True, exist_ok=True)
        self.names = NameRedactor.start() if self.settings.redact_names else None
        super().__init__(domain=domain, host=url, event_broker=event_broker)
        logger.info(
            "Conversations are stored in %s (%s), user text redacted%s.",
            "SQLite" if self.settings.uses_sqlite else "PostgreSQL",
            self.engine.url.render_as_string(hide_password=True),
            " (names with deduce)" if self.names else "",
        )

    def scrub_text(self, text: Optional[str]) -> Optional[str]:
        """What may be stored of a user text: cut when overlong, then redacted."""
        if not isinstance(text, str) or not text:
            return text
        limit = self.settings.max_message_chars
        if len(text) > limit:
            text = f"{text[:OVERLONG_KEPT_CHARS]} [ingekort: {len(text)} tekens]"
        return redact(text, self.names)

    def scrub_event(self, data: Dict[str, Any]) -> Dict[str, Any]:
        """A serialised event with every copy of the user's words redacted."""
        if data.get("event") != "user":
            return data
        data = dict(data, text=self.scrub_text(data.get("text")))
        parse_data = dict(data.get("parse_data") or {})
        if "text" in parse_data:
            parse_data["text"] = self.scrub_text(parse_data["text"])
        parse_data["entities"] = [
            {k: self.scrub_text(v) if k in ("value", "text") else v for k, v in e.items()}
            for e in parse_data.get("entities") or []
        ]
        for key in ("complaints", "alarms"):  # matched phrases, may quote the user
            if parse_data.get(key):
                parse_data[key] = [
                    dict(m, text=self.scrub_text(m.get("text"))) for m in parse_data[key]
                ]
        data["parse_data"] = parse_data
        return data

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's SQLTrackerStore.save, with each new event redacted before it is written."""
        await self.stream_events(tracker)
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data = self.scrub_event(event.as_dict())
                intent = data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY)
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=intent,
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.commit()
