"""What the benchmark reads from the machine and its processes: /proc only, no extra packages.

Memory is VmRSS of a process and all its descendants; CPU time is utime + stime from
/proc/<pid>/stat, also summed over descendants; the whole machine's busy time comes from
/proc/stat, so the CPU used by other programs during a phase can be told apart.
"""
from __future__ import annotations

import datetime
import importlib.metadata
import os
import platform
import subprocess
import time
from pathlib import Path
from typing import Dict, List, Optional

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int) -> Optional[List[str]]:
    """Fields of /proc/<pid>/stat after the command name (which may contain spaces)."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2:].split()


def descendants(pid: int) -> List[int]:
    """pid and every process below it (found through the parent pid of all processes)."""
    children: Dict[int, List[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields:
                children.setdefault(int(fields[1]), []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    return tree


def _status_kib(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def memory_mib(pid: int) -> Dict[str, float]:
    """Resident memory now (VmRSS) and at its peak (VmHWM), summed over the process tree."""
    tree = descendants(pid)
    return {
        "rss_mib": round(sum(_status_kib(p, "VmRSS") for p in tree) / 1024, 1),
        "peak_rss_mib": round(sum(_status_kib(p, "VmHWM") for p in tree) / 1024, 1),
        "processes": len(tree),
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU time used so far by the process tree."""
    total = 0
    for p in descendants(pid):
        fields = _stat_fields(p)
        if fields:
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLOCK_TICKS


def own_cpu_seconds() -> float:
    """CPU time of this benchmark process (the load generator)."""
    times = os.times()
    return times.user + times.system


def machine_busy_seconds() -> float:
    """CPU time the whole machine spent busy, summed over all cores (/proc/stat)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


class CpuMeter:
    """CPU seconds used by the servers, the benchmark and everything else during a phase."""

    def __init__(self, servers: Dict[str, int]):
        self.servers = servers
        self.start = self._sample()

    def _sample(self) -> Dict[str, float]:
        sample = {name: cpu_seconds(pid) for name, pid in self.servers.items()}
        sample["bench"] = own_cpu_seconds()
        sample["machine"] = machine_busy_seconds()
        sample["wall"] = time.monotonic()
        return sample

    def stop(self) -> Dict[str, float]:
        end = self._sample()
        used = {k: round(end[k] - self.start[k], 2) for k in end}
        ours = sum(used[k] for k in list(self.servers) + ["bench"])
        used["other"] = round(max(used["machine"] - ours, 0.0), 2)
        return used


def machine() -> Dict[str, object]:
    cpu_model = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu_model = line.split(":", 1)[1].strip()
            break
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_model": cpu_model,
        "ram_gib": round(_meminfo_kib("MemTotal") / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
    }


def _meminfo_kib(field: str) -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def versions() -> Dict[str, str]:
    found = {}
    for package in ("rasa", "rasa-sdk", "tensorflow", "spacy", "scikit-learn", "sanic"):
        try:
            found[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            found[package] = "not installed"
    return found


def git_state(root: Path) -> Dict[str, object]:
    """The commit the benchmark ran on, and whether the checkout had uncommitted changes."""
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True,
                                  timeout=20).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    return {"commit": git("rev-parse", "--short", "HEAD") or None,
            "uncommitted_changes": bool(git("status", "--porcelain", "--untracked-files=no"))}


def load_average() -> Dict[str, object]:
    one, five, fifteen = os.getloadavg()
    return {
        "at": now_iso(),
        "1min": round(one, 2),
        "5min": round(five, 2),
        "15min": round(fifteen, 2),
    }


def now_iso() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
