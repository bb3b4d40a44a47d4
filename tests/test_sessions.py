"""Bounded sessions (serving/sessions.py, serving/tracker_store.py): a conversation's session
rolls over into a new Rasa session once it holds SESSION_MAX_EVENTS events, so no turn reads
more than that; the slots are carried over, nothing stored is lost, and context follow-ups
work across the roll-over (through a real server). On SQLite and PostgreSQL.
"""
from __future__ import annotations

import asyncio
import time
from typing import List

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered

from serving.tracker_store import PrivateSQLTrackerStore
from tests import services
from tests.servers import (
    ROOT,
    bot_servers,
    chat,
    texts,
)
from tests.test_persistence import expected
from tests.test_privacy import db_url  # noqa: F401 (the fixture: SQLite and PostgreSQL)

MAX_EVENTS = 20
SITES = ("lever", "bot", "lymfeklieren")
DOMAIN = Domain.load(str(ROOT / "domain.yml"))


def turn(n: int) -> List:
    """One turn as Rasa stores it: the user's message, the slots, the answer, listening."""
    site = SITES[n % 3]
    return [
        UserUttered(f"vraag {n} over de {site}", {"name": "ask_topic", "confidence": 1.0}),
        SlotSet("site", site),
        SlotSet("topic", "behandeling"),
        ActionExecuted("action_answer_question"),
        BotUttered(f"antwoord {n}"),
        ActionExecuted("action_listen"),
    ]


def run(coroutine):
    return asyncio.run(coroutine)


@pytest.fixture
def store(db_url, monkeypatch):  # noqa: F811
    monkeypatch.setenv("SESSION_MAX_EVENTS", str(MAX_EVENTS))
    store = PrivateSQLTrackerStore(domain=DOMAIN)
    yield store
    store.engine.dispose()


def test_a_long_conversation_reads_a_bounded_session_and_keeps_everything(store, db_url):  # noqa: F811
    sender = f"long-{time.time_ns()}"
    tracker = run(store.get_or_create_tracker(sender))
    lengths = []
    for n in range(40):
        tracker = run(store.get_or_create_tracker(sender))
        lengths.append(len(tracker.events))
        assert tracker.get_slot("site") == (None if n == 0 else SITES[(n - 1) % 3])
        for event in turn(n):
            tracker.update(event)
        run(store.save(tracker))
    assert max(lengths) < MAX_EVENTS + len(turn(0))  # never more than one turn past the bound

    stored = services.stored_events(db_url, sender)
    users = [e["text"] for e in stored if e["event"] == "user"]
    assert users == [f"vraag {n} over de {SITES[n % 3]}" for n in range(40)]
    starts = [i for i, e in enumerate(stored) if e["event"] == "session_started"]
    assert len(starts) >= 40 * len(turn(0)) // MAX_EVENTS - 1
    for start in starts:  # each new session as Rasa's action_session_start writes it
        assert stored[start - 1]["name"] == "action_session_start"
        carried = stored[start + 1:start + 3]
        assert [e["name"] for e in carried] == ["site", "topic"]
        assert stored[start + 3]["name"] == "action_listen"
    latest = run(store.retrieve(sender))
    assert latest.get_slot("site") == SITES[39 % 3] and latest.get_slot("topic") == "behandeling"
    assert isinstance(latest.events[1], SessionStarted)


def test_no_roll_over_in_the_middle_of_a_turn(store):
    sender = f"mid-turn-{time.time_ns()}"
    tracker = run(store.get_or_create_tracker(sender))
    for n in range(10):
        for event in turn(n)[:-1]:  # the bot has not gone back to listening
            tracker.update(event)
    run(store.save(tracker))
    events = run(store.retrieve(sender)).events
    assert not any(isinstance(e, SessionStarted) for e in events)
    assert len(events) == 1 + 10 * (len(turn(0)) - 1)


def test_a_tracker_not_read_by_the_store_is_saved_without_duplicates(store, db_url):  # noqa: F811
    """A tracker from elsewhere (Rasa's API, a copy): the stored part is counted, as Rasa does."""
    sender = f"copy-{time.time_ns()}"
    tracker = run(store.get_or_create_tracker(sender))
    for event in turn(0):
        tracker.update(event)
    run(store.save(tracker))
    copy = run(store.retrieve(sender)).copy()
    for event in turn(1):
        copy.update(event)
    run(store.save(copy))
    assert len(services.stored_events(db_url, sender)) == 1 + 2 * len(turn(0))


# --- through a real server: follow-ups across the roll-over ---------------------------------

@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """(port, database URL): the project's stores with sessions of at most MAX_EVENTS events."""
    if not list((ROOT / "models").glob("*.tar.gz")):
        pytest.skip("no trained model in models/ (run `make train`; `make test` does)")
    log_dir = tmp_path_factory.mktemp("sessions")
    db = log_dir / "conversations.db"
    with bot_servers(log_dir, services.store_endpoints(), SQLITE_PATH=str(db),
                     SESSION_MAX_EVENTS=str(MAX_EVENTS)) as port:
        yield port, f"sqlite:///{db}"


def rolled_over_after_last_message(db: str, sender: str) -> bool:
    """Did the turn just answered end with a roll-over (a session start after its message)?"""
    kinds = [e["event"] for e in services.stored_events(db, sender)]
    last = {kind: i for i, kind in enumerate(kinds)}
    return last.get("session_started", -1) > last["user"]


def ask_until_rolled_over(port: int, db: str, sender: str, text: str, expect: str) -> None:
    """Ask the same question until a roll-over follows its answer (within a few turns)."""
    for _ in range(MAX_EVENTS):
        reply = texts(chat(port, sender, text))
        assert expect in reply, reply
        if rolled_over_after_last_message(db, sender):
            return
    raise AssertionError(f"no roll-over after {MAX_EVENTS} turns of {text!r}")


def test_follow_ups_keep_their_context_across_the_roll_over(server):
    port, db = server
    sender = f"follow-up-{time.time_ns()}"
    ask_until_rolled_over(port, db, sender, "Welke klachten geven uitzaaiingen in de lever?",
                          expected("lever", "symptomen"))
    assert expected("lever", "behandeling") in texts(chat(port, sender, "en de behandeling?"))
    ask_until_rolled_over(port, db, sender, "en bij de botten?", expected("bot", "behandeling"))
    assert expected("bot", "levensverwachting") in texts(
        chat(port, sender, "en de levensverwachting?"))
    # the bot asked a question, the session rolled over, the answer still fits the question
    ask_until_rolled_over(port, db, sender, "vertel me over uitzaaiingen in de lymfeklieren",
                          "Wat wilt u daarover weten")
    assert expected("lymfeklieren", "levensverwachting") in texts(
        chat(port, sender, "de levensverwachting"))
    sessions = [e for e in services.stored_events(db, sender) if e["event"] == "session_started"]
    assert len(sessions) >= 4  # the first one, and one roll-over per question above
