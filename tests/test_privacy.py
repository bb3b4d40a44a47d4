"""Privacy by default: personal data is redacted before storage (SQLite and PostgreSQL alike),
overlong text is not stored in full, and `make purge` deletes conversations past retention."""
from __future__ import annotations

import asyncio
import subprocess
import sys
import time

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from serving.redaction import NameRedactor, is_bsn, redact
from serving.retention import DAY_S, purge
from serving.tracker_store import PrivateSQLTrackerStore
from tests import services
from tests.servers import ROOT

PERSONAL = {
    "phone": "06-12345678",
    "phone_intl": "+31 6 1234 5678",
    "landline": "020 123 4567",
    "email": "jan.de.vries@example.nl",
    "bsn": "111222333",
    "bsn_dotted": "123.456.782",
    "date_of_birth": "12-03-1961",
    "date_written": "3 maart 1961",
    "postcode": "1234 AB 56",
}
MESSAGE = (
    f"Mijn naam is Jan de Vries, geboren {PERSONAL['date_of_birth']} ({PERSONAL['date_written']}), "
    f"BSN {PERSONAL['bsn']} of {PERSONAL['bsn_dotted']}, bel {PERSONAL['phone']} of "
    f"{PERSONAL['phone_intl']} of {PERSONAL['landline']}, mail {PERSONAL['email']}, "
    f"adres {PERSONAL['postcode']}. Welke klachten geven uitzaaiingen in de lever?"
)


@pytest.mark.parametrize("text, expected", [
    ("bel 0612345678", "bel [telefoonnummer]"),
    ("bel +31612345678!", "bel [telefoonnummer]!"),
    ("mail a.b@c.nl.", "mail [e-mail]."),
    ("bsn 123456782", "bsn [bsn]"),
    ("nummer 123456789", "nummer [nummer]"),  # fails the 11-proof: still a long number
    ("postcode 3511AB", "postcode [postcode]"),
    ("Kerkstraat 12 in Utrecht", "[adres] in Utrecht"),
    ("geboren op 1961-03-12", "geboren op [datum]"),
    ("ik heet Anna Smit en ik ben bang", "ik heet [naam] en ik ben bang"),
    ("Welke klachten geven uitzaaiingen in de lever?", "Welke klachten geven uitzaaiingen in de lever?"),
    ("in 1961 en in 2020 kreeg ik kanker", "in 1961 en in 2020 kreeg ik kanker"),
])
def test_patterns_redact_personal_data_and_keep_questions(text, expected):
    assert redact(text) == expected


def test_bsn_eleven_proof():
    assert is_bsn("111222333") and is_bsn("123456782")
    assert not is_bsn("123456789") and not is_bsn("000000000")


def conversation(sender: str, text: str, at: float) -> DialogueStateTracker:
    parse = {"text": text, "intent": {"name": "ask_topic", "confidence": 0.9},
             "entities": [{"entity": "site", "value": "lever", "start": 0, "end": 5}]}
    return DialogueStateTracker.from_events(sender, [
        ActionExecuted("action_listen", timestamp=at),
        UserUttered(text, parse["intent"], parse["entities"], parse, timestamp=at),
        BotUttered("Antwoord.", timestamp=at + 1),
    ])


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path, monkeypatch):
    """The project's tracker store on SQLite (the default) or on a throwaway PostgreSQL."""
    monkeypatch.setenv("REDACT_NAMES", "off")
    for name in ("TRACKER_DB_URL", "DB_HOST", "SQLITE_PATH"):
        monkeypatch.delenv(name, raising=False)
    if request.param == "sqlite":
        monkeypatch.setenv("SQLITE_PATH", str(tmp_path / "conversations.db"))
        return f"sqlite:///{tmp_path / 'conversations.db'}"
    url = services.postgres_url()
    monkeypatch.setenv("TRACKER_DB_URL", url)
    return url


def save(tracker: DialogueStateTracker) -> PrivateSQLTrackerStore:
    store = PrivateSQLTrackerStore(domain=Domain.load(str(ROOT / "domain.yml")))
    asyncio.run(store.save(tracker))
    store.engine.dispose()
    return store


def test_stored_conversation_contains_no_personal_data(db_url):
    sender = f"privacy-{time.time_ns()}"
    save(conversation(sender, MESSAGE, time.time()))
    stored = services.stored_events(db_url, sender)
    raw = repr(stored)
    for kind, value in PERSONAL.items():
        assert value not in raw, f"{kind} {value!r} was stored"
    for digits in ("12345678", "111222333", "123456782", "1961", "example.nl", "Vries"):
        assert digits not in raw
    user = [e for e in stored if e["event"] == "user"][0]
    assert "uitzaaiingen in de lever" in user["text"]  # the question itself is kept
    assert user["parse_data"]["intent"]["name"] == "ask_topic"


def test_overlong_text_is_not_stored_in_full(db_url):
    sender = f"long-{time.time_ns()}"
    save(conversation(sender, "lang " * 3000, time.time()))
    user = [e for e in services.stored_events(db_url, sender) if e["event"] == "user"][0]
    assert len(user["text"]) < 300 and "ingekort: 15000 tekens" in user["text"]
    assert len(user["parse_data"]["text"]) < 300


def test_purge_deletes_conversations_older_than_retention(db_url):
    now = time.time()
    old, recent = f"old-{time.time_ns()}", f"recent-{time.time_ns()}"
    save(conversation(old, "Wat zijn metastasen?", now - 40 * DAY_S))
    save(conversation(recent, "Wat zijn metastasen?", now - 2 * DAY_S))
    dry = purge(db_url, 30, now=now, dry_run=True)
    assert dry.events >= 3 and services.stored_events(db_url, old)
    result = purge(db_url, 30, now=now)
    assert result.events >= 3 and result.conversations >= 1
    assert services.stored_events(db_url, old) == []
    assert len(services.stored_events(db_url, recent)) == 3


def test_make_purge_script_uses_the_configured_store(tmp_path, monkeypatch):
    db = tmp_path / "conversations.db"
    monkeypatch.setenv("SQLITE_PATH", str(db))
    monkeypatch.setenv("REDACT_NAMES", "off")
    monkeypatch.delenv("TRACKER_DB_URL", raising=False)
    monkeypatch.delenv("DB_HOST", raising=False)
    save(conversation("ancient", "Hallo", time.time() - 90 * DAY_S))
    done = subprocess.run(
        [sys.executable, "scripts/purge.py", "--days", "60"], cwd=ROOT, capture_output=True,
        text=True, timeout=60, env={**__import__("os").environ, "SQLITE_PATH": str(db)},
    )
    assert done.returncode == 0, done.stderr
    assert "deleted 3 events of 1 conversations" in done.stdout
    assert services.stored_events(f"sqlite:///{db}") == []


def test_deduce_redacts_names_offline():
    """deduce 2.5 needs no network; building its lookup lists takes ~1 minute of CPU here."""
    names = NameRedactor.start()
    assert names.wait(timeout=240), "deduce did not load in 4 minutes"
    started = time.perf_counter()
    text = redact("Ik ben Piet Jansen uit Amersfoort, bel 06-12345678. Wat is de behandeling?", names)
    per_message_ms = (time.perf_counter() - started) * 1000
    assert "Piet" not in text and "Jansen" not in text and "[telefoonnummer]" in text
    assert "Wat is de behandeling?" in text
    assert per_message_ms < 200
