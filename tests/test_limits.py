"""Abuse limits (serving/limits.py): per conversation, messages per minute and per session; per
client address, conversations open at once. A refused message gets HTTP 429 with a friendly
Dutch text on REST and that text on the widget's socket.io, and never reaches the bot; other
conversations, and patients writing at a human pace, are not affected.

The rules are checked on a fake clock; the channels on a real server on loopback.
"""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Dict, List, Tuple

import pytest

from serving import limits, settings
from tests import services
from tests.servers import (
    ROOT,
    bot_servers,
    note,
    socketio_chat,
    texts,
)

TEXTS = limits.load_texts()
DEFAULTS = settings.load({})


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make(per_minute=30, per_session=300, per_address=50, idle_s=3600.0, **kw) -> Tuple[limits.Limits, Clock]:
    clock = Clock()
    return limits.Limits(per_minute, per_session, per_address, idle_s, TEXTS, clock, **kw), clock


def test_every_refusal_text_points_to_emergency_help():
    assert set(TEXTS) == {"minute", "session", "address"}
    for text in TEXTS.values():
        assert "112" in text and "113" in text


def test_messages_per_minute_per_conversation():
    rules, clock = make(per_minute=3)
    assert [rules.admit("a", "10.0.0.1") for _ in range(3)] == [None] * 3
    clock.now += 20
    refusal = rules.admit("a", "10.0.0.1")
    assert refusal.reason == "minute" and refusal.text == TEXTS["minute"]
    assert refusal.retry_after_s == 40  # until the first of the three is a minute old
    assert rules.admit("b", "10.0.0.1") is None  # another conversation goes on
    clock.now += 40
    assert rules.admit("a", "10.0.0.1") is None


def test_messages_per_session_until_the_conversation_is_quiet():
    rules, clock = make(per_minute=0, per_session=5, idle_s=600)
    for _ in range(5):
        assert rules.admit("a", None) is None
        clock.now += 100
    assert rules.admit("a", None).reason == "session"
    clock.now += 599  # refused messages keep the conversation open
    assert rules.admit("a", None).reason == "session"
    clock.now += 600
    assert rules.admit("a", None) is None  # quiet for 10 minutes: a new session


def test_conversations_open_at_once_per_address():
    rules, clock = make(per_address=2, idle_s=600)
    assert rules.admit("a", "192.0.2.7") is None
    clock.now += 300
    assert rules.admit("b", "192.0.2.7") is None
    refusal = rules.admit("c", "192.0.2.7")
    assert refusal.reason == "address" and refusal.text == TEXTS["address"]
    assert rules.admit("c", "192.0.2.8") is None  # another address
    clock.now += 200
    assert rules.admit("a", "192.0.2.7") is None  # open conversations go on
    clock.now += 401  # b has been quiet for more than 10 minutes, a has not
    assert rules.admit("d", "192.0.2.7") is None
    assert rules.admit("e", "192.0.2.7").reason == "address"


def test_an_ipv6_client_counts_by_its_64_network():
    rules, _ = make(per_address=1)
    assert rules.admit("a", "2001:db8:1:2::1") is None
    assert rules.admit("b", "2001:db8:1:2:ffff::9").reason == "address"
    assert rules.admit("c", "2001:db8:1:3::1") is None
    assert limits.address_key("::ffff:192.0.2.1") == "192.0.2.1"


def test_client_address_from_the_proxy_header_only_when_configured():
    headers = {"X-Forwarded-For": "203.0.113.9, 198.51.100.2"}
    assert limits.client_address(headers, "127.0.0.1", None) == "127.0.0.1"
    assert limits.client_address(headers, "127.0.0.1", "X-Forwarded-For") == "198.51.100.2"
    assert limits.client_address({}, "127.0.0.1", "X-Forwarded-For") == "127.0.0.1"


def test_patients_at_a_human_pace_are_never_refused_with_the_default_limits():
    """Fifty conversations from one address (a hospital network), each a patient writing
    80 messages 2-10 s apart, at the same time: nothing refused."""
    rules, clock = make(DEFAULTS.limit_messages_per_minute, DEFAULTS.limit_messages_per_session,
                        DEFAULTS.limit_conversations_per_address,
                        DEFAULTS.limit_idle_minutes * 60.0)
    assert DEFAULTS.limit_conversations_per_address >= 50
    for turn in range(80):
        for patient in range(50):
            assert rules.admit(f"patient-{patient}", "192.0.2.1") is None, (turn, patient)
        clock.now += 2 + turn % 9


def test_a_limit_of_zero_is_off():
    rules, _ = make(per_minute=0, per_session=0, per_address=0)
    for n in range(500):
        assert rules.admit("a", "192.0.2.1") is None
        assert rules.admit(f"new-{n}", "192.0.2.1") is None


def test_memory_is_bounded_whatever_the_traffic():
    rules, _ = make(max_conversations=100)
    for n in range(1000):
        assert rules.admit(f"c{n}", f"10.0.{n // 250}.{n % 250}") is None
    assert rules.open_conversations == 100


# --- through a real server: REST and socket.io ---------------------------------------------

LIMITED = {"LIMIT_MESSAGES_PER_MINUTE": "3", "LIMIT_CONVERSATIONS_PER_ADDRESS": "3",
           "LIMIT_MESSAGES_PER_SESSION": "100"}
HANG_S = 10  # 4 messages of a conversation are sent within 40 s, so within one minute


def post(port: int, sender: str, text: str) -> Tuple[int, Dict[str, str], List[dict]]:
    note(text)
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": text}).encode(),
        headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=HANG_S) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    """(port, database URL): the project's channels and store with small limits."""
    if not list((ROOT / "models").glob("*.tar.gz")):
        pytest.skip("no trained model in models/ (run `make train`; `make test` does)")
    log_dir = tmp_path_factory.mktemp("limits")
    db = log_dir / "conversations.db"
    with bot_servers(log_dir, services.store_endpoints(), SQLITE_PATH=str(db), **LIMITED) as port:
        yield port, f"sqlite:///{db}"


def test_limits_on_rest_and_socketio(limited):
    port, db = limited
    a, b = f"limit-a-{time.time_ns()}", f"limit-b-{time.time_ns()}"
    for n in range(3):
        status, _, reply = post(port, a, f"Wat zijn metastasen? ({n})")
        assert status == 200 and "Metastasen" in texts(reply)
    status, headers, reply = post(port, a, "Wat zijn metastasen? (te veel)")
    assert status == 429 and 1 <= int(headers["Retry-After"]) <= 60
    assert reply == [{"recipient_id": a, "text": TEXTS["minute"]}]
    stored = [e["text"] for e in services.stored_events(db, a) if e["event"] == "user"]
    assert stored == [f"Wat zijn metastasen? ({n})" for n in range(3)]  # the bot never saw it

    status, _, reply = post(port, b, "Wat zijn metastasen?")  # another conversation: as usual
    assert status == 200 and "Metastasen" in texts(reply)

    replies = socketio_chat(port, [f"Wat zijn metastasen? ({n})" for n in range(4)],
                            timeout=HANG_S)
    assert all("Metastasen" in texts(r) for r in replies[:3])
    assert replies[3] == [{"text": TEXTS["minute"]}]

    # three conversations are open from this address: a new one is refused, the others go on
    status, _, reply = post(port, f"limit-d-{time.time_ns()}", "Wat zijn metastasen?")
    assert status == 429 and reply[0]["text"] == TEXTS["address"]
    status, _, reply = post(port, b, "en de behandeling?")
    assert status == 200 and reply
