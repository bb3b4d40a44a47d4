"""Conversations survive restarts and are shared between Rasa processes.

(a) two Rasa servers share a throwaway PostgreSQL (tracker store) and Redis (lock store); one
    conversation alternates between them for 50+ turns and every follow-up keeps its context;
(b) a server killed with SIGKILL, even while answering, and started again continues the
    conversation, and every message the user saw answered is in the store;
(c) the same with the embedded default, SQLite.
"""
from __future__ import annotations

import itertools
import signal
import threading
import time
from pathlib import Path
from typing import Dict, List, Tuple

import pytest
import yaml

from tests import services
from tests.servers import (
    ROOT,
    chat,
    free_port,
    start_action_server,
    start_rasa_server,
    stop,
    texts,
    write_endpoints,
)

ANSWERS = yaml.safe_load((ROOT / "content" / "answers.yml").read_text(encoding="utf-8"))
SITE_PHRASES = {
    "lever": ["en in de lever?", "en bij de lever?"],
    "bot": ["en bij de botten?", "en in het bot?"],
    "lymfeklieren": ["en bij de lymfeklieren?", "en in de lymfeklieren?"],
}
TOPIC_PHRASES = {
    "symptomen": ["en de klachten?", "welke klachten geeft dat?"],
    "behandeling": ["en de behandeling?", "hoe wordt dat behandeld?"],
    "levensverwachting": ["en de levensverwachting?", "wat is de levensverwachting?"],
    "oorzaak": ["en de oorzaak?", "wat is de oorzaak?"],
}
ENV = {"REDACT_NAMES": "off", "TICKET_LOCK_LIFETIME": "10"}


def expected(site: str, topic: str) -> str:
    """A piece of the answer's text from content/answers.yml, as the bot must send it."""
    text = " ".join(ANSWERS["sites"][site][topic]["text"].split())
    return text[:40]


def script(turns: int) -> List[Tuple[str, str, str]]:
    """(message, site, topic): an opening question, then follow-ups changing site or topic."""
    steps = [("Welke klachten geven uitzaaiingen in de lever?", "lever", "symptomen"),
             ("en de behandeling?", "lever", "behandeling"),  # 10-30%
             ("en bij de botten?", "bot", "behandeling")]
    sites, topics = itertools.cycle(["lymfeklieren", "lever", "bot"]), itertools.cycle(
        ["levensverwachting", "oorzaak", "symptomen", "behandeling"])
    site, topic = "bot", "behandeling"
    for i in itertools.count():
        if len(steps) >= turns:
            return steps
        if i % 2 == 0:
            topic = next(t for t in topics if t != topic)
            steps.append((TOPIC_PHRASES[topic][i // 2 % 2], site, topic))
        else:
            site = next(s for s in sites if s != site)
            steps.append((SITE_PHRASES[site][i // 2 % 2], site, topic))


def say(port: int, sender: str, message: str, site: str, topic: str, said: List[str]) -> None:
    reply = texts(chat(port, sender, message))
    said.append(message)
    assert expected(site, topic) in reply, f"{message!r} on :{port} ({site}/{topic}):\n{reply}"


def user_texts(db_url: str, sender: str) -> List[str]:
    return [e["text"] for e in services.stored_events(db_url, sender) if e["event"] == "user"]


@pytest.fixture(scope="module")
def log_dir(tmp_path_factory) -> Path:
    if not list((ROOT / "models").glob("*.tar.gz")):
        pytest.skip("no trained model in models/ (run `make train`; `make test` does)")
    return tmp_path_factory.mktemp("persistence")


@pytest.fixture(scope="module")
def action_port(log_dir):
    port = free_port()
    proc = start_action_server(port, log_dir)
    yield port
    stop(proc)


def topic_after_kill(db_url: str, sender: str, before: str) -> str:
    """The in-flight "wat is de oorzaak?" counts only if it reached the store."""
    return "oorzaak" if user_texts(db_url, sender)[-1] == "wat is de oorzaak?" else before


def kill_while_answering(proc, port: int, sender: str, said: List[str]) -> None:
    """SIGKILL the server while it answers a message; remember it only if it was answered."""
    answered: Dict[str, bool] = {}

    def send() -> None:
        try:
            chat(port, sender, "wat is de oorzaak?", timeout=15)
            answered["yes"] = True
        except Exception:
            pass

    thread = threading.Thread(target=send)
    thread.start()
    time.sleep(0.15)
    stop(proc, signal.SIGKILL)
    thread.join(20)
    if answered:
        said.append("wat is de oorzaak?")


def test_two_servers_share_postgres_and_redis_and_survive_sigkill(log_dir, action_port):
    db_url, redis_port = services.postgres_url(), services.redis_port()
    env = dict(ENV, TRACKER_DB_URL=db_url, REDIS_HOST="127.0.0.1", REDIS_PORT=str(redis_port))
    endpoints = write_endpoints(log_dir / "endpoints-pg.yml", action_port, services.store_endpoints())
    ports = [free_port(), free_port()]
    procs = [start_rasa_server(p, log_dir, endpoints, **env) for p in ports]
    sender, said = f"scale-{time.time_ns()}", []
    try:
        steps = script(52)
        for i, (message, site, topic) in enumerate(steps):
            say(ports[i % 2], sender, message, site, topic, said)
        assert user_texts(db_url, sender) == said

        # (b) kill server 0 while it answers; server 1 goes on; server 0 comes back
        kill_while_answering(procs[0], ports[0], sender, said)
        assert user_texts(db_url, sender)[: len(said)] == said
        said = user_texts(db_url, sender)  # an unanswered message may still have been stored
        topic = topic_after_kill(db_url, sender, steps[-1][2])
        say(ports[1], sender, "en in de lever?", "lever", topic, said)
        procs[0] = start_rasa_server(ports[0], log_dir, endpoints, **env)
        say(ports[0], sender, "en de behandeling?", "lever", "behandeling", said)
        say(ports[1], sender, "en bij de botten?", "bot", "behandeling", said)
        assert user_texts(db_url, sender) == said
    finally:
        for proc in procs:
            stop(proc)


def test_sqlite_default_survives_sigkill(log_dir, action_port, tmp_path):
    db = tmp_path / "conversations.db"
    env = dict(ENV, SQLITE_PATH=str(db))
    endpoints = write_endpoints(log_dir / "endpoints-sqlite.yml", action_port, services.store_endpoints())
    port = free_port()
    proc = start_rasa_server(port, log_dir, endpoints, **env)
    sender, said, db_url = f"sqlite-{time.time_ns()}", [], f"sqlite:///{db}"
    try:
        for message, site, topic in script(4):
            say(port, sender, message, site, topic, said)
        kill_while_answering(proc, port, sender, said)
        assert user_texts(db_url, sender)[: len(said)] == said
        said = user_texts(db_url, sender)
        proc = start_rasa_server(port, log_dir, endpoints, **env)
        topic = topic_after_kill(db_url, sender, topic)
        say(port, sender, "en in de lymfeklieren?", "lymfeklieren", topic, said)
        say(port, sender, "en de behandeling?", "lymfeklieren", "behandeling", said)
        assert user_texts(db_url, sender) == said
    finally:
        stop(proc)
