"""The growth curve: does a turn get slower as a conversation gets longer?

One user holds one conversation of 400 turns over REST (the turns of bench/conversations.yml
one after the other, again and again, in one conversation), each message sent when the
previous one is answered. Reported: the median latency per block of 50 turns, and the ratio
of the last block's median to the first's (flat: at most GROWTH_LIMIT). Run on the product
stack and on stock Rasa (in-memory stores), plotted to results/bench_growth.png.
"""
from __future__ import annotations

import itertools
import time
from pathlib import Path
from typing import Dict, List

import numpy

from bench import load
from serving import warning_filters
from tests import servers

TURNS, BLOCK = 400, 50
GROWTH_LIMIT = 1.5  # issue 13: turns 351-400 at most 1.5 times turns 1-50


def run(port: int, turns: int = TURNS, block: int = BLOCK, timeout: float = 30.0,
        sender: str = "growth") -> Dict[str, object]:
    """Latency of every turn of one long conversation, and its medians per block of turns."""
    texts = [(t.text, t.expect) for c in load.conversations() for t in c.turns]
    latencies: List[float] = []
    unexpected = 0
    for text, expect in itertools.islice(itertools.cycle(texts), turns):
        started = time.perf_counter()
        reply = servers.texts(servers.chat(port, sender, text, timeout=timeout))
        latencies.append(round((time.perf_counter() - started) * 1000, 2))
        unexpected += expect.lower() not in reply.lower()
    blocks = []
    for first in range(0, turns, block):
        part = latencies[first:first + block]
        blocks.append({"turns": f"{first + 1}-{first + len(part)}",
                       "median_ms": round(float(numpy.median(part)), 1),
                       "p95_ms": round(float(numpy.percentile(part, 95)), 1)})
    first, last = blocks[0]["median_ms"], blocks[-1]["median_ms"]
    return {"turns": turns, "block": block, "latencies_ms": latencies, "blocks": blocks,
            "last_over_first": round(last / first, 2) if first else None,
            "unexpected": unexpected}


def plot(record: Dict, path: Path) -> None:
    """Median latency per block of turns, for every variant with a growth curve."""
    warning_filters.install()  # matplotlib's use of pyparsing's old names
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5), dpi=120)
    colors = {"shipped": "tab:blue", "baseline": "tab:orange", "shipped-project": "tab:green"}
    for name, result in record["configs"].items():
        growth = result.get("growth")
        if not growth:
            continue
        color = colors.get(name, "tab:red")
        xs = list(range(1, len(growth["latencies_ms"]) + 1))
        ax.plot(xs, growth["latencies_ms"], ".", color=color, alpha=0.15, markersize=2)
        centres = [growth["block"] * i + growth["block"] / 2 for i in range(len(growth["blocks"]))]
        ax.plot(centres, [b["median_ms"] for b in growth["blocks"]], "-o", color=color,
                label=f"{name} ({result['serving']['command']}), median per "
                      f"{growth['block']} turns")
    ax.set_yscale("log")
    ax.set_xlabel("turn of one conversation")
    ax.set_ylabel("latency per message (ms)")
    ax.set_title(f"One {TURNS}-turn conversation, {record['machine']['nproc']} cores "
                 f"({record['date'][:10]})")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
