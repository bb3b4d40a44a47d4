"""The conversation store: Rasa's SQLTrackerStore, configured from serving.settings, that
redacts personal data from what the user typed before anything is written.

endpoints.yml names it (`tracker_store: type: serving.tracker_store.PrivateSQLTrackerStore`);
with no settings it is an SQLite file (data-store/conversations.db), with DB_HOST or
TRACKER_DB_URL it is PostgreSQL, shared by any number of Rasa processes.

Every event is redacted before it is written (serving/scrub.py: user text, parse data,
metadata, slots). The SQLite file and its folder are made 0600/0700 (serving/files.py).
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
from serving.files import private_file, private_folder
from serving.redaction import NameRedactor
from serving.scrub import EventScrubber

logger = logging.getLogger(__name__)


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
            path = Path(url.split(":///", 1)[1])
            private_folder(path.parent, own=path.parent == settings_module.DEFAULT_SQLITE_PATH.parent)
            private_file(path)
        self.names = NameRedactor.start() if self.settings.redact_names else None
        self.scrubber = EventScrubber(self.settings.max_message_chars,
                                      self.settings.metadata_keys, self.names)
        super().__init__(domain=domain, host=url, event_broker=event_broker)
        logger.info(
            "Conversations are stored in %s (%s), user text redacted%s.",
            "SQLite" if self.settings.uses_sqlite else "PostgreSQL",
            self.engine.url.render_as_string(hide_password=True),
            " (names with deduce)" if self.names else "",
        )

    def scrub_event(self, data: Dict[str, Any]) -> Dict[str, Any]:
        """A serialised event with every copy of what the user sent redacted."""
        return self.scrubber.event(data)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's SQLTrackerStore.save, with each new event redacted before it is written."""
        await self.stream_events(tracker)
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data = self.scrub_event(event.as_dict())
                intent = ((data.get("parse_data") or {}).get("intent") or {}).get(INTENT_NAME_KEY)
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
