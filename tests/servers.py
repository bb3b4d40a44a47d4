"""Start the project's real servers on loopback for tests: action server and Rasa server.

Used by tests/conftest.py fixtures and by any test that needs its own servers (other ports,
other endpoints or credentials). Every process is stopped by the context manager. Servers
run as scripts/run.sh runs them: through serving/cli.py.

Every message a test sends is noted in SENT (`chat` does it; other senders call `note`), so
that tests/test_logs.py can check that none of them appears in any server log of the run.
"""
from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, Iterator, List, Optional

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
MODELS = ROOT / "models"
START_TIMEOUT_S = 120
RASA = [str(VENV_BIN / "python"), "-m", "serving.cli"]  # Rasa's command line, as run.sh runs it
COMMON_UMASK = 0o022  # servers start with the usual umask: their files must be private anyway
SENT: List[str] = []
# Every test server talks to one client address (loopback) that sends thousands of messages,
# dozens per conversation within a minute: the abuse limits (serving/limits.py) stay on but
# this far up. tests/test_limits.py starts its servers with the limits it tests.
TEST_LIMITS = {
    "LIMIT_MESSAGES_PER_MINUTE": "100000",
    "LIMIT_MESSAGES_PER_SESSION": "100000",
    "LIMIT_CONVERSATIONS_PER_ADDRESS": "100000",
}


def note(*texts: str) -> None:
    """Remember texts sent to a server, for the log check (tests/test_logs.py)."""
    SENT.extend(t for t in texts if isinstance(t, str))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def newest_model() -> Path:
    models = sorted(MODELS.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise RuntimeError("no trained model in models/: run `make train` first")
    return models[-1]


def server_env(**extra: str) -> Dict[str, str]:
    env = dict(os.environ)
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        TF_CPP_MIN_LOG_LEVEL="3",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
        PYTHONPATH=str(ROOT),
        **TEST_LIMITS,
    )
    env.update(extra)
    return env


def wait_for(url: str, proc: subprocess.Popen, log: Path, timeout: float = START_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}; log:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    raise RuntimeError(f"server at {url} not ready in {timeout}s; log:\n{log.read_text()[-4000:]}")


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def start_action_server(port: int, log_dir: Path, **env: str) -> subprocess.Popen:
    log = log_dir / f"actions-{port}.log"
    proc = subprocess.Popen(
        RASA + ["run", "actions", "--actions", "actions", "--port", str(port)],
        cwd=ROOT,
        env=server_env(SANIC_HOST="127.0.0.1", **env),
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
        umask=COMMON_UMASK,
    )
    wait_for(f"http://127.0.0.1:{port}/health", proc, log)
    return proc


def write_endpoints(path: Path, action_port: int, extra: str = "") -> Path:
    path.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n{extra}',
        encoding="utf-8",
    )
    return path


def start_rasa_server(
    port: int,
    log_dir: Path,
    endpoints: Path,
    credentials: Path = ROOT / "credentials.yml",
    model: Optional[Path] = None,
    extra_args: Optional[List[str]] = None,
    **env: str,
) -> subprocess.Popen:
    log = log_dir / f"rasa-{port}.log"
    args = RASA + [
        "run",
        "--model", str(model or newest_model()),
        "--interface", "127.0.0.1", "--port", str(port),
        "--endpoints", str(endpoints), "--credentials", str(credentials),
    ] + list(extra_args or [])
    proc = subprocess.Popen(
        args, cwd=ROOT, env=server_env(**env), stdout=log.open("w"),
        stderr=subprocess.STDOUT, start_new_session=True, umask=COMMON_UMASK,
    )
    wait_for(f"http://127.0.0.1:{port}/webhooks/rest/", proc, log)
    return proc


def chat(port: int, sender: str, text: str, timeout: float = 30) -> List[dict]:
    """POST one message to the REST channel and return the bot's messages."""
    note(text)
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": text}).encode("utf-8"),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read().decode("utf-8"))


def socketio_chat(port: int, messages: List[str], metadata: Optional[dict] = None,
                  timeout: float = 60) -> List[List[dict]]:
    """Send messages on one socket.io session, one by one, as the widget does; returns the
    bot's replies to each. The server acknowledges a message once its handler is done, after
    its replies (tests/test_fuzz.py explains why this counts them exactly)."""
    import asyncio

    import socketio

    note(*messages)

    async def talk() -> List[List[dict]]:
        client = socketio.AsyncClient(reconnection=False)
        replies: List[dict] = []
        confirmed = asyncio.get_running_loop().create_future()
        client.on("session_confirm", lambda sid: confirmed.done() or confirmed.set_result(sid))
        client.on("bot_uttered", replies.append)
        # polling: the websocket transport needs websocket-client, which is not installed
        await client.connect(f"http://127.0.0.1:{port}", transports=["polling"],
                             wait_timeout=timeout)
        answers = []
        try:
            await client.call("session_request", {"session_id": None}, timeout=timeout)
            session_id = await asyncio.wait_for(confirmed, timeout)
            for text in messages:
                replies.clear()
                data = {"message": text, "session_id": session_id}
                if metadata is not None:
                    data["metadata"] = metadata
                await client.call("user_uttered", data, timeout=timeout)
                answers.append(list(replies))
        finally:
            await client.disconnect()
        return answers

    return asyncio.run(talk())


def texts(messages: List[dict]) -> str:
    """All text of a reply, joined, for assertions."""
    return "\n".join(m.get("text", "") for m in messages)


@contextlib.contextmanager
def bot_servers(log_dir: Path, endpoints_extra: str = "", credentials_text: Optional[str] = None,
                extra_args: Optional[List[str]] = None, **env: str) -> Iterator[int]:
    """Action server and Rasa server with the newest model; yields the Rasa port.
    `credentials_text`: the channels' credentials.yml (default: the project's)."""
    action_port, rasa_port = free_port(), free_port()
    actions = start_action_server(action_port, log_dir)
    try:
        endpoints = write_endpoints(log_dir / f"endpoints-{rasa_port}.yml", action_port, endpoints_extra)
        credentials = ROOT / "credentials.yml"
        if credentials_text is not None:
            credentials = log_dir / f"credentials-{rasa_port}.yml"
            credentials.write_text(credentials_text, encoding="utf-8")
        rasa = start_rasa_server(rasa_port, log_dir, endpoints, credentials=credentials,
                                 extra_args=extra_args, **env)
        try:
            yield rasa_port
        finally:
            stop(rasa)
    finally:
        stop(actions)
