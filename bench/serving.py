"""Train a configuration into a temporary directory and serve it on loopback.

Training uses its own empty Rasa cache (RASA_CACHE_DIRECTORY), so nothing is reused from an
earlier `make train`, and never writes to models/. Serving starts the project's action
server and a Rasa server; every process runs in its own process group and is stopped with it.

Two serving stacks:
- `project` (default): the product as `make run` runs it: through serving/cli.py (private
  files, log privacy) with `--cors`, the project's credentials.yml and endpoints.yml as
  shipped, with only the action server's URL changed to the benchmark's port; the
  conversations go to an SQLite file in the temporary directory (SQLITE_PATH), or to the
  PostgreSQL and Redis the caller names in `env` (bench/scaleout.py), never to a configured
  database or Redis.
- `memory`: stock Rasa (`rasa run`): only the REST channel and the action endpoint, Rasa's
  in-memory tracker and lock stores: Rasa and the configuration alone.
The load generator is one client address that sends thousands of messages, and up to 400 in
one conversation within a minute or two (bench/growth.py): the project's abuse limits
(serving/limits.py) stay switched on, with limits this far up (BENCH_LIMITS).
"""
from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

import yaml

from tests import servers

ROOT = servers.ROOT
RASA = str(servers.VENV_BIN / "rasa")
PRODUCT_RASA = servers.RASA  # python -m serving.cli, as scripts/run.sh starts Rasa
CORS_ORIGINS = ("http://127.0.0.1:8080", "http://localhost:8080")  # scripts/run.sh's default
BENCH_LIMITS = {
    "LIMIT_MESSAGES_PER_MINUTE": "100000",
    "LIMIT_MESSAGES_PER_SESSION": "100000",
    "LIMIT_CONVERSATIONS_PER_ADDRESS": "100000",
}
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


def _wait_until_answered(procs: List[subprocess.Popen], ports: List[int], action_port: int,
                         probe: Dict[str, str], work: Path, started: float
                         ) -> Tuple[float, Optional[float]]:
    """Seconds until every Rasa process answered the probe correctly, and until the action
    server was healthy."""
    actions_ready, waiting = None, list(ports)
    deadline = started + START_TIMEOUT_S
    while True:
        for proc in procs:
            if proc.poll() is not None:
                logs = "".join(log.read_text()[-2000:] for log in sorted(work.glob("*.log")))
                raise RuntimeError(f"a server exited with {proc.returncode}; logs:\n{logs}")
        if actions_ready is None and _healthy(f"http://127.0.0.1:{action_port}/health"):
            actions_ready = time.monotonic() - started
        waiting = [p for p in waiting
                   if probe["expect"].lower() not in _ask(p, "cold-start", probe["text"]).lower()]
        if not waiting:
            return time.monotonic() - started, actions_ready
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"no correct answer to {probe['text']!r} within {START_TIMEOUT_S} s; "
                f"logs in {work}:\n{(work / 'rasa.log').read_text()[-4000:]}"
            )
        time.sleep(0.05)


@contextlib.contextmanager
def serve(model: Path, work: Path, probe: Dict[str, str], stack: str = "project",
          env: Optional[Dict[str, str]] = None, rasa_processes: int = 1,
          profile: Optional[Path] = None) -> Iterator[Dict[str, object]]:
    """Start the action server and `rasa_processes` Rasa servers at once; measure the time
    until every Rasa server gave its first correct REST answer. With `profile`, the (first)
    Rasa server runs under cProfile and writes its profile there when it stops.

    Yields the ports, the pids and the cold start figures; stops every server on exit.
    """
    if stack not in STACKS:
        raise ValueError(f"unknown serving stack {stack!r}: one of {STACKS}")
    action_port = servers.free_port()
    ports = [servers.free_port() for _ in range(rasa_processes)]
    endpoints, credentials = work / "endpoints.yml", work / "credentials.yml"
    action_url = f"http://127.0.0.1:{action_port}/webhook"
    if stack == "project":
        config = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8")) or {}
        config["action_endpoint"] = {**(config.get("action_endpoint") or {}), "url": action_url}
        endpoints.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
        shutil.copyfile(ROOT / "credentials.yml", credentials)
        rasa, extra = PRODUCT_RASA, ["--cors", *CORS_ORIGINS]
        under_profile = [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "serving.cli"]
    else:
        endpoints.write_text(yaml.safe_dump({"action_endpoint": {"url": action_url}}),
                             encoding="utf-8")
        credentials.write_text("rest:\n", encoding="utf-8")
        rasa, extra = [RASA], []
        under_profile = [sys.executable, "-m", "cProfile", "-o", str(profile), RASA]
    server_env = servers.server_env(SQLITE_PATH=str(work / "conversations.db"))
    for name in ISOLATED_ENV:
        server_env.pop(name, None)
    server_env.update(BENCH_LIMITS, **(env or {}))
    procs = []
    try:
        started = time.monotonic()
        procs.append(subprocess.Popen(
            [RASA, "run", "actions", "--actions", "actions", "--port", str(action_port)],
            cwd=ROOT, env={**server_env, "SANIC_HOST": "127.0.0.1"},
            stdout=(work / "actions.log").open("w"), stderr=subprocess.STDOUT,
            start_new_session=True,
        ))
        for n, port in enumerate(ports):
            log = work / ("rasa.log" if n == 0 else f"rasa-{n + 1}.log")
            command = under_profile if profile and n == 0 else rasa
            procs.append(subprocess.Popen(
                command + ["run", "--model", str(model), "--interface", "127.0.0.1",
                        "--port", str(port), "--endpoints", str(endpoints),
                        "--credentials", str(credentials), *extra],
                cwd=ROOT, env=server_env, stdout=log.open("w"),
                stderr=subprocess.STDOUT, start_new_session=True,
            ))
        cold_start, actions_ready = _wait_until_answered(procs, ports, action_port, probe,
                                                         work, started)
        if actions_ready is None and _healthy(f"http://127.0.0.1:{action_port}/health"):
            actions_ready = time.monotonic() - started
        pids = {"rasa": procs[1].pid, "actions": procs[0].pid}
        pids.update({f"rasa{n + 1}": proc.pid for n, proc in enumerate(procs[2:], start=1)})
        yield {
            "rasa_port": ports[0],
            "rasa_ports": ports,
            "pids": pids,
            "cold_start_s": round(cold_start, 2),
            "action_server_ready_s": round(actions_ready, 2) if actions_ready else None,
            "stack": {"name": stack, "endpoints": yaml.safe_load(endpoints.read_text()),
                      "channels": sorted(yaml.safe_load(credentials.read_text()) or {}),
                      "command": "python -m serving.cli run --cors ..." if stack == "project"
                      else "rasa run", "rasa_processes": rasa_processes},
        }
    finally:
        for proc in reversed(procs):
            servers.stop(proc)
