"""The benchmark (`make bench`) works end to end: its smoke mode, with tiny counts.

Trains the shipped configuration into a temporary directory, serves it on loopback, replays a
few messages (closed loop, one short growth curve, one level of thinking users), runs the
scale-out comparison on throwaway PostgreSQL and Redis with one and two Rasa processes, and
writes the results into tmp_path. It checks what was written, never a timing.
"""
from __future__ import annotations

import json
import subprocess
import sys

from tests import servers

PHASE_KEYS = {"messages", "answered", "errors", "duration_s", "throughput_msg_s",
              "p50_ms", "p95_ms", "p99_ms", "cpu_s"}


def test_bench_smoke_writes_the_results(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench", "--smoke", "--out", str(tmp_path)],
        cwd=servers.ROOT, env=servers.server_env(), capture_output=True, text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert (tmp_path / "bench.md").read_text(encoding="utf-8").startswith("# Benchmark")
    for plot in ("bench_latency.png", "bench_growth.png"):
        assert (tmp_path / plot).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    record = json.loads((tmp_path / "bench.json").read_text(encoding="utf-8"))
    assert record["mode"] == "smoke"
    assert {"date", "machine", "versions", "load_average", "settings", "configs", "busy"} <= set(record)
    assert {"nproc", "cpu_model", "ram_gib"} <= set(record["machine"])
    assert record["versions"]["rasa"].startswith("3.6")
    assert {"before", "after"} <= set(record["load_average"])

    shipped = record["configs"]["shipped"]
    assert {"training_s", "cold_start_s", "spacy_pipeline", "memory_after_warmup",
            "memory_after_load", "phases"} <= set(shipped)
    assert shipped["spacy_pipeline"]["pipeline"] in ("nl_core_news_sm", "nl_offline_lookup")
    for server in ("rasa", "actions"):
        assert shipped["memory_after_warmup"][server]["rss_mib"] > 0
    assert set(shipped["phases"]) == {"1", "2"}
    for phase in shipped["phases"].values():
        assert PHASE_KEYS <= set(phase)
        assert phase["answered"] > 0
        assert phase["errors"] == 0, phase["error_kinds"]

    growth = shipped["growth"]
    assert len(growth["latencies_ms"]) == 20 and [b["turns"] for b in growth["blocks"]] == [
        "1-10", "11-20"]
    levels = shipped["realistic"]["levels"]
    assert list(levels) == ["2"] and levels["2"]["answered"] > 0
    assert levels["2"]["errors"] == 0, levels["2"]["error_kinds"]
    scale = record["scaleout"]
    if "skipped" not in scale:
        assert set(scale["runs"]) == {"1", "2"}
        for run in scale["runs"].values():
            assert run["phase"]["answered"] > 0 and run["phase"]["errors"] == 0
    assert {"p95_ms@1", "throughput_msg_s@50", "growth"} == set(record["acceptance"])
