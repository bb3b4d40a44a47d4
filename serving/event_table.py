"""Rasa's `events` table as one turn needs it, without the per-turn waste of Rasa's own
SQLTrackerStore (measured with `python -m bench.profile_rasa --stack project`):

- Reading a session: Rasa finds the latest session start and the session's rows in one query
  whose OR keeps the database from using an index, builds that query anew on every turn, and
  an ORM object per row. Here: two fixed statements, the session's start from the index
  (sender_id, type_name, timestamp), then only the `data` column of the session's rows from
  the index (sender_id, timestamp), run on the database driver's own connection (SQLAlchemy's
  query building and compiling cost more than the queries).
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

import contextlib
import json
import logging
from typing import Any, Dict, Iterable, Iterator, List, Optional, Text, Tuple, Type

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.nlu.constants import INTENT_NAME_KEY

logger = logging.getLogger(__name__)

TABLE = SQLTrackerStore.SQLEvent.__table__.name
INDEXES = {
    "ix_events_session_start": "sender_id, type_name, timestamp",
    "ix_events_sender_time": "sender_id, timestamp",
}
SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL")
COLUMNS = ("sender_id", "type_name", "timestamp", "intent_name", "action_name", "data")
# the statements of a turn, with `?` for each parameter (turned into the driver's style)
SESSION_START = (f"SELECT max(timestamp) FROM {TABLE} WHERE sender_id = ? AND type_name = "
                 f"'{SessionStarted.type_name}'")
ROWS = f"SELECT data FROM {TABLE} WHERE sender_id = ?"
COUNT = f"SELECT count(*) FROM {TABLE} WHERE sender_id = ?"
FROM_START = " AND timestamp >= ?"
INSERT = (f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) "
          f"VALUES ({', '.join('?' for _ in COLUMNS)})")
_event_classes: Dict[Text, Optional[Type[Event]]] = {}


def engine(url: str) -> sa.engine.Engine:
    """An engine for the store: Rasa's settings for PostgreSQL; for SQLite a pool of open
    connections in write-ahead-log mode."""
    if not url.startswith("sqlite"):
        created = sa.create_engine(url, **create_engine_kwargs(url))
    else:
        created = sa.create_engine(url, poolclass=sa.pool.QueuePool, pool_size=2,
                                   connect_args={"check_same_thread": False})

        @sa.event.listens_for(created, "connect")
        def write_ahead_log(connection: Any, _record: Any) -> None:
            cursor = connection.cursor()
            for pragma in SQLITE_PRAGMAS:
                cursor.execute(pragma)
            cursor.close()

    if created.dialect.paramstyle not in ("qmark", "format", "pyformat"):
        raise ValueError(f"the tracker store does not support the database driver of "
                         f"{created.url.drivername} (parameter style {created.dialect.paramstyle})")
    return created


def add_indexes(engine: sa.engine.Engine) -> None:
    """The indexes a turn's queries use (several servers may start at once: a lost race to
    create one is fine)."""
    for name, columns in INDEXES.items():
        try:
            with engine.begin() as connection:
                connection.execute(sa.text(
                    f"CREATE INDEX IF NOT EXISTS {name} ON {TABLE} ({columns})"))
        except (sa.exc.OperationalError, sa.exc.ProgrammingError, sa.exc.IntegrityError) as error:
            logger.warning("Index %s not created: %s", name, type(error).__name__)


class Events:
    """The statements of a turn on the driver's connections from `engine`'s pool."""

    def __init__(self, engine: sa.engine.Engine) -> None:
        self.engine = engine
        mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"
        self.sql = {name: statement.replace("?", mark) for name, statement in (
            ("start", SESSION_START), ("rows", ROWS), ("count", COUNT),
            ("from_start", FROM_START), ("insert", INSERT))}

    @contextlib.contextmanager
    def cursor(self, commit: bool = False) -> Iterator[Any]:
        """A cursor on a pooled driver connection; with `commit`, one transaction."""
        connection = self.engine.raw_connection()
        try:
            cursor = connection.cursor()
            try:
                yield cursor
            finally:
                cursor.close()
            if commit:
                connection.commit()
        except BaseException:
            connection.rollback()
            raise
        finally:
            connection.close()  # back to the pool

    def _session(self, cursor: Any, sender_id: Text, what: Text) -> Tuple[Text, Tuple]:
        """The statement for the latest session's rows (from the latest SessionStarted's
        timestamp on; every row when it has none), as Rasa's SQLTrackerStore selects them."""
        cursor.execute(self.sql["start"], (sender_id,))
        start = cursor.fetchone()[0]
        if start is None:
            return self.sql[what], (sender_id,)
        return self.sql[what] + self.sql["from_start"], (sender_id, start)

    def session_rows(self, sender_id: Text, all_sessions: bool = False) -> List[Text]:
        """The stored events (JSON) of the latest session, or of all sessions, in order."""
        with self.cursor() as cursor:
            statement, parameters = ((self.sql["rows"], (sender_id,)) if all_sessions
                                     else self._session(cursor, sender_id, "rows"))
            cursor.execute(statement + " ORDER BY id", parameters)
            return [data for (data,) in cursor.fetchall()]

    def count_session(self, cursor: Any, sender_id: Text) -> int:
        """How many events of the latest session are stored."""
        cursor.execute(*self._session(cursor, sender_id, "count"))
        return cursor.fetchone()[0]

    def insert(self, cursor: Any, rows: List[Tuple]) -> None:
        if rows:
            cursor.executemany(self.sql["insert"], rows)


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


def row(sender_id: Text, type_name: Text, data: Dict[Text, Any]) -> Tuple:
    """The values of one row (in COLUMNS' order) for a serialised, redacted event."""
    intent = ((data.get("parse_data") or {}).get("intent") or {}).get(INTENT_NAME_KEY)
    return (sender_id, type_name, data.get("timestamp"), intent, data.get("name"),
            json.dumps(data))
