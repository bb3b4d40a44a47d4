"""Tables for scripts/blind_eval.py: per part, the understanding corpus per category and the
safety corpus per alarm level; the misses of the dev part only."""
from __future__ import annotations

import collections
import datetime
import subprocess
from pathlib import Path
from typing import Dict, Iterable, List

ROOT = Path(__file__).resolve().parent.parent
Result = Dict[str, object]
LEVELS = ("levensbedreigend", "zelfdoding", "spoed", "onbekend")


def pct(right: int, total: int) -> str:
    return f"{100.0 * right / total:.1f}%" if total else "–"


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                              capture_output=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def categories(results: Iterable[Result]) -> Dict[str, List[Result]]:
    """Understanding turns by label kind, plus cross-cutting groups."""
    groups: Dict[str, List[Result]] = collections.defaultdict(list)
    for r in results:
        expect = r["expect"]
        groups[str(r["kind"])].append(r)
        if r["turn"]:
            groups["(follow-up turns)"].append(r)
        if expect.get("about") == "relative":
            groups["(about a relative)"].append(r)
        if expect.get("upset"):
            groups["(upset writer)"].append(r)
        if expect.get("belgian"):
            groups["(Flemish)"].append(r)
        if expect.get("fact"):
            groups["(asks one fact)"].append(r)
        if len(str(r["text"]).split()) >= 40:
            groups["(long message, 40+ words)"].append(r)
    return groups


def unsafe(results: Iterable[Result]) -> int:
    return sum(any(str(p).startswith("UNSAFE") for p in r["problems"]) for r in results)


def understanding_table(results: List[Result]) -> List[str]:
    rows = ["| category | turns | right | % right |", "| --- | --- | --- | --- |"]
    right = sum(r["right"] for r in results)
    rows.append(f"| **all turns** | {len(results)} | {right} | **{pct(right, len(results))}** |")
    for name, group in sorted(categories(results).items(), key=lambda kv: (kv[0][0] == "(", kv[0])):
        ok = sum(r["right"] for r in group)
        rows.append(f"| {name} | {len(group)} | {ok} | {pct(ok, len(group))} |")
    rows.append(f"\nReplies implying a diagnosis or a personal prognosis: **{unsafe(results)}**.")
    return rows


def escalated(r: Result) -> bool:
    return not any(str(p).startswith("MISSED") for p in r["problems"])


def false_alarm(r: Result) -> bool:
    """A near-miss that was escalated (not one judged wrong for another reason, such as a
    missing empathic sentence)."""
    return any(str(p).startswith("false alarm") for p in r["problems"])


def safety_table(results: List[Result]) -> List[str]:
    rows = ["| level | alarm messages | escalated (recall) | replies with nothing but help* | right |",
            "| --- | --- | --- | --- | --- |"]
    alarms = [r for r in results if r["kind"] == "alarm"]
    for level in LEVELS:
        group = [r for r in alarms if r["expect"].get("level") == level]
        if not group:
            continue
        up = [r for r in group if escalated(r)]
        clean = sum(r["right"] for r in up)
        rows.append(f"| {level} | {len(group)} | {len(up)} ({pct(len(up), len(group))}) | "
                    f"{clean} of {len(up)} | {pct(clean, len(group))} |")
    near = [r for r in results if r["kind"] == "near_miss"]
    false = [r for r in near if false_alarm(r)]
    rows.append(f"\nNear-misses: {len(near)}, escalated by mistake: {len(false)} "
                f"(**false-alarm rate {pct(len(false), len(near))}**).")
    rows.append("\n\\* life-threatening and suicide: the advice and nothing else from the "
                "content; urgent: the advice first, then only the complaints described.")
    return rows


def misses(results: List[Result]) -> List[str]:
    lines = []
    for r in results:
        if r["right"]:
            continue
        lines.append(f"- **{r['id']}** turn {r['turn']} ({r['kind']}): {r['text'][:300]!r}\n"
                     f"  - expected: `{r['expect']}`\n  - problems: {r['problems']}\n"
                     f"  - intent: {r.get('intent')} ({r.get('confidence')}), alarm {r.get('alarm')}\n"
                     f"  - reply: {str(r['reply'])[:240]!r}")
    return lines


def render(results: List[Result], parts: List[str], seconds: float) -> str:
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = [f"# Blind evaluation ({now}, commit {_commit()})", "",
           "Scored through the running bot (REST, real action server, the shipped tracker "
           "store) by `make evaluate` (scripts/blind_eval.py); how the corpus was written: "
           f"tests/blind/README.md. {len(results)} turns in {seconds:.0f} s.", ""]
    for part in parts:
        mine = [r for r in results if r["part"] == part]
        under = [r for r in mine if r["corpus"] == "understanding"]
        safety = [r for r in mine if r["corpus"] == "safety"]
        conversations = len({r["id"] for r in under if r["turn"]})
        out += [f"## {part}: understanding ({len(under)} turns; {conversations} conversations)",
                ""] + understanding_table(under) + [""]
        out += [f"## {part}: safety ({len(safety)} messages)", ""] + safety_table(safety) + [""]
    if "dev" in parts:
        dev = [r for r in results if r["part"] == "dev"]
        out += ["## dev: misses", ""] + (misses(dev) or ["none"]) + [""]
    return "\n".join(out)


def summary(results: List[Result], parts: List[str]) -> str:
    lines = []
    for part in parts:
        mine = [r for r in results if r["part"] == part]
        under = [r for r in mine if r["corpus"] == "understanding"]
        ok = sum(r["right"] for r in under)
        worst = min(((pct(sum(r["right"] for r in g), len(g)), n) for n, g in
                     categories(under).items() if not n.startswith("(")), default=("–", "–"),
                    key=lambda x: float(x[0][:-1]) if x[0] != "–" else 101)
        lines.append(f"{part}: understanding {ok}/{len(under)} turns right ({pct(ok, len(under))}),"
                     f" weakest category {worst[1]} {worst[0]}, unsafe replies {unsafe(under)}")
        safety = [r for r in mine if r["corpus"] == "safety"]
        for level in LEVELS:
            group = [r for r in safety if r["kind"] == "alarm" and r["expect"].get("level") == level]
            if group:
                up = sum(escalated(r) for r in group)
                right = sum(r["right"] for r in group)
                lines.append(f"{part}: safety {level}: recall {pct(up, len(group))} "
                             f"({up}/{len(group)}), nothing-but-help {pct(right, len(group))}")
        near = [r for r in safety if r["kind"] == "near_miss"]
        if near:
            false = sum(false_alarm(r) for r in near)
            lines.append(f"{part}: safety near-misses: false alarms {pct(false, len(near))} "
                         f"({false}/{len(near)})")
    return "\n".join(lines)
