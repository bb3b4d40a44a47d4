"""Where does the Rasa server spend its CPU per message? cProfile of a serving Rasa server.

Trains the given configuration (shipped by default) into a temporary directory, starts the
action server and a Rasa server run under cProfile, replays the benchmark conversations from
one user, stops the server with SIGINT (so the profile is written) and prints the functions
with the most cumulative and own time. cProfile slows Python down, so only the proportions
are meaningful, not the absolute times.

    python -m bench.profile_rasa [--config config.yml] [--messages 300] [--top 40]
"""
from __future__ import annotations

import argparse
import pstats
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import load, procs, serving
from tests import servers

ROOT = serving.ROOT


def main(argv: list) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=ROOT / "config.yml")
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-profile-"))
    model = serving.train(args.config.resolve(), work)["model"]
    action_port, rasa_port = servers.free_port(), servers.free_port()
    actions = servers.start_action_server(action_port, work)
    try:
        endpoints = servers.write_endpoints(work / "endpoints.yml", action_port)
        (work / "credentials.yml").write_text("rest:\n", encoding="utf-8")
        profile = work / "rasa.prof"
        rasa = subprocess.Popen(
            [sys.executable, "-m", "cProfile", "-o", str(profile), serving.RASA, "run",
             "--model", str(model), "--interface", "127.0.0.1", "--port", str(rasa_port),
             "--endpoints", str(endpoints), "--credentials", str(work / "credentials.yml")],
            cwd=ROOT, env=servers.server_env(), stdout=(work / "rasa.log").open("w"),
            stderr=subprocess.STDOUT, start_new_session=True,
        )
        try:
            servers.wait_for(f"http://127.0.0.1:{rasa_port}/webhooks/rest/", rasa,
                             work / "rasa.log", timeout=240)
            convs = load.conversations()
            load.run_phase(rasa_port, convs, 1, 40, 60, tag="warm")
            before = procs.cpu_seconds(rasa.pid)
            phase = load.run_phase(rasa_port, convs, 1, args.messages, 300, tag="profile")
            used = procs.cpu_seconds(rasa.pid) - before
            summary = phase.summary()
            print(f"{summary['answered']} messages, p50 {summary['p50_ms']} ms under cProfile; "
                  f"Rasa server CPU {used / max(summary['answered'], 1) * 1000:.1f} ms/message")
        finally:
            rasa.send_signal(signal.SIGINT)
            try:
                rasa.wait(timeout=60)
            except subprocess.TimeoutExpired:
                servers.stop(rasa)
    finally:
        servers.stop(actions)
    for _ in range(50):
        if profile.exists():
            break
        time.sleep(0.1)
    stats = pstats.Stats(str(profile))
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)
    print(f"profile and logs kept in {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
