"""Start the project's real servers on loopback for tests: action server and Rasa server.

Used by tests/conftest.py fixtures and by any test that needs its own servers (other ports,
other endpoints or credentials). Every process is stopped by the context manager.
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
        [str(VENV_BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(port)],
        cwd=ROOT,
        env=server_env(SANIC_HOST="127.0.0.1", **env),
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
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
    args = [
        str(VENV_BIN / "rasa"), "run",
        "--model", str(model or newest_model()),
        "--interface", "127.0.0.1", "--port", str(port),
        "--endpoints", str(endpoints), "--credentials", str(credentials),
    ] + list(extra_args or [])
    proc = subprocess.Popen(
        args, cwd=ROOT, env=server_env(**env), stdout=log.open("w"),
        stderr=subprocess.STDOUT, start_new_session=True,
    )
    wait_for(f"http://127.0.0.1:{port}/webhooks/rest/", proc, log)
    return proc


def chat(port: int, sender: str, text: str, timeout: float = 30) -> List[dict]:
    """POST one message to the REST channel and return the bot's messages."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": text}).encode("utf-8"),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read().decode("utf-8"))


def texts(messages: List[dict]) -> str:
    """All text of a reply, joined, for assertions."""
    return "\n".join(m.get("text", "") for m in messages)


@contextlib.contextmanager
def bot_servers(log_dir: Path, endpoints_extra: str = "", **env: str) -> Iterator[int]:
    """Action server and Rasa server with the newest model; yields the Rasa port."""
    action_port, rasa_port = free_port(), free_port()
    actions = start_action_server(action_port, log_dir)
    try:
        endpoints = write_endpoints(log_dir / f"endpoints-{rasa_port}.yml", action_port, endpoints_extra)
        rasa = start_rasa_server(rasa_port, log_dir, endpoints, **env)
        try:
            yield rasa_port
        finally:
            stop(rasa)
    finally:
        stop(actions)
