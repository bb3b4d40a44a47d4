"""Privacy end to end, through real servers (as scripts/run.sh starts them, with umask 022):
what users send over REST and socket.io (text, metadata, an overlong message) is stored
redacted in every column, on SQLite and on PostgreSQL; metadata keys the bot does not use are
dropped; oversized metadata is refused (413) or ignored (socket.io); the SQLite store, its
folder and Rasa's log file are private (0600/0700)."""
from __future__ import annotations

import json
import stat
import time
import urllib.error
import urllib.request

import pytest

from tests import services
from tests.servers import (
    ROOT,
    bot_servers,
    chat,
    socketio_chat,
    texts,
)
from tests.test_privacy import DROPPED, MESSAGE, METADATA, PERSONAL, stored_rows

OVERLONG = "x" * 195 + " jan.de.vries@example.nl 06-12345678 " + "lang " * 300


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request, tmp_path_factory):
    """(port, database URL, kept metadata keys): the secured server on SQLite (no metadata
    kept), or the same configuration on PostgreSQL keeping metadata key `verwijzer`."""
    if not list((ROOT / "models").glob("*.tar.gz")):
        pytest.skip("no trained model in models/ (run `make train`; `make test` does)")
    if request.param == "sqlite":
        port = services.secured_server(tmp_path_factory.mktemp("secured"))
        yield port, services.secured_db(), ()
        return
    log_dir = tmp_path_factory.mktemp("privacy-pg")
    db_url = services.postgres_url()
    with bot_servers(log_dir, services.store_endpoints(),
                     credentials_text=services.HARDENED_CREDENTIALS, TRACKER_DB_URL=db_url,
                     REDACT_NAMES="off", METADATA_KEYS="verwijzer") as port:
        yield port, db_url, ("verwijzer",)


def post(port: int, body: dict) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhooks/rest/webhook", data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_what_users_send_is_stored_redacted_in_every_column(server):
    port, db_url, kept = server
    rest, socket = f"e2e-rest-{time.time_ns()}", None
    assert post(port, {"sender": rest, "message": MESSAGE, "metadata": METADATA}) == 200
    assert "te lang" in texts(chat(port, rest, OVERLONG))
    answers = socketio_chat(port, [MESSAGE, "en de behandeling?"], metadata=METADATA)
    assert all(answers)
    raw_rest = stored_rows(db_url, rest)
    import sqlalchemy as sa

    engine = sa.create_engine(db_url)
    with engine.connect() as connection:  # the socket.io conversation: the newest other one
        socket = connection.execute(sa.text(
            "SELECT sender_id FROM events WHERE type_name = 'user' AND sender_id NOT LIKE 'e2e-%' "
            "ORDER BY id DESC LIMIT 1")).scalar()
    engine.dispose()
    raw = raw_rest + stored_rows(db_url, socket)
    for kind, value in PERSONAL.items():
        assert value not in raw, f"{kind} {value!r} was stored"
    for dropped in DROPPED + ("jan.de.vries", "example.nl", "12345678"):
        assert dropped not in raw, f"{dropped!r} was stored"
    assert "uitzaaiingen in de lever" in raw and "ingekort" in raw
    assert ("bel dokter op [telefoonnummer]" in raw) == ("verwijzer" in kept)
    assert ("session_started_metadata" in raw) == bool(kept)  # set only when metadata is kept


def test_oversized_metadata_is_refused_or_ignored(server):
    port, db_url, _ = server
    big = {"verwijzer": "y" * 5000}
    sender = f"e2e-big-{time.time_ns()}"
    assert post(port, {"sender": sender, "message": "Wat zijn metastasen?", "metadata": big}) == 413
    answers = socketio_chat(port, ["Wat zijn metastasen?"], metadata=big)
    assert answers[0], "a message with oversized metadata is still answered, without it"
    assert "y" * 100 not in repr(services.stored_events(db_url))


@pytest.fixture(scope="module")
def secured_port(tmp_path_factory) -> int:
    if not list((ROOT / "models").glob("*.tar.gz")):
        pytest.skip("no trained model in models/ (run `make train`; `make test` does)")
    return services.secured_server(tmp_path_factory.mktemp("secured"))


def test_store_folder_and_log_file_are_private(secured_port):
    """The secured server starts with umask 022, creates its SQLite store in a new folder
    and writes Rasa's --log-file: all readable by the service user only."""
    log_dir = services.secured_log_dir()
    db = services.secured_sqlite_path(log_dir)
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE((log_dir / "rasa-file.log").stat().st_mode) == 0o600
    assert (log_dir / "rasa-file.log").stat().st_size > 0
