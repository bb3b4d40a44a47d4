"""Retention: delete stored conversation events older than RETENTION_DAYS (`make purge`).

Sessions end after an hour without messages (domain.yml session_config), so deleting every
event older than the cut-off removes whole old sessions and never half of a live one.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Optional

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs

DAY_S = 24 * 60 * 60


@dataclass(frozen=True)
class PurgeResult:
    events: int
    conversations: int
    cutoff: float


def purge(db_url: str, days: int, now: Optional[float] = None, dry_run: bool = False) -> PurgeResult:
    """Delete events older than `days` days; conversations left without events disappear."""
    if days < 0:
        raise ValueError("the retention period cannot be negative")
    cutoff = (time.time() if now is None else now) - days * DAY_S
    events = SQLTrackerStore.SQLEvent.__table__
    engine = sa.create_engine(db_url, **create_engine_kwargs(db_url))
    try:
        if not sa.inspect(engine).has_table(events.name):
            return PurgeResult(0, 0, cutoff)
        old = events.c.timestamp < cutoff
        with engine.begin() as connection:
            senders = connection.execute(
                sa.select(sa.func.count(sa.distinct(events.c.sender_id))).where(old)
            ).scalar()
            if dry_run:
                count = connection.execute(sa.select(sa.func.count()).where(old)).scalar()
            else:
                count = connection.execute(events.delete().where(old)).rowcount
        return PurgeResult(count, senders, cutoff)
    finally:
        engine.dispose()
