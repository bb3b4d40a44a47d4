"""The conversation lock store: Redis when REDIS_HOST is set (needed as soon as more than one
Rasa process serves the same conversations), otherwise in memory (one process).

endpoints.yml names it (`lock_store: type: serving.lock_store.ConfiguredLockStore`).
"""
from __future__ import annotations

import logging
from typing import Any, Optional, Text

from rasa.core.lock import TicketLock
from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore

from serving import settings as settings_module

logger = logging.getLogger(__name__)


class ConfiguredLockStore(LockStore):
    """Delegates to a RedisLockStore or an InMemoryLockStore, chosen by serving.settings."""

    def __init__(self, endpoint_config: Any = None, **_: Any) -> None:
        settings = settings_module.load()
        if settings.redis_host:
            self.store: LockStore = RedisLockStore(
                host=settings.redis_host,
                port=settings.redis_port,
                db=settings.redis_db,
                password=settings.redis_password,
            )
            self.store.red.ping()  # fail at start-up, not on the first message
            logger.info(
                "Conversation locks in Redis at %s:%s/%s.",
                settings.redis_host, settings.redis_port, settings.redis_db,
            )
        else:
            self.store = InMemoryLockStore()
            logger.info("Conversation locks in memory (one Rasa process only).")
        super().__init__()

    def get_lock(self, conversation_id: Text) -> Optional[TicketLock]:
        return self.store.get_lock(conversation_id)

    def delete_lock(self, conversation_id: Text) -> None:
        self.store.delete_lock(conversation_id)

    def save_lock(self, lock: TicketLock) -> None:
        self.store.save_lock(lock)
