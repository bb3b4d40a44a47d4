"""`make bench`: the shipped configuration against Rasa's default one, and the product stack
against stock Rasa, in one run.

Variants (configuration x serving stack, see bench/serving.py):
  shipped           config.yml,                   stock Rasa (in-memory stores, REST)
  baseline          bench/baseline_config.yml,    stock Rasa (in-memory stores, REST)
  shipped-project   config.yml, the product stack as `make run` serves it
For each: train (timed; a configuration is trained once per run) into a temporary directory,
start both servers (cold start), warm up, measure memory, then replay the conversations of
bench/conversations.yml from 1 user and from 10 and 50 concurrent users. Then, for
`shipped` and `shipped-project`: the growth curve of one 400-turn conversation
(bench/growth.py) and the realistic load of users who think 5-10 s (bench/realistic.py); and
once: two Rasa processes sharing PostgreSQL and Redis against one (bench/scaleout.py).
Writes bench.json, bench.md, bench_latency.png and bench_growth.png into results/
(results/smoke/ with --smoke); prints the table.

    python -m bench.bench            # full run (about 35 minutes)
    python -m bench.bench --smoke    # shipped only, tiny counts: proves it works
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Dict, List

from bench import growth, load, procs, realistic, report, report_user, scaleout, serving
from components.spacy_nlp import recorded_in_archive

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_CONFIG = ROOT / "config.yml"
BASELINE_CONFIG = ROOT / "bench" / "baseline_config.yml"
VARIANTS = {
    "shipped": (SHIPPED_CONFIG, "memory"),
    "baseline": (BASELINE_CONFIG, "memory"),
    "shipped-project": (SHIPPED_CONFIG, "project"),
}
DEFAULT_VARIANTS = ("shipped", "baseline", "shipped-project")
USER_FELT_VARIANTS = ("shipped", "shipped-project")  # growth curve and realistic load
PARTS = ("configs", "growth", "realistic", "scaleout")
BUSY_LOAD_AVERAGE = 1.0
BUSY_OTHER_CPU_SHARE = 0.10
SETTLE_S = 2.0


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def parse_args(argv: List[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true",
                        help="tiny counts, shipped only (unless --variants): no timings asserted")
    parser.add_argument("--variants", help="comma-separated, from: " + ", ".join(VARIANTS))
    parser.add_argument("--out", type=Path, help="output directory (results/ or results/smoke/)")
    parser.add_argument("--messages", type=int, help="single-user messages (300)")
    parser.add_argument("--concurrency", help="comma-separated concurrent users (10,50)")
    parser.add_argument("--load-messages", type=int, help="messages per load phase (1500)")
    parser.add_argument("--max-seconds", type=float, help="time cap per load phase (60)")
    parser.add_argument("--parts", help="comma-separated, from: " + ", ".join(PARTS)
                        + " (all; `configs` are the closed-loop phases, always run)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    smoke = args.smoke
    args.parts = set((args.parts or ",".join(PARTS)).split(",")) | {"configs"}
    if args.parts - set(PARTS):
        parser.error(f"unknown part(s): {', '.join(sorted(args.parts - set(PARTS)))}")
    # smoke: every part with tiny counts (users who think 0.2-0.4 s instead of 5-10 s)
    args.growth = dict(turns=20, block=10) if smoke else {}
    args.realistic = (dict(start=2, max_users=2, bisections=0, ramp_s=1.0, measure_s=10.0,
                           think_s=(0.2, 0.4)) if smoke else {})
    args.variants = (args.variants or ("shipped" if smoke else ",".join(DEFAULT_VARIANTS))
                     ).split(",")
    unknown = [v for v in args.variants if v not in VARIANTS]
    if unknown:
        parser.error(f"unknown variant(s): {', '.join(unknown)}")
    args.out = args.out or ROOT / ("results/smoke" if smoke else "results")
    args.messages = args.messages or (8 if smoke else 300)
    args.concurrency = [int(c) for c in (args.concurrency or ("2" if smoke else "10,50")).split(",")]
    args.load_messages = args.load_messages or (12 if smoke else 1500)
    args.max_seconds = args.max_seconds or (20.0 if smoke else 60.0)
    return args


def phase(port: int, pids: Dict[str, int], convs, users: int, messages: int,
          max_seconds: float, tag: str) -> Dict[str, object]:
    meter = procs.CpuMeter(pids)
    result = load.run_phase(port, convs, users, messages, max_seconds, tag=tag)
    summary = result.summary()
    summary["cpu_s"] = meter.stop()
    log(f"  {users:>3} user(s): {summary['answered']} answered, {summary['errors']} errors, "
        f"p50 {summary['p50_ms']} ms, p95 {summary['p95_ms']} ms, "
        f"{summary['throughput_msg_s']} msg/s")
    return summary


def bench_variant(name: str, work: Path, args: argparse.Namespace,
                  trained: Dict[Path, Dict[str, object]]) -> Dict[str, object]:
    config, stack = VARIANTS[name]
    convs = load.conversations()
    result: Dict[str, object] = {"config": str(config.relative_to(ROOT)), "stack": stack}
    if config in trained:
        log(f"{name}: reusing the model trained with {result['config']} in this run")
        result["training_reused"] = True
    else:
        log(f"{name}: training with {result['config']}")
        trained[config] = serving.train(config, work)
    model = trained[config]["model"]
    result.update(training_s=trained[config]["training_s"], model=model.name,
                  spacy_pipeline=recorded_in_archive(model))
    log(f"{name}: trained in {result['training_s']} s; starting the servers ({stack} stack)")
    with serving.serve(model, work, load.cold_start_probe(), stack) as running:
        port, pids = running["rasa_port"], running["pids"]
        result.update(cold_start_s=running["cold_start_s"],
                      action_server_ready_s=running["action_server_ready_s"],
                      serving=running["stack"])
        log(f"{name}: first correct answer after {result['cold_start_s']} s; warming up")
        warm = load.run_phase(port, convs, 1, sum(len(c.turns) for c in convs), 60, tag="warm")
        result["warmup"] = {"messages": len(warm.latencies_s), "errors": warm.errors}
        time.sleep(SETTLE_S)
        result["memory_after_warmup"] = {k: procs.memory_mib(p) for k, p in pids.items()}
        phases = {"1": phase(port, pids, convs, 1, args.messages, 180, name)}
        for users in args.concurrency:
            time.sleep(SETTLE_S)
            phases[str(users)] = phase(port, pids, convs, users, args.load_messages,
                                       args.max_seconds, name)
        result["phases"] = phases
        result["memory_after_load"] = {k: procs.memory_mib(p) for k, p in pids.items()}
        if name in USER_FELT_VARIANTS and "growth" in args.parts:
            time.sleep(SETTLE_S)
            log(f"{name}: growth curve, one conversation of "
                f"{args.growth.get('turns', growth.TURNS)} turns")
            result["growth"] = growth.run(port, sender=f"growth-{name}", **args.growth)
            log(f"  medians per block: {[b['median_ms'] for b in result['growth']['blocks']]} "
                f"ms; last/first {result['growth']['last_over_first']}")
        if name in USER_FELT_VARIANTS and "realistic" in args.parts:
            time.sleep(SETTLE_S)
            log(f"{name}: realistic load, users thinking between messages")
            result["realistic"] = realistic.capacity(port, pids, log, **args.realistic)
            result["memory_after_realistic"] = {k: procs.memory_mib(p) for k, p in pids.items()}
    return result


def busy(record: Dict) -> Dict[str, object]:
    """Was the machine busy with other work? Load average before, and others' CPU share."""
    other = wall = 0.0
    for result in record["configs"].values():
        for summary in result.get("phases", {}).values():
            other += summary["cpu_s"]["other"]
            wall += summary["cpu_s"]["wall"] * record["machine"]["nproc"]
    share = other / wall if wall else 0.0
    before = record["load_average"]["before"]["1min"]
    return {
        "other_cpu_share": round(share, 3),
        "busy": before >= BUSY_LOAD_AVERAGE or share >= BUSY_OTHER_CPU_SHARE,
        "rule": f"busy if the 1-min load average before the run is >= {BUSY_LOAD_AVERAGE} or "
                f"other programs used >= {BUSY_OTHER_CPU_SHARE:.0%} of the CPU while serving",
    }


def main(argv: List[str]) -> int:
    args = parse_args(argv)
    record: Dict[str, object] = {
        "mode": "smoke" if args.smoke else "full",
        "date": procs.now_iso(),
        "machine": procs.machine(),
        "versions": procs.versions(),
        "git": procs.git_state(ROOT),
        "load_average": {"before": procs.load_average()},
        "settings": {
            "variants": {v: {"config": str(VARIANTS[v][0].relative_to(ROOT)),
                             "stack": VARIANTS[v][1]} for v in args.variants},
            "single_user_messages": args.messages,
            "concurrencies": args.concurrency, "load_messages": args.load_messages,
            "load_max_seconds": args.max_seconds, "request_timeout_s": 10,
            "parts": sorted(args.parts),
        },
        "configs": {},
    }
    log(f"{record['mode']} run; load average {record['load_average']['before']}")
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    failed = False
    try:
        trained: Dict[Path, Dict[str, object]] = {}
        for name in args.variants:
            (work / name).mkdir()
            try:
                record["configs"][name] = bench_variant(name, work / name, args, trained)
            except Exception as problem:  # one config failing must not hide the other's figures
                failed = True
                traceback.print_exc()
                record["configs"][name] = {"config": str(VARIANTS[name][0].relative_to(ROOT)),
                                           "stack": VARIANTS[name][1],
                                           "failed": str(problem)[-2000:]}
        if "scaleout" in args.parts and SHIPPED_CONFIG in trained:
            (work / "scaleout").mkdir()
            users = args.concurrency[-1]
            try:
                record["scaleout"] = scaleout.run(trained[SHIPPED_CONFIG]["model"],
                                                  work / "scaleout", users, args.load_messages,
                                                  args.max_seconds, log)
            except Exception as problem:
                failed = True
                traceback.print_exc()
                record["scaleout"] = {"skipped": f"failed: {str(problem)[-500:]}"}
    finally:
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    record["load_average"]["after"] = procs.load_average()
    record["busy"] = busy(record)
    record["targets"] = None if args.smoke else {
        name: report.target_checks(result) for name, result in record["configs"].items()
        if VARIANTS[name][0] == SHIPPED_CONFIG and "failed" not in result
    }
    record["acceptance"] = report_user.checks(record)
    paths = report.write(report.annotate(record), args.out, report.latency_plot)
    print(report.terminal(record))
    print(report_user.terminal(record))
    log("wrote " + ", ".join(str(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p)
                             for p in paths))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
