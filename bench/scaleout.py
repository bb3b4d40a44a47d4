"""Scale-out: two Rasa processes on this machine sharing PostgreSQL and Redis, against one.

The documented scale-out (README "Several servers"): every Rasa process uses the same
PostgreSQL database (tracker store) and Redis (lock store); one action server. PostgreSQL and
Redis are the throwaway loopback servers of tests/services.py. Both runs serve the product
stack with the same model to the same number of closed-loop users (bench/load.py); with two
processes each user sends its messages to both in turn, as a round-robin proxy would, so
every conversation is handled by both processes.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, Dict

import pytest

from bench import load, procs, serving

PROCESS_COUNTS = (1, 2)


def run(model: Path, work: Path, users: int, messages: int, max_seconds: float,
        log: Callable[[str], None], settle_s: float = 2.0) -> Dict[str, object]:
    from tests import services

    try:
        db_url = services.postgres_url()
        redis_port, redis = services.start_redis()
    except pytest.skip.Exception as missing:
        return {"skipped": str(missing)}
    convs = load.conversations()
    result: Dict[str, object] = {"users": users, "database": "PostgreSQL 15 (tests/services.py)",
                                 "locks": "Redis (tests/services.py)", "runs": {}}
    try:
        env = {"TRACKER_DB_URL": db_url, "REDIS_HOST": "127.0.0.1",
               "REDIS_PORT": str(redis_port)}
        for count in PROCESS_COUNTS:
            folder = work / f"rasa-x{count}"
            folder.mkdir()
            log(f"scale-out: {count} Rasa process(es) on PostgreSQL and Redis")
            with serving.serve(model, folder, load.cold_start_probe(), "project", env=env,
                               rasa_processes=count) as running:
                ports, pids = running["rasa_ports"], running["pids"]
                load.run_phase(ports, convs, 2 * count, 20 * count, 60, tag=f"warm-x{count}")
                time.sleep(settle_s)
                meter = procs.CpuMeter(pids)
                phase = load.run_phase(ports, convs, users, messages, max_seconds,
                                       tag=f"scale-x{count}")
                summary = phase.summary()
                summary["cpu_s"] = meter.stop()
                log(f"  {users} users on {count} process(es): {summary['answered']} answered, "
                    f"{summary['errors']} errors, p50 {summary['p50_ms']} ms, "
                    f"p95 {summary['p95_ms']} ms, {summary['throughput_msg_s']} msg/s")
                result["runs"][str(count)] = {
                    "processes": count, "cold_start_s": running["cold_start_s"],
                    "phase": summary,
                    "memory": {k: procs.memory_mib(p) for k, p in pids.items()},
                }
    finally:
        redis.terminate()
        redis.wait(10)
    return result
