"""No user text in any log line, at any level (serving/log_privacy.py).

1. A server logging at DEBUG level gets what used to leak into logs: personal data, a message
   starting with "/" that is no intent, broken shortcuts, metadata, malformed socket.io
   session requests, and a message whose processing fails (its Redis goes away). None of the
   texts appears in its logs, the greeting logs no ERROR, and nothing logs a traceback until
   Redis is gone.
2. Last in the run (tests/conftest.py puts it there): every log written during this test run
   (all server logs under pytest's temporary folder, PostgreSQL's log, and the log lines in
   the recorded `rasa shell` terminal) contains none of the messages the tests sent
   (tests/servers.SENT).
"""
from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Iterable, List

import pytest

from serving.log_privacy import MIN_CHARS
from tests import services
from tests.servers import (
    ROOT,
    SENT,
    bot_servers,
    chat,
    note,
    socketio_chat,
    texts,
)

LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ")


def forms(text: str) -> List[str]:
    """How a text can show up in a log line: as it is, escaped in JSON, in a repr."""
    return list({text, text.strip(), json.dumps(text)[1:-1],
                 json.dumps(text, ensure_ascii=False)[1:-1], repr(text)[1:-1]})


def leaks(sent: Iterable[str], logs: Iterable[Path]) -> List[str]:
    found = []
    checked = [t for t in dict.fromkeys(sent) if isinstance(t, str) and len(t.strip()) >= MIN_CHARS]
    for log in logs:
        content = log.read_text(encoding="utf-8", errors="replace")
        if log.suffix == ".txt":  # a terminal transcript: only its log lines are logs
            content = "\n".join(line for line in content.splitlines() if LOG_LINE.match(line))
        for text in checked:
            if any(form in content for form in forms(text)):
                found.append(f"{log.name}: {text[:80]!r}")
    return found


@pytest.fixture(scope="module")
def debug_server(tmp_path_factory):
    """Action server and Rasa server at DEBUG level, the project's stores, locks in a Redis of
    their own (the test stops it), metadata key `notitie` kept."""
    if not list((ROOT / "models").glob("*.tar.gz")):
        pytest.skip("no trained model in models/ (run `make train`; `make test` does)")
    log_dir = tmp_path_factory.mktemp("debug-logs")
    redis_port, redis = services.start_redis()
    try:
        with bot_servers(
            log_dir, services.store_endpoints(), credentials_text=services.HARDENED_CREDENTIALS,
            extra_args=["--debug"], SQLITE_PATH=str(log_dir / "store" / "conversations.db"),
            REDACT_NAMES="off", REDIS_HOST="127.0.0.1", REDIS_PORT=str(redis_port),
            METADATA_KEYS="notitie",
        ) as port:
            yield port, log_dir, redis
    finally:
        redis.kill()
        redis.wait()


def test_no_user_text_in_debug_logs_even_when_processing_fails(debug_server):
    import socketio

    port, log_dir, redis = debug_server
    tag = str(time.time_ns())[-9:]
    sender = f"logs-{tag}"
    messages = [
        f"Mijn naam is Zeldzaam{tag} en mijn nummer is 0611122233",
        f"/geheimewoord{tag} met nog wat tekst",
        f'/inform{{"site":"Zeldzaam{tag}"}}',
        f'/inform{{"onbekend":"Zeldzaam{tag}b"}}',
        f"/inform{{kapot Zeldzaam{tag}c",
        f"/greet@0.4 Zeldzaam{tag}d",
        f"Wat zijn metastasen, vraagt Zeldzaam{tag}e?",
    ]
    metadata = {"notitie": f"Metanotitie{tag}", "weg": f"Weggegooid{tag}"}
    note(*metadata.values())
    for message in messages:
        request_body = {"sender": sender, "message": message, "metadata": metadata}
        note(message)
        import urllib.request

        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/webhooks/rest/webhook",
            data=json.dumps(request_body).encode(), headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 200
    assert "Hallo" in texts(chat(port, sender, "/greet"))
    assert all(socketio_chat(port, [f"Socketbericht Zeldzaam{tag}f over de lever"],
                             metadata=metadata))

    async def malformed_session_requests() -> None:
        client = socketio.AsyncClient(reconnection=False)
        await client.connect(f"http://127.0.0.1:{port}", transports=["polling"], wait_timeout=60)
        try:
            for bad in (["geen", "object"], f"Sessietekst{tag}", {"session_id": "s" * 100_000}):
                await client.call("session_request", bad, timeout=60)
        finally:
            await client.disconnect()

    import asyncio

    asyncio.run(malformed_session_requests())
    before_failure = "".join(log.read_text(errors="replace") for log in log_dir.glob("*.log"))
    assert " DEBUG " in before_failure, "the server does not log at DEBUG level"
    assert "Traceback" not in before_failure
    assert " ERROR " not in before_failure

    # Redis goes away: the message cannot be processed and Rasa logs the failure
    redis.kill()
    redis.wait()
    failing = f"Na de storing schrijft Zeldzaam{tag}g: bel 0699988877"
    assert chat(port, sender, failing) == []
    logs = sorted(log_dir.glob("*.log"))
    after = "".join(log.read_text(errors="replace") for log in logs)
    assert "rest.message.received.failure" in after, "the failure was not logged"
    assert f"Zeldzaam{tag}" not in after and f"Sessietekst{tag}" not in after
    assert f"Metanotitie{tag}" not in after and f"Weggegooid{tag}" not in after
    assert leaks(messages + [failing], logs) == []


def test_no_test_message_in_any_log_of_this_run(tmp_path_factory):
    """Runs last: the logs of every server this test run started."""
    base = tmp_path_factory.getbasetemp()
    logs = sorted(base.rglob("*.log")) + sorted(base.rglob("*-terminal.txt"))
    logs += services.service_logs()
    if not SENT:
        pytest.skip("no test sent a message in this run")
    found = leaks(SENT, logs)
    print(f"checked {len(set(SENT))} messages against {len(logs)} logs")
    assert found == [], "\n".join(found[:50])
