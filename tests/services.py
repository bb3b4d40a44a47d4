"""Throwaway PostgreSQL and Redis servers on free loopback ports, for the scale-out tests.

One of each per test process (started on first use, stopped at exit). PostgreSQL refuses to
run as root, so as root it runs as the `postgres` user in a directory that user owns.
Tests skip, with the reason, when the Debian binaries are missing.
"""
from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest

from tests.servers import free_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")
_running: Dict[str, str] = {}


def _as_postgres(args: List[str]) -> List[str]:
    return ["runuser", "-u", "postgres", "--"] + args if os.geteuid() == 0 else args


def postgres_url() -> str:
    """SQLAlchemy URL of a fresh PostgreSQL server (database `rasa`, trust auth on loopback)."""
    if "postgres" in _running:
        return _running["postgres"]
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"PostgreSQL binaries not found in {PG_BIN} (apt-get install postgresql)")
    base = Path(tempfile.mkdtemp(prefix="pg-test-"))
    data, port = base / "data", free_port()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    user = "postgres" if os.geteuid() == 0 else os.environ.get("USER", "postgres")
    subprocess.run(
        _as_postgres([str(PG_BIN / "initdb"), "-D", str(data), "-U", user, "-A", "trust",
                      "--no-sync", "-E", "UTF8", "--locale=C"]),
        check=True, capture_output=True, timeout=120,
    )
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {base} -c fsync=off"
    subprocess.run(
        _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options,
                      "-l", str(base / "log"), "-w", "-t", "60", "start"]),
        check=True, capture_output=True, timeout=90,
    )
    atexit.register(_stop_postgres, data, base)
    subprocess.run(
        _as_postgres([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", user, "rasa"]),
        check=True, capture_output=True, timeout=30,
    )
    _running["postgres"] = f"postgresql://{user}@127.0.0.1:{port}/rasa"
    _running["postgres_log"] = str(base / "log")
    return _running["postgres"]


def service_logs() -> List[Path]:
    """Logs of the services started by this test process (PostgreSQL's)."""
    return [Path(_running["postgres_log"])] if "postgres_log" in _running else []


def _stop_postgres(data: Path, base: Path) -> None:
    subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                   capture_output=True, timeout=60)
    shutil.rmtree(base, ignore_errors=True)


def start_redis() -> Tuple[int, subprocess.Popen]:
    """A redis-server of its own on a free loopback port, without persistence: (port, process).
    The caller stops it (tests/test_logs.py stops one while a server uses it)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server not found (apt-get install redis-server)")
    port = free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", tempfile.gettempdir()],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(host="127.0.0.1", port=port)
    deadline = time.monotonic() + 30
    while True:
        try:
            client.ping()
            return port, proc
        except redis.ConnectionError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError("redis-server did not start")
            time.sleep(0.1)


def redis_port() -> int:
    """Port of a fresh redis-server on loopback, shared by the tests of this process."""
    if "redis" in _running:
        return int(_running["redis"])
    port, proc = start_redis()
    atexit.register(lambda: (proc.terminate(), proc.wait(10)))
    _running["redis"] = str(port)
    return port


def store_endpoints() -> str:
    """endpoints.yml lines for the project's tracker and lock stores (tests/servers.write_endpoints)."""
    return (
        "tracker_store:\n  type: serving.tracker_store.PrivateSQLTrackerStore\n"
        "lock_store:\n  type: serving.lock_store.ConfiguredLockStore\n"
    )


def stored_events(db_url: str, sender: Optional[str] = None) -> List[dict]:
    """The events stored for a conversation (or all), in order, as dictionaries."""
    import json

    import sqlalchemy as sa

    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as connection:
            query = "SELECT sender_id, data FROM events"
            params = {}
            if sender is not None:
                query += " WHERE sender_id = :sender"
                params = {"sender": sender}
            rows = connection.execute(sa.text(query + " ORDER BY id"), params).fetchall()
        return [dict(json.loads(data), sender_id=s) for s, data in rows]
    finally:
        engine.dispose()


API_TOKEN = "test-token-not-secret"
WIDGET_ORIGIN = "http://127.0.0.1:8080"
HARDENED_CREDENTIALS = """\
channels.hardened.ValidatedRestInput:
channels.hardened.OriginCheckedSocketIOInput:
  user_message_evt: user_uttered
  bot_message_evt: bot_uttered
  session_persistence: true
"""


def secured_server(log_dir: Path) -> int:
    """Action server + Rasa server as in production: API behind a token (read from a file,
    never on a command line), CORS for the widget origins only, the hardened REST and
    socket.io channels, the project's stores (SQLite). Returns the port."""
    if "secured" in _running:
        return int(_running["secured"])
    from tests.servers import start_action_server, start_rasa_server, stop, write_endpoints

    action_port, port = free_port(), free_port()
    actions = start_action_server(action_port, log_dir)
    atexit.register(stop, actions)
    credentials = log_dir / "credentials-hardened.yml"
    credentials.write_text(HARDENED_CREDENTIALS, encoding="utf-8")
    endpoints = write_endpoints(log_dir / "endpoints-secured.yml", action_port, store_endpoints())
    token_file = log_dir / "api-token"
    token_file.write_text(API_TOKEN + "\n", encoding="utf-8")
    rasa = start_rasa_server(
        port, log_dir, endpoints, credentials=credentials,
        extra_args=["--enable-api", "--cors", WIDGET_ORIGIN, "http://localhost:8080",
                    "--log-file", str(log_dir / "rasa-file.log")],
        SQLITE_PATH=str(secured_sqlite_path(log_dir)), REDACT_NAMES="off",
        RASA_API_TOKEN="", RASA_API_TOKEN_FILE=str(token_file),
    )
    atexit.register(stop, rasa)
    _running["secured"] = str(port)
    _running["secured_logs"] = str(log_dir)
    _running["secured_pids"] = f"{actions.pid} {rasa.pid}"
    return port


def secured_pids() -> List[int]:
    """Process ids of the secured server's action server and Rasa server."""
    return [int(pid) for pid in _running["secured_pids"].split()]


def secured_sqlite_path(log_dir: Path) -> Path:
    """The secured server's SQLite store, in a folder the server creates itself."""
    return log_dir / "store" / "conversations.db"


def secured_log_dir() -> Path:
    return Path(_running["secured_logs"])


def secured_db() -> str:
    return f"sqlite:///{secured_sqlite_path(secured_log_dir())}"


def secured_logs() -> List[Path]:
    return sorted(Path(_running["secured_logs"]).glob("*.log"))
