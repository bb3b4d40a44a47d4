"""The benchmark's outputs: the table (terminal and Markdown), the JSON record and the plot.

    python -m bench.report results/bench.json   # write bench.md and the plot again from it
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

from bench import growth, report_user
from serving import warning_filters

# Targets for the shipped configuration (GitHub issue 7). (label, unit, limit, higher is better)
TARGETS = {
    "training_s": ("training", "s", 60, False),
    "cold_start_s": ("cold start", "s", 10, False),
    "rasa_rss_mib": ("Rasa server memory", "MiB", 700, False),
    "actions_rss_mib": ("action server memory", "MiB", 150, False),
    "p95_ms@1": ("single user p95", "ms", 30, False),
    "p95_ms@50": ("50 concurrent p95", "ms", 250, False),
    "throughput_msg_s@50": ("50 concurrent throughput", "msg/s", 100, True),
    "errors@50": ("50 concurrent errors", "", 0, False),
}


# How each figure is measured (written under the table in bench.md).
METHOD = [
    "Training: wall time of `rasa train` (process start to exit) into a temporary directory, "
    "with an empty Rasa cache.",
    "Cold start: action server and Rasa server started together; time until the first REST "
    "reply to the cold start probe (bench/conversations.yml) that contains its expected text.",
    "Memory: VmRSS from /proc/<pid>/status, summed over the server process and its "
    "descendants; MiB = 1024 × 1024 bytes.",
    "Latency: per REST message (POST /webhooks/rest/webhook, custom actions included), "
    "measured by the client on loopback; closed loop (a user sends its next message when the "
    "previous one is answered), multi-turn conversations from bench/conversations.yml, a new "
    "sender per conversation. The load generator runs on the same cores as the servers.",
    "Errors: timeouts, failed connections, non-200 statuses and empty replies. Throughput: "
    "answered messages / wall time of the phase.",
    "Variants: `shipped` and `baseline` run stock Rasa (`rasa run`: REST channel, in-memory "
    "tracker and lock stores) to compare the configurations; `shipped-project` serves the same "
    "shipped model as `make run` does (through serving/cli.py, with `--cors`) with the "
    "project's endpoints.yml and credentials.yml (tracker store, lock store, hardened "
    "channels with their abuse limits), the conversations going to an SQLite file in a "
    "temporary directory.",
    "Baseline: bench/baseline_config.yml (Rasa 3.6's default pipeline and policies, language "
    "nl) on the same domain, data and actions. It lacks the project's lexicon components, so "
    "some of its replies differ (see 'replies without the expected text').",
]


# Rows where shipped/baseline means nothing (counts of the baseline's own misses, other load)
NO_RATIO = {"unexpected@1", "other_cpu_pct"}


def metric(result: Dict, key: str) -> Optional[float]:
    """One figure of a configuration's result: `name` or `name@concurrency`."""
    if "@" in key:
        name, users = key.split("@")
        return result.get("phases", {}).get(users, {}).get(name)
    if key.endswith("_rss_mib"):
        return result.get("memory_after_warmup", {}).get(key[: -len("_rss_mib")], {}).get("rss_mib")
    if key.endswith("_rss_after_load_mib"):
        server = key[: -len("_rss_after_load_mib")]
        return result.get("memory_after_load", {}).get(server, {}).get("rss_mib")
    return result.get(key)


def rows(concurrencies: List[int]) -> List[Tuple[str, str]]:
    """(metric key, label) of every line of the table."""
    lines = [
        ("training_s", "training time (s)"),
        ("cold_start_s", "cold start: process start to first correct answer (s)"),
        ("rasa_rss_mib", "Rasa server RSS after warm-up (MiB)"),
        ("actions_rss_mib", "action server RSS after warm-up (MiB)"),
        ("rasa_rss_after_load_mib", "Rasa server RSS after the load runs (MiB)"),
    ]
    for users in [1] + concurrencies:
        who = "1 user" if users == 1 else f"{users} concurrent"
        lines += [
            (f"p50_ms@{users}", f"{who}: p50 latency (ms)"),
            (f"p95_ms@{users}", f"{who}: p95 latency (ms)"),
            (f"p99_ms@{users}", f"{who}: p99 latency (ms)"),
            (f"throughput_msg_s@{users}", f"{who}: throughput (msg/s)"),
            (f"errors@{users}", f"{who}: errors / messages"),
        ]
    lines.append(("unexpected@1", "1 user: replies without the expected text"))
    lines.append(("other_cpu_pct", "other programs' CPU use while serving (% of the machine)"))
    return lines


def annotate(record: Dict) -> Dict:
    """Add each variant's share of the machine used by other programs while it was served."""
    cores = record["machine"]["nproc"]
    for result in record["configs"].values():
        phases = result.get("phases", {}).values()
        wall = sum(p["cpu_s"]["wall"] for p in phases) * cores
        if wall:
            result["other_cpu_pct"] = round(100 * sum(p["cpu_s"]["other"] for p in phases) / wall)
    return record


def _fmt(value: Optional[float]) -> str:
    if value is None:
        return "–"
    return f"{value:g}" if isinstance(value, int) else f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def target_checks(shipped: Dict) -> Dict[str, Dict[str, object]]:
    checks = {}
    for key, (label, unit, limit, higher) in TARGETS.items():
        value = metric(shipped, key)
        met = None if value is None else (value >= limit if higher else value <= limit)
        checks[key] = {"label": label, "unit": unit, "value": value,
                       "target": (">= " if higher else "<= ") + f"{limit} {unit}".strip(),
                       "met": met}
    return checks


def _cell(result: Dict, key: str) -> str:
    value = metric(result, key)
    if key.startswith("errors@") and value is not None:
        return f"{_fmt(value)} / {_fmt(metric(result, key.replace('errors', 'messages')))}"
    if key == "training_s" and result.get("training_reused"):
        return "(same model)"
    return _fmt(value)


def table(record: Dict) -> Tuple[List[str], List[List[str]]]:
    results = record["configs"]
    names = list(results)
    checks = record.get("targets") or {}
    ratio = "shipped" in results and "baseline" in results
    # the ratio column goes right after the baseline column
    cut = names.index("baseline") + 1 if ratio else len(names)
    header = (["metric"] + names[:cut] + (["shipped/baseline"] if ratio else [])
              + names[cut:] + ["target"])
    header += [f"met ({name})" for name in checks]
    body = []
    for key, label in rows(record["settings"]["concurrencies"]):
        cells = [label]
        for name in names[:cut]:
            cells.append(_cell(results[name], key))
        if ratio:
            a, b = metric(results["shipped"], key), metric(results["baseline"], key)
            meaningful = a is not None and b and key not in NO_RATIO
            cells.append(f"{a / b:.2f}×" if meaningful else "–")
        for name in names[cut:]:
            cells.append(_cell(results[name], key))
        target = TARGETS.get(key)
        cells.append("" if not target else
                     (">= " if target[3] else "<= ") + f"{target[2]} {target[1]}".strip())
        for name, checked in checks.items():
            met = checked.get(key, {}).get("met") if target else ""
            if key == "training_s" and results[name].get("training_reused"):
                met = checks.get("shipped", {}).get(key, {}).get("met", met)
            cells.append({True: "met", False: "NOT met", None: "–", "": ""}[met])
        body.append(cells)
    return header, body


def terminal(record: Dict) -> str:
    header, body = table(record)
    widths = [max(len(r[i]) for r in [header] + body) for i in range(len(header))]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths))  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in body])


def markdown(record: Dict) -> str:
    header, body = table(record)
    m, load = record["machine"], record["load_average"]
    pipe = record["configs"].get("shipped", {}).get("spacy_pipeline") or {}
    lines = [
        f"# Benchmark ({record['mode']} run): shipped config.yml vs Rasa's default config",
        "",
        f"- date: {record['date']}",
        f"- machine: {m['nproc']} cores, {m['cpu_model']}, {m['ram_gib']} GiB RAM, "
        f"Linux {m['kernel']}, Python {m['python']}",
        "- versions: " + ", ".join(f"{k} {v}" for k, v in record["versions"].items()),
        *([f"- project commit: {record['git']['commit']}"
           + (" with uncommitted changes" if record["git"]["uncommitted_changes"] else "")]
          if record.get("git") else []),
        f"- spaCy pipeline of the shipped model: {pipe.get('pipeline', '–')} "
        f"{pipe.get('version', '')}" + (" (offline stand-in, not nl_core_news_sm)"
                                        if pipe.get("is_fallback") else ""),
        "- variants:",
        *_variants(record),
        f"- load average (1/5/15 min) before: {load['before']['1min']}/{load['before']['5min']}/"
        f"{load['before']['15min']}, after: {load['after']['1min']}/{load['after']['5min']}/"
        f"{load['after']['15min']}; CPU used by other programs while serving: "
        f"{record['busy']['other_cpu_share']:.0%} of the machine"
        + (" — **the machine was busy: figures are noisy**" if record["busy"]["busy"] else ""),
        "",
        "| " + " | ".join(header) + " |",
        "| " + " | ".join("---" for _ in header) + " |",
    ]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    lines += ["", "Reproduce with `make bench` (smoke version: `make bench-smoke`).", ""]
    lines += [f"- {note}" for note in METHOD]
    lines += report_user.sections(record)
    return "\n".join(lines) + "\n"


def _variants(record: Dict) -> List[str]:
    """One line per variant: its configuration and what the servers ran with."""
    lines = []
    for name, result in record["configs"].items():
        served = result.get("serving")
        if not served:
            lines.append(f"  - `{name}`: {result['config']}, {result['stack']} stack"
                         + (" — FAILED: " + result["failed"].splitlines()[-1][:200]
                            if result.get("failed") else ""))
            continue
        endpoints = served["endpoints"]
        stores = ", ".join(
            f"{key.replace('_', ' ')} {(endpoints.get(key) or {}).get('type', 'in-memory')}"
            for key in ("tracker_store", "lock_store")
        )
        lines.append(f"  - `{name}`: {result['config']}; {stores}; channels "
                     f"{', '.join(served['channels'])}")
    return lines


def write(record: Dict, out: Path, plot: Callable[[Dict, Path], None]) -> List[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "bench.json", out / "bench.md", out / "bench_latency.png"]
    paths[0].write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    paths[1].write_text(markdown(record), encoding="utf-8")
    plot(record, paths[2])
    if any(result.get("growth") for result in record["configs"].values()):
        paths.append(out / "bench_growth.png")
        growth.plot(record, paths[-1])
    return paths


def latency_plot(record: Dict, path: Path) -> None:
    """p50 and p95 latency against the number of concurrent conversations, per config."""
    warning_filters.install()  # matplotlib's use of pyparsing's old names
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    users = [1] + record["settings"]["concurrencies"]
    fig, ax = plt.subplots(figsize=(7, 4.5), dpi=120)
    colors = ("tab:blue", "tab:orange", "tab:green", "tab:red")
    for (name, result), color in zip(record["configs"].items(), colors):
        for q, style in (("p50", "--"), ("p95", "-")):
            ys = [metric(result, f"{q}_ms@{u}") for u in users]
            ax.plot(users, ys, style, marker="o", color=color, label=f"{name} {q}")
    ax.set_xscale("log")
    ax.minorticks_off()
    ax.set_xticks(users)
    ax.set_xticklabels([str(u) for u in users])
    ax.set_xlabel("concurrent conversations")
    ax.set_ylabel("latency per message (ms)")
    ax.set_title(f"REST latency, {record['machine']['nproc']} cores ({record['date'][:10]})")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main(argv: List[str]) -> int:
    path = Path(argv[0]) if argv else Path("results/bench.json")
    record = annotate(json.loads(path.read_text(encoding="utf-8")))
    write(record, path.parent, latency_plot)
    print(terminal(record))
    print(report_user.terminal(record))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
