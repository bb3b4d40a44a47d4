"""Rasa's `events` table as one turn needs it, without the per-turn waste of Rasa's own
SQLTrackerStore (measured with `python -m bench.profile_rasa --stack project`):

- Reading a session: Rasa finds the latest session start and the session's rows in one query
  whose OR keeps the database from using an index, then builds an ORM object per row. Here:
  the session's start from the index (sender_id, type_name, timestamp), then only the `data`
  column of the session's rows from the index (sender_id, timestamp).
- Turning rows into events: Rasa looks up each event's class by walking every subclass of
  Event (and checking each for abstract methods), about 0.1 ms per event on this machine;
  here the class of each event type is looked up once.
- SQLite: write-ahead log (journal_mode WAL, synchronous NORMAL): a commit no longer waits
  for the disk twice; a crashed or killed server loses nothing it had committed (a power cut
  may lose the last commits). Connections are kept open (a pool, as SQLAlchemy 2 does for
  SQLite files) instead of one new connection per read and per write.

The indexes are created on start when missing (`CREATE INDEX IF NOT EXISTS`, on SQLite and
PostgreSQL alike); on a large existing table that takes a while once.
"""
from __future__ import annotations

import json
import logging
from typing import Any, Dict, Iterable, List, Optional, Text, Type

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.nlu.constants import INTENT_NAME_KEY

logger = logging.getLogger(__name__)

EVENTS = SQLTrackerStore.SQLEvent.__table__
INDEXES = {
    "ix_events_session_start": "sender_id, type_name, timestamp",
    "ix_events_sender_time": "sender_id, timestamp",
}
SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL")
_event_classes: Dict[Text, Optional[Type[Event]]] = {}


def engine(url: str) -> sa.engine.Engine:
    """An engine for the store: Rasa's settings for PostgreSQL; for SQLite a pool of open
    connections in write-ahead-log mode."""
    if not url.startswith("sqlite"):
        return sa.create_engine(url, **create_engine_kwargs(url))
    created = sa.create_engine(url, poolclass=sa.pool.QueuePool, pool_size=2,
                               connect_args={"check_same_thread": False})

    @sa.event.listens_for(created, "connect")
    def write_ahead_log(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    return created


def add_indexes(engine: sa.engine.Engine) -> None:
    """The indexes a turn's queries use (several servers may start at once: a lost race to
    create one is fine)."""
    for name, columns in INDEXES.items():
        try:
            with engine.begin() as connection:
                connection.execute(sa.text(
                    f"CREATE INDEX IF NOT EXISTS {name} ON {EVENTS.name} ({columns})"))
        except (sa.exc.OperationalError, sa.exc.ProgrammingError, sa.exc.IntegrityError) as error:
            logger.warning("Index %s not created: %s", name, type(error).__name__)


def _session_start(connection: sa.engine.Connection, sender_id: Text) -> Optional[float]:
    return connection.execute(
        sa.select(sa.func.max(EVENTS.c.timestamp)).where(
            EVENTS.c.sender_id == sender_id,
            EVENTS.c.type_name == SessionStarted.type_name,
        )
    ).scalar()


def _rows_query(connection: sa.engine.Connection, sender_id: Text,
                all_sessions: bool) -> sa.sql.Select:
    """Rasa's rows of a conversation: all, or those of its latest session (from the latest
    SessionStarted's timestamp on; every row when it has none)."""
    where = [EVENTS.c.sender_id == sender_id]
    start = None if all_sessions else _session_start(connection, sender_id)
    if start is not None:
        where.append(EVENTS.c.timestamp >= start)
    return sa.select(EVENTS.c.data).where(*where)


def session_rows(connection: sa.engine.Connection, sender_id: Text,
                 all_sessions: bool = False) -> List[Text]:
    """The stored events (JSON) of the latest session, or of all sessions, in order."""
    query = _rows_query(connection, sender_id, all_sessions).order_by(EVENTS.c.id)
    return list(connection.execute(query).scalars())


def count_session_rows(connection: sa.engine.Connection, sender_id: Text) -> int:
    """How many events of the latest session are stored."""
    query = _rows_query(connection, sender_id, all_sessions=False).subquery()
    return connection.execute(sa.select(sa.func.count()).select_from(query)).scalar()


def _event_class(type_name: Text) -> Optional[Type[Event]]:
    if type_name not in _event_classes:
        _event_classes[type_name] = Event.resolve_by_type(type_name)
    return _event_classes[type_name]


def decode(rows: Iterable[Text]) -> List[Event]:
    """Events from stored rows, as rasa.shared.core.events.deserialise_events makes them."""
    events = []
    for row in rows:
        data = json.loads(row)
        name = data.get("event")
        event_class = _event_class(name) if name is not None else None
        event = event_class._from_parameters(data) if event_class else None
        if event is not None:
            events.append(event)
    return events


def row(sender_id: Text, type_name: Text, data: Dict[Text, Any]) -> Dict[Text, Any]:
    """The values of one row for a serialised (and redacted) event."""
    intent = ((data.get("parse_data") or {}).get("intent") or {}).get(INTENT_NAME_KEY)
    return {
        "sender_id": sender_id,
        "type_name": type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": intent,
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


def insert(connection: sa.engine.Connection, rows: List[Dict[Text, Any]]) -> None:
    if rows:
        connection.execute(EVENTS.insert(), rows)
