"""Messages sent at once to one conversation: all answered, one after the other.

20 REST requests for one conversation start together (a barrier releases them). Each gets
its own full answer, and the stored conversation shows them handled one at a time: after
each user message come its answer and action_listen before the next message (after a turn
that filled the session, also the roll-over into a new one: serving/sessions.py). The server is
configured as in production (serving/lock_store.py, which wakes the next message as soon as
one is done instead of Rasa's once-a-second poll). The time taken is printed, not asserted.
"""
from __future__ import annotations

import threading
import time
from typing import List, Optional

import pytest

from tests import services
from tests.servers import ROOT, chat, texts

MESSAGES = 20


@pytest.fixture(scope="module")
def port(tmp_path_factory) -> int:
    if not list((ROOT / "models").glob("*.tar.gz")):
        pytest.skip("no trained model in models/ (run `make train`; `make test` does)")
    return services.secured_server(tmp_path_factory.mktemp("secured"))


def test_messages_sent_at_once_to_one_conversation_are_all_answered_in_turn(port):
    sender = f"burst-{time.time_ns()}"
    chat(port, sender, "Hallo")  # the session has started: the burst is 20 ordinary turns
    questions = [f"Wat zijn metastasen? (vraag {n})" for n in range(MESSAGES)]
    replies: List[Optional[str]] = [None] * MESSAGES
    took: List[float] = [0.0] * MESSAGES
    barrier = threading.Barrier(MESSAGES)

    def ask(n: int) -> None:
        barrier.wait()
        started = time.perf_counter()
        replies[n] = texts(chat(port, sender, questions[n], timeout=120))
        took[n] = time.perf_counter() - started

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(MESSAGES)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = time.perf_counter() - started
    print(f"{MESSAGES} messages at once in one conversation: all answered in {total:.2f} s; "
          f"slowest {max(took):.2f} s, median {sorted(took)[MESSAGES // 2]:.2f} s")

    assert all(reply and "Metastasen" in reply for reply in replies), replies
    events = [e for e in services.stored_events(services.secured_db(), sender)
              if e["event"] in ("user", "bot", "action")]
    users = [i for i, e in enumerate(events) if e["event"] == "user"]
    stored = [events[i]["text"] for i in users]
    assert sorted(stored[1:]) == sorted(questions)  # the first one is "Hallo"
    for this, following in zip(users[1:], users[2:] + [len(events)]):
        turn = [e.get("name") or e["event"] for e in events[this + 1:following]]
        if turn[3:] == ["action_session_start", "action_listen"]:
            turn = turn[:3]  # the session rolled over after this turn (serving/sessions.py)
        assert turn == ["action_answer_question", "bot", "action_listen"], turn
