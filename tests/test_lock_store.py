"""The conversation lock (serving/lock_store.py), in memory and in a real Redis server.

The SIGKILL persistence test used to hang now and then: a server killed while it held a
conversation's ticket left that ticket in Redis; the next message's ticket could expire
while it waited, and Rasa's ticket lock then waited for ever (`now_serving` fell back to 0).
These tests build that state on purpose. Time bounds below only detect a hang; they are
never compared with a measured duration.
"""
from __future__ import annotations

import asyncio
import threading
from typing import List

import pytest

from serving.lock_store import ConfiguredLockStore
from tests import services

HANG = 20  # seconds: only a hang takes this long


@pytest.fixture(params=["memory", "redis"])
def make_store(request, monkeypatch):
    if request.param == "redis":
        monkeypatch.setenv("REDIS_HOST", "127.0.0.1")
        monkeypatch.setenv("REDIS_PORT", str(services.redis_port()))
    else:
        monkeypatch.delenv("REDIS_HOST", raising=False)
    stores: List[ConfiguredLockStore] = []

    def make() -> ConfiguredLockStore:
        if stores and request.param == "memory":
            return stores[0]  # one process: one store
        stores.append(ConfiguredLockStore())
        return stores[-1]

    return make


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, HANG))


def test_a_ticket_left_by_a_dead_server_stops_blocking_when_it_expires(make_store):
    store = make_store()
    conversation = f"dead-holder-{id(store)}"
    store.issue_ticket(conversation, 0.5)  # a server that died while answering

    async def next_message() -> str:
        async with store.lock(conversation, lock_lifetime=30):
            return "answered"

    assert run(next_message()) == "answered"
    assert store.get_lock(conversation) is None  # nothing left behind


def test_a_waiter_whose_own_ticket_expired_still_gets_its_turn(make_store):
    """Rasa's TicketLock waits for ever here: both tickets expire, now_serving becomes 0."""
    store = make_store()
    conversation = f"both-expired-{id(store)}"
    store.issue_ticket(conversation, 0.6)  # the dead server's ticket outlives ours

    async def next_message() -> str:
        async with store.lock(conversation, lock_lifetime=0.2):
            return "answered"

    assert run(next_message()) == "answered"


def test_messages_of_one_conversation_take_turns_in_order(make_store):
    stores = [make_store(), make_store()]  # two processes when in Redis
    conversation = f"burst-{id(stores[0])}"
    inside, order = [], []

    async def message(n: int) -> None:
        await asyncio.sleep(0.001 * n)  # tickets drawn in the order of n
        async with stores[n % 2].lock(conversation, lock_lifetime=30):
            inside.append(n)
            assert len(inside) == 1, f"two messages at once: {inside}"
            order.append(n)
            await asyncio.sleep(0.002)
            inside.remove(n)

    async def burst() -> None:
        await asyncio.gather(*(message(n) for n in range(20)))

    run(burst())
    assert order == list(range(20))
    assert stores[0].get_lock(conversation) is None


def test_tickets_drawn_at_once_by_two_processes_are_distinct(make_store):
    """Two threads stand for two servers drawing tickets for one conversation at once."""
    if not isinstance(make_store(), ConfiguredLockStore) or make_store() is make_store():
        pytest.skip("in memory: one event loop draws the tickets, one at a time")
    stores = [make_store(), make_store()]
    conversation = f"distinct-{id(stores[0])}"
    drawn: List[List[int]] = [[], []]

    def draw(n: int) -> None:
        for _ in range(40):
            drawn[n].append(stores[n].issue_ticket(conversation, 30))

    threads = [threading.Thread(target=draw, args=(n,)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(HANG)
    tickets = drawn[0] + drawn[1]
    assert sorted(tickets) == list(range(80))
    for ticket in drawn[0]:
        stores[0].cleanup(conversation, ticket)
    for ticket in drawn[1]:
        stores[1].cleanup(conversation, ticket)
    assert stores[0].get_lock(conversation) is None
