"""Replays the conversations of bench/conversations.yml over REST, from 1 or more users at once.

Closed loop: each simulated user sends its next message as soon as the bot has answered the
previous one, and starts a new conversation (new sender id) after the last turn. A phase ends
when its message budget is used up or its time is up, whichever comes first; every request
has its own timeout. Errors (timeouts, refused connections, non-200 statuses, empty replies)
are counted, not retried. A reply without the turn's `expect` text counts as "unexpected".
Given several ports (several Rasa processes sharing a database, bench/scaleout.py), each user
sends its messages to them in turn, as a round-robin proxy in front of them would.
"""
from __future__ import annotations

import asyncio
import dataclasses
import itertools
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Union

import aiohttp
import numpy
import yaml

CONVERSATIONS = Path(__file__).resolve().parent / "conversations.yml"


@dataclasses.dataclass(frozen=True)
class Turn:
    text: str
    expect: str


@dataclasses.dataclass(frozen=True)
class Conversation:
    name: str
    turns: tuple


def conversations(path: Path = CONVERSATIONS) -> List[Conversation]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Conversation(c["name"], tuple(Turn(t["text"], t["expect"]) for t in c["turns"]))
        for c in raw["conversations"]
    ]


def cold_start_probe(path: Path = CONVERSATIONS) -> Dict[str, str]:
    """The message (and a piece of its correct answer) that ends the cold start."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))["cold_start_probe"]


def reply_text(messages: object) -> str:
    if not isinstance(messages, list):
        return ""
    return "\n".join(m.get("text", "") for m in messages if isinstance(m, dict))


@dataclasses.dataclass
class Phase:
    """Raw outcome of one phase: the latency of every answered message, and what went wrong."""

    concurrency: int
    latencies_s: List[float] = dataclasses.field(default_factory=list)
    errors: Dict[str, int] = dataclasses.field(default_factory=dict)
    unexpected: List[str] = dataclasses.field(default_factory=list)
    duration_s: float = 0.0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1

    def summary(self) -> Dict[str, object]:
        lat_ms = numpy.array(self.latencies_s) * 1000
        answered = len(self.latencies_s)

        def pct(q: float) -> Optional[float]:
            return round(float(numpy.percentile(lat_ms, q)), 1) if answered else None

        return {
            "concurrency": self.concurrency,
            "messages": answered + sum(self.errors.values()),
            "answered": answered,
            "errors": sum(self.errors.values()),
            "error_kinds": dict(self.errors),
            "unexpected": len(self.unexpected),
            "unexpected_examples": sorted(set(self.unexpected))[:5],
            "duration_s": round(self.duration_s, 2),
            "throughput_msg_s": round(answered / self.duration_s, 1) if self.duration_s else None,
            "p50_ms": pct(50),
            "p95_ms": pct(95),
            "p99_ms": pct(99),
            "mean_ms": round(float(lat_ms.mean()), 1) if answered else None,
            "max_ms": round(float(lat_ms.max()), 1) if answered else None,
        }


async def post(session: aiohttp.ClientSession, url: str, sender: str, text: str,
                timeout: float) -> object:
    async with session.post(
        url, json={"sender": sender, "message": text},
        timeout=aiohttp.ClientTimeout(total=timeout),
    ) as response:
        if response.status != 200:
            raise HttpStatus(response.status)
        return await response.json(content_type=None)


class HttpStatus(Exception):
    def __init__(self, status: int):
        super().__init__(f"HTTP {status}")
        self.status = status


def urls(port: Union[int, Sequence[int]]) -> List[str]:
    ports = [port] if isinstance(port, int) else list(port)
    return [f"http://127.0.0.1:{p}/webhooks/rest/webhook" for p in ports]


async def _run(port: Union[int, Sequence[int]], convs: List[Conversation], concurrency: int,
               max_messages: int, max_seconds: float, timeout: float, tag: str) -> Phase:
    targets = urls(port)
    phase = Phase(concurrency)
    budget = itertools.count()
    deadline = time.monotonic() + max_seconds

    async def user(number: int, session: aiohttp.ClientSession) -> None:
        for round_ in itertools.count():
            conv = convs[(number + round_) % len(convs)]
            sender = f"{tag}-c{concurrency}-u{number}-r{round_}"
            for n, turn in enumerate(conv.turns):
                if next(budget) >= max_messages or time.monotonic() >= deadline:
                    return
                url = targets[(number + n) % len(targets)]
                start = time.perf_counter()
                try:
                    text = reply_text(await post(session, url, sender, turn.text, timeout))
                except asyncio.TimeoutError:
                    phase.error("timeout")
                    continue
                except HttpStatus as status:
                    phase.error(f"http_{status.status}")
                    continue
                except (aiohttp.ClientError, OSError, ValueError) as problem:
                    phase.error(type(problem).__name__)
                    continue
                elapsed = time.perf_counter() - start
                if not text:
                    phase.error("empty_reply")
                    continue
                phase.latencies_s.append(elapsed)
                if turn.expect.lower() not in text.lower():
                    phase.unexpected.append(turn.text)

    connector = aiohttp.TCPConnector(limit=concurrency, force_close=False)
    async with aiohttp.ClientSession(connector=connector) as session:
        began = time.monotonic()
        await asyncio.gather(*(user(n, session) for n in range(concurrency)))
        phase.duration_s = time.monotonic() - began
    return phase


def run_phase(port: Union[int, Sequence[int]], convs: List[Conversation], concurrency: int,
              max_messages: int, max_seconds: float, timeout: float = 10.0,
              tag: str = "bench") -> Phase:
    """One phase of `concurrency` simultaneous users, bounded in messages and in time."""
    return asyncio.run(
        _run(port, convs, concurrency, max_messages, max_seconds, timeout, tag)
    )
