"""Bounded sessions: a long conversation rolls over into a new Rasa session.

Rasa reads, replays and walks the whole current session of a conversation on every turn (the
tracker store reads it, the policies turn it into states, the action server gets it), so
without a bound every turn of a long conversation is slower than the one before. Rasa's own
session model already has what is needed: a session ends (after an hour without messages,
domain.yml `session_config`) and the next one starts with the slots carried over, and the
tracker store reads only the latest session.

`roll_over` starts such a new session at the end of a turn once the current one holds
SESSION_MAX_EVENTS events (serving/settings.py): the events Rasa's `action_session_start`
writes (ActionExecuted action_session_start, SessionStarted, one SlotSet per slot that has a
value, ActionExecuted action_listen), in Rasa's order and with Rasa's timestamps, so the store
returns exactly these and what follows. The context of the conversation lives in its slots
(site, topic, awaiting) and the rules look at the last turn only, so follow-ups work across
the roll-over (tests/test_sessions.py). A conversation is never rolled over in the middle of
a turn, nor while a form (active loop) runs.
"""
from __future__ import annotations

import time
from typing import List

from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker


def session_length(tracker: DialogueStateTracker) -> int:
    """Events since the latest SessionStarted (the tracker store holds only that session,
    plus the action_session_start just before it)."""
    count = 0
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted):
            return count
        count += 1
    return count


def should_roll_over(tracker: DialogueStateTracker, max_events: int) -> bool:
    """At the end of a turn (the bot listens), no form running, the session full."""
    return (
        tracker.latest_action_name == ACTION_LISTEN_NAME
        and not tracker.active_loop_name
        and len(tracker.events) >= max_events
        and session_length(tracker) >= max_events
    )


def roll_over(tracker: DialogueStateTracker) -> List[Event]:
    """Start a new session on `tracker` as Rasa's action_session_start would, keeping the
    values of the slots; returns the new events (already applied to the tracker)."""
    # later than every event so far, so none of them counts as part of the new session
    now = max(time.time(), tracker.events[-1].timestamp + 1e-6)
    carried = [
        SlotSet(slot.name, slot.value, timestamp=now)
        for slot in tracker.slots.values()
        if slot.value != slot.initial_value
    ]
    # Rasa creates SessionStarted first, then logs ActionExecuted(action_session_start) in
    # front of it: all of them belong to the new session (timestamp >= the session's start).
    events: List[Event] = [
        ActionExecuted(ACTION_SESSION_START_NAME, timestamp=now),
        SessionStarted(timestamp=now),
        *carried,
        ActionExecuted(ACTION_LISTEN_NAME, timestamp=now),
    ]
    for event in events:
        tracker.update(event)
    return events
