"""The report's part on what users feel (issue 13): the product stack against the bare shipped
configuration in the same run, the growth curve over one long conversation, realistic load
(users who think), and two Rasa processes against one. Used by bench/report.py.
"""
from __future__ import annotations

from typing import Dict, List, Optional

from bench import growth, realistic

PRODUCT, BARE = "shipped-project", "shipped"
# issue 13's acceptance: (label, key, limit, higher is better)
RATIOS = (
    ("1 user p95, product stack / bare shipped", "p95_ms@1", 1.2, False),
    ("50 users throughput, product stack / bare shipped", "throughput_msg_s@50", 0.8, True),
)

LIMITS_NOTE = ("Limits: the product stack runs with its abuse limits on but raised "
               "(bench/serving.py BENCH_LIMITS), because the load generator is one client address.")


def method(record: Dict) -> List[str]:
    """How the figures after the main table were measured, with this run's settings."""
    notes = []
    curves = [r["growth"] for r in record["configs"].values() if r.get("growth")]
    if curves:
        notes.append(
            f"Growth curve: one user, one conversation of {curves[0]['turns']} turns (the turns of "
            "bench/conversations.yml over and over, one sender), closed loop; median latency "
            f"per block of {curves[0]['block']} turns; plotted to bench_growth.png (every turn "
            "as a dot, block medians as lines).")
    runs = [r["realistic"] for r in record["configs"].values() if r.get("realistic")]
    if runs:
        r = runs[0]
        halvings = r.get("bisections")
        halved = ("" if not halvings else ", then the gap is halved once" if halvings == 1
                  else f", then the gap is halved {halvings} times")
        notes.append(
            f"Realistic load: N users at once, each in a conversation of bench/conversations.yml "
            f"(a new sender per conversation), sending the next message {r['think_s'][0]:g}-"
            f"{r['think_s'][1]:g} s (uniform, seeded) after the previous reply; users start "
            f"within the first {r['ramp_s']:g} s, the messages sent in the next "
            f"{r['measure_s']:g} s are measured; a new connection per message. A level is held "
            f"when p95 <= {r['target_p95_ms']:g} ms and no message failed. N doubles from "
            f"{r.get('start_users', 'the first level')} (at most {r['max_users_tried']}) until "
            f"a level is not held"
            + halved + "; the capacity is the largest level held.")
    scale = record.get("scaleout") or {}
    if scale.get("runs"):
        notes.append(
            "Scale-out: the product stack on throwaway PostgreSQL 15 and Redis servers on "
            "loopback (tests/services.py), one action server, "
            + " or ".join(scale["runs"]) + f" Rasa processes, {scale['users']} closed-loop "
            "users; with 2 processes each user's messages go to both in turn (round robin).")
    return notes + [LIMITS_NOTE]


def _metric(result: Dict, key: str) -> Optional[float]:
    from bench.report import metric

    return metric(result, key)


def checks(record: Dict) -> Dict[str, Dict[str, object]]:
    """Issue 13's acceptance figures of this run (None where a part did not run)."""
    configs = record["configs"]
    product, bare = configs.get(PRODUCT, {}), configs.get(BARE, {})
    found: Dict[str, Dict[str, object]] = {}
    for label, key, limit, higher in RATIOS:
        a, b = _metric(product, key), _metric(bare, key)
        ratio = round(a / b, 2) if a is not None and b else None
        found[key] = {"label": label, "value": ratio, "target": (">= " if higher else "<= ")
                      + f"{limit}", "met": None if ratio is None else
                      (ratio >= limit if higher else ratio <= limit)}
    ratio = (product.get("growth") or {}).get("last_over_first")
    found["growth"] = {"label": "growth, product stack: median of turns 351-400 / turns 1-50",
                       "value": ratio, "target": f"<= {growth.GROWTH_LIMIT}",
                       "met": None if ratio is None else ratio <= growth.GROWTH_LIMIT}
    return found


def _fmt(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}" if value >= 10 else f"{value:.2f}"
    return str(value)


def _table(header: List[str], body: List[List[str]]) -> List[str]:
    return (["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
            + ["| " + " | ".join(row) + " |" for row in body])


def _growth(configs: Dict) -> List[str]:
    curves = {name: r["growth"] for name, r in configs.items() if r.get("growth")}
    if not curves:
        return []
    names = list(curves)
    blocks = [b["turns"] for b in next(iter(curves.values()))["blocks"]]
    body = [[turns] + [_fmt(curves[n]["blocks"][i]["median_ms"]) for n in names]
            for i, turns in enumerate(blocks)]
    body.append(["last block / first block"] + [_fmt(curves[n]["last_over_first"]) for n in names])
    body.append(["replies without the expected text"] + [str(curves[n]["unexpected"]) for n in names])
    return (["", "## Growth: median latency (ms) per block of turns of one conversation", ""]
            + _table(["turns"] + names, body) + ["", "Plot: bench_growth.png."])


def _realistic(configs: Dict) -> List[str]:
    runs = {name: r["realistic"] for name, r in configs.items() if r.get("realistic")}
    if not runs:
        return []
    names = list(runs)
    some = next(iter(runs.values()))
    lines = ["", f"## Realistic load: users thinking {some['think_s'][0]:g}-{some['think_s'][1]:g} s "
             f"between messages, held at p95 <= {some['target_p95_ms']:g} ms", ""]
    body = [["conversations held at once"] + [realistic.capped(runs[n]) for n in names]]
    for label, key in (("p95 at that level (ms)", "p95_ms"),
                       ("messages/s at that level", "throughput_msg_s")):
        cells = []
        for n in names:
            held = runs[n]["levels"].get(str(runs[n]["capacity_users"]))
            cells.append(_fmt(held.get(key)) if held else "–")
        body.append([label] + cells)
    body.append(["first level not held"] + [_fmt(runs[n]["first_not_held_users"]) for n in names])
    lines += _table(["figure"] + names, body) + ["", "Every level:", ""]
    rows = []
    for n in names:
        for users, s in runs[n]["levels"].items():
            rows.append([n, users, _fmt(s["p50_ms"]), _fmt(s["p95_ms"]), _fmt(s["p99_ms"]),
                         _fmt(s["throughput_msg_s"]), f"{s['errors']} / {s['messages']}",
                         "held" if s["held"] else "not held"])
    return lines + _table(["variant", "users", "p50 (ms)", "p95 (ms)", "p99 (ms)", "msg/s",
                           "errors / messages", ""], rows)


def _scaleout(record: Dict) -> List[str]:
    scale = record.get("scaleout")
    if not scale:
        return []
    lines = ["", "## Scale-out: Rasa processes sharing PostgreSQL and Redis (product stack)", ""]
    if scale.get("skipped"):
        return lines + [f"Not run: {scale['skipped']}"]
    rows = []
    for count, run in scale["runs"].items():
        s = run["phase"]
        rasa_cpu = sum(v for k, v in s["cpu_s"].items() if k.startswith("rasa"))
        rows.append([count, str(scale["users"]), _fmt(s["p50_ms"]), _fmt(s["p95_ms"]),
                     _fmt(s["p99_ms"]), _fmt(s["throughput_msg_s"]),
                     f"{s['errors']} / {s['messages']}", _fmt(round(rasa_cpu, 1)),
                     _fmt(s["cpu_s"]["wall"])])
    return lines + _table(["Rasa processes", "users", "p50 (ms)", "p95 (ms)", "p99 (ms)",
                           "msg/s", "errors / messages", "Rasa CPU (s)", "wall (s)"], rows)


def sections(record: Dict) -> List[str]:
    """Markdown lines after the main table."""
    lines = ["", "## Issue 13: the product stack against the bare configuration, this run", ""]
    found = record.get("acceptance") or checks(record)
    lines += _table(["figure", "value", "target", "met"],
                    [[c["label"], _fmt(c["value"]), c["target"],
                      {True: "met", False: "NOT met", None: "–"}[c["met"]]]
                     for c in found.values()])
    lines += _growth(record["configs"]) + _realistic(record["configs"]) + _scaleout(record)
    return lines + ["", "How these are measured:", ""] + [f"- {note}" for note in method(record)]


def terminal(record: Dict) -> str:
    """A few lines for the terminal after the main table."""
    lines = [f"{c['label']}: {_fmt(c['value'])} (target {c['target']})"
             for c in (record.get("acceptance") or checks(record)).values()]
    for name, result in record["configs"].items():
        if result.get("realistic"):
            lines.append(f"{name}: {realistic.capped(result['realistic'])} thinking users held "
                         f"at p95 <= {realistic.TARGET_P95_MS:g} ms")
    for count, run in ((record.get("scaleout") or {}).get("runs") or {}).items():
        lines.append(f"{count} Rasa process(es) on PostgreSQL+Redis: "
                     f"{run['phase']['throughput_msg_s']} msg/s, p95 {run['phase']['p95_ms']} ms")
    return "\n".join(lines)
