"""Realistic load: many conversations at once whose users think 5-10 s between messages.

Each simulated user holds a conversation of bench/conversations.yml (a new sender for each
conversation) and sends its next message 5-10 s (uniform; seeded per user) after the bot
answered the previous one, or after it failed. Users start spread over the first RAMP_S
seconds; the messages sent in the MEASURE_S seconds after that are measured. So the users,
not the server, set the pace (about N / 7.5 s messages a second): open loop, and bounded (at
most one message in flight per user, each with a timeout; a new connection per message).

Capacity: how many such conversations the server holds at p95 <= TARGET_P95_MS with no
errors. The number of users doubles from START_USERS until a level is not held, then the
gap between the last level held and the first not held is halved twice. Reported: the largest
level held, and every level's figures.
"""
from __future__ import annotations

import asyncio
import random
import time
from typing import Callable, Dict, List, Optional, Tuple

import aiohttp

from bench import load, procs

TARGET_P95_MS = 300.0
THINK_S = (5.0, 10.0)
START_USERS, MAX_USERS, BISECTIONS = 100, 1600, 2
RAMP_S, MEASURE_S, SETTLE_S = 10.0, 30.0, 3.0
SEED = 13


async def _level(port: int, convs: List[load.Conversation], users: int, ramp_s: float,
                 measure_s: float, think_s: Tuple[float, float], timeout: float,
                 tag: str) -> load.Phase:
    url = load.urls(port)[0]
    phase = load.Phase(users)
    began = time.monotonic()
    measure_from, measure_until = began + ramp_s, began + ramp_s + measure_s

    async def user(number: int, session: aiohttp.ClientSession) -> None:
        rng = random.Random(SEED * 1_000_003 + number)
        await asyncio.sleep(rng.uniform(0, ramp_s))
        for round_ in range(10**6):
            conv = convs[(number + round_) % len(convs)]
            sender = f"{tag}-n{users}-u{number}-r{round_}"
            for turn in conv.turns:
                measured = time.monotonic() >= measure_from
                started = time.perf_counter()
                try:
                    text = load.reply_text(await load.post(session, url, sender, turn.text,
                                                           timeout))
                    kind = None if text else "empty_reply"
                except asyncio.TimeoutError:
                    kind = "timeout"
                except load.HttpStatus as status:
                    kind = f"http_{status.status}"
                except (aiohttp.ClientError, OSError, ValueError) as problem:
                    kind = type(problem).__name__
                if measured and kind:
                    phase.error(kind)
                elif measured:
                    phase.latencies_s.append(time.perf_counter() - started)
                    if turn.expect.lower() not in text.lower():
                        phase.unexpected.append(turn.text)
                pause = rng.uniform(*think_s)
                if time.monotonic() + pause >= measure_until:
                    return  # its next message would not be measured
                await asyncio.sleep(pause)

    connector = aiohttp.TCPConnector(limit=0, force_close=True)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(user(n, session) for n in range(users)))
    phase.duration_s = measure_s
    return phase


def level(port: int, users: int, pids: Dict[str, int], ramp_s: float = RAMP_S,
          measure_s: float = MEASURE_S, think_s: Tuple[float, float] = THINK_S,
          timeout: float = 10.0, tag: str = "realistic") -> Dict[str, object]:
    """One level: `users` conversations at once; the summary of the measured messages."""
    meter = procs.CpuMeter(pids)
    phase = asyncio.run(_level(port, load.conversations(), users, ramp_s, measure_s, think_s,
                               timeout, tag))
    summary = phase.summary()
    summary["cpu_s"] = meter.stop()
    summary["held"] = bool(summary["answered"] and not summary["errors"]
                           and summary["p95_ms"] <= TARGET_P95_MS)
    return summary


def capacity(port: int, pids: Dict[str, int], log: Callable[[str], None],
             start: int = START_USERS, max_users: int = MAX_USERS,
             bisections: int = BISECTIONS, **level_args: object) -> Dict[str, object]:
    """The largest number of thinking users held at p95 <= TARGET_P95_MS, and every level."""
    levels: Dict[int, Dict[str, object]] = {}

    def held(users: int) -> bool:
        levels[users] = level(port, users, pids, **level_args)
        s = levels[users]
        log(f"  {users:>5} thinking users: {s['answered']} answered, {s['errors']} errors, "
            f"p50 {s['p50_ms']} ms, p95 {s['p95_ms']} ms, {s['throughput_msg_s']} msg/s: "
            + ("held" if s["held"] else "NOT held"))
        time.sleep(SETTLE_S)
        return bool(s["held"])

    last_held, first_failed = 0, None
    users = start
    while users <= max_users:
        if not held(users):
            first_failed = users
            break
        last_held, users = users, users * 2
    for _ in range(bisections):
        if first_failed is None or first_failed - last_held < 2:
            break
        middle = (last_held + first_failed) // 2
        if held(middle):
            last_held = middle
        else:
            first_failed = middle
    return {
        "target_p95_ms": TARGET_P95_MS, "think_s": list(level_args.get("think_s", THINK_S)),
        "ramp_s": level_args.get("ramp_s", RAMP_S),
        "measure_s": level_args.get("measure_s", MEASURE_S),
        "capacity_users": last_held, "first_not_held_users": first_failed,
        "start_users": start, "max_users_tried": max_users, "bisections": bisections,
        "levels": {str(users): levels[users] for users in sorted(levels)},
    }


def capped(result: Optional[Dict[str, object]]) -> str:
    """The capacity as a table cell: '≥ N' when even the largest level tried was held."""
    if not result:
        return "–"
    if result["first_not_held_users"] is None:
        return f"≥ {result['capacity_users']}"
    return str(result["capacity_users"])
