"""Where does the Rasa server spend its CPU per message? cProfile of a serving Rasa server.

Trains the given configuration (shipped by default) into a temporary directory, starts the
action server and a Rasa server run under cProfile (stock Rasa with in-memory stores, or the
product stack as `make run` serves it: bench/serving.py), replays the benchmark conversations
from one user (and, with --long N, one conversation of N turns), stops the server (so the
profile is written) and prints the functions with the most cumulative and own time. cProfile
slows Python down, so only the proportions are meaningful, not the absolute times.

    python -m bench.profile_rasa [--stack memory|project] [--config config.yml]
                                 [--messages 300] [--long 0] [--top 40]
"""
from __future__ import annotations

import argparse
import pstats
import sys
import tempfile
import time
from pathlib import Path

from bench import growth, load, procs, serving

ROOT = serving.ROOT


def main(argv: list) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=ROOT / "config.yml")
    parser.add_argument("--stack", choices=serving.STACKS, default="memory")
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--long", type=int, default=0, help="turns of one long conversation")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-profile-"))
    model = serving.train(args.config.resolve(), work)["model"]
    profile = work / "rasa.prof"
    with serving.serve(model, work, load.cold_start_probe(), args.stack,
                       profile=profile) as running:
        port, pid = running["rasa_port"], running["pids"]["rasa"]
        convs = load.conversations()
        load.run_phase(port, convs, 1, 40, 60, tag="warm")
        before = procs.cpu_seconds(pid)
        phase = load.run_phase(port, convs, 1, args.messages, 300, tag="profile")
        if args.long:
            growth.run(port, turns=args.long, block=args.long, sender="profile-long")
        used = procs.cpu_seconds(pid) - before
        summary = phase.summary()
        messages = summary["answered"] + args.long
        print(f"{messages} messages ({args.stack} stack), p50 {summary['p50_ms']} ms under "
              f"cProfile; Rasa server CPU {used / max(messages, 1) * 1000:.1f} ms/message")
    for _ in range(100):
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
