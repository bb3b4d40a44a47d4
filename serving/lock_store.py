"""The conversation lock store: Redis when REDIS_HOST is set (needed as soon as more than one
Rasa process serves the same conversations), otherwise in memory (one process).

endpoints.yml names it (`lock_store: type: serving.lock_store.ConfiguredLockStore`).

Rasa's ticket lock (rasa/core/lock_store.py) is kept: one ticket per message, served in
order, a ticket expiring after TICKET_LOCK_LIFETIME seconds so that a crashed server does not
block a conversation for ever. Three of its flaws are fixed here:

- A waiter whose own ticket expired while it waited for a dead server's ticket waited for
  ever: once every ticket had expired, `now_serving` fell back to 0, which is never the
  waiter's number. Here a ticket may go as soon as no *live* ticket is ahead of it.
- Issuing and returning a ticket read and wrote the lock in two Redis calls, so two servers
  could draw the same number. Here each change is one Redis transaction (WATCH/MULTI), and
  the key expires with its last ticket.
- A waiter polled once per second, so 20 messages sent at once to one conversation took up
  to 20 s. Here a waiter is woken as soon as a message of its own process finishes, and polls
  other processes' locks every few milliseconds.
"""
from __future__ import annotations

import asyncio
import json
import logging
import math
import time
from contextlib import asynccontextmanager
from typing import Any, AsyncGenerator, Callable, Dict, Optional, Text, Tuple

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockStore

from serving import settings as settings_module

logger = logging.getLogger(__name__)

# A change to one conversation's lock: gets the stored lock (or None), returns the lock to
# store (None or no tickets: delete it) and a result for the caller.
Change = Callable[[Optional[TicketLock]], Tuple[Optional[TicketLock], Any]]
FIRST_POLL_S = 0.005  # then 1.5 times longer each time, up to MAX_POLL_S
MAX_POLL_S = 0.05
KEY_PREFIX = "lock:"  # as Rasa's RedisLockStore


def live_ticket_ahead(lock: TicketLock, ticket: int) -> bool:
    """Is a ticket that has not expired ahead of `ticket` in the queue?"""
    return any(t.number < ticket and not t.has_expired() for t in lock.tickets)


def _issue(conversation_id: Text, lifetime: float) -> Change:
    def change(lock: Optional[TicketLock]) -> Tuple[TicketLock, int]:
        lock = lock or TicketLock(conversation_id)
        return lock, lock.issue_ticket(lifetime)

    return change


def _return(ticket: int) -> Change:
    def change(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
        if lock is not None:
            lock.remove_ticket_for(ticket)
            lock.remove_expired_tickets()
        return lock, None

    return change


class _MemoryBackend:
    """Locks of one process. The event loop runs one change at a time: nothing to guard."""

    def __init__(self) -> None:
        self.locks: Dict[Text, TicketLock] = {}

    def get(self, conversation_id: Text) -> Optional[TicketLock]:
        return self.locks.get(conversation_id)

    def transact(self, conversation_id: Text, change: Change) -> Any:
        lock, result = change(self.locks.get(conversation_id))
        if lock is None or not lock.tickets:
            self.locks.pop(conversation_id, None)
        else:
            self.locks[conversation_id] = lock
        return result


class _RedisBackend:
    """Locks shared by every Rasa process that uses the same Redis database."""

    def __init__(self, host: Text, port: int, db: int, password: Optional[Text]) -> None:
        import redis

        self.red = redis.StrictRedis(host=host, port=port, db=db, password=password,
                                     socket_timeout=10)
        self.red.ping()  # fail at start-up, not on the first message

    def get(self, conversation_id: Text) -> Optional[TicketLock]:
        raw = self.red.get(KEY_PREFIX + conversation_id)
        return TicketLock.from_dict(json.loads(raw)) if raw else None

    def transact(self, conversation_id: Text, change: Change) -> Any:
        import redis

        key = KEY_PREFIX + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    lock, result = change(TicketLock.from_dict(json.loads(raw)) if raw else None)
                    pipe.multi()
                    if lock is None or not lock.tickets:
                        pipe.delete(key)
                    else:
                        last_expiry = max(t.expires for t in lock.tickets)
                        ttl_ms = max(1, math.ceil((last_expiry - time.time()) * 1000))
                        pipe.set(key, lock.dumps(), px=ttl_ms)
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue  # another process changed this lock meanwhile: read it again


class ConfiguredLockStore(LockStore):
    """Rasa's ticket lock, in Redis or in memory (serving.settings), without its stalls."""

    def __init__(self, endpoint_config: Any = None, **_: Any) -> None:
        settings = settings_module.load()
        if settings.redis_host:
            self.backend: Any = _RedisBackend(
                settings.redis_host, settings.redis_port, settings.redis_db,
                settings.redis_password,
            )
            logger.info("Conversation locks in Redis at %s:%s/%s.",
                        settings.redis_host, settings.redis_port, settings.redis_db)
        else:
            self.backend = _MemoryBackend()
            logger.info("Conversation locks in memory (one Rasa process only).")
        self._released: Dict[Text, asyncio.Event] = {}
        super().__init__()

    # Rasa's storage interface (used by its own helpers; our lock() needs only transact)
    def get_lock(self, conversation_id: Text) -> Optional[TicketLock]:
        return self.backend.get(conversation_id)

    def delete_lock(self, conversation_id: Text) -> None:
        self.backend.transact(conversation_id, lambda lock: (None, None))

    def save_lock(self, lock: TicketLock) -> None:
        self.backend.transact(lock.conversation_id, lambda _: (lock, None))

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        return self.backend.transact(conversation_id, _issue(conversation_id, lock_lifetime))

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        self.backend.transact(conversation_id, _return(ticket_number))
        released = self._released.pop(conversation_id, None)
        if released is not None:
            released.set()

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: Text,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = MAX_POLL_S,
    ) -> AsyncGenerator[TicketLock, None]:
        """Wait until no live ticket is ahead of this message's ticket; return it after.
        (`wait_time_in_seconds`, Rasa's fixed poll interval, is not used: see _acquire_lock.)"""
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        try:
            yield await self._acquire_lock(conversation_id, ticket, wait_time_in_seconds)
        finally:
            self.cleanup(conversation_id, ticket)

    async def _acquire_lock(
        self, conversation_id: Text, ticket: int, wait_time_in_seconds: float
    ) -> TicketLock:
        poll = FIRST_POLL_S
        while True:
            lock = self.backend.get(conversation_id)
            if lock is None or not live_ticket_ahead(lock, ticket):
                return lock or TicketLock(conversation_id)
            released = self._released.setdefault(conversation_id, asyncio.Event())
            try:
                await asyncio.wait_for(released.wait(), timeout=poll)
            except asyncio.TimeoutError:
                poll = min(poll * 1.5, MAX_POLL_S)
