"""Measure the shipped NLU pipeline against a DIETClassifier variant, on this machine.

Usage: python scripts/compare_pipelines.py [--out results/pipeline_comparison.md]

For each pipeline (the shipped config.yml, and the same pipeline with DIETClassifier,
100 epochs, entity_recognition off, instead of LogisticRegressionClassifier; entities still
come from the lexicon) it
  1. trains an NLU model into a temporary directory (never into models/), in a child process;
  2. evaluates it with `rasa test nlu` on tests/nlu (intent accuracy, macro F1, entity F1);
  3. loads it with rasa.core.agent.Agent in a fresh child process and times
     `await agent.parse_message(text)` for every test utterance (after one warm-up parse).
Wall-clock training time (with an empty Rasa training cache) and the peak resident memory (max RSS) of the training and of the
serving process are measured with os.wait4 on each child. Trainings run one after the other.
Prints a Markdown table and writes it to --out.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
RASA = str(ROOT / ".venv" / "bin" / "rasa")
TEST_DATA = ROOT / "tests" / "nlu"
ENV = {
    **os.environ,
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "PYTHONWARNINGS": "ignore::DeprecationWarning",
    "PYTHONPATH": str(ROOT),
}
DIET = {"name": "DIETClassifier", "epochs": 100, "entity_recognition": False, "random_seed": 42}


def diet_config(shipped: Path, target: Path) -> None:
    """The shipped config with DIETClassifier in place of the LogisticRegressionClassifier
    (components/intent_classifier.py's faster subclass of it)."""
    config = yaml.safe_load(shipped.read_text(encoding="utf-8"))
    names = [c["name"] for c in config["pipeline"]]
    shipped_name = next((n for n in names if n.endswith("LogisticRegressionClassifier")), None)
    if shipped_name is None:
        raise SystemExit("config.yml has no LogisticRegressionClassifier to replace")
    config["pipeline"][names.index(shipped_name)] = dict(DIET)
    target.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), "utf-8")


def run_child(args: List[str], log: Path, work: Path) -> Tuple[float, float, str]:
    """Run a child process; return (wall seconds, peak RSS in MiB, stdout).

    Rasa's training cache goes to a fresh directory under `work`: no cache hits from earlier
    trainings (the training time is a full training) and the shared .rasa/cache is untouched.
    """
    env = {**ENV, "RASA_CACHE_DIRECTORY": str(work / "cache" / log.stem)}
    start = time.perf_counter()
    with log.open("w", encoding="utf-8") as err:
        child = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=err, text=True
        )
        out = child.stdout.read() if child.stdout else ""
        _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(args[:3])} ... failed ({child.returncode}); see {log}")
    return seconds, usage.ru_maxrss / 1024, out  # ru_maxrss is in KiB on Linux


def test_texts() -> List[str]:
    from rasa.shared.nlu.training_data.loading import load_data

    return [m.get("text") for m in load_data(str(TEST_DATA)).intent_examples]


async def time_parses(model: str) -> Dict[str, Any]:
    from rasa.core.agent import Agent

    start = time.perf_counter()
    agent = Agent.load(model)
    load_seconds = time.perf_counter() - start
    texts = test_texts()
    await agent.parse_message(texts[0])  # warm-up: lazy initialisation is not parse time
    timings = []
    for text in texts:
        start = time.perf_counter()
        await agent.parse_message(text)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {
        "load_s": load_seconds,
        "n": len(timings),
        "median_ms": statistics.median(timings),
        "p95_ms": timings[int(0.95 * (len(timings) - 1))],
    }


def nlu_scores(results: Path) -> Dict[str, float]:
    intents = json.loads((results / "intent_report.json").read_text(encoding="utf-8"))
    scores = {
        "accuracy": intents.get("accuracy", intents.get("micro avg", {}).get("f1-score")),
        "macro_f1": intents["macro avg"]["f1-score"],
    }
    entity_reports = [
        p for p in results.glob("*_report.json")
        if p.name not in ("intent_report.json", "response_selection_report.json")
    ]
    if entity_reports:
        report = json.loads(entity_reports[0].read_text(encoding="utf-8"))
        scores["entity_f1"] = report["micro avg"]["f1-score"]
    return scores


def measure(name: str, config: Path, work: Path) -> Dict[str, Any]:
    print(f"[{name}] training ...", file=sys.stderr, flush=True)
    train_s, train_rss, _ = run_child(
        [RASA, "train", "nlu", "--quiet", "--config", str(config), "--nlu", "data/nlu",
         "--domain", "domain.yml", "--out", str(work), "--fixed-model-name", name],
        work / f"{name}-train.log",
        work,
    )
    model = str(work / f"{name}.tar.gz")
    print(f"[{name}] rasa test nlu ...", file=sys.stderr, flush=True)
    run_child(
        [RASA, "test", "nlu", "--model", model, "--nlu", str(TEST_DATA),
         "--out", str(work / f"{name}-results")],
        work / f"{name}-test.log",
        work,
    )
    print(f"[{name}] timing parse_message ...", file=sys.stderr, flush=True)
    _, serve_rss, out = run_child(
        [sys.executable, __file__, "--serve", model], work / f"{name}-serve.log", work
    )
    serving = json.loads(out.strip().splitlines()[-1])
    return {
        "name": name,
        "train_s": train_s,
        "train_rss": train_rss,
        "serve_rss": serve_rss,
        **serving,
        **nlu_scores(work / f"{name}-results"),
    }


def table(rows: List[Dict[str, Any]]) -> str:
    def pct(v: Any) -> str:
        return "n/a" if v is None else f"{100 * v:.1f}%"

    lines = [
        "| pipeline | intent accuracy | intent macro F1 | entity F1 (micro) | training time "
        "| parse latency median / p95 | model load | peak RSS training | peak RSS serving |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        lines.append(
            f"| {r['label']} | {pct(r.get('accuracy'))} | {pct(r.get('macro_f1'))} "
            f"| {pct(r.get('entity_f1'))} | {r['train_s']:.0f} s "
            f"| {r['median_ms']:.1f} / {r['p95_ms']:.1f} ms | {r['load_s']:.1f} s "
            f"| {r['train_rss']:.0f} MiB | {r['serve_rss']:.0f} MiB |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "results" / "pipeline_comparison.md"))
    parser.add_argument("--serve", help=argparse.SUPPRESS)  # child mode: time one model
    args = parser.parse_args()
    if args.serve:
        print(json.dumps(asyncio.run(time_parses(args.serve))))
        return 0

    with tempfile.TemporaryDirectory(prefix="compare-pipelines-") as tmp:
        work = Path(tmp)
        diet = work / "config_diet.yml"
        diet_config(ROOT / "config.yml", diet)
        rows = [
            {**measure("shipped", ROOT / "config.yml", work),
             "label": "shipped: LogisticRegressionClassifier"},
            {**measure("diet", diet, work),
             "label": "DIETClassifier, 100 epochs, entity_recognition off"},
        ]
    texts = len(test_texts())
    header = (
        f"Measured {datetime.date.today().isoformat()} on {platform.machine()} "
        f"{platform.system()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"test set tests/nlu ({texts} utterances); training data data/nlu; latency of "
        "`Agent.parse_message` per utterance after one warm-up parse."
    )
    text = f"{header}\n\n{table(rows)}\n"
    print(text, end="")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
