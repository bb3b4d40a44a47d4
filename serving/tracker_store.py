"""The conversation store: Rasa's SQLTrackerStore, configured from serving.settings, that
redacts personal data from what the user typed before anything is written, keeps sessions
bounded and does per turn only what a turn needs.

endpoints.yml names it (`tracker_store: type: serving.tracker_store.PrivateSQLTrackerStore`);
with no settings it is an SQLite file (data-store/conversations.db), with DB_HOST or
TRACKER_DB_URL it is PostgreSQL, shared by any number of Rasa processes.

Per turn Rasa reads the conversation's latest session once and saves it once, under the
conversation's lock (serving/lock_store.py). Here:
- every new event is redacted before it is written (serving/scrub.py: user text, parse data,
  metadata, slots); events read back were stored redacted and are not redacted again;
- a save writes the events added since the read, counted at the read, instead of counting
  the stored session again (a tracker that was not read here is counted as Rasa does);
- a session that has reached SESSION_MAX_EVENTS rolls over into a new one at the end of the
  turn (serving/sessions.py);
- reads and writes go through serving/event_table.py (indexes, SQLite write-ahead log,
  event classes looked up once).
The SQLite file and its folder are made 0600/0700 (serving/files.py).
"""
from __future__ import annotations

import itertools
import logging
from pathlib import Path
from typing import Any, Dict, Optional, Text

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.orm import sessionmaker

from serving import event_table, sessions
from serving import settings as settings_module
from serving.files import private_file, private_folder
from serving.redaction import NameRedactor
from serving.scrub import EventScrubber

logger = logging.getLogger(__name__)
# On a tracker read (or saved) by this store: how many of its events are stored.
STORED = "_private_store_stored_events"


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
        self.engine.dispose()  # Rasa's engine made the table; this one serves the turns
        self.engine = event_table.engine(url)
        self.sessionmaker = sessionmaker(bind=self.engine)
        event_table.add_indexes(self.engine)
        self.events = event_table.Events(self.engine)
        logger.info(
            "Conversations are stored in %s (%s), user text redacted%s; a session rolls "
            "over after %d events.",
            "SQLite" if self.settings.uses_sqlite else "PostgreSQL",
            self.engine.url.render_as_string(hide_password=True),
            " (names with deduce)" if self.names else "", self.settings.session_max_events,
        )

    def scrub_event(self, data: Dict[str, Any]) -> Dict[str, Any]:
        """A serialised event with every copy of what the user sent redacted."""
        return self.scrubber.event(data)

    async def _retrieve(
        self, sender_id: Text, fetch_events_from_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        """The conversation's latest session (or all of it), as Rasa's SQLTrackerStore reads it."""
        rows = self.events.session_rows(sender_id, fetch_events_from_all_sessions)
        if not self.domain or not rows:
            return None
        tracker = DialogueStateTracker.from_events(
            sender_id, event_table.decode(rows), self.domain.slots)
        if not fetch_events_from_all_sessions:
            setattr(tracker, STORED, len(tracker.events))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Write the turn's new events, redacted; roll a full session over first."""
        if sessions.should_roll_over(tracker, self.settings.session_max_events):
            sessions.roll_over(tracker)
        await self.stream_events(tracker)
        with self.events.cursor(commit=True) as cursor:
            stored = getattr(tracker, STORED, None)
            if stored is None:
                stored = self.events.count_session(cursor, tracker.sender_id)
            self.events.insert(cursor, [
                event_table.row(tracker.sender_id, event.type_name,
                                self.scrub_event(event.as_dict()))
                for event in itertools.islice(tracker.events, stored, None)
            ])
        setattr(tracker, STORED, len(tracker.events))
