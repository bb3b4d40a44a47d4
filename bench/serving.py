"""Train a configuration into a temporary directory and serve it on loopback.

Training uses its own empty Rasa cache (RASA_CACHE_DIRECTORY), so nothing is reused from an
earlier `make train`, and never writes to models/. Serving starts the project's action
server and a Rasa server; every process runs in its own process group and is stopped with it.

Two serving stacks:
- `project` (default): the project's credentials.yml and endpoints.yml as shipped, with only
  the action server's URL changed to the benchmark's port; the conversations go to an SQLite
  file in the temporary directory (SQLITE_PATH), never to a configured database or Redis.
- `memory`: only the REST channel and the action endpoint, Rasa's in-memory tracker and lock
  stores: Rasa and the configuration alone.
"""
from __future__ import annotations

import contextlib
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, Iterator

import yaml

from tests import servers

ROOT = servers.ROOT
RASA = str(servers.VENV_BIN / "rasa")
TRAIN_TIMEOUT_S = 1200
START_TIMEOUT_S = 240
STACKS = ("project", "memory")
# Settings that would point the servers at real databases or Redis (serving/settings.py)
ISOLATED_ENV = ("TRACKER_DB_URL", "DB_HOST", "REDIS_HOST", "TELEGRAM_TOKEN")


def train(config: Path, work: Path) -> Dict[str, object]:
    """`rasa train` with `config` into work/models; returns the wall time and the model."""
    log = work / "train.log"
    started = time.monotonic()
    with log.open("w") as out:
        done = subprocess.run(
            [RASA, "train", "--config", str(config), "--domain", "domain.yml",
             "--data", "data", "--out", str(work / "models")],
            cwd=ROOT, env=servers.server_env(RASA_CACHE_DIRECTORY=str(work / "cache")),
            stdout=out, stderr=subprocess.STDOUT, timeout=TRAIN_TIMEOUT_S,
            start_new_session=True,
        )
    seconds = time.monotonic() - started
    models = sorted((work / "models").glob("*.tar.gz"))
    if done.returncode != 0 or not models:
        raise RuntimeError(f"training with {config} failed; log:\n{log.read_text()[-4000:]}")
    return {"training_s": round(seconds, 1), "model": models[-1]}


def _ask(port: int, sender: str, text: str) -> str:
    try:
        return servers.texts(servers.chat(port, sender, text, timeout=5))
    except (urllib.error.URLError, OSError, ValueError):
        return ""


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1):
            return True
    except (urllib.error.URLError, OSError):
        return False


@contextlib.contextmanager
def serve(model: Path, work: Path, probe: Dict[str, str],
          stack: str = "project") -> Iterator[Dict[str, object]]:
    """Start both servers at once; measure the time until the first correct REST answer.

    Yields the ports, the pids and the cold start figures; stops both servers on exit.
    """
    if stack not in STACKS:
        raise ValueError(f"unknown serving stack {stack!r}: one of {STACKS}")
    action_port, rasa_port = servers.free_port(), servers.free_port()
    endpoints, credentials = work / "endpoints.yml", work / "credentials.yml"
    action_url = f"http://127.0.0.1:{action_port}/webhook"
    if stack == "project":
        config = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8")) or {}
        config["action_endpoint"] = {**(config.get("action_endpoint") or {}), "url": action_url}
        endpoints.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
        shutil.copyfile(ROOT / "credentials.yml", credentials)
    else:
        endpoints.write_text(yaml.safe_dump({"action_endpoint": {"url": action_url}}),
                             encoding="utf-8")
        credentials.write_text("rest:\n", encoding="utf-8")
    env = servers.server_env(SQLITE_PATH=str(work / "conversations.db"))
    for name in ISOLATED_ENV:
        env.pop(name, None)
    procs = []
    try:
        started = time.monotonic()
        procs.append(subprocess.Popen(
            [RASA, "run", "actions", "--actions", "actions", "--port", str(action_port)],
            cwd=ROOT, env={**env, "SANIC_HOST": "127.0.0.1"},
            stdout=(work / "actions.log").open("w"), stderr=subprocess.STDOUT,
            start_new_session=True,
        ))
        procs.append(subprocess.Popen(
            [RASA, "run", "--model", str(model), "--interface", "127.0.0.1",
             "--port", str(rasa_port), "--endpoints", str(endpoints),
             "--credentials", str(credentials)],
            cwd=ROOT, env=env, stdout=(work / "rasa.log").open("w"),
            stderr=subprocess.STDOUT, start_new_session=True,
        ))
        actions_ready = None
        deadline = started + START_TIMEOUT_S
        while True:
            for proc, name in zip(procs, ("actions", "rasa")):
                if proc.poll() is not None:
                    log = (work / f"{name}.log").read_text()[-4000:]
                    raise RuntimeError(f"{name} server exited with {proc.returncode}:\n{log}")
            if actions_ready is None and _healthy(f"http://127.0.0.1:{action_port}/health"):
                actions_ready = time.monotonic() - started
            if probe["expect"].lower() in _ask(rasa_port, "cold-start", probe["text"]).lower():
                cold_start = time.monotonic() - started
                break
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"no correct answer to {probe['text']!r} within {START_TIMEOUT_S} s; "
                    f"log:\n{(work / 'rasa.log').read_text()[-4000:]}"
                )
            time.sleep(0.05)
        if actions_ready is None and _healthy(f"http://127.0.0.1:{action_port}/health"):
            actions_ready = time.monotonic() - started
        yield {
            "rasa_port": rasa_port,
            "pids": {"rasa": procs[1].pid, "actions": procs[0].pid},
            "cold_start_s": round(cold_start, 2),
            "action_server_ready_s": round(actions_ready, 2) if actions_ready else None,
            "stack": {"name": stack, "endpoints": yaml.safe_load(endpoints.read_text()),
                      "channels": sorted(yaml.safe_load(credentials.read_text()) or {})},
        }
    finally:
        for proc in reversed(procs):
            servers.stop(proc)
